"""``qa-scoring score``: score a batch into JSON Lines, an Excel workbook and the results store."""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
import signal
import sqlite3
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from qa_scoring.cli.options import UserError, db_option, lang_option, load_rules_or_exit, rules_option
from qa_scoring.confidence import ReviewSampler
from qa_scoring.errors import InputError, QAScoringError
from qa_scoring.fileutil import private_temp_dir
from qa_scoring.limits import DEFAULT_LIMITS, MB, Limits
from qa_scoring.messages import msg, notice_code, notice_text
from qa_scoring.pii import Masker
from qa_scoring.pipeline import Batch, display_path, open_batch, score_batch
from qa_scoring.reports.jsonl import JsonlWriter
from qa_scoring.reports.labels import label
from qa_scoring.reports.output import MakeOutput
from qa_scoring.rules import RuleSet

if TYPE_CHECKING:
    from qa_scoring.reports.excel import BatchWorkbook


class Tally:
    """Running figures for the end-of-batch summary."""

    def __init__(self, parameter_keys: list[str], sampler: ReviewSampler | None = None) -> None:
        self.scored = 0
        self.errors = 0
        self.undated = 0
        self.score_sum = 0.0
        self.compliant: Counter[str] = Counter()
        self.keys = parameter_keys
        self.sampler = sampler

    def add(self, result: dict[str, Any]) -> None:
        """Count one result."""
        if result["status"] != "scored":
            self.errors += 1
            return
        self.scored += 1
        if self.sampler is not None:
            self.sampler.add(str(result["call_id"]))
        self.undated += result.get("call_start") is None
        self.score_sum += result["score"]
        for key, ok in result["parameters"].items():
            self.compliant[key] += bool(ok)

    def lines(self, rules: RuleSet, lang: str = "en") -> list[str]:
        """The summary printed at the end, in ``lang``."""
        out = [msg("cli.counts", scored=self.scored, errors=self.errors).text(lang)]
        if self.scored:
            labels = {p.key: p.label for p in rules.parameters}
            parts = [f"{labels.get(k, k)} {100.0 * self.compliant[k] / self.scored:.1f}%" for k in self.keys]
            out.append(msg("cli.compliance", parts=", ".join(parts)).text(lang))
            out.append(msg("cli.average", score=f"{self.score_sum / self.scored:.1f}").text(lang))
        if self.undated:
            column = label("col.warnings", lang)
            undated = msg("cli.undated_one", column=column) if self.undated == 1 else None
            out.append((undated or msg("cli.undated", n=self.undated, column=column)).text(lang))
        return out


def manifest_lines(batch: Batch, lang: str) -> list[str]:
    """Which manifest each part of the batch used, or that none was found."""
    out = []
    for manifest in batch.manifests:
        line = msg("cli.manifest", path=display_path(manifest.path), rows=manifest.size, used=manifest.used)
        out.append(line.text(lang))
    missing = batch.unlisted_folders()
    if missing:
        out.append(msg("cli.no_manifest", folders=", ".join(missing)).text(lang))
    return out


def manifest_warnings(batch: Batch, lang: str) -> list[str]:
    """The manifests' warnings, one line per kind of warning and manifest (not one per row)."""
    out = []
    for manifest in batch.manifests:
        kinds: dict[str, list[str]] = {}
        for warning in manifest.warnings:
            field = getattr(warning, "where", "").partition(": ")[2]  # "file:line: klb" -> "klb"
            kinds.setdefault(f"{notice_code(warning)} {field}", []).append(warning)
        for same in kinds.values():
            text = notice_text(same[0], lang)
            if len(same) > 1:
                text = msg("cli.more_like_it", text=text, more=len(same) - 1).text(lang)
            out.append(msg("cli.warning", text=text).text(lang))
    return out


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _open_store(db: str | None, no_db: bool) -> Any:
    if no_db:
        return None
    from qa_scoring.store import default_db, open_store

    try:
        return open_store(db)
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise UserError(f"{db or default_db()}: cannot open the results store ({why})") from None


def check_writable(path: Path) -> None:
    """Raise UserError unless a file can be written at ``path`` (tried with a temporary file beside it)."""
    from qa_scoring.fileutil import remove_stale, temp_beside

    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    if path.exists() and not path.is_file():  # the output is renamed onto its name: a device would be replaced
        raise UserError(f"{path}: is not a regular file (a device or a pipe); give a file name")
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
    help="Manifest CSV/XLSX for every file (default: manifest.csv or manifest.xlsx in each file's folder).",
)
@rules_option
@click.option("--jsonl", "jsonl_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JSON Lines here.")
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the Excel workbook here."
)
@lang_option
@db_option
@click.option("--no-db", is_flag=True, help="Do not record the results in the store.")
@click.option(
    "--review-sample",
    type=click.IntRange(0),
    default=0,
    metavar="N",
    help="Also mark N calls drawn at random for audit (on the workbook's review queue, and in the store).",
)
@click.option(
    "--review-seed",
    type=int,
    default=None,
    help="Seed of the random sample (default: a new one, printed); the same seed and calls draw the same sample.",
)
@click.option(
    "--no-mask",
    is_flag=True,
    help="Keep customer identifiers (ID pelanggan, phone, NIK, e-mail, address) in the JSON Lines and "
    "workbook: for the auditor's own copy. Default: masked. The store always keeps the full text.",
)
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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=None,
    help="Worker processes that read and score files (default: the number of cores). "
    "Results keep the input order; a batch of fewer than 64 files is scored in one process.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no manifest warnings on stderr.")
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
    db: str | None,
    no_db: bool,
    no_mask: bool,
    follow_links: bool,
    max_file_mb: float,
    max_file_seconds: float,
    quiet: bool,
    no_fail: bool,
    review_sample: int,
    review_seed: int | None,
    jobs: int | None,
) -> None:
    """Score transcripts (files, folders or glob patterns) against the SOPs.

    Writes one JSON object per call (--jsonl), an Excel workbook (--out) and records the
    results in the store. Without --jsonl and --out both go to reports/ with a timestamp.
    Exit code 0: every call scored; 1: some files or calls could not be scored (listed in
    the outputs; --no-fail gives 0); 2: a user error stopped the run. Customer identifiers
    in the agent's and customer's words are masked in the JSON Lines and the workbook unless
    --no-mask; scoring and the store see the full text.

    Example:

        qa-scoring score sample_transcripts --out reports/sample.xlsx --jsonl reports/sample.jsonl
    """
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None  # SIGTERM ends it like Ctrl-C
    rules = load_rules_or_exit(rules_path)
    jobs = jobs or default_jobs()
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
    except InputError as exc:
        raise UserError(exc.text(lang)) from None
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    if not quiet:
        for line in manifest_warnings(batch, lang):
            click.secho(line, fg="yellow", err=True)
    sampler = None
    if review_sample:
        review_seed = secrets.randbelow(1_000_000) if review_seed is None else review_seed
        sampler = ReviewSampler(review_sample, review_seed)
    tally = Tally([p.key for p in rules.parameters], sampler)
    tmpdir = None
    if jsonl_path is None:
        tmpdir = private_temp_dir()
        target = Path(tmpdir.name) / "results.jsonl"
    else:
        target = jsonl_path
    store = _open_store(db, no_db)
    run_id = None
    gc.freeze()  # the rules, lexicons and manifests outlive the run: the collector need not walk them meanwhile
    try:
        with contextlib.ExitStack() as stack:
            book = None
            if out_path is not None:  # filled as the calls come: no second pass over the results
                from qa_scoring.reports.excel import BatchWorkbook

                store_id = store.store_id() if store else None
                book = stack.enter_context(BatchWorkbook(out_path, target, lang=lang, store_id=store_id))
            run_id = store.start_run(rules_version=rules.version, sources=list(paths)) if store else None
            with JsonlWriter(target) as writer:
                masker = None if no_mask else Masker.for_rules(rules)
                _run(batch, rules, writer, tally, store, run_id, RunOptions(jobs, masker, quiet, lang), book)
            sample: list[str] = []
            if sampler is not None:
                sample = sampler.sample()
            changed: list[tuple[str, str]] = []
            if store:
                store.finish_run(run_id, calls=tally.scored, errors=tally.errors)
                if sample:
                    store.record_sample(run_id, sample, review_seed)
                changed = store.changed_reviews(run_id)
            if book is not None:
                shown = None if jsonl_path is not None else " ".join(paths)
                book.finish(batch=shown, sample=sample, sample_seed=review_seed)
    except OSError as exc:  # a full disk, a folder that went away: nothing half-written is left
        where = exc.filename or out_path or target
        for final in (target, out_path):  # name the target, not its temporary file
            if final is not None and os.path.basename(str(where)).startswith(f".{final.name}."):
                where = final
        raise UserError(f"{where}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    except sqlite3.Error as exc:
        raise UserError(f"{store.location if store else 'results store'}: cannot record the results ({exc})") from None
    except KeyboardInterrupt:
        # the writers have removed their temporary files; the store holds whole calls only
        _mark_interrupted(store, run_id, tally)
        raise Interrupted(tally) from None
    finally:
        gc.unfreeze()
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        if store:
            store.close()
        if tmpdir is not None:
            tmpdir.cleanup()
    for line in [*tally.lines(rules, lang), *manifest_lines(batch, lang)]:
        click.echo(line)
    if sample:
        click.echo(msg("cli.review_sample", n=len(sample), seed=review_seed, calls=", ".join(sample)).text(lang))
    if changed:
        listed = ", ".join(f"{call} {check}" for call, check in changed[:10])
        listed += " …" if len(changed) > 10 else ""
        click.echo(msg("cli.changed_reviews", n=len(changed), listed=listed).text(lang))
    written = [("JSON Lines", jsonl_path), ("Excel", out_path)]
    if store is not None:
        written.append((msg("cli.store").text(lang), store.location))
    for what, path in written:
        if path is not None:  # only what was written: a temporary JSON Lines file is not named
            click.echo(msg("cli.written", what=what, path=path).text(lang))
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
        store.flush()


def _run(
    batch: Batch,
    rules: RuleSet,
    writer: JsonlWriter,
    tally: Tally,
    store: Any,
    run_id: Any,
    options: RunOptions,
    book: BatchWorkbook | None = None,
) -> None:
    """Score the batch: the store records the full result, the JSON Lines and the workbook the masked one."""
    # the bar is drawn only on a terminal: piped, click would print its label as a stray line
    hidden = options.quiet or not sys.stderr.isatty()
    title = msg("cli.progress").text(options.lang)
    with click.progressbar(length=batch.size, label=title, file=sys.stderr, hidden=hidden) as bar:
        outputs = score_batch(
            batch,
            rules,
            jobs=options.jobs,
            prepare=MakeOutput(options.masker, rules if store else None, book.row_maker() if book else None),
            on_file=lambda: bar.update(1),
        )
        # closed here, also on Ctrl-C: its workers and scratch files are let go in this thread,
        # not whenever (and in whichever thread) the garbage collector would find it
        with contextlib.closing(outputs):
            for output in outputs:
                writer.write_line(output.line)
                if book is not None:
                    book.add_rows(output.rows, output.line)  # what the JSON Lines file says, exactly
                tally.add(output.result)
                if store:
                    store.record_prepared(run_id, output.record, rules)


@dataclass(frozen=True)
class RunOptions:
    """How ``_run`` works: worker processes, masking, progress bar and its language."""

    jobs: int
    masker: Masker | None
    quiet: bool
    lang: str
