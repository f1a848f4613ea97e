"""``qa-scoring export``: a month of stored results as JSON Lines, machine and final verdicts."""

from __future__ import annotations

from pathlib import Path

import click

from qa_scoring.cli.monthly import RedError, _month
from qa_scoring.cli.options import db_option, lang_option
from qa_scoring.cli.review import open_existing_store
from qa_scoring.errors import QAScoringError
from qa_scoring.messages import msg
from qa_scoring.pii import default_masker
from qa_scoring.reports.jsonl import JsonlWriter


@click.command("export")
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="The month to export.")
@click.option("--team", metavar="NAME", help="Only this team's calls (case-insensitive).")
@db_option
@lang_option
@click.option(
    "--no-mask",
    is_flag=True,
    help="Keep customer identifiers in the export (for the auditor's own copy). Default: masked, as in score.",
)
@click.option(
    "--jsonl", "jsonl_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Write here."
)
def export(month: str, team: str | None, db: str | None, lang: str, no_mask: bool, jsonl_path: Path) -> None:
    """Export a month's stored results as JSON Lines with machine and final verdicts.

    Each line is the call's result as scored (the machine's verdicts, parameters and score),
    plus per check "final_outcome" and, where an auditor judged it, "review"; and per call
    "final_parameters", "final_score" and "overridden_checks". Customer identifiers are
    masked as in score's JSON Lines unless --no-mask is given.

    \b
    Example:
        qa-scoring export --month 2024-03 --jsonl maret.jsonl
    """
    masker = None if no_mask else default_masker()
    with open_existing_store(db) as store:
        try:
            with JsonlWriter(jsonl_path) as writer:
                for result in store.final_results(month, team):
                    writer.write(masker.mask_result(result) if masker else result)
        except QAScoringError as exc:
            raise RedError(str(exc)) from exc
        except OSError as exc:
            raise RedError(f"{jsonl_path}: cannot write ({exc.strerror or exc})") from exc
    click.echo(msg("export.done", n=writer.count).text(lang))
    click.echo(msg("cli.written", what="JSON Lines", path=jsonl_path).text(lang))
