"""The review app's workspace: one folder per job, original values kept private.

Layout (``WORKSPACE/jobs/<job id>/``)::

    job.json          settings and status (file name, hash, columns, progress): no answer text
    work/             SENSITIVE, mode 0700, files 0600: the uploaded input, the detections
                      (detections/entities.csv, and detections/live.csv, written chunk by
                      chunk while the job runs so the review can start), the decisions file,
                      the review state
    export/           what may leave the secure environment: the anonymised file and the
                      information-governance record

Jobs are keyed by a random id, so a second upload never touches the first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.errors import InputFileError
from lived_experience.output import write_text_atomic

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
JOB_ID = re.compile(r"^[a-z0-9]{12}$")
UPLOAD_SUFFIXES = (".csv", ".xlsx")

#: Column names that suggest a role (lower-cased substrings). Organisation and site columns
#: are left for the user to tick: with them most combinations fall under k.
_ID_HINTS = ("respondent_id", "response_id", "responseid", "record_id", "id")
_TEXT_HINTS = ("comment", "experience", "text", "answer", "improve", "free", "why", "q_")
_ATTRIBUTE_HINTS = (
    "ethnic",
    "band",
    "staff_group",
    "occupation",
    "length_of_service",
    "service",
    "gender",
    "sex",
    "age",
    "disab",
    "religion",
    "sexual",
)


def default_workspace() -> Path:
    """``$XDG_DATA_HOME/lived_experience/app`` (default ``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lived_experience" / "app"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def sniff_upload(head: bytes, suffix: str, name: str) -> None:
    """Refuse content that does not match its extension (checked before any parsing).

    An .xlsx must be a zip container; a .csv must be text, not HTML or a binary file.
    """
    if suffix not in UPLOAD_SUFFIXES:
        raise InputFileError(
            f"'{name}' has extension '{suffix or '(none)'}'; upload a .csv or .xlsx survey "
            "export. Fix: export the survey as CSV or Excel workbook."
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = stripped.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body"))
    if suffix == ".xlsx" and not head.startswith(b"PK\x03\x04"):
        if looks_html or stripped.startswith(b"<"):
            raise InputFileError(
                f"'{name}' ends in .xlsx but is really an HTML page (some survey tools export "
                "'Excel' files this way). Fix: open it in Excel and 'Save As' Excel Workbook "
                "(.xlsx), or export the survey as CSV."
            )
        raise InputFileError(
            f"'{name}' ends in .xlsx but is not an Excel workbook. Fix: export the survey "
            "again as .xlsx or CSV."
        )
    if suffix == ".csv" and (looks_html or b"\x00" in head):
        raise InputFileError(
            f"'{name}' ends in .csv but is not a text table (it looks like "
            f"{'an HTML page' if looks_html else 'a binary file'}). Fix: export the survey "
            "as CSV."
        )


def safe_upload_name(name: str) -> str:
    """The uploaded file's base name, for display and the export's name (no folders)."""
    base = Path(name.replace("\\", "/")).name.strip() or "upload.csv"
    return re.sub(r"[^\w .()-]", "_", base)[:120]


@dataclass
class JobMeta:
    """Everything about a job except data: stored as ``job.json``."""

    job_id: str
    file_name: str
    suffix: str
    sha256: str
    size: int
    created: float
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    text_columns: list[str] = field(default_factory=list)
    id_column: str = ""
    attribute_columns: list[str] = field(default_factory=list)
    k: int = 11
    status: str = "uploaded"  # uploaded, queued, running, done, failed, interrupted
    kind: str = ""  # anonymise or export (the job step running or last run)
    rows_done: int = 0
    rows_total: int = 0
    started: float = 0.0
    finished: float = 0.0
    error: str = ""
    export_status: str = ""  # "", queued, running, done, failed
    export_error: str = ""
    export_files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    #: a new id for every fresh anonymisation run (a resumed run keeps it)
    run_id: str = ""
    #: rows anonymised so far whose detections are in detections/live.csv, and its size
    live_records: int = 0
    live_bytes: int = 0
    #: a workbook's other sheets: name -> {"rows": n, "columns": n, "free_text": [columns]}
    sheet_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: other sheets the user chose to copy unchanged (the rest keep their name and header only)
    copy_sheets: list[str] = field(default_factory=list)

    def rows_anonymised(self) -> int:
        """Rows anonymised so far: a chunk counts once its detections are published for
        the review, a moment before its output is written."""
        if self.status != "running":
            return self.rows_done
        return min(max(self.rows_done, self.live_records), self.rows_total or self.rows)

    def seconds_left(self, now: float | None = None) -> float | None:
        """Estimated seconds to finish the running step, from the rate so far."""
        done = self.rows_anonymised()
        if self.status != "running" or not done or not self.rows_total:
            return None
        elapsed = (now or time.time()) - self.started
        return max(0.0, elapsed / done * (self.rows_total - done))


class Job:
    """One upload and everything made from it."""

    def __init__(self, root: Path, meta: JobMeta) -> None:
        self.root = root
        self.meta = meta

    # -- paths --------------------------------------------------------------------------
    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def export(self) -> Path:
        return self.root / "export"

    @property
    def input_path(self) -> Path:
        """The table the anonymiser reads, as CSV (a workbook's chosen sheet, as text), so
        the job runs in chunks and the review can start after the first one."""
        return self.work / "input.csv"

    @property
    def upload_path(self) -> Path:
        return self.work / f"upload{self.meta.suffix}"

    @property
    def entities_path(self) -> Path:
        """The detections with original values: a private folder of their own (never beside
        an anonymised file, which the toolkit refuses)."""
        return private_dir(self.work / "detections") / "entities.csv"

    @property
    def live_path(self) -> Path:
        """Detections of the rows done so far, appended chunk by chunk while the job runs."""
        return private_dir(self.work / "detections") / "live.csv"

    @property
    def decisions_path(self) -> Path:
        return self.work / "decisions.csv"

    @property
    def review_log_path(self) -> Path:
        """The journal of review changes, appended as they are made."""
        return self.work / "review_log.jsonl"

    @property
    def state_path(self) -> Path:
        return self.work / "review_state.json"

    @property
    def run_output(self) -> Path:
        """The unreviewed anonymisation (kept in work/: it has not been checked yet)."""
        return self.work / "anonymised.csv"

    def export_name(self) -> str:
        stem = Path(self.meta.file_name).stem or "survey"
        return f"{stem}_anonymised{self.meta.suffix}"

    def save(self) -> None:
        write_text_atomic(
            self.root / "job.json", json.dumps(asdict(self.meta), indent=1, sort_keys=True)
        )


class Workspace:
    """All jobs of one workspace folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        private_dir(self.root)
        private_dir(self.root / "jobs")

    def new_job(self, file_name: str, data_path: Path) -> Job:
        """Move an uploaded file (already size-checked and sniffed) into a new job."""
        name = safe_upload_name(file_name)
        suffix = Path(name).suffix.lower()
        job_id = secrets.token_hex(6)
        root = private_dir(self.root / "jobs" / job_id)
        private_dir(root / "work")
        (root / "export").mkdir(exist_ok=True)
        meta = JobMeta(
            job_id=job_id,
            file_name=name,
            suffix=suffix,
            sha256=file_sha256(data_path),
            size=data_path.stat().st_size,
            created=time.time(),
        )
        job = Job(root, meta)
        os.replace(data_path, job.upload_path)
        os.chmod(job.upload_path, PRIVATE_FILE)
        return job

    def get(self, job_id: str) -> Job | None:
        if not JOB_ID.match(job_id):
            return None
        path = self.root / "jobs" / job_id / "job.json"
        if not path.exists():
            return None
        meta = JobMeta(**json.loads(path.read_text(encoding="utf-8")))
        return Job(path.parent, meta)

    def jobs(self) -> list[Job]:
        found = [self.get(p.name) for p in (self.root / "jobs").iterdir() if p.is_dir()]
        return sorted((j for j in found if j), key=lambda j: -j.meta.created)

    def upload_dir(self) -> Path:
        return private_dir(self.root / "uploads")


def suggest_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """Suggest the id, free-text and attribute columns from names and cardinality.

    A column whose values are all different is an id; long, varied text is free text; a
    column with few distinct values whose name suggests a personal attribute (ethnicity,
    band, staff group, length of service...) is an attribute for disclosure control.
    """
    n = max(len(frame), 1)
    stats: dict[str, dict[str, float]] = {}
    for column in frame.columns:
        values = frame[column].astype(str)
        filled = values[values.str.strip() != ""]
        stats[column] = {
            "distinct": float(values.nunique()),
            "mean_words": float(filled.str.split().str.len().mean()) if len(filled) else 0.0,
        }
    ids = [
        c
        for c in frame.columns
        if stats[c]["distinct"] == n and stats[c]["mean_words"] <= 2 and n > 1
    ]
    id_column = next(
        (c for hint in _ID_HINTS for c in ids if hint in c.lower()), ids[0] if ids else ""
    )
    text = [
        c
        for c in frame.columns
        if c != id_column
        and stats[c]["distinct"] >= max(2, 0.05 * n)  # answers vary; category labels repeat
        and (
            stats[c]["mean_words"] >= 6
            or (stats[c]["mean_words"] >= 3 and any(h in c.lower() for h in _TEXT_HINTS))
        )
    ]
    attributes = [
        c
        for c in frame.columns
        if c != id_column
        and c not in text
        and stats[c]["distinct"] <= max(50, n // 20)
        and stats[c]["distinct"] > 1
        and any(h in c.lower() for h in _ATTRIBUTE_HINTS)
    ]
    return {
        "id_column": id_column,
        "text_columns": text,
        "attribute_columns": attributes,
        "distinct": {c: int(s["distinct"]) for c, s in stats.items()},
    }
