"""Background jobs: anonymisation and export run one at a time on a worker thread.

The page polls ``job.json`` for progress (rows done of total, time left), so it can be
closed and opened again; a second upload waits its turn and never touches the first.
Anonymisation uses :func:`lived_experience.anonymise.files.anonymise_file` (the command
line's own function, with its checkpoints: an interrupted job resumes); the export runs it
again with the reviewer's decisions file, exactly as ``anonymise --decisions`` does.

While a job runs, each chunk's detections are appended to ``detections/live.csv`` and
``job.json`` says how many rows they cover, so the review page shows the answers done so far
(with their highlights) after the first chunk instead of after the whole file.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.engine import ENTITY_COLUMNS, AnonymisedFrame
from lived_experience.anonymise.files import anonymise_file
from lived_experience.anonymise.review import Decisions
from lived_experience.app.workspace import PRIVATE_FILE, Job, Workspace
from lived_experience.errors import LivedExperienceError
from lived_experience.output import escape_formula, format_csv, formula_escape_default

logger = logging.getLogger("lived_experience.app")
#: Rows per chunk while the page watches (progress is reported after each chunk).
RUN_CHUNK = 200


class JobRunner:
    """One worker thread; jobs are (kind, job id) pairs taken in order."""

    def __init__(
        self,
        workspace: Workspace,
        anonymiser_factory: Callable[[], Anonymiser],
        on_export: Callable[[Job, Anonymiser], None],
    ) -> None:
        self.workspace = workspace
        self._factory = anonymiser_factory
        self._anonymiser: Anonymiser | None = None
        self._on_export = on_export
        self._queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self._mark_interrupted()

    @property
    def anonymiser(self) -> Anonymiser:
        with self.lock:
            if self._anonymiser is None:
                self._anonymiser = self._factory()
            return self._anonymiser

    def _mark_interrupted(self) -> None:
        """Jobs left running by a previous launch can be resumed, not left spinning."""
        for job in self.workspace.jobs():
            changed = False
            if job.meta.status in {"queued", "running"}:
                job.meta.status, changed = "interrupted", True
            if job.meta.export_status in {"queued", "running"}:
                job.meta.export_status, changed = "interrupted", True
            if changed:
                job.save()

    def submit(self, kind: str, job: Job) -> None:
        if kind == "anonymise":
            job.meta.status, job.meta.error = "queued", ""
        else:
            job.meta.export_status, job.meta.export_error = "queued", ""
        job.save()
        self._queue.put((kind, job.meta.job_id))
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._work, name="le-jobs", daemon=True)
            self._thread.start()

    def wait_idle(self, timeout: float = 600.0) -> None:
        """Block until every submitted job has finished (tests, benchmarks)."""
        end = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < end:
            time.sleep(0.05)

    def _work(self) -> None:
        while True:
            try:
                kind, job_id = self._queue.get(timeout=1.0)
            except queue.Empty:
                return
            try:
                job = self.workspace.get(job_id)
                if job is not None:
                    (self._anonymise if kind == "anonymise" else self._export)(job)
            finally:
                self._queue.task_done()

    def _anonymise(self, job: Job) -> None:
        meta = job.meta
        meta.status, meta.kind = "running", "anonymise"
        meta.rows_done, meta.rows_total = 0, meta.rows
        meta.started = time.time()
        job.save()
        last_save = [0.0]

        def progress(rows: int) -> None:
            meta.rows_done += rows
            if time.monotonic() - last_save[0] > 0.3:
                last_save[0] = time.monotonic()
                job.save()

        try:
            summary = anonymise_file(
                job.input_path,
                job.run_output,
                meta.text_columns,
                meta.id_column or None,
                self.anonymiser,
                entities_path=job.entities_path,
                chunk_size=RUN_CHUNK,
                progress=progress,
                engine=self._live_engine(job),
            )
        except LivedExperienceError as exc:
            meta.status, meta.error = "failed", str(exc)
            job.save()
            return
        except Exception as exc:  # never a traceback with data on the page or in the log
            logger.error("job %s failed: %s", meta.job_id, type(exc).__name__)
            meta.status = "failed"
            meta.error = f"[LE000] the anonymisation stopped ({type(exc).__name__})."
            job.save()
            return
        for path in (job.run_output, job.entities_path):
            if path.exists():
                os.chmod(path, PRIVATE_FILE)
        meta.rows_done = meta.rows_total
        meta.summary = {
            "rows": summary.rows,
            "cells_changed": summary.cells_changed,
            "by_type": dict(sorted(summary.by_type.items())),
            "flagged_indirect": summary.flagged_indirect,
        }
        meta.status, meta.finished = "done", time.time()
        job.save()
        logger.info("job %s anonymised %d rows", meta.job_id, summary.rows)

    def _live_engine(self, job: Job) -> Callable[..., Iterator[AnonymisedFrame]]:
        """The local engine, publishing each chunk's detections for the review page.

        A resumed run skips the chunks done before; their detections are already in the
        live file (each chunk is published before the checkpoint that records it), so
        publishing carries on. If they are not (the file was removed), nothing more is
        published and the review waits for the end of the job.
        """
        anonymiser = self.anonymiser
        meta = job.meta

        def engine(
            chunks: Iterator[pd.DataFrame],
            columns: list[str],
            key: str | None,
            decisions: Decisions | None,
        ) -> Iterator[AnonymisedFrame]:
            publish: bool | None = None
            for chunk in chunks:
                result = anonymiser.anonymise_frame(chunk, columns, key, decisions=decisions)
                if publish is None:  # rows_done now counts the chunks a resume skipped
                    publish = meta.rows_done <= meta.live_records
                    if not publish:
                        meta.live_records = meta.live_bytes = 0
                        job.save()
                if publish:
                    _append_live(job, result.entities, meta.rows_done + len(chunk))
                yield result

        return engine

    def _export(self, job: Job) -> None:
        meta = job.meta
        meta.export_status = "running"
        job.save()
        try:
            self._on_export(job, self.anonymiser)
        except LivedExperienceError as exc:
            meta.export_status, meta.export_error = "failed", str(exc)
            job.save()
            return
        except Exception as exc:
            logger.error("export of job %s failed: %s", meta.job_id, type(exc).__name__)
            meta.export_status = "failed"
            meta.export_error = f"[LE000] the export stopped ({type(exc).__name__})."
            job.save()
            return
        meta.export_status = "done"
        job.save()


def _append_live(job: Job, entities: pd.DataFrame, records: int) -> None:
    """Append one chunk's detections to the live file (0600) and say so in ``job.json``."""
    meta = job.meta
    path = job.live_path
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(fd, "r+b") as handle:
        if meta.live_bytes == 0:
            handle.truncate(0)
            handle.write(format_csv(pd.DataFrame(columns=list(ENTITY_COLUMNS))).encode("utf-8"))
        else:  # drop anything written after the last chunk job.json records
            handle.truncate(meta.live_bytes)
        handle.seek(0, os.SEEK_END)
        handle.write(format_csv(entities[list(ENTITY_COLUMNS)], header=False).encode("utf-8"))
        meta.live_bytes = handle.tell()
    meta.live_records = max(meta.live_records, records)
    job.save()


def export_anonymised(job: Job, anonymiser: Anonymiser) -> Path:
    """Anonymise the input again with the reviewer's decisions, as the command line does.

    Equivalent to ``lived-experience anonymise INPUT --text-column ... --id-column ...
    --decisions decisions.csv [--quasi-identifier ... --k K] --output OUT`` with the same
    secret and settings, so the two give byte-identical CSV.
    """
    from lived_experience.anonymise.disclosure import enforce_k_anonymity
    from lived_experience.ingest import read_survey
    from lived_experience.output import write_table

    meta = job.meta
    output = job.export / job.export_name()
    entities = job.work / "export_entities.csv"
    summary = anonymise_file(
        job.input_path,
        output,
        meta.text_columns,
        meta.id_column or None,
        anonymiser,
        entities_path=entities,
        decisions=Decisions.read(job.decisions_path),
    )
    os.chmod(entities, PRIVATE_FILE)
    disclosure: dict[str, object] = {}
    if meta.attribute_columns:
        frame = read_survey(output)
        protected, report = enforce_k_anonymity(frame, meta.attribute_columns, meta.k)
        write_table(protected, output, escape_columns=meta.text_columns)
        disclosure = {
            "generalised": dict(report.generalised),
            "suppressed_rows": report.suppressed_rows,
            "small_groups_before": report.small_groups_before,
            "small_groups_after": report.small_groups_after,
        }
    sheets = complete_workbook(job, output) if meta.suffix == ".xlsx" else {}
    meta.summary["export"] = {
        "rows": summary.rows,
        "cells_changed": summary.cells_changed,
        "by_type": dict(sorted(summary.by_type.items())),
        "flagged_indirect": summary.flagged_indirect,
        "disclosure": disclosure,
        "sheets": sheets,
    }
    return output


def sheet_outcomes(job: Job) -> dict[str, str]:
    """What the export does with each sheet of a workbook, in the workbook's order."""
    meta = job.meta
    outcomes = {}
    for name in meta.sheets:
        info = meta.sheet_info.get(name, {})
        rows = info.get("rows", 0)
        if name == meta.sheet:
            outcomes[name] = f"anonymised and reviewed ({meta.rows} rows)"
        elif name in meta.copy_sheets:
            outcomes[name] = f"copied unchanged ({rows} rows, no free-text column found)"
        else:
            free = len(info.get("free_text", []))
            why = f"{free} free-text column(s) not anonymised" if free else "not chosen"
            outcomes[name] = f"withheld: name and header row only ({rows} rows left out; {why})"
    return outcomes


def complete_workbook(job: Job, output: Path) -> dict[str, str]:
    """Give the exported workbook every sheet of the upload, with its name, in its place.

    The reviewed sheet is the anonymised one. Other sheets are not anonymised, so none is
    passed through unless the user chose to copy it, and only a sheet in which no free-text
    column was found can be chosen (:meth:`LivedExperienceApp.run` refuses the others);
    every other sheet keeps its name and header row (the column order) and loses its rows.
    Returns each sheet's outcome for the information-governance record.
    """
    from openpyxl import load_workbook

    from lived_experience.output import atomic_path

    meta = job.meta
    book = load_workbook(output)
    book.worksheets[0].title = meta.sheet[:31]
    source = load_workbook(job.upload_path, read_only=True, data_only=True)
    escape = formula_escape_default()
    try:
        for index, name in enumerate(meta.sheets):
            if name == meta.sheet:
                continue
            target = book.create_sheet(name, index)
            rows = source[name].iter_rows(values_only=True)
            if name not in meta.copy_sheets:
                rows = iter([next(rows, ())])  # the header row only
            for values in rows:
                target.append([_safe_cell(v, escape) for v in values])
                for cell in target[target.max_row]:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # text, never a formula
    finally:
        source.close()
    with atomic_path(output) as tmp:
        book.save(tmp)
    return sheet_outcomes(job)


def _safe_cell(value: Any, escape: bool) -> Any:
    if isinstance(value, str) and escape:
        return str(escape_formula(value))
    return value
