"""Review app benchmark: upload-to-first-highlight, and filter / decision latency.

1. Upload the synthetic export (2,400 respondents, two free-text questions) to the app with
   the default anonymiser (spaCy en_core_web_md), and time upload -> run -> review page with
   its first highlight (the review opens after the job's first chunk of rows, while the rest
   runs), and the whole job. Twice: the model loaded by the first job (cold), and loaded at
   launch as ``lived-experience app`` does while the user uploads and chooses columns.
2. With 20,000 answers (10,000 respondents x two questions, the synthetic answers repeated
   under new ids; detections by the recognisers without NER, so the run is quick), time each
   filter and each decision as the page makes them: median and 95th percentile over repeats.
   Filters are timed as the first view after a change (the session's filter cache emptied
   before each request).

    python bench/review_app_benchmark.py [--skip-first] [--repeats 20]

Prints a Markdown table for docs/benchmarks.md. Uses Starlette's TestClient (no network).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SYNTHETIC = REPO / "data" / "synthetic" / "staff_survey.csv"
SECRET = b"benchmark-secret-lived-experience"


def _client(anonymiser_factory, workspace: Path):  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    from lived_experience.app import AppConfig, LivedExperienceApp

    app = LivedExperienceApp(
        AppConfig(
            workspace=workspace,
            anonymiser_factory=anonymiser_factory,
            hosts=("testserver",),
            max_upload=500 * 1024 * 1024,
        )
    )
    client = TestClient(app.asgi, follow_redirects=False)
    client.cookies.set("le_token", app.config.token)
    return app, client


def _upload_and_start(app, client, path: Path) -> str:  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": app.config.csrf}
    with path.open("rb") as handle:
        response = client.post("/upload", files={"file": (path.name, handle)}, headers=headers)
    job_id = response.headers["location"].split("/")[2]
    meta = app.workspace.get(job_id).meta
    client.post(
        f"/jobs/{job_id}/run",
        data={
            "text_columns": meta.text_columns,
            "id_column": meta.id_column,
            "attribute_columns": meta.attribute_columns,
            "k": "11",
            "sheet": "",
        },
        headers=headers,
    )
    return job_id


def _wait_done(app, job_id: str) -> None:  # type: ignore[no-untyped-def]
    while app.workspace.get(job_id).meta.status in {"queued", "running"}:
        time.sleep(0.2)


def _upload_and_run(app, client, path: Path) -> str:  # type: ignore[no-untyped-def]
    job_id = _upload_and_start(app, client, path)
    _wait_done(app, job_id)
    return job_id


def first_highlight(warm: bool) -> dict[str, float]:
    """Cold: the model loads inside the first job. Warm: loaded first, as the app does in
    the background at launch while the user uploads and chooses columns."""
    from lived_experience.anonymise import Anonymiser

    with tempfile.TemporaryDirectory() as folder:
        app, client = _client(lambda: Anonymiser(secret=SECRET), Path(folder))
        if warm:
            app.warm_up()
        start = time.perf_counter()
        job_id = _upload_and_start(app, client, SYNTHETIC)
        while True:  # what the page does: poll, then open the review once rows are done
            meta = app.workspace.get(job_id).meta
            assert meta.status != "failed", meta.error
            if meta.live_records or meta.status == "done":
                page = client.get(f"/jobs/{job_id}/review").text
                if "<mark" in page:
                    break
            time.sleep(0.2)
        first = time.perf_counter() - start
        rows_then = meta.live_records
        _wait_done(app, job_id)
        total = time.perf_counter() - start
        page = client.get(f"/jobs/{job_id}/review").text
        assert "<mark" in page and "anonymised so far" not in page
        meta = app.workspace.get(job_id).meta
        return {
            "seconds": first,
            "rows_then": rows_then,
            "rows": meta.rows,
            "all_seconds": total,
            "run_seconds": meta.finished - meta.started,
            "answers": meta.rows * len(meta.text_columns),
        }


def _timed(call, repeats: int, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for i in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def latency(repeats: int) -> tuple[list[tuple[str, float, float]], dict[str, int]]:
    from lived_experience.anonymise import Anonymiser, AnonymiserSettings

    survey = pd.read_csv(SYNTHETIC, dtype=str, keep_default_na=False)
    copies = [survey.assign(respondent_id=survey["respondent_id"] + f"-{n}") for n in range(5)]
    big = pd.concat(copies, ignore_index=True).head(10_000)
    rules = Anonymiser(AnonymiserSettings(use_ner=False), secret=SECRET)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey_10000.csv"
        big.to_csv(path, index=False)
        app, client = _client(lambda: rules, Path(folder) / "ws")
        job_id = _upload_and_run(app, client, path)
        job = app.workspace.get(job_id)
        session = app._session(job)
        headers = {"X-CSRF-Token": app.config.csrf}
        detections = [i for i, r in enumerate(session.rows) if r["risk"] != "high"]
        no_detection = [k for k in session.texts if k not in session.by_cell and session.texts[k]]
        base = f"/jobs/{job_id}"
        rows: list[tuple[str, float, float]] = []
        for label, url in (
            ("review page, no filter", f"{base}/review"),
            ("filter by type (PERSON)", f"{base}/review?type=PERSON"),
            ("filter by recogniser", f"{base}/review?recogniser=person_names.v1"),
            ("filter by score >= 0.9", f"{base}/review?min_score=0.9"),
            ("filter: not reviewed yet", f"{base}/review?flag=unreviewed"),
            ("filter: indirect identifiers", f"{base}/review?flag=high"),
            ("last page", f"{base}/review?page=9999"),
        ):
            # each time as the first view after a decision: nothing cached from the last one
            forget = session._filtered.clear
            rows.append((label, *_timed(lambda _i, url=url: client.get(url), repeats, forget)))
        rows.append(
            (
                "reject one detection",
                *_timed(
                    lambda i: client.post(
                        f"{base}/decide",
                        data={"row": str(detections[i]), "decision": "reject"},
                        headers=headers,
                    ),
                    repeats,
                ),
            )
        )
        rows.append(
            (
                "add a selected identifier",
                *_timed(
                    lambda i: client.post(
                        f"{base}/add",
                        data={
                            "record_id": no_detection[i][0],
                            "field": no_detection[i][1],
                            "start": "0",
                            "end": "3",
                            "entity_type": "PERSON",
                        },
                        headers=headers,
                    ),
                    repeats,
                ),
            )
        )
        rows.append(
            (
                "mark an answer checked",
                *_timed(
                    lambda i: client.post(
                        f"{base}/check",
                        data={
                            "record_id": no_detection[-1 - i][0],
                            "field": no_detection[-1 - i][1],
                        },
                        headers=headers,
                    ),
                    repeats,
                ),
            )
        )
        size = {
            "answers": len(session.texts),
            "detections": len(detections),
            "to review": session.progress()[1],
        }
    return rows, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-first", action="store_true", help="skip the 2,400-answer runs")
    parser.add_argument("--skip-latency", action="store_true", help="skip the 20,000 answers")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"x86_64, {platform.python_version()}, {sys.platform}")
    if not args.skip_first:
        for warm in (False, True):
            first = first_highlight(warm)
            print(
                f"\nupload to first highlight, {first['answers']} answers, model "
                f"{'loaded at launch' if warm else 'loaded by the first job'}: "
                f"{first['seconds']:.1f} s ({first['rows_then']} of {first['rows']} rows "
                f"done then); upload to every answer reviewable: {first['all_seconds']:.1f} s "
                f"(the anonymisation job: {first['run_seconds']:.1f} s)"
            )
    if args.skip_latency:
        return
    rows, size = latency(args.repeats)
    print(
        f"\n{size['answers']} answers, {size['detections']} detections, "
        f"{size['to review']} answers to review; {args.repeats} repeats\n"
    )
    print("| action | median ms | p95 ms |\n| --- | --- | --- |")
    for label, median, p95 in rows:
        print(f"| {label} | {median:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
