"""The fast paths of normalisation and call analysis give what the plain code gives (issue 10).

Each shortcut of ``qa_scoring.normalize`` and ``qa_scoring.analysis`` is checked against the
straightforward version it replaces, on hand-picked edge cases and on generated input: the split
at spaces instead of the token regex, the trigger sets that skip later steps, the memo of words
that are not glued, the phrase pass that skips first tokens without a possible second, the
number conversion's early exit, the per-rule-set memo of an agent turn's tests, the destination
search's key words and digit-run filter, and the app answers read through one alternation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring import analysis
from qa_scoring import normalize as nz
from qa_scoring.analysis import Route, _Said, _same_number
from qa_scoring.matching import AgentText
from qa_scoring.model import CallMeta, Fact, make_turn
from qa_scoring.normalize import lexicon
from qa_scoring.normalize.numbers import NUMBER_WORDS, convert_numbers
from qa_scoring.rules import load_rules

RULES = load_rules()

# --- normalisation -----------------------------------------------------------------------------

WORDS = [
    # script words, fillers, single-token variants
    "selamat", "siang", "terima", "kasih", "ada", "yang", "bisa", "dibantu", "lagi", "bapak", "ibu",
    "eh", "ee", "hmm", "makasih", "slamet", "trims", "thanks", "mksh",
    # pieces of the phrase tables (spelled, split and brand words) and the "new" variants
    "p", "l", "n", "pe", "el", "en", "pln", "mobail", "mobile", "di", "bantu", "down", "load",
    "aikon", "ikon", "icon", "net", "plus", "inter", "niu", "nyu", "aps", "tor", "play", "store",
    # glued words, misspelt words that only look glued
    "selamatpagi", "ibusri", "bapakbudi", "adalagi", "terimakasih", "seratusduapuluhtiga", "terdeat",
    # number words, digit runs, words that start like number words
    "satu", "dua", "tiga", "lima", "nol", "kosong", "puluh", "ratus", "ribu", "belas", "seribu",
    "sepuluh", "satunya", "duanya", "hari", "1500", "071", "2", "123", "0812",
]  # fmt: skip
ODD_WORDS = ["PLN", "Selamat", "TERIMA", "pln123", "a1b2", "jum'at", "jum`at", "icon+", "Aikon+",
             "café", "jum\u2019at", "\ufb01le", "日本", "ß", "İbu", "\u00e9t\u00e9", "x\u0301"]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", ", ", ". ", "-", "\t", "\n", "/", "?", "\u00a0"]


def _plain_apply_phrases(tokens: list[str], table: dict, firsts: frozenset[str], longest: int) -> list[str]:
    """A phrase pass as first written: every token visited, longest match first."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for size in range(min(longest, n - i), 1, -1) if tokens[i] in firsts else ():
            replacement = table.get(tuple(tokens[i : i + size]))
            if replacement is not None:
                out.extend(replacement)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _plain_normalize(text: str) -> str:
    """``normalize`` as its docstring describes it: every step on every text, no shortcut, no cache."""
    text = text.lower().translate(nz._APOSTROPHES) if text.isascii() else nz._fold(text)
    text = nz._ICON_PLUS_RE.sub(r"\1 plus ", text)
    tokens = [piece for tok in re.findall(r"[a-z]+|[0-9]+", text) for piece in nz._split_glued(tok)]
    tokens = [out for tok in tokens for out in nz._TOKEN_MAP.get(tok, (tok,))]
    for table, firsts, longest in nz._PASSES:
        tokens = _plain_apply_phrases(tokens, table, firsts, longest)
    tokens = [
        lexicon.NEW_CANONICAL
        if tok in lexicon.NEW_VARIANTS and i + 1 < len(tokens) and tokens[i + 1] == lexicon.NEW_CONTEXT
        else tok
        for i, tok in enumerate(tokens)
    ]
    return " ".join(convert_numbers(tokens))


def _text(pieces: list[tuple[str, str]]) -> str:
    return "".join(word + sep for word, sep in pieces)


texts = st.lists(st.tuples(st.sampled_from(WORDS + ODD_WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(_text)
plain_texts = st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join)

EDGE_TEXTS = [
    "",
    " ",
    "eh",
    "eh hmm ee",
    "1500 eh 071",
    "pln123 ya",
    "selamat siang eh terima kasih",
    "makasih ya pak",
    "p l n mobail",
    "pe el en mobail",
    "down load aplikasinya di bantu",
    "aikon net inter net",
    "niu pln mobile",
    "niu",
    "satu lima nol nol nol tujuh satu",
    "seratus dua puluh tiga",
    "satu satunya",
    "dua tiga hari",
    "rumah kosong satu bulan",
    "kosong delapan satu dua",
    "50 ribu",
    "1500071 150678",
    "selamatpagi ibusri",
    "terdeat",
    "jum'at",
    "Jum\u2019at",
    "icon+",
    "ICON+ net",
    "Café",
    "日本",
    "pln\t123\nok",
    "a1b2c3",
    "1 2 3",
    "2 a 3",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_normalize_is_the_plain_normalize_on_edge_cases(text: str) -> None:
    assert nz.normalize.__wrapped__(text) == _plain_normalize(text)
    assert nz.normalize(text) == _plain_normalize(text)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_normalize_is_the_plain_normalize(text: str) -> None:
    assert nz.normalize.__wrapped__(text) == _plain_normalize(text)


@settings(max_examples=300, deadline=None)
@given(plain_texts)
def test_normalize_is_the_plain_normalize_on_plain_text(text: str) -> None:
    # plain lower-case words and digit runs: the space split, not the token regex
    assert nz.normalize.__wrapped__(text) == _plain_normalize(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 2-.\t\n'", max_size=20))
def test_tokenize_split_is_the_token_regex(text: str) -> None:
    tokens = re.findall(r"[a-z]+|[0-9]+", text)
    for folded in (False, True):
        assert nz._tokenize(text, folded) == (tokens, any(tok.isdigit() for tok in tokens))


def test_tokenize_takes_the_regex_for_mixed_words() -> None:
    assert nz._tokenize("pln123 ok", False) == (["pln", "123", "ok"], True)
    assert nz._tokenize("pln 123", False) == (["pln", "123"], True)
    assert nz._tokenize("a\tb", False) == (["a", "b"], False)


def test_triggers_hold_every_token_a_later_step_reads() -> None:
    for table, firsts, _ in nz._PASSES:
        assert firsts <= nz._TRIGGERS
        assert {key[1] for key in table} <= nz._TRIGGERS
    assert set(nz._TOKEN_MAP) <= nz._TRIGGERS
    assert lexicon.NEW_VARIANTS <= nz._TRIGGERS
    assert NUMBER_WORDS <= nz._TRIGGERS
    assert set(nz._TOKEN_MAP) == nz._DROPPED | nz._REWRITTEN
    assert all(not nz._TOKEN_MAP[tok] for tok in nz._DROPPED)


def test_triggers_are_needed() -> None:
    # each kind of trigger changes a text (a test that the shortcuts would otherwise fail)
    assert nz.normalize("ya eh ya") == "ya ya"
    assert nz.normalize("ya makasih") == "ya terima kasih"
    assert nz.normalize("p l n") == "pln"
    assert nz.normalize("pln mobail") == "pln mobile"
    assert nz.normalize("niu pln") == "new pln"
    assert nz.normalize("dua tiga") == "23"
    assert nz.normalize("12 34") == "1234"


glued_tokens = st.lists(
    st.sampled_from(sorted(nz._SPLIT_WORDS)[::7] + list(lexicon.GLUED_HONORIFICS) + ["x", "qq", "terdeat", "zz"]),
    min_size=1,
    max_size=4,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(glued_tokens)
def test_cheap_glued_test_is_exact(token: str) -> None:
    # _any_glued's test (length, first three letters, _UNSPLIT) says "no split" only when _split_glued does not split
    splits = len(nz._split_glued(token)) > 1
    assert nz._any_glued([token]) == splits
    if not splits:
        assert token in nz._NOT_GLUED


def test_honorifics_pass_the_cheap_glued_test() -> None:
    assert all(h[:3] in nz._GLUED_HEADS for h in lexicon.GLUED_HONORIFICS)
    assert nz._split_glued("ibusri") == ("ibu", "sri")


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_words_remembered_as_not_glued_do_not_change_the_result(batch: list[str]) -> None:
    first = [nz.normalize.__wrapped__(t) for t in batch]
    assert all(len(nz._split_glued(tok)) == 1 for tok in nz._NOT_GLUED)
    nz._NOT_GLUED.clear()
    assert [nz.normalize.__wrapped__(t) for t in reversed(batch)] == first[::-1]


def test_not_glued_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nz, "_NOT_GLUED_MAX", 3)
    nz._NOT_GLUED.clear()
    text = "satu dua tiga empat lima enam tujuh"
    assert nz.normalize.__wrapped__("alpha beta gamma delta epsilon zeta") == "alpha beta gamma delta epsilon zeta"
    assert len(nz._NOT_GLUED) <= 3
    assert nz.normalize.__wrapped__(text) == _plain_normalize(text)
    nz._NOT_GLUED.clear()


phrase_tokens = st.lists(
    st.sampled_from(
        [
            "p",
            "l",
            "n",
            "pe",
            "el",
            "en",
            "pln",
            "mobail",
            "di",
            "bantu",
            "down",
            "load",
            "aikon",
            "net",
            "inter",
            "icon",
            "plus",
            "aps",
            "tor",
            "x",
        ]
    )
)


@settings(max_examples=400, deadline=None)
@given(phrase_tokens)
def test_phrase_pass_with_follows_is_the_plain_pass(tokens: list[str]) -> None:
    for (table, firsts, longest), follows in zip(nz._PASSES, nz._FOLLOWS, strict=True):
        assert nz._apply_phrases(tokens, table, firsts, longest, follows) == _plain_apply_phrases(
            tokens, table, firsts, longest
        )


def test_follows_hold_every_second_token() -> None:
    for (table, _, _), follows in zip(nz._PASSES, nz._FOLLOWS, strict=True):
        assert all(key[1] in follows[key[0]] for key in table)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["pln", "nomor", "ya", "1500", "071", "2", "0"]), max_size=10))
def test_numbers_without_number_words_only_join_digit_runs(tokens: list[str]) -> None:
    # the early exit (no number word, no two digit runs in a row) and the run reading agree with the plain rule
    joined: list[str] = []
    for tok in tokens:
        if tok.isdigit() and joined and joined[-1].isdigit():
            joined[-1] += tok
        else:
            joined.append(tok)
    assert convert_numbers(tokens) == joined


# --- analysis ----------------------------------------------------------------------------------

AGENT_LINES = [
    "selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu",
    "ada lagi yang bisa dibantu",
    "ada yang bisa kami bantu lagi bapak",
    "baik bapak",
    "terima kasih telah menghubungi pln 123 selamat siang",
    "untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami",
    "silakan hubungi contact center pln iconplus di 1500071",
    "akan kami sambungkan ke",
    "contact center iconnet 150678",
    "pln iconplus",
    "1500 071",
    "150 678",
    "15007",
    "apakah bapak sudah punya aplikasi pln mobile",
    "bapak pakai elektrinet atau iconnet",
    "nomor 1500 72",
]
CUSTOMER_LINES = [
    "iya",
    "sudah",
    "belum mbak",
    "tidak punya aplikasinya",
    "saya sudah pakai pln mobile",
    "aplikasi pln mobile saya tidak bisa login",
    "internet iconnet saya mati",
    "elektrinet",
    "",
    "listrik padam",
]


def _plain_turn_tests(norm: str) -> list[bool]:
    return [analysis._is_offer(norm, RULES), analysis._is_opening(norm, RULES), analysis._closing_like(norm, RULES)]


@pytest.mark.parametrize("line", AGENT_LINES)
def test_turn_test_memo_is_the_plain_tests(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    norm = nz.normalize(line)
    for size in (analysis._TURN_TESTS_MAX, 1):
        monkeypatch.setattr(analysis, "_TURN_TESTS_MAX", size)
        memo: dict[str, list[bool | None]] = {}
        for _ in range(2):  # once worked out, once remembered
            assert [analysis._turn_test(memo, k, norm, RULES) for k in range(3)] == _plain_turn_tests(norm)


def test_turn_test_memo_is_per_rule_set_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert analysis._TURN_TESTS(RULES) is analysis._TURN_TESTS(RULES)
    monkeypatch.setattr(analysis, "_TURN_TESTS_MAX", 2)
    memo: dict[str, list[bool | None]] = {}
    for line in AGENT_LINES:
        analysis._turn_test(memo, analysis._OFFER, nz.normalize(line), RULES)
        assert len(memo) <= 2


def _plain_routes(agent: AgentText, rules: Any) -> tuple[Route, ...]:
    """``_routes`` without the key words, the digit-run filter or the length tests."""
    text = agent.text
    padded = f" {text} "
    found: list[tuple[int, bool, Any, str]] = []
    for dest in rules.transfer.destinations:
        for group, weak in ((dest.names, False), (dest.names_with_verb, True)):
            for name in group:
                needle = f" {name} "
                start = padded.find(needle)
                while start >= 0:
                    found.append((start, weak, dest, name))
                    start = padded.find(needle, start + 1)
    for match in analysis._DIGIT_RUN.finditer(text):
        pieces = match.group().split()
        candidates = {"".join(pieces), *pieces}
        for dest in rules.transfer.destinations:
            for number in dest.numbers:
                if any(_same_number(c, number) for c in candidates):
                    found.append((match.start(), False, dest, match.group()))
    found = sorted(found, key=lambda f: (f[0], f[1]))
    named = {agent.turn_at(pos) for pos, _, _, _ in found}
    routes: list[Route] = []
    seen: set[tuple[int, str]] = set()
    for pos, weak, dest, mention in found:
        k = agent.turn_at(pos)
        if (k, dest.product) in seen:
            continue
        verbs = rules.transfer.verbs
        transfer = agent.norms[k] in verbs or (k > 0 and k - 1 not in named and agent.norms[k - 1] in verbs)
        if weak and not transfer:
            continue
        seen.add((k, dest.product))
        routes.append(Route(agent.turns[k], pos, dest, mention, transfer))
    return tuple(routes)


def _agent(norms: list[str]) -> AgentText:
    """Agent turns with these normalised texts (digit runs with spaces kept, as a split number arrives)."""
    return AgentText([make_turn(i, "CSO", n, None, None, None, "agent") for i, n in enumerate(norms)], norms)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(AGENT_LINES),
            st.lists(
                st.sampled_from(["1500", "071", "07", "150", "678", "67", "15", "0", "15067", "150071", "150677", "1"]),
                max_size=4,
            ).map(" ".join),
        ),
        max_size=6,
    )
)
def test_routes_are_the_plain_routes(lines: list[str]) -> None:
    agent = _agent(lines)
    assert analysis._routes(agent, RULES) == _plain_routes(agent, RULES)


def test_route_words_cover_every_name() -> None:
    words = analysis._ROUTE_WORDS(RULES)
    assert words.keys is not None
    assert all(any(key in name for key in words.keys) for _, _, _, name in words.names)
    assert analysis._key_words(["a b", ""]) is None
    assert analysis._routes(_agent(["1500 071"]), RULES)[0].mention == "1500 071"
    assert analysis._routes(_agent(["15 0"]), RULES) == ()


def _plain_has_app(customer: list[tuple[int, str]], answers: list[tuple[int, int]], norms: tuple[str, ...]) -> Fact:
    """``_has_app`` for a call without manifest: every customer turn read in order, every answer tried."""
    asked_before = {i: asked for asked, i in answers}
    for i, norm in customer:
        if norm and (analysis._mentions_app(norm, RULES) or "aplikasi" in norm):
            owner = analysis._owner_statement(norm, RULES)
            if owner is not None:
                verb = "has" if owner else "does not have"
                return Fact(owner, f"transcript: the customer says they {verb} the app (turn {i})")
        asked = asked_before.get(i)
        if asked is not None:
            found = analysis._answer(asked, i, norms, RULES.context)
            if found is not None:
                return found
    return Fact(None, "unknown")


def _plain_answers(roles: list[str], norms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Each customer turn with words and the agent turn right before it (other turns between are passed over)."""
    out = []
    for i, role in enumerate(roles):
        if role != "customer" or not norms[i]:
            continue
        before = [j for j in range(i) if roles[j] == "agent" or (roles[j] == "customer" and norms[j])]
        if before and roles[before[-1]] == "agent":
            out.append((before[-1], i))
    return out


calls = st.lists(
    st.one_of(
        st.tuples(st.just("agent"), st.sampled_from(AGENT_LINES)),
        st.tuples(st.just("customer"), st.sampled_from(CUSTOMER_LINES)),
        st.tuples(st.just("other"), st.sampled_from(CUSTOMER_LINES)),
    ),
    max_size=10,
)


@settings(max_examples=400, deadline=None)
@given(calls)
def test_has_app_and_answers_are_the_plain_ones(call: list[tuple[str, str]]) -> None:
    turns = tuple(make_turn(i, role, text, None, None, None, role) for i, (role, text) in enumerate(call))
    norms = tuple(nz.normalize(t.text) for t in turns)
    roles = [role for role, _ in call]
    customer = [(i, norms[i]) for i, role in enumerate(roles) if role == "customer"]
    answers = _plain_answers(roles, norms)
    agent = " ".join(norms[i] for i, role in enumerate(roles) if role == "agent")
    said = _Said(f" {' '.join(n for _, n in customer)} ", f" {agent} ")
    no_call = Fact(False, "")
    fast = analysis._has_app(CallMeta(), customer, list(answers), norms, said, no_call, RULES)
    assert fast == _plain_has_app(customer, answers, norms)
    from qa_scoring.model import Transcript

    view = analysis.analyse(Transcript("c", "c.txt", "txt", turns), CallMeta(), RULES)
    assert view.norms == norms
    assert view.facts["has_app"] == fast
    assert [t.index for t in view.agent.turns] == [i for i, role in enumerate(roles) if role == "agent"]


@pytest.mark.parametrize(
    ("call", "value"),
    [
        ([("agent", AGENT_LINES[13]), ("customer", "sudah")], True),
        ([("agent", AGENT_LINES[13]), ("other", "iya"), ("customer", "belum mbak")], False),
        # only the customer turn right after the question answers it
        ([("agent", AGENT_LINES[13]), ("customer", "listrik padam"), ("customer", "sudah")], None),
        ([("agent", AGENT_LINES[13]), ("customer", ""), ("customer", "sudah")], True),
    ],
)
def test_app_answers_edge_cases(call: list[tuple[str, str]], value: bool | None) -> None:
    from qa_scoring.model import Transcript

    turns = tuple(make_turn(i, role, text, None, None, None, role) for i, (role, text) in enumerate(call))
    view = analysis.analyse(Transcript("c", "c.txt", "txt", turns), CallMeta(), RULES)
    assert view.facts["has_app"].value is value


def test_analyse_alike_with_cold_and_warm_memos() -> None:
    from qa_scoring.model import Transcript

    lines = [("agent", AGENT_LINES[0]), ("customer", "internet iconnet saya mati"), ("agent", AGENT_LINES[14]),
             ("customer", "elektrinet"), ("agent", AGENT_LINES[6]), ("agent", AGENT_LINES[1]),
             ("customer", "tidak"), ("agent", AGENT_LINES[4])]  # fmt: skip
    turns = tuple(make_turn(i, r, t, float(i), None, None, r) for i, (r, t) in enumerate(lines))
    transcript = Transcript("c", "c.txt", "txt", turns)
    warm = analysis.analyse(transcript, CallMeta(), RULES)
    analysis._TURN_TESTS._values.clear()
    analysis._ROUTE_WORDS._values.clear()
    nz.normalize.cache_clear()
    nz._NOT_GLUED.clear()
    cold = analysis.analyse(transcript, CallMeta(), RULES)
    assert cold.facts == warm.facts and cold.norms == warm.norms and cold.routes == warm.routes
    assert warm.facts["product"].value == "elektrinet"
    assert warm.facts["internet_complaint"].value is True


def test_view_is_the_dataclass_view() -> None:
    from qa_scoring.model import Transcript

    turns = tuple(make_turn(i, "agent", t, float(i), None, None, "agent") for i, t in enumerate(AGENT_LINES[:5]))
    view = analysis.analyse(Transcript("c", "c.txt", "txt", turns), CallMeta(), RULES)
    plain = analysis.CallView(
        view.transcript,
        view.meta,
        view.norms,
        view.agent,
        view.closing,
        view.routes,
        view.facts,
        RULES.closing.thanks_continuation_words,
    )
    assert view == plain and repr(view) == repr(plain) and type(view) is analysis.CallView
    assert view.__dict__.keys() == plain.__dict__.keys()
    with pytest.raises(AttributeError):
        view.norms = ()  # type: ignore[misc]
    assert view.facts["transferred"] == Fact(False, "no transfer announced")
    assert view.wall_clock is False and view.clock(turns[0]) is None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([*AGENT_LINES, "", "x"]), st.sampled_from([*AGENT_LINES, *CUSTOMER_LINES, "", "x"]))
def test_runs_into_is_the_plain_alignment(before: str, after: str) -> None:
    # the length test before each alignment skips only phrases that cannot leave a side long enough
    before, after = nz.normalize(before), nz.normalize(after)
    joined = f"{before} {after}"
    threshold = RULES.closing.closing_like_threshold
    plain = False
    for phrase in RULES.closing_phrases:
        score, start, end = analysis.align(phrase, joined, threshold)
        side = len(phrase) // 4
        plain = plain or (score >= threshold and len(before) - start >= side and end - len(before) >= side)
    assert analysis._runs_into(before, after, RULES) is plain


def test_digit_marks_find_every_run_the_regex_finds() -> None:
    words = analysis._ROUTE_WORDS(RULES)
    for text in ["15067", "1 2", "pln 123", "1234 ya", "12345", "ya 1500 071", "a1 2b"]:
        marked = text.encode().translate(analysis._DIGIT_MARKS)
        may = words.needs[0] in marked or words.needs[1] in marked
        assert may or words.runs.search(text) is None
    assert b"15067".translate(analysis._DIGIT_MARKS) == b"#####"
    assert b"a1 2".translate(analysis._DIGIT_MARKS) == b"x# #"
