from __future__ import annotations

from pathlib import Path

from lived_experience.models import embedding_model_key, resolve_embedding_model


def test_embedding_cache_key_names_the_default_and_separates_other_folders(tmp_path: Path) -> None:
    assert embedding_model_key(resolve_embedding_model(None)) == "all-MiniLM-L6-v2"
    first, second = tmp_path / "a" / "model", tmp_path / "b" / "model"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    assert embedding_model_key(str(first)) != embedding_model_key(str(second))
    assert embedding_model_key(str(first)).startswith("model@")
