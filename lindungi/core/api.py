"""API for background-job progress: `/api/v1/jobs`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Job
from .selectors import job_get, job_list

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    status: str
    done: int
    total: int | None
    percent: int | None
    message: str
    result: dict[str, Any]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


@router.get("", response=list[JobOut], summary="Pekerjaan latar belakang saya")
def list_jobs(request: HttpRequest) -> list[Job]:
    return list(job_list(actor=request.auth)[:100])  # type: ignore[attr-defined]


@router.get("/{job_id}", response=JobOut, summary="Kemajuan satu pekerjaan")
def get_job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    return job_get(actor=request.auth, job_id=job_id)  # type: ignore[attr-defined]
