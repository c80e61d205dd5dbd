"""Interchange with NVivo, ATLAS.ti and MAXQDA through the REFI-QDA standard.

* :func:`write_qdc` — the codebook as a REFI-QDA codebook (``.qdc``): themes become parent
  codes (not codable), codes their children, with definition and guidance in the description
  and the code's colour;
* :func:`write_qdpx` — the coded project (``.qdpx``, a zip with ``project.qde`` and the
  sources as plain text): each coded sentence a plain-text selection with codepoint offsets,
  its coding credited to the coder, and the evidence in its description;
* :func:`qdc_to_codebook_yaml` — a ``.qdc`` from another tool as a draft codebook YAML to
  complete (REFI-QDA codebooks carry no examples; add at least three per code);
* :func:`read_qdpx_codings` — the codings of a ``.qdpx`` (from this toolkit or coded by hand
  in another tool) as a labels frame (``id``, ``codes``) for ``agreement``, calibration and
  training; :func:`read_qdpx_cases` its cases and their variables.

A project holds one text source per respondent (all their answers, a heading line per
question) and one case per respondent with the survey's attributes as variables.

GUIDs are derived (UUID 5) from the codebook id, code ids and record ids, so exporting the
same results twice gives the same GUIDs.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import yaml

from lived_experience.codebook import Codebook
from lived_experience.coding.apply import CodedFrame
from lived_experience.errors import InputFileError
from lived_experience.output import atomic_path, write_text_atomic

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_ROOT = uuid.UUID("6f1c1b7e-2f5a-4f0e-9d55-6c6976656478")  # namespace of this toolkit's GUIDs
ORIGIN = "lived_experience"


def guid(*parts: str) -> str:
    return str(uuid.uuid5(_ROOT, "\x1f".join(parts)))


def _codes_element(codebook: Codebook, ns: str) -> ET.Element:
    codes = ET.Element(f"{{{ns}}}Codes")
    for theme in codebook.themes:
        parent = ET.SubElement(
            codes,
            f"{{{ns}}}Code",
            guid=guid(codebook.id, "theme", theme.id),
            name=theme.label,
            isCodable="false",
        )
        if theme.description:
            ET.SubElement(parent, f"{{{ns}}}Description").text = theme.description
        for code in theme.codes:
            child = ET.SubElement(
                parent,
                f"{{{ns}}}Code",
                guid=guid(codebook.id, "code", code.id),
                name=code.label,
                isCodable="true",
                color=code.colour,
            )
            description = (
                f"[{code.id}] {code.definition.strip()}\nWhen to use: "
                f"{code.when_to_use}\nWhen not to use: {code.when_not_to_use}"
            )
            if code.wres_indicators:
                description += "\nWRES indicators: " + ", ".join(map(str, code.wres_indicators))
            ET.SubElement(child, f"{{{ns}}}Description").text = description
    return codes


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdc(codebook: Codebook, destination: str | Path) -> None:
    """Write ``codebook`` as a REFI-QDA codebook exchange file (``.qdc``)."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(
        f"{{{CODEBOOK_NS}}}CodeBook", origin=f"{ORIGIN} {codebook.id} {codebook.version}"
    )
    root.append(_codes_element(codebook, CODEBOOK_NS))
    with atomic_path(destination) as tmp:
        tmp.write_bytes(_xml_bytes(root))


#: Between two answers of one respondent in their source text.
SECTION_GAP = "\n\n"


def _sections(answers: list[tuple[str, str]]) -> tuple[str, dict[str, int]]:
    """One respondent's source text (a heading line per question) and each answer's offset."""
    parts: list[str] = []
    offsets: dict[str, int] = {}
    position = 0
    for field, text in answers:
        if parts:
            parts.append(SECTION_GAP)
            position += len(SECTION_GAP)
        heading = f"{field}\n"
        offsets[field] = position + len(heading)
        parts += [heading, text]
        position += len(heading) + len(text)
    return "".join(parts), offsets


def _variable_type(values: pd.Series) -> str:
    text = values.fillna("").astype(str)
    present = text[text != ""]
    if len(present) and present.str.fullmatch(r"-?\d{1,18}").all():
        return "Integer"
    return "Text"


def project_xml(
    codebook: Codebook,
    texts: pd.DataFrame,
    segments: pd.DataFrame,
    coder_name: str = "lived_experience",
    attributes: pd.DataFrame | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` document and the plain-text sources it points to.

    ``texts`` has one row per answer: ``id``, ``field``, ``text``; ``segments`` the coded
    sentences as :func:`~lived_experience.coding.code_frame` returns them (``id``, ``field``,
    ``start``, ``end``, ``code``, optionally ``score`` and ``evidence``). ``attributes`` has
    one row per respondent: ``id`` and the survey's attribute columns.

    Every respondent with an answer becomes one text source holding all their answers (a
    heading line names each question) and one case carrying the attributes as variables, so
    NVivo, ATLAS.ti and MAXQDA can compare codes by group. Each coded sentence is a selection
    whose coding is credited to the user ``coder_name``; its description gives the code id,
    the score and the evidence.
    """
    ET.register_namespace("", PROJECT_NS)
    ns = PROJECT_NS
    user = guid(codebook.id, "user", coder_name)
    root = ET.Element(
        f"{{{ns}}}Project",
        name=f"{codebook.id} coded project",
        origin=ORIGIN,
        creatingUserGUID=user,
    )
    users = ET.SubElement(root, f"{{{ns}}}Users")
    ET.SubElement(users, f"{{{ns}}}User", guid=user, name=coder_name)
    book = ET.SubElement(root, f"{{{ns}}}CodeBook")
    book.append(_codes_element(codebook, ns))
    answers: dict[str, list[tuple[str, str]]] = {}
    for row in texts.itertuples(index=False):
        if str(row.text).strip():
            answers.setdefault(str(row.id), []).append((str(row.field), str(row.text)))
    attribute_rows: dict[str, dict[str, str]] = {}
    variable_names: list[str] = []
    if attributes is not None and len(attributes):
        variable_names = [c for c in attributes.columns if c != "id"]
        table = attributes.fillna("").astype(str).drop_duplicates("id")
        attribute_rows = {r["id"]: r for r in table.to_dict("records")}
        variables = ET.SubElement(root, f"{{{ns}}}Variables")
        for name in variable_names:
            ET.SubElement(
                variables,
                f"{{{ns}}}Variable",
                guid=guid(codebook.id, "variable", name),
                name=name,
                typeOfVariable=_variable_type(attributes[name]),
            )
        kinds = {v.get("name"): v.get("typeOfVariable") for v in variables}
    cases = ET.SubElement(root, f"{{{ns}}}Cases")
    for respondent in answers:
        case = ET.SubElement(
            cases, f"{{{ns}}}Case", guid=guid(codebook.id, "case", respondent), name=respondent
        )
        for name in variable_names:
            value = attribute_rows.get(respondent, {}).get(name, "")
            if value == "":
                continue
            holder = ET.SubElement(case, f"{{{ns}}}VariableValue")
            ET.SubElement(
                holder, f"{{{ns}}}VariableRef", targetGUID=guid(codebook.id, "variable", name)
            )
            tag = "IntegerValue" if kinds[name] == "Integer" else "TextValue"
            ET.SubElement(holder, f"{{{ns}}}{tag}").text = value
        ET.SubElement(
            case, f"{{{ns}}}SourceRef", targetGUID=guid(codebook.id, "source", respondent)
        )
    if not len(cases):
        root.remove(cases)
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    coded_by_id = {str(key): group for key, group in segments.groupby("id", sort=False)}
    files: dict[str, str] = {}
    for respondent, parts in answers.items():
        text, offsets = _sections(parts)
        source_guid = guid(codebook.id, "source", respondent)
        path = f"{source_guid}.txt"
        files[path] = text
        source = ET.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            guid=source_guid,
            name=respondent,
            plainTextPath=f"internal://{path}",
            creatingUser=user,
        )
        coded = coded_by_id.get(respondent)
        if coded is None:
            continue
        for row in coded.to_dict("records"):
            field = str(row["field"])
            if field not in offsets:
                continue
            start = offsets[field] + int(row["start"])
            end = offsets[field] + int(row["end"])
            code_id = str(row["code"])
            key = (respondent, field, str(row["start"]), code_id)
            selection = ET.SubElement(
                source,
                f"{{{ns}}}PlainTextSelection",
                guid=guid(codebook.id, "selection", *key),
                name=code_id,
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user,
            )
            evidence = [f"code: {code_id}", f"question: {field}"]
            if "score" in row and str(row["score"]) != "":
                evidence.append(f"score: {float(row['score']):.3f}")
            if str(row.get("evidence", "")).strip():
                evidence.append(f"evidence: {row['evidence']}")
            ET.SubElement(selection, f"{{{ns}}}Description").text = "; ".join(evidence)
            coding = ET.SubElement(
                selection,
                f"{{{ns}}}Coding",
                guid=guid(codebook.id, "coding", *key),
                creatingUser=user,
            )
            ET.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=guid(codebook.id, "code", code_id))
    return _xml_bytes(root), files


def write_qdpx(
    codebook: Codebook,
    texts: pd.DataFrame,
    segments: pd.DataFrame,
    destination: str | Path,
    coder_name: str = "lived_experience",
    attributes: pd.DataFrame | None = None,
) -> None:
    """Write the coded project as a REFI-QDA project exchange file (``.qdpx``).

    See :func:`project_xml` for what it holds. The zip's timestamps are fixed, so the same
    results give a byte-identical file.
    """
    document, files = project_xml(codebook, texts, segments, coder_name, attributes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", (2024, 1, 1, 0, 0, 0)), document)
        for name, text in sorted(files.items()):
            archive.writestr(
                zipfile.ZipInfo(f"Sources/{name}", (2024, 1, 1, 0, 0, 0)), text.encode("utf-8")
            )
    with atomic_path(destination) as tmp:
        tmp.write_bytes(buffer.getvalue())


def write_survey_qdpx(
    codebook: Codebook,
    coded: CodedFrame,
    text_columns: Sequence[str],
    id_column: str,
    destination: str | Path,
    coder_name: str = "lived_experience",
) -> None:
    """Write what :func:`~lived_experience.coding.code_frame` returned as a ``.qdpx``: a
    source and a case per respondent, the attribute columns as the cases' variables."""
    write_qdpx(
        codebook,
        texts_for_export(coded.frame, text_columns, id_column),
        coded.segments,
        destination,
        coder_name=coder_name,
        attributes=attributes_for_export(coded.frame, text_columns, id_column),
    )


def attributes_for_export(
    frame: pd.DataFrame, text_columns: Sequence[str], id_column: str
) -> pd.DataFrame:
    """The respondents' attribute columns (``id`` first), for the cases of :func:`write_qdpx`.

    Text columns, the coder's ``codes`` and ``score:<code>`` columns are left out.
    """
    skip = {id_column, *text_columns, "codes"}
    columns = [c for c in frame.columns if c not in skip and not str(c).startswith("score:")]
    out = frame[columns].fillna("").astype(str)
    out.insert(0, "id", frame[id_column].astype(str))
    return out


def texts_for_export(
    frame: pd.DataFrame, text_columns: Sequence[str], id_column: str
) -> pd.DataFrame:
    """The (id, field, text) table :func:`write_qdpx` needs, from a coded frame."""
    parts = [
        pd.DataFrame(
            {
                "id": frame[id_column].astype(str),
                "field": column,
                "text": frame[column].fillna("").astype(str),
            }
        )
        for column in text_columns
    ]
    return pd.concat(parts, ignore_index=True)


def qdc_to_codebook_yaml(
    source: str | Path, destination: str | Path, codebook_id: str, version: str = "0.1.0"
) -> None:
    """Turn a ``.qdc`` into a draft codebook YAML (parents become themes)."""
    try:
        root = ET.parse(source).getroot()
    except (ET.ParseError, OSError):
        raise InputFileError(
            f"'{source}' is not a readable REFI-QDA codebook (.qdc). Fix: export the codebook "
            "again from NVivo, ATLAS.ti or MAXQDA as a REFI-QDA codebook (.qdc)."
        ) from None
    ns = root.tag.split("}")[0].strip("{") if root.tag.startswith("{") else ""
    q = (lambda tag: f"{{{ns}}}{tag}") if ns else (lambda tag: tag)
    codes_element = root.find(q("Codes"))
    if codes_element is None:
        raise InputFileError(f"'{source}' has no <Codes>; is it a REFI-QDA codebook?")

    def slug(name: str) -> str:
        cleaned = "".join(c.lower() if c.isalnum() else "_" for c in name).strip("_")
        return "_".join(filter(None, cleaned.split("_"))) or "code"

    def to_code(element: ET.Element) -> dict[str, object]:
        description = (element.findtext(q("Description")) or "").strip()
        return {
            "id": slug(element.get("name", "")),
            "label": element.get("name", ""),
            "definition": description or "(definition needed)",
            "when_to_use": "(to complete)",
            "when_not_to_use": "(to complete)",
            "examples": [],
            "colour": element.get("color", "#777777"),
        }

    themes = []
    loose = []
    for element in codes_element.findall(q("Code")):
        children = element.findall(q("Code"))
        if children:
            themes.append(
                {
                    "id": slug(element.get("name", "")),
                    "label": element.get("name", ""),
                    "codes": [to_code(child) for child in children],
                }
            )
        else:
            loose.append(to_code(element))
    if loose:
        themes.append({"id": "imported", "label": "Imported codes", "codes": loose})
    draft = {
        "id": codebook_id,
        "version": version,
        "description": f"Imported from {Path(source).name}; complete the definitions, "
        "guidance and at least three examples per code.",
        "authors": ["(to complete)"],
        "themes": themes,
    }
    write_text_atomic(destination, yaml.safe_dump(draft, sort_keys=False, allow_unicode=True))


# -- import ------------------------------------------------------------------------------
_CODE_ID = re.compile(r"^\[([A-Za-z0-9_.-]+)\]")


def _slug(name: str) -> str:
    cleaned = "".join(c.lower() if c.isalnum() else "_" for c in name).strip("_")
    return "_".join(filter(None, cleaned.split("_"))) or "code"


def _read_project(path: str | Path) -> ET.Element:
    """The root ``<Project>`` of a ``.qdpx`` (zip) or a bare ``project.qde``."""
    path = Path(path)
    fix = "Fix: export the project from NVivo, ATLAS.ti or MAXQDA as REFI-QDA (.qdpx)."
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".qde")]
                if not names:
                    raise InputFileError(f"'{path}' holds no project.qde. {fix}")
                data = archive.read(names[0])
        else:
            data = path.read_bytes()
        root = ET.fromstring(data)
    except (OSError, zipfile.BadZipFile, ET.ParseError):
        raise InputFileError(f"'{path}' is not a readable REFI-QDA project. {fix}") from None
    if root.tag not in (f"{{{PROJECT_NS}}}Project", "Project"):
        raise InputFileError(f"'{path}' is not a REFI-QDA project (its root is not <Project>).")
    return root


def _q(root: ET.Element) -> Callable[[str], str]:
    ns = root.tag.split("}")[0].strip("{") if root.tag.startswith("{") else ""
    return (lambda tag: f"{{{ns}}}{tag}") if ns else (lambda tag: tag)


def _code_ids(root: ET.Element) -> dict[str, str]:
    """Code GUID -> code id: ours from the ``[code_id]`` that opens the description, others'
    from the code's name (lower case, words joined by ``_``)."""
    q = _q(root)
    found = {}
    for code in root.iter(q("Code")):
        match = _CODE_ID.match((code.findtext(q("Description")) or "").strip())
        found[code.get("guid", "").lower()] = (
            match.group(1) if match else _slug(code.get("name", ""))
        )
    return found


def read_qdpx_cases(path: str | Path) -> pd.DataFrame:
    """One row per case of a REFI-QDA project: ``id`` (the case name), then its variables.

    >>> # read_qdpx_cases("project.qdpx").columns -> id, ethnic_group, staff_group, ...
    """
    root = _read_project(path)
    q = _q(root)
    variables = {v.get("guid", "").lower(): v.get("name", "") for v in root.iter(q("Variable"))}
    rows = []
    for case in root.iter(q("Case")):
        row = {"id": case.get("name") or case.get("guid", "")}
        for holder in case.findall(q("VariableValue")):
            ref = holder.find(q("VariableRef"))
            name = variables.get((ref.get("targetGUID", "") if ref is not None else "").lower())
            value = next((child.text for child in holder if child is not ref), None)
            if name:
                row[name] = value or ""
        rows.append(row)
    names = list(dict.fromkeys(variables.values()))
    return pd.DataFrame(rows, columns=["id", *names]).fillna("")


def read_qdpx_codings(
    path: str | Path, coder: str | None = None, include_uncoded: bool = False
) -> pd.DataFrame:
    """The codings of a REFI-QDA project as a labels frame: ``id`` and ``codes``.

    ``id`` is the case a source belongs to (one row per case; this toolkit's exports name
    each case by the respondent id), or the source's name where the project has no cases.
    ``codes`` is every code applied anywhere in that case's sources (selections, whole
    sources, or the case itself), ``;``-joined in sorted order: the format ``agreement`` and
    ``calibrate`` read. Code ids come from this toolkit's codebook where the project was
    exported by it, else from each code's name.

    Parameters
    ----------
    coder
        Keep only codings made by the user of this name (e.g. the human coder, leaving out
        this toolkit's own codings); None keeps all.
    include_uncoded
        Also return cases with no coding (``codes`` ""). Off by default: a case nobody coded
        is not evidence that no code applies.

    Examples
    --------
    >>> # labels = read_qdpx_codings("coded_in_nvivo.qdpx", coder="A. Researcher")
    """
    root = _read_project(path)
    q = _q(root)
    codes = _code_ids(root)
    users = {u.get("guid", "").lower(): u.get("name", "") for u in root.iter(q("User"))}
    wanted = {g for g, name in users.items() if name == coder} if coder is not None else None
    if coder is not None and not wanted:
        known = ", ".join(sorted(set(users.values()))) or "none"
        raise InputFileError(
            f"'{path}' has no user named '{coder}'. Users in the project: {known}. Fix: pass "
            "one of those names, or no coder to read every coding."
        )

    def applied(element: ET.Element) -> set[str]:
        found = set()
        for coding in element.findall(q("Coding")):
            if wanted is not None and coding.get("creatingUser", "").lower() not in wanted:
                continue
            ref = coding.find(q("CodeRef"))
            code = codes.get((ref.get("targetGUID", "") if ref is not None else "").lower())
            if code:
                found.add(code)
        return found

    by_source: dict[str, set[str]] = {}
    by_selection: dict[str, set[str]] = {}
    source_names: dict[str, str] = {}
    for tag in ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource"):
        for source in root.iter(q(tag)):
            key = source.get("guid", "").lower()
            source_names[key] = source.get("name") or key
            found = applied(source)
            for selection in source.iter():
                if selection is not source and selection.tag.endswith("Selection"):
                    selected = applied(selection)
                    by_selection[selection.get("guid", "").lower()] = selected
                    found |= selected
            by_source[key] = found
    labels: dict[str, set[str]] = {}
    in_a_case: set[str] = set()
    for case in root.iter(q("Case")):
        name = case.get("name") or case.get("guid") or ""
        found = labels.setdefault(name, set())
        if wanted is None:  # case-level codings carry no coder
            for ref in case.findall(q("CodeRef")):
                code = codes.get(ref.get("targetGUID", "").lower())
                if code:
                    found.add(code)
        for ref in case.findall(q("SourceRef")):
            target = ref.get("targetGUID", "").lower()
            in_a_case.add(target)
            found |= by_source.get(target, set())
        for ref in case.findall(q("SelectionRef")):
            found |= by_selection.get(ref.get("targetGUID", "").lower(), set())
    for key, found in by_source.items():
        if key not in in_a_case:
            labels.setdefault(source_names[key], set()).update(found)
    rows = [
        {"id": name, "codes": ";".join(sorted(found))}
        for name, found in labels.items()
        if found or include_uncoded
    ]
    return pd.DataFrame(rows, columns=["id", "codes"])
