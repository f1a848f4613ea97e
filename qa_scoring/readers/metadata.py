"""Call metadata values (manifest columns, front matter, table columns) read into a CallMeta.

Keys are case-insensitive (spaces and hyphens count as underscores); unknown keys are ignored
here, the caller decides whether to warn. A value that cannot be read becomes ``None`` plus a
warning naming ``source:line``, the key and the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta
from qa_scoring.readers.common import excerpt

WIB = timezone(timedelta(hours=7))
# The zone given to a call_start written without an offset: WIB, until scoring reads the
# manifest's region (a distinct object, so that CallMeta.call_start_assumed can be set).
ASSUMED_WIB = timezone(timedelta(hours=7))
_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "UTC": 0, "GMT": 0, "Z": 0}

META_KEYS = (
    "call_id",
    "agent_id",
    "agent_name",
    "team",
    "call_start",
    "customer_name",
    "klb",
    "topic",
    "has_pln_mobile",
    "product",
    "transfer_code",
    "region",
)
_TEXT_KEYS = frozenset({"call_id", "agent_id", "agent_name", "team", "customer_name", "topic", "region"})
_BOOL_KEYS = frozenset({"klb", "has_pln_mobile"})

_TRUE = frozenset({"ya", "iya", "y", "yes", "true", "1", "benar"})
_FALSE = frozenset({"tidak", "tdk", "n", "no", "false", "0", "bukan"})
_UNKNOWN = frozenset({"", "unknown", "tidak tahu", "tidak diketahui", "-", "n/a", "na", "none", "null", "?"})

_PRODUCTS = {
    "elektrinet": "elektrinet",
    "electrinet": "elektrinet",
    "elektriknet": "elektrinet",
    "iconnet": "iconnet",
    "iconet": "iconnet",
}
_TRANSFER_CODES = frozenset({"5", "3"})

_DIGITS = frozenset("0123456789")
_ZONE_SUFFIX = re.compile(r"^(?P<dt>.*?\d)\s*(?P<zone>WIB|WITA|WIT|UTC|GMT)$", re.IGNORECASE)
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})[ T](?P<H>\d{1,2})[:.](?P<M>\d{2})"
    r"(?:[:.](?P<S>\d{2}))?$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # never part of a name or a team
_EXCEL_EPOCH = datetime(1899, 12, 30)


def normalize_key(key: object) -> str:
    """A column or front-matter key in canonical form: lower case, underscores for spaces/hyphens."""
    text = str(key)
    known = _KEYS.get(text)
    if known is None:
        known = _SEPARATORS.sub("_", text.strip().lower())
        if len(_KEYS) < 1000:  # the same few column names on every row
            _KEYS[text] = known
    return known


_SEPARATORS = re.compile(r"[\s\-]+")
_KEYS: dict[str, str] = {}


def parse_meta(values: Mapping[str, object], *, source: str, line: int | None = None) -> tuple[CallMeta, list[Notice]]:
    """Read metadata values into a CallMeta; return it with warnings for values that cannot be read."""
    fields: dict[str, object] = {}
    warnings: list[Notice] = []
    for raw_key, raw_value in values.items():
        key = normalize_key(raw_key)
        if key not in _META_KEY_SET or key in fields:
            continue
        value, problem = _read_value(key, raw_value)
        if problem:
            where = f"{source}:{line}" if line else source
            warnings.append(problem.located(f"{where}: {key}"))
        if value is not None:
            fields[key] = value
    start = fields.get("call_start")
    if isinstance(start, datetime):
        fields["call_start_assumed"] = start.tzinfo is ASSUMED_WIB
    # CallMeta(**fields) without its __init__: every field set, in order, from one dict
    every = _NO_FIELDS.copy()
    every.update(fields)
    meta = _new_object(CallMeta)
    meta.__dict__.update(every)
    return meta, warnings


_META_KEY_SET = frozenset(META_KEYS)
_NO_FIELDS = dict(CallMeta().__dict__)
_new_object = object.__new__


def is_blank(value: object) -> bool:
    """True for None and strings that hold only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell value as text: whole floats from Excel lose their ``.0``; strings are stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shown(value: object) -> str:
    """A value quoted in a warning: a short, printable excerpt, never the whole cell."""
    return repr(excerpt(str(value), 60))


def _read_value(key: str, value: object) -> tuple[object, Notice | None]:
    """The typed value for one key, and a problem description when it cannot be read."""
    if is_blank(value):
        return None, None
    if key in _TEXT_KEYS:
        if type(value) is str and value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
            return value, None  # what the line below gives for it (not blank: not empty)
        return " ".join(_CONTROL.sub(" ", cell_text(value)).split()) or None, None
    if key in _BOOL_KEYS:
        return read_bool(value)
    if key == "call_start":
        return read_datetime(value)
    if key == "product":
        return read_product(value)
    return read_transfer_code(value)


def read_bool(value: object) -> tuple[bool | None, Notice | None]:
    """ya/tidak, true/false, 1/0, yes/no, y/n; unknown or empty gives None without a problem."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = cell_text(value).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _UNKNOWN:
        return None, None
    return None, Notice("", "input.bad_bool", value=_shown(value))


def read_product(value: object) -> tuple[str | None, Notice | None]:
    """'elektrinet' or 'iconnet' from case and spacing variants; else None and a problem."""
    text = re.sub(r"[\s_\-.+]+", "", cell_text(value).lower())
    if text in _PRODUCTS:
        return _PRODUCTS[text], None
    if text in _UNKNOWN:
        return None, None
    return None, Notice("", "input.bad_product", value=_shown(value))


def read_transfer_code(value: object) -> tuple[str | None, Notice | None]:
    """'5' or '3' from 5, 5.0, '5', '5.0'; else None and a problem."""
    text = cell_text(value)
    try:
        as_number = float(text.replace(",", "."))
    except ValueError:
        as_number = None
    if as_number is not None and as_number.is_integer():
        text = str(int(as_number))
    if text in _TRANSFER_CODES:
        return text, None
    return None, Notice("", "input.bad_transfer_code", value=_shown(value))


def read_datetime(value: object) -> tuple[datetime | None, Notice | None]:
    """An aware datetime: naive values are WIB (+07:00), UTC is converted to WIB, other offsets kept.

    A date before 1990 or after 2100 is kept (the call is scored; no SOP is in force before
    the first SOP date) with a warning that it is probably wrong.
    """
    moment, problem = _read_datetime(value)
    if moment is not None and not _LIKELY_YEARS[0] <= moment.year <= _LIKELY_YEARS[1]:
        problem = Notice("", "input.unlikely_date", value=moment.isoformat(), year=moment.year)
    return moment, problem


_LIKELY_YEARS = (1990, 2100)


def _read_datetime(value: object) -> tuple[datetime | None, Notice | None]:
    """The body of read_datetime."""
    if isinstance(value, datetime):
        return _localize(value), None
    if isinstance(value, date):
        return None, Notice("", "input.no_value_time", value=repr(value.isoformat()))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value < 100000:  # an Excel serial date-time (1954-2173)
            return _localize(_EXCEL_EPOCH + timedelta(days=float(value))), None
        return None, Notice("", "input.bad_datetime", value=_shown(value))
    text = " ".join(str(value).split())
    zone_hours: int | None = None
    suffix = _ZONE_SUFFIX.match(text) if text[-1:] not in _DIGITS else None  # a zone's name ends in a letter
    if suffix:
        text = suffix.group("dt")
        zone_hours = _ZONES[suffix.group("zone").upper()]
    parsed = _parse_datetime_text(text)
    if parsed is None:
        if _parse_date_only(text):
            return None, Notice("", "input.no_value_time", value=_shown(value))
        return None, Notice("", "input.bad_datetime", value=_shown(value))
    if zone_hours is not None:
        if parsed.tzinfo is not None:
            return None, Notice("", "input.two_zones", value=_shown(value))
        parsed = parsed.replace(tzinfo=timezone(timedelta(hours=zone_hours)))
    return _localize(parsed), None


_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")


def _parse_datetime_text(text: str) -> datetime | None:
    """ISO 8601 (``T`` or space, optional offset or Z), or day-first ``DD/MM/YYYY HH:MM[:SS]``."""
    if _ISO_START.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    match = _DAY_FIRST.match(text)
    if match:
        try:
            return datetime(
                int(match["y"]),
                int(match["m"]),
                int(match["d"]),
                int(match["H"]),
                int(match["M"]),
                int(match["S"] or 0),
            )
        except ValueError:
            return None
    return None


def _parse_date_only(text: str) -> bool:
    """True when ``text`` is a date without a time of day."""
    return bool(re.match(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$", text))


def _localize(value: datetime) -> datetime:
    """Naive -> WIB (``ASSUMED_WIB``); UTC -> converted to WIB; any other offset kept."""
    if value.tzinfo is None:
        return value.replace(tzinfo=ASSUMED_WIB)
    offset = value.utcoffset()
    if offset == timedelta(0):
        try:
            return value.astimezone(WIB)
        except OverflowError:  # the last hours of year 9999 in UTC are past the calendar's end in WIB
            return value
    return value
