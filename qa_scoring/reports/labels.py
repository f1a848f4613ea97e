"""Report labels in Indonesian (default) and English: sheets, headers, outcomes, checks, parameters.

A plain data module: ``LABELS[lang][key]`` holds every text, ``label(key, lang)`` looks one up.
Keys are grouped by prefix: ``sheet.``, ``col.``, ``sum.``, ``outcome.``, ``kind.``,
``check.<check id>``, ``check_short.<check id>`` (a short name for sequences), ``fail.<check id>``
(a failed check in words), ``param.<parameter id>``, plus ``yes``/``no`` and ``clip_marker``.
"""

from __future__ import annotations

DEFAULT_LANG = "id"

PARAMETERS: tuple[str, ...] = ("akurasi", "salam_penutup", "fcr")

_ID: dict[str, str] = {
    # sheets
    "sheet.summary": "Ringkasan",
    "sheet.calls": "Per Panggilan",
    "sheet.checks": "Detail Pemeriksaan",
    "sheet.agents": "Per Agen",
    "sheet.errors": "Gagal Dibaca",
    "sheet.queue": "Antrian Tinjauan",
    # column headers
    "col.call_id": "ID panggilan",
    "col.agent_id": "ID agen",
    "col.agent_name": "Nama agen",
    "col.agent": "Agen",
    "col.team": "Tim",
    "col.date": "Tanggal",
    "col.time": "Jam",
    "col.score": "Skor",
    "col.failed_checks": "Pemeriksaan gagal",
    "col.rules_version": "Versi aturan",
    "col.source": "Berkas sumber",
    "col.warnings": "Catatan",
    "col.check": "Pemeriksaan",
    "col.check_id": "Kode pemeriksaan",
    "col.outcome": "Hasil",
    "col.reason": "Alasan",
    "col.turn": "Giliran",
    "col.turn_time": "Waktu giliran",
    "col.turn_when": "Giliran, waktu",
    "col.key_check_id": "kunci: kode pemeriksaan",
    "col.key_store_id": "kunci: penyimpanan",
    "col.key_call_id": "kunci: ID panggilan",
    "col.key_rules_version": "kunci: versi aturan",
    "col.key_outcome": "kunci: hasil mesin",
    "col.confidence": "Keyakinan",
    "col.auditor_verdict": "Putusan auditor",
    "col.auditor_note": "Catatan auditor",
    "col.auditor_name": "Nama auditor",
    "col.rank": "Urutan",
    "col.priority": "Prioritas",
    "col.random_sample": "Sampel acak",
    "col.doubtful_checks": "Pemeriksaan yang meragukan (keyakinan)",
    "col.doubts": "Mengapa ragu",
    "col.agent_words": "Ucapan agen",
    "col.phrase": "Kalimat SOP",
    "col.similarity": "Kemiripan",
    "col.evidence_kind": "Jenis bukti",
    "col.more_evidence": "Bukti lain",
    "col.calls": "Jumlah panggilan",
    "col.avg_score": "Rata-rata skor",
    "col.error": "Kesalahan",
    "col.parameter": "Parameter",
    "col.compliant": "Patuh",
    "col.assessed": "Dinilai",
    "col.compliance": "Kepatuhan",
    "col.fails": "Gagal",
    "col.applied": "Berlaku",
    "col.fail_rate": "% gagal",
    "col.passes": "Lulus",
    "col.na": "Tidak berlaku",
    "col.compliance_of": "Kepatuhan {name}",
    # summary sheet
    "sum.title": "Ringkasan QA PLN 123",
    "sum.input": "Berkas hasil",
    "sum.batch": "Transkrip yang dinilai",
    "sum.created": "Dibuat",
    "sum.scored": "Panggilan dinilai",
    "sum.errors": "Panggilan gagal dibaca",
    "sum.avg_score": "Rata-rata skor",
    "sum.rules_versions": "Versi aturan",
    "sum.period": "Periode panggilan",
    "sum.no_calls": "Tidak ada panggilan yang dinilai dalam batch ini.",
    "sum.params_title": "Kepatuhan per parameter (bagian dari panggilan yang dinilai)",
    "sum.checks_title": "Gagal per pemeriksaan (persen dari panggilan di mana pemeriksaan berlaku)",
    "sum.chart_title": "Kepatuhan per parameter",
    "sum.no_chart": "Tanpa grafik: tidak ada panggilan yang dinilai.",
    "sum.truncated": "Lembar '{sheet}' penuh: {n} baris tidak muat (batas Excel {limit} baris).",
    "sum.bad_lines": "Baris JSONL yang tidak dapat dibaca",
    # values
    "yes": "Ya",
    "no": "Tidak",
    "outcome.pass": "lulus",
    "outcome.fail": "gagal",
    "outcome.na": "tidak berlaku",
    "kind.match": "cocok",
    "kind.nearest_miss": "paling mendekati",
    "kind.forbidden_match": "terlarang",
    "kind.info": "info",
    "unknown_agent": "(tidak diketahui)",
    "no_checks": "(tidak ada pemeriksaan)",
    "bad_json": "baris {line}: bukan JSON yang sah ({detail})",
    "bad_status": "baris {line}: status tidak dikenal {status!r}",
    "clip_marker": " … [dipotong {n} karakter]",
    "no_turn_times": "tanpa waktu giliran",
    "more_checks": "dan {n} lainnya",
    "cal.sheet.agreement": "Kesepakatan",
    "cal.sheet.confusion": "Matriks per Pemeriksaan",
    "cal.sheet.agents": "Koreksi per Agen",
    "cal.sheet.auditors": "Koreksi per Auditor",
    "cal.sheet.phrases": "Kalimat SOP Dikoreksi",
    "cal.title": "Kalibrasi mesin vs auditor, {month}, {team}",
    "cal.all_teams": "semua tim",
    "cal.kappa_note": "Kappa Cohen: 1 = sepakat penuh, 0 = sepakat sebanyak kebetulan; kosong bila tak terdefinisi "
    "(kedua pihak selalu memberi putusan yang sama).",
    "cal.none": "Belum ada putusan auditor pada bulan ini.",
    "cal.reviewed": "Ditinjau",
    "cal.agreed": "Sepakat",
    "cal.agreement": "% sepakat",
    "cal.kappa": "Kappa",
    "cal.overrides": "Dikoreksi",
    "cal.override_rate": "% dikoreksi",
    "cal.calls": "Panggilan",
    "cal.examples": "Contoh (panggilan: mesin → auditor, ucapan agen, catatan)",
    "cal.machine_vs_auditor": "Mesin ↓ / auditor →",
    "sum.sample": "Sampel audit acak",
    "sum.sample_value": "{n} panggilan (benih {seed}), ditandai di lembar Antrian Tinjauan",
    "dv.error_title": "Putusan tidak dikenal",
    "dv.error": "Pilih salah satu: {choices}.",
    "dv.prompt": "Pilih putusan Anda; kosongkan bila setuju tanpa meninjau.",
    "doubt.near_threshold": "kemiripan dekat ambang",
    "doubt.inferred": "{fact} disimpulkan dari transkrip",
    "doubt.unknown": "{fact} tidak diketahui",
    "doubt.no_turn_times": "tanpa waktu giliran: dinilai pada waktu mulai panggilan",
    "doubt.noise": "peran pembicara ditebak dari ucapan (tanpa label)",
    "doubt.warnings": "ada peringatan saat membaca",
    "doubt.decision": "{fact}: SOP tidak mengatur, dinilai menurut keputusan proyek",
    "fact.no_transfer": "keluhan internet tanpa transfer",
    "fact.excused": "integritas tidak diucapkan pada panggilan KLB / PLN Mobile",
    "fact.klb": "KLB",
    "fact.pln_mobile_call": "panggilan PLN Mobile",
    "fact.has_app": "kepemilikan aplikasi",
    "fact.product": "produk",
    "fact.internet_complaint": "keluhan internet",
    "fact.transferred": "transfer",
    "fact.closing_window": "awal salam penutup",
    "fact.call_start": "waktu mulai panggilan",
    "fact.customer_name": "nama pelanggan",
    "page_of": "Halaman &P dari &N",
    # parameters
    "param.akurasi": "Akurasi",
    "param.salam_penutup": "Salam Penutup",
    "param.fcr": "FCR",
    # checks
    "check.closing.integrity": "Kampanye integritas",
    "check.closing.app_invitation": "Ajakan aplikasi New PLN Mobile",
    "check.closing.thanks": "Terima kasih telah menghubungi PLN 123",
    "check.closing.time_greeting": "Salam sesuai waktu",
    "check.closing.customer_name": "Menyebut nama pelanggan",
    "check.closing.order": "Urutan salam penutup",
    "check.transfer.ask_product": "Menanyakan Elektrinet/ICONNET",
    "check.transfer.destination": "Tujuan transfer",
    "check.transfer.announcement": "Pemberitahuan transfer",
    # short names, for sequences such as the closing order
    "check_short.closing.integrity": "integritas",
    "check_short.closing.app_invitation": "ajakan aplikasi",
    "check_short.closing.thanks": "terima kasih",
    # a failed check in words, for team leads
    "fail.closing.integrity": "kampanye integritas tidak sesuai SOP",
    "fail.closing.app_invitation": "ajakan New PLN Mobile tidak diucapkan",
    "fail.closing.thanks": "\"terima kasih telah menghubungi PLN 123\" tidak diucapkan",
    "fail.closing.time_greeting": "salam sesuai waktu tidak diucapkan",
    "fail.closing.customer_name": "nama pelanggan tidak disebut",
    "fail.closing.order": "urutan salam penutup tidak sesuai",
    "fail.transfer.ask_product": "Elektrinet/ICONNET tidak ditanyakan sebelum transfer",
    "fail.transfer.destination": "tujuan transfer salah",
    "fail.transfer.announcement": "pemberitahuan transfer tidak lengkap",
}

_EN: dict[str, str] = {
    "sheet.summary": "Summary",
    "sheet.calls": "Calls",
    "sheet.checks": "Check Details",
    "sheet.agents": "Per Agent",
    "sheet.errors": "Unreadable Files",
    "sheet.queue": "Review Queue",
    "col.call_id": "Call ID",
    "col.agent_id": "Agent ID",
    "col.agent_name": "Agent name",
    "col.agent": "Agent",
    "col.team": "Team",
    "col.date": "Date",
    "col.time": "Time",
    "col.score": "Score",
    "col.failed_checks": "Failed checks",
    "col.rules_version": "Rules version",
    "col.source": "Source file",
    "col.warnings": "Warnings",
    "col.check": "Check",
    "col.check_id": "Check code",
    "col.outcome": "Outcome",
    "col.reason": "Reason",
    "col.turn": "Turn",
    "col.turn_time": "Turn time",
    "col.turn_when": "Turn, time",
    "col.key_check_id": "key: check code",
    "col.key_store_id": "key: store",
    "col.key_call_id": "key: call ID",
    "col.key_rules_version": "key: rules version",
    "col.key_outcome": "key: machine outcome",
    "col.confidence": "Confidence",
    "col.auditor_verdict": "Auditor's verdict",
    "col.auditor_note": "Auditor's note",
    "col.auditor_name": "Auditor",
    "col.rank": "Rank",
    "col.priority": "Priority",
    "col.random_sample": "Random sample",
    "col.doubtful_checks": "Doubtful checks (confidence)",
    "col.doubts": "Why in doubt",
    "col.agent_words": "Agent's words",
    "col.phrase": "SOP phrase",
    "col.similarity": "Similarity",
    "col.evidence_kind": "Evidence kind",
    "col.more_evidence": "More evidence",
    "col.calls": "Calls",
    "col.avg_score": "Average score",
    "col.error": "Error",
    "col.parameter": "Parameter",
    "col.compliant": "Compliant",
    "col.assessed": "Assessed",
    "col.compliance": "Compliance",
    "col.fails": "Fails",
    "col.applied": "Applied",
    "col.fail_rate": "% failed",
    "col.passes": "Passes",
    "col.na": "Not applicable",
    "col.compliance_of": "{name} compliance",
    "sum.title": "PLN 123 QA summary",
    "sum.input": "Results file",
    "sum.batch": "Transcripts scored",
    "sum.created": "Created",
    "sum.scored": "Calls scored",
    "sum.errors": "Calls in error",
    "sum.avg_score": "Average score",
    "sum.rules_versions": "Rules version",
    "sum.period": "Call period",
    "sum.no_calls": "No calls were scored in this batch.",
    "sum.params_title": "Compliance per parameter (share of scored calls)",
    "sum.checks_title": "Fails per check (percent of calls where the check applied)",
    "sum.chart_title": "Compliance per parameter",
    "sum.no_chart": "No chart: no calls were scored.",
    "sum.truncated": "Sheet '{sheet}' is full: {n} rows did not fit (Excel's limit is {limit} rows).",
    "sum.bad_lines": "Unreadable JSONL lines",
    "yes": "Yes",
    "no": "No",
    "outcome.pass": "pass",
    "outcome.fail": "fail",
    "outcome.na": "n/a",
    "kind.match": "match",
    "kind.nearest_miss": "nearest miss",
    "kind.forbidden_match": "forbidden",
    "kind.info": "info",
    "unknown_agent": "(unknown)",
    "no_checks": "(no checks)",
    "bad_json": "line {line}: not valid JSON ({detail})",
    "bad_status": "line {line}: unknown status {status!r}",
    "clip_marker": " … [cut {n} characters]",
    "no_turn_times": "no turn times",
    "more_checks": "and {n} more",
    "cal.sheet.agreement": "Agreement",
    "cal.sheet.confusion": "Confusion per Check",
    "cal.sheet.agents": "Overrides per Agent",
    "cal.sheet.auditors": "Overrides per Auditor",
    "cal.sheet.phrases": "SOP Phrases Overturned",
    "cal.title": "Calibration machine vs auditor, {month}, {team}",
    "cal.all_teams": "all teams",
    "cal.kappa_note": "Cohen's kappa: 1 = full agreement, 0 = as much agreement as chance; empty when undefined "
    "(both sides always gave the same verdict).",
    "cal.none": "No auditor verdicts in this month yet.",
    "cal.reviewed": "Reviewed",
    "cal.agreed": "Agreed",
    "cal.agreement": "% agreed",
    "cal.kappa": "Kappa",
    "cal.overrides": "Overridden",
    "cal.override_rate": "% overridden",
    "cal.calls": "Calls",
    "cal.examples": "Examples (call: machine → auditor, agent's words, note)",
    "cal.machine_vs_auditor": "Machine ↓ / auditor →",
    "sum.sample": "Random audit sample",
    "sum.sample_value": "{n} calls (seed {seed}), marked on the Review Queue sheet",
    "dv.error_title": "Unknown verdict",
    "dv.error": "Choose one of: {choices}.",
    "dv.prompt": "Choose your verdict; leave empty if you did not review it.",
    "doubt.near_threshold": "similarity near the threshold",
    "doubt.inferred": "{fact} inferred from the transcript",
    "doubt.unknown": "{fact} unknown",
    "doubt.no_turn_times": "no turn times: judged on the call start",
    "doubt.noise": "speaker roles guessed from the words (no labels)",
    "doubt.warnings": "warnings while reading",
    "doubt.decision": "{fact}: the SOP is silent, judged by a project decision",
    "fact.no_transfer": "internet complaint never transferred",
    "fact.excused": "integrity left out on a KLB / PLN Mobile call",
    "fact.klb": "KLB",
    "fact.pln_mobile_call": "PLN Mobile call",
    "fact.has_app": "app ownership",
    "fact.product": "product",
    "fact.internet_complaint": "internet complaint",
    "fact.transferred": "transfer",
    "fact.closing_window": "start of the closing",
    "fact.call_start": "call start",
    "fact.customer_name": "customer's name",
    "page_of": "Page &P of &N",
    "param.akurasi": "Accuracy (Akurasi)",
    "param.salam_penutup": "Closing (Salam Penutup)",
    "param.fcr": "FCR",
    "check.closing.integrity": "Integrity campaign",
    "check.closing.app_invitation": "New PLN Mobile invitation",
    "check.closing.thanks": "Thanks for calling PLN 123",
    "check.closing.time_greeting": "Time-of-day greeting",
    "check.closing.customer_name": "Customer's name",
    "check.closing.order": "Closing order",
    "check.transfer.ask_product": "Asks Elektrinet/ICONNET",
    "check.transfer.destination": "Transfer destination",
    "check.transfer.announcement": "Transfer announcement",
    "check_short.closing.integrity": "integrity",
    "check_short.closing.app_invitation": "app invitation",
    "check_short.closing.thanks": "thank-you",
    "fail.closing.integrity": "integrity campaign not as the SOP says",
    "fail.closing.app_invitation": "New PLN Mobile invitation not said",
    "fail.closing.thanks": "\"thank you for calling PLN 123\" not said",
    "fail.closing.time_greeting": "time-of-day greeting missing or wrong",
    "fail.closing.customer_name": "customer's name not said",
    "fail.closing.order": "closing out of order",
    "fail.transfer.ask_product": "Elektrinet/ICONNET not asked before the transfer",
    "fail.transfer.destination": "wrong transfer destination",
    "fail.transfer.announcement": "transfer announcement incomplete",
}

LABELS: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}
LANGS: tuple[str, ...] = tuple(sorted(LABELS))


def check_lang(lang: str) -> str:
    """Return ``lang`` if labels exist for it; else raise ValueError listing the valid ones."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str = DEFAULT_LANG, default: str | None = None) -> str:
    """The text for ``key`` in ``lang``; ``default`` (or KeyError) when there is none."""
    texts = LABELS[check_lang(lang)]
    if key in texts:
        return texts[key]
    if default is not None:
        return default
    raise KeyError(f"no label {key!r} for language {lang!r}")


def check_label(check_id: str, lang: str = DEFAULT_LANG) -> str:
    """A check's display name; an unknown check shows its id."""
    return label(f"check.{check_id}", lang, default=check_id)


def check_short_label(check_id: str, lang: str = DEFAULT_LANG) -> str:
    """A check's short name for sequences ("integritas"); else its display name in lower case."""
    short = label(f"check_short.{check_id}", lang, default="")
    if short:
        return short
    name = check_label(check_id, lang)
    return name if name == check_id else name[:1].lower() + name[1:]


def doubt_text(code: str, lang: str = DEFAULT_LANG) -> str:
    """A confidence doubt (``near_threshold``, ``inferred:product``...) in words."""
    kind, _, fact = code.partition(":")
    text = label(f"doubt.{kind}", lang, default=code)
    return text.format(fact=label(f"fact.{fact}", lang, default=fact)) if fact else text


def fail_label(check_id: str, lang: str = DEFAULT_LANG) -> str:
    """A failed check in words ("ajakan New PLN Mobile tidak diucapkan"); the check's name if none."""
    return label(f"fail.{check_id}", lang, default=check_label(check_id, lang))


def param_label(param_id: str, lang: str = DEFAULT_LANG) -> str:
    """A parameter's display name; an unknown parameter shows its id."""
    return label(f"param.{param_id}", lang, default=param_id)


def outcome_label(outcome: str, lang: str = DEFAULT_LANG) -> str:
    """An outcome (``pass``/``fail``/``na``) as shown in reports."""
    return label(f"outcome.{outcome}", lang, default=outcome)


def yes_no(value: bool, lang: str = DEFAULT_LANG) -> str:
    """``Ya``/``Tidak`` (id) or ``Yes``/``No`` (en)."""
    return label("yes" if value else "no", lang)
