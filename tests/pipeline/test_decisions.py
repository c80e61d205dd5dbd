"""The study pipeline applies a reviewer's decisions file (``anonymise.decisions``)."""

from __future__ import annotations

from pathlib import Path

from lived_experience.ingest import read_table
from lived_experience.pipeline import load_study
from lived_experience.pipeline.stage import StageContext
from lived_experience.pipeline.stages.anonymise import inputs as _anonymise_inputs
from lived_experience.pipeline.stages.anonymise import run as _anonymise
from tests.pipeline.conftest import write_small_study


def test_anonymise_stage_applies_the_decisions_file(tmp_path: Path, rules_only) -> None:  # type: ignore[no-untyped-def]
    config = load_study(write_small_study(tmp_path))
    config = config.model_copy(
        update={"inputs": config.inputs.model_copy(update={"transcripts": None})}
    )
    ctx = StageContext(config, tmp_path / "out", None, lambda _: None)  # type: ignore[arg-type]
    ctx._cache["anonymiser"] = rules_only
    _anonymise(ctx)
    entities_path = ctx.path("review_pack/survey_entities.csv")
    entities = read_table(entities_path)
    target = entities[(entities["risk"] == "") & (entities["entity_type"] == "PHONE_NUMBER")]
    first = target.index[0]
    entities.loc[first, "decision"] = "reject"
    decisions = tmp_path / "decisions.csv"
    entities.to_csv(decisions, index=False)
    reviewed = config.model_copy(
        update={"anonymise": config.anonymise.model_copy(update={"decisions": decisions})}
    )
    assert _anonymise_inputs(reviewed, ctx.folder)["decisions"] == decisions  # hashed: reruns
    ctx = StageContext(reviewed, tmp_path / "out", None, lambda _: None)  # type: ignore[arg-type]
    ctx._cache["anonymiser"] = rules_only
    _anonymise(ctx)
    row = entities.loc[first]
    survey = read_table(ctx.path("shareable/survey_anonymised.csv"))
    text = survey.set_index("respondent_id").loc[row["record_id"], row["field"]]
    assert row["original"] in text
