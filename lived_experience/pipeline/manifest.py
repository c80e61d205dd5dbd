"""The run manifest: what each stage read, with which settings, and what it wrote.

A stage is skipped when its fingerprint (stage version, settings and the content hash of every
input) matches the last run's and every output it wrote is still there with the same hash.
The manifest also records the package, Python, model and codebook versions, so a report can
be reproduced. It holds hashes and counts, never data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lived_experience.output import write_text_atomic

MANIFEST_NAME = "run_manifest.json"


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or of a folder's files (names and bytes, sorted)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(child.relative_to(path).as_posix().encode("utf-8") + b"\0")
            digest.update(file_digest(child).encode("ascii"))
        return digest.hexdigest()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(
    stage: str, version: str, settings: Mapping[str, Any], inputs: Mapping[str, Path | None]
) -> str:
    """One hash over a stage's version, settings and input contents."""
    payload = {
        "stage": stage,
        "version": version,
        "settings": settings,
        "inputs": {
            name: (file_digest(path) if path is not None and path.exists() else None)
            for name, path in sorted(inputs.items())
        },
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Manifest:
    """Read, update and write ``run_manifest.json`` in the output folder."""

    folder: Path
    environment: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: when the last run started (UTC, ISO 8601): the one field that differs between two
    #: runs of the same study; nothing else in the manifest or the outputs holds a time
    last_run_utc: str = ""

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        if not path.exists():
            return cls(folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(folder)  # unreadable: every stage runs again
        return cls(
            folder,
            data.get("environment", {}),
            data.get("stages", {}),
            str(data.get("last_run_utc", "")),
        )

    def is_current(self, stage: str, stage_fingerprint: str) -> bool:
        entry = self.stages.get(stage)
        if not entry or entry.get("fingerprint") != stage_fingerprint:
            return False
        for relative, digest in entry.get("outputs", {}).items():
            path = self.folder / relative
            if not path.exists() or file_digest(path) != digest:
                return False
        return True

    def record(
        self,
        stage: str,
        stage_fingerprint: str,
        outputs: Iterable[Path],
        settings: Mapping[str, Any],
        summary: Mapping[str, Any],
    ) -> None:
        self.stages[stage] = {
            "fingerprint": stage_fingerprint,
            "settings": dict(settings),
            "summary": dict(summary),
            "outputs": {
                path.relative_to(self.folder).as_posix(): file_digest(path)
                for path in sorted(set(outputs))
                if path.exists()
            },
        }

    def summary(self, stage: str) -> dict[str, Any]:
        return dict(self.stages.get(stage, {}).get("summary", {}))

    def write(self) -> Path:
        path = self.folder / MANIFEST_NAME
        text = json.dumps(
            {
                "environment": self.environment,
                "last_run_utc": self.last_run_utc,
                "stages": self.stages,
            },
            indent=2,
            sort_keys=True,
            default=str,
        )
        write_text_atomic(path, text + "\n")
        return path
