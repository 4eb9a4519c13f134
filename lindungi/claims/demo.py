"""The demo claims of `make run`: three covered workers of the demo programme died — one claim
paid to the widow, one submitted to BPJS and now overdue, one still collecting its documents —
so the claims list, the clocks and the dashboard show what a data officer would see."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from lindungi.accounts.models import User
from lindungi.enrolment.models import Enrolment, EnrolmentStatus
from lindungi.registry.services import heir_add

from .models import ClaimCase
from .services import checklist, claim_advance, claim_document_upload, claim_heir_choose


def _prepare(admin: User, case: ClaimCase) -> None:
    widow = case.worker.heirs.filter(relationship="spouse").first()
    claim_heir_choose(actor=admin, case_id=case.pk, heir_id=widow.pk if widow else None)
    for item in checklist(ClaimCase.objects.get(pk=case.pk)):
        claim_document_upload(
            actor=admin, case_id=case.pk, kind=item["kind"],
            file=io.BytesIO(b"%PDF-1.4 contoh dokumen"), file_name=f"{item['kind']}.pdf",
        )  # fmt: skip


def demo_claims_ensure(*, life_event_record: Callable[..., Any]) -> int:
    """Record the demo deaths once, through the life-event workflow handed in by the caller
    (`lindungi.lifecycle`, above this app), which opens their claims; returns how many."""
    if ClaimCase.objects.exists():
        return 0
    admin = User.objects.filter(username="admin.kukar").first()
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.ACTIVE, covered_from__lte=today - dt.timedelta(days=60)
        ).select_related("worker")[:3]
    )
    if admin is None or len(enrolments) < 3:
        return 0
    days_ago = [45, 12, 4]
    for enrolment, ago in zip(enrolments, days_ago, strict=True):
        worker = enrolment.worker
        heir_add(actor=admin, worker_id=worker.pk,
                 data={"full_name": "Sri Wahyuni", "relationship": "spouse"})  # fmt: skip
        heir_add(actor=admin, worker_id=worker.pk,
                 data={"full_name": "Putri", "relationship": "child", "birth_date": "2015-07-01"})  # fmt: skip
        life_event_record(
            actor=admin, worker_id=worker.pk, kind="deceased",
            event_date=today - dt.timedelta(days=ago), reason="Meninggal dunia (contoh demo)",
        )  # fmt: skip
    paid, late, _collecting = ClaimCase.objects.order_by("event_date")
    _prepare(admin, paid)
    steps: list[tuple[str, int, dict[str, Any]]] = [
        ("submitted", 40, {}),
        ("approved", 38, {"bpjs_reference": "JKM-DEMO-1"}),
        ("paid", 37, {"amount_paid": paid.entitlement}),
    ]
    for status, ago, data in steps:
        claim_advance(actor=admin, case_id=paid.pk, status=status,
                      data={"date": (today - dt.timedelta(days=ago)).isoformat(), **data})  # fmt: skip
    _prepare(admin, late)
    claim_advance(actor=admin, case_id=late.pk, status="submitted",
                  data={"date": (today - dt.timedelta(days=10)).isoformat()})  # fmt: skip
    return ClaimCase.objects.count()
