"""Domain errors: an exception carries a stable code and an Indonesian message for people.

Each app declares its codes as an `ErrorCode` enum (value = the stable code clients match on,
label = the message shown to people). The API maps `DomainError` to HTTP in one place
(`lindungi.api`); pages show `message` next to the form or as a flash message.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    """Base for per-app error enums; `label` is the Indonesian message, may use {placeholders}."""


class CoreError(ErrorCode):
    NOT_FOUND = "not_found", _("Data tidak ditemukan.")
    FORBIDDEN = "forbidden", _("Anda tidak berwenang melakukan tindakan ini.")
    UNAUTHENTICATED = "unauthenticated", _("Silakan masuk terlebih dahulu.")
    VALIDATION = "validation_error", _("Data yang dikirim tidak valid.")
    CONFLICT = "conflict", _("Data telah diubah oleh pengguna lain. Muat ulang lalu coba lagi.")
    RATE_LIMITED = "rate_limited", _("Terlalu banyak permintaan. Coba lagi nanti.")
    OUT_OF_RANGE = (
        "value_out_of_range",
        _(
            "Ada nilai di luar batas yang dapat disimpan (angka terlalu besar atau teks terlalu"
            " panjang). Tidak ada data yang berubah."
        ),
    )
    INTERNAL = "internal_error", _("Terjadi kesalahan pada sistem. Tidak ada data yang berubah.")


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written."""

    status: int = 400

    def __init__(
        self,
        error: ErrorCode,
        /,
        *,
        details: dict[str, Any] | None = None,
        status: int | None = None,
        **params: Any,
    ) -> None:
        self.code = str(error.value)
        self.message = str(error.label).format(**params) if params else str(error.label)
        self.details = details or {}
        if status is not None:
            self.status = status
        super().__init__(self.message)


class NotFound(DomainError):
    """The object does not exist or lies outside the actor's region scope (both answer 404)."""

    status = 404

    def __init__(self, error: ErrorCode = CoreError.NOT_FOUND, /, **kwargs: Any) -> None:
        super().__init__(error, **kwargs)


class Forbidden(DomainError):
    status = 403

    def __init__(self, error: ErrorCode = CoreError.FORBIDDEN, /, **kwargs: Any) -> None:
        super().__init__(error, **kwargs)


class Conflict(DomainError):
    status = 409


class FieldErrors(DomainError):
    """One or more fields are invalid: `fields` maps a field name to a list of {code, message}."""

    status = 422

    def __init__(self, fields: dict[str, list[dict[str, str]]]) -> None:
        self.fields = fields
        super().__init__(CoreError.VALIDATION, details={"fields": fields})

    @classmethod
    def single(cls, field: str, error: ErrorCode, /, **params: Any) -> FieldErrors:
        message = str(error.label).format(**params) if params else str(error.label)
        return cls({field: [{"code": str(error.value), "message": message}]})
