"""qa-scoring: QA scoring of PLN 123 call transcripts against the SOPs."""

__version__ = "0.1.0"
