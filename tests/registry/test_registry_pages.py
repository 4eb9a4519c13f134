import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindungi.core.models import AuditEvent
from lindungi.registry.models import Heir, LifeEvent, Worker
from lindungi.registry.services import worker_create

from ..conftest import client_for

pytestmark = pytest.mark.django_db

BUDI = {
    "nik": "6402061205800001",
    "full_name": "Budi Santoso",
    "birth_date": "12-05-1980",
    "sex": "L",
    "village": "64.02.06.1002",
}


@pytest.fixture
def budi(world):
    return worker_create(actor=world.village_operator, data=BUDI)


def test_list_search_is_posted_not_in_the_url(world, budi):
    client = client_for(world.regency_admin)
    page = client.get("/pekerja/")
    assert page.status_code == 200
    assert "6402**********01" in page.content.decode()
    assert "6402061205800001" not in page.content.decode()  # lists are masked
    results = client.post("/pekerja/", {"q": "budi"}, HTTP_HX_REQUEST="true")
    body = results.content.decode()
    assert "Budi Santoso" in body and "<html" not in body  # the HTMX fragment only
    none = client.post("/pekerja/", {"q": "joko"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada pekerja yang cocok" in none


def test_no_registry_page_reads_or_sends_a_nik_or_a_name_in_the_url(world, budi):
    """A search in a query string is never read (so no link or bookmark carries one), and every
    form of the registry that holds a NIK or a name is posted."""
    import re

    client = client_for(world.regency_admin)
    for params in ({"q": "joko"}, {"nik": "6402061205800002"}):
        listed = client.get("/pekerja/", params).content.decode()
        assert "Budi Santoso" in listed  # the whole list: the query string was not a search
    pages = [
        client.get("/pekerja/").content.decode(),
        client.get("/pekerja/baru/").content.decode(),
        client.get(f"/pekerja/{budi.pk}/").content.decode(),
        client.get(f"/pekerja/{budi.pk}/ubah/").content.decode(),
    ]
    personal = re.compile(r'name="(?:\w+-)?(?:q|nik|full_name|kk_number|phone|birth_date)"')
    forms = [f for page in pages for f in re.findall(r"<form\b.*?</form>", page, flags=re.S)]
    carrying = [f for f in forms if personal.search(f)]
    assert len(carrying) >= 4  # search, new worker, edit, heir
    for form in carrying:
        assert re.match(r'<form\b[^>]*method="post"', form), form[:200]
        # htmx sends a form's fields with its non-GET requests only (the region picker's
        # hx-get inside the search form sends the picked code alone)
        assert "hx-include" not in form


def test_form_errors_next_to_the_fields(world):
    client = client_for(world.village_operator)
    response = client.post(
        "/pekerja/baru/", {**BUDI, "nik": "12345", "rt": "x", "village": "64.02.06.1002"}
    )
    body = response.content.decode()
    assert 'data-field-error="nik"' in body
    assert "NIK harus 16 digit (tertulis 5 digit)." in body
    assert 'data-field-error="rt"' in body
    assert Worker.objects.count() == 0


def test_duplicate_nik_links_to_the_existing_worker(world, budi):
    response = client_for(world.district_operator).post(
        "/pekerja/baru/", {**BUDI, "full_name": "Budi S"}
    )
    assert f'href="/pekerja/{budi.pk}/"' in response.content.decode()


def test_stale_edit_is_refused(world, budi):
    client = client_for(world.village_operator)
    form = {**BUDI, "version": "1", "address": "Jl. A"}
    assert client.post(f"/pekerja/{budi.pk}/ubah/", form).status_code == 302
    again = client.post(f"/pekerja/{budi.pk}/ubah/", {**form, "address": "Jl. B"})
    assert "telah diubah oleh pengguna lain" in again.content.decode()
    budi.refresh_from_db()
    assert budi.address == "Jl. A"


def test_detail_reveal_and_verify(world, budi):
    admin = client_for(world.regency_admin)
    detail = admin.get(f"/pekerja/{budi.pk}/").content.decode()
    assert "6402**********01" in detail and "6402061205800001" not in detail
    revealed = admin.post(f"/pekerja/{budi.pk}/nik/").content.decode()
    assert "6402061205800001" in revealed
    assert AuditEvent.objects.filter(action="worker.reveal_nik", actor=world.regency_admin).exists()
    admin.post(f"/pekerja/{budi.pk}/verifikasi/", {"version": budi.version})
    budi.refresh_from_db()
    assert budi.verification_status == "verified"


def test_queue_verifies_selected(world, budi):
    admin = client_for(world.regency_admin)
    queue = admin.get("/verifikasi/").content.decode()
    assert "Budi Santoso" in queue
    admin.post("/verifikasi/", {"worker": [str(budi.pk)]})
    budi.refresh_from_db()
    assert budi.verification_status == "verified"


def test_record_death_with_evidence_and_download_it(world, budi):
    client = client_for(world.village_operator)
    pdf = SimpleUploadedFile("akta-kematian.pdf", b"%PDF-1.4 akta", content_type="application/pdf")
    client.post(
        f"/pekerja/{budi.pk}/peristiwa/",
        {
            "ev-kind": "deceased",
            "ev-event_date": "2026-03-01",
            "ev-reason": "Sakit",
            "ev-evidence": pdf,
        },
    )
    event = LifeEvent.objects.get(worker=budi)
    download = client.get(f"/pekerja/{budi.pk}/peristiwa/{event.pk}/bukti/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="worker.evidence_download").exists()
    outsider = client_for(world.manggar_operator).get(
        f"/pekerja/{budi.pk}/peristiwa/{event.pk}/bukti/"
    )
    assert outsider.status_code == 404


def test_add_heir_from_the_page(world, budi):
    client = client_for(world.village_operator)
    client.post(
        f"/pekerja/{budi.pk}/ahli-waris/", {"hr-full_name": "Sri", "hr-relationship": "spouse"}
    )
    assert Heir.objects.get(worker=budi).priority_class == 1
    bad = client.post(
        f"/pekerja/{budi.pk}/ahli-waris/",
        {"hr-full_name": "Ani", "hr-relationship": "child", "hr-nik": "123"},
        follow=True,
    )
    assert "NIK harus 16 digit" in bad.content.decode()
    assert Heir.objects.filter(worker=budi).count() == 1
