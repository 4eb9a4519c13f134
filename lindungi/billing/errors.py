"""Stable error codes of billing and budgets, with the Indonesian text people read."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class BillingError(ErrorCode):
    AMOUNT_INVALID = "BILLING_AMOUNT_INVALID", _("“{arg}” harus bilangan bulat positif.")
    PERIOD_INVALID = (
        "BILLING_PERIOD_INVALID",
        _("Bulan “{arg}” tidak valid. Gunakan format tahun-bulan, mis. 2026-01."),
    )
    PERIOD_OUTSIDE = (
        "BILLING_PERIOD_OUTSIDE",
        _("Bulan {arg} di luar periode program; tidak ada iuran yang ditagih."),
    )
    PERIOD_AHEAD = (
        "BILLING_PERIOD_AHEAD",
        _("Bulan {arg} belum dapat ditagih: paling jauh bulan depan."),
    )
    NO_RATE = (
        "BILLING_NO_RATE",
        _("Tidak ada tarif iuran {arg} yang berlaku pada bulan ini. Lengkapi tabel tarif."),
    )
    NO_FUNDER = (
        "BILLING_NO_FUNDER",
        _("Program ini belum mempunyai penyandang dana; tagihan tidak dapat dibagi."),
    )
    RUN_REVERSED = "BILLING_RUN_REVERSED", _("Penagihan ini sudah dibatalkan.")
    RUN_PAID = (
        "BILLING_RUN_PAID",
        _(
            "Penagihan ini sudah menerima pembayaran sehingga tidak dapat dibatalkan. "
            "Batalkan pembayarannya lebih dulu."
        ),
    )
    FUNDER_INVALID = (
        "BILLING_FUNDER_INVALID",
        _("Penyandang dana ini bukan penyandang dana program tersebut."),
    )
    DATE_INVALID = (
        "BILLING_DATE_INVALID",
        _("Tanggal “{arg}” tidak valid. Gunakan format tanggal, mis. 2026-01-31."),
    )
    DATE_FUTURE = "BILLING_DATE_FUTURE", _("Tanggal bayar tidak boleh di masa depan.")
    PAYMENT_MONTHS = (
        "BILLING_PAYMENT_MONTHS",
        _("Pembayaran dicatat untuk 1, 3, 6 atau 12 bulan."),
    )
    REFERENCE_REQUIRED = (
        "BILLING_REFERENCE_REQUIRED",
        _("Isi nomor bukti bayar (SP2D atau referensi transfer)."),
    )
    PAYMENT_DUPLICATE = (
        "BILLING_PAYMENT_DUPLICATE",
        _("Pembayaran dengan nomor bukti “{arg}” sudah dicatat untuk penyandang dana ini."),
    )
    PAYMENT_VOID = "BILLING_PAYMENT_VOID", _("Pembayaran ini sudah dibatalkan.")
    EVIDENCE_TOO_LARGE = (
        "BILLING_EVIDENCE_TOO_LARGE",
        _("Berkas bukti bayar {size} MB melebihi batas {limit} MB."),
    )
    EVIDENCE_TYPE = (
        "BILLING_EVIDENCE_TYPE",
        _("Bukti bayar harus berkas PDF, JPG atau PNG."),
    )
    BUDGET_KIND = "BILLING_BUDGET_KIND", _("Jenis anggaran “{arg}” tidak dikenal.")
    BUDGET_ORIGINAL_EXISTS = (
        "BILLING_BUDGET_ORIGINAL_EXISTS",
        _(
            "Anggaran murni penyandang dana ini sudah dicatat. Catat perubahan (APBD-P) "
            "sebagai baris baru; angka lama tetap tersimpan."
        ),
    )
    LEGAL_BASIS_REQUIRED = (
        "BILLING_LEGAL_BASIS_REQUIRED",
        _("Isi dasar hukum anggaran (mis. Perda APBD-P 2026 atau nomor DPA)."),
    )
    NOTE_REQUIRED = "BILLING_NOTE_REQUIRED", _("Tuliskan alasannya.")
    STATEMENT_COLUMNS = (
        "BILLING_STATEMENT_COLUMNS",
        _(
            "Berkas tagihan BPJS tidak mempunyai kolom NIK atau KPJ dan kolom iuran. "
            "Pastikan baris judul memuat “NIK”/“KPJ” dan “IURAN”/“JUMLAH IURAN”."
        ),
    )
    STATEMENT_NOT_BILLED = (
        "BILLING_STATEMENT_NOT_BILLED",
        _("Bulan {arg} belum ditagihkan di Lindungi; jalankan penagihan bulan itu lebih dulu."),
    )
    ROW_NIK_NUMBER = (
        "BILLING_ROW_NIK_NUMBER",
        _("NIK tersimpan sebagai angka Excel sehingga digit terakhir hilang."),
    )
    ROW_AMOUNT = "BILLING_ROW_AMOUNT", _("Jumlah iuran “{arg}” bukan angka rupiah.")
    ROW_UNKNOWN = "BILLING_ROW_UNKNOWN", _("NIK/KPJ “{arg}” bukan peserta program ini.")
    ROW_DUPLICATE = "BILLING_ROW_DUPLICATE", _("Peserta yang sama sudah ada di baris {arg}.")
