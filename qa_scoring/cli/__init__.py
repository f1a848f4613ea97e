"""Command line interface."""

import click


@click.group()
def main() -> None:
    """Score PLN 123 call transcripts against the SOPs."""
