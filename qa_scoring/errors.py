"""The one user-error exception type and the input-error type."""

from __future__ import annotations


class QAScoringError(Exception):
    """A user error: bad rules file, bad option, unreadable manifest. Shown as one line."""


class InputError(QAScoringError):
    """A transcript or manifest that cannot be read; names the file and, where known, the line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.message = message
        self.line = line
        self.where = f"{source}:{line}" if line else source
        super().__init__(f"{self.where}: {message}")

    def text(self, lang: str) -> str:
        """The error in ``lang`` when its message is a catalog notice (``messages.Notice``), else as it is."""
        render = getattr(self.message, "text", None)
        return f"{self.where}: {render(lang) if render else self.message}"
