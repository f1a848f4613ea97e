"""Typed access to one mapping of a rules file, with errors naming file, line, rule and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from qa_scoring.errors import QAScoringError


class RulesError(QAScoringError):
    """A rules file that cannot be used; the message names the file, line, rule and key."""


class LineDict(dict):
    """A mapping that remembers the line it started on in the YAML file."""

    line: int | None = None


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that records each mapping's line; dates stay strings."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML text, turning syntax errors into a RulesError naming file and line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark else file
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesError(f"{where}: not valid YAML: {problem}") from None


_MISSING = object()


class Section:
    """One mapping of the rules file. Read keys with the typed getters, then call ``finish``."""

    def __init__(self, data: Any, file: str, rule: str, path: str = "", line: int | None = None) -> None:
        self.file = file
        self.rule = rule
        self.path = path
        self.line = getattr(data, "line", None) or line
        if not isinstance(data, dict):
            raise self.error(None, "a mapping of keys to values", data)
        self.data = data
        self._seen: set[str] = set()

    def error(self, key: str | None, expected: str, got: Any = _MISSING) -> RulesError:
        """A RulesError for ``key`` of this section."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        rule = f"rule '{self.rule}'" if self.rule else "top level"
        full = ".".join(p for p in (self.path, key) if p)
        key_part = f", key '{full}'" if full else ""
        got_part = "" if got is _MISSING else f", got {got!r}"
        return RulesError(f"{where}: {rule}{key_part}: expected {expected}{got_part}")

    def schema_version(self, supported: tuple[int, ...]) -> int:
        """The file's ``schema_version``, which must be one of ``supported``."""
        schema = int(self.number("schema_version", 0, low=0, high=1000))
        if schema not in supported:
            raise self.error("schema_version", f"one of {supported}", self.data.get("schema_version"))
        return schema

    def has(self, key: str) -> bool:
        """Whether the key is present."""
        return key in self.data

    def _get(self, key: str, required: bool) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(key, "a value (the key is required)")
            return _MISSING
        return self.data[key]

    def str(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        """A text value."""
        value = self._get(key, required and default is None)
        if value is _MISSING:
            return default  # type: ignore[return-value]
        if not isinstance(value, str | int | float) or isinstance(value, bool) or str(value).strip() == "":
            raise self.error(key, "a non-empty text", value)
        return str(value)

    def optional_str(self, key: str) -> str | None:
        """A text value or None."""
        value = self._get(key, False)
        return None if value is _MISSING else self.str(key)

    def number(self, key: str, default: float, *, low: float = 0, high: float = 100) -> float:
        """A number between ``low`` and ``high``."""
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.error(key, f"a number from {low:g} to {high:g}", value)
        return float(value)

    def str_list(self, key: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
        """A list of non-empty texts."""
        value = self._get(key, required and default is None)
        if value is _MISSING:
            return list(default or [])
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip() for v in value
        ):
            raise self.error(key, "a list of non-empty texts", value)
        if required and not value:
            raise self.error(key, "a non-empty list of texts", value)
        return [str(v) for v in value]

    def date(self, key: str) -> date | None:
        """A date written YYYY-MM-DD, or None."""
        value = self._get(key, False)
        if value is _MISSING:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.error(key, "a date YYYY-MM-DD", value) from None

    def bool(self, key: str, default: bool = False) -> bool:
        """true or false."""
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "true or false", value)
        return value

    def section(self, key: str, *, required: bool = True, rule: str | None = None) -> Section:
        """A nested mapping."""
        value = self._get(key, required)
        if value is _MISSING:
            value = LineDict()
        return Section(value, self.file, self.rule if rule is None else rule, self._sub(key), self.line)

    def sections(self, key: str, *, required: bool = True) -> list[Section]:
        """A list of nested mappings."""
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(key, "a list of mappings", value)
        return [
            Section(item, self.file, self.rule, f"{self._sub(key)}[{i}]", self.line) for i, item in enumerate(value)
        ]

    def names(self) -> list[str]:
        """Every key of the mapping (marks them read)."""
        self._seen.update(self.data)
        return list(self.data)

    def _sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def finish(self) -> None:
        """Reject keys that were never read (misspelt or unknown options)."""
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            valid = ", ".join(sorted(self._seen))
            raise self.error(str(unknown[0]), f"one of the known keys ({valid})")


def read_rules_text(path: Path, what: str) -> str:
    """The text of a rules file; a file that cannot be read is a ``RulesError`` naming it (``what``: its kind)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: the {what} is not UTF-8 text") from None
