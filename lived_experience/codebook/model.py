"""The codebook format: themes (parents) and codes, validated with pydantic.

A typo in a field name, a missing definition, fewer than three examples, a WRES indicator
outside 1-9 or a repeated code id fails loudly, naming the code and the field.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lived_experience.errors import ConfigError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Code(BaseModel):
    """One code: what it means, when to use it and not, examples and optional patterns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    definition: str = Field(min_length=20)
    when_to_use: str = Field(min_length=10)
    when_not_to_use: str = Field(min_length=10)
    examples: list[str] = Field(min_length=3)
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(
        default_factory=list, description="spaCy Matcher-style token patterns as text"
    )
    wres_indicators: list[int] = Field(default_factory=list)
    colour: str = "#777777"

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                "must be lower-case letters, digits and underscores, e.g. 'career_progression'"
            )
        return value

    @field_validator("wres_indicators")
    @classmethod
    def _valid_indicators(cls, value: list[int]) -> list[int]:
        bad = [v for v in value if not 1 <= v <= 9]
        if bad:
            raise ValueError(f"WRES indicators are numbered 1-9; got {bad}")
        return value

    @field_validator("colour")
    @classmethod
    def _valid_colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError("must be a hex colour such as '#1f6fb2'")
        return value


class Theme(BaseModel):
    """A parent theme grouping codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    description: str = ""
    codes: list[Code] = Field(min_length=1)


class Codebook(BaseModel):
    """A versioned codebook."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    description: str
    authors: list[str] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Codebook:
        seen: set[str] = set()
        for theme in self.themes:
            for code in theme.codes:
                if code.id in seen:
                    raise ValueError(f"code id '{code.id}' is used twice")
                seen.add(code.id)
        return self

    @property
    def codes(self) -> list[Code]:
        return [code for theme in self.themes for code in theme.codes]

    @property
    def code_ids(self) -> list[str]:
        return [code.id for code in self.codes]

    def code(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise ConfigError(
            f"codebook '{self.id}' has no code '{code_id}'. Codes: {', '.join(self.code_ids)}."
        )

    def theme_of(self, code_id: str) -> Theme:
        for theme in self.themes:
            if any(code.id == code_id for code in theme.codes):
                return theme
        raise ConfigError(f"codebook '{self.id}' has no code '{code_id}'.")

    def wres_links(self) -> dict[str, list[int]]:
        """code id -> linked WRES indicators (codes without links left out)."""
        return {code.id: list(code.wres_indicators) for code in self.codes if code.wres_indicators}


def _where(error: dict[str, object], raw: dict[str, object]) -> str:
    """Turn a pydantic error location into "theme 'x', code 'y', field 'z'"."""
    parts: list[str] = []
    node: object = raw
    for step in list(error["loc"]):  # type: ignore[call-overload]
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and "id" in node:
                kind = "theme" if "codes" in node else "code"
                parts.append(f"{kind} '{node['id']}'")
            continue
        if step not in {"themes", "codes"}:
            parts.append(f"field '{step}'")
        node = node.get(step) if isinstance(node, dict) else None
    return ", ".join(parts) or "top level"


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook YAML file.

    Raises
    ------
    ConfigError
        Naming the file, the code and the field of the first problems found.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"codebook '{path}' does not exist. Fix: check the path.")
    from lived_experience.ingest.text_files import read_text_file

    text, _ = read_text_file(path)  # encoding and size checked like every input
    try:
        raw = yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"codebook '{path}' is nested too deeply to be a codebook.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(
            f"codebook '{path}'{line} is not valid YAML. Fix: check the "
            "indentation and quotes there."
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"codebook '{path}' must be a mapping with id, version, themes.")
    try:
        return Codebook.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_where(e, raw)}: {e['msg']}" for e in exc.errors()[:5]]  # type: ignore[arg-type]
        raise ConfigError(f"codebook '{path}' is invalid: " + "; ".join(problems)) from None
