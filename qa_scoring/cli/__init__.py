"""Command line interface: thin click commands over the library.

Exit codes: 0 every call scored; 1 the batch finished but some files or calls could not
be scored (they are listed in the outputs); 2 a user error (bad option, rules file or
manifest) stopped the command before scoring.
"""

from __future__ import annotations

import click

from qa_scoring import __version__
from qa_scoring.cli.rules_cmd import rules
from qa_scoring.cli.score import score
from qa_scoring.cli.store_cmd import store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-scoring")
def main() -> None:
    """Score PLN 123 call transcripts against the SOPs, with evidence for every verdict.

    Example:

        qa-scoring score sample_transcripts --out reports/sample.xlsx
    """


main.add_command(score)
main.add_command(rules)
main.add_command(store)

try:
    from qa_scoring.cli.monthly import monthly
except ImportError:  # pragma: no cover - the monthly command ships with the store
    monthly = None
if monthly is not None:
    main.add_command(monthly)

from qa_scoring.cli.calibration import calibration  # noqa: E402
from qa_scoring.cli.export import export  # noqa: E402
from qa_scoring.cli.review import review  # noqa: E402

main.add_command(review)
main.add_command(export)
main.add_command(calibration)
