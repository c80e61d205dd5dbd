"""REFI-QDA exports validate against the project schema (when ../shared/refi-qda is present)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lived_experience.codebook import load_codebook
from lived_experience.coding import RuleOnlyCoder, code_frame
from lived_experience.coding.refi_qda import (
    CODEBOOK_NS,
    PROJECT_NS,
    qdc_to_codebook_yaml,
    texts_for_export,
    write_qdc,
    write_qdpx,
)
from lived_experience.errors import ConfigError

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "refi-qda" / "Project-mrt2019.xsd"


def _schema():  # type: ignore[no-untyped-def]
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.exists():
        pytest.skip("the REFI-QDA schema (../shared/refi-qda) is not present")
    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.fixture(scope="module")
def coded(codebook):  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {
            "rid": ["r1", "r2", "r3"],
            "q": [
                "I was bullied by a clique. Café culture aside, I feel valued.",
                "Nothing to add.",
                "A patient refused to let me treat him.",
            ],
        }
    )
    return frame, code_frame(frame, ["q"], "rid", RuleOnlyCoder(codebook))


def test_qdpx_project_is_valid_and_offsets_are_codepoints(codebook, coded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame, result = coded
    path = tmp_path / "project.qdpx"
    write_qdpx(codebook, texts_for_export(frame, ["q"], "rid"), result.segments, path)
    with zipfile.ZipFile(path) as archive:
        document = archive.read("project.qde")
        sources = [n for n in archive.namelist() if n.startswith("Sources/")]
        texts = {n: archive.read(n).decode("utf-8") for n in sources}
    _schema().validate(document.decode("utf-8"))
    root = ET.fromstring(document)
    selections = root.findall(f".//{{{PROJECT_NS}}}PlainTextSelection")
    assert len(selections) == len(result.segments) and len(sources) == 2
    first = root.find(f".//{{{PROJECT_NS}}}TextSource")
    assert first is not None
    text = texts["Sources/" + first.get("plainTextPath", "").removeprefix("internal://")]
    for selection in first.findall(f"{{{PROJECT_NS}}}PlainTextSelection"):
        start, end = int(selection.get("startPosition", 0)), int(selection.get("endPosition", 0))
        assert text[start:end] in frame["q"][0]
    path2 = tmp_path / "again.qdpx"
    write_qdpx(codebook, texts_for_export(frame, ["q"], "rid"), result.segments, path2)
    assert path.read_bytes() == path2.read_bytes()


def test_qdc_codebook_is_valid_and_imports_as_a_draft(codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qdc = tmp_path / "codebook.qdc"
    write_qdc(codebook, qdc)
    codes = ET.parse(qdc).getroot().find(f"{{{CODEBOOK_NS}}}Codes")
    assert codes is not None
    # the schema we have is the project's: validate the codes inside a minimal project
    project = ET.Element(f"{{{PROJECT_NS}}}Project", name="check")
    book = ET.SubElement(project, f"{{{PROJECT_NS}}}CodeBook")
    book.append(
        ET.fromstring(ET.tostring(codes).replace(CODEBOOK_NS.encode(), PROJECT_NS.encode()))
    )
    _schema().validate(ET.tostring(project, encoding="unicode"))
    draft = tmp_path / "draft.yaml"
    qdc_to_codebook_yaml(qdc, draft, "reimported")
    with pytest.raises(ConfigError, match="examples"):
        load_codebook(draft)
    raw = yaml.safe_load(draft.read_text(encoding="utf-8"))
    for theme in raw["themes"]:
        for code in theme["codes"]:
            code["examples"] = ["one example", "another example", "a third example"]
    draft.write_text(yaml.safe_dump(raw), encoding="utf-8")
    reloaded = load_codebook(draft)
    assert len(reloaded.codes) == len(codebook.codes)
