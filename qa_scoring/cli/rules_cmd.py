"""``qa-scoring rules``: show and validate rules files."""

from __future__ import annotations

from pathlib import Path

import click

from qa_scoring.cli.options import load_rules_or_exit
from qa_scoring.rules import default_rules_path


@click.group()
def rules() -> None:
    """Show or validate the rules file (SOP phrases, thresholds, conditions, weights).

    Example:

        qa-scoring rules show > my-rules.yaml && qa-scoring rules validate my-rules.yaml
    """


@rules.command()
def show() -> None:
    """Print the shipped rules file, to copy and edit.

    Example:

        qa-scoring rules show > my-rules.yaml
    """
    click.echo(default_rules_path().read_text(encoding="utf-8"), nl=False)


@rules.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Check a rules file; on error name the file, line, rule and key (exit code 2).

    Example:

        qa-scoring rules validate my-rules.yaml
    """
    ruleset = load_rules_or_exit(file)
    sops = ", ".join(
        f"{s.label} from {s.effective_from or 'always'}" + (f" to {s.effective_to}" if s.effective_to else "")
        for s in ruleset.sops.values()
    )
    click.echo(
        f"{file}: OK: ruleset {ruleset.version}, {len(ruleset.check_ids)} checks, "
        f"{len(ruleset.parameters)} parameters; SOPs: {sops}"
    )
