"""API of the worker registry: `/api/v1/workers`, `/api/v1/occupations`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from lindungi.accounts.roles import Capability
from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.models import AuditEvent
from lindungi.core.privacy import mask_changes, mask_nik

from .errors import RegistryError
from .models import Heir, LifeEvent, OccupationCategory, Worker
from .selectors import (
    AGE_BANDS,
    WorkerFilters,
    WorkerPage,
    worker_get,
    worker_history,
    worker_list,
)
from .services import (
    heir_add,
    heir_remove,
    heir_update,
    worker_create,
    worker_reject,
    worker_update,
    worker_verify,
)

router = Router(tags=["workers"])
reference_router = Router(tags=["reference"])


class WorkerIn(Schema):
    nik: str | None = Field(None, max_length=40)
    kk_number: str | None = Field(None, max_length=40)
    full_name: str | None = Field(None, max_length=200)
    birth_place: str | None = Field(None, max_length=120)
    birth_date: str | None = Field(
        None, max_length=40, description="1980-05-12, 12-05-1980, 12 Mei 1980 …"
    )
    sex: str | None = Field(None, max_length=20, description="L or P (Laki-laki/Perempuan …)")
    village_code: str | None = Field(
        None, max_length=120, description="Village code, or its name inside your region"
    )
    address: str | None = Field(None, max_length=300)
    rt: str | None = Field(None, max_length=10)
    rw: str | None = Field(None, max_length=10)
    phone: str | None = Field(None, max_length=40)
    occupation: str | None = Field(None, max_length=120, description="Category code or free text")
    reported_income: int | str | None = Field(None, description="Rupiah per month")


class WorkerPatchIn(WorkerIn):
    version: int = Field(..., description="The version you read; a stale version answers 409")


class WarningOut(Schema):
    field: str
    code: str
    message: str


class WorkerListItemOut(Schema):
    id: int
    version: int
    nik_masked: str
    full_name: str
    birth_date: dt.date
    sex: str
    village_code: str
    village_name: str
    occupation: str
    verification_status: str
    life_status: str


class WorkerOut(WorkerListItemOut):
    nik: str
    kk_number: str
    birth_place: str
    address: str
    rt: str
    rw: str
    phone: str
    occupation_text: str
    reported_income: int | None
    verification_notes: list[WarningOut]
    life_status_date: dt.date | None
    merged_into: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class WorkerPageOut(Schema):
    items: list[WorkerListItemOut]
    next_cursor: int | None
    count: int
    count_capped: bool
    sort: str = Field(
        description="The order applied: a name sort of more than 5,000 results is listed newest first"
    )


class WorkerFiltersIn(Schema):
    """The list's filters: none is personal data, so they may stand in a URL."""

    village: str | None = Field(
        None, max_length=13, description="Region code: it and everything below"
    )
    occupation: str | None = Field(None, max_length=32)
    sex: str | None = Field(None, pattern="^[LP]$")
    age_band: str | None = Field(None, description=", ".join(AGE_BANDS))
    verification_status: str | None = Field(None, pattern="^(pending|verified|rejected)$")
    life_status: str | None = Field(None, max_length=16)
    sort: str = Field("newest", pattern="^(newest|name)$")
    cursor: int | None = Field(None, ge=1)
    limit: int = Field(50, ge=1, le=500)


class WorkerSearchIn(WorkerFiltersIn):
    """The list's filters and the personal ones, sent in the body of a POST."""

    # A misspelt filter would silently widen a search over personal data: refused instead.
    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(None, max_length=100, description="Name (typo-tolerant) or NIK digits")
    nik: str | None = Field(None, max_length=40, description="An exact NIK")


# Query parameters that would put a NIK or a name in a URL, and so in access logs (domain.md §9).
PERSONAL_QUERY_PARAMETERS = frozenset({"q", "nik", "name", "full_name", "kk_number", "phone"})
SEARCH_PATH = "/api/v1/workers/search"


class VersionIn(Schema):
    version: int | None = None


class RejectIn(VersionIn):
    reason: str = Field(..., max_length=500)


class LifeEventOut(Schema):
    id: int
    kind: str
    event_date: dt.date
    reason: str
    has_evidence: bool
    recorded_at: dt.datetime
    cancelled_at: dt.datetime | None
    cancel_reason: str


class CancelIn(Schema):
    reason: str = Field(..., max_length=500)


class HeirIn(Schema):
    full_name: str | None = Field(None, max_length=200)
    nik: str | None = Field(None, max_length=40)
    relationship: str | None = Field(None, max_length=20)
    rank: int | None = Field(None, ge=1, le=99)
    birth_date: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)


class HeirOut(Schema):
    id: int
    full_name: str
    nik_masked: str
    relationship: str
    priority_class: int
    rank: int
    birth_date: dt.date | None
    phone: str
    address: str
    is_active: bool


class HistoryOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    changes: dict[str, Any]
    note: str
    channel: str


class OccupationOut(Schema):
    code: str
    name: str


def _input(payload: WorkerIn) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    if "village_code" in data:
        data["village"] = data.pop("village_code")
    return data


def _list_item(worker: Worker) -> dict[str, Any]:
    return {
        "id": worker.pk,
        "version": worker.version,
        "nik_masked": mask_nik(worker.nik),
        "full_name": worker.full_name,
        "birth_date": worker.birth_date,
        "sex": worker.sex,
        "village_code": worker.village_id,
        "village_name": worker.village.name,
        "occupation": worker.occupation_id,
        "verification_status": worker.verification_status,
        "life_status": worker.life_status,
    }


def _detail(actor: Any, worker: Worker, *, audit_view: bool) -> dict[str, Any]:
    full = actor.can(Capability.VIEW_FULL_NIK)
    if full and audit_view:
        audit_record(
            actor=actor,
            action="worker.read",
            kind=AuditEvent.Kind.VIEW,
            obj=worker,
            region_code=worker.village_id,
        )
    return {
        **_list_item(worker),
        "nik": worker.nik if full else mask_nik(worker.nik),
        "kk_number": worker.kk_number if full else mask_nik(worker.kk_number),
        "birth_place": worker.birth_place,
        "address": worker.address,
        "rt": worker.rt,
        "rw": worker.rw,
        "phone": worker.phone,
        "occupation_text": worker.occupation_text,
        "reported_income": worker.reported_income,
        "verification_notes": worker.verification_messages,
        "life_status_date": worker.life_status_date,
        "merged_into": worker.merged_into_id,
        "created_at": worker.created_at,
        "updated_at": worker.updated_at,
    }


def _reload(actor: Any, worker_id: int) -> Worker:
    return worker_get(actor=actor, worker_id=worker_id)


def _page_out(page: WorkerPage) -> dict[str, Any]:
    return {
        "items": [_list_item(w) for w in page.items],
        "next_cursor": page.next_cursor,
        "count": page.count,
        "count_capped": page.count_capped,
        "sort": page.sort,
    }


@router.get(
    "",
    response=WorkerPageOut,
    summary="Daftar pekerja (tanpa NIK atau nama di alamat; untuk mencari: POST /search)",
)
def list_workers(request: HttpRequest, filters: Query[WorkerFiltersIn]) -> dict[str, Any]:
    # Refused rather than ignored: ignoring `nik` would answer the whole list as if it matched.
    sent = sorted(PERSONAL_QUERY_PARAMETERS.intersection(request.GET))
    if sent:
        raise DomainError(
            RegistryError.PERSONAL_DATA_IN_URL, details={"parameters": sent, "search": SEARCH_PATH}
        )
    return _page_out(worker_list(actor=request.auth, filters=WorkerFilters(**filters.dict())))  # type: ignore[attr-defined]


@router.post("/search", response=WorkerPageOut, summary="Cari pekerja menurut nama atau NIK")
def search_workers(request: HttpRequest, filters: WorkerSearchIn) -> dict[str, Any]:
    """The list's filters with the name/NIK query, in the body: a NIK or a name never stands
    in a URL. Pages as the list does: send `next_cursor` back as `cursor`."""
    return _page_out(worker_list(actor=request.auth, filters=WorkerFilters(**filters.dict())))  # type: ignore[attr-defined]


@router.post("", response={201: WorkerOut}, summary="Daftarkan pekerja")
def create_worker(request: HttpRequest, payload: WorkerIn) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    worker = worker_create(actor=actor, data=_input(payload), source="api")
    return Status(201, _detail(actor, _reload(actor, worker.pk), audit_view=False))


@router.get(
    "/{worker_id}", response=WorkerOut, summary="Satu pekerja (NIK lengkap dicatat di log audit)"
)
def get_worker(request: HttpRequest, worker_id: int) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    return _detail(actor, worker_get(actor=actor, worker_id=worker_id), audit_view=True)


@router.patch("/{worker_id}", response=WorkerOut, summary="Ubah pekerja (dengan versi)")
def patch_worker(request: HttpRequest, worker_id: int, payload: WorkerPatchIn) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    worker_update(actor=actor, worker_id=worker_id, version=payload.version, data=_input(payload))
    return _detail(actor, _reload(actor, worker_id), audit_view=False)


@router.post("/{worker_id}/verify", response=WorkerOut, summary="Verifikasi (pemeriksa ≠ pembuat)")
def verify_worker(request: HttpRequest, worker_id: int, payload: VersionIn) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    worker_verify(actor=actor, worker_id=worker_id, version=payload.version)
    return _detail(actor, _reload(actor, worker_id), audit_view=False)


@router.post("/{worker_id}/reject", response=WorkerOut, summary="Tolak data pekerja")
def reject_worker(request: HttpRequest, worker_id: int, payload: RejectIn) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    worker_reject(actor=actor, worker_id=worker_id, reason=payload.reason, version=payload.version)
    return _detail(actor, _reload(actor, worker_id), audit_view=False)


@router.get("/{worker_id}/history", response=list[HistoryOut], summary="Riwayat perubahan")
def history(request: HttpRequest, worker_id: int) -> list[dict[str, Any]]:
    worker = worker_get(actor=request.auth, worker_id=worker_id)  # type: ignore[attr-defined]
    return [
        {
            "at": e.at,
            "actor": e.actor_username or "sistem",
            "action": e.action,
            "changes": mask_changes(e.changes),
            "note": e.note,
            "channel": e.channel,
        }
        for e in worker_history(worker=worker)[:500]
    ]


def event_out(event: LifeEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "event_date": event.event_date,
        "reason": event.reason,
        "has_evidence": bool(event.evidence),
        "recorded_at": event.recorded_at,
        "cancelled_at": event.cancelled_at,
        "cancel_reason": event.cancel_reason,
    }


@router.get("/{worker_id}/events/{event_id}/evidence", summary="Unduh berkas bukti (dicatat)")
def event_evidence(request: HttpRequest, worker_id: int, event_id: int) -> FileResponse:
    actor = request.auth  # type: ignore[attr-defined]
    worker = worker_get(actor=actor, worker_id=worker_id)
    event = LifeEvent.objects.filter(pk=event_id, worker=worker).first()
    if event is None or not event.evidence:
        raise NotFound()
    audit_record(
        actor=actor,
        action="worker.evidence_download",
        kind=AuditEvent.Kind.VIEW,
        obj=worker,
        region_code=worker.village_id,
        note=f"peristiwa #{event.pk}",
    )
    return FileResponse(
        event.evidence.open("rb"), as_attachment=True, filename=event.evidence_name or "bukti"
    )


def _heir_out(heir: Heir) -> dict[str, Any]:
    return {
        "id": heir.pk,
        "full_name": heir.full_name,
        "nik_masked": mask_nik(heir.nik),
        "relationship": heir.relationship,
        "priority_class": heir.priority_class,
        "rank": heir.rank,
        "birth_date": heir.birth_date,
        "phone": heir.phone,
        "address": heir.address,
        "is_active": heir.is_active,
    }


@router.get("/{worker_id}/heirs", response=list[HeirOut], summary="Ahli waris")
def list_heirs(request: HttpRequest, worker_id: int) -> list[dict[str, Any]]:
    worker = worker_get(actor=request.auth, worker_id=worker_id)  # type: ignore[attr-defined]
    return [_heir_out(h) for h in worker.heirs.all()]


@router.post("/{worker_id}/heirs", response={201: HeirOut}, summary="Tambah ahli waris")
def add_heir(request: HttpRequest, worker_id: int, payload: HeirIn) -> Status[dict[str, Any]]:
    heir = heir_add(actor=request.auth, worker_id=worker_id, data=payload.dict(exclude_unset=True))  # type: ignore[attr-defined]
    return Status(201, _heir_out(heir))


@router.patch("/{worker_id}/heirs/{heir_id}", response=HeirOut, summary="Ubah ahli waris")
def patch_heir(
    request: HttpRequest, worker_id: int, heir_id: int, payload: HeirIn
) -> dict[str, Any]:
    heir = heir_update(
        actor=request.auth,  # type: ignore[attr-defined]
        worker_id=worker_id,
        heir_id=heir_id,
        data=payload.dict(exclude_unset=True),
    )
    return _heir_out(heir)


@router.delete("/{worker_id}/heirs/{heir_id}", response=HeirOut, summary="Nonaktifkan ahli waris")
def remove_heir(request: HttpRequest, worker_id: int, heir_id: int) -> dict[str, Any]:
    heir = heir_remove(actor=request.auth, worker_id=worker_id, heir_id=heir_id)  # type: ignore[attr-defined]
    return _heir_out(heir)


@reference_router.get("/occupations", response=list[OccupationOut], summary="Kategori pekerjaan")
def occupations(request: HttpRequest) -> list[OccupationCategory]:
    return list(OccupationCategory.objects.all())
