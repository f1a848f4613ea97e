"""Every declared dependency earns its place: the package imports it (test extras: the tests use it)."""

import ast
import re
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Distributions whose import name cannot be guessed from the name, for when one is not
# installed (installed ones are looked up in their metadata).
IMPORT_NAMES = {"pyyaml": {"yaml"}}

# Declared distributions not imported yet (none: pandas is imported by the calibration report).
PENDING: set[str] = set()  # pandas is used by the calibration report (qa_scoring/reports/calibration.py)


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares it: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution(requirement: str) -> str:
    """The distribution name of a requirement string ("pyyaml>=6.0" -> "pyyaml")."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"cannot read the requirement {requirement!r}"
    return canonical(match.group(1))


@cache
def import_names(dist: str) -> set[str]:
    """The top-level modules a distribution provides."""
    installed = {module for module, dists in packages_distributions().items()
                 if dist in {canonical(d) for d in dists} and not module.startswith("_")}
    return installed or IMPORT_NAMES.get(dist, {dist.replace("-", "_")})


@cache
def imported_modules(folder: Path) -> set[str]:
    """Top-level names of every absolute import in the Python files under a folder."""
    modules = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.partition(".")[0])
    return modules


def string_constants(folder: Path) -> set[str]:
    """Every string literal in the Python files under a folder (tools run as commands)."""
    return {node.value for path in folder.rglob("*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


DEPENDENCIES = sorted(distribution(r) for r in PYPROJECT["project"]["dependencies"])
TEST_EXTRAS = sorted(distribution(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"])


@pytest.mark.parametrize("dist", [d for d in DEPENDENCIES if d not in PENDING])
def test_dependency_is_imported_by_the_package(dist: str) -> None:
    names = import_names(dist)
    assert names & imported_modules(ROOT / "qa_scoring"), (
        f"{dist} is declared in pyproject.toml but qa_scoring never imports {sorted(names)}: use it or drop it"
    )


@pytest.mark.parametrize("dist", sorted(PENDING))
def test_pending_is_still_pending(dist: str) -> None:
    assert dist in DEPENDENCIES, f"{dist} is no longer declared: remove it from PENDING"
    assert not import_names(dist) & imported_modules(ROOT / "qa_scoring"), (
        f"qa_scoring imports {dist} now: remove it from PENDING"
    )


@pytest.mark.parametrize("dist", TEST_EXTRAS)
def test_test_extra_is_used_by_the_tests(dist: str) -> None:
    used = imported_modules(ROOT / "tests") | string_constants(ROOT / "tests")
    assert import_names(dist) & used, f"{dist} is a test extra but no test imports or runs it"


def test_names_are_read() -> None:
    assert distribution("PyYAML>=6.0") == "pyyaml"
    assert distribution("ruff==0.17.6") == "ruff"
    assert distribution("zope.interface[x] ; python_version>'3'") == "zope-interface"
    assert import_names("pyyaml") == {"yaml"}
    assert import_names("not-installed-dist") == {"not_installed_dist"}
    assert "click" in DEPENDENCIES and "pytest" in TEST_EXTRAS


def test_imports_are_found(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os.path, yaml as y\nfrom click import echo\nfrom . import x\n")
    (tmp_path / "b.py").write_text("def f():\n    import openpyxl.styles\n")
    assert imported_modules.__wrapped__(tmp_path) == {"os", "yaml", "click", "openpyxl"}
