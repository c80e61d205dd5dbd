"""The command line is a thin layer: these check parsing, exit codes and messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from lived_experience.cli import app
from lived_experience.errors import LivedExperienceError

runner = CliRunner()


def test_help_lists_the_stages() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "ingest",
        "anonymise",
        "evaluate-anonymiser",
        "wres",
        "demo",
        "generate-synthetic",
    ):
        assert command in result.output


def test_every_command_has_help_and_is_documented_in_the_readme() -> None:
    import typer.main

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) >= 10
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
        assert f"`{command}`" in readme or f"lived-experience {command}" in readme, command


def test_ingest_writes_segments(synthetic_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "segments.csv"
    result = runner.invoke(
        app, ["ingest", str(synthetic_dir / "transcripts"), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) > 100


def test_bad_input_exits_2_with_one_clean_line_and_no_output(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    pd.DataFrame({"id": ["1"], "text": ["Kwame Mensah private words"]}).to_csv(path, index=False)
    out = tmp_path / "anon.csv"
    result = runner.invoke(
        app,
        [
            "anonymise",
            str(path),
            "--text-column",
            "comment",
            "--id-column",
            "id",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert "comment" in result.output and "Traceback" not in result.output
    assert "private" not in result.output
    assert not out.exists()


@pytest.mark.slow
def test_anonymise_command_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "export.csv"
    pd.DataFrame(
        {
            "id": ["1", "2"],
            "band": ["Band 5", "Band 6"],
            "text": ["Sister Ngozi Okafor on Ward 7B", "Black staff are not promoted"],
        }
    ).to_csv(path, index=False)
    monkeypatch.setenv("LIVED_EXPERIENCE_KEY_PASSPHRASE", "a long test passphrase")
    out = tmp_path / "out" / "anon.csv"
    result = runner.invoke(
        app,
        [
            "anonymise",
            str(path),
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--output",
            str(out),
            "--review",
            str(tmp_path / "r.html"),
            "--entities",
            str(tmp_path / "e.csv"),
            "--key",
            str(tmp_path / "key.enc"),
            "--secret-file",
            str(tmp_path / "secret.key"),
        ],
    )
    assert result.exit_code == 0, result.output
    anonymised = pd.read_csv(out)
    # (not just "7B": a random pseudonym tag such as [NHS_SITE_67B987] may contain it)
    assert "Ngozi" not in anonymised["text"][0] and "Ward 7B" not in anonymised["text"][0]
    assert anonymised["text"][1] == "Black staff are not promoted"
    assert "Ngozi" not in result.output
    assert (tmp_path / "key.enc").exists()


def test_wres_writes_the_contract_columns(synthetic_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "indicators.csv"
    wres = synthetic_dir / "wres"
    result = runner.invoke(
        app,
        [
            "wres",
            str(wres / "returns.csv"),
            "--bands",
            str(wres / "bands.csv"),
            "--survey",
            str(wres / "staff_survey.csv"),
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == [
        "org_code",
        "year",
        "indicator",
        "group",
        "value",
        "ci_low",
        "ci_high",
        "flag",
    ]
    assert sorted(table["indicator"].unique()) == list(range(1, 10))


def test_wres_rejects_impossible_returns_with_exit_2(synthetic_dir: Path, tmp_path: Path) -> None:
    returns = pd.read_csv(synthetic_dir / "wres" / "returns.csv")
    returns.loc[3, "appointed_white"] = returns.loc[3, "shortlisted_white"] + 1
    path = tmp_path / "returns.csv"
    returns.to_csv(path, index=False)
    out = tmp_path / "indicators.csv"
    result = runner.invoke(app, ["wres", str(path), "--output", str(out)])
    assert result.exit_code == 2 and "line 5" in result.output and not out.exists()


@pytest.mark.slow
def test_code_and_agreement_commands(
    synthetic_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVED_EXPERIENCE_CACHE", str(tmp_path / "cache.sqlite"))
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False)
    source = tmp_path / "survey.csv"
    survey.iloc[:80].to_csv(source, index=False)
    coded, segments = tmp_path / "coded.csv", tmp_path / "segments.csv"
    codebook = str(synthetic_dir.parents[1] / "codebooks" / "wres_lived_experience.yaml")
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--text-column",
            "q_experience",
            "--text-column",
            "q_improve",
            "--id-column",
            "respondent_id",
            "--codebook",
            codebook,
            "--output",
            str(coded),
            "--segments",
            str(segments),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(coded, dtype=str, keep_default_na=False)
    assert table["respondent_id"].tolist() == survey["respondent_id"].iloc[:80].tolist()
    assert "codes" in table.columns and "score:bullying_from_staff" in table.columns
    assert {"sentence", "code", "score", "evidence"} <= set(pd.read_csv(segments).columns)
    assert (tmp_path / "coded.csv.settings.json").exists()
    result = runner.invoke(
        app,
        [
            "crosstab",
            str(coded),
            "--by",
            "ethnic_group",
            "--codebook",
            codebook,
            "--output",
            str(tmp_path / "x.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(tmp_path / "x.csv")["ethnic_group"]) >= {"White", "Ethnic minority"}
    result = runner.invoke(app, ["export-codebook", codebook, "--output", str(tmp_path / "c.qdc")])
    assert result.exit_code == 0 and (tmp_path / "c.qdc").stat().st_size > 1000
    table.rename(columns={"respondent_id": "id"}).to_csv(tmp_path / "a.csv", index=False)
    result = runner.invoke(
        app,
        [
            "agreement",
            str(tmp_path / "a.csv"),
            str(tmp_path / "a.csv"),
            "--codebook",
            codebook,
            "--output",
            str(tmp_path / "ag.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pd.read_csv(tmp_path / "ag.csv").set_index("code").loc["(overall)", "kappa"] == 1.0


@pytest.mark.slow
def test_quotes_command(
    synthetic_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lived_experience.codebook import load_codebook
    from lived_experience.coding import RuleOnlyCoder, code_frame

    monkeypatch.setenv("LIVED_EXPERIENCE_CACHE", str(tmp_path / "cache.sqlite"))
    codebook = synthetic_dir.parents[1] / "codebooks" / "wres_lived_experience.yaml"
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False)
    segments = code_frame(
        survey.iloc[:200], ["q_experience"], "respondent_id", RuleOnlyCoder(load_codebook(codebook))
    ).segments
    segments.to_csv(tmp_path / "segments.csv", index=False)
    result = runner.invoke(
        app,
        [
            "quotes",
            str(tmp_path / "segments.csv"),
            "--codebook",
            str(codebook),
            "--per-code",
            "2",
            "--output",
            str(tmp_path / "q.docx"),
            "--markdown",
            str(tmp_path / "q.md"),
            "--csv",
            str(tmp_path / "q.csv"),
            "--mix",
            str(tmp_path / "mix.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    quotes = pd.read_csv(tmp_path / "q.csv", keep_default_na=False)
    assert list(quotes.columns) == [
        "quote_id",
        "quote",
        "code",
        "id",
        "score",
        "attribution",
        "flags",
    ]
    assert (tmp_path / "q.docx").exists() and (tmp_path / "q.md").exists()
    mix = pd.read_csv(tmp_path / "mix.csv")
    assert {"raised_percent", "shortlist_percent"} <= set(mix.columns)


@pytest.mark.slow
def test_topics_writes_the_contract_files(synthetic_dir: Path, tmp_path: Path) -> None:
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str).head(300)
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    out = tmp_path / "topics"
    result = runner.invoke(
        app,
        [
            "topics",
            str(path),
            "--text-column",
            "q_experience",
            "--text-column",
            "q_improve",
            "--id-column",
            "respondent_id",
            "--output-dir",
            str(out),
            "--no-rescan",
        ],
    )
    assert result.exit_code == 0, result.output
    assignments = pd.read_csv(out / "assignments.csv", dtype=str)
    assert list(assignments.columns[:3]) == ["id", "field", "topic"]
    assert assignments["id"].iloc[::2].tolist() == survey["respondent_id"].tolist()
    topics = pd.read_csv(out / "topics.csv")
    assert {"topic", "label", "size", "keywords", "representative_1"} <= set(topics.columns)
    assert (out / "charts" / "topics_barchart.html").exists()
    assert (out / "charts" / "intertopic_map.png").exists()


def _topics_on_tiny_file(tmp_path: Path, *options: str) -> Result:
    path = tmp_path / "tiny.csv"
    pd.DataFrame({"id": ["1", "2"], "text": ["Parking is bad.", "Rota is bad."]}).to_csv(
        path, index=False
    )
    return runner.invoke(
        app,
        [
            "topics",
            str(path),
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--output-dir",
            str(tmp_path / "out"),
            *options,
        ],
    )


def test_topics_too_few_answers_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = _topics_on_tiny_file(tmp_path, "--no-rescan")
    assert result.exit_code == 2
    assert "at least 50 distinct" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_topics_rescan_pseudonymises_with_the_project_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a name the re-scan finds gets a tag; made with a fixed, public key it could be
    # reversed by trying a list of names, so the CLI must use the project's secret
    import lived_experience.topics as topics_module

    seen: dict[str, Any] = {}

    def capture(*args: Any, anonymiser: Any = None, **kwargs: Any) -> Any:
        seen["anonymiser"] = anonymiser
        raise LivedExperienceError("stopped by the test")

    monkeypatch.setattr(topics_module, "model_topics", capture)
    secret_file = tmp_path / "secret.key"
    secret_file.write_text("ab" * 32 + "\n", encoding="ascii")
    result = _topics_on_tiny_file(tmp_path, "--secret-file", str(secret_file))
    assert result.exit_code == 2 and "stopped by the test" in result.output
    assert seen["anonymiser"].secret == bytes.fromhex("ab" * 32)
