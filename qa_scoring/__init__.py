"""qa-scoring: QA scoring of PLN 123 call transcripts against the SOPs."""

__version__ = "0.2.0"
