"""report.html: self-contained, safe, and rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # any attempt to reach a host fails at once instead of waiting for a network
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium on this machine: install Debian's 'chromium' package (.ci/run does) to "
        "check the report in a real browser"
    )


def test_report_is_self_contained_and_holds_no_identifier_values(small_study) -> None:  # type: ignore[no-untyped-def]
    _, result, _ = small_study
    page = result.report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    for heading in (
        "Data received",
        "What anonymisation removed",
        "Themes by group",
        "Emergent topics",
        "WRES indicators",
        "Top quotes per theme",
    ):
        assert heading in page
    entities = pd.read_csv(
        result.folder / "review_pack" / "survey_entities.csv", dtype=str, keep_default_na=False
    )
    values = {v for v in entities["original"] if len(v) >= 6}
    assert values and not [v for v in values if v in page]
    assert "Black" in page  # research descriptors survive into the report


def test_report_renders_in_headless_chromium_without_errors(small_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chromium = _chromium()
    _, result, _ = small_study
    url = result.report.resolve().as_uri()
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*common, "--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert 'data-rendered="yes"' in dom.stdout
    charts = int(re.search(r'data-charts="(\d+)"', dom.stdout).group(1))  # type: ignore[union-attr]
    assert charts >= 4
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if re.search(r"error|uncaught", line, re.IGNORECASE)]
    shot = tmp_path / "report.png"
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1200,2400", "--hide-scrollbars", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    from matplotlib.image import imread

    pixels = imread(shot)[:, :, :3]
    ink = (pixels.mean(axis=2) < 0.9).mean()
    coloured = ((pixels.max(axis=2) - pixels.min(axis=2)) > 0.25).mean()
    assert ink > 0.02  # text and charts, not a blank page
    assert coloured > 0.002  # the coloured bars and intervals drew
