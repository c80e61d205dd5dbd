"""The optional re-identification key: original value -> tag, encrypted with a passphrase.

Written only when asked (``--key KEY.enc``), with mode 0600, and refused inside the output
folder unless explicitly allowed. The passphrase is stretched with scrypt (random salt) into
a Fernet key (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pandas as pd

from lived_experience.errors import SecretFileError
from lived_experience.output import atomic_path

MAGIC = b"LEKEY1\n"
PASSPHRASE_ENV = "LIVED_EXPERIENCE_KEY_PASSPHRASE"


MIN_PASSPHRASE = 12


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase shorter than :data:`MIN_PASSPHRASE` characters."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SecretFileError(
            f"the key passphrase must be at least {MIN_PASSPHRASE} characters. Fix: choose a "
            "longer one."
        )


def check_key_destination(
    destination: str | Path, output_dir: str | Path | None, allow_in_output: bool = False
) -> None:
    """Refuse a key inside the (shareable) output folder unless ``allow_in_output``."""
    destination = Path(destination)
    if output_dir is not None and not allow_in_output:
        out = Path(output_dir).resolve()
        if out == destination.resolve().parent or out in destination.resolve().parents:
            raise SecretFileError(
                f"refusing to write the re-identification key inside the output folder "
                f"'{output_dir}', which is meant to be shared. Fix: write it elsewhere."
            )


def _fernet(passphrase: str, salt: bytes):  # type: ignore[no-untyped-def]
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    check_passphrase(passphrase)
    kdf = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode())))


def write_key(
    entities: pd.DataFrame | dict[str, list[str]],
    destination: str | Path,
    passphrase: str,
    output_dir: str | Path | None = None,
    allow_in_output: bool = False,
) -> int:
    """Encrypt the mapping from each tag to its original values; return how many tags.

    ``entities`` is an entities table or the ``tag_values`` of an anonymisation summary.

    Raises
    ------
    SecretFileError
        If the destination lies inside ``output_dir`` (unless ``allow_in_output``) or the
        passphrase is too short.
    """
    destination = Path(destination)
    check_key_destination(destination, output_dir, allow_in_output)
    check_passphrase(passphrase)
    if isinstance(entities, dict):
        mapping = entities
    else:
        mapping = {}
        replaced = entities[entities["replacement"].astype(str) != ""]
        for row in replaced.itertuples():
            values = mapping.setdefault(str(row.replacement), [])
            if str(row.original) not in values:
                values.append(str(row.original))
    payload = json.dumps(mapping, ensure_ascii=False, sort_keys=True).encode()
    salt = os.urandom(16)
    token = _fernet(passphrase, salt).encrypt(payload)
    with atomic_path(destination, mode=0o600) as tmp:
        tmp.write_bytes(MAGIC + base64.b64encode(salt) + b"\n" + token)
    return len(mapping)


def read_key(path: str | Path, passphrase: str) -> dict[str, list[str]]:
    """Decrypt a key written by :func:`write_key`: tag -> original values."""
    from cryptography.fernet import InvalidToken

    data = Path(path).read_bytes()
    if not data.startswith(MAGIC):
        raise SecretFileError(f"'{path}' is not a lived_experience key file.")
    salt_line, _, token = data[len(MAGIC) :].partition(b"\n")
    try:
        payload = _fernet(passphrase, base64.b64decode(salt_line)).decrypt(token)
    except InvalidToken:
        raise SecretFileError(f"wrong passphrase for key file '{path}'.") from None
    result: dict[str, list[str]] = json.loads(payload)
    return result
