"""Coding on Spark: the same rows, codes, scores and segments as code_frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.coding import build_coder, code_frame
from lived_experience.errors import ConfigError
from lived_experience.spark import code_spark, code_with_engine
from lived_experience.spark.files import SparkEngine
from tests.spark.data import survey

TEXT = ["q_experience", "q_improve"]
CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "wres_lived_experience.yaml"


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    from lived_experience.codebook import load_codebook

    return load_codebook(CODEBOOK)


def test_code_with_spark_engine_writes_the_same_bytes(spark, book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.output import write_table

    frame = survey(150)
    coder = build_coder("rule", book)
    local = code_frame(frame, TEXT, "id", coder)  # type: ignore[arg-type]
    on_spark = code_with_engine(SparkEngine(partition_rows=40), frame, TEXT, "id", coder, book)
    assert (local.frame["codes"] != "").any()
    for name, result in (("local", local), ("spark", on_spark)):
        write_table(result.frame, tmp_path / f"{name}.csv", escape_columns=TEXT)
        write_table(result.segments, tmp_path / f"{name}.segments.csv")
    for suffix in (".csv", ".segments.csv"):
        local_bytes = (tmp_path / f"local{suffix}").read_bytes()
        assert local_bytes == (tmp_path / f"spark{suffix}").read_bytes()


def test_code_spark_on_a_dataframe_matches_code_frame(spark, book) -> None:  # type: ignore[no-untyped-def]
    frame = survey(60)
    local = code_frame(frame, TEXT, "id", build_coder("rule", book))  # type: ignore[arg-type]
    coded = code_spark(spark.createDataFrame(frame).repartition(2), TEXT, "id", book, "rule")
    got = coded.toPandas().set_index("id").loc[frame["id"]]
    assert got["codes"].tolist() == local.frame["codes"].tolist()
    for code_id in book.code_ids:
        assert got[f"score:{code_id}"].tolist() == local.frame[f"score:{code_id}"].tolist()


def test_learned_coder_is_refused_on_spark_with_a_fix(book) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.spark.frames import code_job

    with pytest.raises(ConfigError, match="--engine local"):
        code_job(book, TEXT, "id", coder="learned_coder.v1")
