"""The review app's HTTP API with Starlette's TestClient (rules-only anonymiser: fast)."""

from __future__ import annotations

import io
import json
import os
import re
import stat

import pandas as pd
import pytest

from lived_experience.anonymise.review import Decisions
from tests.app.conftest import SMALL_CSV, csrf, job_id_from, run_job, upload


@pytest.fixture
def done_job(client, review_app):  # type: ignore[no-untyped-def]
    job_id = job_id_from(upload(client, review_app))
    job = run_job(client, review_app, job_id, attributes=("ethnicity", "band"))
    assert job.meta.status == "done", job.meta.error
    return job


def _rows(review_app, job):  # type: ignore[no-untyped-def]
    return review_app._session(job).rows


def test_app_refuses_requests_without_the_launch_token(review_app) -> None:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    with TestClient(review_app.asgi, follow_redirects=False) as anonymous:
        for path in ("/", "/static/app.js", "/jobs/abcdefabcdef/review"):
            response = anonymous.get(path)
            assert response.status_code == 403
        assert anonymous.get("/?token=wrong").status_code == 403
        anonymous.cookies.set("le_token", review_app.config.token)
        assert anonymous.get("/").status_code == 200
        evil = anonymous.get("/", headers={"host": "evil.example:8765"})
        assert evil.status_code == 403  # DNS rebinding: another host name is refused


def test_app_every_change_needs_the_csrf_token(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    job_id = done_job.meta.job_id
    posts = [
        route.path.replace("{job_id}", job_id)
        for route in review_app.asgi.routes
        if "POST" in (getattr(route, "methods", None) or ())
    ]
    assert len(posts) >= 10
    for path in posts:
        response = client.post(path, data={"row": "0", "decision": "reject"})
        assert response.status_code == 403, path
        wrong = client.post(path, data={"row": "0"}, headers={"X-CSRF-Token": "x" * 43})
        assert wrong.status_code == 403, path
    other_site = client.post(
        f"/jobs/{job_id}/decide",
        data={"row": "0", "decision": "reject"},
        headers={**csrf(review_app), "Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    # nothing changed
    assert not [r for r in _rows(review_app, done_job) if r["decision"] == "reject"]


def test_app_security_headers_and_no_inline_script(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/jobs/{done_job.meta.job_id}/review")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)  # every script is a file
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)  # no CDN


def test_app_escapes_answer_text(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/jobs/{done_job.meta.job_id}/review?flag=high").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_app_upload_refuses_html_named_xlsx_with_le_error(client, review_app) -> None:  # type: ignore[no-untyped-def]
    html = b"<!DOCTYPE html><html><body><table><tr><td>id</td></tr></table></body></html>"
    response = upload(client, review_app, "export.xlsx", html)
    assert response.status_code == 400
    assert "[LE001]" in response.text and "HTML page" in response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert not list((review_app.workspace.root / "jobs").iterdir())


def test_app_upload_refuses_files_over_the_limit(client, review_app) -> None:  # type: ignore[no-untyped-def]
    big = SMALL_CSV.encode() + b"R9,x,y," + b"a" * (3 * 1024 * 1024) + b"\n"
    response = upload(client, review_app, "big.csv", big)
    assert response.status_code == 413
    assert "[LE001]" in response.text


def test_app_upload_suggests_columns_and_reads_a_chosen_sheet(client, review_app) -> None:  # type: ignore[no-untyped-def]
    """Every sheet comes back, named and in order; only chosen sheets without free text are
    copied, the others keep their name and header row only."""
    frame = pd.read_csv(io.StringIO(SMALL_CSV), dtype=str)
    comments = pd.DataFrame(
        {"ref": ["C1", "C2"], "comment": ["Ask Dr Zebedee Quartz about the rota on ward 9", "No"]}
    )
    codes = pd.DataFrame({"code": ["B5", "B6"], "label": ["Band 5", "Band 6"]})
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(writer, sheet_name="About", index=False)
        frame.to_excel(writer, sheet_name="Responses", index=False)
        comments.to_excel(writer, sheet_name="Comments", index=False)
        codes.to_excel(writer, sheet_name="Codes", index=False)
    job_id = job_id_from(upload(client, review_app, "survey.xlsx", buffer.getvalue()))
    page = client.get(f"/jobs/{job_id}/setup?sheet=Responses")
    assert page.status_code == 200 and "Responses" in page.text
    assert "free text in comment: withheld" in page.text
    meta = review_app.workspace.get(job_id).meta
    assert meta.sheets == ["About", "Responses", "Comments", "Codes"]
    assert meta.sheet == "Responses"
    assert meta.id_column == "respondent_id" and meta.text_columns == ["q_experience"]
    form = {
        "text_columns": ["q_experience"],
        "id_column": "respondent_id",
        "k": "2",
        "sheet": "Responses",
    }
    refused = client.post(
        f"/jobs/{job_id}/run",
        data={**form, "copy_sheets": ["About", "Comments"]},
        headers=csrf(review_app),
    )
    assert refused.status_code == 400
    assert "sheet &#39;Comments&#39; holds free text" in refused.text
    assert "Zebedee" not in refused.text
    response = client.post(
        f"/jobs/{job_id}/run", data={**form, "copy_sheets": ["About"]}, headers=csrf(review_app)
    )
    assert response.status_code == 303
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    assert job.meta.status == "done", job.meta.error
    client.post(f"/jobs/{job_id}/export", headers=csrf(review_app))
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    assert job.meta.export_status == "done", job.meta.export_error
    from openpyxl import load_workbook

    exported = job.export / "survey_anonymised.xlsx"
    book = load_workbook(exported)
    assert book.sheetnames == ["About", "Responses", "Comments", "Codes"]
    values = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    assert values["About"] == [["note"], ["cover sheet"]]  # chosen: copied
    assert values["Comments"] == [["ref", "comment"]]  # free text: header only
    assert values["Codes"] == [["code", "label"]]  # not chosen: header only
    out = pd.read_excel(exported, sheet_name="Responses", dtype=str)
    assert list(out.columns) == list(frame.columns)
    assert "07700 900123" not in " ".join(out["q_experience"])
    record = (job.export / "information_governance_record.html").read_text()
    assert "Sheets of the workbook" in record and "withheld" in record
    assert "Zebedee" not in record
    export_page = client.get(f"/jobs/{job_id}/export").text
    assert "Comments</strong>: withheld" in export_page


def test_app_copies_other_sheets_as_text_never_formulas(client, review_app) -> None:  # type: ignore[no-untyped-def]
    frame = pd.read_csv(io.StringIO(SMALL_CSV), dtype=str)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Responses", index=False)
        pd.DataFrame({"code": ["B5"], "label": ["@SUM(A1)"]}).to_excel(
            writer, sheet_name="Codes", index=False
        )
    job_id = job_id_from(upload(client, review_app, "survey.xlsx", buffer.getvalue()))
    client.get(f"/jobs/{job_id}/setup?sheet=Responses")
    client.post(
        f"/jobs/{job_id}/run",
        data={
            "text_columns": ["q_experience"],
            "id_column": "respondent_id",
            "k": "2",
            "sheet": "Responses",
            "copy_sheets": ["Codes"],
        },
        headers=csrf(review_app),
    )
    review_app.runner.wait_idle()
    client.post(f"/jobs/{job_id}/export", headers=csrf(review_app))
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    assert job.meta.export_status == "done", job.meta.export_error
    from openpyxl import load_workbook

    from lived_experience.output import escape_formula

    sheet = load_workbook(job.export / "survey_anonymised.xlsx")["Codes"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == escape_formula("@SUM(A1)")
    assert sheet["B2"].value != "@SUM(A1)"


def test_app_second_upload_does_not_disturb_the_first(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    session = review_app._session(done_job)
    first_decision = next(i for i, r in enumerate(session.rows) if r["risk"] != "high")
    client.post(
        f"/jobs/{done_job.meta.job_id}/decide",
        data={"row": str(first_decision), "decision": "reject"},
        headers=csrf(review_app),
    )
    session.flush()
    before = done_job.decisions_path.read_bytes()
    other = job_id_from(upload(client, review_app, "second.csv"))
    run_job(client, review_app, other)
    assert other != done_job.meta.job_id
    assert done_job.decisions_path.read_bytes() == before
    assert review_app.workspace.get(done_job.meta.job_id).meta.status == "done"


def test_app_progress_reports_rows_and_time_left(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    meta = done_job.meta
    assert meta.rows_done == meta.rows_total == 5
    page = client.get(f"/jobs/{meta.job_id}/progress").text
    assert "5 rows" in page and "Review the detections" in page
    meta.status, meta.rows_done, meta.live_records = "running", 2, 2
    assert meta.seconds_left(now=meta.started + 4) == pytest.approx(6.0)
    meta.live_records = 4  # a chunk published for the review, its output not written yet
    assert meta.rows_anonymised() == 4
    assert meta.seconds_left(now=meta.started + 4) == pytest.approx(1.0)


def test_app_decisions_are_the_cli_format_and_apply(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    job_id = done_job.meta.job_id
    session = review_app._session(done_job)
    person = next(i for i, r in enumerate(session.rows) if r["entity_type"] == "PHONE_NUMBER")
    response = client.post(
        f"/jobs/{job_id}/decide",
        data={"row": str(person), "decision": "reject"},
        headers=csrf(review_app),
    )
    assert response.status_code == 200 and "Reviewed" in response.text
    text = session.texts[("R4", "q_experience")]
    start = text.index("team")
    response = client.post(
        f"/jobs/{job_id}/add",
        data={
            "record_id": "R4",
            "field": "q_experience",
            "start": str(start),
            "end": str(start + 4),
            "entity_type": "PERSON",
        },
        headers=csrf(review_app),
    )
    assert response.status_code == 200 and "det-added" in response.text
    session.flush()
    decisions = Decisions.read(done_job.decisions_path)
    assert ("R1", "q_experience") in decisions.rejected
    assert decisions.added[("R4", "q_experience")][0].start == start
    assert stat.S_IMODE(os.stat(done_job.decisions_path).st_mode) == 0o600
    client.post(f"/jobs/{job_id}/export", headers=csrf(review_app))
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    out = pd.read_csv(job.export / "survey_anonymised.csv", dtype=str).set_index("respondent_id")
    assert "07700 900123" in out.loc["R1", "q_experience"]  # rejected: kept
    assert "team" not in out.loc["R4", "q_experience"]  # added: replaced
    assert "[PERSON_" in out.loc["R4", "q_experience"]
    assert list(out.reset_index().columns) == ["respondent_id", "ethnicity", "band", "q_experience"]


def test_app_decisions_are_journalled_not_rewritten(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    """A decision appends one journal line; the decisions file follows a moment later (at
    once before a download), and a session loaded before that replays the journal."""
    from lived_experience.app import LivedExperienceApp

    job_id = done_job.meta.job_id
    session = review_app._session(done_job)
    session.save_delay = 60.0  # the background rewrite will not come during this test
    before = done_job.decisions_path.stat()
    row = next(i for i, r in enumerate(session.rows) if r["entity_type"] == "EMAIL_ADDRESS")
    response = client.post(
        f"/jobs/{job_id}/decide",
        data={"row": str(row), "decision": "reject"},
        headers=csrf(review_app),
    )
    assert response.status_code == 200
    after = done_job.decisions_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    journal = done_job.review_log_path.read_text().splitlines()
    assert [json.loads(line) for line in journal] == [
        {"op": "decide", "row": row, "decision": "reject"}
    ]
    assert stat.S_IMODE(done_job.review_log_path.stat().st_mode) == 0o600
    assert "jo.bloggs" not in done_job.review_log_path.read_text()  # row numbers, no text

    restarted = LivedExperienceApp(review_app.config)._session(review_app.workspace.get(job_id))
    assert restarted.rows[row]["decision"] == "reject"  # replayed from the journal

    download = client.get(f"/jobs/{job_id}/download/decisions")
    assert download.status_code == 200
    assert ("R5", "q_experience") in Decisions.read(done_job.decisions_path).rejected
    assert session._timer is None and not session._dirty


def test_app_reject_word_everywhere_and_indirect_actions(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    job_id = done_job.meta.job_id
    session = review_app._session(done_job)
    indirect = next(i for i, r in enumerate(session.rows) if r["risk"] == "high")
    assert session.generalisable_detail(indirect) is not None
    response = client.post(
        f"/jobs/{job_id}/indirect",
        data={"row": str(indirect), "action": "generalise"},
        headers=csrf(review_app),
    )
    assert response.status_code == 200
    session.flush()
    added = Decisions.read(done_job.decisions_path).added[("R3", "q_experience")]
    assert [session.texts[("R3", "q_experience")][d.start : d.end] for d in added] == [
        "Northgate General"
    ]
    client.post(
        f"/jobs/{job_id}/indirect",
        data={"row": str(indirect), "action": "remove"},
        headers=csrf(review_app),
    )
    session.flush()
    added = Decisions.read(done_job.decisions_path).added[("R3", "q_experience")]
    assert [d.entity_type for d in added] == ["INDIRECT_IDENTIFIER"]
    email = next(i for i, r in enumerate(session.rows) if r["entity_type"] == "EMAIL_ADDRESS")
    client.post(f"/jobs/{job_id}/reject-word", data={"row": str(email)}, headers=csrf(review_app))
    assert session.rows[email]["decision"] == "reject"
    assert session.counts()["words allowed everywhere"] == 1
    assert session.counts()["indirect identifiers removed"] == 1


def test_app_filters_sample_and_checked(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    job_id = done_job.meta.job_id
    page = client.get(f"/jobs/{job_id}/review?type=EMAIL_ADDRESS").text
    assert page.count("<article") == 1 and "jo.bloggs@nhs.net" in page
    assert client.get(f"/jobs/{job_id}/review?min_score=1.01").text.count("<article") == 0
    sample = client.get(f"/jobs/{job_id}/review?flag=sample").text
    assert sample.count("<article") == 1 and "Record R4" in sample  # the one with none
    response = client.post(
        f"/jobs/{job_id}/check",
        data={"record_id": "R4", "field": "q_experience"},
        headers=csrf(review_app),
    )
    assert "reviewed" in response.text
    assert re.search(r"Reviewed 1 of 5", response.text)


def test_app_filters_match_reading_every_detection(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    """The indexed filters give what checking every detection of every answer gives."""
    import itertools

    session = review_app._session(done_job)
    email = next(i for i, r in enumerate(session.rows) if r["entity_type"] == "EMAIL_ADDRESS")
    session.decide(email, "reject")
    session.add("R4", "q_experience", 0, 7, "PERSON")

    def reference(entity_type: str, recogniser: str, min_score: float, flag: str) -> list:  # type: ignore[type-arg]
        out = []
        for key in session.queue:
            rows = [session.rows[i] for i in session.by_cell.get(key, [])]
            if flag == "sample" and key not in session.sample:
                continue
            if flag == "high" and not any(r["risk"] == "high" for r in rows):
                continue
            if flag == "unreviewed" and session.is_reviewed(key):
                continue
            if flag == "rejected" and not any(r["decision"] == "reject" for r in rows):
                continue
            if flag == "added" and not any(r["recogniser"] == "reviewer" for r in rows):
                continue
            if (entity_type or recogniser or min_score) and not any(
                (not entity_type or r["entity_type"] == entity_type)
                and (not recogniser or recogniser in r["recogniser"].split("+"))
                and float(r["score"]) >= min_score
                for r in rows
            ):
                continue
            out.append(key)
        return out

    facets = session.facets()
    flags = ["", "sample", "high", "unreviewed", "rejected", "added"]
    for combo in itertools.product(
        ["", *facets["types"]], ["", *facets["recognisers"]], [0.0, 0.5, 0.99], flags
    ):
        assert session.filter(*combo) == reference(*combo), combo
    assert session.filter(flag="rejected") and session.filter(flag="added")


def test_app_try_one_answer(client, review_app) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/try",
        data={"text": "Ring me on 07700 900123 <b>now</b>"},
        headers=csrf(review_app),
    )
    assert response.status_code == 200
    assert "[PHONE_NUMBER_" in response.text and "&lt;b&gt;now" in response.text


def test_app_disclosure_shows_costs(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/jobs/{done_job.meta.job_id}/disclosure").text
    assert "What each choice costs" in page
    assert "generalise" in page and "suppress" in page
    response = client.post(
        f"/jobs/{done_job.meta.job_id}/disclosure",
        data={"attribute_columns": ["band"], "k": "3"},
        headers=csrf(review_app),
    )
    assert response.status_code == 303
    meta = review_app.workspace.get(done_job.meta.job_id).meta
    assert meta.attribute_columns == ["band"] and meta.k == 3


def test_app_workspace_modes_and_record_holds_no_values(client, review_app, done_job) -> None:  # type: ignore[no-untyped-def]
    job_id = done_job.meta.job_id
    client.post(f"/jobs/{job_id}/export", headers=csrf(review_app))
    review_app.runner.wait_idle()
    job = review_app.workspace.get(job_id)
    assert job.meta.export_status == "done"
    for path in job.work.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path.name
    assert stat.S_IMODE(job.work.stat().st_mode) == 0o700
    assert stat.S_IMODE(review_app.workspace.root.stat().st_mode) == 0o700
    record = (job.export / "information_governance_record.html").read_text()
    entities = pd.read_csv(job.entities_path, dtype=str, keep_default_na=False)
    assert all(value not in record for value in entities["original"])
    assert "R1" not in record and job.meta.sha256 in record
    assert "PHONE_NUMBER" in record and "0.989" in record
    from docx import Document

    docx_text = "\n".join(
        cell.text
        for table in Document(str(job.export / "information_governance_record.docx")).tables
        for row in table.rows
        for cell in row.cells
    )
    assert job.meta.sha256 in docx_text
    assert all(value not in docx_text for value in entities["original"])
    download = client.get(f"/jobs/{job_id}/download/decisions")
    assert download.status_code == 200 and "record_id" in download.text
    assert client.get(f"/jobs/{job_id}/download/..%2Fjob.json").status_code == 404


def test_app_logs_hold_no_answer_text_or_token(client, review_app, done_job, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO)
    job_id = done_job.meta.job_id
    client.get(f"/jobs/{job_id}/review?type=PERSON")
    client.post("/try", data={"text": "Call Dr Zebedee Quartz today"}, headers=csrf(review_app))
    server = [r for r in caplog.records if r.name.startswith(("lived_experience", "uvicorn"))]
    logged = "\n".join(r.getMessage() for r in server)  # the test client's own log aside
    assert "/try" in logged
    assert "Zebedee" not in logged and "type=PERSON" not in logged
    assert review_app.config.token not in logged


def test_app_reaches_nothing_off_this_machine(client, review_app) -> None:  # type: ignore[no-untyped-def]
    """Upload, run, review, decide, try an answer and export with every socket connection
    and name lookup watched by an audit hook: none may leave this machine."""
    import sys

    attempts: list[str] = []
    loopback = {"127.0.0.1", "::1", "localhost"}

    def audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
        if not watching:
            return
        if event == "socket.connect" and isinstance(args[1], tuple):
            if args[1][0] not in loopback:
                attempts.append(f"connect {args[1][0]}")
        elif event == "socket.getaddrinfo" and args[0] not in loopback:
            attempts.append(f"lookup {args[0]}")

    watching = True
    sys.addaudithook(audit)
    try:
        job_id = job_id_from(upload(client, review_app))
        job = run_job(client, review_app, job_id, attributes=("band",))
        assert job.meta.status == "done", job.meta.error
        assert client.get(f"/jobs/{job_id}/review").status_code == 200
        client.post(
            f"/jobs/{job_id}/decide",
            data={"row": "0", "decision": "reject"},
            headers=csrf(review_app),
        )
        client.post("/try", data={"text": "Email jo@nhs.net"}, headers=csrf(review_app))
        client.post(f"/jobs/{job_id}/export", headers=csrf(review_app))
        review_app.runner.wait_idle()
        assert review_app.workspace.get(job_id).meta.export_status == "done"
    finally:
        watching = False
    assert attempts == []


def test_app_unexpected_errors_show_no_details(client, review_app, done_job, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(job):  # type: ignore[no-untyped-def]
        raise KeyError("Adebayo Okonkwo")

    monkeypatch.setattr(review_app, "_session", broken)
    response = client.get(f"/jobs/{done_job.meta.job_id}/review")
    assert response.status_code == 500
    assert "[LE000]" in response.text and "KeyError" in response.text
    assert "Adebayo" not in response.text and "Traceback" not in response.text
