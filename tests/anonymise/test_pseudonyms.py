from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.anonymise.pseudonyms import (
    PseudonymTagger,
    default_secret_path,
    load_or_create_secret,
)
from lived_experience.errors import SecretFileError


def test_secret_is_created_once_outside_outputs_and_reused(tmp_path: Path) -> None:
    path = default_secret_path()
    assert "lived_experience" in str(path) and not path.exists()
    first = load_or_create_secret()
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_secret() == first and len(first) == 32


def test_tags_depend_on_the_secret_and_the_normalised_value() -> None:
    a, b = PseudonymTagger(b"a" * 32), PseudonymTagger(b"b" * 32)
    assert a.tag("PERSON", "Dr Priya Patel") == a.tag("PERSON", "priya  PATEL")
    assert a.tag("PERSON", "Priya Patel") != b.tag("PERSON", "Priya Patel")
    assert a.tag("PHONE_NUMBER", "+44 7700 900123") == a.tag("PHONE_NUMBER", "07700900123")
    assert a.tag("PERSON", "Priya") != a.tag("PERSON", "Priya Patel")


def test_a_corrupt_secret_file_is_not_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("not hex", encoding="ascii")
    with pytest.raises(SecretFileError, match="restore it"):
        load_or_create_secret(path)


def test_first_creation_of_the_secret_is_announced_with_its_location(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from lived_experience.anonymise.pseudonyms import load_or_create_secret

    path = tmp_path / "cfg" / "secret.key"
    with caplog.at_level(logging.WARNING, logger="lived_experience"):
        first = load_or_create_secret(path)
        again = load_or_create_secret(path)
    messages = [r.getMessage() for r in caplog.records]
    assert first == again
    assert len(messages) == 1  # only the first time
    assert str(path) in messages[0] and "keep it" in messages[0]
