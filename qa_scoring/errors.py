"""The one user-error exception type and the input-error type."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_scoring.messages import Reason


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


def internal_error(doing: str, exc: BaseException) -> Reason:
    """The reason for an unexpected exception (a bug) while ``doing`` (``read`` or ``score``), with a report id.

    The id is a hash of the exception type and where it was raised, so the same bug gives the
    same id on every machine; the traceback is printed on stderr only when QA_SCORING_DEBUG is set.
    """
    import hashlib  # imported here: they load OpenSSL, a few MB, needed only when there is a bug
    import traceback

    from qa_scoring.messages import DOING, msg

    frames = traceback.extract_tb(exc.__traceback__)
    place = f"{frames[-1].filename.rsplit(os.sep, 1)[-1]}:{frames[-1].lineno}" if frames else ""
    incident = hashlib.sha1(f"{type(exc).__name__}@{place}".encode()).hexdigest()[:8].upper()
    if os.environ.get("QA_SCORING_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return msg("error.internal", doing=DOING[doing], incident=f"QA-{incident}")
