"""Interchange with NVivo, ATLAS.ti and MAXQDA through the REFI-QDA standard.

* :func:`write_qdc` — the codebook as a REFI-QDA codebook (``.qdc``): themes become parent
  codes (not codable), codes their children, with definition and guidance in the description
  and the code's colour;
* :func:`write_qdpx` — the coded project (``.qdpx``, a zip with ``project.qde`` and the
  sources as plain text): one text source per coded answer or turn, each coded sentence a
  plain-text selection with codepoint offsets and its coding;
* :func:`qdc_to_codebook_yaml` — a ``.qdc`` from another tool as a draft codebook YAML to
  complete (REFI-QDA codebooks carry no examples; add at least three per code).

GUIDs are derived (UUID 5) from the codebook id, code ids and record ids, so exporting the
same results twice gives the same GUIDs.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from lived_experience.codebook import Codebook
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


def project_xml(
    codebook: Codebook,
    texts: pd.DataFrame,
    segments: pd.DataFrame,
    coder_name: str = "lived_experience",
) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` document and the plain-text sources it points to.

    ``texts`` has one row per source: ``id``, ``field``, ``text``; ``segments`` the coded
    sentences as :func:`~lived_experience.coding.code_frame` returns them (``id``, ``field``,
    ``start``, ``end``, ``code``).
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
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    by_source = {key: group for key, group in segments.groupby(["id", "field"], sort=False)}
    files: dict[str, str] = {}
    for row in texts.itertuples(index=False):
        key = (str(row.id), str(row.field))
        coded = by_source.get(key)
        if coded is None:
            continue
        source_guid = guid(codebook.id, "source", *key)
        path = f"{source_guid}.txt"
        files[path] = str(row.text)
        source = ET.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            guid=source_guid,
            name=f"{row.id} {row.field}",
            plainTextPath=f"internal://{path}",
            creatingUser=user,
        )
        for selection_row in coded.itertuples(index=False):
            selection = ET.SubElement(
                source,
                f"{{{ns}}}PlainTextSelection",
                guid=guid(
                    codebook.id,
                    "selection",
                    *key,
                    str(selection_row.start),
                    str(selection_row.code),
                ),
                name=str(selection_row.code),
                startPosition=str(int(selection_row.start)),
                endPosition=str(int(selection_row.end)),
                creatingUser=user,
            )
            coding = ET.SubElement(
                selection,
                f"{{{ns}}}Coding",
                guid=guid(
                    codebook.id, "coding", *key, str(selection_row.start), str(selection_row.code)
                ),
                creatingUser=user,
            )
            ET.SubElement(
                coding,
                f"{{{ns}}}CodeRef",
                targetGUID=guid(codebook.id, "code", str(selection_row.code)),
            )
    return _xml_bytes(root), files


def write_qdpx(
    codebook: Codebook,
    texts: pd.DataFrame,
    segments: pd.DataFrame,
    destination: str | Path,
    coder_name: str = "lived_experience",
) -> None:
    """Write the coded project as a REFI-QDA project exchange file (``.qdpx``)."""
    document, files = project_xml(codebook, texts, segments, coder_name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", (2024, 1, 1, 0, 0, 0)), document)
        for name, text in sorted(files.items()):
            archive.writestr(
                zipfile.ZipInfo(f"Sources/{name}", (2024, 1, 1, 0, 0, 0)), text.encode("utf-8")
            )
    with atomic_path(destination) as tmp:
        tmp.write_bytes(buffer.getvalue())


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
        raise InputFileError(f"'{source}' is not a readable REFI-QDA codebook (.qdc).") from None
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
