"""A seeded, deterministic corpus of hostile input files (issue 8): every format and the manifest.

``generate(folder)`` writes at least ``count`` entries into ``folder`` (files, links, special
files) and returns what it wrote, so that a test can check each entry is accounted for, and
the manifest rows to append to a batch's manifest. Run as a script to write a corpus by hand:

    python -m tests.hostile_corpus OUT_FOLDER [COUNT]
"""

from __future__ import annotations

import codecs
import functools
import io
import json
import os
import random
import socket
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_transcripts"

GOOD_TEXT = (
    "[00:00:01] CSO: terima kasih telah menghubungi pln 123 selamat pagi dengan rina ada yang bisa dibantu\n"
    "[00:00:06] PELANGGAN: listrik saya mati sejak tadi pagi\n"
    "[00:00:12] CSO: baik bapak budi mohon ditunggu\n"
    "[00:00:40] CSO: terima kasih bapak budi selamat pagi\n"
)
WORDS = ["terima", "kasih", "telah", "menghubungi", "pln", "123", "selamat", "pagi", "siang", "bapak", "ibu", "listrik", "mati", "token"]
ODD_TIMES = ("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-5", "1e308", "99999999999999", '"12"', "null", "[]", "{}")
ODD_VALUES = ("12", "null", "[1, 2]", '{"a": 1}', "true", '"\\ud800"', '"\\udfff x"', '"\\u0000"', "1e400", '""')
BAD_DATES = (
    "2023-13-45 10:00", "yesterday", "0000-00-00 00:00", "0001-01-01 00:00", "9999-12-31 23:59",
    "31/02/2024 10:00", "2024-02-30T25:61", "2024-01-01 10:00 WIB WIB", "1e400", "\x07", "2024-01-01",
    "10000-01-01 00:00", "-2024-01-01 10:00", "2024-01-01T10:00+99:00",
)  # fmt: skip


@dataclass
class Corpus:
    """What ``generate`` wrote: entries that must each be named in an output line, and manifest rows."""

    entries: list[Path] = field(default_factory=list)  # files, links and special files (each needs a line)
    uncounted: list[Path] = field(default_factory=list)  # folders and links to folders (no line of their own)
    manifest_rows: list[list[str]] = field(default_factory=list)  # call_id, file, team, call_start


def _rand_text(rng: random.Random, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _whisper(rng: random.Random, start: str = "0.5", text: str | None = None, speaker: str = '"SPEAKER_00"') -> str:
    segs = [
        f'{{"start": {start}, "end": 2.0, "speaker": {speaker}, "text": {json.dumps(text or _rand_text(rng))}}}',
        f'{{"start": 3.0, "end": 4.0, "speaker": "SPEAKER_01", "text": {json.dumps(_rand_text(rng))}}}',
    ]
    return '{"segments": [' + ", ".join(segs) + "]}"


def _aws(rng: random.Random, begin: str = "500", content: str | None = None) -> str:
    items = [
        f'{{"ParticipantRole": "AGENT", "Content": {content or json.dumps(_rand_text(rng))}, "BeginOffsetMillis": {begin}}}',
        f'{{"ParticipantRole": "CUSTOMER", "Content": {json.dumps(_rand_text(rng))}, "BeginOffsetMillis": 4000}}',
    ]
    return '{"Transcript": [' + ", ".join(items) + "]}"


def _xlsx(rows: list[list[object]], edit: Callable[[str], str] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    if edit is None and not extra:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if edit is not None and item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            zout.writestr(item, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def _table_rows(rng: random.Random, cid: str) -> list[list[object]]:
    return [["call_id", "speaker", "text", "start"], [cid, "CSO", _rand_text(rng), 1.0], [cid, "PELANGGAN", _rand_text(rng), 2.0]]


# -- the kinds of hostile file: each returns (file name suffix, content bytes) -------------------------


def truncated(rng: random.Random, i: int) -> tuple[str, bytes]:
    samples = sorted(p for p in SAMPLES.iterdir() if p.is_file() and not p.name.startswith("_"))
    sample = samples[i % len(samples)]
    data = sample.read_bytes().replace(b"C-0", b"H-0").replace(b"E-0", b"H-0")  # never a good call's id
    return sample.suffix, data[: rng.randint(0, max(1, len(data) - 1))]


def garbage_behind_header(rng: random.Random, i: int) -> tuple[str, bytes]:
    headers = [
        (".vtt", b"WEBVTT\n\n"), (".json", b'{"segments": ['), (".json", b'{"Transcript": [{"ParticipantRole": "AGENT", '),
        (".csv", b"call_id,speaker,text\n"), (".xlsx", b"PK\x03\x04"), (".srt", b"1\n00:00:01,000 --> "),
        (".txt", b"CSO: "), (".tsv", b"call_id\tspeaker\ttext\n"), (".json", b"[{"), (".txt", b"---\ncall_id: H\n"),
    ]  # fmt: skip
    suffix, head = headers[i % len(headers)]
    return suffix, head + rng.randbytes(rng.randint(1, 3000))


def wrong_json_types(rng: random.Random, i: int) -> tuple[str, bytes]:
    value = ODD_VALUES[i % len(ODD_VALUES)]
    shapes = [
        '{"segments": [{"start": 0, "speaker": "CSO", "text": %s}, {"speaker": "PELANGGAN", "text": "ya"}]}',
        '{"segments": [{"start": 0, "speaker": %s, "text": "terima kasih"}]}',
        '{"segments": %s}',
        '{"segments": [%s, {"speaker": "CSO", "text": "halo"}]}',
        '{"segments": [{"speaker": "CSO", "text": "halo", "words": %s}]}',
        '{"segments": [{"speaker": "CSO", "words": [{"word": %s, "speaker": %s}]}]}',
        '{"Transcript": %s}',
        '{"Transcript": [{"ParticipantRole": %s, "Content": "halo"}]}',
        '{"Transcript": [{"ParticipantRole": "AGENT", "Content": %s}]}',
        "%s",
        '{"results": {"transcripts": %s}}',
        '[{"text": %s, "start": 1}]',
    ]
    shape = shapes[(i // len(ODD_VALUES)) % len(shapes)]
    return ".json", (shape % ((value,) * shape.count("%s"))).encode("utf-8")


def deep_nesting(rng: random.Random, i: int) -> tuple[str, bytes]:
    depth = rng.choice([65, 100, 999, 1001, 5000, 100_000])
    kind = i % 3
    if kind == 0:
        body = "[" * depth + "]" * depth
    elif kind == 1:
        body = '{"a":' * depth + "1" + "}" * depth
    else:
        body = '{"segments": [{"speaker": "CSO", "text": "halo", "x": ' + "[" * depth + "]" * depth + "}]}"
    return ".json", body.encode()


def odd_times(rng: random.Random, i: int) -> tuple[str, bytes]:
    value = ODD_TIMES[i % len(ODD_TIMES)]
    kind = (i // len(ODD_TIMES)) % 4
    if kind == 0:
        return ".json", _whisper(rng, start=value).encode()
    if kind == 1:
        return ".json", _aws(rng, begin=value).encode()
    if kind == 2:
        text = f"call_id,speaker,text,start\nH-t{i},CSO,{_rand_text(rng)},{value}\nH-t{i},PELANGGAN,ya,-1\n"
        return ".csv", text.encode()
    return ".vtt", f"WEBVTT\n\n99:99:99.999 --> -00:00:01.000\n<v CSO>{_rand_text(rng)}\n\n00:00:01.000 --> 00:00:00.000\n<v PELANGGAN>ya\n".encode()


def surrogates(rng: random.Random, i: int) -> tuple[str, bytes]:
    kind = i % 4
    if kind == 0:
        return ".json", _whisper(rng, text="\\ud800 " + _rand_text(rng)).encode().replace(b"\\\\ud800", b"\\ud800")
    if kind == 1:
        return ".json", _aws(rng, content='"\\udbff\\udc00\\ud800 halo"').encode()
    if kind == 2:
        return ".txt", b"CSO: terima kasih \xed\xa0\x80 halo\nPELANGGAN: ya\n"
    return ".json", _whisper(rng, speaker='"\\udfff"').encode()


def nul_bytes(rng: random.Random, i: int) -> tuple[str, bytes]:
    data = bytearray(GOOD_TEXT.encode())
    for _ in range(rng.randint(1, 20)):
        data.insert(rng.randrange(len(data)), 0)
    return rng.choice([".txt", ".vtt", ".csv", ".json", ".srt"]), bytes(data)


def encodings(rng: random.Random, i: int) -> tuple[str, bytes]:
    text = GOOD_TEXT.replace("rina", "rína")
    kind = i % 9
    if kind == 0:
        return ".txt", text.encode("utf-16-le")
    if kind == 1:
        return ".txt", text.encode("utf-16-be")
    if kind == 2:
        return ".txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if kind == 3:
        return ".txt", text.encode("utf-32")
    if kind == 4:
        return ".txt", text.encode("cp1252")
    if kind == 5:
        return ".txt", text[:60].encode("utf-8") + text[60:].encode("cp1252")
    if kind == 6:
        return ".txt", text.encode("utf-16-le")[:-1]  # odd length
    if kind == 7:
        return ".csv", ("call_id;speaker;text\nH-e;CSO;" + _rand_text(rng)).encode("utf-16")
    return ".txt", text.encode("utf-8") + "ÿþ".encode("latin-1") + text.encode("utf-16-le")


def boms(rng: random.Random, i: int) -> tuple[str, bytes]:
    body = GOOD_TEXT.encode()
    options = [
        codecs.BOM_UTF8 + codecs.BOM_UTF8 + body,
        body[:40] + codecs.BOM_UTF8 + body[40:],
        codecs.BOM_UTF8 + GOOD_TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + body,
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF8 + b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xef\xbb\xbf<v CSO>halo\n",
        codecs.BOM_UTF8 + b'\xef\xbb\xbf{"segments": []}',
    ]
    return rng.choice([".txt", ".vtt", ".json"]), options[i % len(options)]


def csv_quoting(rng: random.Random, i: int) -> tuple[str, bytes]:
    cid = f"H-q{i}"
    options = [
        f'call_id,speaker,text\n{cid},CSO,"never closed\n{cid},PELANGGAN,ya\n',
        f'call_id,speaker,text\n{cid},CSO,te"rima" kasih\n',
        f'call_id,speaker,text\n{cid},"CSO"x,"halo"y\n',
        'call_id,speaker,text\n' + f'{cid},CSO,"' + "x" * 200_000 + '"\n',
        f"call_id;speaker,text\t\n{cid};CSO,halo\tx\n",
        f'"call_id","speaker","text"\n"{cid}","CSO","a""b""""c"\n\n\n,,,,\n',
        "call_id,speaker,text\n" + "\n" * 50,
        f'call_id,speaker,text\n{cid},CSO,"\x00"\n',
        f"call_id,speaker,text\n{cid}\n{cid},CSO\n{cid},CSO,halo,extra,extra\n",
        "call_id,call_id,speaker,speaker,text\n" + f"{cid},x,CSO,y,halo\n",
    ]
    return rng.choice([".csv", ".tsv"]), options[i % len(options)].encode()


def xlsx_files(rng: random.Random, i: int) -> tuple[str, bytes]:
    kind = i % 7
    if kind == 0 and i >= 21:
        kind = 6  # three dimension bombs are enough (each costs the reader about half a second)
    return _xlsx_variant(kind)


@functools.cache
def _xlsx_variant(kind: int) -> tuple[str, bytes]:
    """One .xlsx of each kind, made once (openpyxl is slow to write workbooks)."""
    rng = random.Random(kind)
    cid = f"H-x{kind}"
    if kind == 0:  # dimension bomb
        def bomb(sheet: str) -> str:
            import re

            sheet = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', sheet)
            return sheet.replace(
                "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
            )

        return ".xlsx", _xlsx(_table_rows(rng, cid), bomb)
    if kind == 1:  # zip bomb: a member that expands to 300 MB
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
                chunk = b"\x00" * (1 << 20)
                for _ in range(300):
                    member.write(chunk)
        return ".xlsx", out.getvalue()
    if kind == 2:
        return ".xlsx", _xlsx(_table_rows(rng, cid), lambda sheet: sheet[: len(sheet) // 2])
    if kind == 3:
        return ".xlsx", _xlsx([["call_id", "speaker", "text"]])
    if kind == 4:
        return ".xlsx", _xlsx(_table_rows(rng, cid), extra={"xl/sharedStrings.xml": b"<sst>" + b"<si><t>x</t></si>" * 20000 + b"</sst>"})
    if kind == 5:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        return ".xlsx", out.getvalue()
    return ".xlsx", _xlsx([["call_id", "speaker", "text"], [cid, "CSO", "=HYPERLINK(\"http://x\")"], [cid, "PELANGGAN", "@SUM(1)"]])


def odd_text(rng: random.Random, i: int) -> tuple[str, bytes]:
    options = [
        b"", b"   \n\t\n", b"\n" * 1000, b"CSO:" * 5000, b"---\n" * 3, b"---\ncall_id: \x00\n---\nCSO: halo\n",
        b"WEBVTT", b"1\n00:00:01,000 --> 00:00:02,000\n", b"[99:99:99] CSO: halo\n", b"CSO: halo\r\rPELANGGAN: ya\r",
        ("CSO: " + "\u202e\u200b\ufeff" * 100 + "halo\n").encode(), b"\xff\xfe\xfd" * 100,
        f"---\ncall_start: 9999-12-31 23:59\ncall_id: H-d{i}\n---\n".encode() + GOOD_TEXT.encode(),
        (b"---\ncall_start: 0001-01-01 00:00\n---\n") + GOOD_TEXT.encode(),
    ]
    return rng.choice([".txt", ".srt", ".vtt", ""]), options[i % len(options)]


KINDS: tuple[Callable[[random.Random, int], tuple[str, bytes]], ...] = (
    truncated, garbage_behind_header, wrong_json_types, deep_nesting, odd_times, surrogates, nul_bytes,
    encodings, boms, csv_quoting, xlsx_files, odd_text,
)  # fmt: skip


def _name(rng: random.Random, i: int, kind: str, suffix: str) -> bytes:
    """A file name; some hold a newline, bytes that are not UTF-8, spaces, or are very long."""
    base = f"h{i:05d}-{kind}"
    odd = i % 23
    if odd == 1:
        return f"{base}\nline{suffix}".encode()
    if odd == 2:
        return base.encode() + b"-\xff\xfe" + suffix.encode()
    if odd == 3:
        return (base + " ünïcödé 名前" + suffix).encode()
    if odd == 4:
        return (base + "x" * (200 - len(base)) + suffix).encode()
    if odd == 5:
        return (base + "\t\x1b[31m" + suffix).encode()
    return (base + suffix).encode()


def generate(folder: Path, *, seed: int = 8, count: int = 2000, outside: Path | None = None) -> Corpus:
    """Write ``count`` hostile files (plus links and special files) into ``folder``; deterministic for a seed.

    ``outside`` is a folder outside the batch where link targets (a secret file) are put.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()
    bfolder = os.fsencode(folder)
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        suffix, data = kind(rng, i // len(KINDS))
        name = _name(rng, i, kind.__name__, suffix)
        path = os.path.join(bfolder, name)
        with open(path, "wb") as fh:
            fh.write(data)
        corpus.entries.append(Path(os.fsdecode(path)))
    _special(folder, corpus, outside)
    _manifest_rows(rng, corpus)
    return corpus


def _special(folder: Path, corpus: Corpus, outside: Path | None) -> None:
    """Links out and in loops, broken links, a FIFO, a socket, a folder of links."""
    if outside is not None:
        outside.mkdir(parents=True, exist_ok=True)
        secret = outside / "passwd"
        secret.write_text("root:x:0:0:HOSTILE-SECRET:/root:/bin/bash\n", encoding="utf-8")
        links = {"zz-passwd.txt": secret, "zz-outside-dir": outside, "zz-etc.csv": Path("/etc/passwd")}
        for name, target in links.items():
            os.symlink(target, folder / name)
            corpus.entries.append(folder / name)
    os.symlink("zz-loop-a.txt", folder / "zz-loop-b.txt")
    os.symlink("zz-loop-b.txt", folder / "zz-loop-a.txt")
    os.symlink("zz-self.json", folder / "zz-self.json")
    os.symlink("does-not-exist.vtt", folder / "zz-broken.vtt")
    corpus.entries += [folder / n for n in ("zz-loop-a.txt", "zz-loop-b.txt", "zz-self.json", "zz-broken.vtt")]
    sub = folder / "zz-sub"
    sub.mkdir()
    os.symlink("..", sub / "up")  # a folder loop inside the batch
    os.symlink(sub, sub / "self")
    corpus.uncounted += [sub, sub / "up", sub / "self"]
    (sub / "inner.txt").write_text(GOOD_TEXT.replace("CSO", "AGENT"), encoding="utf-8")
    corpus.entries.append(sub / "inner.txt")
    os.mkfifo(folder / "zz-fifo.txt")
    corpus.entries.append(folder / "zz-fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "zz-socket.vtt"))
        corpus.entries.append(folder / "zz-socket.vtt")
    except OSError:  # a path too long for a socket: skip it
        pass
    finally:
        sock.close()


def _manifest_rows(rng: random.Random, corpus: Corpus) -> None:
    """Manifest rows with bad dates, duplicate call ids, paths out of the batch, odd cells.

    No NUL byte: a manifest holding one is refused as a whole before scoring (exit 2), by design.
    """
    rows = corpus.manifest_rows
    for n, date in enumerate(BAD_DATES):
        rows.append([f"H-m{n}", "", "Tim\x1b'O\"Neil", date])
    for _ in range(3):
        rows.append(["H-dup", "", "Tim 'dup'", "2024-01-01 10:00"])
    for target in ("../../etc/passwd", "/etc/passwd", "../outside/passwd", "zz-fifo.txt", "zz-loop-a.txt", "\x1b[2J", "a" * 5000):
        rows.append([f"H-path{len(rows)}", target, "=cmd|' /C calc'!A0", "2024-01-01 10:00"])
    rows.append(["", "x.txt", "no id", ""])
    rows.append(["H-big", "", "x" * 100_000, "2024-01-01 10:00"])


if __name__ == "__main__":  # pragma: no cover - a helper for hand runs
    out = Path(sys.argv[1])
    made = generate(out / "batch", count=int(sys.argv[2]) if len(sys.argv) > 2 else 2000, outside=out / "outside")
    print(f"{len(made.entries)} entries, {len(made.manifest_rows)} manifest rows in {out}")
