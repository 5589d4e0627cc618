"""The structure docs/architecture.md describes, checked on the source: imports inside functions
only where Django requires them (each with a comment saying why), the superuser rule in the one
permission policy, the layers in pyproject.toml's import-linter contract."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms import exports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cms", "community", "consultation", "home")


def _sources(*packages: str):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _nested_imports(path: Path):
    """(line, statement) of every import inside a function that has no comment saying why
    (on the line itself or the comment line(s) just above it)."""
    lines = path.read_text().splitlines()
    tree = ast.parse("\n".join(lines))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                here = lines[node.lineno - 1]
                if "#" not in here and not _comment_above(lines, node.lineno - 1):
                    yield node.lineno, here.strip()


def _comment_above(lines: list[str], index: int) -> bool:
    """A comment heads the block of imports this one belongs to."""
    for line in reversed(lines[:index]):
        text = line.strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("from ", "import ", ")")) and not text.endswith(","):
            return False
    return False


def test_imports_inside_functions_say_why():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {statement}"
        for path in _sources(*APPS, "bench")
        for line, statement in _nested_imports(path)
    ]
    assert found == []


def test_the_superuser_rule_lives_in_the_permission_policy():
    """Site administrators may do what any role may: decided in community/permissions.py only."""
    policy = ROOT / "community" / "permissions.py"
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _sources(*APPS)
        if path != policy
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if ".is_superuser" in line
    ]
    assert found == []


def test_layers_contract_names_every_app_bottom_to_top():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")
    assert layers["layers"] == ["home", "consultation", "community", "cms"]
    forbidden = next(c for c in config["contracts"] if c["type"] == "forbidden")
    assert forbidden["forbidden_modules"] == ["bench"]
    assert set(forbidden["source_modules"]) == set(APPS)


def test_lint_imports_keeps_the_contracts():
    """import-linter is a dev dependency: the README's test command installs it."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_csv_and_xlsx_are_written_only_by_the_export_writer():
    """Every CSV and XLSX goes through cms/exports.py, which neutralises formulas and writes local
    times, 是/否 and a BOM (docs/review-desk.md); Wagtail's own exports reach it through
    SpreadsheetExportMixin, wired in cms/apps.py."""
    writer = ROOT / "cms" / "exports.py"
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _sources(*APPS)
        if path != writer
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "import csv" in line
        or "csv.writer" in line
        or "csv.DictWriter" in line
        or "openpyxl" in line
        or "Workbook(" in line
    ]
    assert found == []
    assert SpreadsheetExportMixin.write_csv_response is exports.write_csv_response
    assert SpreadsheetExportMixin.write_xlsx_response is exports.write_xlsx_response
