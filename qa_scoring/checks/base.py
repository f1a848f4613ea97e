"""What every rule type shares: the rule head, the compile context and result helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qa_scoring.matching import PhraseSpec
from qa_scoring.messages import Reason
from qa_scoring.model import CheckResult, Evidence
from qa_scoring.rules.ruleset import Sop, TransferConfig
from qa_scoring.rules.section import Section


@dataclass(frozen=True)
class BaseRule:
    """The keys every check has: id, type, SOP, description and the dates it is in force."""

    id: str
    type: str
    sop: Sop
    description: str
    effective_from: date | None
    effective_to: date | None

    def in_force(self, day: date | None) -> bool:
        """Whether this rule applies on ``day`` (its own dates, else its SOP's)."""
        if day is None:
            return True
        start = self.effective_from or self.sop.effective_from
        end = self.effective_to or self.sop.effective_to
        return not ((start and day < start) or (end and day > end))

    def result(self, outcome: str, reason: Reason, *evidence: Evidence | None) -> CheckResult:
        """A CheckResult of this rule, its reason rendered in English and in Bahasa Indonesia."""
        if evidence:
            kept = tuple(filter(None, evidence))  # an Evidence is always true: the Nones left out
            if kept:
                en, id_ = reason_texts(reason)
                return make_result(self.id, outcome, en, kept, _sop_label(self.sop), id_)
        return _plain_result(self, outcome, reason)


def make_result(
    id: str, outcome: str, reason: str, evidence: tuple[Evidence, ...], sop: str, reason_id: str
) -> CheckResult:
    """``CheckResult(...)``, built without the frozen dataclass's one ``object.__setattr__`` per
    field (every check of every call makes one); the same object in every respect."""
    result = _new_object(CheckResult)
    result.__dict__.update(id=id, outcome=outcome, reason=reason, evidence=evidence, sop=sop, reason_id=reason_id)
    return result


_new_object = object.__new__

# A reason's texts by its key and arguments, when every argument is a text or a reason without
# arguments (equal arguments then render alike: no 1 and 1.0 or True to tell apart)
_TEXTS: dict[tuple[str, tuple[tuple[str, Any], ...]], tuple[str, str]] = {}
_TEXTS_MAX = 8192


def reason_texts(reason: Reason) -> tuple[str, str]:
    """``(reason.text("en"), reason.text("id"))``, rendered once per distinct reason of plain arguments."""
    args = reason.args
    plain = args
    for k, (name, value) in enumerate(args):
        if type(value) is not str:
            if type(value) is not Reason or value.args:
                return reason.text("en"), reason.text("id")
            if plain is args:
                plain = list(args)
            plain[k] = (name, None, value.key)  # type: ignore[index]  # a reason by its key: no dataclass hash
    key = (reason.key, plain if plain is args else tuple(plain))
    found = _TEXTS.get(key)
    if found is None:
        if len(_TEXTS) >= _TEXTS_MAX:
            _TEXTS.clear()
        found = _TEXTS[key] = (reason.text("en"), reason.text("id"))
    return found


_LABELS: dict[int, tuple[Sop, str]] = {}


def _sop_label(sop: Sop) -> str:
    """``sop.label``, made once per SOP."""
    found = _LABELS.get(id(sop))
    if found is None or found[0] is not sop:
        if len(_LABELS) >= 256:
            _LABELS.clear()
        found = _LABELS[id(sop)] = (sop, sop.label)
    return found[1]


# Results without evidence ("not in scope", "no thank-you") repeat from call to call: each is
# rendered once. Keyed by the rule's identity (the rule is kept in the value to check it) and
# the reason's repr (which tells 1 from 1.0 and True, where equality does not).
_PLAIN: dict[tuple[int, str, str, str], tuple[BaseRule, CheckResult]] = {}
_PLAIN_MAX = 4096


# The dicts of those results (``result_dict``), by the result's identity (the result is kept to check it).
_DICTS: dict[int, tuple[CheckResult, dict[str, Any]]] = {}


def _plain_result(rule: BaseRule, outcome: str, reason: Reason) -> CheckResult:
    """``rule.result(outcome, reason)`` without evidence, rendered once per distinct reason."""
    key = (id(rule), outcome, reason.key, repr(reason.args))
    found = _PLAIN.get(key)
    if found is not None and found[0] is rule:
        return found[1]
    result = make_result(rule.id, outcome, reason.text("en"), (), rule.sop.label, reason.text("id"))
    if len(_PLAIN) >= _PLAIN_MAX:
        _PLAIN.clear()
        _DICTS.clear()
    _PLAIN[key] = (rule, result)
    _DICTS[id(result)] = (result, result.to_dict())
    return result


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """``evidence.to_dict()``, its similarity rounded once per value (a positive float: ``round``
    gives an int for an int, and -0.0 for -0.0, which equal 0.0 as keys)."""
    similarity = evidence.similarity
    rounded = _ROUNDED.get(similarity) if type(similarity) is float and similarity > 0 else None
    if rounded is None:
        rounded = round(similarity, 1)
        if type(similarity) is float and similarity > 0:
            if len(_ROUNDED) >= 16384:
                _ROUNDED.clear()
            _ROUNDED[similarity] = rounded
    return {
        "kind": evidence.kind,
        "turn": evidence.turn,
        "start": evidence.start,
        "time": evidence.time,
        "text": evidence.text,
        "phrase": evidence.phrase,
        "similarity": rounded,
    }


_ROUNDED: dict[float, float] = {}  # round(similarity, 1) by similarity


def result_dict(result: CheckResult) -> dict[str, Any]:
    """``result.to_dict()``: a new dict each time, copied from the one made once for a result
    without evidence (those repeat from call to call, see ``_plain_result``)."""
    evidence = result.evidence
    if not evidence:
        found = _DICTS.get(id(result))
        if found is not None and found[0] is result:
            return found[1].copy()
        return result.to_dict()
    out = {
        "id": result.id,
        "outcome": result.outcome,
        "reason": result.reason,
        "reason_id": result.reason_id,
        "sop": result.sop,
        "evidence": evidence_dict(evidence[0]),
    }
    if len(evidence) > 1:
        out["more_evidence"] = [evidence_dict(e) for e in evidence[1:]]
    return out


@dataclass
class CompileContext:
    """What a rule type may consult while compiling: defaults and the rules compiled so far."""

    file: str
    threshold: float
    sops: dict[str, Sop]
    transfer: TransferConfig
    compiled: dict[str, list[Any]] = field(default_factory=dict)

    def head(self, sec: Section) -> dict[str, Any]:
        """Read the common keys of a check."""
        sop_id = sec.str("sop", required=True)
        if sop_id not in self.sops:
            raise sec.error("sop", f"one of the SOP ids ({', '.join(self.sops)})", sop_id)
        return {
            "id": sec.str("id", required=True),
            "type": sec.str("type", required=True),
            "sop": self.sops[sop_id],
            "description": sec.str("description", ""),
            "effective_from": sec.date("effective_from"),
            "effective_to": sec.date("effective_to"),
        }

    def phrase(self, sec: Section, threshold: float | None = None) -> PhraseSpec:
        """A phrase with its core parts and alternatives (keys phrase, core, alternatives, threshold)."""
        text = sec.str("phrase", required=True)
        return PhraseSpec.build(
            text,
            sec.str_list("core"),
            sec.str_list("alternatives"),
            sec.number("threshold", threshold if threshold is not None else self.threshold),
        )

    def reference(self, sec: Section, key: str, types: tuple[str, ...]) -> Any:
        """Another check, defined above in the file, that this one refers to."""
        ref = sec.str(key, required=True)
        rules = self.compiled.get(ref)
        if not rules or rules[0].type not in types:
            raise sec.error(key, f"the id of a check of type {' or '.join(types)} defined above", ref)
        return rules[0]
