"""Generate the sample utterance table 'utterances_export_bandung.xlsx' (2 calls, one row per turn).

Run with the project's interpreter from anywhere:
    /work/main/.venv/bin/python sample_transcripts/_make_xlsx.py
The rows below are the turns of calls C-0027 and C-0044 (see _expected.csv / _README.md).
"""
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROWS = [
    ('C-0027', 'Agent', 'selamat pagi terima kasih telah menghubungi pln 123 dengan yuni ada yang bisa dibantu', 1.6),
    ('C-0027', 'Customer', 'pagi mbak token saya ditolak terus di meteran tulisannya gagal', 8.3),
    ('C-0027', 'Agent', 'baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara', 13.3),
    ('C-0027', 'Customer', 'joko', 18.6),
    ('C-0027', 'Agent', 'baik bapak joko boleh disebutkan nomor meternya', 20.6),
    ('C-0027', 'Customer', 'satu dua kosong tiga empat lima enam tujuh delapan sembilan kosong', 24.9),
    ('C-0027', 'Agent', 'mohon ditunggu saya cek ya pak', 30.1),
    ('C-0027', 'Customer', 'iya', 52.2),
    ('C-0027', 'Agent', 'bapak joko tokennya dibeli untuk nomor meter satu dua kosong tiga empat lima enam tujuh delapan sembilan satu pak berbeda satu angka di belakang', 54.1),
    ('C-0027', 'Customer', 'waduh salah ketik berarti mbak', 63.2),
    ('C-0027', 'Agent', 'betul pak token tersebut masuknya ke meter lain untuk hal ini bapak bisa menghubungi tempat pembelian token ya pak', 66.8),
    ('C-0027', 'Customer', 'oh gitu ya udah mbak nanti saya ke minimarketnya', 75.1),
    ('C-0027', 'Agent', 'apakah ada lagi yang bisa dibantu pak', 79.5),
    ('C-0027', 'Customer', 'nggak mbak', 82.9),
    ('C-0027', 'Agent', 'baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami', 84.5),
    ('C-0027', 'Customer', 'iya', 90.6),
    ('C-0027', 'Agent', 'agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store', 92.8),
    ('C-0027', 'Customer', 'iya', 99.4),
    ('C-0027', 'Agent', 'terima kasih telah menghubungi pln 123 bapak joko', 101.3),
    ('C-0027', 'Customer', 'sama sama', 105.5),
    ('C-0044', 'Agent', 'selamat pagi terima kasih telah menghubungi pln 123 dengan dewi ada yang bisa dibantu', 0.9),
    ('C-0044', 'Customer', 'pagi mbak listrik mati dari subuh di perumahan saya', 7.1),
    ('C-0044', 'Agent', 'mohon maaf atas ketidaknyamanannya dengan ibu siapa saya bicara', 12.2),
    ('C-0044', 'Customer', 'linda', 16.8),
    ('C-0044', 'Agent', 'baik ibu linda lokasinya di mana bu', 18.5),
    ('C-0044', 'Customer', 'di bintaro sektor tiga', 22.4),
    ('C-0044', 'Agent', 'baik mohon ditunggu bu', 25.1),
    ('C-0044', 'Customer', 'iya', 27.4),
    ('C-0044', 'Agent', 'ibu linda saat ini terjadi gangguan meluas pada gardu induk yang menyuplai wilayah bintaro dan sekitarnya petugas sedang melakukan perbaikan', 29.6),
    ('C-0044', 'Customer', 'oh pantes satu kompleks mati semua', 39.3),
    ('C-0044', 'Agent', 'betul bu mohon maaf atas ketidaknyamanannya', 42.4),
    ('C-0044', 'Customer', 'iya mbak', 45.7),
    ('C-0044', 'Agent', 'apakah ada lagi yang bisa dibantu bu', 47.3),
    ('C-0044', 'Customer', 'nggak mbak', 51.2),
    ('C-0044', 'Agent', 'baik bu untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami', 53.5),
    ('C-0044', 'Customer', 'iya', 60.9),
    ('C-0044', 'Agent', 'agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store', 62.2),
    ('C-0044', 'Customer', 'iya', 70.4),
    ('C-0044', 'Agent', 'terima kasih telah menghubungi pln 123 selamat pagi ibu linda', 72.5),
    ('C-0044', 'Customer', 'pagi', 77.5),
]


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "utterances"
    ws.append(["call_id", "speaker", "text", "start"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        ws.append(list(row))
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 110
    ws.column_dimensions["D"].width = 8
    ws.freeze_panes = "A2"
    out = Path(__file__).with_name('utterances_export_bandung.xlsx')
    wb.save(out)
    print(f"wrote {out} ({len(ROWS)} rows)")


if __name__ == "__main__":
    main()
