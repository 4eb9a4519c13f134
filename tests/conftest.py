"""Shared fixtures: regions loaded once per session, and a small world of accounts.

Places used throughout (domain.md §2–§3): Kalimantan Timur 64, Kutai Kartanegara 64.02,
Tenggarong 64.02.06, Loa Ipuh 64.02.06.1002, Kota Balikpapan 64.71 (outside Kukar),
Manggar 64.71.01.1001 (a Balikpapan kelurahan).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.regions.models import Region
from lindungi.regions.services import regions_load

from .helpers import audit_triggers

PASSWORD = "Rahasia#Uji2026"


@pytest.fixture(autouse=True)
def _fresh_reference_data() -> None:
    """Each test's database starts from its own regions and occupations: the validators'
    process-wide reference sets must not carry over from the previous test."""
    from lindungi.registry.validation import reference_cache_clear

    reference_cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture
def regions(db: Any) -> None:
    """Regions are present (reloaded after a transactional test flushed them)."""
    if not Region.objects.filter(code="64.02.06.1002").exists():
        regions_load()


@pytest.fixture
def _transactional_audit_guard(transactional_db: Any) -> Iterator[None]:
    """Transactional tests end with a flush; lift the audit log's append-only triggers for it."""
    audit_triggers(connection, active=True)
    yield
    audit_triggers(connection, active=False)


@pytest.fixture
def live_db(_transactional_audit_guard: None, transactional_db: Any) -> None:
    """Reference data a flush removed: regions and the seeded occupation categories."""
    if not Region.objects.filter(code="64.02.06.1002").exists():
        regions_load()
    from importlib import import_module

    from lindungi.registry.models import OccupationCategory

    seed = import_module("lindungi.registry.migrations.0002_seed_occupations")
    for order, (code, name, keywords) in enumerate(seed.OCCUPATIONS, start=1):
        OccupationCategory.objects.update_or_create(
            code=code, defaults={"name": name, "keywords": keywords, "sort_order": order}
        )
    from lindungi.enrolment import layouts
    from lindungi.enrolment.models import ExchangeLayout
    from lindungi.programmes import reference
    from lindungi.programmes.models import BenefitRule, ContributionDiscount, ContributionRate

    reference.seed(ContributionRate, ContributionDiscount, BenefitRule)
    layouts.seed(ExchangeLayout)


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(regions: None) -> MakeUser:
    def make(username: str, role: str, region: str | None, password: str = PASSWORD) -> User:
        return user_create(
            actor=None, username=username, password=password, role=role, region_code=region
        )

    return make


@dataclass
class World:
    superadmin: User
    province_admin: User  # Kalimantan Timur 64
    regency_admin: User  # Kutai Kartanegara 64.02
    district_operator: User  # Tenggarong 64.02.06
    village_operator: User  # Loa Ipuh 64.02.06.1002
    bpjs_officer: User  # 64.02
    auditor: User  # 64.02
    balikpapan_admin: User  # Kota Balikpapan 64.71
    manggar_operator: User  # Manggar 64.71.01.1001


@pytest.fixture
def world(make_user: MakeUser) -> World:
    return World(
        superadmin=make_user("super", Role.SUPERADMIN, None),
        province_admin=make_user("prov.kaltim", Role.PROVINCE_ADMIN, "64"),
        regency_admin=make_user("admin.kukar", Role.REGENCY_ADMIN, "64.02"),
        district_operator=make_user("op.tenggarong", Role.DISTRICT_OPERATOR, "64.02.06"),
        village_operator=make_user("op.loaipuh", Role.VILLAGE_OPERATOR, "64.02.06.1002"),
        bpjs_officer=make_user("bpjs.kukar", Role.BPJS_OFFICER, "64.02"),
        auditor=make_user("auditor.kukar", Role.AUDITOR, "64.02"),
        balikpapan_admin=make_user("admin.bpp", Role.REGENCY_ADMIN, "64.71"),
        manggar_operator=make_user("op.manggar", Role.VILLAGE_OPERATOR, "64.71.01.1001"),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api_token() -> Callable[[User], dict[str, str]]:
    from lindungi.accounts.services import token_issue

    def make(user: User) -> dict[str, str]:
        _, raw = token_issue(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
