"""contribution_quote and the dated reference data it reads (domain.md §5): Rp16,800 = JKK
Rp10,000 (1% of the lowest band, Rp1,000,000) + JKM Rp6,800; JHT 2% on request; the PP 50/2025
50% discount in its two phases, never for workers paid from a public budget."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.core.errors import FieldErrors
from lindungi.programmes.models import ContributionRate
from lindungi.programmes.reference import PP_44, PP_50
from lindungi.programmes.selectors import (
    benefit_table,
    contribution_quote,
    programme_monthly_cost,
    rates_in_force,
)
from lindungi.programmes.services import programme_create, rate_version_create

from .conftest import PROGRAMME, codes

pytestmark = pytest.mark.django_db

D = dt.date
PUBLIC = ["APBD_PROVINSI", "APBD_KABKOTA", "APBDES"]
NOT_PUBLIC = ["CSR", "DONOR_INDIVIDU", "MANDIRI"]


def _figures(quote) -> tuple[int, int, int, int]:
    return (quote.jkk, quote.jkm, quote.jht, quote.total)


@pytest.mark.parametrize(
    ("income", "benefits", "figures"),
    [
        (1_000_000, ["JKK", "JKM"], (10_000, 6_800, 0, 16_800)),  # the standard package
        (750_000, ["JKK", "JKM"], (10_000, 6_800, 0, 16_800)),  # never below the lowest band
        (2_500_000, ["JKK", "JKM"], (25_000, 6_800, 0, 31_800)),
        (1_000_000, ["JKK", "JKM", "JHT"], (10_000, 6_800, 20_000, 36_800)),
        (2_500_000, ["JKK", "JKM", "JHT"], (25_000, 6_800, 50_000, 81_800)),
        (1_234_550, ["JKK"], (12_346, 0, 0, 12_346)),  # 12,345.5 rounds half up
        (1_234_549, ["jkk", " jkm "], (12_345, 6_800, 0, 19_145)),
    ],
)
def test_the_monthly_contribution_of_a_worker_paid_by_the_regency(income, benefits, figures):
    quote = contribution_quote(
        reported_income=income, funder="APBD_KABKOTA", on=D(2026, 6, 1), benefits=benefits
    )
    assert _figures(quote) == figures
    assert quote.discount == ""


def test_the_quote_names_its_legal_basis_and_reads_as_a_dict():
    quote = contribution_quote(reported_income=1_000_000, funder="APBD_KABKOTA", on=D(2026, 6, 1))
    assert quote.as_dict() == {
        "jkk": 10_000, "jkm": 6_800, "jht": 0, "total": 16_800, "legal_basis": PP_44,
        "discount": "",
    }  # fmt: skip


# PP 50/2025 (domain.md §5): transport January 2026 – March 2027, every other BPU sector
# April – December 2026; 50% of JKK and JKM, JHT untouched.
PHASES = [
    ("ojek_pengemudi", D(2025, 12, 31), 16_800),
    ("ojek_pengemudi", D(2026, 1, 1), 8_400),
    ("ojek_pengemudi", D(2026, 6, 1), 8_400),
    ("ojek_pengemudi", D(2027, 3, 31), 8_400),
    ("ojek_pengemudi", D(2027, 4, 1), 16_800),
    ("petani", D(2026, 1, 1), 16_800),
    ("petani", D(2026, 3, 31), 16_800),
    ("petani", D(2026, 4, 1), 8_400),
    ("nelayan", D(2026, 12, 31), 8_400),
    (None, D(2026, 9, 1), 8_400),  # occupation unknown: every sector is discounted then
    ("pedagang", D(2027, 1, 1), 16_800),
]


@pytest.mark.parametrize("funder", NOT_PUBLIC)
@pytest.mark.parametrize(("occupation", "day", "total"), PHASES)
def test_the_pp_50_2025_discount_phases_for_self_paid_and_sponsored_workers(
    funder, occupation, day, total
):
    quote = contribution_quote(
        reported_income=1_000_000, funder=funder, on=day, occupation=occupation
    )
    assert quote.total == total
    if total == 8_400:
        assert (quote.jkk, quote.jkm) == (5_000, 3_400)
        assert quote.legal_basis == f"{PP_44}; {PP_50}"
        assert quote.discount.startswith("Diskon 50% iuran JKK/JKM BPU")
    else:
        assert (quote.legal_basis, quote.discount) == (PP_44, "")


@pytest.mark.parametrize("funder", PUBLIC)
@pytest.mark.parametrize("day", [D(2026, 1, 1), D(2026, 6, 1), D(2027, 2, 1)])
@pytest.mark.parametrize("occupation", ["ojek_pengemudi", "petani"])
def test_no_discount_for_workers_paid_from_a_public_budget(funder, day, occupation):
    quote = contribution_quote(
        reported_income=1_000_000, funder=funder, on=day, occupation=occupation
    )
    assert (_figures(quote), quote.discount) == ((10_000, 6_800, 0, 16_800), "")


def test_the_discount_leaves_jht_whole():
    quote = contribution_quote(
        reported_income=1_000_000, funder="MANDIRI", on=D(2026, 2, 1),
        benefits=["JKK", "JKM", "JHT"], occupation="ojek_pengemudi",
    )  # fmt: skip
    assert _figures(quote) == (5_000, 3_400, 20_000, 28_400)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"reported_income": 0}, {"reported_income": ["RATE_INCOME_INVALID"]}),
        ({"reported_income": -1_000_000}, {"reported_income": ["RATE_INCOME_INVALID"]}),
        ({"funder": "APBN"}, {"funder": ["RATE_FUNDER_INVALID"]}),
        ({"benefits": ["JKK", "JKP"]}, {"benefits": ["RATE_BENEFIT_INVALID"]}),
        ({"on": D(2015, 6, 30)}, {"date": ["RATE_NOT_IN_FORCE"]}),  # before PP 44/2015
        ({"reported_income": 0, "funder": "Pemda"},
         {"reported_income": ["RATE_INCOME_INVALID"], "funder": ["RATE_FUNDER_INVALID"]}),
    ],
)  # fmt: skip
def test_a_quote_refuses_what_it_cannot_price(kwargs, expected):
    args = {"reported_income": 1_000_000, "funder": "APBD_KABKOTA", "on": D(2026, 6, 1), **kwargs}
    with pytest.raises(FieldErrors) as excinfo:
        contribution_quote(**args)
    assert codes(excinfo.value.fields) == expected


def test_a_new_rate_version_prices_from_its_day_and_history_keeps_pricing(world):
    rate_version_create(
        actor=world.superadmin,
        data={"benefit": "JKM", "kind": "flat", "amount": 7_500, "valid_from": D(2027, 1, 1),
              "legal_basis": "PP 12/2026 (uji)"},
    )  # fmt: skip
    before = rates_in_force(D(2026, 12, 31))
    after = rates_in_force(D(2027, 1, 1))
    assert (before["JKM"].amount, after["JKM"].amount) == (6_800, 7_500)
    assert before["JKK"] == after["JKK"]  # JKK has one version
    old = contribution_quote(reported_income=1_000_000, funder="APBDES", on=D(2026, 12, 31))
    new = contribution_quote(reported_income=1_000_000, funder="APBDES", on=D(2027, 1, 1))
    assert (old.total, new.total) == (16_800, 17_500)
    assert new.legal_basis == f"{PP_44}; PP 12/2026 (uji)"


def test_rates_in_force_take_the_latest_version_when_rows_overlap():
    ContributionRate.objects.create(
        benefit="JKK", kind="percent", basis_points=150, valid_from=D(2026, 7, 1),
        legal_basis="PP uji (tumpang tindih)",
    )  # fmt: skip
    assert rates_in_force(D(2026, 6, 30))["JKK"].basis_points == 100
    assert rates_in_force(D(2026, 7, 1))["JKK"].basis_points == 150
    assert sorted(rates_in_force(D(2015, 6, 30))) == []


def test_a_programmes_monthly_cost_is_priced_inside_its_period(world):
    admin = world.regency_admin
    kukar = programme_create(actor=admin, data=PROGRAMME)
    cost = programme_monthly_cost(kukar, on=D(2026, 6, 1))
    assert cost is not None and _figures(cost) == (10_000, 6_800, 0, 16_800)
    rate_version_create(
        actor=world.superadmin,
        data={"benefit": "JKM", "kind": "flat", "amount": 7_500, "valid_from": D(2027, 1, 1),
              "legal_basis": "PP 12/2026 (uji)"},
    )  # fmt: skip
    # A day after the programme is priced on its last day: next year's rate is not its own.
    later = programme_monthly_cost(kukar, on=D(2030, 1, 1))
    assert later is not None and later.total == 16_800
    with_jht = programme_create(
        actor=admin,
        data={**PROGRAMME, "name": "JHT Kukar", "benefit_jht": True, "reported_income": 2_000_000},
    )
    assert _figures(programme_monthly_cost(with_jht, on=D(2026, 6, 1))) == (
        20_000, 6_800, 40_000, 66_800,
    )  # fmt: skip
    # A CSR programme for ojek drivers: the discount depends on each worker's occupation,
    # so the programme's own figure is the undiscounted one, except where every sector is.
    csr = programme_create(
        actor=admin,
        data={**PROGRAMME, "name": "GN Lingkaran Kukar", "funder": "CSR",
              "funder_name": "PT Bank Kaltim"},
    )  # fmt: skip
    assert programme_monthly_cost(csr, on=D(2026, 2, 1)).total == 16_800
    assert programme_monthly_cost(csr, on=D(2026, 6, 1)).total == 8_400


def test_no_rate_in_force_means_no_cost():
    old = ContributionRate.objects.filter(valid_from=D(2015, 7, 1))
    assert old.count() == 3
    from lindungi.programmes.models import Programme

    programme = Programme(
        name="Program 2014", funder="APBD_KABKOTA", reported_income=1_000_000,
        start_date=D(2014, 1, 1), end_date=D(2014, 12, 31),
    )  # fmt: skip
    assert programme_monthly_cost(programme, on=D(2014, 6, 1)) is None


def test_the_benefit_table_in_force_on_a_day():
    pp82 = benefit_table(on=D(2019, 12, 2))
    pp44 = benefit_table(on=D(2019, 12, 1))
    assert (pp82.count(), pp44.count(), benefit_table().count()) == (18, 13, 31)
    jkm = {r.code: r.amount for r in pp82.filter(code__startswith="JKM_", kind="flat")}
    # domain.md §6: JKM Rp20,000,000 + Rp12,000,000 periodic + Rp10,000,000 funeral = Rp42 jt.
    assert jkm == {"JKM_LUMP_SUM": 20_000_000, "JKM_PERIODIC": 12_000_000,
                   "JKM_FUNERAL": 10_000_000}  # fmt: skip
    assert sum(jkm.values()) == 42_000_000
    assert pp44.get(code="JKM_FUNERAL").amount == 3_000_000
    assert pp82.get(code="JKK_DEATH").wage_percent == 4800  # 48 × wage
    assert pp82.get(code="JKM_SCHOLARSHIP_MIN_MONTHS").units == 36
    assert pp44.get(code="JKK_CLAIM_RIGHT_YEARS").units == 2
