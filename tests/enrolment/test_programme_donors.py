"""A co-funder's donor account (issue 22): an admin attaches a donor account of its own region
or a national one — never another region's — and the refusal reads the same whether the name
belongs to an account elsewhere, to no donor, or to nobody (no username oracle)."""

from __future__ import annotations

import pytest
from django.test import Client

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.core.errors import FieldErrors
from lindungi.core.models import AuditEvent
from lindungi.programmes.models import Programme, ProgrammeFunder
from lindungi.programmes.services import programme_create, programme_renew, programme_update

from ..conftest import PASSWORD, client_for
from .conftest import PROGRAMME

pytestmark = pytest.mark.django_db


def _donor(username: str, region: str | None):
    return user_create(actor=None, username=username, password=PASSWORD, role=Role.DONOR,
                       region_code=region)  # fmt: skip


def _funded_by(username: str) -> dict:
    return {**PROGRAMME, "name": f"CSR {username}", "funder": "CSR", "funder_name": "PT Mitra",
            "funders": [{"funder": "CSR", "name": "PT Mitra", "share_bp": 10000,
                         "account": username}]}  # fmt: skip


def _refusal(actor, username: str) -> dict[str, str]:
    with pytest.raises(FieldErrors) as excinfo:
        programme_create(actor=actor, data=_funded_by(username))
    [error] = excinfo.value.fields["funders"]
    return {"code": error["code"], "message": error["message"].replace(username, "…")}


@pytest.fixture
def donors(world):
    return {
        "kukar": _donor("csr.kukar", "64.02"),
        "loaipuh": _donor("csr.loaipuh", "64.02.06.1002"),
        "national": _donor("csr.nasional", None),
        "balikpapan": _donor("csr.balikpapan", "64.71"),
    }


def test_a_donor_of_the_region_or_a_national_one_may_be_attached(world, donors):
    admin = world.regency_admin
    for name in ("kukar", "loaipuh", "national"):
        programme = programme_create(actor=admin, data=_funded_by(donors[name].username))
        assert programme.funders.get().account == donors[name]


def test_another_regions_donor_is_refused_like_a_name_nobody_has(world, donors):
    admin = world.regency_admin
    before = AuditEvent.objects.filter(action="programme.create").count()
    elsewhere = _refusal(admin, "csr.balikpapan")
    assert elsewhere["code"] == "PROGRAMME_SPONSOR_INVALID"
    nobody = _refusal(admin, "csr.tidakada")
    not_a_donor = _refusal(admin, world.auditor.username)  # an account of the region, no donor
    inactive = _donor("csr.nonaktif", "64.02")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    assert elsewhere == nobody == not_a_donor == _refusal(admin, "csr.nonaktif")
    assert "csr.balikpapan" not in nobody["message"]
    assert not Programme.objects.exists() and not ProgrammeFunder.objects.exists()
    assert AuditEvent.objects.filter(action="programme.create").count() == before


def test_the_api_and_the_page_refuse_it_and_write_nothing(world, donors, api_token):
    response = Client().post("/api/v1/programmes", _funded_by("csr.balikpapan"),
                             content_type="application/json",
                             **api_token(world.regency_admin))  # fmt: skip
    assert response.status_code == 422
    [error] = response.json()["details"]["fields"]["funders"]
    assert error["code"] == "PROGRAMME_SPONSOR_INVALID"
    page = client_for(world.regency_admin).post("/program/baru/", {
        "name": "CSR Balikpapan", "funder": "CSR", "funder_name": "PT Mitra",
        "legal_basis": "Perbup 1/2026", "budget_year": "2026", "reported_income": "1000000",
        "bpjs_group": "SG", "start_date": "2026-01-01", "end_date": "2026-12-31",
        "min_age": "15", "max_age": "65", "benefit_jkk": "on", "benefit_jkm": "on",
        "targets": "64.02.06", "funders": "CSR; PT Mitra; 100; csr.balikpapan",
    })  # fmt: skip
    assert page.status_code == 200
    assert error["message"] in page.content.decode()
    assert not Programme.objects.exists()


def test_an_update_may_not_attach_it_but_keeps_what_a_wider_admin_attached(world, donors):
    # The province admin may attach a Balikpapan donor (inside Kalimantan Timur) to Kukar's
    # programme; Kukar's admin then edits the programme without touching that co-funder.
    kukar_programme = programme_create(
        actor=world.province_admin, data={**_funded_by("csr.balikpapan"), "region_code": "64.02"}
    )
    programme_update(actor=world.regency_admin, programme_id=kukar_programme.pk,
                     data={"name": "Nama baru", "funders": _funded_by("csr.balikpapan")["funders"]})  # fmt: skip
    assert kukar_programme.funders.get().account == donors["balikpapan"]
    successor = programme_renew(actor=world.regency_admin, programme_id=kukar_programme.pk, data={})
    assert successor.funders.get().account == donors["balikpapan"]  # carried over
    own = programme_create(actor=world.regency_admin, data=_funded_by("csr.kukar"))
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(actor=world.regency_admin, programme_id=own.pk,
                         data={"funders": _funded_by("csr.balikpapan")["funders"]})  # fmt: skip
    assert excinfo.value.fields["funders"][0]["code"] == "PROGRAMME_SPONSOR_INVALID"
    assert own.funders.get().account == donors["kukar"]  # unchanged
