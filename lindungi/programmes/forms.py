"""Page forms of programmes. They shape input; the rules live in services.py."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.forms import PortalForm
from lindungi.registry.models import OccupationCategory

from .models import BpjsGroup, Funder, RateKind
from .services import RULE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Rupiah as offices write them: 3000000000, 3.000.000.000, Rp 3.000.000.000,00.
RUPIAH = re.compile(r"(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,0{1,2})?", re.IGNORECASE)
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


class RupiahField(forms.IntegerField):
    """A whole rupiah amount. Django's IntegerField takes a trailing `.000` for decimals
    ("750.000" became Rp750) and refuses "3.000.000.000"; a number input would blank it."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Tulis jumlah rupiah dengan angka, mis. 3.000.000.000.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        match = RUPIAH.fullmatch(str(value).strip())
        if match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(match.group(1).replace(".", ""))


def _occupation_choices() -> list[tuple[str, str]]:
    return list(OccupationCategory.objects.values_list("code", "name"))


class ProgrammeForm(PortalForm):
    name = forms.CharField(label=_("Nama program"), max_length=200)
    region_code = forms.CharField(
        label=_("Wilayah penyelenggara"),
        max_length=13,
        required=False,
        help_text=_("Kode kabupaten/kota atau provinsi; kosong: wilayah Anda."),
    )
    funder = forms.ChoiceField(label=_("Sumber dana"), choices=Funder.choices)
    funder_name = forms.CharField(label=_("Nama pemberi dana"), max_length=200)
    legal_basis = forms.CharField(label=_("Dasar hukum (Perda/Perbup/PKS)"), max_length=255)
    budget_year = forms.IntegerField(label=_("Tahun anggaran"))
    budget_amount = RupiahField(label=_("Pagu anggaran (Rp)"), required=False)
    benefit_jkk = forms.BooleanField(label=_("JKK (kecelakaan kerja)"), required=False)
    benefit_jkm = forms.BooleanField(label=_("JKM (kematian)"), required=False)
    benefit_jht = forms.BooleanField(label=_("JHT (hari tua, pilihan)"), required=False)
    reported_income = RupiahField(
        label=_("Penghasilan dilaporkan (Rp)"),
        initial=1_000_000,
        help_text=_("Pita penghasilan dasar iuran; pita terendah Rp1.000.000."),
    )
    bpjs_group = forms.ChoiceField(label=_("Kode wadah BPJS"), choices=BpjsGroup.choices)
    start_date = forms.DateField(label=_("Mulai"), widget=DATE)
    end_date = forms.DateField(label=_("Selesai"), widget=DATE)
    min_age = forms.IntegerField(label=_("Usia minimal"), initial=15)
    max_age = forms.IntegerField(label=_("Usia maksimal"), initial=65)
    occupations = forms.MultipleChoiceField(
        label=_("Pekerjaan sasaran (kosong: semua)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    priority_occupations = forms.MultipleChoiceField(
        label=_("Didahulukan: pekerjaan"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    verification_required = forms.BooleanField(
        label=_("Hanya pekerja terverifikasi"), required=False, initial=True
    )
    income_ceiling = RupiahField(
        label=_("Batas penghasilan (Rp, kosong: tanpa batas)"), required=False
    )
    targets = forms.CharField(
        label=_("Wilayah sasaran dan kuota"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "64.02.06 5000\n64.02.07"}),
        help_text=_("Satu wilayah per baris: kode wilayah, lalu kuota bila ada."),
    )
    funders = forms.CharField(
        label=_("Pembiayaan bersama (pilihan)"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "APBD_PROVINSI; Pemprov Kaltim; 40\nAPBD_KABKOTA; Pemkab Kukar; 60",
            }
        ),
        help_text=_(
            "Satu pemberi dana per baris: sumber dana; nama; porsi %; akun donatur (pilihan). "
            "Kosong: seluruhnya oleh sumber dana di atas."
        ),
    )

    ERROR_FIELDS = {"region_code": "region_code"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("occupations", "priority_occupations"):
            cast(forms.MultipleChoiceField, self.fields[name]).choices = _occupation_choices()

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        targets = []
        for line in (data.pop("targets") or "").splitlines():
            parts = line.replace(";", " ").replace(",", " ").split()
            if parts:
                # "5.000", "5,000" and "5 000" are one quota of five thousand.
                quota = "".join(parts[1:]) or None
                if quota is not None and THOUSANDS.fullmatch(quota):
                    quota = quota.replace(".", "")
                targets.append({"region_code": parts[0], "quota": quota})
        funders = []
        for line in (data.pop("funders") or "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not any(parts):
                continue
            # A line missing its parts goes to the service to be refused, never dropped.
            parts += [""] * (4 - len(parts))
            try:
                share = round(float(parts[2].replace("%", "").replace(",", ".")) * 100)
            except (ValueError, OverflowError):
                share = 0
            funders.append(
                {"funder": parts[0], "name": parts[1], "share_bp": share, "account": parts[3]}
            )
        data["targets"] = targets
        data["funders"] = funders
        return data

    @staticmethod
    def initial_from(programme: Any) -> dict[str, Any]:
        initial = {name: getattr(programme, name) for name in RULE_FIELDS}
        initial["region_code"] = programme.region_id
        initial["targets"] = "\n".join(
            f"{t.region_id} {t.quota or ''}".strip() for t in programme.targets.all()
        )
        initial["funders"] = "\n".join(
            f"{f.funder}; {f.name}; {f.share_bp / 100:g}"
            + (f"; {f.account.username}" if f.account else "")
            for f in programme.funders.select_related("account")
        )
        return initial


class RenewForm(PortalForm):
    name = forms.CharField(label=_("Nama program lanjutan"), max_length=200, required=False)
    end_date = forms.DateField(label=_("Selesai"), widget=DATE, required=False)
    budget_amount = RupiahField(label=_("Pagu anggaran (Rp)"), required=False)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=255, required=False)


class RateForm(PortalForm):
    benefit = forms.ChoiceField(
        label=_("Manfaat"), choices=[("JKK", "JKK"), ("JKM", "JKM"), ("JHT", "JHT")]
    )
    kind = forms.ChoiceField(label=_("Jenis tarif"), choices=RateKind.choices)
    basis_points = forms.IntegerField(label=_("Basis poin (100 = 1%)"), required=False, min_value=1)
    amount = RupiahField(label=_("Nominal per bulan (Rp)"), required=False)
    min_income = RupiahField(
        label=_("Penghasilan terendah (Rp)"), required=False, initial=1_000_000
    )
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=255)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
