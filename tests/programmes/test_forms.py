"""The page forms read what an office types: rupiah with dots (3.000.000.000), dates with the
day first (01-01-2026), one target per line with its quota, co-funders as `source; name; %`.
They only shape input: the rules are the service's (test_services_*)."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.programmes.forms import ProgrammeForm, RateForm, RenewForm
from lindungi.programmes.services import programme_create

from .conftest import PROGRAMME

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Perlindungan Pekerja Rentan Kukar 2026",
    "region_code": "64.02",
    "funder": "APBD_KABKOTA",
    "funder_name": "Pemkab Kutai Kartanegara",
    "legal_basis": "Perbup Kukar No. 12/2025",
    "budget_year": "2026",
    "budget_amount": "3.000.000.000",
    "benefit_jkk": "on",
    "benefit_jkm": "on",
    "reported_income": "1.000.000",
    "bpjs_group": "SG",
    "start_date": "01-01-2026",
    "end_date": "31/12/2026",
    "min_age": "15",
    "max_age": "65",
    "occupations": ["petani", "nelayan"],
    "verification_required": "on",
    "income_ceiling": "Rp 2.500.000",
    "targets": "64.02.06 5.000\r\n64.02.07;2500\r\n\r\n 64.02.01 \r\n",
    "funders": "APBD_KABKOTA; Pemkab Kutai Kartanegara; 72,76%\n"
    "APBD_PROVINSI; Pemprov Kalimantan Timur; 27,24; \n",
}


def _data(**changes) -> dict:
    form = ProgrammeForm({**TYPED, **changes})
    assert form.is_valid(), form.errors
    return form.service_data()


def test_what_an_office_types_reaches_the_service_as_numbers_and_dates(regions):
    data = _data()
    assert data == {
        "name": "Perlindungan Pekerja Rentan Kukar 2026",
        "region_code": "64.02",
        "funder": "APBD_KABKOTA",
        "funder_name": "Pemkab Kutai Kartanegara",
        "legal_basis": "Perbup Kukar No. 12/2025",
        "budget_year": 2026,
        "budget_amount": 3_000_000_000,
        "benefit_jkk": True,
        "benefit_jkm": True,
        "benefit_jht": False,
        "reported_income": 1_000_000,
        "bpjs_group": "SG",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "min_age": 15,
        "max_age": 65,
        "occupations": ["petani", "nelayan"],
        "priority_occupations": [],
        "verification_required": True,
        "income_ceiling": 2_500_000,
        "targets": [
            {"region_code": "64.02.06", "quota": "5000"},
            {"region_code": "64.02.07", "quota": "2500"},
            {"region_code": "64.02.01", "quota": None},
        ],
        "funders": [
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 7276,
             "account": ""},
            {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 2724,
             "account": ""},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("3000000000", 3_000_000_000),
        ("3.000.000.000", 3_000_000_000),
        ("Rp3.000.000.000", 3_000_000_000),
        ("Rp. 3.000.000.000,00", 3_000_000_000),
        ("750.000", 750_000),  # a thousands group, not a decimal point
        ("0", 0),
        ("", None),
    ],
)
def test_rupiah_are_read_with_indonesian_thousands(regions, typed, amount):
    assert _data(budget_amount=typed)["budget_amount"] == amount


@pytest.mark.parametrize("typed", ["3,5 miliar", "3.000.00", "1.5", "-5.000", "tiga miliar"])
def test_a_rupiah_amount_that_is_not_one_is_refused(regions, typed):
    form = ProgrammeForm({**TYPED, "budget_amount": typed})
    assert not form.is_valid()
    assert list(form.errors) == ["budget_amount"]


@pytest.mark.parametrize(
    ("line", "target"),
    [
        ("64.02.06 5.000", {"region_code": "64.02.06", "quota": "5000"}),
        ("64.02.06 5,000", {"region_code": "64.02.06", "quota": "5000"}),
        ("64.02.06; 5 000", {"region_code": "64.02.06", "quota": "5000"}),
        ("64.02.06,750", {"region_code": "64.02.06", "quota": "750"}),
        ("64.02.06", {"region_code": "64.02.06", "quota": None}),
        # Two codes on a line: the second is no quota, and the service says so.
        ("64.02.06 64.02.07", {"region_code": "64.02.06", "quota": "64.02.07"}),
    ],
)
def test_a_target_line_is_a_region_code_then_its_quota(regions, line, target):
    assert _data(targets=line)["targets"] == [target]


def test_dates_day_first_as_offices_write_them(regions):
    assert _data(start_date="2026-01-01", end_date="31-12-2026")["end_date"] == dt.date(
        2026, 12, 31
    )
    form = ProgrammeForm({**TYPED, "end_date": "31-02-2026"})
    assert not form.is_valid() and list(form.errors) == ["end_date"]


def test_co_funder_lines_the_service_must_judge_are_never_dropped(regions):
    # A line written with commas (or missing a part) reaches the service, which refuses it;
    # dropped, the programme would be saved as paid by the funder alone.
    data = _data(funders="APBD_PROVINSI, Pemprov Kalimantan Timur, 40\n"
                         "APBD_KABKOTA; Pemkab Kutai Kartanegara; 60")  # fmt: skip
    assert data["funders"] == [
        {"funder": "APBD_PROVINSI, Pemprov Kalimantan Timur, 40", "name": "", "share_bp": 0,
         "account": ""},
        {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 6000,
         "account": ""},
    ]  # fmt: skip
    assert _data(funders="CSR; PT Mitra; seratus")["funders"][0]["share_bp"] == 0
    assert _data(funders="CSR; PT Bank Kaltim; 100; csr.bankaltim")["funders"] == [
        {"funder": "CSR", "name": "PT Bank Kaltim", "share_bp": 10000, "account": "csr.bankaltim"}
    ]
    assert _data(funders="")["funders"] == []


def test_a_programme_reads_back_into_its_form_unchanged(world):
    programme = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "occupations": ["nelayan"], "income_ceiling": 2_500_000,
              "targets": [{"region_code": "64.02.06", "quota": 5000}, "64.02.01"],
              "funders": [
                  {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 7276},
                  {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur",
                   "share_bp": 2724}]},
    )  # fmt: skip
    initial = ProgrammeForm.initial_from(programme)
    assert initial["targets"] == "64.02.01\n64.02.06 5000"
    assert initial["funders"] == (
        "APBD_KABKOTA; Pemkab Kutai Kartanegara; 72.76\n"
        "APBD_PROVINSI; Pemprov Kalimantan Timur; 27.24"
    )
    # Posted back as the page renders it, the form gives the programme's own values.
    posted = {name: value for name, value in initial.items() if value not in (None, False)} | {
        "benefit_jkk": "on",
        "benefit_jkm": "on",
        "verification_required": "on",
    }
    bound = ProgrammeForm(posted)
    assert bound.is_valid(), bound.errors
    data = bound.service_data()
    assert data["budget_amount"] == 3_000_000_000 and data["income_ceiling"] == 2_500_000
    assert [(t["region_code"], t["quota"]) for t in data["targets"]] == [
        ("64.02.01", None),
        ("64.02.06", "5000"),
    ]
    assert [f["share_bp"] for f in data["funders"]] == [7276, 2724]


def test_the_renewal_and_rate_forms_read_rupiah_too(regions):
    renew = RenewForm({"budget_amount": "1.600.000.000", "end_date": "30-06-2027"})
    assert renew.is_valid(), renew.errors
    assert renew.cleaned_data["budget_amount"] == 1_600_000_000
    assert renew.cleaned_data["end_date"] == dt.date(2027, 6, 30)
    rate = RateForm({"benefit": "JKM", "kind": "flat", "amount": "7.500", "min_income": "1.000.000",
                     "valid_from": "01-01-2027", "legal_basis": "PP 12/2026"})  # fmt: skip
    assert rate.is_valid(), rate.errors
    assert (rate.cleaned_data["amount"], rate.cleaned_data["min_income"]) == (7_500, 1_000_000)
    assert rate.cleaned_data["valid_from"] == dt.date(2027, 1, 1)
