from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class AccountError(ErrorCode):
    INVALID_CREDENTIALS = "invalid_credentials", _("Nama pengguna atau kata sandi salah.")
    # The same for every username, known or not (accounts/throttle.py).
    LOGIN_THROTTLED = (
        "login_throttled",
        _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit."),
    )
    ACCOUNT_INACTIVE = "account_inactive", _("Akun ini tidak aktif. Hubungi admin wilayah Anda.")
    ROLE_UNKNOWN = "role_unknown", _("Peran “{role}” tidak dikenal.")
    ROLE_REGION_MISMATCH = (
        "role_region_mismatch",
        _("Peran {role} harus memiliki wilayah tingkat {levels}."),
    )
    ROLE_NOT_ASSIGNABLE = (
        "role_not_assignable",
        _("Anda tidak berwenang memberikan peran {role}."),
    )
    REGION_OUT_OF_SCOPE = (
        "region_out_of_scope",
        _("Wilayah {code} berada di luar wilayah kewenangan Anda."),
    )
    USERNAME_TAKEN = "username_taken", _("Nama pengguna “{username}” sudah dipakai.")
    USERNAME_INVALID = (
        "username_invalid",
        _(
            "Nama pengguna hanya boleh berisi huruf kecil, angka, titik, garis bawah "
            "dan tanda hubung (3–150 karakter)."
        ),
    )
    CURRENT_PASSWORD_WRONG = "current_password_wrong", _("Kata sandi saat ini salah.")
    PASSWORD_WEAK = "password_weak", _("Kata sandi tidak memenuhi ketentuan: {reasons}")
    TOKEN_INVALID = "token_invalid", _("Token API tidak valid, kedaluwarsa, atau telah dicabut.")
    CANNOT_CHANGE_SELF = (
        "cannot_change_self",
        _("Anda tidak dapat mengubah peran, wilayah atau status akun Anda sendiri."),
    )
