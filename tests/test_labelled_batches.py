"""The pipeline reproduces the hand labels of the labelled batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agreement import compare

ROOT = Path(__file__).resolve().parent.parent
BLIND = sorted(p.name for p in (ROOT / "tests" / "data").glob("blind_*") if (p / "_expected.csv").exists())


def test_sample_batch_matches_every_label() -> None:
    folder = ROOT / "sample_transcripts"
    if not (folder / "_expected.csv").exists():
        pytest.fail("sample_transcripts/_expected.csv is missing")
    res = compare(folder)
    assert not res.missing and not res.status_wrong, (res.missing, res.status_wrong)
    assert res.checks_total > 200
    assert not res.disagreements, "\n".join(res.disagreements)


def test_holdout_batch_agrees_on_95_percent() -> None:
    """A noisier batch written apart from the sample set; the issue's bar is 95%."""
    res = compare(ROOT / "tests" / "data" / "holdout")
    assert not res.missing and not res.status_wrong, (res.missing, res.status_wrong)
    assert res.checks_total > 150
    assert res.check_rate >= 0.95, "\n".join(res.disagreements)
    assert res.param_rate >= 0.95, "\n".join(res.disagreements)


def test_adversarial_batch_labelled_from_the_spec_alone_agrees_on_95_percent() -> None:
    """Hard calls labelled by someone who read only SPEC.md and the SOPs, not docs/decisions.md."""
    res = compare(ROOT / "tests" / "data" / "adversarial")
    assert not res.missing and not res.status_wrong, (res.missing, res.status_wrong)
    assert res.checks_total > 120
    assert res.check_rate >= 0.95, "\n".join(res.disagreements)
    assert res.param_rate >= 0.95, "\n".join(res.disagreements)


@pytest.mark.parametrize("name", BLIND)
def test_blind_batches_labelled_from_the_spec_alone_agree_on_95_percent(name: str) -> None:
    """Batches labelled by people who read only SPEC.md and the SOPs, never the code.

    Where a batch showed a real gap the scorer was corrected (docs/decisions.md); labels are
    never edited to fit the scorer, so a disagreement on a genuinely ambiguous point stays.
    """
    res = compare(ROOT / "tests" / "data" / name)
    assert not res.missing and not res.status_wrong, (res.missing, res.status_wrong)
    assert res.checks_total > 90
    assert res.check_rate >= 0.95, "\n".join(res.disagreements)
    assert res.param_rate >= 0.95, "\n".join(res.disagreements)


def test_every_blind_batch_is_asserted() -> None:
    """The parametrisation above comes from the folders: an empty or shrunken list must not pass silently."""
    assert len(BLIND) >= 22, BLIND
