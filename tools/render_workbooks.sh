#!/usr/bin/env bash
# Render the sample batch workbook and a sample monthly workbook as pictures, to look at
# them as a reader of the printout would.
#
#   tools/render_workbooks.sh [OUTDIR]        (default: reports/render/)
#
# Scores sample_transcripts/ (or the folder, files or glob in $BATCH) into a temporary
# results store (--out batch workbook), writes the monthly workbook of the month with the
# most calls (or $MONTH) from that store (for the sample batch: March 2024 of the demo store
# that tools/demo_store.py makes from it),
# converts both to PDF with LibreOffice headless (Debian: libreoffice-calc) and every PDF
# page to PNG at 70 dpi with pdftoppm (Debian: poppler-utils), then prints the PNG files.
# Exits non-zero, naming the step, when anything fails, a PDF is missing or empty, or a
# PDF yields no page. $SOFFICE and $PDFTOPPM name other commands (the tests use that).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/reports/render}"
LANG_OPT="${REPORT_LANG:-id}"

fail() { echo "render_workbooks: $*" >&2; exit 1; }

SOFFICE="${SOFFICE:-soffice}"
PDFTOPPM="${PDFTOPPM:-pdftoppm}"
for tool in "$SOFFICE" "$PDFTOPPM"; do
    command -v "$tool" >/dev/null || fail "$tool not found (Debian: apt-get install libreoffice-calc poppler-utils)"
done
if [[ -n "${PYTHON:-}" ]]; then PY="$PYTHON"
elif [[ -x "$ROOT/.venv/bin/python" ]]; then PY="$ROOT/.venv/bin/python"
else PY=python3; fi
"$PY" -c "import qa_scoring" 2>/dev/null || fail "qa_scoring is not importable with $PY (install it: pip install -e .)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"   # absolute, before leaving the caller's folder

# The sample batch is named from the repo root, as a user would; $BATCH from the caller's folder.
[[ -n "${BATCH:-}" ]] || { cd "$ROOT"; BATCH=sample_transcripts; }
echo "scoring $BATCH ..." >&2
# The sample batch holds broken files on purpose: --no-fail keeps that from being an error.
# $BATCH is split on spaces on purpose (several paths); a glob is passed on unexpanded.
set -f
# shellcheck disable=SC2086
"$PY" -m qa_scoring score $BATCH --no-fail -q --lang "$LANG_OPT" \
    --jsonl "$WORK/batch.jsonl" --out "$WORK/batch.xlsx" --db "$WORK/results.sqlite" >&2 \
    || fail "scoring $BATCH failed"
set +f

# The sample batch spreads a few calls over many months: its monthly workbook is drawn from
# the demo store instead (the sample's real results dealt out to two teams over two months).
STORE="$WORK/results.sqlite"
if [[ "$BATCH" == sample_transcripts && -z "${MONTH:-}" ]]; then
    "$PY" "$ROOT/tools/demo_store.py" "$WORK/batch.jsonl" "$WORK/demo.sqlite" >&2 || fail "the demo store failed"
    STORE="$WORK/demo.sqlite"
    MONTH=2024-03
fi
MONTH="${MONTH:-$("$PY" - "$WORK/batch.jsonl" <<'PY'
import collections, json, sys
months = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    start = json.loads(line).get("call_start")
    if start:
        months[start[:7]] += 1
print(max(sorted(months), key=months.__getitem__) if months else "")
PY
)}"
[[ -n "$MONTH" ]] || fail "no scored call of $BATCH has a call start"
echo "monthly workbook for $MONTH ..." >&2
"$PY" -m qa_scoring monthly --month "$MONTH" --db "$STORE" --lang "$LANG_OPT" \
    --out "$WORK/monthly-$MONTH.xlsx" >&2 || fail "the monthly workbook for $MONTH failed"

# A private LibreOffice profile: another soffice running on the machine (or a stale lock)
# would otherwise make the conversion do nothing and still exit 0.
PROFILE="file://$WORK/lo-profile"
rm -f "$OUT"/batch-*.png "$OUT"/batch.pdf "$OUT"/monthly-*.png "$OUT"/monthly-*.pdf
for book in "$WORK/batch.xlsx" "$WORK/monthly-$MONTH.xlsx"; do
    name="$(basename "$book" .xlsx)"
    echo "converting $name.xlsx to PDF ..." >&2
    "$SOFFICE" "-env:UserInstallation=$PROFILE" --headless --norestore \
        --convert-to pdf --outdir "$WORK" "$book" >"$WORK/soffice.log" 2>&1 \
        || { cat "$WORK/soffice.log" >&2; fail "soffice could not convert $name.xlsx"; }
    [[ -s "$WORK/$name.pdf" ]] || { cat "$WORK/soffice.log" >&2; fail "soffice wrote no PDF (or an empty one) for $name.xlsx"; }
    cp "$WORK/$name.pdf" "$OUT/$name.pdf"
    "$PDFTOPPM" -png -r 70 "$OUT/$name.pdf" "$OUT/$name" || fail "pdftoppm could not render $name.pdf"
    compgen -G "$OUT/$name-*.png" >/dev/null || fail "$name.pdf has no page"
done

ls -1 "$OUT"/batch-*.png "$OUT"/monthly-"$MONTH"-*.png
