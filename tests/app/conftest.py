"""Fixtures for the review app: a rules-only anonymiser (fast) and a client with the token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SECRET, SYNTHETIC

starlette = pytest.importorskip("starlette", reason="the app extra is not installed")


@pytest.fixture
def review_app(tmp_path: Path, rules_only):  # type: ignore[no-untyped-def]
    from lived_experience.app import AppConfig, LivedExperienceApp

    config = AppConfig(
        workspace=tmp_path / "ws",
        anonymiser_factory=lambda: rules_only,
        hosts=("127.0.0.1", "localhost", "testserver"),
        max_upload=2 * 1024 * 1024,
        sample_size=5,
    )
    return LivedExperienceApp(config)


@pytest.fixture
def client(review_app) -> Iterator:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    with TestClient(review_app.asgi, follow_redirects=False) as test_client:
        response = test_client.get(f"/?token={review_app.config.token}")
        assert response.status_code == 303 and "le_token" in response.cookies
        test_client.cookies.set("le_token", review_app.config.token)
        yield test_client


def csrf(review_app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"X-CSRF-Token": review_app.config.csrf}


SMALL_CSV = (
    "respondent_id,ethnicity,band,q_experience\n"
    "R1,Black African,Band 5,My manager Dr Adebayo Okonkwo said call 07700 900123 anytime.\n"
    "R2,White British,Band 6,I work with Sister Mary on ward 7 and it is fine really.\n"
    'R3,Asian Indian,Band 5,"I was the first Black matron at Northgate General, '
    '<script>alert(1)</script>"\n'
    "R4,White British,Band 7,Nothing to add about the team here today at all.\n"
    "R5,Black Caribbean,Band 5,Email me at jo.bloggs@nhs.net about the rota please.\n"
)


def upload(client, review_app, name: str = "survey.csv", data: bytes | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/upload",
        files={"file": (name, data if data is not None else SMALL_CSV.encode(), "text/csv")},
        headers=csrf(review_app),
    )


def run_job(
    client,
    review_app,
    job_id: str,
    text=("q_experience",),
    id_column="respondent_id",
    attributes=(),
):  # type: ignore[no-untyped-def]
    response = client.post(
        f"/jobs/{job_id}/run",
        data={
            "text_columns": list(text),
            "id_column": id_column,
            "attribute_columns": list(attributes),
            "k": "2",
            "sheet": "",
        },
        headers=csrf(review_app),
    )
    assert response.status_code == 303, response.text
    review_app.runner.wait_idle()
    return review_app.workspace.get(job_id)


def job_id_from(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"/jobs/([a-z0-9]{12})/", response.headers["location"])
    assert match
    return match.group(1)


__all__ = ["SECRET", "SYNTHETIC"]
