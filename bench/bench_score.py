"""Benchmark: score N synthetic PLN 123 calls to JSON Lines; report calls/s and peak memory.

Usage:
    python bench/bench_score.py                 # 1,000 and 5,000 calls
    python bench/bench_score.py --calls 2000 --calls 20000

Each size runs in a fresh process (so peak RSS is that run's own) that scores the
generated folder with the library pipeline, as `qa-scoring score DIR --jsonl FILE --no-db`
does, and prints calls/s by wall clock and by CPU time of the one scoring process (scoring
only: imports and file generation excluded) and the peak resident memory. Flat memory
across sizes means the batch is streamed.
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

CSO = ["rina", "dewi", "andi", "sari", "budi", "tono", "maya", "fajar"]
CUSTOMERS = ["budi santoso", "sri wahyuni", "agus salim", "siti rahmawati", "joko widodo", "ani lestari"]
ISSUES = [
    ("listrik rumah saya padam dari tadi pagi mbak", "baik laporan sudah kami teruskan ke petugas nomor laporan {n}"),
    ("token yang saya beli belum masuk mbak", "baik kami bantu cek transaksinya mohon ditunggu ya"),
    ("tagihan bulan ini naik banyak kenapa ya", "tagihan bapak sesuai pemakaian {n} kwh bulan ini"),
    ("saya mau tambah daya jadi 2200", "baik bisa diajukan melalui aplikasi atau kantor pelayanan terdekat"),
    ("meteran saya bunyi terus dari semalam", "itu tanda token hampir habis silakan isi ulang token"),
]
FILLERS = ["eh", "ee", "hmm", "baik", "iya", "oke"]


def _turns(rng: random.Random) -> list[tuple[str, str]]:
    cso, customer = rng.choice(CSO), rng.choice(CUSTOMERS)
    first = customer.split()[0]
    complaint, answer = rng.choice(ISSUES)
    turns = [
        ("CSO", f"selamat siang terima kasih telah menghubungi pln 123 dengan {cso} ada yang bisa dibantu"),
        ("PELANGGAN", complaint),
        ("CSO", "baik mohon maaf atas ketidaknyamanannya boleh dibantu id pelanggannya"),
        ("PELANGGAN", " ".join(rng.choice(["satu", "dua", "lima", "tujuh", "nol"]) for _ in range(12))),
        ("CSO", f"baik atas nama bapak {first} ya alamatnya di jalan merdeka nomor {rng.randint(1, 99)}"),
        ("PELANGGAN", "iya betul mbak"),
    ]
    for _ in range(rng.randint(4, 10)):
        turns.append(("CSO", f"{rng.choice(FILLERS)} " + answer.format(n=rng.randint(100, 99999))))
        turns.append(("PELANGGAN", rng.choice(["oh begitu ya mbak", "baik mbak saya tunggu", "terus bagaimana mbak"])))
    turns += [
        ("CSO", "apakah ada lagi yang bisa dibantu pak"),
        ("PELANGGAN", "tidak mbak cukup"),
        ("CSO", "untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami"),
        ("PELANGGAN", "iya"),
        ("CSO", "agar semua makin mudah ayo donlot aplikasi niu pln mobail di plays tor atau aps tor"),
        ("CSO", f"terima kasih telah menghubungi pln 123 selamat siang bapak {first}"),
        ("PELANGGAN", "makasih mbak"),
    ]
    return turns


def _noisy(text: str, rng: random.Random) -> str:
    """Recognition noise: a filler inserted and a letter dropped or doubled, so no two turns repeat."""
    words = text.split()
    if rng.random() < 0.7:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    k = rng.randrange(len(words))
    word = words[k]
    if len(word) > 3:
        i = rng.randrange(1, len(word) - 1)
        words[k] = word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]
    return " ".join(words)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def generate(folder: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` calls (text, WebVTT and Whisper JSON in turn) and a manifest; return bytes written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    manifest = ["call_id,agent_id,team,call_start,customer_name"]
    for i in range(n):
        call_id = f"B-{i:06d}"
        turns = [(spk, _noisy(text, rng)) for spk, text in _turns(rng)]
        t, lines = 0, []
        kind = i % 3
        if kind == 0:
            for spk, text in turns:
                lines.append(f"[{_clock(t)}] {spk}: {text}")
                t += rng.randint(3, 15)
            body, ext = "\n".join(lines) + "\n", ".txt"
        elif kind == 1:
            lines = ["WEBVTT", ""]
            for spk, text in turns:
                lines += [f"{_clock(t)}.000 --> {_clock(t + 2)}.500", f"<v {spk}>{text}", ""]
                t += rng.randint(3, 15)
            body, ext = "\n".join(lines), ".vtt"
        else:
            segments = []
            for spk, text in turns:
                label = "SPEAKER_00" if spk == "CSO" else "SPEAKER_01"
                segments.append({"start": float(t), "end": t + 2.5, "text": text, "speaker": label})
                t += rng.randint(3, 15)
            body, ext = json.dumps({"segments": segments, "language": "id"}), ".json"
        (folder / f"{call_id}{ext}").write_text(body, encoding="utf-8")
        total += len(body.encode())
        hour = rng.randint(7, 21)
        manifest.append(
            f"{call_id},CSO-{rng.randint(1, 40):03d},Jakarta-{rng.randint(1, 3)},"
            f"2024-03-{rng.randint(1, 28):02d}T{hour:02d}:{rng.randint(0, 59):02d}:00,{rng.choice(CUSTOMERS).title()}"
        )
    (folder / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return total


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.reports.jsonl import JsonlWriter
from qa_scoring.rules import load_rules
rules = load_rules()
start, cpu = time.perf_counter(), time.process_time()
batch = open_batch([sys.argv[1]])
n = 0
with JsonlWriter(Path(sys.argv[2])) as out:
    for result in score_batch(batch, rules):
        out.write(result)
        n += 1
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"calls": n, "seconds": elapsed, "cpu_seconds": cpu, "peak_rss_mb": peak}))
"""


def run(n: int) -> dict[str, float]:
    """Generate and score ``n`` calls in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        folder = Path(tmp) / "batch"
        size = generate(folder, n)
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), str(Path(tmp) / "out.jsonl")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        stats["avg_kb"] = size / n / 1024
        return stats


def main() -> None:
    """Run the benchmark for each size and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, action="append", help="calls per run (repeatable)")
    args = parser.parse_args()
    header = ("calls", "avg KB", "seconds", "calls/s", "CPU s", "calls/CPU s", "peak RSS MB")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (8, 7, 8, 8, 7, 11, 12), strict=True)))
    for n in args.calls or [1000, 5000]:
        s = run(n)
        rate, cpu_rate = n / s["seconds"], n / s["cpu_seconds"]
        print(
            f"{s['calls']:>8} {s['avg_kb']:>7.1f} {s['seconds']:>8.2f} {rate:>8.0f} "
            f"{s['cpu_seconds']:>7.2f} {cpu_rate:>11.0f} {s['peak_rss_mb']:>12.1f}"
        )


if __name__ == "__main__":
    main()
