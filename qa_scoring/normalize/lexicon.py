"""Variant tables of the normalization stage, as plain data.

All keys and values are lower-case ASCII tokens (``[a-z]+``), because the tables are
applied after case folding and tokenization. The same tables serve the transcript turns
and the SOP phrases of the rules file, so a canonical spelling only has to be consistent,
not "correct".

The tables are applied in this order (see ``qa_scoring.normalize``):

1. ``FILLERS`` are dropped and ``TOKEN_VARIANTS`` rewrite single tokens.
2. ``SPELLING_PHRASES`` join or rewrite multi-token spellings (letter-by-letter "p l n",
   split words such as "down load", "di bantu").
3. ``BRAND_PHRASES`` build the brand names that need the output of step 2
   ("pe el en mobail" -> "pln mobail" -> "pln mobile").
4. ``NEW_VARIANTS`` become "new" when the next token is ``NEW_CONTEXT`` ("niu pln").

Before step 1, a token the recogniser ran together from script words ("selamatpagi",
"adalagi", "kepadapetugas", "seratusduapuluhtiga") is split into ``SCRIPT_WORDS`` (or
number words), and "bapak"/"ibu" glued to the next word ("ibusri") is split off.

A phrase pattern is a string of space-separated positions; each position lists its
alternative tokens separated by ``|``. ``"p|pe l|el n|en"`` matches "p l n", "pe el en",
"pe el n", ... Patterns are matched longest first, left to right, without overlap.

Invariants checked by the tests (they make ``normalize`` idempotent): no output token is
a filler or a ``TOKEN_VARIANTS`` key, no output read again matches a pattern (a pattern
that spells its own replacement, such as "app store", is skipped), and no table holds a
number word.
"""

from __future__ import annotations

# Hesitation sounds of speech recognition output, removed as whole tokens. Words that
# carry meaning in a call ("ya", "iya", "baik", "oh", "nah") are deliberately absent.
FILLERS: frozenset[str] = frozenset(
    {
        "eh", "ehh", "ehhh", "ee", "eee", "eeee", "eeh", "em", "emm", "emmm", "ehm", "ehmm",
        "hmm", "hmmm", "hm", "mm", "mmm", "uh", "uhh", "uhm", "um", "umm", "ah", "ahh",
        "eng", "ng",
    }
)  # fmt: skip

# Single-token variants -> canonical spelling (a value may be several tokens).
TOKEN_VARIANTS: dict[str, str] = {
    # --- thanks: colloquial and English forms -> "terima kasih"
    "makasih": "terima kasih",
    "makasi": "terima kasih",
    "makasii": "terima kasih",
    "makasihh": "terima kasih",
    "maksih": "terima kasih",
    "trimakasih": "terima kasih",
    "trimakasi": "terima kasih",
    "terimakasih": "terima kasih",
    "terimakasi": "terima kasih",
    "mksh": "terima kasih",
    "trims": "terima kasih",
    "thanks": "terima kasih",
    "thx": "terima kasih",
    "tengkyu": "terima kasih",
    "tenkyu": "terima kasih",
    "trima": "terima",
    "tlah": "telah",
    # --- greetings
    "slamat": "selamat",
    "selamet": "selamat",
    "slamet": "selamat",  # also a Javanese given name; harmless, names are normalized too
    "siank": "siang",
    "malem": "malam",
    # --- forms of address
    "bpk": "bapak",
    "ibuk": "ibu",
    # --- app words
    "aplikas": "aplikasi",
    "aplkasi": "aplikasi",
    "aplikasih": "aplikasi",
    "donlot": "download",
    "donlod": "download",
    "donload": "download",
    "daunlod": "download",
    "daunload": "download",
    "dounload": "download",
    "downlod": "download",
    "unduh": "download",
    "instal": "download",
    "install": "download",
    "menginstal": "download",
    "menginstall": "download",
    "apdet": "update",
    "apdate": "update",
    "updet": "update",
    "updete": "update",
    "perbarui": "update",
    # --- PLN Mobile and the app stores written as one token
    "plnmobile": "pln mobile",
    "plnmobail": "pln mobile",
    "playstore": "play store",
    "playstor": "play store",
    "pleystore": "play store",
    "pleistore": "play store",
    "plestore": "play store",
    "appstore": "app store",
    "appsstore": "app store",
    "apstore": "app store",
    "appstor": "app store",
    "epstore": "app store",
    # --- ICON+ products. "ikon"/"aikon" become "icon" so that "internet ikon" reads as
    # the customers' name for the service, "internet icon" (it is never merged, see
    # BRAND_PHRASES).
    "ikon": "icon",
    "aikon": "icon",
    "aicon": "icon",
    "aikonnet": "iconnet",
    "aikonet": "iconnet",
    "ikonnet": "iconnet",
    "ikonet": "iconnet",
    "iconet": "iconnet",
    "ikonplus": "iconplus",
    "aikonplus": "iconplus",
    "electrinet": "elektrinet",
    "elektrinit": "elektrinet",
    "elektronet": "elektrinet",
    "electronet": "elektrinet",
    "elektrinett": "elektrinet",
    "electricnet": "elektrinet",
    "elektriknet": "elektrinet",
    # --- the PLN 123 line
    "contactcenter": "contact center",
    "kontakcenter": "contact center",
}

# Multi-token spellings, step 2. Outputs never start a pattern of this table.
SPELLING_PHRASES: tuple[tuple[str, str], ...] = (
    # "pln" spelled letter by letter
    ("p|pe l|el n|en", "pln"),
    # "internet" split by the recogniser; joined first so that its "net" can never be
    # read as the "net" of "icon net" (step 3)
    ("inter net", "internet"),
    # thanks
    ("terima kasi|kasii|kasihh", "terima kasih"),
    ("thank|tenk you|yu", "terima kasih"),
    # app words
    ("down|daun|don load|lod|lot", "download"),
    ("ap|up date|det|dete", "update"),
    # "di" written apart from the SOP verbs
    ("di bantu", "dibantu"),
    ("di tunggu", "ditunggu"),
    ("di sambungkan", "disambungkan"),
    ("di transfer", "ditransfer"),
    ("di alihkan", "dialihkan"),
    # "met" is the spoken short form of "selamat" in greetings ("met malam pak")
    ("met pagi", "selamat pagi"),
    ("met siang", "selamat siang"),
    ("met sore", "selamat sore"),
    ("met malam", "selamat malam"),
    # transfer verbs split before their suffix ("saya sambung kan ke ...")
    ("sambung kan", "sambungkan"),
    ("hubung kan", "hubungkan"),
    ("alih kan", "alihkan"),
    ("di sambung kan", "disambungkan"),
    ("di hubung kan", "dihubungkan"),
    ("di alih kan", "dialihkan"),
    ("trans fer", "transfer"),
    # the line's own name
    ("ketenaga listrikan", "ketenagalistrikan"),
    ("ke tenaga listrikan", "ketenagalistrikan"),
    ("kontak|contact|kontek center|centre|senter|sentre|centr", "contact center"),
    # app stores
    ("play|plays|plei|pley|ple|plai store|stor|setor|tor|stoor", "play store"),
    ("app|apps|aps|ap|ep|eps|epp store|stor|setor|tor|stoor", "app store"),
    # Elektrinet split in two
    ("elektrik|electric|elektri|electri|elektrin|elektro|electro|electrik net|nett|nit", "elektrinet"),
)  # fmt: skip

# Brand names built on step 2 output, step 3. "icon" is merged only with a "net"/"plus"
# token right after it; "internet icon" and "wifi icon" (the customers' name for the
# service) never match, and "inter net icon" was already joined to "internet icon".
BRAND_PHRASES: tuple[tuple[str, str], ...] = (
    ("pln mobail|mobel|moble|mobayl|mobael|mobaile|mobiel|mobil|mobilee", "pln mobile"),
    ("icon net|nett|nek", "iconnet"),
    ("icon plus|plas|pelus|pelas", "iconplus"),
)

# "niu"/"nyu" before NEW_CONTEXT -> NEW_CANONICAL ("niu pln mobile" -> "new pln mobile").
NEW_VARIANTS: frozenset[str] = frozenset({"niu", "nyu", "nyuw", "niw"})
NEW_CONTEXT = "pln"
NEW_CANONICAL = "new"

# Words of the agent's script, for splitting tokens the recogniser ran together. A token
# is split only when it is not itself one of these and the whole of it is a sequence of
# these words (or number words), each at least three letters long.
SCRIPT_WORDS: frozenset[str] = frozenset(
    {
        "untuk", "mewujudkan", "pln", "terbaik", "mohon", "tidak", "memberikan", "memberi",
        "tambahan", "biaya", "kepada", "petugas", "kami", "agar", "semua", "makin", "mudah",
        "ayo", "download", "aplikasi", "new", "mobile", "play", "store", "atau", "apps", "app",
        "segera", "update", "versi", "terbaru", "mendapatkan", "peningkatan", "layanan", "dan",
        "ajak", "orang", "terdekat", "terima", "kasih", "telah", "sudah", "menghubungi",
        "selamat", "pagi", "siang", "sore", "malam", "ada", "lagi", "yang", "bisa", "dibantu",
        "bantu", "bapak", "ibu", "maaf", "ditunggu", "tunggu", "terhubung", "dengan", "contact",
        "center", "ketenagalistrikan", "sambungkan", "disambungkan", "iconnet", "iconplus",
        "elektrinet", "produk", "menggunakan", "lain", "hal", "kembali", "masih", "apakah",
        "saat", "ini", "informasi", "internet", "imbalan", "jangan",
    }
)  # fmt: skip
# Honorifics split off a name they were run into ("ibusri" -> "ibu sri"). Not "pak"/"bu":
# too many words start with them ("pakai", "bukan", "bulan").
GLUED_HONORIFICS: tuple[str, ...] = ("bapak", "ibu")
