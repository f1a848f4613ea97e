"""Resource limits on one input file, so that no single file can stop or stall a batch.

The defaults are documented in the README (Input); ``score`` sets the size and time limits
with ``--max-file-mb`` and ``--max-file-seconds``. A file over a limit becomes an error line.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one input file may cost."""

    max_file_bytes: int = 32 * MB  # size on disk of one transcript, table or manifest
    max_seconds: float = 60.0  # reading one file, or scoring one call, in wall-clock seconds
    max_turns: int = 20_000  # turns in one call (a one-hour call has about a thousand)
    max_turn_chars: int = 20_000  # characters of one turn the checks look at; the rest is cut with a warning
    json_depth: int = 64  # nesting of a JSON transcript (Whisper and AWS need 5)
    xlsx_uncompressed_bytes: int = 256 * MB  # all members of an .xlsx archive, uncompressed
    xlsx_rows: int = 1_048_576  # rows of the sheet read
    xlsx_columns: int = 256  # columns of the sheet read (the rest are ignored)


DEFAULT_LIMITS = Limits()


class TimeLimitExceeded(BaseException):
    """Raised inside the work when its time is up (a BaseException: no reader's ``except Exception`` eats it)."""


class Timer:
    """Raises TimeLimitExceeded in the work ``seconds`` after ``arm`` (a SIGALRM timer; main thread on POSIX).

    No thread is killed: the exception is raised between two Python steps of the work itself.
    Elsewhere (another thread, Windows) the work runs without a time limit. Use as a context
    manager around the whole batch (the handler is installed once) and ``arm``/``disarm``
    around each piece of work (one system call each).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.usable = (
            seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        self._previous: object = None

    def __enter__(self) -> Timer:
        if self.usable:
            self._previous = signal.signal(signal.SIGALRM, _expire)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]

    def arm(self) -> None:
        """Start counting ``seconds``."""
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def disarm(self) -> None:
        """Stop counting."""
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _expire(signum: int, frame: object) -> None:
    raise TimeLimitExceeded()
