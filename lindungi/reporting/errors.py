"""Stable error codes of reports and their uploads, with the Indonesian text people read."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class ReportError(ErrorCode):
    FIGURES_COLUMNS = (
        "REPORT_FIGURES_COLUMNS",
        _("Berkas harus mempunyai kolom KODE WILAYAH, TAHUN, SEGMEN dan POPULASI atau PESERTA."),
    )
    FIGURES_ROWS = (
        "REPORT_FIGURES_ROWS",
        _("{arg} baris tidak dapat dibaca; tidak ada angka yang disimpan. Perbaiki lalu unggah"
          " ulang."),
    )  # fmt: skip
    FIGURES_EMPTY = "REPORT_FIGURES_EMPTY", _("Berkas tidak berisi baris angka.")
    YEAR_INVALID = "REPORT_YEAR_INVALID", _("Tahun “{arg}” tidak valid.")
    AMOUNT_INVALID = (
        "REPORT_AMOUNT_INVALID",
        _("Alokasi APBD “{arg}” harus bilangan bulat rupiah."),
    )
    KIND_INVALID = (
        "REPORT_KIND_INVALID",
        _("Jenis laporan “{arg}” tidak dikenal: monthly atau annual."),
    )
    PERIOD_INVALID = (
        "REPORT_PERIOD_INVALID",
        _("Periode “{arg}” tidak valid. Gunakan TTTT-BB untuk bulan atau TTTT untuk tahun."),
    )
    MAP_INVALID = (
        "REPORT_MAP_INVALID",
        _("Berkas bukan GeoJSON FeatureCollection berisi poligon wilayah."),
    )
    MAP_TOO_LARGE = "REPORT_MAP_TOO_LARGE", _("Berkas peta lebih besar dari {limit} MB.")
    MAP_NO_MATCH = (
        "REPORT_MAP_NO_MATCH",
        _("Tidak ada fitur yang properti “{arg}”-nya berisi kode wilayah anak (contoh: {sample})."),
    )
