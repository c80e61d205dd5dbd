"""Consistent pseudonyms from a keyed hash, and the project secret that keys it.

The same value gets the same tag everywhere — every row, column, survey wave and
transcript — because the tag is derived from an HMAC-SHA256 of the normalised value with a
project secret: no mapping has to be stored, and without the secret the tags cannot be
reversed by hashing guessed names (Presidio's hash operator salts each value at random, so
its hashes are not consistent).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from pathlib import Path

from lived_experience.errors import ConfigError, SecretFileError
from lived_experience.output import write_text_atomic
from lived_experience.project_secret import SECRET_FILE_ENV, default_secret_path

__all__ = ["SECRET_FILE_ENV", "default_secret_path"]  # re-exported: they live in project_secret

_log = logging.getLogger("lived_experience")

_TITLE = re.compile(
    r"^(?:dr|mr|mrs|ms|miss|mx|prof|professor|sister|matron|nurse)\.?\s+", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[\s\-().]+")


def load_or_create_secret(path: str | Path | None = None) -> bytes:
    """Read the secret at ``path`` (default :func:`default_secret_path`), creating it once.

    A new secret is 32 random bytes written as hex with mode 0600. Keep it: the same secret
    gives the same tags next time (e.g. for the next survey wave).
    """
    path = Path(path) if path else default_secret_path()
    if path.exists():
        try:
            value = path.read_text(encoding="ascii").strip()
            secret = bytes.fromhex(value)
        except (OSError, UnicodeDecodeError, ValueError):
            raise SecretFileError(
                f"secret file '{path}' is unreadable or not hex. Fix: restore it from your "
                "backup; a new secret would give every pseudonym a different tag."
            ) from None
        if len(secret) < 16:
            raise SecretFileError(
                f"secret file '{path}' holds fewer than 16 bytes. Fix: use a longer secret "
                "(delete the file to create a new one, if no earlier outputs must match)."
            )
        return secret
    secret = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, secret.hex() + "\n", mode=0o600)
    except OSError as exc:
        raise SecretFileError(
            f"cannot create the secret file '{path}' ({exc.strerror}). Fix: pass "
            f"--secret-file with a writable path, or set {SECRET_FILE_ENV}."
        ) from None
    _log.warning(secret_created_message(path))
    return secret


def secret_created_message(path: Path) -> str:
    """What a user is told the first time the project secret is created."""
    return (
        f"Created a new project secret at {path} (readable only by you). It keys the "
        "pseudonym tags: keep it and back it up, so the same person gets the same tag in the "
        "next wave; without it nobody can link a tag to a name by guessing. Never share it "
        "with the anonymised data."
    )


def normalise_value(entity_type: str, value: str) -> str:
    """The form of ``value`` that is hashed: case, spacing, titles and possessives ignored.

    >>> normalise_value("PERSON", "Dr  Priya Patel's")
    'priya patel'
    >>> normalise_value("PHONE_NUMBER", "(0113) 496-0456")
    '01134960456'
    >>> normalise_value("PHONE_NUMBER", "+44 (0)113 496 0456")
    '01134960456'
    """
    text = value.strip().casefold()
    if entity_type == "PERSON":
        text = _TITLE.sub("", text)
        text = re.sub(r"['’]s$", "", text)
        return " ".join(text.split())
    if entity_type in {
        "PHONE_NUMBER",
        "NHS_NUMBER",
        "UK_NINO",
        "UK_POSTCODE",
        "STAFF_ID",
        "GMC_NUMBER",
        "NMC_PIN",
        "REGISTRATION_NUMBER",
        "CREDIT_CARD",
        "IBAN_CODE",
        "LONG_NUMBER",
    }:
        text = _SEPARATORS.sub("", text)
        if entity_type == "PHONE_NUMBER" and text.startswith("+44"):
            text = "0" + text[3:].removeprefix("0")
        return text
    return " ".join(text.split())


class PseudonymTagger:
    """Turns (entity type, value) into a tag such as ``[PERSON_3F9A2C]``.

    >>> tagger = PseudonymTagger(b"0" * 32)
    >>> tagger.tag("PERSON", "Priya Patel") == tagger.tag("PERSON", "priya  patel")
    True
    """

    def __init__(self, secret: bytes, length: int = 6) -> None:
        if not 4 <= length <= 16:
            raise ConfigError(
                f"tag length {length} is not between 4 and 16 hex digits. Fix: set "
                "tag_length to a value from 4 to 16 (default 6)."
            )
        self.secret = secret
        self.length = length

    def digest(self, entity_type: str, value: str) -> str:
        message = f"{entity_type}\x1f{normalise_value(entity_type, value)}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest().upper()

    def tag(self, entity_type: str, value: str) -> str:
        return f"[{entity_type}_{self.digest(entity_type, value)[: self.length]}]"


#: Matches tags this toolkit writes, so anonymising its output again changes nothing.
TAG_PATTERN = re.compile(r"\[[A-Z][A-Z_]*?(?:_[0-9A-F]{4,16})?\]|\[REDACTED\]")
