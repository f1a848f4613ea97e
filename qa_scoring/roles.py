"""Speaker roles: from the labels, and by the agent's script for generic labels."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from qa_scoring.matching import PerRuleSet, align
from qa_scoring.model import Transcript
from qa_scoring.normalize import normalize
from qa_scoring.rules.ruleset import RuleSet


def script_score(texts: list[str], rules: RuleSet) -> int:
    """How many of a speaker's normalised turns carry a phrase of the agent's script."""
    script = _SCRIPTS(rules)
    return sum(1 for norm in texts if len(norm) >= 12 and script.carries(norm))


class _Script:
    """Whether a normalised turn carries a phrase of a rule set's agent script (what ``process.extractOne``
    with the threshold as cutoff finds). Not remembered by turn: a memo of whole turns would mostly
    serve the benchmark, whose batches repeat their calls, not a real batch.

    A phrase said as it is scores 100 (its own window), found by one regular expression. Otherwise a
    phrase is scored only when its longest common subsequence with the whole turn (far cheaper) leaves
    it a chance: a window of the turn shares at most that many characters with the phrase, so
    ``partial_ratio`` is at most ``200 L / (m + L)`` (``m`` the shorter length, ``L`` that subsequence).
    """

    def __init__(self, rules: RuleSet) -> None:
        self.phrases = rules.roles.agent_script
        self.threshold = rules.roles.threshold
        self.sized = [(phrase, len(phrase)) for phrase in self.phrases]
        said = sorted({phrase for phrase in self.phrases if phrase}, key=len, reverse=True)
        exact = self.threshold <= 100 and said  # an empty phrase scores 0, not 100
        self.exact = re.compile("|".join(map(re.escape, said))).search if exact else None

    def carries(self, norm: str) -> bool:
        """True when some phrase scores the threshold in ``norm`` (``partial_ratio``)."""
        return (self.exact is not None and self.exact(norm) is not None) or self._scored(norm)

    def _scored(self, norm: str) -> bool:
        """``carries`` worked out phrase by phrase, the first that scores the threshold ending the search."""
        threshold = self.threshold
        below = threshold - 1e-6  # a bound under the threshold by more than rounding: the score is too
        size = len(norm)
        for phrase, length in self.sized:
            common = _common(norm, phrase)
            if 200 * common < below * ((length if length < size else size) + common):
                continue
            if fuzz.partial_ratio(norm, phrase, score_cutoff=threshold) >= threshold:
                return True
        return False


_common = LCSseq.similarity
_SCRIPTS = PerRuleSet(_Script)


def joined_script_score(texts: list[str], rules: RuleSet, words: int = 80) -> int:
    """How many distinct phrases of the agent's script a speaker's first and last words hold.

    For recognisers that cut speech into segments of a few words, where no single turn
    holds a whole phrase: the speaker's turns are read as one text.
    """
    tokens = " ".join(normalize(t) for t in texts).split()
    ends = tokens if len(tokens) <= 2 * words else tokens[:words] + tokens[-words:]
    text = " ".join(ends)
    threshold = rules.roles.threshold
    return sum(1 for phrase in rules.roles.agent_script if align(phrase, text, threshold)[0] >= threshold)


def _sample(texts: list[str], head: int = 5, tail: int = 3) -> list[str]:
    """The normalised first and last turns of a speaker: where the opening and closing are."""
    picked = texts if len(texts) <= head + tail else texts[:head] + texts[len(texts) - tail :]
    return [normalize(t) for t in picked]


def assign_roles(transcript: Transcript, rules: RuleSet) -> Transcript:
    """Decide every turn's role; record how in ``role_basis``."""
    turns = transcript.turns
    unknown = list(dict.fromkeys(t.speaker for t in turns if t.role == "unknown"))
    if not unknown:
        basis = transcript.role_basis or "labels"
        return transcript if basis == transcript.role_basis else transcript.copy_with(role_basis=basis)
    known_agent = any(t.role == "agent" for t in turns)
    if known_agent:
        roles = dict.fromkeys(unknown, "customer")
        basis = f"labels; unlabelled speaker(s) {', '.join(unknown)} taken as customer"
    else:
        texts: dict[str, list[str]] = {spk: [] for spk in unknown}  # their turns, in one pass
        for t in turns:
            spoken = texts.get(t.speaker)
            if spoken is not None:
                spoken.append(t.text)
        # The openings usually decide; read the speakers' other first and last turns only when they do not.
        scores = {spk: script_score(_sample(texts[spk], 3, 0), rules) for spk in unknown}
        if sorted(scores.values())[-2:] != [0, max(scores.values())] or max(scores.values()) == 0:
            scores = {spk: script_score(_sample(texts[spk]), rules) for spk in unknown}
        if max(scores.values()) < 2:  # no turn holds a whole phrase: short segments, read each speaker as one text
            scores = {spk: joined_script_score(texts[spk], rules) for spk in unknown}
        best = max(unknown, key=lambda s: (scores[s], -unknown.index(s)))
        if scores[best] > 0:
            agent = best
            detail = ", ".join(f"{s}: {scores[s]}" for s in unknown)
            basis = f"inferred: {agent} carries the agent's script (phrases found {detail})"
        elif any(t.role == "customer" for t in turns):
            agent = unknown[0]
            basis = f"inferred: {agent} is the speaker other than the labelled customer"
        else:
            return transcript.copy_with(role_basis="no speaker carries the agent's script")
        roles = {spk: ("agent" if spk == agent else "customer") for spk in unknown}
    new_turns = tuple(t.with_role(roles[t.speaker]) if t.role == "unknown" else t for t in turns)
    return transcript.copy_with(turns=new_turns, role_basis=basis)
