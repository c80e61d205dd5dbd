"""anonymise_spark on Spark DataFrames: the local engine's results, rows and order kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.errors import DuplicateIdError, MissingColumnError, SecretFileError
from lived_experience.spark import anonymise_spark
from lived_experience.spark.workers import ENTITIES_COLUMN, frame_from_json
from tests.spark.data import survey

SECRET = bytes(range(32))
RULES = AnonymiserSettings(use_ner=False)
TEXT = ["q_experience", "q_improve"]


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.key"
    path.write_text(SECRET.hex() + "\n", encoding="ascii")
    return path


def test_anonymise_spark_matches_local_engine(spark, secret_file: Path) -> None:  # type: ignore[no-untyped-def]
    frame = survey(180)
    local = Anonymiser(RULES, secret=SECRET).anonymise_frame(frame, TEXT, "id")
    df = spark.createDataFrame(frame).repartition(3)  # rows scattered over 3 partitions
    result = anonymise_spark(df, TEXT, "id", RULES, secret_file=secret_file, with_entities=True)
    got = result.toPandas().set_index("id").loc[frame["id"]].reset_index()
    for column in ["id", "band", *TEXT]:
        assert got[column].tolist() == local.frame[column].tolist()
    assert "[PHONE_NUMBER_" in " ".join(got["q_experience"])
    entities = frame_from_json(got[ENTITIES_COLUMN].tolist(), [])
    key = ["record_id", "field", "start"]
    expected = local.entities.sort_values(key).reset_index(drop=True)
    assert entities.sort_values(key).reset_index(drop=True).equals(expected)


def test_anonymise_spark_keeps_partitions_order_and_columns(spark, secret_file: Path) -> None:  # type: ignore[no-untyped-def]
    frame = survey(90)
    df = spark.createDataFrame(frame).coalesce(2)
    result = anonymise_spark(df, TEXT, "id", RULES, secret_file=secret_file)
    assert result.columns == df.columns
    assert [r["id"] for r in result.select("id").collect()] == frame["id"].tolist()


def test_anonymise_spark_errors_match_the_local_engine(spark, secret_file: Path) -> None:  # type: ignore[no-untyped-def]
    frame = survey(20)
    df = spark.createDataFrame(frame)
    with pytest.raises(MissingColumnError) as local_error:
        Anonymiser(RULES, secret=SECRET).anonymise_frame(frame, ["q_missing"], "id")
    with pytest.raises(MissingColumnError) as spark_error:
        anonymise_spark(df, ["q_missing"], "id", RULES, secret_file=secret_file)
    assert str(spark_error.value) == str(local_error.value)
    doubled = spark.createDataFrame(pd.concat([frame, frame.iloc[:1]]))
    with pytest.raises(DuplicateIdError, match="R00000"):
        anonymise_spark(doubled, TEXT, "id", RULES, secret_file=secret_file)


def test_workers_refuse_a_secret_that_differs_from_the_drivers(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from lived_experience.spark.frames import anonymise_job
    from lived_experience.spark.workers import read_secret

    path = tmp_path / "secret.key"
    path.write_text(SECRET.hex(), encoding="ascii")
    job = anonymise_job(RULES, TEXT, "id", path)
    path.write_text(bytes(32).hex(), encoding="ascii")  # replaced after the driver read it
    with pytest.raises(SecretFileError, match="differs") as error:
        read_secret(job)
    assert SECRET.hex() not in str(error.value) and bytes(32).hex() not in str(error.value)
    with pytest.raises(SecretFileError, match="cannot read"):
        read_secret({**job, "secret_file": str(tmp_path / "absent.key")})
