"""``report.html``: one self-contained page summarising a study run.

Everything is inline (CSS, SVG charts, a few lines of script): the page opens from disk in a
secure environment with no network, prints cleanly, and can be e-mailed as one file. It holds
only shareable outputs: counts (never identifier values), prevalence with intervals, topics,
WRES indicators, and quotes that passed the safety re-scan.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lived_experience.codebook import Codebook
from lived_experience.output import write_text_atomic
from lived_experience.quotes.placeholders import readable_placeholders
from lived_experience.report.svg import bar_chart, interval_chart

MINORITY_COLOUR, WHITE_COLOUR = "#d95f02", "#1b9e77"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #1f6fb2;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f2f6fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#555;font-size:.9em}.new{background:#fff3e0}
blockquote{border-left:4px solid #1f6fb2;margin:.6em 0;padding:.2em .8em;background:#f7f9fb}
.attr{color:#555;font-size:.85em}figure{margin:1em 0}nav a{margin-right:1em}
.charts{display:flex;flex-wrap:wrap;gap:1em}
@media print{nav{display:none}}
"""
#: marks the page once it has loaded, so a headless browser test can tell it rendered
SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  var charts = document.querySelectorAll("svg").length;
  document.body.setAttribute("data-charts", String(charts));
  document.body.setAttribute("data-rendered", "yes");
});
"""


@dataclass(frozen=True)
class StudyResults:
    """What the report shows: each stage's summary and the run's environment.

    The report depends on stage results only, never on the orchestrator: the pipeline (or a
    notebook) builds this from its run manifest.
    """

    name: str
    description: str = ""
    group_column: str = "group"
    #: stage name -> the summary that stage returned (counts, never values)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: package, Python and model versions (what a reproduction needs)
    environment: dict[str, Any] = field(default_factory=dict)
    #: stage name -> fingerprint of its inputs and settings
    fingerprints: dict[str, str] = field(default_factory=dict)

    def summary(self, stage: str) -> dict[str, Any]:
        return self.summaries.get(stage, {})


def _e(value: object) -> str:
    return html.escape(
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    )


def _table(
    frame: pd.DataFrame,
    numeric: frozenset[str] | set[str] = frozenset(),
    row_class: pd.Series | None = None,
) -> str:  # type: ignore[assignment]
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for i, (_, row) in enumerate(frame.iterrows()):
        cls = f' class="{row_class.iloc[i]}"' if row_class is not None and row_class.iloc[i] else ""
        cells = "".join(
            f'<td class="n">{_e(v)}</td>' if c in numeric else f"<td>{_e(v)}</td>"
            for c, v in row.items()
        )
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _read(path: Path) -> pd.DataFrame | None:
    """A table the run wrote, with numeric and True/False columns typed again."""
    from lived_experience.ingest import read_table

    if not path.exists():
        return None
    frame = read_table(path)
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if len(values) and values.isin(["True", "False"]).all():
            frame[column] = values == "True"
            continue
        try:
            frame[column] = pd.to_numeric(values.replace("", float("nan")))
        except (ValueError, TypeError):
            frame[column] = values.replace("", float("nan"))
    return frame


def _section_data(summary: dict[str, Any]) -> str:
    answers = summary.get("survey_answers", {})
    rows = [("Survey rows (respondents)", summary.get("survey_rows", 0))]
    rows += [(f"Answers to '{c}'", n) for c, n in answers.items()]
    rows += [
        ("Interview transcripts", summary.get("transcripts", 0)),
        ("Transcript turns", summary.get("transcript_turns", 0)),
        ("Respondent turns", summary.get("respondent_turns", 0)),
    ]
    return "<h2 id='data'>Data received</h2>" + _table(
        pd.DataFrame(rows, columns=["what", "count"]), {"count"}
    )


def _section_anonymisation(summary: dict[str, Any], folder: Path) -> str:
    by_type = summary.get("identifiers_by_type", {})
    parts = [
        "<h2 id='anonymisation'>What anonymisation removed</h2>",
        f"<p>{summary.get('identifiers', 0)} identifiers were replaced by consistent pseudonyms "
        f"({summary.get('survey_cells_changed', 0)} survey answers and "
        f"{summary.get('transcript_cells_changed', 0)} transcript turns changed). "
        f"{summary.get('flagged_indirect', 0)} possible indirect identifiers were flagged for a "
        "reviewer. Counts only: the values are in the review pack, which stays in the secure "
        "environment.</p>",
    ]
    if by_type:
        ordered = sorted(by_type.items(), key=lambda item: -item[1])
        parts.append(
            "<figure>"
            + bar_chart(
                [_entity_words(t) for t, _ in ordered],
                [n for _, n in ordered],
                "Identifiers removed, by type",
            )
            + "</figure>"
        )
    if "k" in summary:
        generalised = ", ".join(
            f"{c} (level {n})" for c, n in summary.get("generalised", {}).items()
        )
        parts.append(
            f"<p>Disclosure control (k = {summary['k']}): {summary.get('small_groups_before', 0)} "
            f"attribute combinations had fewer than k respondents; generalised: "
            f"{_e(generalised) or 'nothing'}; {summary.get('suppressed_rows', 0)} rows' attributes "
            "suppressed.</p>"
        )
    evaluation = summary.get("evaluation")
    if evaluation:
        parts.append(
            "<p>Pipeline check on this study's gold annotations (written with the synthetic "
            "data by the same team, so a check that nothing broke, not a guarantee for real "
            f"answers): identifier recall {evaluation['recall']:.3f}, precision "
            f"{evaluation['precision']:.3f}; lowest recall for any name origin "
            f"{evaluation['lowest_name_origin_recall']:.3f} (shareable/anonymiser_evaluation.csv)."
            "</p>"
        )
    parts.append(_published_figures())
    return "".join(parts)


def _entity_words(entity_type: str) -> str:
    """'NHS_SITE' -> 'Hospital' (the words the quote bank uses for each placeholder)."""
    from lived_experience.quotes.placeholders import PLACEHOLDER_WORDS

    word = PLACEHOLDER_WORDS.get(entity_type, entity_type.lower().replace("_", " "))
    word = {"colleague": "person name", "hospital": "hospital or site"}.get(word, word)
    return word[0].upper() + word[1:]


def _published_figures() -> str:
    from lived_experience.report.benchmarks import PUBLISHED_FIGURES

    items = "".join(
        f"<li>{_e(f.measure)}: <b>{_e(f.value)}</b>, measured {_e(f.date)} on {_e(f.data)} "
        f"({_e(f.doc)}, <code>{_e(f.command)}</code>)</li>"
        for f in PUBLISHED_FIGURES
    )
    return (
        "<p>How well the anonymiser does on text it was not built around (published "
        "benchmarks; no anonymiser removes everything, so a person reviews the review pack):"
        f"</p><ul>{items}</ul>"
    )


def _section_themes(
    summary: dict[str, Any], folder: Path, codebook: Codebook, group_column: str
) -> str:
    parts = ["<h2 id='themes'>Themes by group</h2>"]
    if summary.get("calibrated") is False:
        parts.append(
            "<p class='warning'><strong>Uncalibrated:</strong> the coder's thresholds were "
            "not fitted on hand-coded answers from this study, so the prevalence figures below "
            "may over- or under-state each theme. Hand-code a sample (<code>lived-experience "
            "coding-sample</code>) and give it as <code>coding.labels</code> or "
            "<code>coding.training_labels</code>.</p>"
        )
    agreement = summary.get("agreement")
    if agreement:
        parts.append(
            f"<p>The {_e(summary.get('coder'))} coder was calibrated on "
            f"{summary.get('calibrated_on', 0)} hand-coded rows; on {agreement['units']} held-out "
            f"rows it agrees with the human coding at mean kappa {agreement['kappa']}, "
            f"Krippendorff's alpha {agreement['alpha']}, Gwet's AC1 {agreement['ac1']} "
            f"({_e(agreement['reading'])}).</p>"
        )
    prevalence = _read(folder / "shareable" / "theme_prevalence_by_group.csv")
    if prevalence is None or prevalence.empty:
        return "".join(parts)
    values = prevalence[group_column].astype(str)
    groups = [g for g in ("Ethnic minority", "White") if g in set(values)]
    if len(groups) < 2:
        groups = sorted(values.unique())[:2]
    labels = [codebook.code(c).label for c in codebook.code_ids]
    series = []
    for group, colour in zip(groups, (MINORITY_COLOUR, WHITE_COLOUR), strict=False):
        rows = prevalence[values == group].set_index("code").reindex(codebook.code_ids)
        series.append(
            (
                group,
                colour,
                rows["percent"].astype(float).tolist(),
                rows["ci_low"].astype(float).tolist(),
                rows["ci_high"].astype(float).tolist(),
            )
        )
    parts.append(
        "<figure>"
        + interval_chart(
            labels,
            series,
            f"Respondents raising each theme, by {group_column.replace('_', ' ')} (95% interval)",
        )
        + "</figure>"
    )
    ratio = _read(folder / "shareable" / "theme_ratio_minority_white.csv")
    if ratio is not None and not ratio.empty:
        ratio = ratio.assign(theme=[codebook.code(c).label for c in ratio["code"]])
        shown = ratio[["theme", "minority_percent", "white_percent", "ratio", "ci_low", "ci_high"]]
        parts.append(
            "<p class='note'>Ratio of prevalence, ethnic minority to white respondents, with a "
            "95% interval; blank where a group had fewer than k respondents.</p>"
            + _table(shown, {"minority_percent", "white_percent", "ratio", "ci_low", "ci_high"})
        )
    return "".join(parts)


def _section_topics(summary: dict[str, Any], folder: Path, codebook: Codebook | None = None) -> str:
    topics = _read(folder / "shareable" / "topics" / "topics.csv")
    if topics is None:
        return ""
    real = topics[topics["topic"] != -1].copy()
    flagged = (
        real.get("candidate_new_code", pd.Series(False, index=real.index))
        .fillna(False)
        .astype(bool)
    )
    parts = [
        "<h2 id='topics'>Emergent topics</h2>",
        f"<p>{len(real)} topics over {int(topics['size'].sum())} answers (BERTopic, seeded); "
        f"{summary.get('unassigned_share', 0):.1%} of answers fit no topic. Highlighted topics "
        "are <b>candidate new codes</b>: no codebook code is close to what they say. Interactive "
        "charts: shareable/topics/charts/.</p>",
    ]
    top = real.head(20)
    parts.append(
        "<figure>"
        + bar_chart(
            [f"{t}: {label}" for t, label in zip(top["topic"], top["label"], strict=True)],
            top["size"].astype(float).tolist(),
            f"Answers per topic: {'all' if len(top) == len(real) else f'top {len(top)} of'} "
            f"{len(real)} topics (orange: candidate new code)",
            [MINORITY_COLOUR if f else "#1f6fb2" for f in flagged.loc[top.index]],
        )
        + "</figure>"
    )
    if "nearest_code" in real and codebook is not None:
        real = real.assign(
            nearest_code=[
                codebook.code(c).label if c in codebook.code_ids else c
                for c in real["nearest_code"].fillna("").astype(str)
            ]
        )
    columns = [
        c for c in ("topic", "label", "size", "nearest_code", "nearest_similarity") if c in real
    ]
    parts.append(
        _table(
            real[columns],
            {"topic", "size", "nearest_similarity"},
            flagged.map({True: "new", False: ""}),
        )
    )
    for _, row in real[flagged].iterrows():
        parts.append(f"<h3>Candidate new code: topic {row['topic']} ({_e(row['label'])})</h3>")
        for column in [c for c in real.columns if c.startswith("representative_")]:
            if isinstance(row[column], str) and row[column]:
                quote = readable_placeholders(row[column])
                parts.append(f"<blockquote>{_e(quote)}</blockquote>")
    return "".join(parts)


def _section_wres(folder: Path, codebook: Codebook) -> str:
    correlations = _read(folder / "shareable" / "wres" / "themes_wres_correlations.csv")
    if correlations is None:
        return ""
    shown = correlations.assign(theme=[codebook.code(c).label for c in correlations["code"]])
    shown = shown[
        ["theme", "indicator", "organisations", "pearson_r", "ci_low", "ci_high", "p_value"]
    ]
    parts = [
        "<h2 id='wres'>WRES indicators beside the themes linked to them</h2>",
        "<p>Each theme the codebook links to a WRES indicator, against that indicator across "
        "organisations (one point per organisation; Pearson r with a 95% interval). "
        "Associations across organisations, not causes.</p>",
        _table(
            shown.round(3),
            {"indicator", "organisations", "pearson_r", "ci_low", "ci_high", "p_value"},
        ),
        "<div class='charts'>",
    ]
    charts = sorted((folder / "shareable" / "wres" / "charts").glob("*.svg"))
    for chart in charts:
        svg = chart.read_text(encoding="utf-8")
        svg = svg[svg.index("<svg") :] if "<svg" in svg else svg
        parts.append(f"<figure>{svg}</figure>")
    parts.append("</div>")
    return "".join(parts)


def _section_quotes(folder: Path, codebook: Codebook, per_theme: int = 2) -> str:
    quotes = _read(folder / "shareable" / "quotes" / "quote_bank.csv")
    if quotes is None:
        return ""
    quotes = quotes[quotes["flags"].fillna("") == ""]
    parts = [
        "<h2 id='quotes'>Top quotes per theme</h2>",
        "<p class='note'>Quotes passed a second anonymisation scan and carry no rare detail; "
        "attributions are broad groups only. The full bank is in shareable/quotes/.</p>",
    ]
    for theme in codebook.themes:
        theme_parts = []
        for code in theme.codes:
            rows = quotes[quotes["code"] == code.id].head(per_theme)
            for _, row in rows.iterrows():
                theme_parts.append(
                    f"<blockquote>{_e(row['quote'])}<div class='attr'>{_e(code.label)} · "
                    f"{_e(row['attribution'])}</div></blockquote>"
                )
        if theme_parts:
            parts.append(f"<h3>{_e(theme.label)}</h3>" + "".join(theme_parts))
    return "".join(parts)


def _section_reproduce(results: StudyResults) -> str:
    environment = json.dumps(results.environment, indent=2, sort_keys=True)
    fingerprints = {name: value[:16] for name, value in results.fingerprints.items()}
    return (
        "<h2 id='reproduce'>Reproduce this report</h2>"
        "<p>Run <code>lived-experience run STUDY.yaml</code> with the same inputs, settings, "
        "project secret and these versions; every stage's settings and input hashes are in "
        "run_manifest.json.</p>"
        f"<pre>{_e(environment)}</pre>"
        + _table(pd.DataFrame(list(fingerprints.items()), columns=["stage", "fingerprint"]))
    )


def write_report(folder: Path, results: StudyResults, codebook: Codebook) -> Path:
    """Write ``report.html`` into ``folder`` (the run's output folder) and return its path."""
    group_column = results.group_column
    sections = [
        _section_data(results.summary("ingest")),
        _section_anonymisation(results.summary("anonymise"), folder),
        _section_themes(results.summary("code"), folder, codebook, group_column),
        _section_topics(results.summary("topics"), folder, codebook),
        _section_wres(folder, codebook),
        _section_quotes(folder, codebook),
        _section_reproduce(results),
    ]
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("data", "Data"),
            ("anonymisation", "Anonymisation"),
            ("themes", "Themes"),
            ("topics", "Topics"),
            ("wres", "WRES"),
            ("quotes", "Quotes"),
            ("reproduce", "Reproduce"),
        )
    )
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(results.name)}: lived experience study report</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{_e(results.name)}</h1><p>{_e(results.description)}</p>"
        f"<p class='note'>Codebook {_e(codebook.id)} v{_e(codebook.version)}; generated by "
        f"lived_experience {_e(results.environment.get('lived_experience', ''))}. Shareable: "
        "counts, prevalence, topics and re-scanned quotes only.</p>"
        f"<nav>{nav}</nav>" + "".join(sections) + f"<script>{SCRIPT}</script></body></html>\n"
    )
    path = folder / "report.html"
    write_text_atomic(path, page)
    return path
