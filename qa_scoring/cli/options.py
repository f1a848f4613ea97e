"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qa_scoring.errors import QAScoringError
from qa_scoring.rules import RuleSet, load_rules


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--rules FILE``: a rules file instead of the shipped one."""
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Rules file (YAML). Default: the shipped PLN 123 rules (see 'qa-scoring rules show').",
    )(func)


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang id|en``: the language of report labels."""
    return click.option(
        "--lang",
        type=click.Choice(["id", "en"]),
        default="id",
        show_default=True,
        help="Language of the reports, their warnings and the command's summary.",
    )(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH|URL``: the results store, a SQLite file or a PostgreSQL URL."""
    return click.option(
        "--db",
        metavar="PATH|URL",
        default=None,
        help="Results store: a SQLite file, or postgresql://user@host/dbname for a team's shared store "
        "(needs qa-scoring[postgres]). Default: $QA_SCORING_DB, else ~/.local/share/qa-scoring/results.sqlite.",
    )(func)


def load_rules_or_exit(path: Path | None) -> RuleSet:
    """Load the rules, turning a user error into a one-line message and exit code 2."""
    try:
        return load_rules(path)
    except QAScoringError as exc:
        raise UserError(str(exc)) from None


class UserError(click.ClickException):
    """A user error: one red line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        """Print ``Error: message`` in red on stderr."""
        click.secho(f"Error: {self.format_message()}", fg="red", err=True)
