"""Human review: an HTML page highlighting every detection, and a decisions file fed back.

No automatic tool is enough on its own. The review page shows each text with its detections
highlighted (type, score, recogniser on hover) and indirect identifiers marked high risk.
The reviewer edits the entities CSV (the decisions file): ``decision`` = ``accept``
(default), ``reject`` (keep the original text), or a new row with ``decision`` = ``add`` and
``record_id, field, start, end, entity_type`` for a missed span. ``lived-experience anonymise
--decisions D.csv`` applies it on the next run.

Both files contain the identifiers themselves: they are marked SENSITIVE and belong in the
review pack, never beside the shareable outputs.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lived_experience.anonymise.detection import Detection, merge_overlapping
from lived_experience.errors import DecisionsFileError, InputFileError
from lived_experience.output import unescape_formula, write_text_atomic

SENSITIVE_BANNER = (
    "SENSITIVE — this review file contains the original identifiers. Keep it "
    "in the secure environment; never share it with the anonymised data."
)


@dataclass
class Decisions:
    """A reviewer's decisions, keyed by (record id, field)."""

    rejected: dict[tuple[str, str], set[tuple[int, int]]] = field(default_factory=dict)
    added: dict[tuple[str, str], list[Detection]] = field(default_factory=dict)
    #: (record id, field) -> [(start, end, original text)] recorded by the reviewer
    expected_text: dict[tuple[str, str], list[tuple[int, int, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> Decisions:
        """Read a decisions CSV (an edited entities file)."""
        path = Path(path)
        from lived_experience.ingest import read_table

        try:
            frame = read_table(path)
        except InputFileError as exc:
            raise DecisionsFileError(
                f"cannot read decisions file '{path}' ({exc}). Fix: start from the entities "
                "CSV written by --entities and edit its 'decision' column."
            ) from None
        required = ["record_id", "field", "start", "end", "entity_type", "decision"]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DecisionsFileError(
                f"decisions file '{path}' lacks column(s) {', '.join(missing)}. Fix: start "
                "from the entities CSV written by --entities."
            )
        decisions = cls()
        for number, row in enumerate(frame.itertuples(index=False), start=2):
            decision = str(row.decision).strip().lower()
            if decision in {"", "accept", "review"}:
                continue
            try:
                start, end = int(row.start), int(row.end)
            except ValueError:
                raise DecisionsFileError(
                    f"decisions file '{path}' line {number}: start/end must be whole numbers."
                ) from None
            key = (str(row.record_id), str(row.field))
            if decision == "reject":
                decisions.rejected.setdefault(key, set()).add((start, end))
            elif decision in {"add", "redact"}:
                entity = str(row.entity_type).strip() or "MANUAL"
                decisions.added.setdefault(key, []).append(
                    Detection(start, end, entity, 1.0, "reviewer", decision)
                )
            else:
                raise DecisionsFileError(
                    f"decisions file '{path}' line {number}: decision must be accept, reject, "
                    "add or redact."
                )
            original = unescape_formula(str(getattr(row, "original", "")))
            if original:
                decisions.expected_text.setdefault(key, []).append((start, end, original))
        return decisions

    def fingerprint(self) -> str:
        """A hash of the decisions, so a checkpoint made with other decisions is not reused."""
        import hashlib

        payload = repr(
            (
                sorted((k, sorted(v)) for k, v in self.rejected.items()),
                sorted(
                    (k, [(d.start, d.end, d.entity_type) for d in v]) for k, v in self.added.items()
                ),
            )
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def apply(
        self,
        record_id: str,
        field_name: str,
        text: str,
        detections: Sequence[Detection],
        priority: Sequence[str],
    ) -> list[Detection]:
        """Return ``detections`` with this record's rejections removed and additions merged."""
        key = (record_id, field_name)
        if key not in self.rejected and key not in self.added:
            return list(detections)
        for start, end, original in self.expected_text.get(key, []):
            if text[start:end] != original:
                raise DecisionsFileError(
                    f"decisions for record '{record_id}', field '{field_name}' point at text "
                    "that has changed since the review. Fix: review the new output again."
                )
        rejected = self.rejected.get(key, set())
        kept = [d for d in detections if (d.start, d.end) not in rejected]
        for added in self.added.get(key, []):
            if not 0 <= added.start < added.end <= len(text):
                raise DecisionsFileError(
                    f"decision for record '{record_id}', field '{field_name}': span "
                    f"{added.start}-{added.end} is outside the text."
                )
            kept.append(added)
        return merge_overlapping(kept, (*priority, "MANUAL", "DENY_LIST"))


ReviewCell = tuple[str, str, str, pd.DataFrame]  # record id, field, original text, entities


def write_review_html(
    cells: Sequence[ReviewCell],
    counts: dict[str, int],
    destination: str | Path,
    truncated: bool = False,
) -> None:
    """Write the SENSITIVE review page for ``cells`` (record id, field, text, entities)."""
    blocks = [_render_cell(*cell) for cell in cells]
    summary = "".join(f"<li>{html.escape(str(k))}: {v}</li>" for k, v in sorted(counts.items()))
    more = (
        ""
        if not truncated
        else f"<p class='warn'>Only the first {len(cells)} texts with detections are shown; "
        "use the entities CSV for the rest.</p>"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>SENSITIVE anonymisation review</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
.banner{{background:#b00020;color:#fff;padding:.8rem;font-weight:bold}}
.cell{{border-bottom:1px solid #ddd;padding:.6rem 0}} .meta{{color:#555;font-size:.85rem}}
mark{{padding:0 .15rem;border-radius:.2rem}} mark.high{{background:#ff8a80}}
mark.id{{background:#ffe082}} sup{{font-size:.65rem;color:#333}} .warn{{color:#b00020}}
</style></head><body>
<div class="banner">{html.escape(SENSITIVE_BANNER)}</div>
<h1>Anonymisation review</h1>
<p>Every detection is highlighted: yellow = will be replaced, red = indirect identifier
(high risk; not replaced unless you add it). Hover for type, score and recogniser. To change
a decision, edit the entities CSV ('decision' = reject / add) and run again with
<code>--decisions</code>.</p>
<ul>{summary}</ul>{more}
{"".join(blocks)}
</body></html>
"""
    write_text_atomic(destination, page, mode=0o600)


def _render_cell(record_id: str, column: str, text: str, group: pd.DataFrame) -> str:
    spans = sorted(
        ((int(r.start), int(r.end), r) for r in group.itertuples()), key=lambda s: (s[0], -s[1])
    )
    pieces, position = [], 0
    for start, end, row in spans:
        if start < position:
            continue
        css = "high" if row.risk == "high" else "id"
        label = f"{row.entity_type} · score {row.score} · {row.recogniser}"
        pieces += [
            html.escape(text[position:start]),
            f"<mark class='{css}' title='{html.escape(label)}'>"
            f"{html.escape(text[start:end])}<sup>{html.escape(str(row.entity_type))}"
            f"</sup></mark>",
        ]
        position = end
    pieces.append(html.escape(text[position:]))
    return (
        f"<div class='cell'><div class='meta'>record {html.escape(record_id)} · "
        f"{html.escape(column)}</div><div>{''.join(pieces)}</div></div>"
    )
