"""``qa-scoring review import``: the auditor's verdicts from a batch workbook into the results store."""

from __future__ import annotations

from pathlib import Path

import click

from qa_scoring.cli.monthly import RedError
from qa_scoring.cli.options import db_option, lang_option, load_rules_or_exit, rules_option
from qa_scoring.errors import QAScoringError
from qa_scoring.messages import msg
from qa_scoring.store import ResultStore, open_store


def open_existing_store(db: str | None) -> ResultStore:
    """The results store ``db`` names (a SQLite file or a PostgreSQL URL; default: the usual one), which must exist."""
    try:
        return open_store(db, must_exist=True)
    except QAScoringError as exc:
        raise RedError(str(exc)) from exc


@click.group("review")
def review() -> None:
    """The auditor's loop: read her verdicts back from the batch workbook."""


@review.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@rules_option
@click.option("--auditor", metavar="NAME", help="Auditor name for rows whose name column is empty.")
@lang_option
def import_cmd(workbook: Path, db: str | None, rules_path: Path | None, auditor: str | None, lang: str) -> None:
    """Import the auditor columns of a batch workbook into the results store.

    Every row with a verdict in "Putusan auditor" / "Auditor's verdict" is checked against its
    hidden machine keys; any wrong row is named and nothing is imported. The machine's verdict
    is kept; the final verdict (the auditor's) feeds the final parameters and score. Importing
    the same file again changes nothing.

    \b
    Example:
        qa-scoring review import reports/minggu-32.xlsx --db qa.sqlite
    """
    from qa_scoring.review import ReviewError, import_workbook

    rules = load_rules_or_exit(rules_path)
    with open_existing_store(db) as store:
        try:
            counts = import_workbook(store, workbook, rules, auditor)
        except ReviewError as exc:
            raise RedError(exc.text(lang)) from exc
        except QAScoringError as exc:
            raise RedError(str(exc)) from exc
    click.echo(msg("review.done", **counts).text(lang))
