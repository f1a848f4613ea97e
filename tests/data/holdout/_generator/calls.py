# Dialogue data for the holdout batch. 'A' = agent, 'C' = customer.
# Each call: dict(id, file, fmt, start (ISO or None), name, ... , turns)
CALLS = []
def call(**kw):
    turns = []
    for line in kw.pop('script').strip('\n').split('\n'):
        line = line.strip()
        if not line: continue
        spk, text = line.split(':', 1)
        turns.append((spk.strip(), text.strip()))
    kw['turns'] = turns
    CALLS.append(kw)

# ---------------- TXT ----------------
call(key='T1', file='pln123_0101.txt', fmt='txt_hms', labels=('CSO','PELANGGAN'), t0=2.0,
script='''
A: selamat pagi terima kasih telah menghubungi pln seratus dua puluh tiga dengan rina ada yang bisa dibantu
C: iya mbak ee selamat pagi ini listrik di rumah saya mati dari jam enam tadi mbak
A: baik mohon maaf atas ketidaknyamanannya ibu dengan ibu siapa saya bicara
C: saya ibu sulis tiowati mbak
A: baik ibu sulis tiowati boleh dibantu id pelanggan atau nomor meternya bu
C: sebentar ya mbak ee id pelanggannya lima tiga satu kosong kosong dua tiga empat lima enam tujuh delapan
A: baik saya ulangi lima tiga satu nol nol dua tiga empat lima enam tujuh delapan betul bu
C: iya betul
A: hmm atas nama sulistyowati alamat di jalan melati nomor dua belas rt tiga rw lima kelurahan sukamaju betul ya bu
C: iya betul mbak
A: baik bu apakah tetangga sekitar juga padam atau hanya rumah ibu saja
C: tetangga nyala mbak cuma rumah saya aja
A: ee boleh dicek dulu bu mcb di kwh meter nya posisi naik atau turun
C: sudah saya naikin mbak tapi turun lagi
A: baik kalau begitu kami buatkan laporan gangguannya ya bu nanti petugas pelayanan teknik akan datang ke lokasi
C: oh iya mbak kira kira lama nggak
A: diusahakan secepatnya ya bu nomor laporannya saya bacakan ya ee g satu dua tiga empat kosong lima enam
C: g satu dua tiga empat kosong lima enam oke
A: betul bu mohon nanti nomor teleponnya bisa dihubungi ya karena petugas akan konfirmasi
C: iya mbak bisa
A: baik apakah ada lagi yang bisa dibantu bu
C: nggak mbak itu aja
A: baik ee untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke mbak
A: terima kasih telah menghubungi pln seratus dua puluh tiga selamat pagi ibu sulis tiowati
C: iya makasih mbak
''')

call(key='T2', file='pln123_0102.txt', fmt='txt_ms', labels=('AGENT','CUSTOMER'), t0=1.0,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan dewi ada yang bisa dibantu
C: pagi mbak saya mau tanya tagihan listrik saya bulan ini kok naik banget ya
A: baik mohon maaf dengan bapak siapa
C: hendra mbak hendra wijaya
A: baik pak hendra boleh disebutkan id pelanggannya
C: ee satu dua tiga empat lima enam tujuh delapan sembilan kosong satu dua
A: baik ditunggu sebentar ya pak saya cek dulu
C: iya
A: hmm terima kasih sudah menunggu pak untuk tagihan bulan maret tercatat pemakaian empat ratus tiga puluh dua kwh sedangkan bulan lalu dua ratus delapan puluh kwh
C: lho kok bisa mbak perasaan pemakaian biasa aja
A: ee kemungkinan ada tambahan peralatan atau pemakaian ac yang lebih lama pak selain itu pencatatan bulan lalu ee berdasarkan rata rata
C: oh jadi bulan lalu nggak dicatat
A: betul pak bulan lalu petugas catat meter tidak bisa masuk karena pagar terkunci jadi bulan ini ada selisihnya
C: oh gitu ya mbak hmm ya udah deh
A: kalau bapak mau bisa kami buatkan pengaduan untuk pengecekan ulang stand meter pak
C: nggak usah mbak udah jelas
A: baik pak ada lagi yang bisa kami bantu
C: udah itu aja mbak
A: baik pak agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat pagi bapak hendra
C: sama sama mbak
''')

call(key='T3', file='pln123_0103.txt', fmt='txt_none_fm', labels=('CSO','PELANGGAN'),
front_matter=[('call_id','CC123-0103'),('agent_id','CSO-0877'),('agent_name','andi'),('team','Bandung-2'),
              ('call_start','2024-02-12T13:20:00'),('customer_name','Yusuf Maulana'),('klb','tidak'),('topic','tambah daya')],
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan andi ada yang bisa dibantu
C: siang mas saya mau tambah daya rumah saya
A: baik dengan bapak siapa saya berbicara
C: yusuf mas yusuf maulana
A: baik pak yusuf untuk daya saat ini berapa va pak
C: sekarang sembilan ratus mau naik ke dua ribu dua ratus
A: baik pak ee boleh dibantu id pelanggannya
C: lima dua kosong satu kosong tiga tiga tiga empat empat lima lima
A: baik saya cek dulu ya pak
A+: mohon ditunggu
C: iya mas
A: terima kasih sudah menunggu pak atas nama yusuf maulana alamat di perumahan griya asri blok c nomor tujuh betul
C: betul mas
A: untuk tambah daya dari sembilan ratus ke dua ribu dua ratus va biayanya ee sesuai ketentuan ya pak nanti rinciannya dikirim lewat sms
A+: setelah pembayaran petugas akan datang paling lambat ee beberapa hari kerja
C: oh oke bayarnya bisa lewat bank mas
A: bisa pak melalui bank atau kantor pos atau gerai pembayaran resmi pak
C: oke mas daftarin aja
A: baik sudah kami daftarkan nomor registrasinya satu satu kosong dua tiga empat lima enam pak
C: satu satu kosong dua tiga empat lima enam oke
A: baik apakah ada hal lain yang bisa dibantu pak
C: nggak mas cukup
A: baik pak untuk mewujudkan pln terbaik mohon tidak memberikan
C: iya
A: tambahan biaya kepada petugas kami ya pak
C: oh iya tidak kasih biaya ya mas oke
A: betul pak agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat siang pak yusuf
C: sama sama
''')

call(key='T4', file='pln123_0104.txt', fmt='txt_hmsms_fm', labels=('AGENT','CUSTOMER'), t0=0.8,
front_matter=[('call_id','CC123-0104'),('agent_id','CSO-1033'),('agent_name','nurul'),
              ('customer_name','rahmawati'),('topic','meteran bunyi')],
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan nurul ada yang bisa dibantu
C: sore mbak ini meteran listrik saya bunyi terus tit tit tit gitu
A: baik mohon maaf dengan ibu siapa
C: rahmawati mbak
A: baik ibu rahmawati ee meterannya meteran prabayar atau token ya bu
C: iya yang token mbak
A: boleh disebutkan nomor meternya bu
C: satu empat dua tiga kosong kosong sembilan delapan tujuh enam lima empat
A: baik bu ee sisa kwh di meteran saat ini berapa ya bu bisa dilihat di layar
C: hmm tinggal empat koma lima mbak
A: baik bu bunyi tersebut adalah peringatan bahwa sisa kwh sudah hampir habis bu
C: oh gitu jadi bukan rusak ya
A: bukan bu jadi untuk menghentikan bunyinya ibu bisa tekan angka delapan tujuh tujuh lalu enter atau segera isi token ya bu
C: delapan tujuh tujuh enter gitu ya
A: iya betul bu
C: oke sebentar ya mbak ee oh udah berhenti
A: baik bu sudah berhenti ya nanti jangan lupa segera beli token ya bu
C: iya mbak
A: baik ada lagi yang bisa dibantu bu
C: nggak itu aja
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: dan agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store bu
C: baik mbak
A: baik terima kasih bu selamat sore
C: sore
''')

call(key='T5', file='pln123_0105.txt', fmt='txt_hms', labels=('OPERATOR','CALLER'), t0=1.5, encoding='utf-16',
script='''
A: selamat malam terima kasih telah menghubungi pln 123 dengan fajar ada yang bisa dibantu
C: malam mas ini saya beli token kok nggak bisa dimasukin ya
A: baik mohon maaf sebelumnya dengan bapak siapa
C: agus mas agus salim
A: baik pak agus saat dimasukkan muncul tulisan apa di meterannya pak
C: ee tulisannya reject mas
A: baik pak boleh disebutkan nomor meter dan dua puluh digit tokennya pak
C: nomor meternya tiga dua satu satu kosong empat lima enam tujuh delapan sembilan kosong
C: tokennya ee lima tujuh dua dua satu satu delapan tiga kosong sembilan empat empat enam dua satu lima kosong tujuh tiga delapan
A: baik saya ulangi tokennya lima tujuh dua dua satu satu delapan tiga kosong sembilan empat empat enam dua satu lima kosong tujuh tiga delapan
C: iya betul
A: hmm ditunggu sebentar ya pak saya cek
C: iya
A: terima kasih sudah menunggu pak ternyata token tersebut untuk nomor meter yang berbeda pak nomor meter di token tiga dua satu satu kosong empat lima enam tujuh delapan sembilan satu
C: waduh berarti salah ketik ya pas beli
A: betul pak berbeda angka terakhirnya jadi bapak bisa hubungi tempat pembelian untuk koreksi atau kami buatkan laporan
C: ya udah mas saya ke counternya aja besok
A: baik pak apakah masih ada yang bisa kami bantu lagi
C: udah mas
A: baik untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: ok
A: terima kasih telah menghubungi pln 123 selamat sore bapak agus
C: ya makasih mas
''')

call(key='T6', file='pln123_0106.txt', fmt='txt_ms', labels=('AGEN','PENELEPON'), t0=0.5, encoding='cp1252',
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan sari ada yang bisa dibantu
C: siang mbak ini listrik di tempat usaha saya sering kedip kedip mbak
A: baik mohon maaf dengan bapak siapa saya bicara
C: dedi kurniawan mbak
A: baik bapak dedi boleh dibantu alamat lengkapnya
C: jl. dr. soetomo nomor lima – rt dua rw satu ini café kecil mbak
A: baik pak ee kedipnya sejak kapan ya pak
C: dari kemarin sore mbak kadang lampu redup terus terang lagi
A: baik pak apakah tetangga sekitar juga mengalami hal yang sama
C: hmm kayaknya iya mbak sebelah juga ngeluh
A: baik pak kemungkinan ada gangguan di jaringan tegangan rendah ya pak kami buatkan laporan ke unit layanan setempat
C: iya mbak tolong ya soalnya kulkas saya takut rusak
A: baik pak untuk sementara peralatan elektronik yang sensitif bisa dicabut dulu ya pak
C: oke
A: nomor laporannya ee g tujuh delapan kosong satu dua tiga empat pak
C: g tujuh delapan kosong satu dua tiga empat oke mbak
A: baik apakah ada lagi yang bisa dibantu pak
C: nggak mbak
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: baik
A: terima kasih telah menghubungi pln 123 selamat siang bapak rudi
C: eh iya mbak
''')

call(key='T7', file='pln123_0107.txt', fmt='txt_none', labels=('PETUGAS','PELANGGAN'),
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan yoga ada yang bisa dibantu
C: sore mas saya mau tanya status laporan saya kemarin soal kabel di depan rumah yang kendor
A: baik dengan ibu siapa saya bicara
C: wulandari mas
A: baik ibu wulandari boleh disebutkan nomor laporannya bu
C: ee g empat empat satu dua kosong sembilan
A: baik bu saya ulangi g empat empat satu dua kosong sembilan betul ya bu
C: iya betul mas
A: baik saya cek dulu bu
C: iya
A: terima kasih sudah menunggu bu laporan ibu sudah diteruskan ke unit dan dijadwalkan perbaikan besok pagi ya bu
C: oh syukurlah mas soalnya kalau hujan kabelnya goyang goyang
A: iya bu mohon sementara anak anak jangan main di dekat tiang dulu ya bu
C: iya mas
A: baik bu apakah ada lagi yang bisa dibantu
C: nggak mas
A: baik untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: eh mas sebentar satu lagi
A: iya bu silakan
C: kalau mau ganti nama di rekening listrik itu gimana ya soalnya masih nama almarhum bapak saya
A: baik bu untuk balik nama ibu bisa datang ke kantor ulp terdekat dengan membawa ktp kartu keluarga dan surat keterangan ahli waris bu
C: oh harus ke kantor ya
A: iya bu nanti diproses di sana
C: oke mas
A: baik bu ada lagi yang bisa dibantu
C: sudah mas cukup
A: baik terima kasih telah menghubungi pln 123 selamat sore ibu wulandari
C: iya sama sama
''')

call(key='T8', file='pln123_0108.txt', fmt='txt_hms', labels=('CSO','PELANGGAN'), t0=1.2,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan rina ada yang bisa dibantu
C: siang mbak ini internet aikon di rumah saya mati dari pagi
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: irwan mbak
A: baik pak irwan lampu di modemnya ee warna apa pak
C: merah kedip kedip mbak
A: baik pak boleh dibantu alamat pemasangan internetnya pak
C: perumahan taman sari blok d nomor sembilan belas depok
A: baik pak listrik di rumah bapak sendiri menyala normal ya pak
C: listrik nyala mbak aman cuma internetnya aja
A: sudah dicoba dimatikan lalu dinyalakan lagi modemnya pak
C: udah mbak tiga kali tetep merah
A: baik pak mohon maaf sebelumnya bapak irwan menggunakan produk elektrinet atau iconnet saat ini
C: hmm apa ya mbak saya kurang tahu yang pasang anak saya
C+: pokoknya internet dari pln gitu
A: baik pak tidak apa apa
C: terus gimana mbak
A: baik bapak irwan mohon maaf saat ini bapak terhubung dengan contact center pln 123 ketenagalistrikan
C: iya
A: untuk informasi gangguan internetnya bapak akan kami sambungkan ke contact center pln icon plus satu lima kosong kosong kosong tujuh satu
A+: mohon ditunggu ya pak
C: oh iya mbak baik
A: baik pak saya sambungkan sekarang
''')

# ---------------- VTT ----------------
call(key='V1', file='pln123_0201.vtt', fmt='vtt_v', labels=('CSO','Pelanggan'), t0=0.9,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan melati ada yang bisa dibantu
C: halo mbak siang ee saya tadi beli token di indomaret udah bayar tapi struknya nggak keluar kodenya
A: baik mohon maaf atas ketidaknyamanannya dengan ibu siapa saya berbicara
C: ratna mbak ratna kusuma
A: baik ibu ratna boleh disebutkan nomor meternya bu
C: emm sebentar ya mbak ini satu empat satu satu dua dua tiga tiga empat empat lima lima
A: baik bu belinya nominal berapa dan jam berapa ya bu
C: seratus ribu mbak kira kira jam sebelas tadi
A: baik mohon ditunggu saya cek dulu ya bu
C: iya mbak
A: terima kasih sudah menunggu bu untuk pembelian jam sebelas lewat tujuh menit nominal seratus ribu sudah tercatat di sistem kami dan tokennya sudah terbit bu
C: oh alhamdulillah terus kodenya berapa mbak
A: saya bacakan ya bu mohon dicatat tiga satu empat kosong dua dua delapan sembilan satu tujuh enam lima empat tiga kosong dua satu satu sembilan delapan
C: tiga satu empat kosong dua dua delapan sembilan satu tujuh enam lima empat tiga kosong dua satu satu sembilan delapan
A: betul bu silakan dimasukkan ke meteran
C: sebentar mbak hmm oke udah masuk mbak kwh nya nambah
A: baik bu sudah berhasil ya
C: iya mbak
A: baik ibu ratna apakah masih ada yang bisa kami bantu lagi
C: nggak ada mbak itu aja
A: baik bu untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya mbak
A: agar semua makin mudah ayo download aplikasi new pln mobile di
C: iya
A: play store atau apps store ya bu
C: oke
A: terima kasih telah menghubungi pln 123 selamat siang ibu ratna
C: makasih mbak terima kasih ya
''')

call(key='V2', file='pln123_0202.vtt', fmt='vtt_prefix', labels=('Agent','Customer'), t0=1.1,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan andi ada yang bisa dibantu
C: pagi mas saya nggak bisa masuk ke aplikasi pln mobile lupa password
A: baik mohon maaf dengan ibu siapa saya bicara
C: fitri mas fitri handayani
A: baik ibu fitri akun pln mobile nya didaftarkan pakai email atau nomor hp bu
C: pakai email mas fitri handayani delapan tujuh di gmail
A: baik bu di halaman login ada menu lupa kata sandi bu silakan ditekan
C: ee udah mas tapi emailnya nggak masuk masuk
A: baik bu boleh dicek di folder spam atau promosi bu
C: sebentar hmm oh iya ada mas di spam
A: baik bu silakan dibuka dan ikuti tautannya untuk membuat kata sandi baru
C: oke udah mas udah ganti
A: silakan dicoba login kembali bu
C: udah bisa mas makasih
A: baik bu sudah berhasil ya apakah ada lagi yang bisa kami bantu
C: nggak mas
A: baik bu agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: lho saya kan udah punya mas
A: oh iya bu terima kasih telah menghubungi pln 123 selamat pagi ibu fitri
C: iya mas
''')

call(key='V3', file='pln123_0203.vtt', fmt='vtt_v', labels=('Operator','Penelepon'), t0=1.0,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan dewi ada yang bisa dibantu
C: pagi mbak ini internet aikon di kantor saya mati total dari semalam
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: hasan mbak hasan basri
A: baik pak hasan ee sebelumnya apakah listrik di lokasi menyala pak
C: listrik nyala mbak cuma internetnya aja yang mati
A: baik pak mohon maaf sebelumnya bapak hasan menggunakan produk elektrinet atau iconnet saat ini
C: ee yang elektrik net mbak yang paket bisnis sama listriknya itu
A: baik pak untuk elektrinet ya
C: iya betul
A: baik bapak hasan mohon maaf saat ini bapak terhubung dengan kontak center pln 123 ketenagalistrikan
C: oh iya
A: untuk informasi elektrinet bapak akan kami sambungkan ke contact center pln icon plus satu lima kosong kosong kosong tujuh satu mohon ditunggu ya pak
C: nanti di sana saya sebut sid nya ya mbak
A: betul pak mohon disiapkan nomor sid nya
C: oke mbak baik
A: baik pak saya sambungkan sekarang
''')

call(key='V4', file='pln123_0204.vtt', fmt='vtt_v', labels=('CSO','Pelanggan'), t0=1.3,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan hendra ada yang bisa dibantu
C: sore mas saya mau nanya pasang baru saya kok belum dipasang pasang
A: baik mohon maaf dengan bapak siapa saya bicara
C: joko mas joko prasetyo
A: baik pak joko boleh dibantu nomor registrasi atau nomor agendanya pak
C: ee nomor agendanya lima tiga dua satu kosong empat dua empat kosong tiga satu lima
A: baik saya cek dulu pak mohon ditunggu
C: iya mas
A: terima kasih sudah menunggu pak untuk permohonan pasang baru atas nama joko prasetyo daya seribu tiga ratus va sudah lunas dan saat ini dalam tahap ee penjadwalan pemasangan pak
C: kira kira kapan mas soalnya udah seminggu
A: mohon maaf pak untuk itu kami buatkan percepatan ya pak ke unit layanan setempat nanti petugas menghubungi bapak
C: oke mas tolong ya
A: baik pak nomor laporannya g dua dua tiga tiga kosong satu pak
C: g dua dua tiga tiga kosong satu oke
A: baik apakah ada lagi yang bisa dibantu pak
C: udah itu aja mas
A: baik pak agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: iya
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami ya pak
C: iya mas
A: terima kasih telah menghubungi pln 123 selamat sore bapak joko
C: sore mas
''')

call(key='V5', file='pln123_0205.vtt', fmt='vtt_prefix', labels=('CSO','PELANGGAN'), t0=0.7,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan melati ada yang bisa dibantu
C: siang mbak ini wifi icon net saya nggak bisa konek
A: baik mohon maaf atas ketidaknyamanannya dengan ibu siapa
C: lestari mbak
A: baik ibu lestari sudah dicoba restart modemnya bu
C: udah mbak dua kali tetep aja lampunya los merah
A: baik bu mohon maaf sebelumnya ibu lestari menggunakan produk elektrinet atau iconnet saat ini
C: yang icon net mbak yang rumahan
A: baik bu iconnet ya
C: iya
A: baik bu mohon maaf saat ini ibu terhubung dengan contact center pln 123 ketenagalistrikan untuk informasi iconnet ibu akan kami sambungkan ke kontak center pln icon net satu lima nol enam tujuh delapan ya bu
C: oh oke mbak nomornya berapa tadi mbak
A: satu lima nol enam tujuh delapan bu
C: oke
A: baik langsung saya sambungkan ya bu
C: iya
''')

# ---------------- SRT ----------------
call(key='S1', file='pln123_0301.srt', fmt='srt', labels=('CSO','PELANGGAN'), t0=1.4,
script='''
A: slamat siang terima kasih telah menghubungi pln seratus dua puluh tiga dengan yoga ada yang bisa dibantu
C: siang mas saya mau bayar tagihan listrik tapi kok di bank katanya tagihannya belum ada
A: baik mohon maaf dengan ibu siapa saya bicara
C: ibu sri mas sri mulyani
A: baik ibu sri boleh disebutkan id pelanggannya bu
C: ee lima satu tiga kosong satu dua dua tiga tiga empat empat lima
A: baik bu mohon ditunggu saya cek
C: iya
A: emm terima kasih sudah menunggu bu untuk tagihan bulan ini memang belum terbit bu karena ee proses pembacaan meter di wilayah ibu baru selesai kemarin
C: oh jadi kapan bisa dibayar mas
A: paling lambat lusa sudah bisa dibayar bu dan batas pembayarannya tanggal dua puluh bu jadi tidak kena denda
C: oh gitu oke deh mas
A: iya bu
C: eh mas kalau bayarnya telat sehari dendanya berapa
A: dendanya sesuai golongan tarif bu untuk rumah tangga tiga ribu rupiah
C: oh oke
A: baik bu apakah ada lagi yang bisa dibantu
C: udah mas
A: baik bu eh untuk mewujudkan pln terbaik mohon tidak memberi tambahan biaya ke petugas kami
C: iya
A: agar semua makin mudah ayo donlot aplikasi niu pln mobail di plays tor atau aps tor
C: oke mas
A: trima kasih telah menghubungi pe el en seratus dua puluh tiga slamat sore ibu sri
C: iya mas makasih
''')

call(key='S2', file='pln123_0302.srt', fmt='srt', labels=('CSO','PELANGGAN'), t0=0.6,
script='''
A: selamat malam terima kasih telah menghubungi pln 123 dengan fajar ada yang bisa dibantu
C: malam mas listrik di komplek saya mati semua dari jam tujuh
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: teguh mas
A: baik pak teguh boleh disebutkan alamatnya pak
C: perumahan bumi indah blok f kecamatan ee cibinong
A: baik pak mohon ditunggu saya cek
C: iya
A: terima kasih sudah menunggu pak saat ini memang sedang terjadi gangguan meluas akibat cuaca buruk dan pohon tumbang di beberapa penyulang di wilayah cibinong pak
C: waduh terus kapan nyala mas
A: petugas kami sedang melakukan perbaikan di lapangan pak untuk estimasinya kami belum bisa pastikan mohon maaf ya pak
C: hmm ya udah deh mas
A: laporan bapak sudah kami gabungkan dengan laporan gangguan di wilayah tersebut nomornya g sembilan sembilan satu dua kosong tiga pak
C: oke
A: baik apakah ada lagi yang bisa dibantu pak
C: nggak mas
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store pak
C: oke
A: terima kasih telah menghubungi pln 123 selamat malam bapak teguh
C: iya mas
''')

call(key='S3', file='pln123_0303.srt', fmt='srt', labels=('AGENT','CUSTOMER'), t0=1.0,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan sari ada yang bisa dibantu
C: pagi mbak ini wifi icon saya lemot banget dari kemarin
A: baik mohon maaf dengan bapak siapa saya bicara
C: yohanes mbak
A: baik pak yohanes untuk gangguan internet icon bapak bisa menghubungi satu lima nol enam tujuh delapan ya pak
C: lho nggak bisa di sini mbak
A: ee mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini
C: iconnet mbak yang di rumah
A: baik pak kalau iconnet silakan hubungi kontak center pln iconnet di satu lima nol enam tujuh delapan ya pak bisa lewat telepon atau whatsapp
C: satu lima nol enam tujuh delapan ya oke
A: betul pak
C: ya udah mbak nanti saya telepon ke sana
A: baik pak apakah ada lagi yang bisa dibantu
C: nggak mbak
A: baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat pagi bapak yohanes
C: pagi
''')

call(key='S4', file='pln123_0304.srt', fmt='srt', labels=('CSO','PELANGGAN'), t0=1.1,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan nurul ada yang bisa dibantu
C: siang mbak saya mau tanya besok katanya ada pemadaman ya di daerah saya
A: baik dengan ibu siapa saya bicara
C: nur aini mbak
A: baik ibu nur boleh disebutkan id pelanggan atau alamatnya bu
C: id nya lima tiga dua dua kosong satu satu dua dua tiga tiga empat
A: baik bu mohon ditunggu saya cek
C: iya
A: baik bu memang ada pemeliharaan jaringan terencana besok tanggal dua puluh tujuh mulai jam sembilan sampai jam dua belas siang bu
C: oh lama juga ya tiga jam
A: iya bu untuk peningkatan keandalan jaringan mohon maaf atas ketidaknyamanannya
C: oke deh mbak
A: baik bu ada lagi yang bisa kami bantu
C: nggak itu aja
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: baik
A: terima kasih telah menghubungi pln 123 selamat siang
C: siang mbak
''')

# ---------------- Whisper ----------------
call(key='W1', file='pln123_0401.json', fmt='whisper', agent_label='SPEAKER_01', t0=0.4,
script='''
C: halo
A: selamat malam terima kasih telah menghubungi pln 123 dengan rina ada yang bisa dibantu
C: malam mbak saya mau pasang listrik baru buat rumah kontrakan
A: baik dengan bapak siapa saya berbicara
C: budi mbak budi hartono
A: baik pak budhi untuk pasang baru dayanya rencana berapa va pak
C: ee sembilan ratus aja mbak
A: baik pak boleh disebutkan nik sesuai ktp pak
C: tiga dua tujuh tiga kosong satu satu dua tiga empat lima enam tujuh delapan sembilan kosong
A: baik pak alamat lokasi pemasangannya di mana pak
C: jalan kenanga gang tiga nomor sepuluh bandung
A: baik pak ee apakah di lokasi sudah ada instalasi dan slo nya pak
C: instalasi udah mbak slo belum
A: baik pak untuk slo bisa diurus melalui lembaga inspeksi teknik ya pak setelah itu permohonan bisa kami proses
C: oh gitu oke mbak nanti saya urus dulu
A: baik pak permohonannya kami simpan dulu dengan nomor registrasi satu dua kosong kosong tiga empat lima pak
C: oke mbak
A: baik apakah ada lagi yang bisa dibantu pak
C: udah mbak
A: baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat malam pak budhi
C: malam
''')

call(key='W2', file='pln123_0402.json', fmt='whisper', agent_label='SPEAKER_00', t0=0.3,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan yoga ada yang bisa dibantu
C: pagi mas saya beli token lewat aplikasi pln mobile tadi subuh saldo saya udah kepotong tapi tokennya nggak muncul
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: eko mas eko saputra
A: baik pak eko boleh disebutkan nomor meternya pak
C: satu satu kosong dua tiga empat lima enam tujuh delapan sembilan satu
A: baik pak pembeliannya nominal berapa pak
C: lima puluh ribu mas pakai e wallet
A: baik ditunggu sebentar ya pak saya cek transaksinya
C: iya
A: terima kasih sudah menunggu pak transaksi bapak sudah berhasil dan tokennya sudah terbit pak hanya notifikasinya belum masuk ke aplikasi saya bacakan ya pak
C: iya mas
A: dua dua satu kosong tujuh tujuh delapan tiga satu satu kosong kosong sembilan enam empat lima lima dua satu tiga
C: oke udah saya catat mas nanti saya masukin
A: baik pak nanti di aplikasi juga bisa dicek di menu riwayat ya pak
C: oke
A: apakah ada lagi yang bisa dibantu pak
C: nggak mas
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: segera update aplikasi new pln mobile versi terbaru untuk mendapatkan peningkatan layanan dan ajak orang terdekat untuk download aplikasinya
C: oke mas
A: terima kasih telah menghubungi pln 123 selamat pagi bapak eko
C: iya pagi
''')

call(key='W3', file='pln123_0403.json', fmt='whisper', agent_label='SPEAKER_01', t0=0.5,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan dewi ada yang bisa dibantu
C: siang mbak saya mau tanya tarif listrik per kwh sekarang berapa ya buat yang sembilan ratus
A: baik dengan ibu siapa saya bicara
C: maria mbak maria ulfa
A: baik ibu maria untuk daya sembilan ratus va itu yang subsidi atau yang rumah tangga mampu bu
C: hmm yang nggak subsidi mbak
A: baik bu untuk sembilan ratus va rumah tangga mampu tarifnya seribu tiga ratus lima puluh dua rupiah per kwh bu
C: kalau yang seribu tiga ratus
A: untuk seribu tiga ratus va tarifnya seribu empat ratus empat puluh empat koma tujuh puluh rupiah per kwh bu
C: oh beda dikit ya
A: betul bu
C: ee kalau naik daya ke seribu tiga ratus biayanya berapa mbak
A: untuk biaya tambah daya nanti dihitung sesuai selisih daya ya bu rinciannya bisa kami kirimkan kalau ibu jadi mengajukan
C: oke nanti dulu deh mbak
A: baik bu apakah ada hal lain yang bisa kami bantu
C: nggak mbak makasih
A: baik bu untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: iya mbak
A: terima kasih telah menghubungi pln 123 selamat siang ibu maria
C: siang
''')

call(key='W4', file='pln123_0404.json', fmt='whisper', agent_label='SPEAKER_01', t0=0.6,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan hendra ada yang bisa dibantu
C: sore mas internet icon net saya mati dari siang
A: baik mohon maaf dengan bapak siapa saya bicara
C: rudy mas
A: baik pak rudy untuk layanan internet iconnet bapak bisa menghubungi contact center pln iconnet di satu lima nol enam tujuh delapan ya pak
C: oh bukan di sini ya mas
A: betul pak pln 123 khusus untuk layanan kelistrikan pak
C: nomornya tadi berapa mas
A: satu lima nol enam tujuh delapan pak
C: satu lima nol enam tujuh delapan oke
A: betul pak
C: listrik saya aman kok mas cuma internetnya aja
A: baik pak apakah ada lagi yang bisa dibantu
C: nggak mas itu aja
A: baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat sore bapak rudy
C: sore mas
''')

call(key='W5', file='pln123_0405.json', fmt='whisperx', agent_label='SPEAKER_00', t0=0.2,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan sari ada yang bisa dibantu
C: pagi mbak saya mau tanya tagihan saya bulan ini berapa ya
A: baik dengan ibu siapa saya bicara
C: siti aminah mbak
A: baik ibu siti boleh disebutkan id pelanggannya bu
C: ee lima tiga dua satu satu satu dua dua tiga tiga empat empat
A: baik bu mohon ditunggu
C: iya
A: terima kasih sudah menunggu bu tagihan bulan april sebesar tiga ratus dua puluh lima ribu empat ratus rupiah bu
C: oh oke mbak terus biasanya saya harus telepon gini terus ya kalau mau tau
A: ee sebenarnya ibu bisa cek sendiri lewat aplikasi new pln mobile bu download saja di play store nanti tagihan muncul di sana
C: oh gitu ya nanti saya coba deh
A: iya bu atau bisa juga dicek di bank dan minimarket saat bayar
C: oke mbak
A: baik bu apakah ada lagi yang bisa dibantu
C: nggak mbak
A: baik bu untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya mbak
A: terima kasih telah menghubungi pln 123 selamat pagi ibu siti
C: pagi
''')

call(key='W6', file='rekaman_x7f3.json', fmt='whisper', agent_label='SPEAKER_01', t0=0.7,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan fajar ada yang bisa dibantu
C: sore mas ini listrik di rumah separuh mati separuh nyala
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: pak darto mas
A: baik pak darto lampu yang mati di bagian mana saja pak
C: dapur sama kamar belakang mas yang depan nyala
A: baik pak apakah di rumah ada mcb atau sekring lebih dari satu pak
C: ee ada dua mas di dalam rumah
A: boleh dicek pak salah satunya turun atau tidak
C: sebentar mas hmm nggak mas naik semua
A: baik pak kemungkinan ada gangguan satu fasa kami buatkan laporan ya pak petugas akan datang ke lokasi
C: oke mas
A: nomor laporannya g lima lima kosong satu dua tiga pak
C: g lima lima kosong satu dua tiga oke
A: baik apakah ada lagi yang bisa kami bantu pak
C: nggak mas
A: baik pak ee untuk mewujudkan pln terbaik ya pak
C: oh iya iya tidak kasih biaya ke petugas ya mas saya udah tau
A: hehe betul pak agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat sore pak darto
C: iya mas
''')

# ---------------- AWS ----------------
call(key='A1', file='pln123_0501.json', fmt='aws', t0=0.9,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan nurul ada yang bisa dibantu
C: siang mbak saya mau daftar di aplikasi new pln mobile tapi kode otp nya nggak masuk masuk
A: baik mohon maaf atas ketidaknyamanannya dengan ibu siapa saya bicara
C: dian mbak dian permata
A: baik ibu dian nomor hp yang didaftarkan berapa bu
C: kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan kosong
A: baik bu saya ulangi kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan kosong betul
C: betul mbak
A: baik bu apakah aplikasinya sudah versi terbaru bu
C: hmm nggak tau mbak kayaknya belum saya update
A: baik bu silakan diupdate dulu di play store lalu pilih kirim ulang kode otp dan pastikan sinyal stabil ya bu
C: sebentar ya mbak ee udah diupdate oh udah masuk mbak kodenya
A: baik bu silakan dimasukkan kodenya
C: udah bisa mbak makasih
A: baik bu sama sama apakah ada lagi yang bisa kami bantu
C: udah mbak itu aja
A: baik bu segera update aplikasi new pln mobile versi terbaru untuk mendapatkan peningkatan layanan
C: iya
A: dan ajak orang terdekat untuk download aplikasinya ya bu
C: oke mbak
A: terima kasih telah menghubungi pln 123 selamat siang ibu dian
C: siang mbak
''')

call(key='A2', file='pln123_0502.json', fmt='aws', t0=1.2,
script='''
A: selamat malam terima kasih telah menghubungi pln 123 dengan andi ada yang bisa dibantu
C: malam mas listrik di kampung saya mati semua ini gelap
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: ahmad fauzi mas
A: baik pak ahmad boleh disebutkan alamatnya pak
C: desa sukamulya kecamatan ee cikarang utara
A: baik pak mohon ditunggu saya cek
C: iya
A: terima kasih sudah menunggu pak saat ini sedang ada gangguan pada jaringan transmisi yang menyebabkan padam di sebagian wilayah bekasi pak
C: waduh lama nggak mas
A: petugas sedang melakukan pemulihan bertahap pak mohon maaf atas ketidaknyamanannya
C: iya deh mas
A: laporan bapak sudah kami catat pak nomornya g tiga tiga kosong kosong satu dua pak
C: oke
A: baik ada lagi yang bisa kami bantu pak
C: nggak mas
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store pak
C: iya
A: terima kasih telah menghubungi pln 123 selamat malam bapak ahmad
C: malam
''')

call(key='A3', file='pln123_0503.json', fmt='aws', t0=0.8,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan hendra ada yang bisa dibantu
C: pagi mas ini internet iconnet di rumah saya gangguan dari kemarin malam
A: baik mohon maaf atas ketidaknyamanannya dengan ibu siapa saya bicara
C: putri mas putri amelia
A: baik ibu putri lampu indikator di modemnya bagaimana bu
C: lampu los nya merah mas
A: baik bu sudah dicoba dimatikan dan dinyalakan kembali modemnya
C: udah mas tetep sama
A: baik bu id pelanggan internetnya ada bu
C: ada mas nanti saya sebut aja
A: baik ibu putri mohon maaf saat ini ibu terhubung dengan contact center pln 123 ketenagalistrikan
C: iya
A: untuk informasi iconnet ibu akan kami sambungkan ke contact center pln iconnet satu lima kosong enam tujuh delapan mohon ditunggu ya bu
C: oh oke mas
A: baik bu saya sambungkan
C: iya mas makasih
''')

call(key='A4', file='pln123_0504.json', fmt='aws', t0=1.0,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan yoga ada yang bisa dibantu
C: sore mas saya punya toko bangunan internet icon di toko mati dari tadi siang
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: gunawan mas
A: baik pak gunawan mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini
C: elektrinet mas yang paketan sama listrik bisnis dulu ditawarin sales
A: baik pak
C: bisa dicek nggak mas dari sini
A: mohon maaf pak dari pln 123 tidak bisa melakukan pengecekan jaringan internetnya
C: oh gitu terus gimana
A: baik bapak gunawan mohon maaf saat ini bapak terhubung dengan contact center pln 123 ketenagalistrikan untuk informasi gangguan internetnya bapak akan kami sambungkan ke contact center pln iconnet satu lima nol enam tujuh delapan mohon ditunggu ya pak
C: iya mas nomor sid nya perlu nggak
A: nanti disampaikan di sana ya pak
C: oke
A: baik saya sambungkan pak
C: iya
''')

call(key='A5', file='pln123_0505.json', fmt='aws', t0=0.6,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan dewi ada yang bisa dibantu
C: sore mbak ini listrik di rumah saya mati tapi tetangga nyala
A: baik mohon maaf atas ketidaknyamanannya dengan ibu siapa saya bicara
C: yuliana mbak ee sebenarnya saya udah pakai aplikasi pln mobile cuma lagi di jalan jadi telepon aja
A: baik ibu yuliana tidak apa apa bu boleh disebutkan id pelanggannya
C: lima tiga satu satu dua dua tiga tiga empat empat lima lima
A: baik bu apakah mcb di kwh meter posisinya turun bu
C: kata anak saya turun terus nggak bisa dinaikin
A: baik bu kemungkinan ada korsleting di instalasi rumah ya bu kami buatkan laporan dan petugas akan datang untuk pengecekan
C: oke mbak
A: nomor laporannya g delapan delapan dua satu kosong empat bu
C: oke
A: baik bu apakah ada lagi yang bisa dibantu
C: nggak mbak
A: baik bu untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: segera update aplikasi new pln mobile versi terbaru untuk mendapatkan peningkatan layanan dan ajak orang terdekat untuk download aplikasinya
C: siap mbak
A: terima kasih telah menghubungi pln 123 selamat sore ibu yuliana
C: iya mbak
''')

# ---------------- CSV table ----------------
call(key='C1', call_id='PLN-C-0601', file='utterances_batch7.csv', fmt='csv', labels=('CSO','PELANGGAN'), t0=0.5,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan melati ada yang bisa dibantu
C: pagi mbak listrik saya diputus kemarin karena telat bayar sekarang udah saya bayar tapi belum nyala
A: baik mohon maaf dengan bapak siapa saya bicara
C: bayu nugroho mbak
A: baik pak bayu boleh disebutkan id pelanggannya pak
C: lima dua satu satu kosong kosong tiga tiga empat empat lima enam
A: baik pak mohon ditunggu saya cek pembayarannya
C: iya
A: terima kasih sudah menunggu pak pembayaran tagihan dan biaya penyambungan sudah kami terima jam tujuh pagi tadi pak
C: terus kapan disambung mbak
A: kami buatkan permintaan penyambungan ya pak petugas akan datang hari ini paling lambat ee sore pak
C: oke mbak
A: nomor laporannya g empat kosong kosong tujuh tujuh satu pak
C: g empat kosong kosong tujuh tujuh satu oke
A: baik apakah ada lagi yang bisa dibantu pak
C: nggak mbak
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami pak
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke mbak
A: terima kasih telah menghubungi pln 123 selamat pagi bapak bayu
C: pagi
''')

call(key='C2', call_id='PLN-C-0602', file='utterances_batch7.csv', fmt='csv', labels=('CSO','PELANGGAN'), t0=0.4,
script='''
A: selamat pagi terima kasih telah menghubungi pln 123 dengan fajar ada yang bisa dibantu
C: pagi mas ini di depan rumah saya ada pohon mangga yang dahannya nyentuh kabel listrik
A: baik dengan ibu siapa saya bicara
C: marlina mas
A: baik ibu marlina apakah kabelnya sampai putus atau ada percikan api bu
C: belum putus sih mas tapi kalau angin goyang goyang ngeri
A: baik bu boleh disebutkan alamat lengkapnya bu
C: jalan mawar dua nomor delapan belas rt satu rw empat kelurahan tegalsari
A: baik bu kami buatkan laporan untuk perabasan pohon ya bu nanti petugas akan datang
C: oke mas perlu bayar nggak
A: tidak dipungut biaya bu
C: oh oke
A: nomor laporannya g enam enam tujuh dua satu kosong bu
C: g enam enam tujuh dua satu kosong
A: betul bu apakah ada lagi yang bisa dibantu
C: udah mas
A: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya mas
A: terima kasih telah menghubungi pln 123 selamat siang ibu marlina
C: siang mas
''')

call(key='C3', call_id='PLN-C-0603', file='utterances_batch7.csv', fmt='csv', labels=('CSO','PELANGGAN'), t0=0.9,
script='''
A: selamat siang terima kasih telah menghubungi pln 123 dengan sari ada yang bisa dibantu
C: siang mbak internet icon di hotel saya mati semua tamu pada komplain
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: wahyu mbak
A: baik pak wahyu mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini
C: elektrinet mbak
A: baik pak boleh disebutkan alamat hotelnya pak
C: jalan raya kuta nomor empat lima badung
A: baik pak keluhan bapak kami catat dan kami buatkan laporan ya pak
C: terus kapan bisa normal mbak
A: mohon maaf pak untuk estimasinya nanti akan diinformasikan oleh petugas
C: hmm ya udah
A: nomor laporannya g satu satu dua dua tiga tiga pak
C: oke
A: baik pak ada lagi yang bisa dibantu
C: nggak
A: baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
C: iya
A: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: ya
A: terima kasih telah menghubungi pln 123 selamat siang bapak wahyu
C: siang
''')

call(key='C4', call_id='PLN-C-0604', file='utterances_batch7.csv', fmt='csv', labels=('CSO','PELANGGAN'), t0=0.7,
script='''
A: selamat sore terima kasih telah menghubungi pln 123 dengan hendra ada yang bisa dibantu
C: sore mas listrik di perumahan saya mati semua ini banjir
A: baik mohon maaf atas ketidaknyamanannya dengan bapak siapa saya bicara
C: taufik mas taufik hidayat
A: baik pak taufik boleh disebutkan alamatnya
C: perumahan pondok hijau blok a kelurahan jatiasih
A: baik pak mohon ditunggu saya cek
C: iya
A: terima kasih sudah menunggu pak saat ini sedang terjadi kejadian luar biasa banjir di wilayah bekasi sehingga dilakukan pemadaman meluas demi keamanan pak
C: oh gitu mas sampai kapan
A: listrik akan dinyalakan setelah air surut dan instalasi dinyatakan aman pak mohon maaf atas ketidaknyamanannya
C: iya mas ngerti
A: baik pak ada lagi yang bisa kami bantu
C: nggak mas
A: baik pak agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
C: oke
A: terima kasih telah menghubungi pln 123 selamat sore bapak taufik
C: sore mas makasih
''')
