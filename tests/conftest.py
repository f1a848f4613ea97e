"""Shared test helpers: score a tiny transcript written as text lines."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest

from qa_scoring.pipeline import score_transcript
from qa_scoring.readers import read_source
from qa_scoring.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The shipped rules."""
    return load_rules()


def write_call(folder: Path, name: str, turns: str, meta: dict[str, Any] | None = None) -> Path:
    """Write a plain-text transcript with front matter."""
    lines = []
    if meta:
        lines.append("---")
        lines.extend(f"{k}: {v}" for k, v in meta.items())
        lines.append("---")
    lines.extend(line.strip() for line in turns.strip().splitlines() if line.strip())
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def score_text(folder: Path, turns: str, meta: dict[str, Any] | None, rules: RuleSet) -> dict[str, Any]:
    """Score one transcript written as ``SPEAKER: text`` lines; return the JSON result."""
    path = write_call(folder, "call.txt", turns, meta)
    items = list(read_source(path))
    assert len(items) == 1, items
    return score_transcript(items[0], None, rules)


def outcomes(result: dict[str, Any]) -> dict[str, str]:
    """check id -> outcome."""
    return {c["id"]: c["outcome"] for c in result["checks"]}


# -- stores: the same tests against SQLite and a real PostgreSQL server --------------------------


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database.

    ``$QA_SCORING_TEST_PG`` when set (``.ci/run`` starts a throwaway cluster and sets it);
    else a throwaway cluster started here with ``tools/pg_throwaway.sh``. Without a server the
    PostgreSQL tests are skipped, or fail when ``$QA_SCORING_REQUIRE_PG`` is set (CI).
    """
    url = os.environ.get("QA_SCORING_TEST_PG")
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_server("psycopg is not installed (pip install -e '.[test]')")
    folder = Path(tempfile.mkdtemp(prefix="qa-pg-"))  # short: a Unix socket path has a length limit
    script = ROOT / "tools" / "pg_throwaway.sh"
    proc = subprocess.run([str(script), "start", str(folder)], capture_output=True, text=True)
    if proc.returncode:
        _no_server(f"no PostgreSQL server could be started: {proc.stderr.strip()[-300:]}")
    try:
        yield proc.stdout.strip()
    finally:
        subprocess.run([str(script), "stop", str(folder)], capture_output=True)


def _no_server(reason: str) -> NoReturn:
    if os.environ.get("QA_SCORING_REQUIRE_PG"):
        pytest.fail(f"PostgreSQL is required here: {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    import psycopg

    name = f"qa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(pg_server)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's results store lives: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite")
    return str(request.getfixturevalue("pg_url"))


def book_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts, its creation time left out (the package's, and the summary's cell)."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}
    summary = "xl/worksheets/sheet1.xml"
    parts[summary] = re.sub(rb"<v>4\d{4}\.\d+</v>", b"<v>CREATED</v>", parts[summary])
    return parts
