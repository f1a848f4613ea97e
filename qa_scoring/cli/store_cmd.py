"""``qa-scoring store``: look into a results store, and move an auditor's history into the team's store."""

from __future__ import annotations

import click

from qa_scoring.cli.options import UserError, db_option
from qa_scoring.errors import QAScoringError
from qa_scoring.store import open_store


@click.group("store")
def store() -> None:
    """Look into a results store (SQLite or PostgreSQL) and copy one into another.

    \b
    Example:
        qa-scoring store info --db reports/results.sqlite
        qa-scoring store copy ~/.local/share/qa-scoring/results.sqlite postgresql://qa@db.pln123/qa
    """


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


@store.command("info")
@db_option
def info(db: str | None) -> None:
    """Schema version, size, runs, and calls per month of a results store.

    \b
    Example:
        qa-scoring store info --db postgresql://qa@db.pln123/qa
    """
    try:
        with open_store(db, must_exist=True) as opened:
            facts = opened.info()
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"store: {facts['location']}")
    click.echo(f"schema version: {facts['schema_version']}")
    click.echo(f"size: {_size(facts['size_bytes'])}")
    click.echo(f"runs: {facts['runs']} (last started {facts['last_run'] or '-'})")
    click.echo(f"calls: {facts['calls']} ({facts['undated']} without a call start, in no month)")
    if facts["months"]:
        click.echo("month    calls  teams  agents")
        for m in facts["months"]:
            click.echo(f"{m['month']}  {m['calls']:>5}  {m['teams']:>5}  {m['agents']:>6}")


@store.command("copy")
@click.argument("source")
@click.argument("target")
def copy(source: str, target: str) -> None:
    """Copy every run, result and call of SOURCE into TARGET (a file path or postgresql:// URL).

    A run already in TARGET is skipped, so copying twice adds nothing; a call in both keeps
    the newer result. TARGET is created when it is a new SQLite file or an empty database.

    \b
    Example:
        qa-scoring store copy ~/.local/share/qa-scoring/results.sqlite postgresql://qa@db.pln123/qa
    """
    try:
        with open_store(source, must_exist=True) as src, open_store(target) as dest:
            counts = dest.copy_from(src)
            where = dest.location
    except QAScoringError as exc:
        raise UserError(str(exc)) from None
    click.echo(
        f"copied {counts['runs']} runs ({counts['results']} results, {counts['calls']} calls written) into {where}; "
        f"{counts['runs_skipped']} runs were there already"
    )
