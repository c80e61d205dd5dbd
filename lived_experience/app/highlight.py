"""An answer with its detections highlighted, for the review page (all text escaped)."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


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
