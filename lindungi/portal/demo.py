"""The demo world `make run` creates: one account per role around Kutai Kartanegara (64.02)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create

DEMO_PASSWORD = "Lindungi#Demo2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    region_code: str | None
    first_name: str
    last_name: str


DEMO_ACCOUNTS = [
    DemoAccount("superadmin", Role.SUPERADMIN, None, "Super", "Admin"),
    DemoAccount("prov.kaltim", Role.PROVINCE_ADMIN, "64", "Rahmawati", "Admin Kaltim"),
    DemoAccount("admin.kukar", Role.REGENCY_ADMIN, "64.02", "Budi", "Santoso"),
    DemoAccount("op.tenggarong", Role.DISTRICT_OPERATOR, "64.02.06", "Siti", "Aminah"),
    DemoAccount("op.loaipuh", Role.VILLAGE_OPERATOR, "64.02.06.1002", "Andi", "Pratama"),
    DemoAccount("bpjs.kukar", Role.BPJS_OFFICER, "64.02", "Dewi", "Lestari"),
    DemoAccount("auditor.kukar", Role.AUDITOR, "64.02", "Hendra", "Wijaya"),
]


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; returns (account, created)."""
    results = []
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    for account in DEMO_ACCOUNTS:
        created = account.username not in existing
        if created:
            user_create(
                actor=None,
                username=account.username,
                password=DEMO_PASSWORD,
                role=account.role,
                region_code=account.region_code,
                first_name=account.first_name,
                last_name=account.last_name,
            )
        results.append((account, created))
    return results
