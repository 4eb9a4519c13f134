"""Registry page forms: raw text in, the validator (services) decides; errors shown per field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.forms import PortalForm

from .models import LifeEventKind, Relationship, Sex
from .selectors import AGE_BAND_LABELS


class WorkerForm(PortalForm):
    nik = forms.CharField(label=_("NIK"), max_length=40, help_text=_("16 digit, sesuai KTP."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=120, required=False)
    birth_date = forms.CharField(
        label=_("Tanggal lahir"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "12-05-1980"}),
        help_text=_("Hari-bulan-tahun, mis. 12-05-1980 atau 12 Mei 1980."),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False
    )
    kk_number = forms.CharField(label=_("Nomor KK"), max_length=40, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    rt = forms.CharField(label=_("RT"), max_length=10, required=False)
    rw = forms.CharField(label=_("RW"), max_length=10, required=False)
    phone = forms.CharField(label=_("Nomor HP/WA"), max_length=40, required=False)
    occupation = forms.CharField(
        label=_("Pekerjaan"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "occupation-list"}),
        help_text=_("Tulis seperti biasa, mis. “petani sawit”; sistem memilih kategorinya."),
    )
    reported_income = forms.CharField(
        label=_("Penghasilan per bulan (Rp)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1.000.000"}),
    )
    village = forms.CharField(label=_("Desa/kelurahan domisili"), max_length=120, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Errors the validator reports under a name the form shows elsewhere.
    ERROR_FIELDS = {"rt_rw": "rt"}

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return {k: v for k, v in data.items() if v not in (None,)}


class WorkerFilterForm(PortalForm):
    q = forms.CharField(label=_("Nama atau NIK"), max_length=100, required=False)
    village = forms.CharField(label=_("Wilayah"), max_length=13, required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), required=False)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", _("Semua")), *Sex.choices], required=False
    )
    age_band = forms.ChoiceField(
        label=_("Umur"), choices=[("", _("Semua")), *AGE_BAND_LABELS.items()], required=False
    )
    verification_status = forms.ChoiceField(label=_("Verifikasi"), required=False)
    life_status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(
        label=_("Urutan"),
        choices=[("newest", _("Terbaru")), ("name", _("Nama"))],
        required=False,
    )
    cursor = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import LifeStatus, OccupationCategory, VerificationStatus

        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua")),
            *[(o.code, o.name) for o in OccupationCategory.objects.all()],
        ]
        self.fields["verification_status"].choices = [("", _("Semua")), *VerificationStatus.choices]  # type: ignore[attr-defined]
        self.fields["life_status"].choices = [("", _("Semua")), *LifeStatus.choices]  # type: ignore[attr-defined]


class LifeEventForm(PortalForm):
    kind = forms.ChoiceField(label=_("Peristiwa"), choices=LifeEventKind.choices)
    event_date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Keterangan/alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Bukti (PDF/JPG/PNG, maks. 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CancelForm(PortalForm):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)


class RejectForm(PortalForm):
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=500)


class HeirForm(PortalForm):
    full_name = forms.CharField(label=_("Nama ahli waris"), max_length=200)
    relationship = forms.ChoiceField(label=_("Hubungan"), choices=Relationship.choices)
    nik = forms.CharField(label=_("NIK"), max_length=40, required=False)
    birth_date = forms.CharField(
        label=_("Tanggal lahir"),
        max_length=40,
        required=False,
        help_text=_("Wajib untuk anak (beasiswa)."),
    )
    phone = forms.CharField(label=_("Nomor HP"), max_length=40, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    rank = forms.IntegerField(
        label=_("Urutan dalam golongan"), min_value=1, max_value=99, required=False
    )
