from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.forms import PortalForm


class UploadForm(PortalForm):
    file = forms.FileField(
        label=_("Berkas daftar pekerja (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    region = forms.CharField(label=_("Wilayah berkas"), max_length=13)
    dry_run = forms.BooleanField(label=_("Uji coba saja: periksa tanpa menyimpan"), required=False)
