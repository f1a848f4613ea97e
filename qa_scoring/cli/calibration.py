"""``qa-scoring calibration``: agreement of the machine and the auditors in one month."""

from __future__ import annotations

from pathlib import Path

import click

from qa_scoring.cli.monthly import RedError, _month
from qa_scoring.cli.options import db_option, lang_option
from qa_scoring.cli.review import open_existing_store
from qa_scoring.errors import QAScoringError
from qa_scoring.messages import msg


@click.command("calibration")
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="The month to report.")
@click.option("--team", metavar="NAME", help="Only this team's calls (case-insensitive).")
@db_option
@lang_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx file to write.")
def calibration(month: str, team: str | None, db: str | None, lang: str, out: Path) -> None:
    """Write the calibration workbook: machine vs auditor verdicts of a month.

    Agreement per check and per parameter (percent, Cohen's kappa, count), the confusion
    table of each check, overrides per agent and per auditor, and the SOP phrases whose
    matches the auditors overturned most, with examples.

    \b
    Example:
        qa-scoring calibration --month 2024-03 --out kalibrasi-2024-03.xlsx
    """
    from qa_scoring.reports.calibration import CalibrationSummary, reviewed_checks, write_calibration_workbook

    with open_existing_store(db) as store:
        if reviewed_checks(store, month, team).empty:
            raise RedError(CalibrationSummary(month, team, 0, 0, None, None).line(lang))
        try:
            summary = write_calibration_workbook(store, month, out, team=team, lang=lang)
        except QAScoringError as exc:
            raise RedError(str(exc)) from exc
        except OSError as exc:
            raise RedError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    click.echo(summary.line(lang))
    click.echo(msg("cli.written", what="Excel", path=out).text(lang))
