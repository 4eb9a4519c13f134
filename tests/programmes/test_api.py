"""The API of programmes and rates (/api/v1/programmes, /api/v1/rates): the same services as the
pages, 422 with a code per field, 409 on a stale version, 403 for a programme one reads but does
not run, 404 outside the scope — and nothing written whenever it refuses."""

from __future__ import annotations

import pytest
from django.test import Client

from lindungi.core.models import AuditEvent
from lindungi.programmes.models import BenefitRule, ContributionRate, Programme

from .conftest import api_body, codes, nothing_written, submitted

pytestmark = pytest.mark.django_db

URL = "/api/v1/programmes"


def _post(url: str, body: dict, auth: dict):
    return Client().post(url, body, content_type="application/json", **auth)


def _patch(url: str, body: dict, auth: dict):
    return Client().patch(url, body, content_type="application/json", **auth)


def test_creating_a_co_funded_programme_answers_201_with_the_programme(world, api_token):
    body = api_body(
        funders=[
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 7276},
            {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 2724},
        ],
        targets=[{"region_code": "64.02.06", "quota": 5000}, {"region_code": "64.02.01"}],
        occupations=["petani", "nelayan"],
    )
    response = _post(URL, body, api_token(world.regency_admin))
    assert response.status_code == 201, response.content
    programme = Programme.objects.get()
    assert response.json() == {
        "id": programme.pk,
        "name": "Perlindungan Pekerja Rentan Kukar 2026",
        "region_code": "64.02",
        "funder": "APBD_KABKOTA",
        "funder_name": "Pemkab Kutai Kartanegara",
        "legal_basis": "Perbup Kukar No. 12/2025",
        "budget_year": 2026,
        "budget_amount": 3_000_000_000,
        "benefits": ["JKK", "JKM"],
        "reported_income": 1_000_000,
        "monthly_contribution": 16_800,
        "bpjs_group": "SG",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "min_age": 15,
        "max_age": 65,
        "occupations": ["nelayan", "petani"],
        "verification_required": True,
        "income_ceiling": None,
        "priority_occupations": [],
        "predecessor_id": None,
        "version": 1,
        "targets": [
            {"region_code": "64.02.01", "quota": None},
            {"region_code": "64.02.06", "quota": 5000},
        ],
        "funders": [
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 7276,
             "account": None},
            {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 2724,
             "account": None},
        ],
        "active_enrolments": 0,
        "waiting_enrolments": 0,
        "can_manage": True,
    }  # fmt: skip
    event = AuditEvent.objects.get(action="programme.create")
    assert (event.actor, event.channel) == (world.regency_admin, "api")


def test_field_errors_answer_422_with_a_code_per_field_and_write_nothing(world, api_token):
    auth = api_token(world.regency_admin)
    before = AuditEvent.objects.count()
    response = _post(
        URL,
        api_body(name=" ", funder="APBN", bpjs_group="ZZ", budget_amount=-1, min_age=14,
                 benefit_jkk=False, benefit_jkm=False, occupations=["astronot"],
                 targets=[{"region_code": "64.71.01", "quota": 100}],
                 funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab", "share_bp": 9000}]),
        auth,
    )  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["message"]) == ("validation_error", "Data yang dikirim tidak valid.")
    assert codes(body["details"]["fields"]) == {
        "name": ["PROGRAMME_NAME_REQUIRED"],
        "funder": ["PROGRAMME_FUNDER_INVALID"],
        "bpjs_group": ["PROGRAMME_BPJS_GROUP_INVALID"],
        "budget_amount": ["PROGRAMME_AMOUNT_INVALID"],
        "max_age": ["PROGRAMME_AGE_RANGE"],
        "benefit_jkk": ["PROGRAMME_NO_BENEFIT"],
        "occupations": ["PROGRAMME_OCCUPATION_INVALID"],
        "targets": ["PROGRAMME_TARGET_OUTSIDE"],
        "funders": ["PROGRAMME_SHARES_INVALID"],
    }
    assert body["details"]["fields"]["bpjs_group"][0]["message"] == (
        "Kode wadah BPJS “ZZ” tidak dikenal (SG, SD, SA, SL, SC atau SB)."
    )
    assert body["details"]["fields"]["budget_amount"][0]["message"] == (
        "Nilai rupiah -1 tidak boleh negatif."
    )
    nothing_written(before)


def test_the_api_takes_iso_dates_and_whole_numbers_and_says_so(world, api_token):
    """A machine interface: dates YYYY-MM-DD and numbers as JSON numbers (the pages read
    01-01-2026 and 3.000.000.000: test_forms.py)."""
    auth = api_token(world.regency_admin)
    before = AuditEvent.objects.count()
    response = _post(
        URL,
        api_body(start_date="01-01-2026", budget_amount="3.000.000.000",
                 targets=[{"region_code": "64.02.06", "quota": "5.000"}]),
        auth,
    )  # fmt: skip
    assert response.status_code == 422
    fields = response.json()["details"]["fields"]
    assert fields == {
        "start_date": [{"code": "DATE_FROM_DATETIME_PARSING",
                        "message": "Tanggal tidak valid (gunakan format YYYY-MM-DD)."}],
        "budget_amount": [{"code": "INT_PARSING", "message": "Harus berupa bilangan bulat."}],
        "targets.0.quota": [{"code": "INT_PARSING", "message": "Harus berupa bilangan bulat."}],
    }  # fmt: skip
    # Text with one group of thousands is refused too: read as a decimal it was Rp750.
    for name, value in (("budget_amount", "750.000"), ("income_ceiling", "950.000")):
        refused = _post(URL, api_body(**{name: value}), auth)
        assert codes(refused.json()["details"]["fields"]) == {name: ["INT_PARSING"]}
    missing = _post(URL, {"name": "Tanpa isi"}, auth)
    assert missing.status_code == 422
    assert set(missing.json()["details"]["fields"]) == {
        "funder", "funder_name", "legal_basis", "budget_year", "start_date", "end_date", "targets",
    }  # fmt: skip
    nothing_written(before)
    # Digits alone are a number, as JSON text too.
    created = _post(URL, api_body(budget_amount="3000000000"), auth)
    assert (created.status_code, created.json()["budget_amount"]) == (201, 3_000_000_000)


def test_who_may_create_and_who_is_refused(world, api_token):
    assert Client().post(URL, api_body(), content_type="application/json").status_code == 401
    for role in ("village_operator", "bpjs_officer", "auditor"):
        refused = _post(URL, api_body(), api_token(getattr(world, role)))
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    outside = _post(URL, api_body(region_code="64.71"), api_token(world.regency_admin))
    assert codes(outside.json()["details"]["fields"]) == {
        "region_code": ["PROGRAMME_REGION_OUT_OF_SCOPE"]
    }
    assert not Programme.objects.exists()


def test_reading_follows_the_scope(world, programmes, api_token):
    kukar, kaltim = programmes.kukar.pk, programmes.kaltim.pk
    regency = api_token(world.regency_admin)
    listed = Client().get(URL, **regency).json()
    assert [(p["name"], p["can_manage"]) for p in listed] == [
        ("Kaltim Peduli Pekerja Rentan 2026", False),
        ("Perlindungan Pekerja Rentan Kukar 2026", True),
    ]
    province = Client().get(f"{URL}/{kukar}", **api_token(world.province_admin))
    assert (province.status_code, province.json()["can_manage"]) == (200, True)
    above = Client().get(f"{URL}/{kaltim}", **regency).json()
    assert (above["region_code"], above["targets"]) == ("64", [
        {"region_code": "64.02", "quota": 5614}, {"region_code": "64.71", "quota": 1200},
    ])  # fmt: skip
    outside = Client().get(f"{URL}/{kukar}", **api_token(world.balikpapan_admin))
    assert (outside.status_code, outside.json()["code"]) == (404, "not_found")
    assert Client().get(f"{URL}/{kukar + 1000}", **regency).status_code == 404


def test_patch_changes_what_it_names(world, programmes, api_token):
    url = f"{URL}/{programmes.kukar.pk}"
    response = _patch(url, {"version": 1, "budget_amount": 3_250_000_000,
                            "targets": [{"region_code": "64.02.06", "quota": 4500}]},
                      api_token(world.regency_admin))  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["budget_amount"], body["targets"]) == (
        2, 3_250_000_000, [{"region_code": "64.02.06", "quota": 4500}],
    )  # fmt: skip
    assert body["name"] == "Perlindungan Pekerja Rentan Kukar 2026"
    assert AuditEvent.objects.get(action="programme.update").changes == {
        "budget_amount": [3_000_000_000, 3_250_000_000],
        "targets": [[["64.02.06", None]], [["64.02.06", 4500]]],
    }


def test_patch_refusals_409_422_403_404_change_nothing(world, programmes, api_token):
    kukar = f"{URL}/{programmes.kukar.pk}"
    regency = api_token(world.regency_admin)
    _patch(kukar, {"version": 1, "name": "Versi dua"}, api_token(world.province_admin))

    stale = _patch(kukar, {"version": 1, "budget_amount": 1}, regency)
    assert (stale.status_code, stale.json()["code"]) == (409, "PROGRAMME_STALE")
    assert stale.json()["message"] == (
        "Program ini telah diubah oleh pengguna lain (versi 2). Muat ulang lalu ulangi."
    )
    invalid = _patch(kukar, {"version": 2, "end_date": "2025-12-31", "targets": []}, regency)
    assert invalid.status_code == 422
    assert codes(invalid.json()["details"]["fields"]) == {
        "end_date": ["PROGRAMME_PERIOD_INVALID"],
        "targets": ["PROGRAMME_TARGETS_REQUIRED"],
    }
    province = _patch(f"{URL}/{programmes.kaltim.pk}", {"budget_amount": 1}, regency)
    assert (province.status_code, province.json()["code"]) == (403, "forbidden")
    outside = _patch(kukar, {"budget_amount": 1}, api_token(world.balikpapan_admin))
    assert (outside.status_code, outside.json()["code"]) == (404, "not_found")

    stored = Programme.objects.get(pk=programmes.kukar.pk)
    assert (stored.name, stored.budget_amount, stored.version) == ("Versi dua", 3_000_000_000, 2)
    assert Programme.objects.get(pk=programmes.kaltim.pk).budget_amount == 12_000_000_000
    assert AuditEvent.objects.filter(action="programme.update").count() == 1


def test_patch_of_a_locked_rule_names_the_field(kukar, programme, api_token):
    submitted(kukar.world.regency_admin, programme)
    response = _patch(f"{URL}/{programme.pk}", {"reported_income": 1_500_000},
                      api_token(kukar.world.regency_admin))  # fmt: skip
    assert response.status_code == 422
    assert codes(response.json()["details"]["fields"]) == {
        "reported_income": ["PROGRAMME_RULES_LOCKED"]
    }
    listed = Client().get(f"{URL}/{programme.pk}", **api_token(kukar.world.regency_admin)).json()
    assert (listed["reported_income"], listed["waiting_enrolments"]) == (1_000_000, 5)


def test_renewal_through_the_api(world, programmes, api_token):
    url = f"{URL}/{programmes.kukar.pk}/renew"
    regency = api_token(world.regency_admin)
    wrong = _post(url, {"start_date": "2027-02-01"}, regency)
    assert codes(wrong.json()["details"]["fields"]) == {"start_date": ["PROGRAMME_RENEWAL_START"]}
    created = _post(url, {"budget_amount": 3_100_000_000}, regency)
    assert created.status_code == 201
    body = created.json()
    assert (body["predecessor_id"], body["start_date"], body["end_date"], body["budget_year"]) == (
        programmes.kukar.pk, "2027-01-01", "2027-12-31", 2027,
    )  # fmt: skip
    assert (body["name"], body["budget_amount"]) == (
        "Perlindungan Pekerja Rentan Kukar 2026 (lanjutan 2027)", 3_100_000_000,
    )  # fmt: skip
    again = _post(url, {}, regency)
    assert (again.status_code, again.json()["code"]) == (409, "PROGRAMME_ALREADY_RENEWED")
    assert _post(f"{URL}/{programmes.kaltim.pk}/renew", {}, regency).status_code == 403
    outside = _post(url, {}, api_token(world.balikpapan_admin))
    assert outside.status_code == 404
    assert Programme.objects.count() == 4


def test_the_budget_simulator_of_penajam_paser_utara(world, api_token):
    auth = api_token(world.auditor)
    query = {"budget": 3_000_000_000, "months": 12, "funder": "APBD_KABKOTA", "date": "2026-06-01"}
    response = Client().get(f"{URL}/simulate", query, **auth)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("workers", "months", "monthly_cost_per_worker",
                                 "annual_cost_per_worker", "budget_used", "remainder")} == {
        "workers": 14_880, "months": 12, "monthly_cost_per_worker": 16_800,
        "annual_cost_per_worker": 201_600, "budget_used": 2_999_808_000, "remainder": 192_000,
    }  # fmt: skip
    need = Client().get(f"{URL}/simulate", {"workers": 14_880, "date": "2026-06-01"}, **auth)
    assert need.json()["budget"] == 2_999_808_000
    written = Client().get(f"{URL}/simulate", {**query, "budget": "3.000.000.000"}, **auth)
    assert codes(written.json()["details"]["fields"]) == {"budget": ["INT_PARSING"]}


def test_the_contribution_rate_api(world, api_token):
    auth = api_token(world.regency_admin)
    url = "/api/v1/rates/contribution"

    def quote(**query):
        return Client().get(url, {"reported_income": 1_000_000, **query}, **auth).json()

    standard = quote(funder="APBD_KABKOTA", date="2026-06-01")
    assert (standard["jkk"], standard["jkm"], standard["jht"], standard["total"]) == (
        10_000, 6_800, 0, 16_800,
    )  # fmt: skip
    driver = quote(funder="MANDIRI", date="2026-02-01", occupation="ojek_pengemudi")
    assert (driver["total"], driver["discount"]) == (
        8_400, "Diskon 50% iuran JKK/JKM BPU sektor transportasi",
    )  # fmt: skip
    assert quote(funder="MANDIRI", date="2026-02-01", occupation="petani")["total"] == 16_800
    assert quote(funder="CSR", date="2026-04-01")["total"] == 8_400
    assert quote(funder="APBDES", date="2026-04-01")["total"] == 16_800
    with_jht = quote(funder="APBD_PROVINSI", date="2026-06-01", benefits="JKK,JKM,JHT")
    assert (with_jht["jht"], with_jht["total"]) == (20_000, 36_800)
    refused = Client().get(url, {"reported_income": 1_000_000, "funder": "APBD_KABKOTA",
                                 "date": "2015-06-30"}, **auth)  # fmt: skip
    assert codes(refused.json()["details"]["fields"]) == {"date": ["RATE_NOT_IN_FORCE"]}


def test_rate_and_benefit_versions_through_the_api(world, api_token):
    superadmin, regency = api_token(world.superadmin), api_token(world.regency_admin)
    listed = Client().get("/api/v1/rates", **regency).json()
    assert [(r["benefit"], r["valid_from"], r["valid_to"]) for r in listed] == [
        ("JHT", "2015-07-01", None), ("JKK", "2015-07-01", None), ("JKM", "2015-07-01", None),
    ]  # fmt: skip
    version = {"benefit": "JKM", "kind": "flat", "amount": 7_500, "valid_from": "2027-01-01",
               "legal_basis": "PP 12/2026"}  # fmt: skip
    assert _post("/api/v1/rates", version, regency).status_code == 403
    bad = _post("/api/v1/rates", {**version, "valid_from": "2015-07-01"}, superadmin)
    assert codes(bad.json()["details"]["fields"]) == {"valid_from": ["RATE_VALID_FROM"]}
    assert ContributionRate.objects.count() == 3
    created = _post("/api/v1/rates", version, superadmin)
    assert created.status_code == 201
    assert (created.json()["amount"], created.json()["valid_to"]) == (7_500, None)

    table = Client().get("/api/v1/rates/benefits", {"date": "2019-12-01"}, **regency).json()
    assert len(table) == 13 and {r["legal_basis"] for r in table} == {
        "PP 44/2015 Lampiran III (manfaat JKK/JKM sebelum PP 82/2019)"
    }
    funeral = {"valid_from": "2027-01-01", "amount": 15_000_000, "legal_basis": "PP 13/2026"}
    assert _post("/api/v1/rates/benefits/JKM_FUNERAL", funeral, regency).status_code == 403
    unknown = _post("/api/v1/rates/benefits/JKM_TIDAK_ADA", funeral, superadmin)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert BenefitRule.objects.count() == 31
    new = _post("/api/v1/rates/benefits/JKM_FUNERAL", funeral, superadmin)
    assert (new.status_code, new.json()["amount"], new.json()["label"]) == (
        201, 15_000_000, "Biaya pemakaman",
    )  # fmt: skip
    later = Client().get("/api/v1/rates/benefits", {"date": "2027-01-01"}, **regency).json()
    assert [r["amount"] for r in later if r["code"] == "JKM_FUNERAL"] == [15_000_000]
