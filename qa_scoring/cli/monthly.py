"""``qa-scoring monthly``: the monthly compliance workbook from the results store."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import click

from qa_scoring.cli.options import db_option
from qa_scoring.errors import QAScoringError
from qa_scoring.reports.monthly import MIN_CALLS, write_monthly_workbook
from qa_scoring.store import check_month, open_store


class RedError(click.ClickException):
    """A user error shown as one red ``Error: ...`` line, exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message in red on stderr."""
        click.secho(f"Error: {self.format_message()}", fg="red", err=file is None, file=file)


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_month(value.strip())
    except QAScoringError as exc:
        raise click.BadParameter(f"{value!r} is not a month; use YYYY-MM, e.g. 2024-03") from exc


@click.command("monthly")
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="The month to report.")
@click.option(
    "--team", metavar="NAME", help="Only this team's calls (case does not matter; an unknown name lists the teams)."
)
@db_option
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True, help="Workbook language.")
@click.option(
    "--trend-months",
    type=click.IntRange(1, 60),
    default=6,
    show_default=True,
    help="Months the trend looks back over, ending with --month (months without calls are left out).",
)
@click.option(
    "--min-calls",
    type=click.IntRange(1, 100_000),
    default=MIN_CALLS,
    show_default=True,
    help="Calls an agent needs in the month to be ranked (fewer: listed, marked, not ranked).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The .xlsx file to write.",
)
def monthly(
    month: str, team: str | None, db: str | None, lang: str, trend_months: int, min_calls: int, out: Path
) -> None:
    """Write the monthly compliance workbook (per team and agent) from the results store.

    Calls count in the month of their call_start's local date; rescored calls count once.

    \b
    Example:
        qa-scoring monthly --month 2024-03 --out kepatuhan-2024-03.xlsx
        qa-scoring monthly --month 2024-03 --team jakarta-2 --lang en --out jkt2.xlsx
    """
    try:
        with open_store(db, must_exist=True) as store:
            summary = write_monthly_workbook(
                store, month, out, team=team, lang=lang, trend_months=trend_months, min_calls=min_calls
            )
    except QAScoringError as exc:
        raise RedError(str(exc)) from exc
    except OSError as exc:
        raise RedError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    click.echo(summary.line())
