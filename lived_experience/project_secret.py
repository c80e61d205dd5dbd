"""Where the project secret lives (a light module: no NLP imports, so a skipped stage is fast)."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the secret file.
SECRET_FILE_ENV = "LIVED_EXPERIENCE_SECRET_FILE"


def default_secret_path() -> Path:
    """Where the project secret lives when ``--secret-file`` is not given.

    ``$LIVED_EXPERIENCE_SECRET_FILE`` if set, else
    ``$XDG_CONFIG_HOME/lived_experience/secret.key`` (``~/.config/...`` by default): a
    per-user place, outside any output folder, so anonymised outputs can be shared without it.
    """
    if os.environ.get(SECRET_FILE_ENV):
        return Path(os.environ[SECRET_FILE_ENV]).expanduser()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "lived_experience" / "secret.key"
