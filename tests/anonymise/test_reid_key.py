from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.anonymise.reid_key import read_key, write_key
from lived_experience.errors import SecretFileError

ENTITIES = pd.DataFrame(
    {
        "original": ["Priya Patel", "priya patel", "07700 900123"],
        "replacement": ["[PERSON_AAAAAA]", "[PERSON_AAAAAA]", "[PHONE_NUMBER_BBBBBB]"],
    }
)


def test_key_round_trip_is_encrypted_and_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "reid.enc"
    assert write_key(ENTITIES, path, "correct horse battery", output_dir=tmp_path / "out") == 2
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"Priya" not in path.read_bytes()
    assert read_key(path, "correct horse battery")["[PERSON_AAAAAA]"] == [
        "Priya Patel",
        "priya patel",
    ]
    with pytest.raises(SecretFileError, match="wrong passphrase"):
        read_key(path, "wrong horse battery")


def test_key_is_refused_inside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(SecretFileError, match="inside the output folder"):
        write_key(
            ENTITIES,
            tmp_path / "out" / "k.enc",
            "correct horse battery",
            output_dir=tmp_path / "out",
        )
    with pytest.raises(SecretFileError, match="at least 12"):
        write_key(ENTITIES, tmp_path / "k.enc", "short")
