"""The review app: a Starlette application served on the loopback interface.

Security, in the order a request meets it: the Host header must name this machine (no DNS
rebinding); a random token made at launch is required (``?token=`` once, then an HttpOnly
same-site cookie; without it every page is 403); every change is a POST carrying the
launch's CSRF token and, when the browser sends one, a same-origin ``Origin``; uploads are
size-limited and sniffed before parsing; every response carries a Content-Security-Policy
that allows scripts from this server's own files only (no inline script), and all answer
text is escaped by the templates. Errors show their LE text, never a stack trace. The
request log holds method, path and status only: no query strings, no answer text.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from lived_experience import __version__
from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.disclosure import SUPPRESSED, enforce_k_anonymity, small_groups
from lived_experience.app.highlight import render_text
from lived_experience.app.record import build_record, write_record_docx, write_record_html
from lived_experience.app.review import (
    INDIRECT_ACTIONS,
    CellKey,
    ReviewSession,
    texts_from_frame,
)
from lived_experience.app.runner import JobRunner, export_anonymised
from lived_experience.app.workspace import (
    PRIVATE_FILE,
    Job,
    Workspace,
    safe_upload_name,
    sniff_upload,
    suggest_columns,
)
from lived_experience.errors import InputFileError, LivedExperienceError
from lived_experience.ingest import read_survey
from lived_experience.output import write_table

logger = logging.getLogger("lived_experience.app")
PAGE_SIZE = 40
DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
ENTITY_CHOICES = (
    "PERSON",
    "NHS_SITE",
    "NHS_ORGANISATION",
    "STAFF_ID",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "DATE",
    "UK_POSTCODE",
    "MANUAL",
)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
TOKEN_COOKIE = "le_token"


@dataclass
class AppConfig:
    """What one launch of the app needs."""

    workspace: Path
    anonymiser_factory: Callable[[], Anonymiser]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    max_upload: int = DEFAULT_MAX_UPLOAD
    #: Host names (without port) the Host header may carry.
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    sample_size: int = 50
    #: seconds after a review change before the decisions file is rewritten (the change is
    #: journalled at once); 0 rewrites it with every change
    save_delay: float = 1.0


class LivedExperienceApp:
    """Routes and state of one launch; :attr:`asgi` is the Starlette application."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.workspace = Workspace(config.workspace)
        self.runner = JobRunner(self.workspace, config.anonymiser_factory, self._export)
        self._sessions: dict[str, ReviewSession] = {}
        self._sessions_lock = threading.Lock()
        templates = files("lived_experience.app").joinpath("templates")
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.env.globals.update(version=__version__, entity_choices=ENTITY_CHOICES)
        self.env.filters["hash_id"] = lambda value: hashlib.sha256(
            str(value).encode("utf-8")
        ).hexdigest()[:12]
        static = str(files("lived_experience.app").joinpath("static"))
        routes = [
            Route("/", self.home),
            Route("/upload", self.upload, methods=["POST"]),
            Route("/try", self.try_text, methods=["POST"]),
            Route("/jobs/{job_id}/setup", self.setup),
            Route("/jobs/{job_id}/run", self.run, methods=["POST"]),
            Route("/jobs/{job_id}", self.job_page),
            Route("/jobs/{job_id}/progress", self.progress),
            Route("/jobs/{job_id}/review", self.review),
            Route("/jobs/{job_id}/live", self.live_status),
            Route("/jobs/{job_id}/decide", self.decide, methods=["POST"]),
            Route("/jobs/{job_id}/reject-word", self.reject_word, methods=["POST"]),
            Route("/jobs/{job_id}/add", self.add, methods=["POST"]),
            Route("/jobs/{job_id}/check", self.check, methods=["POST"]),
            Route("/jobs/{job_id}/indirect", self.indirect, methods=["POST"]),
            Route("/jobs/{job_id}/disclosure", self.disclosure, methods=["GET", "POST"]),
            Route("/jobs/{job_id}/export", self.export, methods=["GET", "POST"]),
            Route("/jobs/{job_id}/download/{what}", self.download),
            Mount("/static", app=StaticFiles(directory=static), name="static"),
        ]
        self.asgi = Starlette(
            routes=routes,
            middleware=[Middleware(BaseHTTPMiddleware, dispatch=self._guard)],
            exception_handlers={
                LivedExperienceError: self._le_error,
                HTTPException: self._http_error,
                Exception: self._unexpected,
            },
        )

    def warm_up(self) -> None:
        """Load the language model now (the CLI calls this in the background at launch), so
        the first job does not wait for it while the user is still choosing columns."""
        self.runner.anonymiser.detect(["Warm up."])

    # -- security ---------------------------------------------------------------------------
    async def _guard(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in self.config.hosts:
            response: Response = PlainTextResponse("Forbidden: unknown host.", status_code=403)
        else:
            given = request.query_params.get("token")
            if given is not None and hmac.compare_digest(given, self.config.token):
                response = RedirectResponse(request.url.path, status_code=303)
                response.set_cookie(
                    TOKEN_COOKIE, self.config.token, httponly=True, samesite="strict"
                )
            elif hmac.compare_digest(
                request.cookies.get(TOKEN_COOKIE, ""), self.config.token
            ) or hmac.compare_digest(request.headers.get("x-le-token", ""), self.config.token):
                try:
                    response = await call_next(request)
                except Exception as exc:  # answered here, so no server logs its message
                    response = await self._unexpected(request, exc)
            else:
                response = PlainTextResponse(
                    "Forbidden: open the address the lived-experience app printed when it "
                    "started (it carries this launch's token).",
                    status_code=403,
                )
        headers = response.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes POSTs say Origin: null
        headers["X-Frame-Options"] = "DENY"
        headers["Cache-Control"] = "no-store"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        # path only: query strings and bodies never reach the log
        logger.info(
            "%s %s %d %.0fms",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    async def _form(self, request: Request) -> FormData:
        """Read a POST's form after checking its CSRF token and origin."""
        origin = request.headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            if parts.hostname not in self.config.hosts:
                raise HTTPException(403, "Forbidden: the request came from another site.")
        form = await request.form(max_files=1, max_fields=200, max_part_size=1024 * 1024)
        token = request.headers.get("x-csrf-token") or str(form.get("csrf_token") or "")
        if not hmac.compare_digest(token, self.config.csrf):
            raise HTTPException(403, "Forbidden: missing or wrong CSRF token. Reload the page.")
        return form

    async def _le_error(self, request: Request, exc: Exception) -> Response:
        return self._page("error.html", request, {"message": str(exc)}, status=400)

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    async def _unexpected(self, request: Request, exc: Exception) -> Response:
        logger.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        message = (
            f"[LE000] something went wrong ({type(exc).__name__}). Fix: reload the page; if "
            "it happens again, report the error name (no data) to the maintainers."
        )
        return self._page("error.html", request, {"message": message}, status=500)

    # -- helpers ----------------------------------------------------------------------------
    def _page(
        self, template: str, request: Request, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            request=request, csrf=self.config.csrf, **context
        )
        return HTMLResponse(html, status_code=status)

    def _job(self, request: Request) -> Job:
        job = self.workspace.get(request.path_params["job_id"])
        if job is None:
            raise HTTPException(404, "No such job.")
        return job

    def _session(self, job: Job) -> ReviewSession:
        """The job's review session, with the detections anonymised since the last request.

        The review can start as soon as the job has anonymised its first chunk of rows.
        """
        meta = job.meta
        with self._sessions_lock:
            session = self._sessions.get(meta.job_id)
            if session is None or session.run_id != meta.run_id:
                if meta.status != "done" and not meta.live_records:
                    raise InputFileError(
                        "no answer has been anonymised yet. Fix: wait for the progress bar "
                        "to show the first rows done."
                    )
                frame = read_survey(job.input_path, id_column=meta.id_column or None)
                texts = texts_from_frame(frame, meta.text_columns, meta.id_column or None)
                session = ReviewSession(
                    texts,
                    job.entities_path,
                    job.decisions_path,
                    job.state_path,
                    seed=meta.job_id,
                    sample_size=self.config.sample_size,
                    live_path=job.live_path,
                    run_id=meta.run_id,
                    log_path=job.review_log_path,
                    save_delay=self.config.save_delay,
                )
                self._sessions[meta.job_id] = session
        session.refresh(meta.status == "done", meta.live_records, meta.live_bytes)
        return session

    def _export(self, job: Job, anonymiser: Anonymiser) -> None:
        """The worker's export step: the file, then the record (counts only)."""
        session = self._session(job)
        session.flush()
        output = export_anonymised(job, anonymiser)
        record = build_record(job.meta, session.counts(), anonymiser)
        write_record_html(record, job.export / "information_governance_record.html")
        write_record_docx(record, job.export / "information_governance_record.docx")
        job.meta.export_files = [
            output.name,
            "information_governance_record.html",
            "information_governance_record.docx",
        ]

    # -- start ----------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        return self._page("home.html", request, {"jobs": self.workspace.jobs()})

    async def upload(self, request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise HTTPException(411, "Uploads must say their size.")
        if int(length) > self.config.max_upload + 64 * 1024:
            return self._too_big(request)
        form = await self._form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputFileError("choose a CSV or XLSX file to upload. Fix: pick a file.")
        name = safe_upload_name(upload.filename)
        head = await upload.read(4096)
        sniff_upload(head, Path(name).suffix.lower(), name)
        tmp = self.workspace.upload_dir() / f"{secrets.token_hex(8)}.partial"
        size = 0
        with tmp.open("wb") as handle:
            tmp.chmod(PRIVATE_FILE)
            handle.write(head)
            size += len(head)
            while block := await upload.read(1 << 20):
                size += len(block)
                if size > self.config.max_upload:
                    handle.close()
                    tmp.unlink()
                    return self._too_big(request)
                handle.write(block)
        if size == 0:
            tmp.unlink()
            raise InputFileError(f"'{name}' is empty (0 bytes). Fix: export the data again.")
        job = self.workspace.new_job(name, tmp)
        try:
            await run_in_threadpool(self._inspect, job)
        except LivedExperienceError:
            shutil.rmtree(job.root, ignore_errors=True)
            raise
        return RedirectResponse(f"/jobs/{job.meta.job_id}/setup", status_code=303)

    def _too_big(self, request: Request) -> Response:
        mb = self.config.max_upload // (1024 * 1024)
        message = (
            f"[LE001] the file is larger than the upload limit ({mb} MB). Fix: start the app "
            "with a larger --max-upload-mb, or split the export."
        )
        return self._page("error.html", request, {"message": message}, status=413)

    def _inspect(self, job: Job, sheet: str = "") -> pd.DataFrame:
        meta = job.meta
        path = job.upload_path
        if meta.suffix == ".xlsx":
            from openpyxl import load_workbook

            try:
                book = load_workbook(path, read_only=True)
            except Exception:
                raise InputFileError(
                    f"'{meta.file_name}' could not be read as an Excel workbook. Fix: open it "
                    "in Excel and save it again, or export CSV."
                ) from None
            meta.sheets = list(book.sheetnames)
            book.close()
            meta.sheet = sheet if sheet in meta.sheets else meta.sheets[0]
            for name in meta.sheets:
                if name not in meta.sheet_info:
                    meta.sheet_info[name] = _sheet_info(path, name)
        frame = read_survey(path, sheet=meta.sheet or 0)
        frame.attrs["source"] = meta.file_name
        meta.columns = list(frame.columns)
        meta.rows = len(frame)
        suggested = suggest_columns(frame)
        if not meta.text_columns or not set(meta.text_columns) <= set(meta.columns):
            meta.text_columns = suggested["text_columns"]
            meta.id_column = suggested["id_column"]
            meta.attribute_columns = suggested["attribute_columns"]
        meta.summary["distinct"] = suggested["distinct"]
        job.save()
        return frame

    async def setup(self, request: Request) -> Response:
        job = self._job(request)
        sheet = request.query_params.get("sheet", "")
        frame = await run_in_threadpool(self._inspect, job, sheet or job.meta.sheet)
        preview = frame.head(5).astype(str).map(lambda v: v if len(v) < 160 else v[:157] + "...")
        return self._page(
            "setup.html",
            request,
            {"job": job, "meta": job.meta, "preview": preview.to_dict("records")},
        )

    async def run(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        meta = job.meta
        if meta.status in {"queued", "running"}:
            return RedirectResponse(f"/jobs/{meta.job_id}", status_code=303)
        sheet = str(form.get("sheet") or "")
        if meta.suffix == ".xlsx" and sheet not in meta.sheets:
            raise InputFileError("choose one of the workbook's sheets. Fix: pick a sheet.")
        text_columns = [str(v) for v in form.getlist("text_columns")]
        id_column = str(form.get("id_column") or "")
        attributes = [str(v) for v in form.getlist("attribute_columns")]
        try:
            k = int(str(form.get("k") or "11"))
        except ValueError:
            k = 0
        if k < 2:
            raise InputFileError("k must be a whole number of at least 2. Fix: enter 11.")
        if not text_columns:
            raise InputFileError(
                "choose at least one free-text column to anonymise. Fix: tick its box."
            )
        copy = [str(v) for v in form.getlist("copy_sheets") if str(v) != sheet]
        for name in copy:
            info = meta.sheet_info.get(name)
            if info is None:
                raise InputFileError("unknown sheet. Fix: reload the page.")
            if info["free_text"]:
                raise InputFileError(
                    f"sheet '{name}' holds free text (column(s) "
                    f"{', '.join(info['free_text'])}) that this job does not anonymise, so it "
                    "cannot be copied unchanged. Fix: leave it withheld (the export keeps its "
                    "name and header row), or anonymise that sheet in a job of its own."
                )
        resume = meta.status == "interrupted" and (sheet, text_columns, id_column) == (
            meta.sheet,
            meta.text_columns,
            meta.id_column,
        )
        meta.sheet = sheet
        meta.text_columns, meta.id_column = text_columns, id_column
        meta.attribute_columns = [a for a in attributes if a not in text_columns]
        meta.k = k
        meta.copy_sheets = copy
        await run_in_threadpool(self._prepare_input, job)
        with self._sessions_lock:
            old = self._sessions.pop(meta.job_id, None)
            if old is not None:
                old.close(save=resume)
            if not resume:  # a fresh run: the review starts again
                meta.run_id = secrets.token_hex(6)
                meta.live_records = meta.live_bytes = 0
                paths = (job.live_path, job.decisions_path, job.state_path, job.review_log_path)
                for path in paths:
                    path.unlink(missing_ok=True)
            self.runner.submit("anonymise", job)
        return RedirectResponse(f"/jobs/{meta.job_id}", status_code=303)

    def _prepare_input(self, job: Job) -> None:
        """Check the chosen columns and write the file the anonymiser will read (0600)."""
        meta = job.meta
        frame = read_survey(
            job.upload_path,
            id_column=meta.id_column or None,
            text_columns=meta.text_columns,
            sheet=meta.sheet or 0,
        )
        missing = [c for c in meta.attribute_columns if c not in frame.columns]
        if missing:
            raise InputFileError(f"no column named {', '.join(missing)}. Fix: reload the page.")
        meta.rows = len(frame)
        if meta.suffix == ".xlsx":  # the chosen sheet alone, as text, read in chunks
            write_table(frame, job.input_path, mode=PRIVATE_FILE)
        else:
            shutil.copyfile(job.upload_path, job.input_path)
            job.input_path.chmod(PRIVATE_FILE)
        job.save()

    async def try_text(self, request: Request) -> Response:
        form = await self._form(request)
        text = str(form.get("text") or "")[:5000]
        anonymiser = await run_in_threadpool(lambda: self.runner.anonymiser)
        detections = (await run_in_threadpool(anonymiser.detect, [text]))[0]
        from lived_experience.anonymise.indirect import find_indirect_identifiers

        rows = [
            (
                i,
                {
                    "start": str(d.start),
                    "end": str(d.end),
                    "entity_type": d.entity_type,
                    "risk": "",
                    "decision": "accept",
                    "recogniser": d.recogniser,
                },
            )
            for i, d in enumerate(detections)
        ]
        rows += [
            (
                len(rows) + i,
                {
                    "start": str(d.start),
                    "end": str(d.end),
                    "entity_type": d.entity_type,
                    "risk": "high",
                    "decision": "review",
                    "recogniser": d.recogniser,
                },
            )
            for i, d in enumerate(find_indirect_identifiers(text))
        ]
        anonymised = anonymiser.replace(text, detections)[0] if detections else text
        return self._page(
            "try_result.html",
            request,
            {"highlighted": render_text(text, rows), "anonymised": anonymised},
        )

    # -- run --------------------------------------------------------------------------------
    def _progress_context(self, job: Job) -> dict[str, Any]:
        meta = job.meta
        left = meta.seconds_left()
        total = meta.rows_total or meta.rows or 1
        return {
            "job": job,
            "meta": meta,
            "rows_done": meta.rows_anonymised(),
            "percent": int(100 * meta.rows_anonymised() / total) if total else 0,
            "seconds_left": None if left is None else int(round(left)),
        }

    async def job_page(self, request: Request) -> Response:
        job = self._job(request)
        return self._page("job.html", request, self._progress_context(job))

    async def progress(self, request: Request) -> Response:
        job = self._job(request)
        return self._page("_progress.html", request, self._progress_context(job))

    # -- review -----------------------------------------------------------------------------
    def _review_context(self, job: Job, session: ReviewSession, key: CellKey) -> dict[str, Any]:
        cell = session.cell(key)
        rows = [(i, session.rows[i]) for i in cell.rows]
        return {
            "job": job,
            "cell": cell,
            "rows": rows,
            "session": session,
            "highlighted": render_text(cell.text, rows),
            "originals": {i: session.original(i) for i, _ in rows},
            "generalisable": {
                i: session.generalisable_detail(i) is not None
                for i, r in rows
                if r["risk"] == "high"
            },
        }

    async def review(self, request: Request) -> Response:
        job = self._job(request)
        session = await run_in_threadpool(self._session, job)
        q = request.query_params
        try:
            min_score = float(q.get("min_score") or 0)
        except ValueError:
            min_score = 0.0
        filters = {
            "entity_type": q.get("type", ""),
            "recogniser": q.get("recogniser", ""),
            "min_score": min_score,
            "flag": q.get("flag", ""),
        }
        keys = session.filter(**filters)  # type: ignore[arg-type]
        try:
            page = max(1, int(q.get("page") or 1))
        except ValueError:
            page = 1
        pages = max(1, (len(keys) + PAGE_SIZE - 1) // PAGE_SIZE)
        page = min(page, pages)
        shown = keys[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        reviewed, total = session.progress()
        query = {k: v for k, v in q.items() if k != "page"}
        return self._page(
            "review.html",
            request,
            {
                "job": job,
                "meta": job.meta,
                "live": self._live_context(job, session),
                "cells": [self._review_context(job, session, k) for k in shown],
                "facets": session.facets(),
                "filters": filters,
                "matches": len(keys),
                "page": page,
                "pages": pages,
                "query": query,
                "reviewed": reviewed,
                "total": total,
            },
        )

    def _live_context(self, job: Job, session: ReviewSession) -> dict[str, Any]:
        meta = job.meta
        return {
            "running": session.live,
            "done": session.records_done,
            "rows": session.records_total,
            "failed": meta.status in {"failed", "interrupted"},
        }

    async def live_status(self, request: Request) -> Response:
        """The review page's "N of M anonymised" line, polled while the job runs."""
        job = self._job(request)
        session = await run_in_threadpool(self._session, job)
        return self._page(
            "_live.html", request, {"meta": job.meta, "live": self._live_context(job, session)}
        )

    async def _cell_response(self, request: Request, job: Job, key: CellKey) -> Response:
        session = self._session(job)
        reviewed, total = session.progress()
        context = self._review_context(job, session, key)
        context.update(reviewed=reviewed, total=total, oob=True)
        return self._page("_cell.html", request, context)

    async def decide(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        session = self._session(job)
        key = session.decide(_int(form.get("row")), str(form.get("decision") or ""))
        return await self._cell_response(request, job, key)

    async def reject_word(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        session = self._session(job)
        row = _int(form.get("row"))
        key = (session.rows[row]["record_id"], session.rows[row]["field"])
        count = session.reject_everywhere(row)
        response = await self._cell_response(request, job, key)
        response.headers["HX-Trigger"] = f'{{"le-word-rejected": {count}}}'
        return response

    async def add(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        session = self._session(job)
        key = (str(form.get("record_id") or ""), str(form.get("field") or ""))
        session.add(
            *key, _int(form.get("start")), _int(form.get("end")), str(form.get("entity_type"))
        )
        return await self._cell_response(request, job, key)

    async def check(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        session = self._session(job)
        key = (str(form.get("record_id") or ""), str(form.get("field") or ""))
        session.toggle_checked(key)
        return await self._cell_response(request, job, key)

    async def indirect(self, request: Request) -> Response:
        job = self._job(request)
        form = await self._form(request)
        session = self._session(job)
        action = str(form.get("action") or "")
        if action not in INDIRECT_ACTIONS:
            raise InputFileError("unknown action. Fix: reload the page.")
        key = session.indirect_action(_int(form.get("row")), action)
        return await self._cell_response(request, job, key)

    # -- disclosure control -----------------------------------------------------------------
    async def disclosure(self, request: Request) -> Response:
        job = self._job(request)
        meta = job.meta
        if request.method == "POST":
            form = await self._form(request)
            columns = [str(v) for v in form.getlist("attribute_columns")]
            try:
                k = int(str(form.get("k") or "11"))
            except ValueError:
                k = 0
            if k < 2:
                raise InputFileError("k must be a whole number of at least 2. Fix: enter 11.")
            if not set(columns) <= set(meta.columns):
                raise InputFileError("unknown column. Fix: reload the page.")
            meta.attribute_columns = [c for c in columns if c not in meta.text_columns]
            meta.k = k
            job.save()
            return RedirectResponse(f"/jobs/{meta.job_id}/disclosure", status_code=303)
        analysis = await run_in_threadpool(self._disclosure_analysis, job)
        return self._page("disclosure.html", request, {"job": job, "meta": meta, **analysis})

    def _disclosure_analysis(self, job: Job) -> dict[str, Any]:
        meta = job.meta
        if job.input_path.exists():
            frame = read_survey(job.input_path)
        else:
            frame = read_survey(job.upload_path, sheet=meta.sheet or 0)
        columns = [c for c in meta.attribute_columns if c in frame.columns]
        if not columns:
            return {"columns": [], "combinations": [], "costs": [], "suppress_only": 0}
        attrs = frame[columns].astype(str)
        small = small_groups(attrs, columns, meta.k)
        protected, report = enforce_k_anonymity(attrs, columns, meta.k)
        suppressed = protected[columns[0]] == SUPPRESSED
        costs = [
            {
                "choice": f"generalise {c} ({n} level{'s' if n > 1 else ''})",
                "rows": int(((protected[c] != attrs[c]) & ~suppressed).sum()),
            }
            for c, n in report.generalised.items()
        ]
        costs.append({"choice": "suppress what is still under k", "rows": report.suppressed_rows})
        # every combination under k before: what it becomes
        before = attrs.copy()
        before["__after"] = protected[columns].agg(" / ".join, axis=1)
        combos = []
        small_keys = {tuple(r) for r in small[columns].astype(str).itertuples(index=False)}
        grouped = before.groupby(columns, sort=True)
        for values, group in grouped:
            values = values if isinstance(values, tuple) else (values,)
            if tuple(map(str, values)) not in small_keys:
                continue
            outcomes = group["__after"].value_counts()
            after = outcomes.index[0]
            combos.append(
                {
                    "values": " / ".join(map(str, values)),
                    "rows": len(group),
                    "after": "suppressed" if SUPPRESSED in after else after,
                }
            )
        return {
            "columns": columns,
            "combinations": combos[:300],
            "more": max(0, len(combos) - 300),
            "costs": costs,
            "suppress_only": int(small["count"].sum()) if len(small) else 0,
            "groups_before": report.small_groups_before,
            "groups_after": report.small_groups_after,
            "rows": len(frame),
        }

    # -- export -----------------------------------------------------------------------------
    async def export(self, request: Request) -> Response:
        job = self._job(request)
        if request.method == "POST":
            await self._form(request)
            if job.meta.status != "done":
                raise InputFileError("anonymise the file first. Fix: finish the run step.")
            if job.meta.export_status not in {"queued", "running"}:
                self.runner.submit("export", job)
            return RedirectResponse(f"/jobs/{job.meta.job_id}/export", status_code=303)
        session = await run_in_threadpool(self._session, job) if job.meta.status == "done" else None
        reviewed, total = session.progress() if session else (0, 0)
        return self._page(
            "export.html",
            request,
            {"job": job, "meta": job.meta, "reviewed": reviewed, "total": total},
        )

    async def download(self, request: Request) -> Response:
        job = self._job(request)
        what = request.path_params["what"]
        if what == "decisions":
            if job.meta.status == "done" or job.meta.live_records:
                (await run_in_threadpool(self._session, job)).flush()
            path = job.decisions_path
            name = f"{Path(job.meta.file_name).stem}_decisions_SENSITIVE.csv"
        elif what in job.meta.export_files and job.meta.export_status == "done":
            path, name = job.export / what, what
        else:
            raise HTTPException(404, "No such file.")
        if not path.exists():
            raise HTTPException(404, "No such file.")
        return FileResponse(path, filename=name)


def _sheet_info(path: Path, name: str) -> dict[str, Any]:
    """Rows, columns and the free-text columns found in one sheet of a workbook.

    Free text here is any column with an entry of six words or more, or three words on
    average: stricter than the suggestions, because a sheet with free text is never copied
    to the export unanonymised. A sheet that cannot be read counts as free text.
    """
    try:
        frame = read_survey(path, sheet=name)
    except LivedExperienceError:
        return {"rows": 0, "columns": 0, "free_text": ["(the sheet could not be read)"]}
    free = []
    for column in frame.columns:
        words = frame[column].astype(str).str.split().str.len()
        filled = words[words > 0]
        if len(filled) and (filled.max() >= 6 or filled.mean() >= 3):
            free.append(str(column))
    return {"rows": len(frame), "columns": len(frame.columns), "free_text": free}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise InputFileError("a number was expected. Fix: reload the page.") from None
