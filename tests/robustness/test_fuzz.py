"""A small, fast, deterministic fuzz suite (the long one is bench/fuzz_fault.py)."""

from __future__ import annotations

import random
from pathlib import Path

from lived_experience.synthetic.fuzz import MUTATIONS, FuzzCounts, run_fuzz_case, seed_survey


def test_every_mutation_is_handled_cleanly_and_no_row_is_lost(tmp_path: Path) -> None:
    counts = FuzzCounts()
    rng = random.Random(16)
    base = seed_survey()
    for kind in sorted(MUTATIONS):
        folder = tmp_path / kind.replace(" ", "_")
        folder.mkdir()
        path = folder / "survey.csv"
        path.write_bytes(MUTATIONS[kind](base, rng))
        run_fuzz_case(path, folder, counts, kind=kind, in_process=True)
    assert counts.inputs == len(MUTATIONS) and counts.runs == 4 * len(MUTATIONS)
    assert counts.not_clean == [] and counts.tracebacks == 0 and counts.rows_lost == 0
    assert counts.values_in_messages == 0
    assert counts.clean == counts.runs
    assert 0 < counts.succeeded < counts.runs  # some inputs are fine, some refused
