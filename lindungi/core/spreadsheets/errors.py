"""Why an uploaded spreadsheet cannot be read. The codes keep the `IMPORT_` prefix they were
first published with (API clients match on them), whichever kind of file was uploaded."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class SpreadsheetError(ErrorCode):
    FILE_TYPE = (
        "IMPORT_FILE_TYPE",
        _(
            "Berkas harus Excel (.xlsx) atau CSV (.csv). Simpan ulang berkas dalam salah satu "
            "format itu, lalu unggah lagi."
        ),
    )
    FILE_UNREADABLE = (
        "IMPORT_FILE_UNREADABLE",
        _(
            "Berkas tidak dapat dibaca sebagai {kind}: {reason}. Buka berkas di Excel, simpan ulang, "
            "lalu unggah lagi."
        ),
    )
    FILE_EMPTY = "IMPORT_FILE_EMPTY", _("Berkas tidak berisi baris data.")
    FILE_TOO_LARGE = (
        "IMPORT_FILE_TOO_LARGE",
        _("Berkas terlalu besar ({size} MB; maksimal {limit} MB). Pecah menjadi beberapa berkas."),
    )
    TOO_MANY_ROWS = (
        "IMPORT_TOO_MANY_ROWS",
        _("Berkas berisi lebih dari {limit} baris. Pecah menjadi beberapa berkas."),
    )
    NO_HEADER = (
        "IMPORT_NO_HEADER",
        _(
            "Baris judul kolom tidak ditemukan pada 20 baris pertama. Pastikan ada kolom NIK dan "
            "NAMA (mis. “NIK”, “NO. KTP”, “NAMA LENGKAP”)."
        ),
    )
    MISSING_COLUMNS = (
        "IMPORT_MISSING_COLUMNS",
        _("Kolom wajib tidak ditemukan: {columns}. Kolom yang dikenali: {found}."),
    )
