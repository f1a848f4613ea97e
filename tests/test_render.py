"""Both workbooks convert to PDF with LibreOffice, and tools/render_workbooks.sh fails loudly.

The conversion test runs where LibreOffice (`soffice`, Debian's libreoffice-calc) is on PATH
and is skipped elsewhere; .ci/run installs it on Debian.
"""

import collections
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_scoring.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "render_workbooks.sh"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (no soffice on PATH): apt-get install libreoffice-calc"
)
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample batch workbook and the monthly workbook of its busiest month."""
    folder = tmp_path_factory.mktemp("workbooks")
    db, jsonl, batch = folder / "results.sqlite", folder / "batch.jsonl", folder / "batch.xlsx"
    res = CliRunner().invoke(cli, ["score", str(ROOT / "sample_transcripts"), "--no-fail", "-q", "--db", str(db),
                                   "--jsonl", str(jsonl), "--out", str(batch)])
    assert res.exit_code == 0, res.output
    months = collections.Counter(line["call_start"][:7] for line in map(json.loads, jsonl.open(encoding="utf-8"))
                                 if line.get("call_start"))
    month = months.most_common(1)[0][0]
    monthly = folder / f"monthly-{month}.xlsx"
    res = CliRunner().invoke(cli, ["monthly", "--month", month, "--db", str(db), "--out", str(monthly)])
    assert res.exit_code == 0, res.output
    return [batch, monthly]


def to_pdf(books: list[Path], outdir: Path) -> list[Path]:
    """Convert workbooks to PDF with LibreOffice headless; raise when a PDF is missing, empty or has no page."""
    assert SOFFICE
    # A private profile: a LibreOffice already running would otherwise make this a silent no-op.
    profile = (outdir / "lo-profile").as_uri()
    run = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(outdir), *map(str, books)],
                         capture_output=True, text=True, timeout=300, check=False)
    log = f"soffice exit {run.returncode}\n{run.stdout}{run.stderr}"
    if run.returncode != 0:
        raise RuntimeError(log)
    pdfs = []
    for book in books:
        pdf = outdir / f"{book.stem}.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise RuntimeError(f"no PDF, or an empty one, for {book.name}\n{log}")
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF") or not re.search(rb"/Type\s*/Page\b", data):
            raise RuntimeError(f"{pdf.name} is not a PDF with pages\n{log}")
        pdfs.append(pdf)
    return pdfs


@needs_soffice
def test_both_workbooks_convert_to_pdf(workbooks: list[Path], tmp_path: Path) -> None:
    pdfs = to_pdf(workbooks, tmp_path)
    assert [p.name for p in pdfs] == [f"{b.stem}.pdf" for b in workbooks]


@needs_soffice
def test_a_conversion_error_is_caught(tmp_path: Path) -> None:
    """soffice exits 0 on a file it cannot load; the missing PDF is what gives it away."""
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook " * 50)
    with pytest.raises(RuntimeError, match=r"no PDF, or an empty one, for broken\.xlsx"):
        to_pdf([broken], tmp_path)


def fake_command(folder: Path, name: str, body: str) -> Path:
    """An executable shell script standing in for a tool."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def run_script(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), str(tmp_path / "render")], capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, "PYTHON": sys.executable, **env})


@needs_bash
def test_script_fails_when_libreoffice_is_missing(tmp_path: Path) -> None:
    run = run_script(tmp_path, SOFFICE=str(tmp_path / "no-such-soffice"))
    assert run.returncode != 0
    assert "no-such-soffice not found" in run.stderr


@needs_bash
@pytest.mark.parametrize(
    ("soffice_body", "message"),
    [("exit 0", "soffice wrote no PDF (or an empty one) for batch.xlsx"),
     ("echo 'Error: source file could not be loaded' >&2; exit 1", "soffice could not convert batch.xlsx")],
    ids=["silent-no-pdf", "exit-1"],
)
def test_script_fails_loudly_on_a_conversion_error(tmp_path: Path, soffice_body: str, message: str) -> None:
    soffice = fake_command(tmp_path, "soffice", soffice_body)
    pdftoppm = fake_command(tmp_path, "pdftoppm", "exit 0")
    run = run_script(tmp_path, SOFFICE=str(soffice), PDFTOPPM=str(pdftoppm))
    assert run.returncode != 0
    assert f"render_workbooks: {message}" in run.stderr
    assert not list((tmp_path / "render").glob("*.png"))
