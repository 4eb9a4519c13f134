"""Page forms of billing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.forms import PortalForm
from lindungi.programmes.models import Funder


class SimulateForm(PortalForm):
    budget = forms.IntegerField(label=_("Anggaran (Rp)"), required=False, min_value=1)
    workers = forms.IntegerField(label=_("atau: jumlah pekerja"), required=False, min_value=1)
    months = forms.IntegerField(label=_("Bulan"), initial=12, min_value=1, max_value=12)
    reported_income = forms.IntegerField(
        label=_("Penghasilan dilaporkan (Rp)"), initial=1_000_000, min_value=1
    )
    funder = forms.ChoiceField(
        label=_("Sumber dana"), choices=Funder.choices, initial=Funder.APBD_KABKOTA
    )
    date = forms.DateField(
        label=_("Tarif pada tanggal"), widget=forms.DateInput(attrs={"type": "date"})
    )
