"""Measure the PII masking on the seeded corpus of tests/pii_corpus.py.

Usage:
    python bench/bench_pii.py                   # seed 11, 2,000 utterances
    python bench/bench_pii.py --seed 3 --count 5000 --show-missed

Prints the identifiers masked (recall) by kind and by spoken form, the protected items
(SOP phrases, 1500071, 150678, PLN 123, tekan 5, kode 3) touched by a mask, the share of
other characters masked (over-masking), and the masking speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_scoring.pii import Masker, default_masker  # noqa: E402
from tests.pii_corpus import generate, measure  # noqa: E402


def main() -> None:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--show-missed", action="store_true")
    args = parser.parse_args()
    corpus = generate(args.seed, args.count)
    figures = measure(default_masker(), corpus)
    print(f"utterances: {figures['utterances']} (seed {args.seed})")
    print(f"identifiers masked: {figures['masked']} of {figures['identifiers']} ({100 * figures['recall']:.2f}%)")
    for kind, (hit, total) in figures["by_kind"].items():
        print(f"  {kind:<12} {hit:>5} of {total:<5} ({100 * hit / total:.1f}%)")
    print("by spoken form:")
    for form, (hit, total) in figures["by_form"].items():
        print(f"  {form:<24} {hit:>4} of {total:<4}")
    print(f"protected items masked: {len(figures['protected_masked'])} of {figures['protected']}")
    print(f"other characters masked: {100 * figures['other_chars_masked']:.2f}%")
    fresh = Masker(default_masker().config, default_masker().protected)  # no cache
    texts = [u.text for u in corpus]
    start = time.perf_counter()
    for text in texts:
        fresh.mask(text)
    elapsed = time.perf_counter() - start
    print(f"speed: {len(texts) / elapsed:,.0f} utterances/s (uncached)")
    if args.show_missed:
        for item, text in figures["missed"]:
            print(f"MISSED {item!r} in {text!r}")
        for item, text in figures["protected_masked"]:
            print(f"PROTECTED MASKED {item!r} in {text!r}")


if __name__ == "__main__":
    main()
