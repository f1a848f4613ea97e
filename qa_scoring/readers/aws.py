"""AWS Transcribe Call Analytics JSON: ``Transcript[]`` items with ``ParticipantRole`` and ``Content``.

``BeginOffsetMillis`` / ``EndOffsetMillis`` become seconds. The other keys of a real output
(JobName, Categories, ConversationCharacteristics, ...) are ignored.

Example::

    {"JobName": "call-0001", "Transcript": [{"ParticipantRole": "AGENT",
      "Content": "terima kasih telah menghubungi pln 123", "BeginOffsetMillis": 500,
      "EndOffsetMillis": 3200}]}
"""

from __future__ import annotations

from collections.abc import Iterator

from qa_scoring.messages import Notice
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers.common import UNKNOWN_SPEAKER, Document, RawTurn, build_transcript, json_time, too_many

FORMAT = "aws"


def matches(data: object) -> bool:
    """True for a JSON object whose ``Transcript`` is a list of items carrying ``ParticipantRole``."""
    if not isinstance(data, dict) or not isinstance(data.get("Transcript"), list):
        return False
    items = data["Transcript"]
    return not items or any(isinstance(item, dict) and "ParticipantRole" in item for item in items)


def is_standard_transcribe(data: object) -> bool:
    """True for plain AWS Transcribe output (``results.transcripts``), which is not Call Analytics."""
    return isinstance(data, dict) and isinstance(data.get("results"), dict) and "transcripts" in data["results"]


def read(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one Call Analytics document (already parsed into ``doc.data``)."""
    items = doc.data.get("Transcript", []) if isinstance(doc.data, dict) else []
    warnings: list[str] = []
    raw: list[RawTurn] = []
    for index, item in enumerate(items):
        if too_many(raw, doc):
            break
        if not isinstance(item, dict):
            warnings.append(Notice(doc.source, "input.not_an_object", item=f"Transcript[{index}]"))
            continue
        role = item.get("ParticipantRole")
        content = item.get("Content")
        where = f"{doc.source}: Transcript[{index}]"
        begin = json_time(item, "BeginOffsetMillis", where, warnings, per_second=1000)
        end = json_time(item, "EndOffsetMillis", where, warnings, per_second=1000)
        raw.append(
            RawTurn(
                speaker=str(role).strip() if isinstance(role, str) and role.strip() else UNKNOWN_SPEAKER,
                text=content if isinstance(content, str) else "",
                start=begin,
                end=end,
            )
        )
    yield build_transcript(doc, FORMAT, raw, warnings=warnings)
