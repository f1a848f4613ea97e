"""Data model: frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Role = Literal["agent", "customer", "unknown"]
Outcome = Literal["pass", "fail", "na"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Turn:
    """One speaker turn as read from a transcript."""

    index: int
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    line: int | None = None
    role: Role = "unknown"

    def with_role(self, role: Role) -> Turn:
        """This turn with ``role`` (faster than ``dataclasses.replace`` on the hot path)."""
        turn = _new_object(Turn)
        turn.__dict__.update(self.__dict__, role=role)
        return turn


def make_turn(
    index: int, speaker: str, text: str, start: float | None, end: float | None, line: int | None, role: Role
) -> Turn:
    """``Turn(...)``, built without the frozen dataclass's one ``object.__setattr__`` per field
    (the readers make one per turn of every call); the same object in every respect."""
    turn = _new_object(Turn)
    turn.__dict__.update(index=index, speaker=speaker, text=text, start=start, end=end, line=line, role=role)
    return turn


_new_object = object.__new__


@dataclass(frozen=True)
class CallMeta:
    """Metadata of a call: from the manifest, a file's front matter, or both."""

    call_id: str | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    team: str | None = None
    call_start: datetime | None = None
    customer_name: str | None = None
    klb: bool | None = None
    topic: str | None = None
    has_pln_mobile: bool | None = None
    product: str | None = None
    transfer_code: str | None = None
    region: str | None = None
    # True when call_start was written without an offset (read as WIB until the region's zone is known)
    call_start_assumed: bool | None = None

    def merged(self, fallback: CallMeta) -> CallMeta:
        """Return self with every unset field taken from ``fallback``."""
        mine = self.__dict__
        values = {name: value for name, value in fallback.__dict__.items() if value is not None and mine[name] is None}
        if not values:
            return self
        meta = _new_object(CallMeta)
        meta.__dict__.update(mine, **values)
        return meta


_NO_META = CallMeta().__dict__


def make_meta(values: dict[str, Any]) -> CallMeta:
    """``CallMeta(**values)`` built as ``make_turn`` builds a Turn (one per call from the manifest)."""
    if not _NO_META.keys() >= values.keys():
        return CallMeta(**values)  # raises the TypeError of an unknown field
    meta = _new_object(CallMeta)
    meta.__dict__.update(_NO_META, **values)
    return meta


@dataclass(frozen=True)
class Transcript:
    """One call read from a source file."""

    call_id: str
    source: str
    format: str
    turns: tuple[Turn, ...]
    meta: CallMeta = field(default_factory=CallMeta)
    role_basis: str = ""
    warnings: tuple[str, ...] = ()

    def copy_with(self, **changes: Any) -> Transcript:
        """This transcript with some fields changed (``dataclasses.replace`` without its field checks)."""
        copy = _new_object(Transcript)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


def make_transcript(
    call_id: str,
    source: str,
    format: str,
    turns: tuple[Turn, ...],
    meta: CallMeta,
    role_basis: str,
    warnings: tuple[str, ...],
) -> Transcript:
    """``Transcript(...)`` built as ``make_turn`` builds a Turn (one per call read)."""
    transcript = _new_object(Transcript)
    transcript.__dict__.update(
        call_id=call_id, source=source, format=format, turns=turns, meta=meta, role_basis=role_basis, warnings=warnings
    )
    return transcript


@dataclass(frozen=True)
class ReadError:
    """A file, or one call inside a file, that could not be read."""

    source: str
    message: str
    line: int | None = None
    call_id: str | None = None

    def describe(self) -> str:
        """One line naming the file, the line where known, and what is wrong."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        located = getattr(self.message, "located", None)  # a messages.Notice keeps its translations
        return located(where) if located is not None else f"{where}: {self.message}"


@dataclass(frozen=True)
class Evidence:
    """The passage behind a verdict: a match, a nearest miss, or a forbidden match."""

    kind: Literal["match", "nearest_miss", "forbidden_match", "info"]
    phrase: str
    similarity: float
    text: str = ""
    turn: int | None = None
    start: float | None = None
    time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "kind": self.kind,
            "turn": self.turn,
            "start": self.start,
            "time": self.time,
            "text": self.text,
            "phrase": self.phrase,
            "similarity": round(self.similarity, 1),
        }


@dataclass(frozen=True, order=True)
class CheckResult:
    """The verdict of one check on one call; ``reason`` in English, ``reason_id`` in Bahasa Indonesia."""

    id: str
    outcome: Outcome
    reason: str
    evidence: tuple[Evidence, ...] = ()
    sop: str = ""
    reason_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output; ``evidence`` is the main passage, ``more`` the rest."""
        main = self.evidence[0].to_dict() if self.evidence else None
        out: dict[str, Any] = {
            "id": self.id,
            "outcome": self.outcome,
            "reason": self.reason,
            "reason_id": self.reason_id,
            "sop": self.sop,
            "evidence": main,
        }
        if len(self.evidence) > 1:
            out["more_evidence"] = [e.to_dict() for e in self.evidence[1:]]
        return out


@dataclass(frozen=True)
class Fact:
    """A fact about a call decided before the checks, with how it was decided."""

    value: Any
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {"value": self.value, "basis": self.basis}
