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
        "en": "customer addressed by name ('{word}')",
        "id": "pelanggan disapa dengan namanya ('{word}')",
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


def error_text(record: Mapping[str, Any], lang: str) -> str:
    """An error line's reason for a report: ``error_id`` in Indonesian when present, else ``error``."""
    if lang == "id" and record.get("error_id"):
        return str(record["error_id"])
    error = record.get("error")
    return "" if error is None else str(error)


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
        _check_lang(lang)
        return MESSAGES[self.key][lang].format(**{name: _render(value, lang) for name, value in self.args})


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


def msg(key: str, **args: object) -> Reason:
    """A Reason for catalog ``key``; its arguments must be exactly the key's placeholders."""
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in the catalog")
    wanted = placeholders(MESSAGES[key]["en"])
    if set(args) != wanted:
        raise ValueError(f"message {key!r} takes {sorted(wanted)}, got {sorted(args)}")
    return Reason(key, tuple(args.items()))


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
