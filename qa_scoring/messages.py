"""Reasons as data: a catalog of verdict messages in English and Bahasa Indonesia.

A check builds a ``Reason`` (a catalog key and its arguments) with ``msg``; ``text(lang)``
renders it. An argument may itself be a ``Reason``, a ``Join`` of items, or a ``FactBasis``,
so that no English leaks into the Indonesian text. English texts are those of the JSON
Lines ``reason``; Indonesian ones go to ``reason_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import Any

LANGS = ("en", "id")

MESSAGES: dict[str, dict[str, str]] = {
    # shared pieces
    "join.and": {"en": " and ", "id": " dan "},
    "join.or": {"en": " or ", "id": " atau "},
    "source.manifest": {"en": "manifest", "id": "menurut manifest"},
    "source.transcript": {"en": "transcript", "id": "menurut transkrip"},
    "source.calendar": {"en": "calendar", "id": "menurut kalender"},
    "closing.no_thanks": {
        "en": "no thank-you in the closing",
        "id": "tidak ada ucapan terima kasih di salam penutup",
    },
    # scoring: checks not evaluated
    "scope.not_in_force": {
        "en": "{sop} not in force on {day}",
        "id": "{sop} tidak berlaku pada tanggal {day}",
    },
    "scope.transferred": {
        "en": "call transferred{basis}: no closing expected",
        "id": "panggilan dialihkan{basis}: salam penutup tidak berlaku",
    },
    "scope.not_internet": {
        "en": "not an internet ICON / ICONNET / Elektrinet complaint{basis}",
        "id": "bukan keluhan internet ICON / ICONNET / Elektrinet{basis}",
    },
    # closing_phrase
    "closing_phrase.klb_call": {"en": "a KLB call", "id": "panggilan KLB"},
    "closing_phrase.pln_mobile_call": {"en": "a PLN Mobile call", "id": "panggilan PLN Mobile"},
    "closing_phrase.forbidden_said": {
        "en": "said on {why}, where it must not be said",
        "id": "diucapkan pada {why}, padahal tidak boleh diucapkan",
    },
    "closing_phrase.forbidden_not_said": {
        "en": "not said, as required on {why}",
        "id": "tidak diucapkan, sesuai ketentuan untuk {why}",
    },
    "closing_phrase.said": {"en": "said in the closing", "id": "diucapkan di salam penutup"},
    "closing_phrase.not_said": {"en": "not said in the closing", "id": "tidak diucapkan di salam penutup"},
    "closing_phrase.not_said_early": {
        "en": "not said in the closing (said at turn {turn}, before the closing, which does not count)",
        "id": "tidak diucapkan di salam penutup (diucapkan di giliran {turn}, sebelum salam penutup, tidak dihitung)",
    },
    # app_invitation
    "app_invitation.why_pln_mobile": {
        "en": "a PLN Mobile call needs the update invitation",
        "id": "panggilan PLN Mobile memerlukan ajakan update",
    },
    "app_invitation.why_has_app": {
        "en": "the customer has the app: download or update",
        "id": "pelanggan sudah memiliki aplikasi: ajakan download atau update",
    },
    "app_invitation.why_no_app": {
        "en": "the customer is not known to have the app: download invitation",
        "id": "pelanggan tidak diketahui memiliki aplikasi: ajakan download",
    },
    "app_invitation.said": {
        "en": "{variant} invitation said in the closing ({why})",
        "id": "ajakan {variant} diucapkan di salam penutup ({why})",
    },
    "app_invitation.wrong": {
        "en": "wrong invitation: {variant} said, but {why}",
        "id": "ajakan keliru: yang diucapkan ajakan {variant}, padahal {why}",
    },
    "app_invitation.none": {
        "en": "no invitation in the closing ({why})",
        "id": "tidak ada ajakan di salam penutup ({why})",
    },
    "app_invitation.none_early": {
        "en": "no invitation in the closing ({why}); mentioned at turn {turn}, before the closing, "
        "which does not count",
        "id": "tidak ada ajakan di salam penutup ({why}); disebut di giliran {turn}, sebelum salam penutup, "
        "tidak dihitung",
    },
    # time_greeting
    "time_greeting.no_call_start": {
        "en": "call start unknown: the local time cannot be told",
        "id": "waktu mulai panggilan tidak diketahui: jam setempat tidak dapat ditentukan",
    },
    "time_greeting.none": {
        "en": "the thank-you has no 'selamat pagi/siang/sore/malam'",
        "id": "ucapan terima kasih tanpa 'selamat pagi/siang/sore/malam'",
    },
    "time_greeting.no_turn_times": {
        "en": " (no turn times: the call start is used)",
        "id": " (tanpa waktu giliran: dipakai waktu mulai panggilan)",
    },
    "time_greeting.fits": {
        "en": "'selamat {name}' fits {time}{timing}",
        "id": "'selamat {name}' sesuai untuk pukul {time}{timing}",
    },
    "time_greeting.wrong": {
        "en": "'selamat {name}' said at {time}; expected {allowed}{timing}",
        "id": "'selamat {name}' diucapkan pukul {time}; seharusnya {allowed}{timing}",
    },
    # customer_name
    "customer_name.unknown": {"en": "customer name unknown", "id": "nama pelanggan tidak diketahui"},
    "customer_name.said": {
        "en": "customer addressed by name ('{word}' for {part})",
        "id": "pelanggan disapa dengan namanya ('{word}' untuk {part})",
    },
    "customer_name.no_honorific": {
        "en": "name '{word}' said without Bapak/Ibu",
        "id": "nama '{word}' diucapkan tanpa Bapak/Ibu",
    },
    "customer_name.missing": {
        "en": "customer's name ({name}) not said with the thank-you",
        "id": "nama pelanggan ({name}) tidak disebut bersama ucapan terima kasih",
    },
    # order
    "order.too_few": {
        "en": "fewer than two closing elements said",
        "id": "kurang dari dua unsur salam penutup yang diucapkan",
    },
    "order.wrong": {"en": "{first} said before {second}", "id": "{first} diucapkan sebelum {second}"},
    "order.ok": {"en": "in order: {sequence}", "id": "sesuai urutan: {sequence}"},
    # ask_before_routing
    "ask_before_routing.asked": {
        "en": "product asked before any routing",
        "id": "produk ditanyakan sebelum pelanggan diarahkan",
    },
    "ask_before_routing.asked_choice": {
        "en": "product asked before any routing (both products named as a choice)",
        "id": "produk ditanyakan sebelum pelanggan diarahkan (kedua produk disebut sebagai pilihan)",
    },
    "ask_before_routing.late": {
        "en": "asked only after routing to {destination} at turn {turn}",
        "id": "baru ditanyakan setelah pelanggan diarahkan ke {destination} di giliran {turn}",
    },
    "ask_before_routing.never": {
        "en": "the agent never asks whether the customer uses Elektrinet or ICONNET",
        "id": "agen tidak menanyakan apakah pelanggan memakai Elektrinet atau ICONNET",
    },
    # routing_destination
    "routing_destination.product_unknown": {
        "en": "product unknown (neither the manifest nor the customer names it)",
        "id": "produk tidak diketahui (tidak disebut di manifest maupun oleh pelanggan)",
    },
    "routing_destination.not_configured": {
        "en": "no destination configured for product {product}",
        "id": "tidak ada tujuan transfer yang diatur untuk produk {product}",
    },
    "routing_destination.route": {
        "en": "{destination} (turn {turn}, '{mention}')",
        "id": "{destination} (giliran {turn}, '{mention}')",
    },
    "routing_destination.key": {"en": "Direct Transfer key {code}", "id": "Direct Transfer kode {code}"},
    "routing_destination.agent_words": {"en": "the agent's words", "id": "ucapan agen"},
    "routing_destination.wrong": {
        "en": "{product} belongs to {expected}, but routed to {wrong}",
        "id": "{product} seharusnya ke {expected}, tetapi diarahkan ke {wrong}",
    },
    "routing_destination.never": {
        "en": "{product} customer never routed to {expected}",
        "id": "pelanggan {product} tidak pernah diarahkan ke {expected}",
    },
    "routing_destination.ok": {"en": "routed to {expected} ({via})", "id": "diarahkan ke {expected} ({via})"},
    # announcement
    "announcement.key_only": {
        "en": "transfer by key {code} with no announcement",
        "id": "transfer dengan Direct Transfer kode {code} tanpa pemberitahuan",
    },
    "announcement.no_routing": {
        "en": "the product is unknown and the agent never routes the customer: nothing to announce",
        "id": "produk tidak diketahui dan agen tidak pernah mengarahkan pelanggan: tidak ada yang perlu diberitahukan",
    },
    "announcement.never_transferred": {
        "en": "the {product} customer is never transferred: the announcement is never made",
        "id": "pelanggan {product} tidak pernah ditransfer: pemberitahuan transfer tidak pernah disampaikan",
    },
    "announcement.pointed_not_transferred": {
        "en": "the {product} customer is only told the number, never transferred: no announcement",
        "id": "pelanggan {product} hanya diberi nomor, tidak ditransfer: tidak ada pemberitahuan transfer",
    },
    "announcement.pointed_only": {
        "en": "nothing to announce: the product is unknown and the agent only points to a contact center",
        "id": "tidak ada yang perlu diberitahukan: produk tidak diketahui dan agen hanya menyebut contact center",
    },
    "routing_destination.pointed_right": {
        "en": "customer pointed to {expected} (no transfer; see the announcement)",
        "id": "pelanggan diarahkan ke {expected} (tanpa transfer; lihat pemberitahuan transfer)",
    },
    "routing_destination.pointed_wrong": {
        "en": "{product} belongs to {expected}, but the customer was pointed to {pointed}",
        "id": "{product} seharusnya ke {expected}, tetapi pelanggan diarahkan ke {pointed}",
    },
    "announcement.part": {"en": "'{phrase}'", "id": "'{phrase}'"},
    "announcement.lacks": {
        "en": "announcement lacks {missing}",
        "id": "pemberitahuan transfer tidak memuat {missing}",
    },
    "announcement.full": {
        "en": "full announcement before transferring to {destination}",
        "id": "pemberitahuan lengkap sebelum transfer ke {destination}",
    },
    # input: warnings and errors about files, manifests and metadata (see ``Notice``)
    "input.no_value_time": {
        "en": "{value} has no time of day (expected ISO 8601, 'YYYY-MM-DD HH:MM[:SS]' or 'DD/MM/YYYY HH:MM[:SS]')",
        "id": "{value} tidak memuat jam (format yang diharapkan: "
        "ISO 8601, 'YYYY-MM-DD HH:MM[:SS]' atau 'DD/MM/YYYY HH:MM[:SS]')",
    },
    "input.bad_datetime": {
        "en": "cannot read {value} as a date-time (expected "
        "ISO 8601, 'YYYY-MM-DD HH:MM[:SS]' or 'DD/MM/YYYY HH:MM[:SS]')",
        "id": "{value} tidak dapat dibaca sebagai tanggal dan jam (format yang diharapkan: "
        "ISO 8601, 'YYYY-MM-DD HH:MM[:SS]' atau 'DD/MM/YYYY HH:MM[:SS]')",
    },
    "input.unlikely_date": {
        "en": "{value} is an unlikely call date (year {year}); scored as given, check it",
        "id": "{value} adalah tanggal panggilan yang tidak wajar (tahun {year}); dinilai apa adanya, periksa lagi",
    },
    "input.file_outside": {
        "en": "file {file} lies outside the batch folder (the manifest's folder); a manifest may only name "
        "files inside it: the row is not used",
        "id": "berkas {file} berada di luar folder batch (folder manifest); manifest hanya boleh menyebut berkas "
        "di dalamnya: baris ini tidak dipakai",
    },
    "input.two_zones": {"en": "{value} gives two time zones", "id": "{value} memuat dua zona waktu"},
    "input.bad_bool": {
        "en": "cannot read {value} as yes/no (expected ya/tidak, true/false, 1/0 or unknown)",
        "id": "{value} tidak dapat dibaca sebagai ya/tidak (yang diharapkan: ya/tidak, true/false, 1/0 atau unknown)",
    },
    "input.bad_product": {
        "en": "cannot read {value} as a product (expected elektrinet or iconnet)",
        "id": "{value} tidak dapat dibaca sebagai produk (yang diharapkan: elektrinet atau iconnet)",
    },
    "input.bad_transfer_code": {
        "en": "cannot read {value} as a transfer code (expected 5 or 3)",
        "id": "{value} tidak dapat dibaca sebagai kode transfer (yang diharapkan: 5 atau 3)",
    },
    "input.row_without_call_id_skipped": {
        "en": "row without call_id skipped",
        "id": "baris tanpa call_id dilewati",
    },
    "input.duplicate_call_id": {
        "en": "duplicate call_id {call_id} (first on line {first})",
        "id": "call_id {call_id} ganda (pertama di baris {first})",
    },
    "input.no_manifest_row": {
        "en": "no manifest row for call {call_id} in {manifest}",
        "id": "tidak ada baris manifest untuk panggilan {call_id} di {manifest}",
    },
    "input.no_call_start": {
        "en": "no call start: this call will not appear in any month",
        "id": "waktu mulai panggilan tidak ada: panggilan ini tidak akan muncul di bulan mana pun",
    },
    "input.no_transcript": {
        "en": "manifest row for call {call_id}{wanted} has no transcript",
        "id": "baris manifest untuk panggilan {call_id}{wanted} tidak memiliki transkrip",
    },
    "input.wanted_file": {"en": " (file {file})", "id": " (berkas {file})"},
    "input.no_speaker_labels": {
        "en": "no speaker labels (a transcript without diarization): the agent's words cannot be told "
        "from the customer's",
        "id": "tidak ada label pembicara (transkrip tanpa diarisasi): ucapan agen tidak dapat dibedakan "
        "dari ucapan pelanggan",
    },
    "input.no_agent_turns": {
        "en": "no agent turns (speakers: {speakers}; {basis})",
        "id": "tidak ada giliran agen (pembicara: {speakers}; {basis})",
    },
    "input.no_turns": {"en": "no turns found ({format})", "id": "tidak ada giliran bicara ({format})"},
    "input.empty_file": {"en": "empty file", "id": "berkas kosong"},
    "input.binary_file": {"en": "binary file, not a transcript", "id": "berkas biner, bukan transkrip"},
    "input.truncated_utf16": {
        "en": "truncated UTF-16 file (an odd number of bytes): the export was cut off mid-character",
        "id": "berkas UTF-16 terpotong (jumlah byte ganjil): ekspor terputus di tengah karakter",
    },
    "input.text_before_label": {
        "en": "text before the first speaker label skipped: {text}",
        "id": "teks sebelum label pembicara pertama dilewati: {text}",
    },
    "input.front_matter_unclosed": {
        "en": "'---' opens front matter that is never closed; read as text",
        "id": "'---' membuka front matter yang tidak pernah ditutup; dibaca sebagai teks",
    },
    "input.front_matter_line": {
        "en": "front-matter line is not 'key: value': {text}",
        "id": "baris front matter bukan 'kunci: nilai': {text}",
    },
    "input.front_matter_key": {
        "en": "unknown front-matter key {key} ignored",
        "id": "kunci front matter {key} tidak dikenal, diabaikan",
    },
    "input.no_webvtt_header": {"en": "no 'WEBVTT' header", "id": "tidak ada header 'WEBVTT'"},
    "input.bad_cue_timing": {
        "en": "cannot read the cue timing {text}",
        "id": "waktu cue {text} tidak dapat dibaca",
    },
    "input.stray_text": {
        "en": "text outside a cue ignored: {text}",
        "id": "teks di luar cue diabaikan: {text}",
    },
    "input.row_without_text": {"en": "row without text skipped", "id": "baris tanpa teks dilewati"},
    "input.cell_differs": {
        "en": "{key} {value} differs from {first} on line {first_line}; the first value is used",
        "id": "{key} {value} berbeda dari {first} di baris {first_line}; nilai pertama yang dipakai",
    },
    "input.bad_seconds": {
        "en": "cannot read {name} {value} as seconds or HH:MM:SS",
        "id": "{name} {value} tidak dapat dibaca sebagai detik atau HH:MM:SS",
    },
    "input.row_without_speaker": {
        "en": "row without speaker; read as {speaker}",
        "id": "baris tanpa pembicara; dibaca sebagai {speaker}",
    },
    "input.row_without_call_id": {"en": "row without call_id", "id": "baris tanpa call_id"},
    # the ``score`` command's summary
    "cli.counts": {
        "en": "calls scored: {scored}, could not be scored: {errors}",
        "id": "panggilan dinilai: {scored}, tidak dapat dinilai: {errors}",
    },
    "cli.compliance": {"en": "compliance: {parts}", "id": "kepatuhan: {parts}"},
    "cli.average": {"en": "average score: {score}", "id": "skor rata-rata: {score}"},
    "cli.undated_one": {
        "en": "1 call has no call start: it will not appear in any month; see the '{column}' column",
        "id": "1 panggilan tidak memiliki waktu mulai: panggilan itu tidak akan muncul di bulan mana pun; "
        "lihat kolom '{column}'",
    },
    "cli.undated": {
        "en": "{n} calls have no call start: they will not appear in any month; see the '{column}' column",
        "id": "{n} panggilan tidak memiliki waktu mulai: panggilan itu tidak akan muncul di bulan mana pun; "
        "lihat kolom '{column}'",
    },
    "cli.manifest": {
        "en": "manifest: {path} ({rows} rows, {used} matched)",
        "id": "manifest: {path} ({rows} baris, {used} cocok)",
    },
    "cli.no_manifest": {
        "en": "no manifest: no manifest.csv or manifest.xlsx in {folders}; those calls have no manifest metadata",
        "id": "tanpa manifest: tidak ada manifest.csv atau manifest.xlsx di {folders}; panggilan di sana tanpa "
        "metadata manifest",
    },
    "cli.warning": {"en": "warning: {text}", "id": "peringatan: {text}"},
    "cli.more_like_it": {
        "en": "{text} (and {more} more like it)",
        "id": "{text} (dan {more} lagi yang serupa)",
    },
    "cli.written": {"en": "{what}: {path}", "id": "{what}: {path}"},
    "cli.progress": {"en": "scoring", "id": "menilai"},
    "cli.store": {"en": "results store", "id": "penyimpanan hasil"},
    # review import (the auditor's verdicts read back from a batch workbook)
    "review.bad_suffix": {
        "en": "{path}: a {suffix} file cannot carry the auditor columns back; open it and save it as an Excel "
        "workbook (.xlsx), then import that",
        "id": "{path}: berkas {suffix} tidak dapat membawa kolom auditor; buka dan simpan sebagai buku kerja Excel "
        "(.xlsx), lalu impor berkas itu",
    },
    "review.no_file": {"en": "{path}: no such file", "id": "{path}: berkas tidak ada"},
    "review.not_xlsx": {
        "en": "{path}: not an Excel .xlsx workbook (perhaps a renamed CSV, .xls or .ods)",
        "id": "{path}: bukan buku kerja Excel .xlsx (mungkin CSV, .xls atau .ods yang diganti namanya)",
    },
    "review.unreadable": {
        "en": "{path}: cannot read the workbook ({detail})",
        "id": "{path}: buku kerja tidak dapat dibaca ({detail})",
    },
    "review.no_sheet": {
        "en": "{path}: no check detail sheet with the auditor columns and machine keys; import the batch "
        "workbook written by 'qa-scoring score'",
        "id": "{path}: tidak ada lembar detail pemeriksaan dengan kolom auditor dan kunci mesin; impor buku kerja "
        "batch yang ditulis oleh 'qa-scoring score'",
    },
    "review.row": {"en": "{file}: sheet '{sheet}' row {row}", "id": "{file}: lembar '{sheet}' baris {row}"},
    "review.rows": {
        "en": "{file}: sheet '{sheet}' rows {first} to {last} ({n} rows)",
        "id": "{file}: lembar '{sheet}' baris {first} sampai {last} ({n} baris)",
    },
    "review.bad_verdict": {
        "en": "{where}: verdict '{verdict}' is not one of {choices}",
        "id": "{where}: putusan '{verdict}' bukan salah satu dari {choices}",
    },
    "review.no_store": {
        "en": "{where}: the workbook was written without a results store (--no-db); nothing to update",
        "id": "{where}: buku kerja ditulis tanpa penyimpanan hasil (--no-db); tidak ada yang diperbarui",
    },
    "review.other_store": {
        "en": "{where}: the workbook belongs to another results store ({other}; this one is {this})",
        "id": "{where}: buku kerja milik penyimpanan hasil lain ({other}; yang ini {this})",
    },
    "review.no_keys": {
        "en": "{where}: the machine keys are missing (a row added by hand?)",
        "id": "{where}: kunci mesin tidak ada (baris ditambahkan manual?)",
    },
    "review.edited_id": {
        "en": "{where}: call id edited ('{shown}', the row belongs to call '{call_id}')",
        "id": "{where}: ID panggilan diubah ('{shown}', baris ini milik panggilan '{call_id}')",
    },
    "review.no_auditor": {
        "en": "{where}: a verdict without the auditor's name (fill the column or pass --auditor)",
        "id": "{where}: putusan tanpa nama auditor (isi kolomnya atau berikan --auditor)",
    },
    "review.vanished": {
        "en": "{where}: call {call_id} is no longer in the results store {store}",
        "id": "{where}: panggilan {call_id} sudah tidak ada di penyimpanan hasil {store}",
    },
    "review.no_check": {
        "en": "{where}: call {call_id} has no check {check_id} in the results store",
        "id": "{where}: panggilan {call_id} tidak punya pemeriksaan {check_id} di penyimpanan hasil",
    },
    "review.nothing_imported": {
        "en": "{path}: nothing imported, {n} problem(s):",
        "id": "{path}: tidak ada yang diimpor, {n} masalah:",
    },
    "review.more": {"en": "... and {n} more", "id": "... dan {n} lainnya"},
    "review.done": {
        "en": "auditor verdicts read: {rows}; new: {added} ({overrides} overriding the machine); "
        "already imported: {unchanged}",
        "id": "putusan auditor dibaca: {rows}; baru: {added} ({overrides} mengoreksi mesin); "
        "sudah diimpor sebelumnya: {unchanged}",
    },
    "calibration.none": {
        "en": "no auditor verdicts in {month}{team}; import a reviewed batch workbook first "
        "(qa-scoring review import FILE.xlsx)",
        "id": "belum ada putusan auditor pada {month}{team}; impor dulu buku kerja batch yang sudah ditinjau "
        "(qa-scoring review import FILE.xlsx)",
    },
    "calibration.team": {"en": " for team {team}", "id": " untuk tim {team}"},
    "calibration.summary": {
        "en": "{checks} reviewed checks on {calls} calls in {month}: agreement {agreement}%, kappa {kappa}",
        "id": "{checks} pemeriksaan ditinjau pada {calls} panggilan di {month}: sepakat {agreement}%, kappa {kappa}",
    },
    "export.done": {"en": "calls exported: {n}", "id": "panggilan diekspor: {n}"},
    "cli.review_sample": {
        "en": "random audit sample: {n} calls (seed {seed}): {calls}",
        "id": "sampel audit acak: {n} panggilan (benih {seed}): {calls}",
    },
    "cli.changed_reviews": {
        "en": "auditor verdicts kept whose machine verdict changed: {n} ({listed}); see final_checks.machine_changed",
        "id": "putusan auditor yang disimpan dengan putusan mesin yang berubah: {n} ({listed}); "
        "lihat final_checks.machine_changed",
    },
    "input.cannot_open": {"en": "cannot open the file ({error})", "id": "berkas tidak dapat dibuka ({error})"},
    "input.zip_not_xlsx": {
        "en": "binary file, not a transcript (a zip archive that is not an .xlsx)",
        "id": "berkas biner, bukan transkrip (arsip zip yang bukan .xlsx)",
    },
    "input.legacy_office": {
        "en": "unknown format (legacy .xls/.doc file; save it as .xlsx or text)",
        "id": "format tidak dikenal (berkas .xls/.doc lama; simpan sebagai .xlsx atau teks)",
    },
    "input.xlsx_no_zip": {
        "en": "not a readable .xlsx workbook (no zip signature)",
        "id": "bukan workbook .xlsx yang dapat dibaca (tanpa tanda zip)",
    },
    "input.unknown_format": {"en": "unknown format", "id": "format tidak dikenal"},
    "input.bad_json": {
        "en": "not valid JSON ({error}, column {column})",
        "id": "JSON tidak valid ({error}, kolom {column})",
    },
    "input.json_too_deep": {
        "en": "not valid JSON (nested too deeply)",
        "id": "JSON tidak valid (bersarang terlalu dalam)",
    },
    "input.srt_without_timing": {
        "en": "unknown format (.srt without any 'start --> end' timing line)",
        "id": "format tidak dikenal (.srt tanpa satu pun baris waktu 'mulai --> selesai')",
    },
    "input.unknown_suffix": {
        "en": "unknown format ({suffix}: expected .txt, .vtt, .srt, Whisper or AWS .json, .csv or .xlsx)",
        "id": "format tidak dikenal ({suffix}: yang diharapkan .txt, .vtt, .srt, .json Whisper atau AWS, "
        ".csv atau .xlsx)",
    },
    "input.aws_standard": {
        "en": "unknown format (AWS Transcribe standard output; expected Call Analytics JSON with Transcript[])",
        "id": "format tidak dikenal (keluaran standar AWS Transcribe; yang diharapkan JSON Call Analytics "
        "dengan Transcript[])",
    },
    "input.unknown_json": {
        "en": "unknown format (JSON {kind} without segments[] or Transcript[])",
        "id": "format tidak dikenal (JSON {kind} tanpa segments[] atau Transcript[])",
    },
    "input.empty_table": {"en": "empty table: no header row", "id": "tabel kosong: tanpa baris judul"},
    "input.segments_not_list": {"en": "'segments' is not a list", "id": "'segments' bukan daftar"},
    "input.not_utterance_table": {
        "en": "not an utterance table: no {missing} column (found: {found})",
        "id": "bukan tabel ucapan: tidak ada kolom {missing} (yang ada: {found})",
    },
    "input.bad_csv": {"en": "cannot parse the CSV ({error})", "id": "CSV tidak dapat diurai ({error})"},
    "input.cannot_open_workbook": {
        "en": "cannot open the workbook ({error})",
        "id": "workbook tidak dapat dibuka ({error})",
    },
    "input.workbook_no_sheet": {"en": "the workbook has no sheet", "id": "workbook tidak memiliki lembar"},
    "input.cannot_read_workbook": {
        "en": "cannot read the workbook ({error})",
        "id": "workbook tidak dapat dibaca ({error})",
    },
    "input.manifest_no_call_id": {
        "en": "manifest has no call_id column (found: {found})",
        "id": "manifest tidak memiliki kolom call_id (yang ada: {found})",
    },
    "input.manifest_empty": {
        "en": "manifest is empty (no header row)",
        "id": "manifest kosong (tanpa baris judul)",
    },
    "input.manifest_not_found": {"en": "manifest not found", "id": "manifest tidak ditemukan"},
    "input.manifest_suffix": {
        "en": "a manifest must be a .csv or .xlsx file",
        "id": "manifest harus berupa berkas .csv atau .xlsx",
    },
    "input.manifest_cannot_open": {
        "en": "cannot open the manifest ({error})",
        "id": "manifest tidak dapat dibuka ({error})",
    },
    "input.not_an_object": {
        "en": "{item} is not an object; skipped",
        "id": "{item} bukan objek; dilewati",
    },
    # errors: a file or call that could not be scored (JSON Lines ``error`` and ``error_id``)
    "error.doing_read": {"en": "reading the file", "id": "membaca file"},
    "error.doing_score": {"en": "scoring the call", "id": "menilai panggilan"},
    "error.internal": {
        "en": "internal error while {doing} (a fault in qa-scoring, not in the file; report id {incident} "
        "with this file to the maintainers; QA_SCORING_DEBUG=1 shows the details)",
        "id": "kesalahan internal saat {doing} (kesalahan pada qa-scoring, bukan pada file; laporkan id {incident} "
        "beserta file ini kepada pengelola; QA_SCORING_DEBUG=1 menampilkan rinciannya)",
    },
    "error.time_limit": {
        "en": "stopped after {seconds} s {doing}, the limit per file (--max-file-seconds)",
        "id": "dihentikan setelah {seconds} detik {doing}, batas waktu per file (--max-file-seconds)",
    },
    "error.worker_died": {
        "en": "the worker process reading this file stopped (a crash or out of memory); the file was not scored",
        "id": "proses pekerja yang membaca file ini berhenti (crash atau kehabisan memori); file ini tidak dinilai",
    },
    "error.link_out": {
        "en": "a symbolic link to a place outside the batch folder: not followed (--follow-links follows it)",
        "id": "tautan simbolik ke luar folder batch: tidak diikuti (--follow-links untuk mengikutinya)",
    },
    "error.link_broken": {
        "en": "a symbolic link that leads nowhere (broken, or a loop of links)",
        "id": "tautan simbolik yang tidak menuju ke mana pun (rusak, atau tautan yang berputar)",
    },
    "error.special_file": {
        "en": "not a regular file (a FIFO, socket or device): not read",
        "id": "bukan file biasa (FIFO, socket, atau perangkat): tidak dibaca",
    },
    "error.folder": {
        "en": "cannot open the folder ({why}): its files are not read",
        "id": "folder tidak dapat dibuka ({why}): file di dalamnya tidak dibaca",
    },
    "error.examine": {"en": "cannot be examined ({why})", "id": "tidak dapat diperiksa ({why})"},
    "error.duplicate_id": {
        "en": "call_id {call_id} was already scored in this run from {first}; this second call with the same id "
        "is not scored (give every call its own id)",
        "id": "call_id {call_id} sudah dinilai dalam proses ini dari {first}; panggilan kedua dengan id yang sama "
        "tidak dinilai (beri setiap panggilan id sendiri)",
    },
}


@lru_cache(maxsize=1024)
def placeholders(template: str) -> frozenset[str]:
    """The ``str.format`` field names of ``template``."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}")


def _render(value: object, lang: str) -> object:
    """An argument ready for ``str.format``: localised pieces rendered, other values as they are."""
    if isinstance(value, Reason | Join | FactBasis):
        return value.text(lang)
    return value


@dataclass(frozen=True)
class Reason:
    """A catalog message: its key and its arguments."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``id``)."""
        try:
            template = MESSAGES[self.key][lang]
        except (KeyError, TypeError):
            _check_lang(lang)  # an unknown language is told as such, before an unknown key
            raise
        if not self.args and "{" not in template and "}" not in template:
            return template  # what format() would return
        return template.format(
            **{name: value.text(lang) if isinstance(value, _LOCALISED) else value for name, value in self.args}
        )


@dataclass(frozen=True)
class Join:
    """Items (text or localised pieces) joined by a separator (text or a Reason)."""

    items: tuple[object, ...]
    sep: str | Reason

    def text(self, lang: str = "en") -> str:
        """The joined items in ``lang``."""
        sep = self.sep.text(lang) if isinstance(self.sep, Reason) else self.sep
        return sep.join(str(_render(item, lang)) for item in self.items)


@dataclass(frozen=True)
class FactBasis:
    """A fact's basis as a parenthesised suffix: verbatim in English; in Indonesian only its source, if known."""

    basis: str

    def text(self, lang: str = "en") -> str:
        """`` (basis)`` in English; `` (menurut ...)`` or nothing in Indonesian."""
        _check_lang(lang)
        if lang == "en":
            return f" ({self.basis})"
        for prefix, source in _SOURCES:
            if self.basis.startswith(prefix):
                return f" ({source.text(lang)})"
        return ""


_LOCALISED = (Reason, Join, FactBasis)  # arguments rendered in the message's language (as ``_render`` does)


def msg(key: str, **args: object) -> Reason:
    """A Reason for catalog ``key``; its arguments must be exactly the key's placeholders."""
    if args:
        return _reason(key, args)
    found = _BARE.get(key)  # a Reason is immutable: one without arguments serves every caller
    if found is None:
        found = _BARE[key] = _reason(key, args)
    return found


_BARE: dict[str, Reason] = {}  # the Reason of each catalog key without arguments


_WANTED: dict[str, frozenset[str]] = {}  # the placeholders of each catalog key, as ``placeholders`` finds them


def _reason(key: str, args: Mapping[str, object]) -> Reason:
    """The body of ``msg``, for callers that pass the key on (``Notice``)."""
    wanted = _WANTED.get(key)
    if wanted is None:
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r} in the catalog")
        wanted = _WANTED[key] = placeholders(MESSAGES[key]["en"])
    if args.keys() != wanted:
        raise ValueError(f"message {key!r} takes {sorted(wanted)}, got {sorted(args)}")
    # Reason(key, ...) without the frozen dataclass's object.__setattr__ per field (every verdict makes one)
    reason = _new_object(Reason)
    reason.__dict__.update(key=key, args=tuple(args.items()))
    return reason


_new_object = object.__new__


DOING = {"read": msg("error.doing_read"), "score": msg("error.doing_score")}  # what was stopped or failed

_SOURCES = (
    ("manifest", msg("source.manifest")),
    ("transcript", msg("source.transcript")),
    ("calendar", msg("source.calendar")),
)


def check_reason(check: Mapping[str, Any], lang: str) -> str:
    """A check dict's reason for a report: ``reason_id`` in Indonesian when present, else ``reason``."""
    if lang == "id" and check.get("reason_id"):
        return str(check["reason_id"])
    reason = check.get("reason")
    return "" if reason is None else str(reason)


class Notice(str):
    """A warning or error about the input: the English text (the string itself), a catalog key, Indonesian.

    Being a ``str``, a Notice goes wherever a warning or error text went; ``code`` is the
    stable catalog key and ``text(lang)`` the text in either language, both prefixed with
    ``where`` (``file:line``) when given.
    """

    code: str
    where: str
    reason: Reason

    def __new__(cls, where: str, code: str, /, **args: object) -> Notice:
        reason = _reason(code, args)
        english = reason.text("en")
        self = super().__new__(cls, f"{where}: {english}" if where else english)
        self.code, self.where, self.reason = code, where, reason
        return self

    def text(self, lang: str = "en") -> str:
        """The notice in ``lang``."""
        body = self.reason.text(lang)
        return f"{self.where}: {body}" if self.where else body

    def located(self, where: str) -> Notice:
        """The same notice at another place (e.g. with the file's name in front)."""
        return Notice(where, self.code, **dict(self.reason.args))

    def __reduce__(self) -> tuple[Any, ...]:
        """Copy and pickle by the constructor's arguments."""
        return (_notice, (self.where, self.code, dict(self.reason.args)))

    def to_json(self) -> list[object]:
        """``[where, code, args]`` for storage; ``from_json`` reads it back."""
        return [self.where, self.code, dict(self.reason.args)]

    @classmethod
    def from_json(cls, data: list[Any]) -> Notice:
        """The Notice of a ``to_json`` list."""
        where, code, args = data
        return cls(where, code, **args)


def _notice(where: str, code: str, args: dict[str, object]) -> Notice:
    """A Notice from its parts (for pickle and copy)."""
    return Notice(where, code, **args)


OTHER = "other"


def as_notice(reason: Reason, where: str = "") -> Notice:
    """A catalog ``Reason`` as a Notice (a str with its code and both languages), e.g. for a ReadError."""
    return Notice(where, reason.key, **dict(reason.args))


def notice_code(text: object) -> str:
    """The catalog key of a Notice, else ``other`` (a text from before notices had codes)."""
    return text.code if isinstance(text, Notice) else OTHER


def notice_text(text: object, lang: str) -> str:
    """A warning or error in ``lang`` when it is a Notice, else as it is."""
    return text.text(lang) if isinstance(text, Notice) else str(text)


def result_warnings(result: Mapping[str, Any], lang: str) -> list[str]:
    """A JSON Lines result's warnings for a report: ``warnings_id`` in Indonesian when present."""
    warnings = result.get("warnings") or []
    if lang == "id" and isinstance(result.get("warnings_id"), list) and len(result["warnings_id"]) == len(warnings):
        return [str(w) for w in result["warnings_id"]]
    return [str(w) for w in warnings]


def result_error(result: Mapping[str, Any], lang: str) -> str:
    """A JSON Lines error line's reason for a report: ``error_id`` in Indonesian when present."""
    if lang == "id" and result.get("error_id"):
        return str(result["error_id"])
    error = result.get("error")
    return "" if error is None else str(error)
