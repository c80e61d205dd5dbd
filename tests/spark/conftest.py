"""One local[2,2] SparkSession for the whole test session (two cores, one retry per task).

The tests skip, saying why, only where pyspark or a Java runtime is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FAULT_FILE = Path(os.environ.get("TMPDIR", "/tmp")) / f"le-spark-fault-{os.getpid()}"


def _skip_reason() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'lived_experience[spark]')"
    from lived_experience.spark.session import java_available

    if not java_available():
        return "no Java runtime (apt-get install openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from lived_experience.spark.session import spark_session
    from lived_experience.spark.workers import FAULT_FILE_ENV

    FAULT_FILE.unlink(missing_ok=True)
    session = spark_session(
        "local[2,2]",
        conf={
            "spark.sql.shuffle.partitions": "2",
            # small Arrow batches, so a partition has several and a fault can strike mid-way
            "spark.sql.execution.arrow.maxRecordsPerBatch": "40",
            f"spark.executorEnv.{FAULT_FILE_ENV}": str(FAULT_FILE),
        },
    )
    yield session
    session.stop()
    FAULT_FILE.unlink(missing_ok=True)


@pytest.fixture()
def fault_file() -> Path:
    return FAULT_FILE
