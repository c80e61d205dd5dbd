"""The name gazetteer: given names and surnames of the origins of the NHS workforce.

``data/name_gazetteer.txt`` holds lines of ``origin: name name ...``; users add their own
files with ``AnonymiserSettings(gazetteer_files=...)``. The person-name recogniser matches
against it; the synthetic-data generator reads it to keep held-out names out of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

__all__ = ["load_gazetteer"]


def load_gazetteer(extra_files: Iterable[str | Path] = ()) -> dict[str, str]:
    """Load the bundled gazetteer (and any extra files): lower-case name -> origin group."""
    texts = [
        resources.files("lived_experience.anonymise.data")
        .joinpath("name_gazetteer.txt")
        .read_text(encoding="utf-8")
    ]
    texts += [Path(f).read_text(encoding="utf-8") for f in extra_files]
    names: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            if not line.strip() or line.startswith("#") or ":" not in line:
                continue
            head, _, body = line.partition(":")
            origin = head.split()[0]
            for name in body.split():
                for part in name.replace("_", " ").split():
                    names.setdefault(part.lower(), origin)
    return names
