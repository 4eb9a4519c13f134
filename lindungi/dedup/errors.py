from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode, FieldErrors


class DedupError(ErrorCode):
    REGION_REQUIRED = (
        "DEDUP_REGION_REQUIRED",
        _("Pilih wilayah (provinsi atau kabupaten/kota) yang akan diperiksa."),
    )
    REGION_LEVEL = (
        "DEDUP_REGION_LEVEL",
        _("Deduplikasi dijalankan per kabupaten/kota atau per provinsi."),
    )
    RUN_BUSY = (
        "DEDUP_RUN_BUSY",
        _("Deduplikasi untuk wilayah ini sedang berjalan. Tunggu sampai selesai."),
    )
    ALREADY_DECIDED = (
        "DEDUP_ALREADY_DECIDED",
        _("Pasangan ini sudah diputuskan oleh pengguna lain. Muat ulang halaman."),
    )
    BAD_DECISION = (
        "DEDUP_BAD_DECISION",
        _("Keputusan harus salah satu dari: sama, berbeda, lewati."),
    )
    SURVIVOR_NOT_IN_PAIR = (
        "DEDUP_SURVIVOR_NOT_IN_PAIR",
        _("Data yang dipertahankan harus salah satu dari pasangan ini."),
    )
    SAME_WORKER = "DEDUP_SAME_WORKER", _("Pekerja tidak dapat digabung dengan dirinya sendiri.")
    ALREADY_MERGED = (
        "DEDUP_ALREADY_MERGED",
        _("Salah satu pekerja sudah digabung ke data lain. Muat ulang halaman."),
    )
    ALREADY_UNDONE = "DEDUP_ALREADY_UNDONE", _("Penggabungan ini sudah dibatalkan.")
    SURVIVOR_MERGED_SINCE = (
        "DEDUP_SURVIVOR_MERGED_SINCE",
        _(
            "Data yang dipertahankan telah digabung lagi ke data lain. Batalkan penggabungan "
            "itu terlebih dahulu."
        ),
    )
    REASON_REQUIRED = "DEDUP_REASON_REQUIRED", _("Tuliskan alasan pembatalan penggabungan.")


def field_error(field: str, code: DedupError) -> FieldErrors:
    return FieldErrors({field: [{"code": str(code.value), "message": str(code.label)}]})
