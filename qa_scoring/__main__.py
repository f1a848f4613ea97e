"""``python -m qa_scoring``."""

from qa_scoring.cli import main

main()
