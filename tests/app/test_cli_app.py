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


def test_app_command_listens_on_loopback_only(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A real server started as the command starts it: its one socket is 127.0.0.1."""
    import http.client
    import threading
    import time

    monkeypatch.setattr("lived_experience.app.server.LivedExperienceApp.warm_up", lambda _: None)
    bound: list[tuple[str, int]] = []
    statuses: list[int] = []

    def serve(app, **kwargs):  # type: ignore[no-untyped-def]
        server = uvicorn.Server(uvicorn.Config(app, **{**kwargs, "port": 0}))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        try:
            for listener in server.servers:
                bound.extend(s.getsockname()[:2] for s in listener.sockets)
            connection = http.client.HTTPConnection(*bound[0], timeout=10)
            connection.request("GET", "/")
            statuses.append(connection.getresponse().status)
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    monkeypatch.setattr(uvicorn, "run", serve)
    result = CliRunner().invoke(cli, ["app", "--workspace", str(tmp_path), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert bound and all(host == "127.0.0.1" for host, _ in bound)
    assert statuses == [403]  # no token, no page
