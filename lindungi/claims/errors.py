"""Stable error codes of benefits and claims, with the Indonesian text people read."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class ClaimError(ErrorCode):
    KIND_INVALID = (
        "CLAIM_KIND_INVALID",
        _("Jenis manfaat “{arg}” tidak dikenal. Pilih JKM, JKK_DEATH,"
          " JKK_PERMANENT_TOTAL_DISABILITY atau JKK_TEMPORARY_INCAPACITY."),
    )  # fmt: skip
    DATE_INVALID = "CLAIM_DATE_INVALID", _("Tanggal “{arg}” tidak valid. Gunakan TTTT-BB-HH.")
    DATE_FUTURE = "CLAIM_DATE_FUTURE", _("Tanggal kejadian tidak boleh di masa depan.")
    NUMBER_INVALID = (
        "CLAIM_NUMBER_INVALID",
        _("“{arg}” harus bilangan bulat, nol atau lebih."),
    )
    INCOME_INVALID = (
        "CLAIM_INCOME_INVALID",
        _("Penghasilan dilaporkan harus bilangan bulat rupiah lebih dari nol."),
    )
    NO_TABLE = (
        "CLAIM_NO_BENEFIT_TABLE",
        _("Tidak ada tabel manfaat yang berlaku pada {arg}. Lengkapi tabel manfaat."),
    )
    EDUCATION_INVALID = (
        "CLAIM_EDUCATION_INVALID",
        _("Jenjang pendidikan “{arg}” tidak dikenal. Pilih BELUM_SEKOLAH, TK, SD, SMP, SMA"
          " atau PT."),
    )  # fmt: skip
    CHILD_BIRTH_INVALID = (
        "CLAIM_CHILD_BIRTH_INVALID",
        _("Tanggal lahir anak “{arg}” tidak valid atau di masa depan."),
    )
    CHILDREN_INVALID = "CLAIM_CHILDREN_INVALID", _("Data anak tidak valid: paling banyak 10 anak.")
    DEATH_CASE_EXISTS = (
        "CLAIM_DEATH_CASE_EXISTS",
        _("Pekerja ini sudah mempunyai klaim kematian ({arg}); satu kematian, satu klaim."),
    )
    KIND_CHANGE = (
        "CLAIM_KIND_CHANGE",
        _("Klaim kematian hanya dapat diubah antara JKM dan JKK meninggal; buka klaim baru untuk"
          " {arg}."),
    )  # fmt: skip
    CASE_NOT_EDITABLE = (
        "CLAIM_CASE_NOT_EDITABLE",
        _("Klaim berstatus “{arg}” tidak dapat diubah lagi."),
    )
    HEIR_NOT_NEEDED = (
        "CLAIM_HEIR_NOT_NEEDED",
        _("Klaim ini dibayar kepada pekerja sendiri; ahli waris tidak dipilih."),
    )
    HEIR_INVALID = (
        "CLAIM_HEIR_INVALID",
        _("Pilih ahli waris yang tercatat untuk pekerja ini."),
    )
    HEIR_REASON_REQUIRED = (
        "CLAIM_HEIR_REASON_REQUIRED",
        _("Ada ahli waris dengan urutan lebih tinggi ({arg}). Tuliskan alasan mengapa ahli"
          " waris ini yang menerima."),
    )  # fmt: skip
    HEIR_MISSING = (
        "CLAIM_HEIR_MISSING",
        _("Pilih ahli waris penerima sebelum klaim diajukan."),
    )
    DOCUMENT_KIND = "CLAIM_DOCUMENT_KIND", _("Jenis dokumen “{arg}” tidak dikenal.")
    DOCUMENT_TYPE = (
        "CLAIM_DOCUMENT_TYPE",
        _("Dokumen harus berkas PDF, JPG atau PNG."),
    )
    DOCUMENT_SIZE = (
        "CLAIM_DOCUMENT_SIZE",
        _("Dokumen kosong atau lebih besar dari {limit} MB."),
    )
    DOCUMENTS_MISSING = (
        "CLAIM_DOCUMENTS_MISSING",
        _("Berkas belum lengkap: {arg}."),
    )
    NOT_ELIGIBLE = (
        "CLAIM_NOT_ELIGIBLE",
        _("Pekerja tidak mempunyai kepesertaan yang aktif pada tanggal kejadian; klaim tidak"
          " dapat diajukan."),
    )  # fmt: skip
    CLAIM_RIGHT_EXPIRED = (
        "CLAIM_RIGHT_EXPIRED",
        _("Hak klaim JKK berakhir pada {arg}."),
    )
    STATUS_INVALID = "CLAIM_STATUS_INVALID", _("Status “{arg}” tidak dikenal.")
    TRANSITION_INVALID = (
        "CLAIM_TRANSITION_INVALID",
        _("Klaim berstatus “{arg}” tidak dapat diubah menjadi “{to}”."),
    )
    REASON_REQUIRED = "CLAIM_REASON_REQUIRED", _("Tuliskan alasannya.")
    AMOUNT_INVALID = (
        "CLAIM_AMOUNT_INVALID",
        _("Jumlah dibayar “{arg}” harus bilangan bulat rupiah lebih dari nol."),
    )
    SCHOLARSHIP_NOT_OPEN = (
        "CLAIM_SCHOLARSHIP_NOT_OPEN",
        _("Beasiswa dicatat setelah klaim dibayar dan hanya bila berhak beasiswa."),
    )
    SCHOLARSHIP_ENDED = (
        "CLAIM_SCHOLARSHIP_ENDED",
        _("Beasiswa anak ini sudah berakhir ({arg})."),
    )
    SCHOLARSHIP_YEARS_USED = (
        "CLAIM_SCHOLARSHIP_YEARS_USED",
        _("Beasiswa jenjang {arg} sudah dibayar untuk semua tahun yang diatur."),
    )
    HOLIDAY_EXISTS = "CLAIM_HOLIDAY_EXISTS", _("Tanggal {arg} sudah tercatat sebagai hari libur.")
