from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class ImportErrorCode(ErrorCode):
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
