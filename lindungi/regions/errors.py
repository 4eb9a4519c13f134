from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class RegionError(ErrorCode):
    NOT_FOUND = "region_not_found", _("Wilayah dengan kode {code} tidak ditemukan.")
    NAME_NOT_FOUND = (
        "region_name_not_found",
        _("Wilayah “{name}” tidak ditemukan di {parent}.{hint}"),
    )
    NAME_AMBIGUOUS = (
        "region_name_ambiguous",
        _(
            "Nama “{name}” cocok dengan lebih dari satu wilayah di {parent}: {candidates}. "
            "Gunakan kode wilayah."
        ),
    )
    BAD_CODE = "region_code_invalid", _("Kode wilayah “{code}” tidak sesuai format Kemendagri.")
    DATA_FILE_INVALID = (
        "region_data_invalid",
        _("Berkas data wilayah {file} baris {row} tidak valid: {reason}"),
    )
