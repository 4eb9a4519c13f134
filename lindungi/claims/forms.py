"""Page forms of benefits and claims."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.forms import PortalForm

from .benefits import EDUCATION_LEVELS, KIND_LABELS

EDUCATION_CHOICES = [
    ("", "—"),
    *((level, level.replace("_", " ").title()) for level in EDUCATION_LEVELS),
]
CHILD_ROWS = 3


class EstimateForm(PortalForm):
    kind = forms.ChoiceField(label=_("Jenis manfaat"), choices=list(KIND_LABELS.items()))
    event_date = forms.DateField(
        label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_income = forms.IntegerField(
        label=_("Penghasilan dilaporkan (Rp)"), initial=1_000_000, min_value=1
    )
    contribution_months = forms.IntegerField(
        label=_("Masa iur (bulan)"), initial=0, min_value=0, required=False
    )
    incapacity_days = forms.IntegerField(
        label=_("Hari tidak mampu bekerja (STMB)"), initial=0, min_value=0, required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, CHILD_ROWS + 1):
            self.fields[f"child{index}_birth_date"] = forms.DateField(
                label=_("Anak %(n)s: tanggal lahir") % {"n": index},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"child{index}_education_level"] = forms.ChoiceField(
                label=_("Anak %(n)s: jenjang sekarang") % {"n": index},
                choices=EDUCATION_CHOICES,
                required=False,
            )

    def children(self) -> list[dict[str, object]]:
        rows = []
        for index in range(1, CHILD_ROWS + 1):
            born = self.cleaned_data.get(f"child{index}_birth_date")
            if born:
                level = self.cleaned_data.get(f"child{index}_education_level") or "BELUM_SEKOLAH"
                rows.append({"birth_date": born, "education_level": level})
        return rows


class CaseForm(PortalForm):
    kind = forms.ChoiceField(label=_("Jenis klaim"), choices=list(KIND_LABELS.items()))
    event_date = forms.DateField(
        label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"})
    )
    incapacity_days = forms.IntegerField(
        label=_("Hari tidak mampu bekerja (STMB)"), initial=0, min_value=0, required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)
