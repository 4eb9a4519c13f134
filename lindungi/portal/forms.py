"""Page forms. They only shape input; every rule lives in the services they call."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import ASSIGNABLE_ROLES, Role
from lindungi.core.errors import DomainError
from lindungi.core.forms import PortalForm


class LoginForm(AuthenticationForm):
    """Shows the service's message (wrong, wait, inactive account) instead of the generic one."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            exc = getattr(self.request, "login_error", None)
            if isinstance(exc, DomainError):
                raise forms.ValidationError(exc.message, code=exc.code) from None
            raise


def role_choices(actor: Any) -> list[tuple[str, str]]:
    allowed = ASSIGNABLE_ROLES.get(actor.role, frozenset())
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


class UserFieldsForm(PortalForm):
    """What an admin may set on any account; the role list is limited to assignable roles."""

    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Peran"))
    region = forms.CharField(label=_("Wilayah"), max_length=13, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices(actor)


class UserCreateForm(UserFieldsForm):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput, strip=False)
    field_order = ["username"]


class UserEditForm(UserFieldsForm):
    is_active = forms.BooleanField(label=_("Akun aktif"), required=False)


class PasswordForm(PortalForm):
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class OwnPasswordForm(PasswordForm):
    """One's own change: the current password first (checked by the service)."""

    current_password = forms.CharField(
        label=_("Kata sandi saat ini"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    field_order = ["current_password", "password", "password2"]


class TokenForm(PortalForm):
    name = forms.CharField(label=_("Nama token"), max_length=100, required=False)


class AuditFilterForm(PortalForm):
    action = forms.CharField(label=_("Tindakan"), required=False)
    username = forms.CharField(label=_("Pengguna"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lindungi.core.models import AuditEvent

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Semua")),
            *AuditEvent.Kind.choices,
        ]


class StatusCheckForm(PortalForm):
    nik = forms.CharField(
        label=_("NIK (16 angka)"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"})
    )
