"""What an ``anonymise`` run did, in counts and words only: safe to share with the output.

The run log (``OUTPUT.run_log.json``) records rows, texts changed, identifiers replaced by
type, indirect identifiers flagged and what disclosure control changed, with the settings
that matter for reproducing the run. It never holds a value, a tag or a respondent id.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lived_experience.anonymise.disclosure import DEFAULT_HIERARCHIES, DisclosureReport
from lived_experience.anonymise.files import AnonymisationSummary
from lived_experience.output import write_text_atomic

#: Attribute columns that can identify someone in combination (checked case-insensitively).
LIKELY_QUASI_IDENTIFIERS = (
    *DEFAULT_HIERARCHIES,
    "ethnic_group",
    "age",
    "age_band",
    "gender",
    "sex",
    "religion",
    "disability",
    "sexual_orientation",
    "occupation",
    "job_role",
    "directorate",
    "department",
    "site",
)

_LEVEL_WORDS = {1: "one level", 2: "two levels", 3: "three levels"}


def describe_disclosure(report: DisclosureReport, columns: Sequence[str] = ()) -> str:
    """What disclosure control changed, as a sentence.

    >>> text = describe_disclosure(
    ...     DisclosureReport(k=11, generalised={"band": 1}, suppressed_rows=3,
    ...                      small_groups_before=5), ["band", "ethnicity"])
    >>> text.split("; ")[1:]  # doctest: +NORMALIZE_WHITESPACE
    ['band was generalised one level (e.g. band to band range)',
     'the attributes of 3 rows were suppressed',
     'every combination now has at least 11 people.']
    """
    over = f" over {', '.join(columns)}" if columns else ""
    parts = [
        f"Disclosure control (k = {report.k}){over}: {report.small_groups_before} "
        f"combination{'s' * (report.small_groups_before != 1)} had fewer than {report.k} people"
    ]
    if report.generalised:
        changes = [
            f"{column} was generalised {_LEVEL_WORDS.get(n, f'{n} levels')}"
            for column, n in report.generalised.items()
        ]
        example = " (e.g. band to band range)" if "band" in report.generalised else ""
        parts.append("; ".join(changes) + example)
    else:
        parts.append("nothing was generalised")
    if report.suppressed_rows:
        parts.append(f"the attributes of {report.suppressed_rows} rows were suppressed")
    else:
        parts.append("no row was suppressed")
    ending = (
        f"every combination now has at least {report.k} people"
        if report.small_groups_after == 0
        else f"{report.small_groups_after} combinations still have fewer than {report.k}"
    )
    return "; ".join(parts) + f"; {ending}."


def unprotected_attributes(
    columns: Sequence[str], protected: Sequence[str], text_columns: Sequence[str] = ()
) -> list[str]:
    """Columns that look like quasi-identifiers but are not under disclosure control.

    >>> unprotected_attributes(["id", "Ethnicity", "band", "q1"], ["band"], ["q1"])
    ['Ethnicity']
    """
    skip = {c.casefold() for c in (*protected, *text_columns)}
    likely = {c.casefold() for c in LIKELY_QUASI_IDENTIFIERS}
    return [c for c in columns if c.casefold() in likely and c.casefold() not in skip]


def unprotected_warning(unprotected: Sequence[str], k: int = 11) -> str:
    """The warning shown when attribute columns are left without disclosure control."""
    return (
        f"Warning: the attribute column(s) {', '.join(unprotected)} are copied to the output "
        "unchanged. In combination they can identify people in small groups (the only Black "
        "band 8 manager in a team). Fix: add --quasi-identifier COLUMN for each (k = "
        f"{k} by default), or drop the columns before sharing."
    )


def run_log(
    summary: AnonymisationSummary,
    *,
    input_name: str,
    output_name: str,
    text_columns: Sequence[str],
    settings: dict[str, Any] | None = None,
    disclosure: DisclosureReport | None = None,
    quasi_identifiers: Sequence[str] = (),
    unprotected: Sequence[str] = (),
) -> dict[str, Any]:
    """The run log as a dict: counts, column names and settings, never a value or an id."""
    log: dict[str, Any] = {
        "input": input_name,
        "output": output_name,
        "text_columns": list(text_columns),
        "rows": summary.rows,
        "texts_changed": summary.cells_changed,
        "identifiers_replaced": dict(sorted(summary.by_type.items())),
        "identifiers_replaced_total": int(sum(summary.by_type.values())),
        "indirect_identifiers_flagged": summary.flagged_indirect,
        "settings": settings or {},
    }
    if disclosure is not None:
        log["disclosure_control"] = {
            "k": disclosure.k,
            "quasi_identifiers": list(quasi_identifiers),
            "small_groups_before": disclosure.small_groups_before,
            "small_groups_after": disclosure.small_groups_after,
            "generalised_levels": dict(disclosure.generalised),
            "suppressed_rows": disclosure.suppressed_rows,
            "in_words": describe_disclosure(disclosure, quasi_identifiers),
        }
    if unprotected:
        log["attribute_columns_without_disclosure_control"] = list(unprotected)
    return log


def run_log_path(output: str | Path) -> Path:
    """``out/anon.csv`` -> ``out/anon.run_log.json``."""
    output = Path(output)
    return output.with_name(f"{output.stem}.run_log.json")


def write_run_log(log: dict[str, Any], destination: str | Path) -> Path:
    write_text_atomic(destination, json.dumps(log, indent=2, sort_keys=True) + "\n")
    return Path(destination)


def next_step(output: str | Path, review: str | Path | None) -> str:
    """What to do after anonymising: check the detections, then code the output."""
    if review:
        return (
            f"Next: open the review page {review} (SENSITIVE: it shows the original values) "
            "and check every highlight; mark mistakes in the entities CSV and run again with "
            "--decisions. Then code the output: lived-experience code "
            f"{output} --codebook CODEBOOK.yaml ..."
        )
    return (
        "Next: check a sample by hand (add --review REVIEW.html for a page highlighting "
        f"every detection), then code the output: lived-experience code {output} ..."
    )
