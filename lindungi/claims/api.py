"""Benefits and claims under /api/v1/: the benefit calculator, claim cases (open, correct,
heir, documents, status, scholarships), the worklist of unclaimed deaths, and holidays."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lindungi.core.privacy import mask_nik

from .benefits import benefit_estimate
from .models import ClaimCase, Holiday
from .selectors import claim_list, clock_of, unclaimed_deaths
from .services import (
    case_get,
    checklist,
    claim_advance,
    claim_document_upload,
    claim_heir_choose,
    claim_open,
    claim_update,
    document_for_download,
    heirs_in_order,
    holiday_add,
    holiday_remove,
    scholarship_record,
)

router = Router(tags=["claims"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class ChildIn(Schema):
    birth_date: str
    education_level: str = "BELUM_SEKOLAH"


class EstimateIn(Schema):
    kind: str
    event_date: str
    reported_income: int
    contribution_months: int = 0
    incapacity_days: int = 0
    children: list[ChildIn] = []


class ItemOut(Schema):
    code: str
    label: str
    amount: int


class ChildOut(Schema):
    birth_date: dt.date
    education_level: str
    age: int
    max: int


class EstimateOut(Schema):
    kind: str
    event_date: dt.date
    wage: int
    items: list[ItemOut]
    total_cash: int
    scholarship_eligible: bool
    scholarship_max: int
    scholarship_children: list[ChildOut]
    legal_basis: str


@router.post(
    "/benefits/estimate",
    response=EstimateOut,
    summary="Hitung manfaat JKM/JKK menurut tabel manfaat yang berlaku pada tanggal kejadian",
)
def estimate(request: HttpRequest, payload: EstimateIn) -> dict[str, Any]:
    """JKM: Rp42,000,000 cash; scholarship with at least 36 months of contributions. JKK death at
    the Rp1,000,000 band: Rp70,000,000 plus scholarship with no minimum. Events before 2 December
    2019 use the PP 44/2015 table."""
    return benefit_estimate(
        kind=payload.kind,
        event_date=payload.event_date,
        reported_income=payload.reported_income,
        contribution_months=payload.contribution_months,
        incapacity_days=payload.incapacity_days,
        children=[child.dict() for child in payload.children],
        today=timezone.localdate(),
    ).as_dict()


# --- claim cases ------------------------------------------------------------------------------


class CaseListOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    event_date: dt.date
    worker_id: int
    worker_name: str
    nik_masked: str
    region_code: str
    eligible: bool
    entitlement: int
    amount_paid: int | None
    due_on: dt.date | None
    claim_deadline: dt.date | None


class ClaimTransitionOut(Schema):
    from_status: str
    to_status: str
    on: dt.date
    at: dt.datetime
    actor: str
    note: str


class ChecklistOut(Schema):
    kind: str
    label: str
    present: bool
    document_id: int | None
    file_name: str


class ClaimHeirOut(Schema):
    id: int
    full_name: str
    relationship: str
    priority_class: int
    chosen: bool


class ClockOut(Schema):
    label: str = ""
    due_on: dt.date | None = None
    overdue: bool = False
    late_working_days: int = 0


class InstalmentOut(Schema):
    child_id: int
    school_year: int
    education_level: str
    amount: int
    status: str
    end_reason: str


class CaseOut(CaseListOut):
    eligibility_note: str
    contribution_months: int
    incapacity_days: int
    heir_id: int | None
    heir_reason: str
    estimate: dict[str, Any]
    legal_basis: str
    submitted_on: dt.date | None
    decided_on: dt.date | None
    paid_on: dt.date | None
    bpjs_reference: str
    rejection_reason: str
    clock: ClockOut
    checklist: list[ChecklistOut]
    heirs: list[ClaimHeirOut]
    transitions: list[ClaimTransitionOut]
    instalments: list[InstalmentOut]


def _list_row(case: ClaimCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "event_date": case.event_date,
        "worker_id": case.worker_id,
        "worker_name": case.worker.full_name,
        "nik_masked": mask_nik(case.worker.nik),
        "region_code": case.region_code,
        "eligible": case.eligible,
        "entitlement": case.entitlement,
        "amount_paid": case.amount_paid,
        "due_on": case.due_on,
        "claim_deadline": case.claim_deadline,
    }


def case_out(case: ClaimCase) -> dict[str, Any]:
    return {
        **_list_row(case),
        "eligibility_note": case.eligibility_note,
        "contribution_months": case.contribution_months,
        "incapacity_days": case.incapacity_days,
        "heir_id": case.heir_id,
        "heir_reason": case.heir_reason,
        "estimate": case.estimate,
        "legal_basis": case.legal_basis,
        "submitted_on": case.submitted_on,
        "decided_on": case.decided_on,
        "paid_on": case.paid_on,
        "bpjs_reference": case.bpjs_reference,
        "rejection_reason": case.rejection_reason,
        "clock": clock_of(case) or {},
        "checklist": checklist(case),
        "heirs": [
            {
                "id": h.pk,
                "full_name": h.full_name,
                "relationship": h.relationship,
                "priority_class": h.priority_class,
                "chosen": h.pk == case.heir_id,
            }
            for h in heirs_in_order(case.worker_id)
        ],
        "transitions": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "on": t.on,
                "at": t.at,
                "actor": t.actor.get_username() if t.actor else "sistem",
                "note": t.note,
            }
            for t in case.transitions.select_related("actor")
        ],
        "instalments": [
            {
                "child_id": i.child_id,
                "school_year": i.school_year,
                "education_level": i.education_level,
                "amount": i.amount,
                "status": i.status,
                "end_reason": i.end_reason,
            }
            for i in case.instalments.all()
        ],
    }


@router.get("/claims", response=list[CaseListOut], summary="Daftar klaim (NIK disamarkan)")
def claims(
    request: HttpRequest,
    status: str = "",
    kind: str = "",
    clock: str = "",
    region: str = "",
    after_id: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """`clock=overdue|soon`: cases whose JKM payment or JKK claim right is late or nearly so.
    Pages in id order: pass the last `id` as `after_id`."""
    rows = claim_list(actor=_actor(request), status=status, kind=kind, clock=clock, region=region)
    rows = rows.filter(pk__gt=after_id).order_by("pk")[: max(1, min(limit, 500))]
    return [_list_row(case) for case in rows]


class CaseIn(Schema):
    worker_id: int
    kind: str
    event_date: str
    incapacity_days: int = 0
    note: str = ""


@router.post("/claims", response={201: CaseOut}, summary="Membuka klaim")
def claim_create(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    case = claim_open(actor=_actor(request), **payload.dict())
    return Status(201, case_out(case_get(actor=_actor(request), case_id=case.pk)))


@router.get("/claims/worklist", response=list[dict[str, Any]], summary="Kematian belum diklaim")
def worklist(request: HttpRequest, region: str = "") -> list[dict[str, Any]]:
    """Deceased workers whose cover was active at death and who have no claim case."""
    return [
        {"worker_id": e.worker_id, "worker_name": e.worker.full_name,
         "nik_masked": mask_nik(e.worker.nik), "region_code": e.worker.village_id,
         "death_date": e.event_date.isoformat(), "life_event_id": e.pk}
        for e in unclaimed_deaths(actor=_actor(request), region=region)[:1000]
    ]  # fmt: skip


@router.get("/claims/{case_id}", response=CaseOut, summary="Satu klaim")
def claim(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_out(case_get(actor=_actor(request), case_id=case_id))


class CaseChangeIn(Schema):
    kind: str | None = None
    event_date: str | None = None
    incapacity_days: int | None = None


@router.patch("/claims/{case_id}", response=CaseOut, summary="Mengoreksi klaim sebelum diajukan")
def claim_change(request: HttpRequest, case_id: int, payload: CaseChangeIn) -> dict[str, Any]:
    data = {k: v for k, v in payload.dict().items() if v is not None}
    claim_update(actor=_actor(request), case_id=case_id, data=data)
    return case_out(case_get(actor=_actor(request), case_id=case_id))


class ClaimHeirIn(Schema):
    heir_id: int
    reason: str = ""


@router.post("/claims/{case_id}/heir", response=CaseOut, summary="Memilih ahli waris penerima")
def claim_heir(request: HttpRequest, case_id: int, payload: ClaimHeirIn) -> dict[str, Any]:
    claim_heir_choose(actor=_actor(request), case_id=case_id, **payload.dict())
    return case_out(case_get(actor=_actor(request), case_id=case_id))


@router.post(
    "/claims/{case_id}/documents", response={201: CaseOut}, summary="Mengunggah dokumen klaim"
)
def claim_document(
    request: HttpRequest, case_id: int, kind: Form[str], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    claim_document_upload(
        actor=_actor(request), case_id=case_id, kind=kind, file=file, file_name=file.name or ""
    )
    return Status(201, case_out(case_get(actor=_actor(request), case_id=case_id)))


@router.get("/claims/{case_id}/documents/{document_id}", summary="Mengunduh dokumen (diaudit)")
def claim_document_download(request: HttpRequest, case_id: int, document_id: int) -> Any:
    document = document_for_download(
        actor=_actor(request), case_id=case_id, document_id=document_id
    )
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)


class ClaimStatusIn(Schema):
    status: str
    date: str | None = None
    note: str = ""
    bpjs_reference: str = ""
    amount_paid: int | None = None


@router.post("/claims/{case_id}/status", response=CaseOut, summary="Mengubah status klaim")
def claim_status(request: HttpRequest, case_id: int, payload: ClaimStatusIn) -> dict[str, Any]:
    """reported → submitted (complete file to BPJS; JKM clock starts) → approved | rejected →
    paid (amount_paid); reported/submitted → cancelled (note required)."""
    data = payload.dict()
    claim_advance(actor=_actor(request), case_id=case_id, status=data.pop("status"), data=data)
    return case_out(case_get(actor=_actor(request), case_id=case_id))


class ScholarshipIn(Schema):
    child_id: int
    school_year: int
    education_level: str = ""
    end_reason: str = ""
    paid_on: str | None = None


@router.post(
    "/claims/{case_id}/scholarships", response=CaseOut, summary="Mencatat beasiswa satu tahun"
)
def claim_scholarship(request: HttpRequest, case_id: int, payload: ScholarshipIn) -> dict[str, Any]:
    data = payload.dict()
    scholarship_record(
        actor=_actor(request), case_id=case_id, child_id=data.pop("child_id"), data=data
    )
    return case_out(case_get(actor=_actor(request), case_id=case_id))


# --- holidays ---------------------------------------------------------------------------------


class HolidayIn(Schema):
    date: str
    name: str


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str


@router.get("/holidays", response=list[HolidayOut], summary="Hari libur untuk jam hari kerja")
def holidays(
    request: HttpRequest, year: int | None = Query(None, ge=1900, le=2200)
) -> list[Holiday]:
    rows = Holiday.objects.all()
    return list(rows.filter(date__year=year) if year else rows[:1000])


@router.post("/holidays", response={201: HolidayOut}, summary="Menambah hari libur")
def holiday_create(request: HttpRequest, payload: HolidayIn) -> Status[Holiday]:
    return Status(201, holiday_add(actor=_actor(request), date=payload.date, name=payload.name))


@router.delete("/holidays/{holiday_id}", response={204: None}, summary="Menghapus hari libur")
def holiday_delete(request: HttpRequest, holiday_id: int) -> Status[None]:
    holiday_remove(actor=_actor(request), holiday_id=holiday_id)
    return Status(204, None)
