"""Benchmark: time and peak memory of one hostile file each (issue 12), in a fresh process each.

Usage:
    python bench/bench_hostile.py            # every case
    python bench/bench_hostile.py --mb 50    # size of the single-turn files

Cases: one turn of ``--mb`` MB as plain text without spaces, as a WebVTT cue of words and as
a Whisper segment; 2,000,000 tiny turns in one text file; 1,000,000 WebVTT cues; a table of
2,000,000 rows in one call; a 5 KB .xlsx that declares the whole sheet (A1:XFD1048576).
Each is scored as ``qa-scoring score FILE --jsonl OUT --no-db --max-file-mb 64`` would, and
the outcome (scored or the error), the seconds and the peak memory of that process (VmHWM,
Linux) are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "terima",
    "kasih",
    "telah",
    "menghubungi",
    "pln",
    "123",
    "selamat",
    "siang",
    "ada",
    "yang",
    "bisa",
    "dibantu",
    "listrik",
    "mati",
    "baik",
    "bapak",
]

_RUN = """
import json, sys, time
from pathlib import Path
from qa_scoring.limits import Limits, MB
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.rules import load_rules
rules = load_rules()
began = time.monotonic()
batch = open_batch([sys.argv[1]], limits=Limits(max_file_bytes=64 * MB))
results = list(score_batch(batch, rules))
seconds = time.monotonic() - began
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
outcome = ", ".join(r["status"] if r["status"] == "scored" else r["error"].split(": ", 1)[1][:70] for r in results)
print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak, 1), "outcome": outcome}))
"""


def _write_cases(folder: Path, mb: int) -> dict[str, Path]:
    rng = random.Random(12)
    size = mb * 1024 * 1024
    words = " ".join(rng.choice(WORDS) for _ in range(size // 6))
    cases = {
        f"{mb} MB turn, no spaces (.txt)": ("a.txt", "CSO: " + "a" * size + "\nPELANGGAN: ya\n"),
        f"{mb} MB WebVTT cue of words": (
            "b.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v CSO>" + words + "\n\n00:00:05.000 --> 00:00:06.000\n<v P>ya\n",
        ),
        f"{mb} MB Whisper segment": (
            "c.json",
            json.dumps({"segments": [{"start": 0, "speaker": "CSO", "text": words}, {"speaker": "P", "text": "ya"}]}),
        ),
        "2,000,000 tiny turns (.txt)": (
            "d.txt",
            "\n".join("CSO: ya" if i % 2 else "PELANGGAN: ok" for i in range(2_000_000)),
        ),
        "1,000,000 WebVTT cues": (
            "e.vtt",
            "WEBVTT\n\n"
            + "\n".join(
                f"00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> 00:00:00.500\n<v CSO>ya\n" for i in range(1_000_000)
            ),
        ),
        "table, 2,000,000 rows in one call": ("f.csv", "call_id,speaker,text\n" + "X,CSO,ya\n" * 2_000_000),
    }
    paths = {}
    for label, (name, text) in cases.items():
        path = folder / label.replace(" ", "_").replace(",", "").replace("/", "") / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        paths[label] = path
    sys.path.insert(0, str(ROOT))
    from tests.hostile_corpus import xlsx_files

    bomb = folder / "xlsx" / "bomb.xlsx"
    bomb.parent.mkdir()
    bomb.write_bytes(xlsx_files(random.Random(0), 0)[1])
    paths["5 KB .xlsx declaring A1:XFD1048576"] = bomb
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the single-turn files in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in _write_cases(Path(tmp), args.mb).items():
            size = path.stat().st_size / (1024 * 1024)
            proc = subprocess.run([sys.executable, "-c", _RUN, str(path)], cwd=ROOT, capture_output=True, text=True)
            if proc.returncode:
                print(f"{label}: FAILED\n{proc.stderr}")
                continue
            res = json.loads(proc.stdout)
            print(
                f"{label:40} {size:6.1f} MB  {res['seconds']:6.2f} s  peak {res['peak_mb']:7.1f} MB  {res['outcome']}"
            )


if __name__ == "__main__":
    main()
