"""Parquet in and out: the output's bytes depend on the data, not on file names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.files import anonymise_file

SECRET = bytes(range(32))


def _input(path: Path) -> Path:
    pd.DataFrame(
        {
            "id": ["R1", "R2", "R3"],
            "band": ["Band 5", "Band 6", "Band 7"],
            "answer": [
                "Call me on 07700 900123 about it.",
                "Email priya.patel@nhs.net, I am a band 6 nurse.",
                "The BAME network helped me.",
            ],
        }
    ).to_parquet(path, index=False)
    return path


def test_parquet_output_is_the_same_bytes_whatever_it_is_called(tmp_path: Path) -> None:
    source = _input(tmp_path / "export.parquet")
    outputs = []
    for name in ("first.parquet", "second-name.parquet"):
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        output = folder / name
        anonymiser = Anonymiser(AnonymiserSettings(use_ner=False), secret=SECRET)
        anonymise_file(source, output, ["answer"], "id", anonymiser)
        outputs.append(output)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    metadata = pq.read_schema(outputs[0]).metadata or {}
    assert b"first" not in b"".join(metadata.values())  # no file name in the metadata
    back = pd.read_parquet(outputs[0])
    assert back["id"].tolist() == ["R1", "R2", "R3"]
    assert "07700" not in " ".join(back["answer"])
    assert "BAME network" in back["answer"].iloc[2]
