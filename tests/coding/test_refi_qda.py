"""REFI-QDA exports validate against the REFI-QDA project and codebook schemas (MIT, bundled in
tests/data/refi-qda), carry cases with variables, and come back in through the importer."""

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
    read_qdpx_cases,
    read_qdpx_codings,
    texts_for_export,
    write_qdc,
    write_qdpx,
    write_survey_qdpx,
)
from lived_experience.errors import ConfigError, InputFileError

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "refi-qda"


def _schema(name: str = "Project-mrt2019.xsd"):  # type: ignore[no-untyped-def]
    xmlschema = pytest.importorskip("xmlschema")
    if not (SCHEMAS / name).exists():
        pytest.skip(f"the REFI-QDA schema tests/data/refi-qda/{name} is not present")
    return xmlschema.XMLSchema(str(SCHEMAS / name))


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
    assert len(selections) == len(result.segments) and len(sources) == 3
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
    _schema("Codebook.xsd").validate(str(qdc))
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


@pytest.fixture(scope="module")
def survey_project(codebook, labelled_survey, tmp_path_factory):  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    frame = survey.iloc[:60].reset_index(drop=True)
    columns = ["q_experience", "q_improve"]
    result = code_frame(frame, columns, "respondent_id", RuleOnlyCoder(codebook))
    path = tmp_path_factory.mktemp("qdpx") / "survey.qdpx"
    write_survey_qdpx(codebook, result, columns, "respondent_id", path, "rule_coder.v1")
    return frame, result, path


def test_qdpx_has_a_case_per_respondent_with_attributes(survey_project) -> None:  # type: ignore[no-untyped-def]
    frame, result, path = survey_project
    with zipfile.ZipFile(path) as archive:
        document = archive.read("project.qde").decode("utf-8")
    _schema().validate(document)
    root = ET.fromstring(document)
    cases = root.findall(f".//{{{PROJECT_NS}}}Case")
    sources = root.findall(f".//{{{PROJECT_NS}}}TextSource")
    assert len(cases) == len(sources) == frame["respondent_id"].nunique()
    variables = {v.get("name") for v in root.iter(f"{{{PROJECT_NS}}}Variable")}
    assert {"ethnic_group", "staff_group", "band"} <= variables
    assert not {"q_experience", "codes"} & variables  # no free text, no coder output
    table = read_qdpx_cases(path).set_index("id")
    original = frame.set_index("respondent_id")
    for column in ("ethnic_group", "staff_group", "band"):
        assert table[column].to_dict() == original[column].astype(str).to_dict()
    user = root.find(f".//{{{PROJECT_NS}}}User")
    assert user is not None and user.get("name") == "rule_coder.v1"
    descriptions = [
        s.findtext(f"{{{PROJECT_NS}}}Description", "")
        for s in root.iter(f"{{{PROJECT_NS}}}PlainTextSelection")
    ]
    assert descriptions and all(d.startswith("code: ") and "score: " in d for d in descriptions)


def test_round_trip_gives_back_the_same_codings(survey_project) -> None:  # type: ignore[no-untyped-def]
    _, result, path = survey_project
    expected = {str(i): ";".join(sorted(set(g["code"]))) for i, g in result.segments.groupby("id")}
    back = read_qdpx_codings(path)
    assert dict(zip(back["id"], back["codes"], strict=True)) == expected
    assert read_qdpx_codings(path, coder="rule_coder.v1").equals(back)
    everyone = read_qdpx_codings(path, include_uncoded=True)
    assert len(everyone) == len(result.frame) and set(back["id"]) <= set(everyone["id"])
    with pytest.raises(InputFileError, match="rule_coder.v1"):
        read_qdpx_codings(path, coder="somebody else")


def test_codings_from_another_tool_are_read_by_code_name(tmp_path: Path) -> None:
    """A hand-written project as NVivo might export it: codes without our ids, no cases."""
    ns = PROJECT_NS
    g = "{:08d}-0000-4000-8000-000000000000".format
    document = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{ns}" name="hand coded">
  <Users><User guid="{g(1)}" name="A. Researcher"/></Users>
  <CodeBook><Codes>
    <Code guid="{g(2)}" name="Bullying from staff" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{g(3)}" name="NSS-0001" plainTextPath="internal://a.txt">
      <PlainTextSelection guid="{g(4)}" startPosition="0" endPosition="5">
        <Coding guid="{g(5)}" creatingUser="{g(1)}"><CodeRef targetGUID="{g(2)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{g(6)}" name="NSS-0002" plainTextPath="internal://b.txt"/>
  </Sources>
</Project>"""
    _schema().validate(document)
    path = tmp_path / "hand.qde"
    path.write_text(document, encoding="utf-8")
    labels = read_qdpx_codings(path, coder="A. Researcher")
    assert labels.to_dict("records") == [{"id": "NSS-0001", "codes": "bullying_from_staff"}]
    with pytest.raises(InputFileError, match="not a readable REFI-QDA project"):
        read_qdpx_codings(tmp_path / "missing.qdpx")
