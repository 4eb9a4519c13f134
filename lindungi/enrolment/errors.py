"""Stable error codes of enrolment, batches and the BPJS exchange, with Indonesian text.

Codes that name a row of a BPJS return file are also the row-report codes (`{arg}` is filled
with the offending value).
"""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class EnrolmentError(ErrorCode):
    START_REQUIRED = "ENROL_START_REQUIRED", _("Tanggal mulai kepesertaan wajib diisi.")
    START_INVALID = (
        "ENROL_START_INVALID",
        _("Tanggal mulai “{arg}” tidak valid. Gunakan format tanggal, mis. 2026-01-01."),
    )
    START_OUTSIDE = (
        "ENROL_START_OUTSIDE",
        _("Tanggal mulai harus di dalam periode program ({arg})."),
    )
    LIMIT_INVALID = "ENROL_LIMIT_INVALID", _("Jumlah paling banyak harus bilangan bulat positif.")
    VILLAGE_OUTSIDE = (
        "ENROL_VILLAGE_OUTSIDE",
        _("Wilayah {arg} tidak termasuk wilayah sasaran program ini."),
    )
    NOBODY_ELIGIBLE = (
        "ENROL_NOBODY_ELIGIBLE",
        _(
            "Tidak ada pekerja yang memenuhi syarat dengan pilihan ini. Periksa pratinjau "
            "kelayakan: verifikasi, usia, wilayah, kuota, atau kepesertaan yang masih berjalan."
        ),
    )
    BATCH_NOT_DRAFT = (
        "ENROL_BATCH_NOT_DRAFT",
        _("Batch ini sudah dikirim ke BPJS; isinya tidak dapat diubah lagi."),
    )
    BATCH_NOT_SUBMITTED = (
        "ENROL_BATCH_NOT_SUBMITTED",
        _("Kirim batch ke BPJS lebih dulu; jawaban BPJS hanya untuk batch yang sudah dikirim."),
    )
    BATCH_EMPTY = "ENROL_BATCH_EMPTY", _("Batch ini kosong; tidak ada yang dapat dikirim.")
    BATCH_BUSY = (
        "ENROL_BATCH_BUSY",
        _("Berkas jawaban BPJS untuk batch ini sedang diproses. Tunggu sampai selesai."),
    )
    BATCH_DRAFT_EXISTS = (
        "ENROL_BATCH_DRAFT_EXISTS",
        _("Program ini masih mempunyai batch draf (batch {arg}). Kirim atau kosongkan dulu."),
    )
    RENEWAL_NO_PREDECESSOR = (
        "ENROL_RENEWAL_NO_PREDECESSOR",
        _("Batch perpanjangan hanya untuk program lanjutan dari program sebelumnya."),
    )
    NOT_ELIGIBLE = "ENROL_NOT_ELIGIBLE", _("Pekerja ini tidak memenuhi syarat: {arg}")
    WORKER_NOT_FOUND = (
        "ENROL_WORKER_NOT_FOUND",
        _("Pekerja dengan NIK itu tidak ditemukan di wilayah Anda."),
    )
    NOT_IN_BATCH = "ENROL_NOT_IN_BATCH", _("Kepesertaan ini bukan bagian dari batch tersebut.")
    END_NOT_ACTIVE = (
        "ENROL_END_NOT_ACTIVE",
        _("Hanya kepesertaan yang aktif atau menunggu dapat diakhiri (status sekarang: {arg})."),
    )
    END_REASON_INVALID = "ENROL_END_REASON_INVALID", _("Alasan berakhir “{arg}” tidak dikenal.")
    END_DATE_INVALID = (
        "ENROL_END_DATE_INVALID",
        _("Tanggal berakhir harus antara tanggal mulai perlindungan dan hari ini ({arg})."),
    )
    NOTE_REQUIRED = "ENROL_NOTE_REQUIRED", _("Tuliskan keterangan alasannya.")
    FORMAT_INVALID = "ENROL_FORMAT_INVALID", _("Format berkas harus xlsx atau csv.")
    RETURN_NO_HEADER = (
        "ENROL_RETURN_NO_HEADER",
        _(
            "Baris judul kolom tidak ditemukan pada 20 baris pertama berkas jawaban BPJS. "
            "Pastikan ada kolom NIK dan kolom KPJ atau STATUS."
        ),
    )
    RETURN_COLUMNS = (
        "ENROL_RETURN_COLUMNS",
        _("Berkas jawaban BPJS harus mempunyai kolom KPJ atau kolom STATUS."),
    )
    DOUBLE_COVER = (
        "ENROL_DOUBLE_COVER",
        _("Pekerja ini sudah dilindungi untuk manfaat yang sama oleh program “{arg}”."),
    )
    MERGE_DOUBLE_COVER = (
        "ENROL_MERGE_DOUBLE_COVER",
        _(
            "Kedua data sama-sama mempunyai kepesertaan aktif untuk manfaat yang sama. Akhiri "
            "salah satu kepesertaan (alasan: data ganda) sebelum menggabungkan."
        ),
    )


class ReturnRow(ErrorCode):
    """Why a row of a BPJS return file was not applied (row-report codes)."""

    NIK_INVALID = "RETURN_NIK_INVALID", _("NIK “{arg}” tidak valid (harus 16 digit angka).")
    NIK_EXCEL_NUMBER = (
        "RETURN_NIK_EXCEL_NUMBER",
        _(
            "NIK tersimpan sebagai angka di Excel sehingga digit ke-16 tidak dapat dipercaya. "
            "Format kolom NIK sebagai Teks lalu unggah lagi."
        ),
    )
    NOT_IN_BATCH = (
        "RETURN_NOT_IN_BATCH",
        _("NIK {arg} tidak ada dalam batch ini (atau sudah dikeluarkan dari batch)."),
    )
    DUPLICATE_ROW = "RETURN_DUPLICATE_ROW", _("NIK ini sudah ada pada baris {arg} berkas ini.")
    STATUS_UNKNOWN = (
        "RETURN_STATUS_UNKNOWN",
        _("Status “{arg}” tidak dikenali. Gunakan DITERIMA atau DITOLAK."),
    )
    KPJ_MISSING = "RETURN_KPJ_MISSING", _("Peserta diterima tetapi nomor KPJ kosong.")
    KPJ_INVALID = "RETURN_KPJ_INVALID", _("Nomor KPJ “{arg}” tidak valid (8–20 digit angka).")
    KPJ_OTHER_WORKER = (
        "RETURN_KPJ_OTHER_WORKER",
        _("Nomor KPJ {arg} sudah tercatat untuk pekerja lain. Periksa dengan BPJS."),
    )
    DATE_INVALID = "RETURN_DATE_INVALID", _("Tanggal mulai “{arg}” tidak dikenali.")
    CONFLICT = (
        "RETURN_CONFLICT",
        _("Jawaban ini bertentangan dengan jawaban yang sudah tercatat ({arg})."),
    )
