"""Stable error codes of billing and budgets, with the Indonesian text people read."""

from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import ErrorCode


class BillingError(ErrorCode):
    SIMULATE_INPUT = (
        "BILLING_SIMULATE_INPUT",
        _("Isi salah satu: anggaran (rupiah) atau jumlah pekerja — tidak keduanya."),
    )
    AMOUNT_INVALID = "BILLING_AMOUNT_INVALID", _("“{arg}” harus bilangan bulat positif.")
    MONTHS_INVALID = "BILLING_MONTHS_INVALID", _("Jumlah bulan harus 1 sampai 12.")
