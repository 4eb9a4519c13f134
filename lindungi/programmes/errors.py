"""Stable error codes of programmes and reference data, with the Indonesian text people read."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode, FieldErrors


class ProgrammeError(ErrorCode):
    NAME_REQUIRED = "PROGRAMME_NAME_REQUIRED", _("Nama program wajib diisi.")
    FUNDER_INVALID = "PROGRAMME_FUNDER_INVALID", _("Sumber dana “{arg}” tidak dikenal.")
    FUNDER_IN_USE = (
        "PROGRAMME_FUNDER_IN_USE",
        _(
            "Penyandang dana “{arg}” sudah mempunyai tagihan, pembayaran atau anggaran; "
            "ia tidak dapat dihapus. Ubah porsinya saja."
        ),
    )
    FUNDER_NAME_REQUIRED = (
        "PROGRAMME_FUNDER_NAME_REQUIRED",
        _("Nama pemberi dana wajib diisi (mis. Pemkab Kutai Kartanegara)."),
    )
    LEGAL_BASIS_REQUIRED = (
        "PROGRAMME_LEGAL_BASIS_REQUIRED",
        _("Dasar hukum wajib diisi (nomor Perda/Perbup/PKS)."),
    )
    REGION_LEVEL = (
        "PROGRAMME_REGION_LEVEL",
        _("Program dijalankan oleh kabupaten/kota atau provinsi."),
    )
    REGION_OUT_OF_SCOPE = (
        "PROGRAMME_REGION_OUT_OF_SCOPE",
        _("Wilayah {arg} berada di luar wilayah kewenangan Anda."),
    )
    NUMBER_INVALID = "PROGRAMME_NUMBER_INVALID", _("“{arg}” bukan bilangan bulat.")
    AMOUNT_INVALID = "PROGRAMME_AMOUNT_INVALID", _("Nilai rupiah {arg} tidak boleh negatif.")
    BPJS_GROUP_INVALID = (
        "PROGRAMME_BPJS_GROUP_INVALID",
        _("Kode wadah BPJS “{arg}” tidak dikenal (SG, SD, SA, SL, SC atau SB)."),
    )
    YEAR_INVALID = "PROGRAMME_YEAR_INVALID", _("Tahun anggaran {arg} tidak valid.")
    PERIOD_INVALID = (
        "PROGRAMME_PERIOD_INVALID",
        _("Tanggal selesai harus sama dengan atau sesudah tanggal mulai."),
    )
    NO_BENEFIT = "PROGRAMME_NO_BENEFIT", _("Pilih sedikitnya satu manfaat (JKK, JKM atau JHT).")
    AGE_RANGE = (
        "PROGRAMME_AGE_RANGE",
        _("Rentang usia tidak valid: usia minimal 15 tahun dan tidak lebih dari usia maksimal."),
    )
    INCOME_BAND = (
        "PROGRAMME_INCOME_BAND",
        _("Penghasilan dilaporkan paling sedikit Rp1.000.000 (pita terendah BPJS)."),
    )
    OCCUPATION_INVALID = "PROGRAMME_OCCUPATION_INVALID", _("Kode pekerjaan “{arg}” tidak dikenal.")
    TARGETS_REQUIRED = (
        "PROGRAMME_TARGETS_REQUIRED",
        _("Tentukan sedikitnya satu wilayah sasaran."),
    )
    TARGET_OUTSIDE = (
        "PROGRAMME_TARGET_OUTSIDE",
        _("Wilayah sasaran {arg} tidak berada di dalam wilayah program."),
    )
    TARGET_UNKNOWN = "PROGRAMME_TARGET_UNKNOWN", _("Kode wilayah sasaran “{arg}” tidak dikenal.")
    TARGET_NESTED = (
        "PROGRAMME_TARGET_NESTED",
        _("Wilayah sasaran {arg} tumpang tindih (yang satu berada di dalam yang lain)."),
    )
    QUOTA_INVALID = "PROGRAMME_QUOTA_INVALID", _("Kuota “{arg}” harus bilangan bulat positif.")
    SHARES_INVALID = (
        "PROGRAMME_SHARES_INVALID",
        _("Porsi para pemberi dana harus berjumlah 100% (tertulis {arg}%)."),
    )
    SPONSOR_INVALID = (
        "PROGRAMME_SPONSOR_INVALID",
        _("Tidak ada akun donatur aktif bernama “{arg}” di wilayah Anda atau di tingkat nasional."),
    )
    STALE = (
        "PROGRAMME_STALE",
        _("Program ini telah diubah oleh pengguna lain (versi {arg}). Muat ulang lalu ulangi."),
    )
    RULES_LOCKED = (
        "PROGRAMME_RULES_LOCKED",
        _(
            "Periode, manfaat dan pita penghasilan tidak dapat diubah setelah ada kepesertaan "
            "yang dikirim ke BPJS. Buat program lanjutan bila perlu."
        ),
    )
    RENEWAL_START = (
        "PROGRAMME_RENEWAL_START",
        _(
            "Program lanjutan harus mulai tepat sehari sesudah program sebelumnya berakhir "
            "({arg}) agar tidak ada jeda perlindungan."
        ),
    )
    ALREADY_RENEWED = (
        "PROGRAMME_ALREADY_RENEWED",
        _("Program ini sudah mempunyai program lanjutan: {arg}."),
    )


class RateError(ErrorCode):
    INCOME_INVALID = (
        "RATE_INCOME_INVALID",
        _("Penghasilan dilaporkan harus bilangan bulat rupiah yang positif."),
    )
    FUNDER_INVALID = "RATE_FUNDER_INVALID", _("Sumber dana “{arg}” tidak dikenal.")
    BENEFIT_INVALID = "RATE_BENEFIT_INVALID", _("Manfaat “{arg}” tidak dikenal (JKK, JKM, JHT).")
    NO_RATE = (
        "RATE_NOT_IN_FORCE",
        _("Tidak ada tarif iuran {arg} yang berlaku pada tanggal itu."),
    )
    KIND_VALUE = (
        "RATE_KIND_VALUE",
        _("Tarif persentase memerlukan basis poin; tarif tetap memerlukan nominal rupiah."),
    )
    VALID_FROM = (
        "RATE_VALID_FROM",
        _("Versi baru harus berlaku sesudah versi yang berlaku sekarang (mulai {arg})."),
    )
    LEGAL_BASIS_REQUIRED = "RATE_LEGAL_BASIS_REQUIRED", _("Dasar hukum tarif wajib diisi.")


def field_error(field: str, error: ErrorCode, arg: object = "") -> FieldErrors:
    return FieldErrors.single(field, error, arg=arg)


class SimulationError(ErrorCode):
    """The budget simulator's refusals. The codes keep the `BILLING_` prefix they were first
    published with (the simulator moved here from billing)."""

    SIMULATE_INPUT = (
        "BILLING_SIMULATE_INPUT",
        _("Isi salah satu: anggaran (rupiah) atau jumlah pekerja — tidak keduanya."),
    )
    AMOUNT_INVALID = "BILLING_AMOUNT_INVALID", _("“{arg}” harus bilangan bulat positif.")
    MONTHS_INVALID = "BILLING_MONTHS_INVALID", _("Jumlah bulan harus 1 sampai 12.")
