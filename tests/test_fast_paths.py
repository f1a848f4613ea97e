"""The fast paths of the scoring hot path give what the plain code gives (issue 10, "Fast and flat").

Each shortcut is checked against the straightforward version it replaces: on hand-picked edge
cases and on generated input.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.checks.base import _plain_result, make_result
from qa_scoring.matching import PerRuleSet
from qa_scoring.messages import MESSAGES, FactBasis, Reason, msg
from qa_scoring.model import Turn, make_turn
from qa_scoring.normalize import _PASSES, _apply_phrases, normalize
from qa_scoring.normalize.numbers import convert_numbers
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.readers.common import collapse, parse_clock
from qa_scoring.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "\u2028"]


def _slow_collapse(text: str) -> str:
    return " ".join(text.split())


def _slow_apply_phrases(tokens: list[str], table: dict, firsts: frozenset[str], longest: int) -> list[str]:
    """The phrase pass as first written: every token visited."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok in firsts:
            for size in range(min(longest, n - i), 1, -1):
                replacement = table.get(tuple(tokens[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(tok)
                i += 1
        else:
            out.append(tok)
            i += 1
    return out


def test_make_turn_is_a_turn() -> None:
    plain = Turn(3, "CSO", "halo", 1.5, None, 7, "agent")
    fast = make_turn(3, "CSO", "halo", 1.5, None, 7, "agent")
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert pickle.loads(pickle.dumps(fast)) == plain
    assert fast.with_role("customer") == Turn(3, "CSO", "halo", 1.5, None, 7, "customer")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SPACES), st.text(alphabet="ab-é", min_size=1, max_size=3)), max_size=12))
def test_collapse_equals_split_join(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert collapse(text) == _slow_collapse(text)


def test_parse_clock_cached_values() -> None:
    assert parse_clock("01:02:03.5") == 3723.5
    assert parse_clock("00:61") is None
    assert parse_clock(" 00:01:00,250 ") == 60.25


def test_plain_messages_render_as_format_does() -> None:
    for key, texts in MESSAGES.items():
        for lang, template in texts.items():
            if "{" not in template and "}" not in template:
                assert Reason(key).text(lang) == template.format()


def test_results_without_evidence_rendered_once_per_reason() -> None:
    rules = load_rules()
    rule = rules.rule("transfer.destination")
    reason = msg("scope.not_internet", basis=FactBasis("manifest"))
    first = _plain_result(rule, "na", reason)
    assert first == make_result(rule.id, "na", reason.text("en"), (), rule.sop.label, reason.text("id"))
    assert _plain_result(rule, "na", msg("scope.not_internet", basis=FactBasis("manifest"))) is first
    other = _plain_result(rule, "na", msg("scope.not_internet", basis=FactBasis("transcript: x")))
    assert other.reason != first.reason


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["p", "l", "n", "pe", "el", "en", "mobail", "di", "bantu", "down", "load", "x"])))
def test_phrase_passes_equal_the_token_by_token_scan(tokens: list[str]) -> None:
    for table, firsts, longest in _PASSES:
        assert _apply_phrases(tokens, table, firsts, longest) == _slow_apply_phrases(tokens, table, firsts, longest)


def test_lone_digit_tokens_stay() -> None:
    assert convert_numbers(["pln", "123", "nomor", "4567"]) == ["pln", "123", "nomor", "4567"]
    assert convert_numbers(["1500", "071"]) == ["1500071"]
    assert normalize("satu lima nol nol nol tujuh satu") == "1500071"


def test_per_rule_set_values_are_rebuilt_for_a_copy() -> None:
    built: list[object] = []
    cache = PerRuleSet(lambda rules: built.append(rules) or len(built))
    rules = load_rules()
    assert cache(rules) == 1 and cache(rules) == 1
    copy = pickle.loads(pickle.dumps(rules))  # what a worker process gets
    assert cache(copy) == 2 and built == [rules, copy]


def test_an_unpickled_rule_set_scores_alike() -> None:
    rules = load_rules()
    folder = ROOT / "sample_transcripts"
    first = list(score_batch(open_batch([folder]), rules))
    again = list(score_batch(open_batch([folder]), pickle.loads(pickle.dumps(rules))))
    assert again == first


def test_destination_numbers_found_whatever_the_short_runs() -> None:
    from qa_scoring.analysis import _routes
    from qa_scoring.matching import AgentText

    rules = load_rules()
    norms = ["pln 123 baik", "silakan hubungi 1500 071", "atau 150678", "nomor 150071 ya", "12 34"]
    turns = [Turn(i, "CSO", n, role="agent") for i, n in enumerate(norms)]
    routes = _routes(AgentText(turns, norms), rules)
    assert [(r.turn.index, r.destination.product, r.mention) for r in routes] == [
        (1, "elektrinet", "1500 071"),
        (2, "iconnet", "150678"),
        (3, "elektrinet", "150071"),
    ]
