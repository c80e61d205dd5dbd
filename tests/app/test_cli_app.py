"""``lived-experience app``: loopback by default, a loud warning for any other interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lived_experience.cli import app as cli

uvicorn = pytest.importorskip("uvicorn", reason="the app extra is not installed")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    # the real command loads the language model in the background at launch; not here
    monkeypatch.setattr("lived_experience.app.server.LivedExperienceApp.warm_up", lambda _: None)
    return calls


def test_app_command_binds_loopback_with_a_token(started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["app", "--workspace", str(tmp_path), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert started == [
        {"host": "127.0.0.1", "port": 8765, "access_log": False, "log_level": "warning"}
    ]
    assert "http://127.0.0.1:8765/?token=" in result.output
    assert "WARNING" not in result.output
    assert (tmp_path / "jobs").is_dir()


def test_app_command_warns_loudly_for_other_interfaces(started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["app", "--workspace", str(tmp_path), "--no-browser", "--host", "0.0.0.0"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "0.0.0.0"
    assert "WARNING" in result.output and "other computers" in result.output
