"""The name gazetteer: given names and surnames of the origins of the NHS workforce.

``data/name_gazetteer.txt`` holds lines of ``origin: name name ...``; users add their own
files with ``AnonymiserSettings(gazetteer_files=...)``. The person-name recogniser matches
against it; the synthetic-data generator reads it to keep held-out names out of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

__all__ = ["COMMON_WORD_MARK", "load_gazetteer"]

#: the bundled lists: names from Faker's public locales (built by bench/build_name_gazetteer.py)
#: and the project's round-1 list of the workforce's common names, loaded together
BUNDLED_FILES = ("name_gazetteer.txt", "name_gazetteer_project.txt")

#: prefix of the origin of a gazetteer name that is also an everyday English word
COMMON_WORD_MARK = "~"


def load_gazetteer(extra_files: Iterable[str | Path] = ()) -> dict[str, str]:
    """Load the bundled gazetteer (and any extra files): lower-case name -> origin group.

    Names on ``common`` lines (also everyday English words: Hope, Grace, Will) get an
    origin starting with :data:`COMMON_WORD_MARK`; the recogniser takes them only in context.
    """
    data = resources.files("lived_experience.anonymise.data")
    texts = [data.joinpath(name).read_text(encoding="utf-8") for name in BUNDLED_FILES]
    texts += [Path(f).read_text(encoding="utf-8") for f in extra_files]
    names: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            if not line.strip() or line.startswith("#") or ":" not in line:
                continue
            head, _, body = line.partition(":")
            origin, *kind = head.split()
            if kind and kind[0] == "common":  # also an everyday word: context only
                origin = COMMON_WORD_MARK + origin
            for name in body.split():
                for part in name.replace("_", " ").split():
                    names.setdefault(part.lower(), origin)
    return names
