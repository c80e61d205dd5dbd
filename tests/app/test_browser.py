"""The review app in a real browser (Debian's Chromium driven by Playwright).

Uploads the synthetic export, runs, rejects one detection, adds a missed identifier by
selecting it, exports, and checks the download is byte-identical to
``lived-experience anonymise ... --decisions`` with the page's decisions file. Nothing may
leave the machine: Python's sockets are limited to loopback by an audit hook and the browser
may request nothing but the app. axe-core checks every page for serious accessibility
problems. With ``LE_SCREENSHOTS=1`` each step is saved to ``docs/img/``.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import REPO, SECRET, SYNTHETIC

pytestmark = pytest.mark.slow
VENDOR = Path(__file__).parent / "vendor"
SCREENSHOTS = REPO / "docs" / "img"
_LOOPBACK_ONLY = threading.Event()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _LOOPBACK_ONLY.is_set():
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address[0] not in {"127.0.0.1", "::1", "localhost"}:
            raise OSError(f"test blocks connections off this machine: {address[0]}")
    elif event == "socket.getaddrinfo" and args[0] not in {"127.0.0.1", "::1", "localhost"}:
        raise OSError(f"test blocks name lookups: {args[0]}")


sys.addaudithook(_audit)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no Chromium on this machine: install Debian's 'chromium' (.ci/run does)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, anonymiser):  # type: ignore[no-untyped-def]
    uvicorn = pytest.importorskip("uvicorn")
    from lived_experience.app import AppConfig, LivedExperienceApp

    app = LivedExperienceApp(
        AppConfig(workspace=tmp_path / "ws", anonymiser_factory=lambda: anonymiser)
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app.asgi, host="127.0.0.1", port=port, access_log=False, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    _LOOPBACK_ONLY.set()
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        _LOOPBACK_ONLY.clear()


def _shot(page: Any, name: str) -> None:
    if os.environ.get("LE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"review_app_{name}.png"), full_page=False)


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def test_review_app_end_to_end_matches_the_command_line(  # type: ignore[no-untyped-def]
    served, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    app, base = served
    caplog.set_level(logging.INFO)
    requested: list[str] = []
    console_errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

        assert page.goto(base + "/").status == 403  # no token, no page
        page.goto(f"{base}/?token={app.config.token}")
        assert "token=" not in page.url  # the token leaves the address bar at once
        _shot(page, "1_start")

        # 1. upload and choose columns (the suggestions are right for the synthetic export)
        page.set_input_files("#file", str(SYNTHETIC / "staff_survey.csv"))
        page.click("form[action='/upload'] button[type=submit]")
        page.wait_for_url("**/setup")
        job_id = page.url.split("/jobs/")[1].split("/")[0]
        meta = app.workspace.get(job_id).meta
        assert meta.text_columns == ["q_experience", "q_improve"]
        assert meta.id_column == "respondent_id"
        assert {"ethnicity", "band"} <= set(meta.attribute_columns)
        _shot(page, "2_columns")
        page.click("#setup-form button[type=submit]")

        # 2. run: the progress bar moves; the review opens after the first chunk of rows,
        # showing the answers done so far while the rest runs
        page.wait_for_url(f"**/jobs/{job_id}")
        page.wait_for_selector("a.button[href$='/review']", timeout=600_000)
        _shot(page, "3_progress")
        if page.locator("#review-early").count():
            page.click("#review-early")
            page.wait_for_selector("article.cell mark")
            _shot(page, "3b_review_live")
            status = page.inner_text("#live-status")
            assert "rows anonymised" in status, status
            page.goto(f"{base}/jobs/{job_id}")
        page.wait_for_selector("text=Review the detections", timeout=600_000)
        page.click("text=Review the detections")

        # 3. review: reject one detection, add a missed identifier by selecting it
        page.wait_for_selector("article.cell")
        _shot(page, "4_review")
        # the first answer with an ordinary detection (an indirect identifier has its own
        # keep / generalise / remove buttons)
        first = page.locator("article.cell:has(button[data-shortcut=r])").first
        record = first.get_attribute("data-record")
        first.locator("button[data-shortcut=r]").first.click()
        page.wait_for_selector(f"article.cell[data-record='{record}'] .det-rej")
        assert (
            "Reviewed 1 of" in page.inner_text("#review-progress")
            or page.locator(".det-rej").count()
        )

        page.goto(f"{base}/jobs/{job_id}/review?flag=sample")
        page.wait_for_selector("article.cell .badge")
        chosen = page.evaluate(
            """() => {
                for (const cell of document.querySelectorAll('article.cell')) {
                    const answer = cell.querySelector('[data-answer]');
                    const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
                    let node;
                    while ((node = walker.nextNode())) {
                        const match = /\\b[A-Za-z]{5,}\\b/.exec(node.textContent);
                        if (!match) continue;
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const selection = window.getSelection();
                        selection.removeAllRanges();
                        selection.addRange(range);
                        answer.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                        cell.focus();
                        return {word: match[0], record: cell.dataset.record,
                                field: cell.dataset.field};
                    }
                }
                return null;
            }"""
        )
        assert chosen, "no answer in the sample has a word to select"
        sample_record, sample_field = chosen["record"], chosen["field"]
        page.wait_for_selector("#add-bar:not([hidden])")
        _shot(page, "5_add_selection")
        page.select_option("#add-type", "PERSON")
        page.click("#add-button")
        page.wait_for_selector(f"article.cell[data-record='{sample_record}'] .det-added")
        page.keyboard.press("c")  # keyboard shortcut: mark the answer checked
        page.wait_for_selector(f"article.cell[data-record='{sample_record}'].reviewed")

        # 4. disclosure control
        page.goto(f"{base}/jobs/{job_id}/disclosure")
        page.wait_for_selector("text=What each choice costs")
        _shot(page, "6_disclosure")

        # 5. export
        page.goto(f"{base}/jobs/{job_id}/export")
        page.click("text=Create the anonymised file and the record")
        page.wait_for_selector("text=survey_anonymised.csv", timeout=600_000)
        _shot(page, "7_export")
        with page.expect_download() as download_info:
            page.click("text=staff_survey_anonymised.csv")
        downloaded = tmp_path / "page.csv"
        download_info.value.save_as(downloaded)
        with page.expect_download() as decisions_info:
            page.click("#decisions-link")
        decisions = tmp_path / "decisions.csv"
        decisions_info.value.save_as(decisions)

        # accessibility: every page, with axe-core (its script needs the CSP bypassed)
        axe_context = browser.new_context(bypass_csp=True)
        axe_page = axe_context.new_page()
        axe_page.goto(f"{base}/?token={app.config.token}")
        problems = {}
        for path in (
            "/",
            f"/jobs/{job_id}/setup",
            f"/jobs/{job_id}",
            f"/jobs/{job_id}/review",
            f"/jobs/{job_id}/review?flag=high",
            f"/jobs/{job_id}/disclosure",
            f"/jobs/{job_id}/export",
        ):
            axe_page.goto(base + path)
            found = _axe(axe_page)
            if found:
                problems[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in found]
        browser.close()
    assert not problems, problems

    # the page's decisions reach the file: one rejection, one addition
    table = pd.read_csv(decisions, dtype=str, keep_default_na=False)
    assert (table["decision"] == "reject").sum() >= 1
    added = table[(table["decision"] == "add") & (table["recogniser"] == "reviewer")]
    assert list(added["record_id"]) == [sample_record]
    assert list(added["field"]) == [sample_field]
    assert list(added["original"]) == [chosen["word"]]

    # byte-identical to the command line with the page's decisions file
    from typer.testing import CliRunner

    from lived_experience.cli import app as cli

    secret_file = tmp_path / "secret.key"
    secret_file.write_text(SECRET.hex())
    os.chmod(secret_file, 0o600)
    cli_out = tmp_path / "cli.csv"
    args = ["anonymise", str(SYNTHETIC / "staff_survey.csv"), "--output", str(cli_out)]
    args += ["--text-column", "q_experience", "--text-column", "q_improve"]
    args += ["--id-column", "respondent_id", "--decisions", str(decisions)]
    args += ["--secret-file", str(secret_file)]
    for column in app.workspace.get(job_id).meta.attribute_columns:
        args += ["--quasi-identifier", column]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert downloaded.read_bytes() == cli_out.read_bytes()
    shared = pd.read_csv(downloaded, dtype=str, keep_default_na=False)
    assert "[PERSON_" in shared.set_index("respondent_id").loc[sample_record, sample_field]

    # nothing left the machine; no CSP violations; no answer text in the logs
    assert requested and all(u.startswith(base) for u in requested), requested
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    survey = pd.read_csv(SYNTHETIC / "staff_survey.csv", dtype=str, keep_default_na=False)
    answers = [a for a in survey["q_experience"].tolist()[:200] if len(a) > 20]
    logged = "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(("lived_experience", "uvicorn", "presidio"))
    )
    assert "lived_experience.app" in {r.name for r in caplog.records}
    assert not [a for a in answers if a[:20] in logged]
    assert app.config.token not in logged and "?token" not in logged
