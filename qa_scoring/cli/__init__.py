"""Command line interface: thin click commands over the library.

Exit codes: 0 every call scored; 1 the batch finished but some files or calls could not
be scored (they are listed in the outputs); 2 a user error (bad option, rules file or
manifest) stopped the command before scoring.
"""

from __future__ import annotations

from importlib import import_module

import click

from qa_scoring import __version__

# command name -> module of qa_scoring.cli defining it: a command's module (and pandas,
# openpyxl...) is imported only when that command runs, so ``score`` stays small
COMMANDS = {
    "score": "score",
    "rules": "rules_cmd",
    "store": "store_cmd",
    "monthly": "monthly",
    "review": "review",
    "export": "export",
    "calibration": "calibration",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module = import_module(f"qa_scoring.cli.{COMMANDS[cmd_name]}")
            self.add_command(getattr(module, cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-scoring")
def main() -> None:
    """Score PLN 123 call transcripts against the SOPs, with evidence for every verdict.

    Example:

        qa-scoring score sample_transcripts --out reports/sample.xlsx
    """
