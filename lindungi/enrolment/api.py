"""API of enrolment: eligibility previews, batches and their BPJS files, enrolments, cover."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from lindungi.programmes.models import Programme
from lindungi.programmes.schemas import (
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    RenewIn,
    programme_payload,
)
from lindungi.programmes.selectors import (
    can_manage,
    programme_get,
    programme_list,
    programme_monthly_cost,
)
from lindungi.programmes.services import (
    RULE_FIELDS,
    programme_create,
    programme_renew,
    programme_update,
)

from .exchange import batch_file, return_import_create, return_report_file
from .models import Enrolment, EnrolmentBatch, ReturnImport
from .selectors import (
    batch_counts,
    batch_enrolments,
    batch_get,
    batch_list,
    enrolment_get,
    enrolment_list,
    enrolment_transitions,
    programme_counts,
    return_get,
    return_list,
)
from .services import (
    batch_add_worker,
    batch_create,
    batch_remove_enrolment,
    batch_submit,
    eligibility_preview,
    enrolment_end,
)

router = Router(tags=["enrolment"])


class SelectionIn(Schema):
    start_date: dt.date | None = None
    villages: list[str] = []
    occupations: list[str] = []
    limit: int | None = None
    renewal: bool = False


class PreviewOut(Schema):
    start_date: dt.date
    reasons: dict[str, int]
    eligible: int
    proposed: int
    by_village: list[dict[str, Any]]
    by_occupation: list[dict[str, Any]]
    targets: list[dict[str, Any]]


class BatchOut(Schema):
    id: int
    programme_id: int
    number: int
    kind: str
    status: str
    start_date: dt.date
    selection: dict[str, Any]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    counts: dict[str, int]


class EnrolmentOut(Schema):
    id: int
    worker_id: int
    programme_id: int
    batch_id: int | None
    region_code: str
    status: str
    benefits: list[str]
    reported_income: int
    start_date: dt.date
    end_date: dt.date
    covered_from: dt.date | None
    covered_until: dt.date | None
    kpj: str
    bpjs_accepted_on: dt.date | None
    bpjs_reason: str
    hold_reason: str
    end_reason: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    effective_on: dt.date
    reason: str
    note: str
    actor: str | None
    at: dt.datetime


class EnrolmentDetailOut(EnrolmentOut):
    transitions: list[TransitionOut]


class ReturnOut(Schema):
    id: int
    batch_id: int
    file_name: str
    status: str
    job_id: str | None
    rows: int
    updated: int
    unchanged: int
    rejected: int
    skipped: int
    accepted: int
    refused: int
    activated: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class AddWorkerIn(Schema):
    worker_id: int


class RemoveIn(Schema):
    note: str = ""


class EndIn(Schema):
    reason: str
    on: dt.date | None = None
    note: str = ""


def _batch(batch: EnrolmentBatch, actor: Any) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "programme_id": batch.programme_id,
        "number": batch.number,
        "kind": batch.kind,
        "status": batch.status,
        "start_date": batch.start_date,
        "selection": batch.selection,
        "created_at": batch.created_at,
        "submitted_at": batch.submitted_at,
        "counts": batch_counts(actor=actor, batch=batch),
    }


def _enrolment(e: Enrolment) -> dict[str, Any]:
    return {
        **{
            name: getattr(e, name)
            for name in (
                "id",
                "worker_id",
                "programme_id",
                "batch_id",
                "region_code",
                "status",
                "benefits",
                "reported_income",
                "start_date",
                "end_date",
                "covered_from",
                "covered_until",
                "kpj",
                "bpjs_accepted_on",
                "bpjs_reason",
                "hold_reason",
                "end_reason",
            )
        }
    }


def _return(ret: ReturnImport) -> dict[str, Any]:
    return {
        **{
            name: getattr(ret, name)
            for name in (
                "id",
                "batch_id",
                "file_name",
                "status",
                "rows",
                "updated",
                "unchanged",
                "rejected",
                "skipped",
                "accepted",
                "refused",
                "activated",
                "error",
                "created_at",
                "finished_at",
            )
        },
        "job_id": str(ret.job_id) if ret.job_id else None,
    }


@router.post(
    "/programmes/{programme_id}/eligibility",
    response=PreviewOut,
    summary="Pratinjau kelayakan: berapa pekerja diusulkan dan mengapa yang lain tidak",
)
def preview(request: HttpRequest, programme_id: int, payload: SelectionIn) -> dict[str, Any]:
    result = eligibility_preview(
        actor=request.auth,  # type: ignore[attr-defined]
        programme_id=programme_id,
        **payload.dict(),
    )
    return result.as_json()


@router.post(
    "/programmes/{programme_id}/batches",
    response={201: BatchOut},
    summary="Membuat batch pendaftaran dari pekerja yang memenuhi syarat",
)
def batch_new(
    request: HttpRequest, programme_id: int, payload: SelectionIn
) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    batch = batch_create(actor=actor, programme_id=programme_id, **payload.dict())
    return Status(201, _batch(batch, actor))


@router.get("/batches", response=list[BatchOut], summary="Batch pendaftaran")
def batches(request: HttpRequest, programme_id: int | None = None) -> list[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    return [_batch(b, actor) for b in batch_list(actor=actor, programme_id=programme_id)[:200]]


@router.get("/batches/{batch_id}", response=BatchOut, summary="Satu batch")
def batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    return _batch(batch_get(actor=actor, batch_id=batch_id), actor)


@router.get("/batches/{batch_id}/enrolments", response=list[EnrolmentOut], summary="Isi satu batch")
def batch_rows(
    request: HttpRequest, batch_id: int, status: str = "", after_id: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    rows = batch_enrolments(
        actor=actor, batch=batch_get(actor=actor, batch_id=batch_id), status=status
    )
    rows = rows.filter(pk__gt=after_id).order_by("id")[: max(1, min(limit, 1000))]
    return [_enrolment(e) for e in rows]


@router.post(
    "/batches/{batch_id}/enrolments",
    response={201: EnrolmentOut},
    summary="Menambah satu pekerja ke batch draf",
)
def batch_add(request: HttpRequest, batch_id: int, payload: AddWorkerIn) -> Status[dict[str, Any]]:
    enrolment = batch_add_worker(
        actor=request.auth,  # type: ignore[attr-defined]
        batch_id=batch_id,
        worker_id=payload.worker_id,
    )
    return Status(201, _enrolment(enrolment))


@router.post(
    "/batches/{batch_id}/enrolments/{enrolment_id}/remove",
    response=EnrolmentOut,
    summary="Mengeluarkan satu pekerja dari batch draf",
)
def batch_remove(
    request: HttpRequest, batch_id: int, enrolment_id: int, payload: RemoveIn
) -> dict[str, Any]:
    enrolment = batch_remove_enrolment(
        actor=request.auth,  # type: ignore[attr-defined]
        batch_id=batch_id,
        enrolment_id=enrolment_id,
        note=payload.note,
    )
    return _enrolment(enrolment)


@router.post("/batches/{batch_id}/submit", response=BatchOut, summary="Batch dikirim ke BPJS")
def submit(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    return _batch(batch_submit(actor=actor, batch_id=batch_id), actor)


@router.get(
    "/batches/{batch_id}/file",
    summary="Berkas pendaftaran untuk BPJS (xlsx atau csv; NIK lengkap, diaudit)",
    response={200: None},
)
def download(
    request: HttpRequest, batch_id: int, format: Literal["xlsx", "csv"] = "xlsx"
) -> FileResponse:
    name, content_type, handle = batch_file(
        actor=request.auth,  # type: ignore[attr-defined]
        batch_id=batch_id,
        fmt=format,
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@router.post(
    "/batches/{batch_id}/returns",
    response={202: ReturnOut},
    summary="Mengunggah berkas jawaban BPJS (NIK, KPJ, status, alasan)",
)
def return_upload(
    request: HttpRequest, batch_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    ret = return_import_create(
        actor=request.auth,  # type: ignore[attr-defined]
        batch_id=batch_id,
        file=file,
        file_name=file.name or "jawaban-bpjs",
    )
    ret.refresh_from_db()
    return Status(202, _return(ret))


@router.get("/batches/{batch_id}/returns", response=list[ReturnOut], summary="Jawaban BPJS")
def returns(request: HttpRequest, batch_id: int) -> list[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    return [
        _return(r)
        for r in return_list(actor=actor, batch=batch_get(actor=actor, batch_id=batch_id))
    ]


@router.get("/returns/{return_id}", response=ReturnOut, summary="Satu berkas jawaban BPJS")
def return_detail(request: HttpRequest, return_id: int) -> dict[str, Any]:
    return _return(return_get(actor=request.auth, return_id=return_id))  # type: ignore[attr-defined]


@router.get(
    "/returns/{return_id}/report",
    summary="Laporan per baris berkas jawaban BPJS (CSV)",
    response={200: None},
)
def return_report(request: HttpRequest, return_id: int) -> FileResponse:
    name, handle = return_report_file(actor=request.auth, return_id=return_id)  # type: ignore[attr-defined]
    return FileResponse(handle, as_attachment=True, filename=name, content_type="text/csv")


@router.get("/enrolments", response=list[EnrolmentOut], summary="Kepesertaan di wilayah saya")
def enrolments(
    request: HttpRequest,
    programme_id: int | None = None,
    status: str = "",
    worker_id: int | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    rows = enrolment_list(
        actor=request.auth,  # type: ignore[attr-defined]
        programme_id=programme_id,
        status=status,
        worker_id=worker_id,
        after_id=after_id,
    )
    return [_enrolment(e) for e in rows[: max(1, min(limit, 1000))]]


@router.get("/enrolments/{enrolment_id}", response=EnrolmentDetailOut, summary="Satu kepesertaan")
def enrolment(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    e = enrolment_get(actor=request.auth, enrolment_id=enrolment_id)  # type: ignore[attr-defined]
    return {
        **_enrolment(e),
        "transitions": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "effective_on": t.effective_on,
                "reason": t.reason,
                "note": t.note,
                "actor": t.actor.username if t.actor else None,
                "at": t.at,
            }
            for t in enrolment_transitions(enrolment=e)
        ],
    }


@router.post(
    "/enrolments/{enrolment_id}/end", response=EnrolmentOut, summary="Mengakhiri kepesertaan"
)
def end(request: HttpRequest, enrolment_id: int, payload: EndIn) -> dict[str, Any]:
    e = enrolment_end(
        actor=request.auth,  # type: ignore[attr-defined]
        enrolment_id=enrolment_id,
        reason=payload.reason,
        on=payload.on,
        note=payload.note,
    )
    return _enrolment(e)


# --- programmes: their rules with their enrolment counts ----------------------------------------
# A programme's answer reports how many workers it covers and how many wait: the programme's
# operations live with the enrolment they count (the programmes app does not know its enrolments).
# Their operation ids and tag stay those they were published with.


def programme_out(
    programme: Programme, actor: Any, counts: dict[str, int] | None = None
) -> dict[str, Any]:
    counts = counts or programme_counts([programme.pk])[programme.pk]
    monthly = programme_monthly_cost(programme, on=timezone.localdate())
    return {
        **{
            name: getattr(programme, name)
            for name in ("id", *RULE_FIELDS, "benefits", "predecessor_id", "version")
        },
        "region_code": programme.region_id,
        "monthly_contribution": monthly.total if monthly else None,
        "targets": [
            {"region_code": t.region_id, "quota": t.quota} for t in programme.targets.all()
        ],
        "funders": [
            {
                "funder": f.funder,
                "name": f.name,
                "share_bp": f.share_bp,
                "account": f.account.username if f.account else None,
            }
            for f in programme.funders.all()
        ],
        "active_enrolments": counts["active"],
        "waiting_enrolments": counts["waiting"],
        "can_manage": can_manage(actor, programme),
    }


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    summary="Program yang dapat saya lihat",
    tags=["programmes"],
    operation_id="lindungi_programmes_api_programmes",
)
def programmes(request: HttpRequest) -> list[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    programmes = list(programme_list(actor=actor)[:500])
    counts = programme_counts([p.pk for p in programmes])
    return [programme_out(p, actor, counts[p.pk]) for p in programmes]


@router.post(
    "/programmes",
    response={201: ProgrammeOut},
    summary="Membuat program",
    tags=["programmes"],
    operation_id="lindungi_programmes_api_programme_new",
)
def programme_new_api(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    programme = programme_create(actor=actor, data=programme_payload(payload))
    return Status(201, programme_out(programme, actor))


@router.get(
    "/programmes/{programme_id}",
    response=ProgrammeOut,
    summary="Satu program",
    tags=["programmes"],
    operation_id="lindungi_programmes_api_programme",
)
def programme(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    return programme_out(programme_get(actor=actor, programme_id=programme_id), actor)


@router.patch(
    "/programmes/{programme_id}",
    response=ProgrammeOut,
    summary="Mengubah program",
    tags=["programmes"],
    operation_id="lindungi_programmes_api_programme_patch",
)
def programme_patch(
    request: HttpRequest, programme_id: int, payload: ProgrammePatch
) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    data = programme_payload(payload)
    version = data.pop("version", None)
    changed = programme_update(actor=actor, programme_id=programme_id, data=data, version=version)
    return programme_out(changed, actor)


@router.post(
    "/programmes/{programme_id}/renew",
    response={201: ProgrammeOut},
    summary="Program lanjutan tahun berikutnya (mulai sehari sesudah program ini berakhir)",
    tags=["programmes"],
    operation_id="lindungi_programmes_api_programme_renew_api",
)
def programme_renew_api(
    request: HttpRequest, programme_id: int, payload: RenewIn
) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    successor = programme_renew(
        actor=actor, programme_id=programme_id, data=payload.dict(exclude_unset=True)
    )
    return Status(201, programme_out(successor, actor))
