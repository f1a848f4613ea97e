"""``qa-scoring score``: score a batch into JSON Lines, an Excel workbook and the results store."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import sys
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from qa_scoring.cli.options import UserError, lang_option, load_rules_or_exit, rules_option
from qa_scoring.errors import QAScoringError
from qa_scoring.fileutil import private_temp_dir
from qa_scoring.limits import DEFAULT_LIMITS, MB, Limits
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.reports.jsonl import JsonlWriter
from qa_scoring.rules import RuleSet


class Tally:
    """Running figures for the end-of-batch summary."""

    def __init__(self, parameter_keys: list[str]) -> None:
        self.scored = 0
        self.errors = 0
        self.score_sum = 0.0
        self.compliant: Counter[str] = Counter()
        self.keys = parameter_keys

    def add(self, result: dict[str, Any]) -> None:
        """Count one result."""
        if result["status"] != "scored":
            self.errors += 1
            return
        self.scored += 1
        self.score_sum += result["score"]
        for key, ok in result["parameters"].items():
            self.compliant[key] += bool(ok)

    def lines(self, rules: RuleSet) -> list[str]:
        """The summary printed at the end."""
        out = [f"calls scored: {self.scored}, could not be scored: {self.errors}"]
        if self.scored:
            labels = {p.key: p.label for p in rules.parameters}
            parts = [f"{labels.get(k, k)} {100.0 * self.compliant[k] / self.scored:.1f}%" for k in self.keys]
            out.append("compliance: " + ", ".join(parts))
            out.append(f"average score: {self.score_sum / self.scored:.1f}")
        return out


def _open_store(db: Path | None, no_db: bool) -> Any:
    if no_db:
        return None
    from qa_scoring.store import ResultStore, default_db_path

    path = db or default_db_path()
    try:
        return ResultStore(path)
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{path}: cannot open the results store ({exc.strerror or type(exc).__name__})") from None


def check_writable(path: Path) -> None:
    """Raise UserError unless a file can be written at ``path`` (tried with a temporary file beside it)."""
    from qa_scoring.fileutil import remove_stale, temp_beside

    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    try:
        fd, tmp = temp_beside(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    os.close(fd)
    tmp.unlink(missing_ok=True)
    for stale in remove_stale(path):
        click.secho(f"note: removed {stale.name}, left by a run that was killed", fg="yellow", err=True)
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"{path}: cannot be written (the file is read-only)")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Manifest CSV/XLSX (default: manifest.csv or manifest.xlsx in the batch folder).",
)
@rules_option
@click.option(
    "--jsonl", "jsonl_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JSON Lines here."
)
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the Excel workbook here."
)
@lang_option
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results store (SQLite). Default: $QA_SCORING_DB or ~/.local/share/qa-scoring/results.sqlite.",
)
@click.option("--no-db", is_flag=True, help="Do not record the results in the store.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links that lead outside a batch folder (not followed by default).",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_LIMITS.max_file_bytes / MB,
    show_default=True,
    help="A file larger than this is an error line, not read.",
)
@click.option(
    "--max-file-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_LIMITS.max_seconds,
    show_default=True,
    help="Reading one file, or scoring one call, stops after this long and becomes an error line.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--no-fail",
    is_flag=True,
    help="Exit 0 even when some files or calls could not be scored (they are still reported).",
)
def score(
    paths: tuple[str, ...],
    manifest: Path | None,
    rules_path: Path | None,
    jsonl_path: Path | None,
    out_path: Path | None,
    lang: str,
    db: Path | None,
    no_db: bool,
    follow_links: bool,
    max_file_mb: float,
    max_file_seconds: float,
    quiet: bool,
    no_fail: bool,
) -> None:
    """Score transcripts (files, folders or glob patterns) against the SOPs.

    Writes one JSON object per call (--jsonl), an Excel workbook (--out) and records the
    results in the store. Without --jsonl and --out both go to reports/ with a timestamp.
    Exit code 0: every call scored; 1: some files or calls could not be scored (listed in
    the outputs; --no-fail gives 0); 2: a user error stopped the run.

    Example:

        qa-scoring score sample_transcripts --out reports/sample.xlsx --jsonl reports/sample.jsonl
    """
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None  # SIGTERM ends it like Ctrl-C
    rules = load_rules_or_exit(rules_path)
    if out_path is None and jsonl_path is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_path = Path("reports") / f"qa-scoring-{stamp}.xlsx"
        jsonl_path = out_path.with_suffix(".jsonl")
    for path in (jsonl_path, out_path):
        if path is not None:
            check_writable(path)
    limits = Limits(max_file_bytes=int(max_file_mb * MB), max_seconds=max_file_seconds)
    try:
        batch = open_batch(paths, manifest, follow_links=follow_links, limits=limits)
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    if batch.manifest is not None:
        for warning in batch.manifest.warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
    tally = Tally([p.key for p in rules.parameters])
    tmpdir = None
    if jsonl_path is None:
        tmpdir = private_temp_dir()
        target = Path(tmpdir.name) / "results.jsonl"
    else:
        target = jsonl_path
    store = _open_store(db, no_db)
    run_id = None
    try:
        run_id = store.start_run(rules_version=rules.version, sources=list(paths)) if store else None
        with JsonlWriter(target) as writer:
            _run(batch, rules, writer, tally, store, run_id, quiet)
        if store:
            store.finish_run(run_id, calls=tally.scored, errors=tally.errors)
        if out_path is not None:
            from qa_scoring.reports.excel import write_batch_workbook

            write_batch_workbook(target, out_path, lang=lang)
    except OSError as exc:  # a full disk, a folder that went away: nothing half-written is left
        where = exc.filename or out_path or target
        for final in (target, out_path):  # name the target, not its temporary file
            if final is not None and os.path.basename(str(where)).startswith(f".{final.name}."):
                where = final
        raise UserError(f"{where}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    except sqlite3.Error as exc:
        raise UserError(f"{store.path if store else 'results store'}: cannot record the results ({exc})") from None
    except KeyboardInterrupt:
        # the writers have removed their temporary files; the store holds whole calls only
        _mark_interrupted(store, run_id, tally)
        raise Interrupted(tally) from None
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        if store:
            store.close()
        if tmpdir is not None:
            tmpdir.cleanup()
    for line in tally.lines(rules):
        click.echo(line)
    for label, path in (("JSON Lines", jsonl_path), ("Excel", out_path)):
        if path is not None:
            click.echo(f"{label}: {path}")
    if tally.errors and not no_fail:
        raise SystemExit(1)


class Interrupted(click.ClickException):
    """Ctrl-C or SIGTERM: one line, exit 130; nothing half-written is left."""

    exit_code = 130

    def __init__(self, tally: Tally) -> None:
        super().__init__(
            f"after {tally.scored + tally.errors} calls: nothing half-written is left (the JSON Lines and the "
            "workbook appear only when complete); the store keeps the calls recorded so far; run the batch again"
        )

    def show(self, file: Any = None) -> None:
        """Print ``Interrupted: message`` in red on stderr."""
        click.secho(f"Interrupted: {self.format_message()}", fg="red", err=True)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _mark_interrupted(store: Any, run_id: Any, tally: Tally) -> None:
    """Record in the run's history that it was interrupted (the run stays unfinished)."""
    if store is None or run_id is None:
        return
    from qa_scoring.scoring import error_result

    with contextlib.suppress(sqlite3.Error, QAScoringError, KeyboardInterrupt):
        store.record(run_id, error_result(None, "(run)", f"run interrupted after {tally.scored + tally.errors} calls"))


def _run(batch: Any, rules: RuleSet, writer: JsonlWriter, tally: Tally, store: Any, run_id: Any, quiet: bool) -> None:
    with click.progressbar(
        length=batch.size, label="scoring", file=sys.stderr, hidden=quiet
    ) as bar:
        last_source = None
        for result in score_batch(batch, rules):
            result = writer.write(result)
            tally.add(result)
            if store:
                store.record(run_id, result)
            if result["source"] != last_source:
                last_source = result["source"]
                bar.update(1)
