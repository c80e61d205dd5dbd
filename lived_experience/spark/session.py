"""Starting Spark for the command line (``--engine spark``), with clear errors when it cannot.

Library users on Databricks or Spark Connect pass their own ``spark`` session to
:func:`lived_experience.spark.anonymise_spark`; this module is for the CLI and tests, which
start a classic session on a ``local[N]`` (or ``spark://``) master.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from lived_experience.errors import LivedExperienceError

INSTALL_LINE = "pip install 'lived_experience[spark]'  (pyspark==4.3.0)"


class SparkUnavailableError(LivedExperienceError):
    """pyspark or Java is missing; the message gives the install line."""

    code = "LE060"


def require_pyspark() -> None:
    """Raise :class:`SparkUnavailableError` with the install line when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailableError(
            f"the Spark engine needs pyspark. Fix: {INSTALL_LINE}, or use --engine local."
        ) from None


def java_available() -> bool:
    """Whether a Java runtime for Spark can be found (``$JAVA_HOME`` or ``java`` on PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return True
    return shutil.which("java") is not None


def spark_session(master: str = "local[2]", conf: dict[str, str] | None = None) -> Any:
    """A classic SparkSession on ``master`` set up for this toolkit (quiet, Arrow on, no UI).

    ``SPARK_LOCAL_IP`` defaults to 127.0.0.1 so a local master needs no network. Extra
    ``conf`` entries are applied last.
    """
    require_pyspark()
    if not java_available():
        raise SparkUnavailableError(
            "the Spark engine needs a Java 17 runtime. Fix: install it (Debian/Ubuntu: "
            "apt-get install openjdk-17-jre-headless) or set JAVA_HOME, or use --engine local."
        )
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Workers run this interpreter (its packages and models), not whatever python3 is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.shuffle.partitions": "4",
        "spark.python.worker.reuse": "true",
        "spark.driver.bindAddress": "127.0.0.1" if master.startswith("local") else "",
        **(conf or {}),
    }
    builder = SparkSession.builder.master(master).appName("lived_experience")
    for key, value in settings.items():
        if value:
            builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
