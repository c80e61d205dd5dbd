"""Write a topic run to a folder: tables, charts and the saved model."""

from __future__ import annotations

from pathlib import Path

from lived_experience.output import write_table
from lived_experience.topics.analysis import TopicResult
from lived_experience.topics.charts import write_topic_charts


def write_topic_outputs(result: TopicResult, folder: str | Path) -> list[Path]:
    """``topics.csv``, ``assignments.csv``, ``topics_by_group.csv``, ``topics_by_wave.csv``,
    ``charts/`` and ``model/`` (safetensors); return the files written."""
    folder = Path(folder)
    text_columns = [c for c in result.topics.columns if c.startswith("representative_")]
    tables = {
        "topics.csv": (result.topics, ["label", "keywords", *text_columns]),
        "assignments.csv": (result.assignments, ["label"]),
        "topics_by_group.csv": (result.by_group, ["group", "label"]),
        "topics_by_wave.csv": (result.by_wave, ["wave", "label"]),
    }
    written = []
    for name, (frame, escape) in tables.items():
        write_table(frame, folder / name, escape_columns=[c for c in escape if c in frame])
        written.append(folder / name)
    modeler = result.modeler
    written += write_topic_charts(
        result.topics,
        result.by_group,
        modeler.topic_vectors_,
        list(modeler.topic_ids_),
        folder / "charts",
    )
    model_folder = modeler.save(folder / "model")
    written += sorted(p for p in model_folder.rglob("*") if p.is_file())
    return written
