"""The benefit calculator of issue 8 against the amounts of domain.md §6, on both sides of
PP 82/2019 (in force 2 December 2019) to prove the dated table is used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lindungi.claims.benefits import benefit_estimate
from lindungi.core.errors import DomainError, FieldErrors

from ..conftest import client_for

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 23)


def estimate(kind, on, income=1_000_000, months=0, days=0, children=None):
    return benefit_estimate(
        kind=kind,
        event_date=on,
        reported_income=income,
        contribution_months=months,
        incapacity_days=days,
        children=children,
        today=TODAY,
    )


def amounts(result):
    return {item["code"]: item["amount"] for item in result.items}


def test_jkm_pays_42_million_and_a_scholarship_after_three_years():
    children = [
        {"birth_date": "2018-03-01", "education_level": "SD"},
        {"birth_date": "2010-05-01", "education_level": "SMA"},
        {"birth_date": "2020-01-01", "education_level": "TK"},  # a third child: beyond the two
    ]
    result = estimate("JKM", D(2026, 5, 10), months=40, children=children)
    assert amounts(result) == {
        "JKM_LUMP_SUM": 20_000_000, "JKM_PERIODIC": 12_000_000, "JKM_FUNERAL": 10_000_000,
    }  # fmt: skip
    assert result.total_cash == 42_000_000
    assert result.scholarship_eligible
    # SD: the rest of TK–SD (8 × 1.5 jt) + SMP (3 × 2 jt) + SMA (3 × 3 jt) + PT (5 × 12 jt).
    assert [c["max"] for c in result.scholarship_children] == [87_000_000, 69_000_000]
    assert result.scholarship_max == 156_000_000
    assert "PP 82/2019" in result.legal_basis
    short = estimate("JKM", D(2026, 5, 10), months=35, children=children)
    assert short.total_cash == 42_000_000
    assert (short.scholarship_eligible, short.scholarship_max) == (False, 0)


def test_jkk_death_is_48_wages_plus_22_million_with_a_scholarship_from_day_one():
    result = estimate("JKK_DEATH", D(2026, 5, 10), months=0,
                      children=[{"birth_date": "2019-01-01", "education_level": "BELUM_SEKOLAH"}])  # fmt: skip
    assert amounts(result) == {
        "JKK_DEATH": 48_000_000, "JKK_DEATH_FUNERAL": 10_000_000, "JKK_DEATH_PERIODIC": 12_000_000,
    }  # fmt: skip
    assert result.total_cash == 70_000_000
    assert (result.scholarship_eligible, result.scholarship_max) == (True, 87_000_000)
    higher = estimate("JKK_DEATH", D(2026, 5, 10), income=3_000_000)
    assert higher.total_cash == 144_000_000 + 22_000_000
    # Below the lowest band the wage is the band.
    assert estimate("JKK_DEATH", D(2026, 5, 10), income=500_000).total_cash == 70_000_000


def test_permanent_total_disability_and_temporary_incapacity():
    assert estimate("JKK_PERMANENT_TOTAL_DISABILITY", D(2026, 5, 10)).total_cash == 56_000_000
    stmb = estimate("JKK_TEMPORARY_INCAPACITY", D(2026, 5, 10), days=400)
    # 360 days at 100% of Rp1,000,000 a month, then 40 days at 50%: 12,000,000 + 666,667.
    assert list(amounts(stmb).values()) == [12_000_000, 666_667]
    assert stmb.total_cash == 12_666_667
    assert not stmb.scholarship_eligible
    assert estimate("JKK_TEMPORARY_INCAPACITY", D(2026, 5, 10), days=0).total_cash == 0


def test_events_before_pp_82_2019_use_the_pp_44_2015_table():
    children = [
        {"birth_date": "2012-01-01", "education_level": "SD"},
        {"birth_date": "2014-01-01", "education_level": "SD"},
    ]
    jkm = estimate("JKM", D(2019, 12, 1), months=60, children=children)
    assert jkm.total_cash == 16_200_000 + 4_800_000 + 3_000_000 == 24_000_000
    assert (jkm.scholarship_eligible, jkm.scholarship_max) == (False, 0)
    assert "PP 44/2015" in jkm.legal_basis
    death = estimate("JKK_DEATH", D(2019, 6, 1), children=children)
    assert death.total_cash == 48_000_000 + 3_000_000 + 4_800_000
    assert (death.scholarship_eligible, death.scholarship_max) == (True, 12_000_000)  # one child
    stmb = estimate("JKK_TEMPORARY_INCAPACITY", D(2019, 6, 1), days=400)
    assert list(amounts(stmb).values()) == [6_000_000, 4_500_000, 666_667]
    # The day PP 82/2019 came into force, the new table applies.
    assert estimate("JKM", D(2019, 12, 2)).total_cash == 42_000_000


def test_a_child_past_the_age_limit_gets_no_scholarship():
    result = estimate("JKK_DEATH", D(2026, 5, 10),
                      children=[{"birth_date": "2003-01-01", "education_level": "PT"},
                                {"birth_date": "2005-06-01", "education_level": "PT"}])  # fmt: skip
    assert [c["age"] for c in result.scholarship_children] == [20]
    assert result.scholarship_max == 60_000_000


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"kind": "JKP"}, "kind", "CLAIM_KIND_INVALID"),
        ({"on": "2026-13-01"}, "event_date", "CLAIM_DATE_INVALID"),
        ({"on": D(2026, 12, 1)}, "event_date", "CLAIM_DATE_FUTURE"),
        ({"income": 0}, "reported_income", "CLAIM_INCOME_INVALID"),
        ({"months": -1}, "contribution_months", "CLAIM_NUMBER_INVALID"),
        ({"children": [{"birth_date": "2020-01-01", "education_level": "S3"}]}, "children",
         "CLAIM_EDUCATION_INVALID"),
        ({"children": [{"birth_date": "2027-01-01"}]}, "children", "CLAIM_CHILD_BIRTH_INVALID"),
    ],
)  # fmt: skip
def test_bad_input_is_named(changes, field, code):
    arguments = {"kind": "JKM", "on": D(2026, 5, 10), **changes}
    with pytest.raises(FieldErrors) as excinfo:
        estimate(**arguments)
    assert excinfo.value.fields[field][0]["code"] == code


def test_no_table_before_2015():
    with pytest.raises(DomainError) as excinfo:
        estimate("JKM", D(2014, 1, 1))
    assert excinfo.value.code == "CLAIM_NO_BENEFIT_TABLE"


def test_the_api_and_the_page(world, api_token):
    body = {"kind": "JKK_DEATH", "event_date": "2026-03-01", "reported_income": 1_000_000,
            "contribution_months": 40, "incapacity_days": 0,
            "children": [{"birth_date": "2015-02-01", "education_level": "SD"}]}  # fmt: skip
    response = Client().post(
        "/api/v1/benefits/estimate", body, content_type="application/json",
        **api_token(world.village_operator),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["total_cash"], data["scholarship_eligible"], data["scholarship_max"]) == (
        70_000_000, True, 87_000_000,
    )  # fmt: skip
    assert [item["amount"] for item in data["items"]] == [48_000_000, 10_000_000, 12_000_000]
    assert data["legal_basis"].startswith("PP 82/2019")
    refused = Client().post(
        "/api/v1/benefits/estimate", {**body, "kind": "X"}, content_type="application/json",
        **api_token(world.village_operator),
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["details"]["fields"]["kind"][0]["code"] == "CLAIM_KIND_INVALID"
    anonymous = Client().post("/api/v1/benefits/estimate", body, content_type="application/json")
    assert anonymous.status_code == 401
    page = client_for(world.village_operator).get(
        "/kalkulator-manfaat/",
        {"kind": "JKM", "event_date": "2026-03-01", "reported_income": "1000000",
         "contribution_months": "36", "child1_birth_date": "2016-01-01",
         "child1_education_level": "SD"},
    )  # fmt: skip
    assert page.status_code == 200
    html = page.content.decode()
    assert "42.000.000" in html or "42,000,000" in html
    assert "87.000.000" in html or "87,000,000" in html
