"""Who sees which programme and who may change it (README "Region scope"): one's own region and
below, plus the province's programme for the regencies it covers; outside, a programme does not
exist (404); visible but not one's own, it is read-only (403)."""

from __future__ import annotations

import pytest

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.core.errors import Forbidden, NotFound
from lindungi.programmes.selectors import (
    can_manage,
    programme_for_manage,
    programme_get,
    programme_list,
)
from lindungi.programmes.services import programme_create

from ..conftest import PASSWORD
from .conftest import PROGRAMME

pytestmark = pytest.mark.django_db


def _names(actor) -> set[str]:
    return {p.name for p in programme_list(actor=actor)}


KUKAR = "Perlindungan Pekerja Rentan Kukar 2026"
KALTIM = "Kaltim Peduli Pekerja Rentan 2026"
BALIKPAPAN = "Balikpapan Lindungi Pekerja Rentan 2026"

VISIBLE = {
    "superadmin": {KUKAR, KALTIM, BALIKPAPAN},
    "province_admin": {KUKAR, KALTIM, BALIKPAPAN},
    "regency_admin": {KUKAR, KALTIM},
    "district_operator": {KUKAR, KALTIM},
    "village_operator": {KUKAR, KALTIM},
    "bpjs_officer": {KUKAR, KALTIM},
    "auditor": {KUKAR, KALTIM},
    "balikpapan_admin": {KALTIM, BALIKPAPAN},
    "manggar_operator": {KALTIM, BALIKPAPAN},
}


@pytest.mark.parametrize(("role", "names"), VISIBLE.items())
def test_each_role_lists_its_regions_programmes_and_those_above(world, programmes, role, names):
    assert _names(getattr(world, role)) == names


def test_the_list_is_newest_budget_year_first_then_by_name(world, programmes):
    later = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "name": "Perlindungan Pekerja Rentan Kukar 2027", "budget_year": 2027},
    )
    assert [p.name for p in programme_list(actor=world.regency_admin)] == [
        later.name,
        KALTIM,
        KUKAR,
    ]


def test_a_balikpapan_admin_does_not_find_kukars_programme(world, programmes):
    with pytest.raises(NotFound) as excinfo:
        programme_get(actor=world.balikpapan_admin, programme_id=programmes.kukar.pk)
    assert (excinfo.value.status, excinfo.value.code) == (404, "not_found")
    # The same answer as for a programme nobody has.
    with pytest.raises(NotFound):
        programme_get(actor=world.balikpapan_admin, programme_id=programmes.kukar.pk + 1000)
    with pytest.raises(NotFound):
        programme_for_manage(actor=world.balikpapan_admin, programme_id=programmes.kukar.pk)


def test_kukar_reads_the_provinces_programme_but_may_not_change_it(world, programmes):
    kaltim = programme_get(actor=world.regency_admin, programme_id=programmes.kaltim.pk)
    assert kaltim == programmes.kaltim
    assert can_manage(world.regency_admin, kaltim) is False
    with pytest.raises(Forbidden) as excinfo:
        programme_for_manage(actor=world.regency_admin, programme_id=kaltim.pk)
    assert excinfo.value.status == 403


@pytest.mark.parametrize(
    ("role", "kukar", "kaltim"),
    [
        ("superadmin", True, True),
        ("province_admin", True, True),
        ("regency_admin", True, False),
        ("balikpapan_admin", False, False),
        ("district_operator", False, False),  # reads, no programme rights
        ("bpjs_officer", False, False),
        ("auditor", False, False),
    ],
)
def test_who_manages_which_programme(world, programmes, role, kukar, kaltim):
    actor = getattr(world, role)
    assert (can_manage(actor, programmes.kukar), can_manage(actor, programmes.kaltim)) == (
        kukar,
        kaltim,
    )


def test_a_donor_sees_only_what_it_funds_and_an_anonymous_visitor_nothing(world, programmes):
    donor = user_create(actor=None, username="csr.pupukkaltim", password=PASSWORD,
                        role=Role.DONOR, region_code="64.02")  # fmt: skip
    assert _names(donor) == set()  # its region's programmes are not its own
    funded = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "name": "GN Lingkaran PT Pupuk Kaltim 2026", "funder": "CSR",
              "funder_name": "PT Pupuk Kalimantan Timur",
              "funders": [{"funder": "CSR", "name": "PT Pupuk Kalimantan Timur",
                           "share_bp": 10000, "account": "csr.pupukkaltim"}]},
    )  # fmt: skip
    assert list(programme_list(actor=donor)) == [funded]
    assert can_manage(donor, funded) is False
    from django.contrib.auth.models import AnonymousUser

    assert list(programme_list(actor=AnonymousUser())) == []
    assert list(programme_list(actor=None)) == []
