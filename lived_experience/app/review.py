"""A reviewer's session over one job: detections, decisions, filters and progress.

The decisions are kept in exactly the file the command line reads
(:class:`lived_experience.anonymise.review.Decisions`): the entities table written by
``anonymise --entities`` with its ``decision`` column edited (``reject``), indirect
identifiers the reviewer removes set to ``add``, and new ``add`` rows for what the reviewer
selected, so ``lived-experience anonymise ... --decisions decisions.csv`` gives the page's
result.

Saving: each change is appended at once to a journal (``review_log.jsonl``, one line, mode
0600), so a decision costs the same with 200 answers or 20,000; the decisions file and the
review state are rewritten from memory (atomically, 0600) a moment later, in the background,
and always before the file is downloaded or exported. A session loaded after the app stopped
reads the last decisions file and replays the journal lines written after it.

A session can start while the job still runs: :meth:`ReviewSession.refresh` takes in the
detections of the rows anonymised since (the live file the job appends chunk by chunk), and,
once the job is done, any the live file lacked from the final entities table. Detections
are taken in whole answers, so an answer seen twice (a resumed job redoes a chunk) is taken
once. Row numbers never change: the page's buttons name them.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import json
import logging
import os
import random
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from lived_experience.anonymise.engine import ENTITY_COLUMNS
from lived_experience.errors import DecisionsFileError
from lived_experience.output import (
    escape_formula,
    format_csv_row,
    unescape_formula,
    write_text_atomic,
)

logger = logging.getLogger("lived_experience.app")
CellKey = tuple[str, str]  # record id, field
SAMPLE_SIZE = 50
#: The sample of answers without detections is drawn block by block of this many rows, in
#: proportion, so it can grow while the job runs and never changes once drawn.
SAMPLE_BLOCK = 200
INDIRECT_ACTIONS = ("keep", "generalise", "remove")
_DETAIL = re.compile(r"\b(?:in|at|on|of|within|across|to)\s+(?:the\s+)?", re.IGNORECASE)
_PLACEHOLDER = {c: "" for c in ENTITY_COLUMNS}
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _locked(
    method: Callable[Concatenate[ReviewSession, _P], _R],
) -> Callable[Concatenate[ReviewSession, _P], _R]:
    """Run a method under the session's lock (requests and the refresh use other threads)."""

    @functools.wraps(method)
    def wrapper(self: ReviewSession, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


@dataclass
class _CellIndex:
    """Answers (cell keys) by entity type, by recogniser, the indirect ones, best scores."""

    types: dict[str, set[CellKey]] = field(default_factory=dict)
    recognisers: dict[str, set[CellKey]] = field(default_factory=dict)
    high: set[CellKey] = field(default_factory=set)
    best: dict[CellKey, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CellView:
    """One answer as the review page shows it."""

    key: CellKey
    text: str
    rows: tuple[int, ...]
    sample: bool
    reviewed: bool


class ReviewSession:
    """Detections and decisions for one job, in memory, saved after every change.

    Parameters
    ----------
    texts:
        ``{(record id, field): original text}`` for every answer in the job, in file order.
    entities_path:
        The entities table the anonymisation writes at its end (SENSITIVE).
    decisions_path, state_path:
        Where the decisions file and the page's own review state (ids only) are saved.
    seed:
        Seeds the sample of answers without detections (the job id, so it is stable).
    live_path:
        The detections of the rows done so far while the job runs (see :meth:`refresh`).
    run_id:
        The job's run this session belongs to (a fresh run needs a fresh session).
    log_path:
        The journal of changes (default ``review_log.jsonl`` beside the state).
    save_delay:
        Seconds after a change before the decisions file is rewritten (see :meth:`flush`).
    """

    def __init__(
        self,
        texts: dict[CellKey, str],
        entities_path: Path,
        decisions_path: Path,
        state_path: Path,
        seed: str,
        sample_size: int = SAMPLE_SIZE,
        live_path: Path | None = None,
        run_id: str = "",
        log_path: Path | None = None,
        save_delay: float = 1.0,
    ) -> None:
        self.texts = texts
        self.log_path = log_path or state_path.with_name("review_log.jsonl")
        self.save_delay = save_delay
        self._log_ops = 0
        self._replaying = False
        self._dirty = False
        self._closed = False
        self._timer: threading.Timer | None = None
        self.entities_path = entities_path
        self.live_path = live_path
        self.decisions_path = decisions_path
        self.state_path = state_path
        self.seed = seed
        self.sample_size = sample_size
        self.run_id = run_id
        self.lock = threading.RLock()
        self._order = {key: i for i, key in enumerate(texts)}
        self._records: list[str] = list(dict.fromkeys(record for record, _ in texts))
        self._fields: dict[str, list[str]] = {}
        for record, field_name in texts:
            self._fields.setdefault(record, []).append(field_name)
        state: dict[str, Any] = {}
        if state_path.exists() and decisions_path.exists():
            state = json.loads(state_path.read_text(encoding="utf-8"))
        self.decided: set[int] = set(state.get("decided", []))
        self.checked: set[CellKey] = {(str(a), str(b)) for a, b in state.get("checked", [])}
        self.allowed: list[str] = list(state.get("allowed", []))
        self.indirect: dict[int, str] = {int(k): v for k, v in state.get("indirect", {}).items()}
        #: indirect row -> the row added when it was generalised
        self.generalised_rows: dict[int, int] = {
            int(k): int(v) for k, v in state.get("generalised_rows", {}).items()
        }
        self.deleted: set[int] = set(state.get("deleted", []))
        #: bytes of the live file and rows of the input taken in so far; True once the job
        #: is done and its final entities table has been taken in
        self.ingested_bytes = int(state.get("ingested_bytes", 0))
        self.records_done = int(state.get("records_done", 0))
        self.complete = bool(state.get("complete", False))
        self.sample: list[CellKey] = [(str(a), str(b)) for a, b in state.get("sample", [])]
        self._sample_blocks = int(state.get("sample_blocks", 0))
        self.rows: list[dict[str, str]] = []
        if decisions_path.exists():
            self.rows = self._read_saved(decisions_path, int(state.get("rows", -1)))
            self._log_ops = int(state.get("log_ops", 0))
        self._lines: dict[int, tuple[tuple[str, ...], str]] = {}
        self._touched: set[CellKey] = set()
        self._facets: dict[str, list[str]] | None = None
        self._cells_by: _CellIndex | None = None
        self._facts: list[tuple[str, frozenset[str], float]] = []
        self._filtered: dict[tuple[str, str, float, str], list[CellKey]] = {}
        self._ingested: set[CellKey] = {
            (r["record_id"], r["field"])
            for i, r in enumerate(self.rows)
            if i not in self.deleted and r["recogniser"] != "reviewer"
        }
        self._index()
        self._sample_set = set(self.sample)
        self._reviewed: set[CellKey] = set()
        self._rebuild_queue()
        if not decisions_path.exists():
            self.log_path.unlink(missing_ok=True)  # a journal without its snapshot: stale
            self.save()
        elif self._replay():
            self.save()

    def _read_saved(self, path: Path, total: int) -> list[dict[str, str]]:
        """The saved decisions file, with the rows the reviewer deleted put back as empty
        placeholders, so every row keeps the number the state (and the page) knows it by."""
        with path.open(encoding="utf-8", newline="") as handle:
            saved = [
                {c: row.get(c, "") or "" for c in ENTITY_COLUMNS} for row in csv.DictReader(handle)
            ]
        if total < 0:  # no state saved with it: the file as it is
            self.deleted.clear()
            return saved
        if total != len(saved) + len(self.deleted):
            raise DecisionsFileError(
                "the review's decisions file does not match its saved state (it was edited "
                "outside the page). Fix: run the job again from the setup page."
            )
        lines = iter(saved)
        return [dict(_PLACEHOLDER) if i in self.deleted else next(lines) for i in range(total)]

    # -- taking in detections -------------------------------------------------------------
    def refresh(self, done: bool, live_records: int = 0, live_bytes: int = 0) -> bool:
        """Take in the detections anonymised since the last call; True if any came.

        ``done``: the job has finished (its entities table is complete); otherwise
        ``live_records`` rows are done and their detections fill the live file's first
        ``live_bytes`` bytes.
        """
        with self.lock:
            if self.complete:
                return False
            if done:
                with self.entities_path.open(encoding="utf-8", newline="") as handle:
                    self._take(csv.DictReader(handle))
                self.records_done = len(self._records)
                self.complete = True
            elif self.live_path is not None and live_bytes > self.ingested_bytes:
                with self.live_path.open("rb") as handle:
                    handle.seek(self.ingested_bytes)
                    data = handle.read(live_bytes - self.ingested_bytes)
                reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
                if self.ingested_bytes == 0:
                    next(reader, None)  # the header
                self._take(dict(zip(ENTITY_COLUMNS, line, strict=True)) for line in reader)
                self.ingested_bytes = live_bytes
                self.records_done = max(self.records_done, min(live_records, len(self._records)))
            else:
                return False
            self._draw_sample()
            self._rebuild_queue()
            self.save()
            return True

    def _take(self, rows: Iterable[dict[str, str]]) -> None:
        """Append detections of answers not taken in before (whole answers at a time)."""
        fresh: set[CellKey] = set()
        for row in rows:
            key = (row["record_id"], row["field"])
            if key in self._ingested and key not in fresh:
                continue
            fresh.add(key)
            self.rows.append({c: row.get(c, "") or "" for c in ENTITY_COLUMNS})
            self.by_cell.setdefault(key, []).append(len(self.rows) - 1)
        self._ingested |= fresh
        self._facets = None
        self._cells_by = None

    def _draw_sample(self) -> None:
        """Draw the sample of answers without detections for every block of rows now done.

        Each block gets its share of ``sample_size`` (in proportion to its rows), drawn at
        random (seeded by the job and the block) from its answers of three words or more
        with no detection: "N/A" and one-word answers hold no identifier worth a look.
        """
        total = len(self._records)
        while True:
            start = self._sample_blocks * SAMPLE_BLOCK
            end = min(start + SAMPLE_BLOCK, total)
            if start >= total or self.records_done < end:
                return
            quota = self.sample_size * end // total - self.sample_size * start // total
            candidates = [
                (record, field_name)
                for record in self._records[start:end]
                for field_name in self._fields[record]
                if (record, field_name) not in self._ingested
                and len(self.texts[(record, field_name)].split()) >= 3
            ]
            rng = random.Random(f"{self.seed}:{self._sample_blocks}")
            chosen = rng.sample(candidates, min(quota, len(candidates)))
            self.sample.extend(sorted(chosen, key=self._order.__getitem__))
            self._sample_set.update(chosen)
            self._sample_blocks += 1

    def _rebuild_queue(self) -> None:
        """The answers to review, in file order: those with detections, then the sample."""
        order = self._order
        self.queue: list[CellKey] = sorted(
            set(self.by_cell) | self._sample_set, key=lambda k: order.get(k, len(order))
        )
        self._queue_set = set(self.queue)
        self._reviewed = {k for k in self.queue if self.is_reviewed(k)}
        self._filtered.clear()

    @property
    def records_total(self) -> int:
        """Rows of the input (records): the job is done when all are."""
        return len(self._records)

    @property
    def live(self) -> bool:
        """Whether the job is still anonymising (more answers will come)."""
        return not self.complete

    # -- indexes ------------------------------------------------------------------------
    def _index(self) -> None:
        self._facets = None
        self._cells_by = None
        self.by_cell: dict[CellKey, list[int]] = {}
        for i, row in enumerate(self.rows):
            if i in self.deleted:
                continue
            self.by_cell.setdefault((row["record_id"], row["field"]), []).append(i)

    def original(self, row: int) -> str:
        r = self.rows[row]
        text = self.texts.get((r["record_id"], r["field"]), "")
        return text[int(r["start"]) : int(r["end"])]

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> None:
        """Write the decisions file (the CLI's format) and the review state, atomically.

        Each row's CSV line is kept and re-rendered only when the row changes.
        """
        if self._closed:
            return
        lines = [_csv_line(ENTITY_COLUMNS)]
        for i, row in enumerate(self.rows):
            if i in self.deleted:
                continue
            values = tuple(row[c] for c in ENTITY_COLUMNS)
            cached = self._lines.get(i)
            if cached is None or cached[0] != values:
                cached = (values, _csv_line(values))
                self._lines[i] = cached
            lines.append(cached[1])
        write_text_atomic(self.decisions_path, "".join(lines), mode=0o600)
        state = {
            "decided": sorted(self.decided),
            "checked": sorted(self.checked),
            "allowed": self.allowed,
            "indirect": {str(k): v for k, v in sorted(self.indirect.items())},
            "generalised_rows": {str(k): v for k, v in sorted(self.generalised_rows.items())},
            "deleted": sorted(self.deleted),
            "rows": len(self.rows),
            "ingested_bytes": self.ingested_bytes,
            "records_done": self.records_done,
            "complete": self.complete,
            "sample": self.sample,
            "sample_blocks": self._sample_blocks,
            "log_ops": self._log_ops,
        }
        write_text_atomic(self.state_path, json.dumps(state), mode=0o600)
        self._dirty = False
        self._settle()

    def _settle(self) -> None:
        """Bring "reviewed N of M" up to date for the answers just changed."""
        self._filtered.clear()
        for key in self._touched:
            if key in self._queue_set and self.is_reviewed(key):
                self._reviewed.add(key)
            else:
                self._reviewed.discard(key)
        self._touched.clear()

    def close(self, save: bool = True) -> None:
        """Stop this session (its job runs again): save first, or drop unsaved changes."""
        if save:
            self.flush()
        with self.lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._closed = True

    def flush(self) -> None:
        """Write the decisions file and the state now if a change is not in them yet."""
        with self.lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._dirty:
                self.save()

    def _record(self, op: dict[str, Any]) -> None:
        """Journal one change (appended at once) and rewrite the files a moment later."""
        self._settle()
        if self._replaying or self._closed:
            return
        line = (json.dumps(op, sort_keys=True) + "\n").encode("utf-8")
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        self._log_ops += 1
        self._dirty = True
        if self.save_delay <= 0:
            self.save()
        elif self._timer is None:
            self._timer = threading.Timer(self.save_delay, self._timed_flush)
            self._timer.daemon = True
            self._timer.start()

    def _timed_flush(self) -> None:
        with self.lock:
            self._timer = None
            try:
                if self._dirty:
                    self.save()
            except Exception as exc:  # the journal holds the change; the next save retries
                logger.error("could not save the review's decisions file: %s", type(exc).__name__)

    def _replay(self) -> bool:
        """Apply the journal lines written after the saved files; True if any were."""
        if not self.log_path.exists():
            return False
        lines = self.log_path.read_bytes().split(b"\n")
        pending = lines[self._log_ops :]
        replayed = 0
        self._replaying = True
        try:
            for line in pending:
                try:
                    op = json.loads(line)
                except ValueError:  # the end, or a line cut short when the app stopped
                    break
                self._apply(op)
                replayed += 1
        finally:
            self._replaying = False
        self._log_ops += replayed
        return replayed > 0

    def _apply(self, op: dict[str, Any]) -> None:
        kind = op.get("op")
        if kind == "decide":
            self.decide(int(op["row"]), str(op["decision"]))
        elif kind == "reject_word":
            self.reject_everywhere(int(op["row"]))
        elif kind == "add":
            record, field_name = op["key"]
            self.add(record, field_name, int(op["start"]), int(op["end"]), str(op["type"]))
        elif kind == "indirect":
            self.indirect_action(int(op["row"]), str(op["action"]))
        elif kind == "check":
            record, field_name = op["key"]
            self.toggle_checked((str(record), str(field_name)))

    # -- decisions ------------------------------------------------------------------------
    def _row(self, row: int) -> dict[str, str]:
        if not 0 <= row < len(self.rows) or row in self.deleted:
            raise DecisionsFileError(f"there is no detection number {row}. Fix: reload the page.")
        return self.rows[row]

    @_locked
    def decide(self, row: int, decision: str) -> CellKey:
        """Accept or reject one detection (rejecting a reviewer's own addition removes it)."""
        if decision not in {"accept", "reject"}:
            raise DecisionsFileError("decision must be accept or reject.")
        r = self._row(row)
        if r["risk"] == "high":
            raise DecisionsFileError(
                "indirect identifiers are kept, generalised or removed. Fix: use those buttons."
            )
        key = (r["record_id"], r["field"])
        self._touched.add(key)
        if r["decision"] == "add" and decision == "reject":
            self.deleted.add(row)
            self.decided.discard(row)
            for source, added in list(self.generalised_rows.items()):
                if added == row:
                    del self.generalised_rows[source]
                    self.indirect.pop(source, None)
                    self.decided.discard(source)
            self._index()
        else:
            r["decision"] = decision if r["decision"] != "add" else "add"
            self.decided.add(row)
        self._record({"op": "decide", "row": row, "decision": decision})
        return key

    @_locked
    def reject_everywhere(self, row: int) -> int:
        """Reject every detection of the same word (case-insensitive); return how many."""
        word = self.original(row).casefold().strip()
        if not word:
            return 0
        count = 0
        for i, r in enumerate(self.rows):
            if (
                i in self.deleted
                or r["risk"] == "high"
                or r["decision"] == "add"
                or self.original(i).casefold().strip() != word
            ):
                continue
            r["decision"] = "reject"
            self.decided.add(i)
            self._touched.add((r["record_id"], r["field"]))
            count += 1
        if word not in self.allowed:
            self.allowed.append(word)
        self._record({"op": "reject_word", "row": row})
        return count

    @_locked
    def add(self, record_id: str, field_name: str, start: int, end: int, entity_type: str) -> int:
        """Add a missed identifier the reviewer selected; return its row number."""
        key = (record_id, field_name)
        text = self.texts.get(key)
        if text is None:
            raise DecisionsFileError(
                f"there is no answer for record '{record_id}', field '{field_name}'. Fix: "
                "reload the page."
            )
        if not 0 <= start < end <= len(text):
            raise DecisionsFileError(
                "the selection is empty or outside the answer. Fix: select the words again."
            )
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not 0 <= start < end <= len(text):
            raise DecisionsFileError(
                "the selection is empty or outside the answer. Fix: select the words again."
            )
        entity = re.sub(r"[^A-Z_]", "", entity_type.upper()) or "MANUAL"
        row = self._append(key, start, end, entity, "selection")
        self._record({"op": "add", "key": key, "start": start, "end": end, "type": entity})
        return row

    def _append(self, key: CellKey, start: int, end: int, entity: str, pattern: str) -> int:
        text = self.texts[key]
        self.rows.append(
            {
                "record_id": key[0],
                "field": key[1],
                "start": str(start),
                "end": str(end),
                "entity_type": entity,
                "score": "1.0",
                "recogniser": "reviewer",
                "pattern": pattern,
                "risk": "",
                "original": str(escape_formula(text[start:end])),
                "replacement": "",
                "decision": "add",
            }
        )
        row = len(self.rows) - 1
        self.decided.add(row)
        self._touched.add(key)
        self.by_cell.setdefault(key, []).append(row)
        self._facets = None
        self._cells_by = None
        if key not in self._queue_set:  # an answer outside the queue: put it in its place
            order = self._order
            bisect.insort(self.queue, key, key=lambda k: order.get(k, len(order)))
            self._queue_set.add(key)
        return row

    @_locked
    def indirect_action(self, row: int, action: str) -> CellKey:
        """Keep, generalise (tag its place or group detail) or remove an indirect identifier."""
        if action not in INDIRECT_ACTIONS:
            raise DecisionsFileError(f"action must be one of {', '.join(INDIRECT_ACTIONS)}.")
        r = self._row(row)
        if r["risk"] != "high":
            raise DecisionsFileError("only indirect identifiers can be kept or generalised.")
        key = (r["record_id"], r["field"])
        self._touched.add(key)
        if row in self.generalised_rows:  # undo an earlier generalisation
            self.deleted.add(self.generalised_rows.pop(row))
            self._index()
        if action == "generalise":
            detail = self.generalisable_detail(row)
            if detail is None:
                raise DecisionsFileError(
                    "this phrase names no place or group to generalise. Fix: keep or remove it."
                )
            self.generalised_rows[row] = self._append(key, *detail, "INDIRECT_DETAIL", action)
        r["decision"] = "add" if action == "remove" else "accept"
        self.indirect[row] = action
        self.decided.add(row)
        self._record({"op": "indirect", "row": row, "action": action})
        return key

    def generalisable_detail(self, row: int) -> tuple[int, int] | None:
        """The span of the place/group detail ('... in cardiology') inside an indirect phrase."""
        r = self.rows[row]
        start, end = int(r["start"]), int(r["end"])
        phrase = self.texts[(r["record_id"], r["field"])][start:end]
        matches = list(_DETAIL.finditer(phrase))
        if not matches or matches[-1].end() >= len(phrase):
            return None
        return start + matches[-1].end(), end

    @_locked
    def toggle_checked(self, key: CellKey) -> bool:
        if key not in self.texts:
            raise DecisionsFileError("there is no such answer. Fix: reload the page.")
        self._touched.add(key)
        if key in self.checked:
            self.checked.remove(key)
        else:
            self.checked.add(key)
        self._record({"op": "check", "key": key})
        return key in self.checked

    # -- views ----------------------------------------------------------------------------
    def is_reviewed(self, key: CellKey) -> bool:
        if key in self.checked:
            return True
        rows = self.by_cell.get(key, [])
        return bool(rows) and all(i in self.decided for i in rows)

    def progress(self) -> tuple[int, int]:
        """(answers reviewed, answers to review): those with detections plus the sample."""
        return len(self._reviewed), len(self.queue)

    def facets(self) -> dict[str, list[str]]:
        if self._facets is not None:
            return self._facets
        types: set[str] = set()
        recognisers: set[str] = set()
        for i, r in enumerate(self.rows):
            if i not in self.deleted:
                types.add(r["entity_type"])
                recognisers.update(p for p in r["recogniser"].split("+") if p)
        self._facets = {"types": sorted(types), "recognisers": sorted(recognisers)}
        return self._facets

    def _row_facts(self) -> list[tuple[str, frozenset[str], float]]:
        """(type, recognisers, score) of every row: fixed once a row exists, parsed once."""
        facts = self._facts
        for r in self.rows[len(facts) :]:
            facts.append((r["entity_type"], frozenset(r["recogniser"].split("+")), _score(r)))
        return facts

    def _cell_index(self) -> _CellIndex:
        """Answers by type, by recogniser and by their best score (rebuilt when rows come)."""
        if self._cells_by is None:
            facts = self._row_facts()
            index = _CellIndex()
            for key, indexes in self.by_cell.items():
                best = 0.0
                for i in indexes:
                    entity_type, recognisers, score = facts[i]
                    index.types.setdefault(entity_type, set()).add(key)
                    for name in recognisers:
                        index.recognisers.setdefault(name, set()).add(key)
                    if self.rows[i]["risk"] == "high":
                        index.high.add(key)
                    best = max(best, score)
                index.best[key] = best
            self._cells_by = index
        return self._cells_by

    @_locked
    def filter(
        self,
        entity_type: str = "",
        recogniser: str = "",
        min_score: float = 0.0,
        flag: str = "",
    ) -> list[CellKey]:
        """The answers to show, in file order (kept until the next change).

        Each condition picks its answers from an index (sets), so a filter does not read
        every detection; only a combination of type, recogniser and score checks the
        detections of the answers the indexes leave.
        """
        wanted = (entity_type, recogniser, min_score, flag)
        found = self._filtered.get(wanted)
        if found is not None:
            return found
        index = self._cell_index()
        picks: list[set[CellKey]] = []
        if entity_type:
            picks.append(index.types.get(entity_type, set()))
        if recogniser:
            picks.append(index.recognisers.get(recogniser, set()))
        if min_score > 0:
            picks.append({k for k, best in index.best.items() if best >= min_score})
        if flag == "sample":
            picks.append(self._sample_set)
        elif flag == "high":
            picks.append(index.high)
        elif flag in {"rejected", "added"}:
            column, value = (
                ("decision", "reject") if flag == "rejected" else ("recogniser", "reviewer")
            )
            picks.append(
                {
                    (r["record_id"], r["field"])
                    for i, r in enumerate(self.rows)
                    if r[column] == value and i not in self.deleted
                }
            )
        chosen = set.intersection(*picks) if picks else None
        if chosen and sum(map(bool, (entity_type, recogniser, min_score > 0))) > 1:
            facts = self._row_facts()  # one detection must meet every condition
            chosen = {
                key
                for key in chosen
                if any(
                    (not entity_type or facts[i][0] == entity_type)
                    and (not recogniser or recogniser in facts[i][1])
                    and facts[i][2] >= min_score
                    for i in self.by_cell.get(key, ())
                )
            }
        skip = self._reviewed if flag == "unreviewed" else set()
        out = [k for k in self.queue if (chosen is None or k in chosen) and k not in skip]
        if len(self._filtered) > 32:
            self._filtered.clear()
        self._filtered[wanted] = out
        return out

    def cell(self, key: CellKey) -> CellView:
        return CellView(
            key,
            self.texts.get(key, ""),
            tuple(self.by_cell.get(key, [])),
            key in self._sample_set,
            self.is_reviewed(key),
        )

    @_locked
    def counts(self) -> dict[str, int]:
        """Reviewer decisions by kind (for the information-governance record): no values."""
        live = [(i, r) for i, r in enumerate(self.rows) if i not in self.deleted]
        return {
            "detections rejected": sum(
                1 for _, r in live if r["decision"] == "reject" and r["risk"] != "high"
            ),
            "detections accepted after review": sum(
                1
                for i, r in live
                if i in self.decided and r["decision"] == "accept" and r["risk"] != "high"
            ),
            "missed identifiers added": sum(
                1 for _, r in live if r["recogniser"] == "reviewer" and r["pattern"] == "selection"
            ),
            "words allowed everywhere": len(self.allowed),
            "indirect identifiers kept": sum(1 for a in self.indirect.values() if a == "keep"),
            "indirect identifiers generalised": sum(
                1 for a in self.indirect.values() if a == "generalise"
            ),
            "indirect identifiers removed": sum(1 for a in self.indirect.values() if a == "remove"),
            "answers without detections checked": sum(1 for k in self.sample if k in self.checked),
            "answers without detections sampled": len(self.sample),
        }


def _csv_line(values: Sequence[str]) -> str:
    # rows hold cells as the file holds them (formulas already escaped): quote only; the
    # toolkit's one writer quotes a lone CR too (csv.writer does not)
    return format_csv_row(values, formula_escape=False)


def _score(row: dict[str, str]) -> float:
    try:
        return float(row["score"])
    except ValueError:
        return 0.0


def texts_from_frame(
    frame: Any, text_columns: Sequence[str], id_column: str | None
) -> dict[CellKey, str]:
    """``{(record id, field): text}`` keyed as the anonymiser keys its entities table."""
    ids = frame[id_column].astype(str).tolist() if id_column else [str(i) for i in frame.index]
    columns = [frame[column].tolist() for column in text_columns]
    texts: dict[CellKey, str] = {}
    for position, record_id in enumerate(ids):
        for column, values in zip(text_columns, columns, strict=True):
            value = values[position]
            texts[(record_id, column)] = value if isinstance(value, str) else ""
    return texts


__all__ = [
    "CellView",
    "ReviewSession",
    "texts_from_frame",
    "unescape_formula",
]
