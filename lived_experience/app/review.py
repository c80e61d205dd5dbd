"""A reviewer's session over one job: detections, decisions, filters and progress.

The decisions are kept in exactly the file the command line reads
(:class:`lived_experience.anonymise.review.Decisions`): the entities table written by
``anonymise --entities`` with its ``decision`` column edited (``reject``), indirect
identifiers the reviewer removes set to ``add``, and new ``add`` rows for what the reviewer
selected. It is rewritten (atomically, mode 0600) after every change, so
``lived-experience anonymise ... --decisions decisions.csv`` gives the page's result.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from lived_experience.anonymise.engine import ENTITY_COLUMNS
from lived_experience.errors import DecisionsFileError
from lived_experience.output import (
    escape_formula,
    format_csv_row,
    unescape_formula,
    write_text_atomic,
)

CellKey = tuple[str, str]  # record id, field
SAMPLE_SIZE = 50
INDIRECT_ACTIONS = ("keep", "generalise", "remove")
_DETAIL = re.compile(r"\b(?:in|at|on|of|within|across|to)\s+(?:the\s+)?", re.IGNORECASE)


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
        ``{(record id, field): original text}`` for every answer in the job.
    entities_path:
        The entities table the anonymisation wrote (SENSITIVE).
    decisions_path, state_path:
        Where the decisions file and the page's own review state (ids only) are saved.
    seed:
        Seeds the sample of answers without detections (the job id, so it is stable).
    """

    def __init__(
        self,
        texts: dict[CellKey, str],
        entities_path: Path,
        decisions_path: Path,
        state_path: Path,
        seed: str,
        sample_size: int = SAMPLE_SIZE,
    ) -> None:
        self.texts = texts
        self.decisions_path = decisions_path
        self.state_path = state_path
        source = decisions_path if decisions_path.exists() else entities_path
        with source.open(encoding="utf-8", newline="") as handle:
            self.rows: list[dict[str, str]] = [
                {c: row.get(c, "") or "" for c in ENTITY_COLUMNS} for row in csv.DictReader(handle)
            ]
        state: dict[str, Any] = {}
        if state_path.exists():
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
        self._lines: dict[int, tuple[tuple[str, ...], str]] = {}
        self._touched: set[CellKey] = set()
        self._facets: dict[str, list[str]] | None = None
        self._index()
        no_detections = sorted(
            k for k in texts if k not in self.by_cell and len(texts[k].split()) >= 3
        )  # "N/A" and one-word answers hold no identifier worth a look
        rng = random.Random(seed)
        self.sample: list[CellKey] = sorted(
            rng.sample(no_detections, min(sample_size, len(no_detections)))
        )
        self._sample_set = set(self.sample)
        order = {key: i for i, key in enumerate(texts)}
        self.queue: list[CellKey] = sorted(
            set(self.by_cell) | self._sample_set, key=lambda k: order.get(k, len(order))
        )
        self._queue_set = set(self.queue)
        self._reviewed: set[CellKey] = {k for k in self.queue if self.is_reviewed(k)}
        if not decisions_path.exists():
            self.save()

    # -- indexes ------------------------------------------------------------------------
    def _index(self) -> None:
        self._facets = None
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

        Each row's CSV line is kept and re-rendered only when the row changes, so a decision
        costs milliseconds even with tens of thousands of detections.
        """
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
        }
        write_text_atomic(self.state_path, json.dumps(state), mode=0o600)
        for key in self._touched:
            if key in self._queue_set and self.is_reviewed(key):
                self._reviewed.add(key)
            else:
                self._reviewed.discard(key)
        self._touched.clear()

    # -- decisions ------------------------------------------------------------------------
    def _row(self, row: int) -> dict[str, str]:
        if not 0 <= row < len(self.rows) or row in self.deleted:
            raise DecisionsFileError(f"there is no detection number {row}. Fix: reload the page.")
        return self.rows[row]

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
        self.save()
        return key

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
        self.save()
        return count

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
        self.save()
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
        self._index()
        return row

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
        self.save()
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

    def toggle_checked(self, key: CellKey) -> bool:
        if key not in self.texts:
            raise DecisionsFileError("there is no such answer. Fix: reload the page.")
        self._touched.add(key)
        if key in self.checked:
            self.checked.remove(key)
        else:
            self.checked.add(key)
        self.save()
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

    def filter(
        self,
        entity_type: str = "",
        recogniser: str = "",
        min_score: float = 0.0,
        flag: str = "",
    ) -> list[CellKey]:
        """The answers to show, in file order."""
        out = []
        for key in self.queue:
            rows = [self.rows[i] for i in self.by_cell.get(key, [])]
            if flag and not self._flag_matches(flag, key, rows):
                continue
            if (entity_type or recogniser or min_score > 0) and not any(
                (not entity_type or r["entity_type"] == entity_type)
                and (not recogniser or recogniser in r["recogniser"].split("+"))
                and _score(r) >= min_score
                for r in rows
            ):
                continue
            out.append(key)
        return out

    def _flag_matches(self, flag: str, key: CellKey, rows: list[dict[str, str]]) -> bool:
        if flag == "sample":
            return key in self._sample_set
        if flag == "high":
            return any(r["risk"] == "high" for r in rows)
        if flag == "unreviewed":
            return not self.is_reviewed(key)
        if flag == "rejected":
            return any(r["decision"] == "reject" for r in rows)
        if flag == "added":
            return any(r["recogniser"] == "reviewer" for r in rows)
        return True

    def cell(self, key: CellKey) -> CellView:
        return CellView(
            key,
            self.texts.get(key, ""),
            tuple(self.by_cell.get(key, [])),
            key in self._sample_set,
            self.is_reviewed(key),
        )

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


# -- rendering ------------------------------------------------------------------------------
def render_text(text: str, rows: Iterable[tuple[int, dict[str, str]]]) -> Markup:
    """The answer with every detection highlighted (all text escaped).

    The text is cut at every detection edge; each piece is wrapped in one ``<mark>`` carrying
    the classes of every detection covering it, so overlapping detections (an indirect
    phrase around a name) both show. Labels are drawn by CSS from ``data-label``, so the
    element's text is exactly the answer: offsets computed in the browser match Python's.
    """
    spans = []
    for index, r in rows:
        start, end = int(r["start"]), int(r["end"])
        if 0 <= start < end <= len(text):
            spans.append((start, end, index, r))
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        chunk = escape(text[a:b])
        if not covering:
            pieces.append(str(chunk))
            continue
        classes = sorted({_css(r) for *_, r in covering})
        ending = [s for s in covering if s[1] == b]
        label = " ".join(_label(r) for *_, r in ending)
        attrs = f' data-label="{escape(label)}"' if label else ""
        pieces.append(f'<mark class="{" ".join(classes)}"{attrs}>{chunk}</mark>')
    return Markup("".join(pieces))


def _css(row: dict[str, str]) -> str:
    if row["risk"] == "high" and row["decision"] != "add":
        return "ind"
    if row["decision"] == "reject":
        return "rej"
    if row["recogniser"] == "reviewer":
        return "added"
    return "det"


def _label(row: dict[str, str]) -> str:
    return row["entity_type"] + (" (kept)" if row["decision"] == "reject" else "")


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
    "render_text",
    "texts_from_frame",
    "unescape_formula",
]
