"""--engine spark on files: byte-identical outputs, same errors, retries without lost rows."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pandas as pd
import pytest

from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.files import anonymise_file
from lived_experience.errors import DuplicateIdError, InputFileError, MissingColumnError
from lived_experience.spark.files import SparkEngine
from tests.spark.data import survey

SECRET = bytes(range(32))
RULES = AnonymiserSettings(use_ner=False)
TEXT = ["q_experience", "q_improve"]


def _secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.key"
    path.write_text(SECRET.hex() + "\n", encoding="ascii")
    return path


def _run_both(
    tmp_path: Path,
    source: Path,
    settings: AnonymiserSettings,
    suffix: str = ".csv",
    chunk_size: int = 50,
    nlp: object = None,
) -> tuple[Path, Path]:
    """Anonymise ``source`` with both engines; (local output, spark output); entities in review/."""
    engine = SparkEngine(partition_rows=70)  # partitions deliberately not aligned with chunks
    paths = []
    for name in ("local", "spark"):
        output = tmp_path / f"{name}{suffix}"

        def run(chunks, columns, key, decisions):  # type: ignore[no-untyped-def]
            return engine.anonymise_chunks(
                chunks, columns, key, decisions, settings=settings, secret_file=_secret(tmp_path)
            )

        anonymise_file(
            source,
            output,
            TEXT,
            "id",
            Anonymiser(settings, secret=SECRET, nlp=nlp),  # type: ignore[arg-type]
            entities_path=_review(tmp_path) / f"{name}.entities.csv",
            chunk_size=chunk_size,
            engine=run if name == "spark" else None,
        )
        paths.append(output)
    return paths[0], paths[1]


def _same_bytes(a: Path, b: Path) -> bool:
    return filecmp.cmp(a, b, shallow=False)


def _review(tmp_path: Path) -> Path:
    """The SENSITIVE entities go in a folder of their own, never beside the output."""
    folder = tmp_path / "review"
    folder.mkdir(exist_ok=True)
    return folder


def test_csv_output_and_entities_are_byte_identical(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.csv"
    survey(260).to_csv(source, index=False)
    local, on_spark = _run_both(tmp_path, source, RULES)
    assert _same_bytes(local, on_spark)
    assert _same_bytes(
        _review(tmp_path) / "local.entities.csv", _review(tmp_path) / "spark.entities.csv"
    )
    assert len(pd.read_csv(on_spark, dtype=str)) == 260
    assert "[PHONE_NUMBER_" in on_spark.read_text(encoding="utf-8")


@pytest.mark.slow
def test_output_with_spacy_ner_is_byte_identical(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.models import load_spacy

    settings = AnonymiserSettings(spacy_model="en_core_web_sm")
    source = tmp_path / "in.csv"
    survey(120).to_csv(source, index=False)
    nlp = load_spacy("en_core_web_sm", ner_only=True)
    local, on_spark = _run_both(tmp_path, source, settings, nlp=nlp)
    assert _same_bytes(local, on_spark)
    assert _same_bytes(
        _review(tmp_path) / "local.entities.csv", _review(tmp_path) / "spark.entities.csv"
    )
    assert "[PERSON_" in on_spark.read_text(encoding="utf-8")


def test_parquet_in_and_out_are_byte_identical(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.parquet"
    frame = survey(150)
    frame["score"] = range(150)  # a non-text column comes back as text, as from CSV
    frame.to_parquet(source, index=False)
    local, on_spark = _run_both(tmp_path, source, RULES, suffix=".parquet")
    assert _same_bytes(local, on_spark)
    back = pd.read_parquet(on_spark)
    assert back["id"].tolist() == frame["id"].tolist()
    assert back["score"].tolist() == [str(i) for i in range(150)]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("id,q_experience,q_improve\nR1,a,b\nR1,c,d\n", DuplicateIdError),
        ("id,q_experience\nR1,a\n", MissingColumnError),
        ("id,q_experience,q_improve\n", InputFileError),
        ('id,q_experience,q_improve\nR1,"unclosed,b\n', InputFileError),
    ],
)
def test_malformed_input_gives_the_local_engines_error(
    tmp_path: Path, content: str, error: type[Exception]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    messages = []
    for engine in (None, SparkEngine(master="local[1]")):

        def run(chunks, columns, key, decisions, engine=engine):  # type: ignore[no-untyped-def]
            return engine.anonymise_chunks(
                chunks, columns, key, decisions, settings=RULES, secret_file=_secret(tmp_path)
            )

        with pytest.raises(error) as raised:
            anonymise_file(
                source,
                tmp_path / "out.csv",
                TEXT,
                "id",
                Anonymiser(RULES, secret=SECRET),
                engine=run if engine else None,
            )
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert not (tmp_path / "out.csv").exists()


def test_a_failed_task_is_retried_without_lost_or_duplicated_rows(
    spark,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    fault_file: Path,
) -> None:
    source = tmp_path / "in.csv"
    frame = survey(200)
    frame.to_csv(source, index=False)
    fault_file.write_text("fail once", encoding="utf-8")
    local, on_spark = _run_both(tmp_path, source, RULES, chunk_size=64)
    assert not fault_file.exists(), "the injected fault never fired"
    assert _same_bytes(local, on_spark)
    with on_spark.open(encoding="utf-8", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert ids == frame["id"].tolist()


def test_a_worker_failure_never_carries_answer_text_into_the_logs() -> None:
    """Spark logs the traceback of what a worker raises: it must hold no data."""
    import traceback

    from lived_experience.spark.workers import SparkWorkerError, _guarded

    answer = "Priya Patel shouted at me on 07700 900123"

    def leaky(batch: pd.DataFrame, job: dict[str, object]) -> pd.DataFrame:
        raise ValueError(f"could not parse {batch['text'].iloc[0]!r}")

    batches = iter([pd.DataFrame({"text": [answer]})])
    with pytest.raises(SparkWorkerError) as raised:
        list(_guarded(leaky, batches, {}, "anonymise"))
    logged = "".join(traceback.format_exception(raised.value))
    assert "ValueError in a Spark anonymise worker" in logged
    assert "Priya" not in logged and "07700" not in logged


def test_cli_engine_spark_writes_the_same_file(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from lived_experience.cli import app

    source = tmp_path / "in.csv"
    survey(80).to_csv(source, index=False)
    outputs = []
    for engine in ("local", "spark"):
        output = tmp_path / f"{engine}.csv"
        args = ["anonymise", str(source), "--text-column", "q_experience"]
        args += ["--text-column", "q_improve", "--id-column", "id", "--output", str(output)]
        args += ["--secret-file", str(_secret(tmp_path)), "--spacy-model", "en_core_web_sm"]
        args += ["--engine", engine, "--spark-master", "local[2]"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(output)
    assert _same_bytes(*outputs)
    assert "[PERSON_" in outputs[1].read_text(encoding="utf-8")


def test_spark_job_errors_keep_le_errors_and_withhold_everything_else() -> None:
    from lived_experience.errors import SecretFileError
    from lived_experience.spark.files import _clean_spark_error
    from lived_experience.spark.workers import SparkWorkerError

    trace = "Traceback\n  File 'w.py'\nlived_experience.errors.SecretFileError: [LE007] no secret."
    kept = _clean_spark_error(RuntimeError(trace))
    assert isinstance(kept, SecretFileError) and str(kept) == "[LE007] no secret."
    withheld = _clean_spark_error(RuntimeError("ValueError: could not parse 'Priya Patel'"))
    assert isinstance(withheld, SparkWorkerError) and "Priya" not in str(withheld)
