"""Same input, settings and secret: the same bytes, in every process and hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SYNTHETIC

SCRIPT = """
import sys
from pathlib import Path
import pandas as pd
from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.files import anonymise_file
folder = Path(sys.argv[1])
survey = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False).head(150)
survey.to_csv(folder / "in.csv", index=False)
anonymiser = Anonymiser(AnonymiserSettings(use_ner=False), secret=b"s" * 32)
anonymise_file(folder / "in.csv", folder / "out.csv", ["q_experience", "q_improve"],
               "respondent_id", anonymiser, entities_path=folder / "review" / "entities.csv")
"""


def test_entities_are_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "12345"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(folder), str(SYNTHETIC / "staff_survey.csv")],
            check=True,
            env=env,
        )
        outputs.append(
            ((folder / "out.csv").read_bytes(), (folder / "review" / "entities.csv").read_bytes())
        )
    assert outputs[0][1].count(b"\n") > 20  # detections to compare
    assert outputs[0] == outputs[1] == outputs[2]


DEMO = """
import sys
from lived_experience.demo import run_demo
run_demo(sys.argv[1], sys.argv[2], echo=lambda _: None, codebook_path=sys.argv[3])
"""


@pytest.mark.slow
def test_the_demo_twice_differs_only_in_the_run_time(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedder,  # type: ignore[no-untyped-def]
    demo_run,  # type: ignore[no-untyped-def]
) -> None:
    """Every file of two demo runs, the second in another process with another hash seed
    (set order, model loading and caches differ), is byte-identical, apart from
    ``last_run_utc`` in the manifest. The first is the session's in-process demo run."""
    monkeypatch.setenv("LIVED_EXPERIENCE_CACHE", str(embedder.cache_path))
    codebook = REPO / "codebooks" / "wres_lived_experience.yaml"
    folders = [demo_run[0], tmp_path / "b"]
    subprocess.run(
        [sys.executable, "-c", DEMO, str(folders[1]), str(SYNTHETIC), str(codebook)],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)},
    )
    files = [sorted(p.relative_to(f) for p in f.rglob("*") if p.is_file()) for f in folders]
    assert files[0] == files[1]
    different = [
        rel
        for rel in files[0]
        if (folders[0] / rel).read_bytes() != (folders[1] / rel).read_bytes()
    ]
    assert different == [Path("run_manifest.json")]
    manifests = [json.loads((f / "run_manifest.json").read_text(encoding="utf-8")) for f in folders]
    assert manifests[0]["last_run_utc"] and manifests[1]["last_run_utc"]
    for manifest in manifests:
        manifest.pop("last_run_utc")
    assert manifests[0] == manifests[1]
