"""Stable error and warning codes of the registry, with the Indonesian text people read.

`{arg}` in a message is filled with the offending value (or the detail) of that row or field.
"""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class RegistryError(ErrorCode):
    # NIK (domain.md §4)
    NIK_REQUIRED = "NIK_REQUIRED", _("NIK wajib diisi.")
    NIK_SCIENTIFIC = (
        "NIK_SCIENTIFIC",
        _(
            "NIK tertulis dalam notasi ilmiah ({arg}) sehingga digit terakhirnya hilang. "
            "Format kolom NIK sebagai Teks di Excel, ketik ulang NIK, lalu unggah lagi."
        ),
    )
    NIK_EXCEL_NUMBER = (
        "NIK_EXCEL_NUMBER",
        _(
            "NIK tersimpan sebagai angka di Excel sehingga digit ke-16 tidak dapat dipercaya. "
            "Format kolom NIK sebagai Teks, ketik ulang NIK, lalu unggah lagi."
        ),
    )
    NIK_NOT_DIGITS = "NIK_NOT_DIGITS", _("NIK hanya boleh berisi angka (tertulis “{arg}”).")
    NIK_LENGTH = "NIK_LENGTH", _("NIK harus 16 digit (tertulis {arg} digit).")
    NIK_PROVINCE = "NIK_PROVINCE", _("Dua digit pertama NIK ({arg}) bukan kode provinsi.")
    NIK_DAY = (
        "NIK_DAY",
        _("Digit 7–8 NIK ({arg}) harus tanggal lahir 01–31, atau 41–71 untuk perempuan."),
    )
    NIK_MONTH = "NIK_MONTH", _("Digit 9–10 NIK ({arg}) harus bulan lahir 01–12.")
    NIK_DATE = "NIK_DATE", _("Tanggal lahir dalam NIK ({arg}) tidak ada di kalender.")
    NIK_SERIAL = "NIK_SERIAL", _("Empat digit terakhir NIK tidak boleh 0000.")
    NIK_DISTRICT_UNKNOWN = (
        "NIK_DISTRICT_UNKNOWN",
        _(
            "Kode kecamatan pada NIK ({arg}) tidak ada dalam data wilayah terbaru. Periksa NIK; "
            "NIK lama memang tidak diubah saat pemekaran wilayah."
        ),
    )
    NIK_BIRTH_DATE_MISMATCH = (
        "NIK_BIRTH_DATE_MISMATCH",
        _("Tanggal lahir tidak sama dengan tanggal lahir dalam NIK ({arg})."),
    )
    NIK_SEX_MISMATCH = (
        "NIK_SEX_MISMATCH",
        _("Jenis kelamin tidak sesuai dengan NIK (NIK perempuan: tanggal lahir ditambah 40)."),
    )
    NIK_TAKEN = "NIK_TAKEN", _("NIK ini sudah terdaftar.")
    NIK_TAKEN_ELSEWHERE = (
        "NIK_TAKEN_ELSEWHERE",
        _("NIK ini sudah terdaftar di wilayah lain. Hubungi admin kabupaten/kota."),
    )
    KK_INVALID = "KK_INVALID", _("Nomor KK harus 16 digit angka (tertulis “{arg}”).")
    # Name and birth
    NAME_REQUIRED = "NAME_REQUIRED", _("Nama lengkap wajib diisi.")
    NAME_TOO_LONG = "NAME_TOO_LONG", _("Nama terlalu panjang (maksimal 150 karakter).")
    NAME_INVALID = (
        "NAME_INVALID",
        _("Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik dan tanda hubung."),
    )
    BIRTH_PLACE_TOO_LONG = "BIRTH_PLACE_TOO_LONG", _("Tempat lahir terlalu panjang (maksimal 100).")
    BIRTH_DATE_REQUIRED = "BIRTH_DATE_REQUIRED", _("Tanggal lahir wajib diisi.")
    BIRTH_DATE_FROM_NIK = (
        "BIRTH_DATE_FROM_NIK",
        _("Tanggal lahir tidak diisi; diambil dari NIK ({arg})."),
    )
    DATE_INVALID = (
        "DATE_INVALID",
        _("Tanggal “{arg}” tidak dikenali. Tulis seperti 12-05-1980 atau 12 Mei 1980."),
    )
    DATE_NOT_EXIST = "DATE_NOT_EXIST", _("Tanggal “{arg}” tidak ada di kalender.")
    DATE_YEAR_2DIGIT = (
        "DATE_YEAR_2DIGIT",
        _("Tahun pada “{arg}” hanya 2 digit. Tulis tahun lengkap, mis. 12-05-1980."),
    )
    DATE_FUTURE = "DATE_FUTURE", _("Tanggal “{arg}” ada di masa depan.")
    DATE_TOO_OLD = "DATE_TOO_OLD", _("Tanggal “{arg}” sebelum tahun 1900.")
    SEX_REQUIRED = "SEX_REQUIRED", _("Jenis kelamin wajib diisi (L atau P).")
    SEX_INVALID = (
        "SEX_INVALID",
        _("Jenis kelamin “{arg}” tidak dikenali. Gunakan L (laki-laki) atau P (perempuan)."),
    )
    SEX_FROM_NIK = "SEX_FROM_NIK", _("Jenis kelamin tidak diisi; diambil dari NIK ({arg}).")
    # Domicile
    VILLAGE_REQUIRED = "VILLAGE_REQUIRED", _("Desa/kelurahan domisili wajib diisi.")
    VILLAGE_NOT_FOUND = "VILLAGE_NOT_FOUND", _("Desa/kelurahan tidak ditemukan: {arg}")
    VILLAGE_AMBIGUOUS = "VILLAGE_AMBIGUOUS", _("Nama desa/kelurahan tidak tunggal: {arg}")
    VILLAGE_OUT_OF_SCOPE = (
        "VILLAGE_OUT_OF_SCOPE",
        _("Desa/kelurahan {arg} berada di luar wilayah kewenangan Anda."),
    )
    ADDRESS_TOO_LONG = "ADDRESS_TOO_LONG", _("Alamat terlalu panjang (maksimal 255 karakter).")
    RT_RW_INVALID = (
        "RT_RW_INVALID",
        _("RT/RW “{arg}” tidak valid. Tulis angka 1–3 digit, mis. 003/005."),
    )
    PHONE_INVALID = (
        "PHONE_INVALID",
        _("Nomor telepon “{arg}” tidak valid. Contoh: 0812-3456-7890 atau +62 812 3456 7890."),
    )
    OCCUPATION_INVALID = "OCCUPATION_INVALID", _("Kode pekerjaan “{arg}” tidak dikenal.")
    INCOME_INVALID = (
        "INCOME_INVALID",
        _("Penghasilan “{arg}” bukan jumlah rupiah yang valid. Contoh: 1.000.000."),
    )
    # Records and workflow
    WORKER_STALE = (
        "WORKER_STALE",
        _(
            "Data pekerja ini telah diubah oleh pengguna lain sejak Anda membukanya "
            "(versi {arg}). Muat ulang lalu ulangi perubahan Anda."
        ),
    )
    VERIFY_OWN_ENTRY = (
        "VERIFY_OWN_ENTRY",
        _("Data yang Anda masukkan atau ubah sendiri harus diverifikasi oleh admin lain."),
    )
    REJECT_REASON_REQUIRED = "REJECT_REASON_REQUIRED", _("Alasan penolakan wajib diisi.")
    WORKER_MERGED = "WORKER_MERGED", _("Data ini telah digabung ke data pekerja lain.")
    EVENT_REASON_REQUIRED = "EVENT_REASON_REQUIRED", _("Alasan/keterangan wajib diisi.")
    EVENT_KIND_INVALID = (
        "EVENT_KIND_INVALID",
        _(
            "Jenis peristiwa “{arg}” tidak dikenal. Gunakan deceased, moved_out, "
            "formal_employee atau withdrawn."
        ),
    )
    EVENT_DATE_FUTURE = "EVENT_DATE_FUTURE", _("Tanggal peristiwa tidak boleh di masa depan.")
    EVENT_BEFORE_BIRTH = (
        "EVENT_BEFORE_BIRTH",
        _("Tanggal peristiwa tidak boleh sebelum tanggal lahir pekerja."),
    )
    WORKER_DECEASED = (
        "WORKER_DECEASED",
        _(
            "Pekerja telah tercatat meninggal dunia pada {arg}; batalkan catatan itu lebih dulu "
            "bila keliru."
        ),
    )
    # A verification note, not an error: a new worker probably is a registered one under another
    # NIK (dedup on upload). The code is lower-case: it was stored so before it was declared here.
    POSSIBLE_DUPLICATE = (
        "possible_duplicate",
        _(
            "Kemungkinan orang yang sama dengan pekerja terdaftar #{other} (kemiripan "
            "{percent}%); tinjau pasangan ini di antrean data ganda sebelum memverifikasi."
        ),
    )
    EVENT_ALREADY_CANCELLED = "EVENT_ALREADY_CANCELLED", _("Peristiwa ini sudah dibatalkan.")
    EVIDENCE_TOO_LARGE = "EVIDENCE_TOO_LARGE", _("Berkas bukti terlalu besar (maksimal 10 MB).")
    EVIDENCE_TYPE = (
        "EVIDENCE_TYPE",
        _("Berkas bukti harus PDF, JPG atau PNG."),
    )
    HEIR_NAME_REQUIRED = "HEIR_NAME_REQUIRED", _("Nama ahli waris wajib diisi.")
    HEIR_RELATIONSHIP_INVALID = (
        "HEIR_RELATIONSHIP_INVALID",
        _("Hubungan ahli waris “{arg}” tidak dikenal."),
    )
    HEIR_IS_WORKER = "HEIR_IS_WORKER", _("Ahli waris tidak boleh pekerja itu sendiri.")
    PERSONAL_DATA_IN_URL = (
        "PERSONAL_DATA_IN_URL",
        _(
            "NIK dan nama tidak boleh dikirim di alamat (URL) karena alamat tercatat di log. "
            "Kirim pencarian dengan POST /api/v1/workers/search, filter di badan permintaan."
        ),
    )
    QUERY_TOO_SHORT = (
        "QUERY_TOO_SHORT",
        _("Ketik sedikitnya 3 huruf nama, atau 4 digit NIK, untuk mencari."),
    )
