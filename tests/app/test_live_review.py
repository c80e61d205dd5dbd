"""The review can start while the job runs: answers appear chunk by chunk, with highlights."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lived_experience.anonymise.review import Decisions
from lived_experience.app.runner import RUN_CHUNK
from tests.app.conftest import csrf, job_id_from, upload
from tests.conftest import SYNTHETIC

ROWS = 2 * RUN_CHUNK + 50  # three chunks


class _Paused:
    """An anonymiser that stops after its first chunk until the test lets it go on."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.go_on = threading.Event()
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def anonymise_frame(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > 1:
            assert self.go_on.wait(60), "the test never let the job go on"
        return self._inner.anonymise_frame(*args, **kwargs)


@pytest.fixture
def paused(review_app, rules_only):  # type: ignore[no-untyped-def]
    anonymiser = _Paused(rules_only)
    review_app.runner._factory = lambda: anonymiser
    yield anonymiser
    anonymiser.go_on.set()
    review_app.runner.wait_idle()


def _survey_bytes() -> bytes:
    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    return survey.head(ROWS).to_csv(index=False).encode("utf-8")


def _start(client, review_app) -> str:  # type: ignore[no-untyped-def]
    job_id = job_id_from(upload(client, review_app, "big.csv", _survey_bytes()))
    response = client.post(
        f"/jobs/{job_id}/run",
        data={
            "text_columns": ["q_experience", "q_improve"],
            "id_column": "respondent_id",
            "k": "11",
            "sheet": "",
        },
        headers=csrf(review_app),
    )
    assert response.status_code == 303
    return job_id


def _wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def _entity_lines(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [tuple(row) for row in csv.reader(handle)][1:]


def test_review_starts_after_the_first_chunk_and_keeps_decisions(  # type: ignore[no-untyped-def]
    client, review_app, paused
) -> None:
    job_id = _start(client, review_app)
    _wait_for(lambda: review_app.workspace.get(job_id).meta.live_records == RUN_CHUNK)
    meta = review_app.workspace.get(job_id).meta
    assert meta.status == "running"
    progress = client.get(f"/jobs/{job_id}/progress").text
    assert "Start reviewing the 200 rows done so far" in progress
    assert f'<span id="rows-done">{RUN_CHUNK}</span> of {ROWS} rows' in progress

    page = client.get(f"/jobs/{job_id}/review")
    assert page.status_code == 200
    assert "<mark" in page.text
    assert f"{RUN_CHUNK} of {ROWS} rows anonymised so far" in page.text
    assert f'hx-get="/jobs/{job_id}/live"' in page.text
    session = review_app._session(review_app.workspace.get(job_id))
    done_ids = set(
        pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str)["respondent_id"].head(RUN_CHUNK)
    )
    assert session.queue and {record for record, _ in session.queue} <= done_ids
    assert session.sample and {record for record, _ in session.sample} <= done_ids

    # a decision made while the job runs
    row = next(i for i, r in enumerate(session.rows) if r["risk"] != "high")
    rejected = session.rows[row]
    response = client.post(
        f"/jobs/{job_id}/decide",
        data={"row": str(row), "decision": "reject"},
        headers=csrf(review_app),
    )
    assert response.status_code == 200
    sample_before = list(session.sample)

    paused.go_on.set()
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    assert job.meta.status == "done" and job.meta.live_records == ROWS
    page = client.get(f"/jobs/{job_id}/review").text
    assert "rows anonymised so far" not in page and 'hx-get="/jobs/' not in page

    # every detection of the finished job, each once, with the decision kept
    session = review_app._session(job)
    assert session.complete and session.records_done == ROWS
    saved = _entity_lines(job.decisions_path)
    final = _entity_lines(job.entities_path)
    assert sorted(line[:11] for line in saved) == sorted(line[:11] for line in final)
    assert (rejected["record_id"], rejected["field"]) in Decisions.read(job.decisions_path).rejected
    assert session.sample[: len(sample_before)] == sample_before  # drawn once, never redrawn
    assert len(session.sample) == review_app.config.sample_size

    # the live line says so once the job is done
    assert f"All {ROWS} rows anonymised" in client.get(f"/jobs/{job_id}/live").text


def test_review_before_any_chunk_is_done_says_to_wait(client, review_app, paused) -> None:  # type: ignore[no-untyped-def]
    job_id = job_id_from(upload(client, review_app))
    meta = review_app.workspace.get(job_id).meta
    meta.status = "running"
    review_app.workspace.get(job_id).save()
    response = client.get(f"/jobs/{job_id}/review")
    assert response.status_code == 400 and "no answer has been anonymised yet" in response.text


def test_session_reloads_with_the_same_rows_after_a_restart(  # type: ignore[no-untyped-def]
    client, review_app, rules_only
) -> None:
    """Deleted additions keep their row numbers after the app starts again."""
    from lived_experience.app import LivedExperienceApp
    from tests.app.conftest import run_job

    job_id = job_id_from(upload(client, review_app))
    job = run_job(client, review_app, job_id)
    session = review_app._session(job)
    added = session.add("R4", "q_experience", 0, 7, "PERSON")
    session.decide(added, "reject")  # a reviewer's own addition, rejected: deleted
    last = next(
        i for i, r in reversed(list(enumerate(session.rows[:added]))) if r["risk"] != "high"
    )
    again = LivedExperienceApp(review_app.config)._session(review_app.workspace.get(job_id))
    assert len(again.rows) == len(session.rows) and added in again.deleted
    assert again.rows[last] == session.rows[last]
    again.decide(last, "reject")
    assert again.rows[last]["decision"] == "reject"
