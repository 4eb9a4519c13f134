"""Claim cases: opening (by hand or from a recorded death), heirs, documents, status changes
and scholarship instalments. Every change is audited; a refused request changes nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import IO, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.billing.cover import worker_cover
from lindungi.core.actors import account
from lindungi.core.audit import audit_record
from lindungi.core.dates import iso_date, years_after
from lindungi.core.errors import Conflict, DomainError, FieldErrors, NotFound
from lindungi.core.files import document_upload_check
from lindungi.enrolment.models import COVERED_STATUSES, Enrolment
from lindungi.registry.models import Heir, LifeEvent, LifeEventKind, Worker

from .benefits import benefit_estimate
from .clocks import JKM_PAYMENT_WORKING_DAYS, add_working_days, claim_right_years
from .documents import DOCUMENTS, required_documents
from .errors import ClaimError
from .models import (
    DEATH_KINDS,
    OPEN_STATUSES,
    ClaimCase,
    ClaimDocument,
    ClaimKind,
    ClaimStatus,
    ClaimTransition,
    InstalmentStatus,
    ScholarshipInstalment,
)

logger = logging.getLogger(__name__)

DOCUMENT_MAX_MB = 10

# Which status may follow which, and who may make the change.
TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.REPORTED: {ClaimStatus.SUBMITTED, ClaimStatus.CANCELLED},
    ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.CANCELLED},
    ClaimStatus.APPROVED: {ClaimStatus.PAID},
    ClaimStatus.REJECTED: set(),
    ClaimStatus.PAID: set(),
    ClaimStatus.CANCELLED: set(),
}


def _today() -> dt.date:
    return timezone.localdate()


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())[:500]


def case_get(*, actor: Any, case_id: int, lock: bool = False) -> ClaimCase:
    """A case the actor may see (else 404, whether it exists or not)."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = ClaimCase.objects.visible_to(actor)
    if lock:
        rows = rows.select_for_update(of=("self",))
    case = rows.select_related("worker", "heir", "enrolment__programme").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def _number(case: ClaimCase) -> str:
    return f"KLM-{case.event_date:%Y}-{case.pk:06d}"


def _cover_on(worker_id: int, kind: str, on: dt.date) -> Enrolment | None:
    """The enrolment whose cover for the claim's benefit was in force on `on`."""
    benefit = Q(benefit_jkm=True) if kind == ClaimKind.JKM else Q(benefit_jkk=True)
    return (
        Enrolment.objects.filter(
            benefit,
            worker_id=worker_id,
            status__in=COVERED_STATUSES,
            covered_from__lte=on,
        )
        .filter(Q(covered_until__isnull=True) | Q(covered_until__gte=on))
        .select_related("programme")
        .order_by("-covered_from", "-id")
        .first()
    )


def _children(worker_id: int) -> list[Heir]:
    return list(
        Heir.objects.filter(
            worker_id=worker_id, relationship="child", is_active=True, birth_date__isnull=False
        ).order_by("birth_date", "id")
    )


def _assess(case: ClaimCase, *, actor: Any) -> None:
    """Eligibility on the event date, masa iur, the entitlement and the JKK claim deadline."""
    enrolment = _cover_on(case.worker_id, case.kind, case.event_date)
    case.enrolment = enrolment
    case.eligible = enrolment is not None
    benefit = "JKM" if case.kind == ClaimKind.JKM else "JKK"
    case.eligibility_note = (
        f"Kepesertaan {benefit} aktif pada tanggal kejadian ({enrolment.programme.name})."
        if enrolment
        else f"Tidak ada kepesertaan {benefit} yang aktif pada tanggal kejadian."
    )[:300]
    cover = worker_cover(actor=actor, worker_id=case.worker_id, today=case.event_date)
    case.contribution_months = cover.contribution_months
    income = int(enrolment.reported_income) if enrolment else 1_000_000
    estimate = benefit_estimate(
        kind=case.kind,
        event_date=case.event_date,
        reported_income=income,
        contribution_months=case.contribution_months,
        incapacity_days=case.incapacity_days,
        children=[
            {"birth_date": c.birth_date, "education_level": "BELUM_SEKOLAH"}
            for c in _children(case.worker_id)
            if c.birth_date is not None
        ],
        today=max(case.event_date, _today()),
    )
    case.entitlement = estimate.total_cash if case.eligible else 0
    case.estimate = {
        **estimate.as_dict(),
        "event_date": case.event_date.isoformat(),
        "scholarship_children": [
            {**c, "birth_date": c["birth_date"].isoformat()} for c in estimate.scholarship_children
        ],
    }
    case.legal_basis = estimate.legal_basis[:500]
    case.claim_deadline = (
        None
        if case.kind == ClaimKind.JKM
        else years_after(case.event_date, claim_right_years(case.event_date))
    )


def _transition(case: ClaimCase, to: str, *, actor: Any, on: dt.date, note: str = "") -> None:
    ClaimTransition.objects.create(
        case=case, from_status=case.status if case.pk else "", to_status=to, on=on,
        actor=account(actor), note=note,
    )  # fmt: skip


@transaction.atomic
def claim_open(
    *,
    actor: Any,
    worker_id: int,
    kind: Any,
    event_date: Any,
    incapacity_days: Any = 0,
    life_event: LifeEvent | None = None,
    note: str = "",
) -> ClaimCase:
    """Open a claim case for a worker's death or work accident (eligibility checked, entitlement
    computed from the table in force on the event date)."""
    require(actor, Capability.REGISTER_WORKERS)
    worker = Worker.objects.visible_to(actor).filter(pk=worker_id).first()
    if worker is None:
        raise NotFound()
    kind = str(kind or "").strip().upper()
    if kind not in ClaimKind.values:
        raise FieldErrors.single("kind", ClaimError.KIND_INVALID, arg=kind[:40])
    on = iso_date(event_date, "event_date", ClaimError.DATE_INVALID)
    if on > _today():
        raise FieldErrors.single("event_date", ClaimError.DATE_FUTURE)
    if on < worker.birth_date:
        raise FieldErrors.single("event_date", ClaimError.DATE_INVALID, arg=on.isoformat())
    days = benefit_estimate_days(incapacity_days)
    if kind in DEATH_KINDS:
        existing = (
            ClaimCase.objects.filter(worker=worker, kind__in=DEATH_KINDS)
            .exclude(status=ClaimStatus.CANCELLED)
            .first()
        )
        if existing is not None:
            raise Conflict(ClaimError.DEATH_CASE_EXISTS, arg=existing.number)
    case = ClaimCase(
        number="",
        worker=worker,
        region_code=worker.village_id,
        kind=kind,
        event_date=on,
        life_event=life_event,
        incapacity_days=days,
        created_by=account(actor),
    )
    _assess(case, actor=actor)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise Conflict(ClaimError.DEATH_CASE_EXISTS, arg="") from None
    case.number = _number(case)
    case.save(update_fields=["number"])
    ClaimTransition.objects.create(
        case=case, from_status="", to_status=ClaimStatus.REPORTED, on=_today(),
        actor=account(actor), note=_text(note) or ("Dari peristiwa kematian yang dicatat"
                                                   if life_event else ""),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="claim.open",
        obj=case,
        region_code=case.region_code,
        changes={"kind": [None, kind], "event_date": [None, on.isoformat()],
                 "eligible": [None, case.eligible], "entitlement": [None, case.entitlement]},
    )  # fmt: skip
    return case


def benefit_estimate_days(value: Any) -> int:
    try:
        days = int(value or 0)
    except (TypeError, ValueError):
        days = -1
    if days < 0 or isinstance(value, bool):
        raise FieldErrors.single("incapacity_days", ClaimError.NUMBER_INVALID, arg=str(value)[:20])
    return days


def claims_open_for_deaths(*, actor: Any, worker_ids: Iterable[int]) -> list[ClaimCase]:
    """A JKM case for every newly deceased worker who has none (explicit follow-up of a death
    recorded on a page, through the API or by an import) — so that no heir is forgotten.
    Deaths without cover on the date open no case; they stay visible in the worklist only
    if cover was active, which it was not."""
    opened = []
    events = (
        LifeEvent.objects.filter(
            worker_id__in=list(worker_ids), kind=LifeEventKind.DECEASED, cancelled_at__isnull=True
        )
        .exclude(worker_id__in=ClaimCase.objects.filter(kind__in=DEATH_KINDS).exclude(
            status=ClaimStatus.CANCELLED).values("worker_id"))
        .order_by("worker_id", "-event_date")
    )  # fmt: skip
    seen: set[int] = set()
    for event in events:
        if event.worker_id in seen:
            continue
        seen.add(event.worker_id)
        if _cover_on(event.worker_id, ClaimKind.JKM, event.event_date) is None and (
            _cover_on(event.worker_id, ClaimKind.JKK_DEATH, event.event_date) is None
        ):
            continue
        try:
            with transaction.atomic():
                opened.append(
                    claim_open(
                        actor=actor,
                        worker_id=event.worker_id,
                        kind=ClaimKind.JKM,
                        event_date=event.event_date,
                        life_event=event,
                    )
                )
        except DomainError as exc:
            # The death itself stays recorded; the worklist shows it until a case is opened.
            logger.warning("claim not opened for life event %s: %s", event.pk, exc.code)
    return opened


def _editable(case: ClaimCase) -> None:
    if case.status != ClaimStatus.REPORTED:
        raise Conflict(ClaimError.CASE_NOT_EDITABLE, arg=case.get_status_display())


@transaction.atomic
def claim_update(*, actor: Any, case_id: int, data: dict[str, Any]) -> ClaimCase:
    """Correct the kind (JKM ↔ JKK death), the event date or the incapacity days before the
    case is submitted; eligibility and entitlement are computed again."""
    require(actor, Capability.REGISTER_WORKERS)
    case = case_get(actor=actor, case_id=case_id, lock=True)
    _editable(case)
    before = {"kind": case.kind, "event_date": case.event_date.isoformat(),
              "incapacity_days": case.incapacity_days}  # fmt: skip
    if "kind" in data:
        kind = str(data["kind"] or "").strip().upper()
        if kind not in ClaimKind.values:
            raise FieldErrors.single("kind", ClaimError.KIND_INVALID, arg=kind[:40])
        if (kind in DEATH_KINDS) != (case.kind in DEATH_KINDS):
            raise FieldErrors.single("kind", ClaimError.KIND_CHANGE, arg=kind)
        case.kind = kind
    if "event_date" in data:
        on = iso_date(data["event_date"], "event_date", ClaimError.DATE_INVALID)
        if on > _today():
            raise FieldErrors.single("event_date", ClaimError.DATE_FUTURE)
        case.event_date = on
    if "incapacity_days" in data:
        case.incapacity_days = benefit_estimate_days(data["incapacity_days"])
    _assess(case, actor=actor)
    case.version += 1
    case.save()
    after = {"kind": case.kind, "event_date": case.event_date.isoformat(),
             "incapacity_days": case.incapacity_days}  # fmt: skip
    audit_record(
        actor=actor, action="claim.update", obj=case, region_code=case.region_code,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )  # fmt: skip
    return case


def heirs_in_order(worker_id: int) -> list[Heir]:
    return list(Heir.objects.filter(worker_id=worker_id, is_active=True).order_by(
        "priority_class", "rank", "id"))  # fmt: skip


@transaction.atomic
def claim_heir_choose(*, actor: Any, case_id: int, heir_id: Any, reason: str = "") -> ClaimCase:
    """Choose who receives a death benefit. A heir of a lower priority class than one on record
    receives only with a written reason (e.g. the spouse died too, or renounced in writing)."""
    require(actor, Capability.REGISTER_WORKERS)
    case = case_get(actor=actor, case_id=case_id, lock=True)
    _editable(case)
    if not case.is_death:
        raise Conflict(ClaimError.HEIR_NOT_NEEDED)
    heirs = heirs_in_order(case.worker_id)
    heir = next((h for h in heirs if str(h.pk) == str(heir_id)), None)
    if heir is None:
        raise FieldErrors.single("heir_id", ClaimError.HEIR_INVALID)
    best = min(h.priority_class for h in heirs)
    reason = _text(reason)
    if heir.priority_class > best and not reason:
        better = next(h for h in heirs if h.priority_class == best)
        raise FieldErrors.single(
            "reason", ClaimError.HEIR_REASON_REQUIRED,
            arg=str(better.get_relationship_display()).lower(),
        )  # fmt: skip
    before = case.heir_id
    case.heir, case.heir_reason = heir, reason if heir.priority_class > best else ""
    case.version += 1
    case.save(update_fields=["heir", "heir_reason", "version"])
    audit_record(
        actor=actor, action="claim.heir", obj=case, region_code=case.region_code,
        changes={"heir": [before, heir.pk], "priority_class": [None, heir.priority_class]},
        note=case.heir_reason,
    )  # fmt: skip
    return case


def checklist(case: ClaimCase) -> list[dict[str, Any]]:
    """Each required document, whether it is there, and its latest upload."""
    relationship = case.heir.relationship if case.heir_id and case.heir else None
    current = {
        d.kind: d for d in case.documents.filter(replaced=False).order_by("kind", "-uploaded_at")
    }
    return [
        {
            "kind": code,
            "label": str(DOCUMENTS[code]),
            "present": code in current,
            "document_id": current[code].pk if code in current else None,
            "file_name": current[code].file_name if code in current else "",
        }
        for code in required_documents(case.kind, heir_relationship=relationship)
    ]


@transaction.atomic
def claim_document_upload(
    *, actor: Any, case_id: int, kind: str, file: IO[bytes], file_name: str
) -> ClaimDocument:
    """Attach a document of the checklist (PDF/JPG/PNG, at most 10 MB); a later upload of the
    same kind replaces the earlier one, which is kept."""
    require(actor, Capability.REGISTER_WORKERS)
    case = case_get(actor=actor, case_id=case_id, lock=True)
    if case.status not in (ClaimStatus.REPORTED, ClaimStatus.SUBMITTED):
        raise Conflict(ClaimError.CASE_NOT_EDITABLE, arg=case.get_status_display())
    if kind not in DOCUMENTS:
        raise FieldErrors.single("kind", ClaimError.DOCUMENT_KIND, arg=str(kind)[:30])
    checked = document_upload_check(
        file, file_name, field="file", max_mb=DOCUMENT_MAX_MB,
        wrong_kind=ClaimError.DOCUMENT_TYPE, too_large=ClaimError.DOCUMENT_SIZE,
    )  # fmt: skip
    case.documents.filter(kind=kind, replaced=False).update(replaced=True)
    document = ClaimDocument(
        case=case, kind=kind, file_name=checked.name, sha256=checked.sha256, size=checked.size,
        uploaded_by=account(actor),
    )  # fmt: skip
    extension = checked.name.rsplit(".", 1)[-1]
    document.file.save(f"{case.pk}-{kind}.{extension}", File(file), save=False)
    document.save()
    audit_record(
        actor=actor, action="claim.document", obj=case, region_code=case.region_code,
        changes={"document": [None, {"kind": kind, "sha256": checked.sha256}]},
    )  # fmt: skip
    return document


def _submit_checks(case: ClaimCase) -> None:
    problems: dict[str, list[dict[str, str]]] = {}

    def add(field: str, error: ClaimError, **params: Any) -> None:
        message = str(error.label).format(**params) if params else str(error.label)
        problems.setdefault(field, []).append({"code": str(error.value), "message": message})

    if not case.eligible:
        add("status", ClaimError.NOT_ELIGIBLE)
    if case.is_death and case.heir_id is None:
        add("heir_id", ClaimError.HEIR_MISSING)
    missing = [str(i["label"]) for i in checklist(case) if not i["present"]]
    if missing:
        add("documents", ClaimError.DOCUMENTS_MISSING, arg=", ".join(missing))
    if case.claim_deadline and _today() > case.claim_deadline:
        add("status", ClaimError.CLAIM_RIGHT_EXPIRED, arg=case.claim_deadline.strftime("%d-%m-%Y"))
    if problems:
        raise FieldErrors(problems)


@transaction.atomic
def claim_advance(
    *, actor: Any, case_id: int, status: Any, data: dict[str, Any] | None = None
) -> ClaimCase:
    """Move a case on: submitted (complete file to BPJS: the JKM clock starts), approved or
    rejected by BPJS, paid (amount against the entitlement), or cancelled with a reason."""
    require(actor, Capability.MANAGE_CLAIMS)
    case = case_get(actor=actor, case_id=case_id, lock=True)
    data = data or {}
    to = str(status or "").strip().lower()
    if to not in ClaimStatus.values:
        raise FieldErrors.single("status", ClaimError.STATUS_INVALID, arg=to[:20])
    if to not in TRANSITIONS[case.status]:
        raise Conflict(
            ClaimError.TRANSITION_INVALID,
            arg=case.get_status_display(),
            to=ClaimStatus(to).label,
        )
    on = iso_date(data.get("date") or _today(), "date", ClaimError.DATE_INVALID)
    if on > _today():
        raise FieldErrors.single("date", ClaimError.DATE_FUTURE)
    note = _text(data.get("note"))
    before = case.status
    if to == ClaimStatus.SUBMITTED:
        _submit_checks(case)
        case.submitted_on = on
        case.due_on = add_working_days(on, JKM_PAYMENT_WORKING_DAYS) if case.is_death else None
    elif to == ClaimStatus.APPROVED:
        case.bpjs_reference = _text(data.get("bpjs_reference"))[:60]
        case.decided_on = on
    elif to == ClaimStatus.REJECTED:
        if not note:
            raise FieldErrors.single("note", ClaimError.REASON_REQUIRED)
        case.rejection_reason, case.decided_on = note, on
    elif to == ClaimStatus.PAID:
        amount = data.get("amount_paid")
        try:
            paid = int(str(amount))
        except (TypeError, ValueError):
            paid = -1
        if paid <= 0 or str(paid) != str(amount).strip():
            raise FieldErrors.single("amount_paid", ClaimError.AMOUNT_INVALID, arg=str(amount)[:20])
        case.amount_paid, case.paid_on = paid, on
        _plan_scholarship(case)
    elif to == ClaimStatus.CANCELLED and not note:
        raise FieldErrors.single("note", ClaimError.REASON_REQUIRED)
    ClaimTransition.objects.create(
        case=case, from_status=before, to_status=to, on=on, actor=account(actor), note=note
    )
    case.status = to
    case.version += 1
    case.save()
    audit_record(
        actor=actor, action="claim.status", obj=case, region_code=case.region_code,
        changes={"status": [before, to], **({"amount_paid": [None, case.amount_paid]}
                                            if to == ClaimStatus.PAID else {})},
        note=note,
    )  # fmt: skip
    return case


def _school_year(day: dt.date) -> int:
    """The school year a day falls in (July to June): 2026 = 2026/2027."""
    return day.year if day.month >= 7 else day.year - 1


def _plan_scholarship(case: ClaimCase) -> None:
    """Plan the first school year's instalment of each child the estimate counted."""
    if not case.estimate.get("scholarship_eligible"):
        return
    counted = {c["birth_date"] for c in case.estimate.get("scholarship_children", [])}
    year = _school_year(case.paid_on or _today())
    for child in _children(case.worker_id):
        if child.birth_date is None or child.birth_date.isoformat() not in counted:
            continue
        ScholarshipInstalment.objects.get_or_create(
            case=case, child=child, school_year=year,
            defaults={"education_level": "BELUM_SEKOLAH", "amount": 0},
        )  # fmt: skip


SCHOLARSHIP_RULE = {"TK": "SCHOLARSHIP_TK_SD", "SD": "SCHOLARSHIP_TK_SD",
                    "SMP": "SCHOLARSHIP_SMP", "SMA": "SCHOLARSHIP_SMA", "PT": "SCHOLARSHIP_HIGHER"}  # fmt: skip


@transaction.atomic
def scholarship_record(
    *, actor: Any, case_id: int, child_id: Any, data: dict[str, Any]
) -> ScholarshipInstalment:
    """Record a child's scholarship for a school year: the level, paid (amount from the table in
    force on the event date, within the level's years), or ended (23, married, working)."""
    from .benefits import benefit_rules

    require(actor, Capability.MANAGE_CLAIMS)
    case = case_get(actor=actor, case_id=case_id, lock=True)
    if case.status != ClaimStatus.PAID or not case.estimate.get("scholarship_eligible"):
        raise Conflict(ClaimError.SCHOLARSHIP_NOT_OPEN)
    child = next((c for c in _children(case.worker_id) if str(c.pk) == str(child_id)), None)
    if child is None:
        raise FieldErrors.single("child_id", ClaimError.HEIR_INVALID)
    year = int(data.get("school_year") or _school_year(_today()))
    ended = ScholarshipInstalment.objects.filter(case=case, child=child,
                                                 status=InstalmentStatus.ENDED).first()  # fmt: skip
    if ended is not None:
        raise Conflict(ClaimError.SCHOLARSHIP_ENDED, arg=ended.end_reason)
    end_reason = _text(data.get("end_reason"))
    age = year - child.birth_date.year if child.birth_date else 0
    if not end_reason and age >= 23:
        end_reason = "Usia 23 tahun"
    instalment, _ = ScholarshipInstalment.objects.get_or_create(
        case=case, child=child, school_year=year,
        defaults={"education_level": "BELUM_SEKOLAH", "amount": 0},
    )  # fmt: skip
    if end_reason:
        instalment.status, instalment.end_reason, instalment.amount = (
            InstalmentStatus.ENDED, end_reason[:100], 0)  # fmt: skip
        instalment.save()
        return instalment
    level = str(data.get("education_level") or "").strip().upper()
    if level not in SCHOLARSHIP_RULE:
        raise FieldErrors.single("education_level", ClaimError.EDUCATION_INVALID, arg=level[:20])
    rules = benefit_rules(case.event_date)
    rule = rules.get(SCHOLARSHIP_RULE[level]) or rules.get("SCHOLARSHIP_LUMP_SUM")
    if rule is None:
        raise DomainError(ClaimError.NO_TABLE, arg=case.event_date.strftime("%d-%m-%Y"))
    used = ScholarshipInstalment.objects.filter(
        case=case, child=child, status=InstalmentStatus.PAID,
        education_level__in=[k for k, v in SCHOLARSHIP_RULE.items() if v == rule.code],
    ).exclude(pk=instalment.pk).count()  # fmt: skip
    if rule.units and used >= int(rule.units):
        raise Conflict(ClaimError.SCHOLARSHIP_YEARS_USED, arg=level)
    instalment.education_level = level
    instalment.amount = int(rule.amount or 0)
    instalment.status = InstalmentStatus.PAID
    instalment.paid_on = iso_date(
        data.get("paid_on") or _today(), "paid_on", ClaimError.DATE_INVALID
    )
    instalment.save()
    audit_record(
        actor=actor, action="claim.scholarship", obj=case, region_code=case.region_code,
        changes={"instalment": [None, {"child": child.pk, "year": year, "level": level,
                                       "amount": instalment.amount}]},
    )  # fmt: skip
    return instalment


def open_statuses() -> tuple[str, ...]:
    return tuple(str(s) for s in OPEN_STATUSES)


# --- holidays ---------------------------------------------------------------------------------


@transaction.atomic
def holiday_add(*, actor: Any, date: Any, name: str) -> Any:
    """Enter a public holiday or cuti bersama (from the year's SKB 3 Menteri)."""
    from .models import Holiday

    require(actor, Capability.MANAGE_REFERENCE_DATA)
    day = iso_date(date, "date", ClaimError.DATE_INVALID)
    name = _text(name)[:150]
    if not name:
        raise FieldErrors.single("name", ClaimError.REASON_REQUIRED)
    if Holiday.objects.filter(date=day).exists():
        raise FieldErrors.single("date", ClaimError.HOLIDAY_EXISTS, arg=day.strftime("%d-%m-%Y"))
    holiday = Holiday.objects.create(date=day, name=name, created_by=account(actor))
    audit_record(actor=actor, action="claim.holiday_add", obj=holiday,
                 changes={"date": [None, day.isoformat()], "name": [None, name]})  # fmt: skip
    return holiday


@transaction.atomic
def holiday_remove(*, actor: Any, holiday_id: int) -> None:
    from .models import Holiday

    require(actor, Capability.MANAGE_REFERENCE_DATA)
    holiday = Holiday.objects.filter(pk=holiday_id).first()
    if holiday is None:
        raise NotFound()
    audit_record(actor=actor, action="claim.holiday_remove", obj=holiday,
                 changes={"date": [holiday.date.isoformat(), None]})  # fmt: skip
    holiday.delete()


def document_for_download(*, actor: Any, case_id: int, document_id: int) -> ClaimDocument:
    """A case's document for downloading; every download is audited (personal documents)."""
    case = case_get(actor=actor, case_id=case_id)
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    audit_record(actor=actor, action="claim.document_view", kind="view", obj=case,
                 region_code=case.region_code, changes={"document": [None, document.kind]})  # fmt: skip
    return document
