from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class ImportErrorCode(ErrorCode):
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
    REGION_NOT_IN_SCOPE = (
        "IMPORT_REGION_NOT_IN_SCOPE",
        _("Wilayah {code} berada di luar wilayah kewenangan Anda."),
    )
    REGION_LEVEL = (
        "IMPORT_REGION_LEVEL",
        _("Wilayah unggahan harus provinsi, kabupaten/kota, kecamatan atau desa/kelurahan."),
    )
    NOT_RERUNNABLE = (
        "IMPORT_NOT_RERUNNABLE",
        _("Impor ini sudah selesai; unggah berkasnya lagi bila ingin mengulang."),
    )
    REGISTRY_CHANGED = (
        "IMPORT_REGISTRY_CHANGED",
        _(
            "Data pekerja dalam berkas ini sedang diubah pengguna lain, sehingga impor dicoba "
            "{attempts} kali tanpa berhasil. Tidak ada data yang berubah; jalankan ulang impor "
            "beberapa saat lagi."
        ),
    )
    # Row outcomes that are not validation errors of the registry
    DUPLICATE_IN_FILE = (
        "DUPLICATE_IN_FILE",
        _("NIK ini sudah ada di baris {arg} berkas yang sama; baris ini diabaikan."),
    )
    DEATH_DATE_REQUIRED = (
        "DEATH_DATE_REQUIRED",
        _("Keterangan menyebut peristiwa ({arg}) tetapi tanggalnya tidak diisi atau tidak valid."),
    )
    STATUS_UNKNOWN = (
        "STATUS_UNKNOWN",
        _("Keterangan status “{arg}” tidak dikenali (mis. Meninggal, Pindah, Pekerja formal)."),
    )
