"""The dependency rules of docs/architecture.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lived_experience"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_cli_main_is_thin() -> None:
    main = PACKAGE / "cli" / "main.py"
    assert len(main.read_text(encoding="utf-8").splitlines()) < 500
    assert not any(name.split(".")[0] == "pandas" for name in _imports(main))


def test_cli_modules_hold_no_pandas() -> None:
    for path in _modules("cli"):
        assert "pandas" not in {n.split(".")[0] for n in _imports(path)}, path.name


def test_anonymise_never_imports_synthetic_data() -> None:
    for path in _modules("anonymise"):
        assert not any(n.startswith("lived_experience.synthetic") for n in _imports(path)), path


def test_report_depends_on_results_not_the_orchestrator() -> None:
    for path in _modules("report"):
        assert not any(n.startswith("lived_experience.pipeline") for n in _imports(path)), path


def test_library_never_imports_cli_or_pipeline() -> None:
    for folder in ("ingest", "anonymise", "coding", "topics", "quotes", "wres", "codebook"):
        for path in _modules(folder):
            upward = [
                n
                for n in _imports(path)
                if n.startswith(("lived_experience.cli", "lived_experience.pipeline"))
            ]
            assert not upward, f"{path.relative_to(PACKAGE)} imports {upward}"


def test_ingest_is_the_only_reader_of_user_files() -> None:
    readers = {"read_csv", "read_excel"}
    allowed = {
        "anonymise/files.py",  # reads back its own partial outputs, never user files
        "report/html.py",  # reads the run's own shareable tables
        "synthetic/labels.py",  # the synthetic generator's own files
    }
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("ingest/") or relative in allowed:
            continue
        calls = {
            node.attr
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and node.attr in readers
        }
        assert not calls, f"{relative} reads files with {calls}; use lived_experience.ingest"


def test_output_is_the_only_writer_of_tables() -> None:
    """csv.writer leaves a lone CR unquoted and pandas escapes no formula: every table goes
    through lived_experience.output (issue #16: rows lost, formula injection)."""
    writers = {"to_csv", "to_excel", "DictWriter"}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "output.py":
            continue
        calls = {
            node.attr
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute)
            and (
                node.attr in writers
                or (
                    node.attr == "writer"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                )
            )
        }
        assert not calls, f"{relative} writes tables with {calls}; use lived_experience.output"


def test_modulus_11_is_written_once() -> None:
    hits = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "range(10, 1, -1)" in path.read_text(encoding="utf-8")
    ]
    assert hits == ["anonymise/recognisers/nhs_number.py"]


def test_nothing_registers_as_an_import_side_effect_of_a_package() -> None:
    for path in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node
            for node in tree.body
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        ]
        assert not calls, f"{path.relative_to(PACKAGE)} runs code on import"


def test_every_stage_has_one_entry_point_called_run() -> None:
    import lived_experience.anonymise as anonymise
    import lived_experience.coding as coding
    import lived_experience.ingest as ingest
    import lived_experience.quotes as quotes
    import lived_experience.wres as wres

    for package in (ingest, anonymise, coding, quotes, wres):
        assert callable(package.run), package.__name__
