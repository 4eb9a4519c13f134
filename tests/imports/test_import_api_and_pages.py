import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindungi.core.models import AuditEvent, Job
from lindungi.imports.models import WorkerImport
from lindungi.registry.models import Worker

from ..conftest import client_for
from .files import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    [
        "1",
        "6402061205800001",
        "Budi",
        "Tenggarong, 12-05-1980",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "Petani",
        "",
    ],
    [
        "2",
        "640206120580001",
        "Salah",
        "Tenggarong, 12-05-1980",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
    [
        "3",
        '=HYPERLINK("http://x")',
        "Jahil",
        "Tenggarong, 12-05-1980",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
]


def test_upload_through_the_page_runs_as_a_job(world, django_capture_on_commit_callbacks):
    client = client_for(world.village_operator)
    upload = SimpleUploadedFile("loa-ipuh.csv", csv_bytes(ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/impor/", {"file": upload, "region": "64.02.06.1002"})
    imp = WorkerImport.objects.get()
    assert response.status_code == 302 and response.url == f"/impor/{imp.pk}/"
    assert Job.objects.get(pk=imp.job_id).status == "succeeded"
    status = client.get(f"/impor/{imp.pk}/status/").content.decode()
    assert 'data-count="created">1<' in status and 'data-count="rejected">2<' in status
    assert "hx-trigger" not in status  # finished: no more polling
    imp.refresh_from_db()
    assert imp.seconds is not None
    assert f"Diproses dalam {imp.seconds:.1f}".replace(".", ",") in status  # Indonesian decimals
    rejected = client.get(f"/impor/{imp.pk}/unduh/rejected/")
    assert rejected.status_code == 200
    assert rejected["Content-Disposition"].startswith("attachment")
    report = b"".join(client.get(f"/impor/{imp.pk}/unduh/report/").streaming_content).decode()
    assert "'=HYPERLINK" in report  # formula injection neutralised in the CSV
    assert AuditEvent.objects.filter(action="import.download_rejected", kind="export").exists()


def test_a_failed_import_runs_again_from_its_page_and_ends_clean(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """A failure leaves its message; the rerun finishes the same upload, and the finished
    import carries neither the old message nor a lost start time."""
    from lindungi.imports import services

    real_run = services.run

    def broken_run(*args, **kwargs):
        raise RuntimeError("database went away")

    client = client_for(world.village_operator)
    upload = SimpleUploadedFile("loa-ipuh.csv", csv_bytes(ROWS), content_type="text/csv")
    monkeypatch.setattr(services, "run", broken_run)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/impor/", {"file": upload, "region": "64.02.06.1002"})
    imp = WorkerImport.objects.get()
    assert (imp.status, imp.error) == (
        "failed",
        "Terjadi kesalahan pada sistem. Tidak ada data yang berubah.",
    )
    assert Worker.objects.count() == 0
    monkeypatch.setattr(services, "run", real_run)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/impor/{imp.pk}/ulang/")
    assert response.status_code == 302
    imp.refresh_from_db()
    assert (imp.status, imp.error, imp.created, imp.rejected) == ("done", "", 1, 2)
    assert imp.started_at is not None and imp.started_at <= imp.finished_at
    assert Worker.objects.filter(nik="6402061205800001").count() == 1


def test_page_shows_clear_errors_for_bad_uploads(world):
    client = client_for(world.village_operator)
    response = client.post(
        "/impor/", {"file": SimpleUploadedFile("x.csv", b"a,b"), "region": "64.71"}
    )
    assert "di luar wilayah kewenangan Anda" in response.content.decode()
    assert WorkerImport.objects.count() == 0


def test_api_upload_and_result(world, api_token, django_capture_on_commit_callbacks):
    auth = api_token(world.regency_admin)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports",
            {"region": "64.02", "file": SimpleUploadedFile("kukar.csv", csv_bytes(ROWS))},
            **auth,
        )
    assert response.status_code == 202
    import_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{import_id}", **auth).json()
    assert (body["status"], body["created"], body["rejected"], body["rows"]) == ("done", 1, 2, 3)
    assert body["columns"]["nik"] == "NIK"
    # when the worker took it up and when it finished, both kept (the final save once lost the start)
    assert body["created_at"] <= body["started_at"] <= body["finished_at"]
    report = client.get(f"/api/v1/imports/{import_id}/files/report", **auth)
    assert report.status_code == 200
    assert Worker.objects.get(nik="6402061205800001").source_import_id is not None
    missing = client.get(f"/api/v1/imports/{import_id}/files/nope", **auth)
    assert missing.status_code == 404


def test_api_rejects_a_non_spreadsheet(world, api_token):
    from lindungi.core.errors import DomainError
    from lindungi.imports.services import import_create, import_run

    imp = import_create(
        actor=world.regency_admin,
        file=io.BytesIO(b"%PDF-1.4"),
        file_name="x.pdf",
        region_code="64.02",
        background=False,
    )
    with pytest.raises(DomainError) as excinfo:
        import_run(imp=imp, actor=world.regency_admin)
    assert excinfo.value.code == "IMPORT_FILE_TYPE"
    imp.refresh_from_db()
    assert imp.status == "failed"
