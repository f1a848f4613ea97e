"""The rules file: load, validate and compile once; select the rules in force by date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from qa_scoring.matching import PhraseSpec, Terms
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section, load_yaml, read_rules_text

SUPPORTED_SCHEMA_VERSIONS = (1,)
DEFAULT_RULES_NAME = "pln123.yaml"


@dataclass(frozen=True)
class Sop:
    """An SOP document and the dates it is in force (inclusive; None is open)."""

    id: str
    revision: str
    title: str
    effective_from: date | None
    effective_to: date | None

    @property
    def label(self) -> str:
        """``ID revision`` as shown in reports."""
        return f"{self.id} {self.revision}"

    def in_force(self, day: date | None) -> bool:
        """Whether the SOP applies on ``day`` (an unknown day takes the SOP as in force)."""
        if day is None:
            return True
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


@dataclass(frozen=True)
class ClosingConfig:
    """How the closing window is found."""

    offers: PhraseSpec
    offer_markers: frozenset[str]
    closing_like_threshold: float
    filler_max_words: int
    signoff_words: Terms
    offer_turn_patterns: tuple[re.Pattern[str], ...]
    opening_phrases: tuple[str, ...]
    thanks_continuation_words: int


@dataclass(frozen=True)
class RolesConfig:
    """The agent's script, used to tell the agent among generic speaker labels."""

    agent_script: tuple[str, ...]
    threshold: float


@dataclass(frozen=True)
class KlbPeriod:
    """A KLB period of the calendar, optionally for one region."""

    start: date
    end: date
    region: str | None


@dataclass(frozen=True)
class ContextConfig:
    """Words and patterns used to decide the call's facts from the transcript."""

    klb_calendar: tuple[KlbPeriod, ...]
    klb_phrases: Terms
    pln_mobile_terms: Terms
    pln_mobile_issue_terms: Terms
    generic_topic_words: frozenset[str]
    app_owner_patterns: tuple[re.Pattern[str], ...]
    app_not_owner_patterns: tuple[re.Pattern[str], ...]
    app_question_patterns: tuple[re.Pattern[str], ...]
    app_yes_patterns: tuple[re.Pattern[str], ...]
    app_no_patterns: tuple[re.Pattern[str], ...]
    internet_terms: Terms
    internet_topic_terms: Terms
    internet_trouble_terms: Terms | None  # None: a rules file from before the key, no trouble word needed
    time_zones: tuple[TimeZone, ...] = ()

    @cached_property
    def app_reply_patterns(self) -> tuple[re.Pattern[str], ...]:
        """The customer's no and yes patterns, as one alternation when that means the same (``_combined``)."""
        return _combined(self.app_no_patterns + self.app_yes_patterns)

    def time_zone(self, region: str | None) -> TimeZone | None:
        """The time zone whose region words stand in ``region`` (the longest word wins), or None."""
        if not region:
            return None
        text = normalize(region)
        found = [(len(w), z) for z in self.time_zones if (w := z.regions.first(text))]
        return max(found, key=lambda f: f[0])[1] if found else None


@dataclass(frozen=True)
class TimeZone:
    """An Indonesian time zone and the regions (PLN units, provinces, cities) in it."""

    name: str
    tz: timezone
    regions: Terms


@dataclass(frozen=True)
class Destination:
    """Where a product's customers are transferred."""

    product: str
    label: str
    names: tuple[str, ...]
    numbers: tuple[str, ...]
    transfer_code: str
    names_with_verb: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransferConfig:
    """Destinations, transfer verbs and the customer's product words."""

    destinations: tuple[Destination, ...]
    verbs: Terms
    product_words: dict[str, tuple[str, ...]]
    product_hints: dict[str, Terms]

    @cached_property
    def word_tails(self) -> frozenset[str]:
        """Last three letters of every product word: a cheap test before the fuzzy one."""
        return frozenset(f[-3:] for forms in self.product_words.values() for f in forms)

    def by_code(self, code: str | None) -> Destination | None:
        """The destination of a Direct Transfer key."""
        return next((d for d in self.destinations if code and d.transfer_code == code), None)

    def by_product(self, product: str | None) -> Destination | None:
        """The destination of a product."""
        return next((d for d in self.destinations if d.product == product), None)


@dataclass(frozen=True)
class Parameter:
    """A QA parameter: compliant when each of its checks is pass or na."""

    key: str
    label: str
    weight: float
    checks: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """A loaded, validated and compiled rules file."""

    source: str
    version: str
    description: str
    threshold: float
    sops: dict[str, Sop]
    closing: ClosingConfig
    roles: RolesConfig
    context: ContextConfig
    transfer: TransferConfig
    checks: tuple[Any, ...]
    parameters: tuple[Parameter, ...]
    closing_phrases: tuple[str, ...]

    @property
    def check_ids(self) -> tuple[str, ...]:
        """Every check id once, in file order."""
        return tuple(dict.fromkeys(c.id for c in self.checks))

    def in_force(self, check_id: str, day: date | None) -> Any | None:
        """The rule for ``check_id`` in force on ``day``, or None."""
        for rule in self.checks:
            if rule.id == check_id and rule.in_force(day):
                return rule
        return None

    def rule(self, check_id: str) -> Any:
        """The first rule with this id (for labels and SOP names)."""
        return next(c for c in self.checks if c.id == check_id)


def default_rules_path() -> Path:
    """The rules file shipped with the package."""
    return Path(str(resources.files("qa_scoring.rules").joinpath(DEFAULT_RULES_NAME)))


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and compile a rules file (the shipped one when ``path`` is None)."""
    path = Path(path) if path else default_rules_path()
    return compile_rules(load_yaml(read_rules_text(path, "rules file"), str(path)), str(path))


def compile_rules(data: Any, file: str) -> RuleSet:
    """Validate the parsed YAML of a rules file and compile it."""
    from qa_scoring.checks import REGISTRY, CompileContext

    top = Section(data, file, "")
    top.schema_version(SUPPORTED_SCHEMA_VERSIONS)
    version = top.str("ruleset", required=True)
    description = top.str("description", "")
    sops = _sops(top)
    matching = top.section("matching")
    threshold = matching.number("threshold", 80)
    matching.finish()
    closing = _closing(top.section("closing", rule="closing"), threshold)
    roles_sec = top.section("roles", rule="roles")
    roles = RolesConfig(
        agent_script=tuple(normalize(p) for p in roles_sec.str_list("agent_script", required=True)),
        threshold=roles_sec.number("threshold", 85),
    )
    roles_sec.finish()
    context = _context(top.section("context", rule="context"))
    transfer = _transfer(top.section("transfer", rule="transfer"))
    ctx = CompileContext(file=file, threshold=threshold, sops=sops, transfer=transfer, compiled={})
    checks = []
    for sec in top.sections("checks"):
        rule_id = sec.str("id", required=True)
        sec.rule = rule_id
        kind = sec.str("type", required=True)
        module = REGISTRY.get(kind)
        if module is None:
            raise sec.error("type", f"one of the rule types ({', '.join(sorted(REGISTRY))})", kind)
        rule = module.compile(sec, ctx)
        sec.finish()
        _check_overlap(sec, rule, ctx.compiled.get(rule_id, []))
        ctx.compiled.setdefault(rule_id, []).append(rule)
        checks.append(rule)
    if not checks:
        raise top.error("checks", "at least one check")
    parameters = _parameters(top, {c.id for c in checks})
    top.finish()
    closing_phrases = tuple(p for rule in checks for p in getattr(rule, "closing_phrases", ()))
    return RuleSet(
        source=file,
        version=version,
        description=description,
        threshold=threshold,
        sops=sops,
        closing=closing,
        roles=roles,
        context=context,
        transfer=transfer,
        checks=tuple(checks),
        parameters=parameters,
        closing_phrases=closing_phrases,
    )


def _check_overlap(sec: Section, rule: Any, earlier: list[Any]) -> None:
    for other in earlier:
        lo = max(rule.effective_from or date.min, other.effective_from or date.min)
        hi = min(rule.effective_to or date.max, other.effective_to or date.max)
        if lo <= hi:
            raise sec.error("id", "a check id used again only with effective dates that do not overlap")


def _sops(top: Section) -> dict[str, Sop]:
    sops: dict[str, Sop] = {}
    for sec in top.sections("sops"):
        sop_id = sec.str("id", required=True)
        sec.rule = sop_id
        sop = Sop(
            id=sop_id,
            revision=sec.str("revision", ""),
            title=sec.str("title", ""),
            effective_from=sec.date("effective_from"),
            effective_to=sec.date("effective_to"),
        )
        if sop.effective_from and sop.effective_to and sop.effective_to < sop.effective_from:
            raise sec.error("effective_to", "a date on or after effective_from", str(sop.effective_to))
        if sop_id in sops:
            raise sec.error("id", "an SOP id used once", sop_id)
        sec.finish()
        sops[sop_id] = sop
    if not sops:
        raise top.error("sops", "at least one SOP")
    return sops


def _closing(sec: Section, threshold: float) -> ClosingConfig:
    offers = sec.str_list("offer_phrases", required=True)
    spec = PhraseSpec.build(offers[0], [offers[0]], offers[1:], sec.number("offer_threshold", threshold))
    config = ClosingConfig(
        offers=spec,
        offer_markers=frozenset(normalize(m) for m in sec.str_list("offer_markers", ["lagi", "lain"])),
        closing_like_threshold=sec.number("closing_like_threshold", 75),
        filler_max_words=int(sec.number("filler_max_words", 3, low=0, high=20)),
        signoff_words=Terms(sec.str_list("signoff_words")),
        offer_turn_patterns=_patterns(sec, "offer_turn_patterns"),
        opening_phrases=tuple(normalize(p) for p in sec.str_list("opening_phrases", ["ada yang bisa dibantu"])),
        thanks_continuation_words=int(sec.number("thanks_continuation_words", 8, low=0, high=40)),
    )
    sec.finish()
    return config


_BACKREF = re.compile(r"\\\d|\(\?P=")


def _patterns(sec: Section, key: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for text in sec.str_list(key):
        try:
            out.append(re.compile(text))
        except re.error as exc:
            raise sec.error(key, f"valid regular expressions ({exc})", text) from None
    return _combined(tuple(out))


def _combined(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...]:
    """One alternation searching for any of ``patterns`` in one pass, when that means the same."""
    if len(patterns) < 2 or any(_BACKREF.search(p.pattern) for p in patterns):
        return patterns
    try:
        return (re.compile("|".join(f"(?:{p.pattern})" for p in patterns)),)
    except re.error:  # e.g. global flags or a group name used twice
        return patterns


def _context(sec: Section) -> ContextConfig:
    calendar = []
    for item in sec.sections("klb_calendar", required=False):
        start, end = item.date("from"), item.date("to")
        if start is None or end is None or end < start:
            raise item.error("from", "'from' and 'to' dates with to >= from")
        calendar.append(KlbPeriod(start, end, item.optional_str("region")))
        item.finish()

    def words(key: str) -> Terms:
        return Terms(sec.str_list(key))

    zones = []
    zone_sec = sec.section("time_zones", required=False)
    for name in zone_sec.names():
        item = zone_sec.section(str(name))
        hours = item.number("utc_offset", 7, low=-12, high=14)
        zones.append(TimeZone(str(name), timezone(timedelta(hours=hours), str(name)), Terms(item.str_list("regions"))))
        item.finish()

    config = ContextConfig(
        time_zones=tuple(zones),
        klb_calendar=tuple(calendar),
        klb_phrases=words("klb_phrases"),
        pln_mobile_terms=words("pln_mobile_terms"),
        pln_mobile_issue_terms=words("pln_mobile_issue_terms"),
        generic_topic_words=frozenset(w for t in sec.str_list("generic_topic_words") for w in normalize(t).split()),
        app_owner_patterns=_patterns(sec, "app_owner_patterns"),
        app_not_owner_patterns=_patterns(sec, "app_not_owner_patterns"),
        app_question_patterns=_patterns(sec, "app_question_patterns"),
        app_yes_patterns=_patterns(sec, "app_yes_patterns"),
        app_no_patterns=_patterns(sec, "app_no_patterns"),
        internet_terms=words("internet_terms"),
        # a rules file from before the key existed read topics with the customer's words
        internet_topic_terms=words("internet_topic_terms" if sec.has("internet_topic_terms") else "internet_terms"),
        internet_trouble_terms=words("internet_trouble_terms") if sec.has("internet_trouble_terms") else None,
    )
    sec.finish()
    return config


def _transfer(sec: Section) -> TransferConfig:
    dest_sec = sec.section("destinations")
    destinations = []
    for product in dest_sec.names():
        item = dest_sec.section(product)
        destinations.append(
            Destination(
                product=str(product),
                label=item.str("label", required=True),
                names=tuple(normalize(n) for n in item.str_list("names", required=True)),
                numbers=tuple(normalize(n) for n in item.str_list("numbers", required=True)),
                transfer_code=item.str("transfer_code", required=True),
                names_with_verb=tuple(normalize(n) for n in item.str_list("names_with_verb")),
            )
        )
        item.finish()
    if not destinations:
        raise dest_sec.error(None, "at least one destination")
    words = sec.section("product_words")
    product_words = {}
    for product in words.names():
        if product not in {d.product for d in destinations}:
            raise words.error(str(product), "a product named under transfer.destinations")
        product_words[str(product)] = tuple(normalize(w) for w in words.str_list(product, required=True))
    hints = sec.section("product_hints", required=False)
    product_hints = {}
    for product in hints.names():
        if product not in product_words:
            raise hints.error(str(product), "a product named under transfer.product_words")
        product_hints[str(product)] = Terms(hints.str_list(product, required=True))
    config = TransferConfig(
        destinations=tuple(destinations),
        verbs=Terms(sec.str_list("transfer_verbs", required=True)),
        product_words=product_words,
        product_hints=product_hints,
    )
    sec.finish()
    return config


def _parameters(top: Section, check_ids: set[str]) -> tuple[Parameter, ...]:
    params_sec = top.section("parameters", rule="parameters")
    params = []
    for key in params_sec.names():
        sec = params_sec.section(key, rule=f"parameters.{key}")
        checks = sec.str_list("checks", required=True)
        for check_id in checks:
            if check_id not in check_ids:
                raise sec.error("checks", f"ids of checks in this file ({', '.join(sorted(check_ids))})", check_id)
        params.append(
            Parameter(
                key=str(key),
                label=sec.str("label", str(key)),
                weight=sec.number("weight", 1, low=0, high=1000),
                checks=tuple(checks),
            )
        )
        sec.finish()
    if not params or sum(p.weight for p in params) <= 0:
        raise params_sec.error(None, "at least one parameter with a weight above 0")
    return tuple(params)
