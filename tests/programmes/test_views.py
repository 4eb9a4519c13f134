"""The programme pages (list, new, detail, edit, renew) and *Tarif & manfaat*, as each role sees
them: what is shown, what is written, and 403/404 where the scope ends."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

from lindungi.core.models import AuditEvent
from lindungi.programmes.models import ContributionRate, Programme

from ..conftest import client_for
from .conftest import nothing_written, submitted
from .test_forms import TYPED

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return unescape(response.content.decode())


def test_the_list_shows_the_programmes_in_scope(world, programmes):
    page = client_for(world.regency_admin).get("/program/")
    assert page.status_code == 200
    text = _text(page)
    assert "Perlindungan Pekerja Rentan Kukar 2026" in text
    assert "Kaltim Peduli Pekerja Rentan 2026" in text
    assert "Balikpapan Lindungi" not in text
    assert 'data-testid="programme-new"' in text
    assert "01-01-2026 – 31-12-2026" in text
    auditor = _text(client_for(world.auditor).get("/program/"))
    assert "Perlindungan Pekerja Rentan Kukar 2026" in auditor
    assert 'data-testid="programme-new"' not in auditor  # reads, creates nothing
    assert "Perlindungan Pekerja Rentan Kukar" not in _text(
        client_for(world.balikpapan_admin).get("/program/")
    )


def test_the_new_programme_page_is_for_admins(world):
    page = client_for(world.regency_admin).get("/program/baru/")
    assert page.status_code == 200
    next_year = dt.date.today().year + 1
    assert f'name="budget_year" value="{next_year}"' in _text(page)
    assert 'name="region_code" value="64.02"' in _text(page)
    assert client_for(world.auditor).get("/program/baru/").status_code == 403
    assert client_for(world.village_operator).post("/program/baru/", TYPED).status_code == 403
    assert not Programme.objects.exists()


def test_a_programme_typed_as_an_office_types_it_is_created(world):
    response = client_for(world.regency_admin).post("/program/baru/", TYPED)
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response.url == f"/program/{programme.pk}/"
    assert (programme.budget_amount, programme.reported_income, programme.income_ceiling) == (
        3_000_000_000, 1_000_000, 2_500_000,
    )  # fmt: skip
    assert (programme.start_date, programme.end_date) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert programme.occupations == ["nelayan", "petani"]
    assert list(programme.targets.values_list("region_id", "quota")) == [
        ("64.02.01", None),
        ("64.02.06", 5000),
        ("64.02.07", 2500),
    ]
    assert list(programme.funders.values_list("funder", "share_bp")) == [
        ("APBD_KABKOTA", 7276),
        ("APBD_PROVINSI", 2724),
    ]
    event = AuditEvent.objects.get(action="programme.create")
    assert (event.actor, event.channel) == (world.regency_admin, "web")


def test_a_refused_programme_shows_each_message_by_its_field_and_writes_nothing(world):
    before = AuditEvent.objects.count()
    response = client_for(world.regency_admin).post(
        "/program/baru/",
        {**TYPED, "reported_income": "900.000", "targets": "64.71.01 100",
         "funders": "APBD_PROVINSI, Pemprov Kalimantan Timur, 40\n"
                    "APBD_KABKOTA; Pemkab Kutai Kartanegara; 60"},
    )  # fmt: skip
    assert response.status_code == 200
    text = _text(response)
    assert (
        '<div class="invalid-feedback d-block" data-field-error="reported_income">'
        "Penghasilan dilaporkan paling sedikit Rp1.000.000 (pita terendah BPJS).</div>"
    ) in text
    assert (
        'data-field-error="targets">Wilayah sasaran 64.71.01 tidak berada di dalam wilayah '
        "program.</div>"
    ) in text
    assert (
        'data-field-error="funders">Sumber dana “APBD_PROVINSI, Pemprov Kalimantan Timur, 40” '
        "tidak dikenal.</div>"
    ) in text
    assert (
        'data-field-error="funders">Porsi para pemberi dana harus berjumlah 100% (tertulis 60%).'
    ) in text
    nothing_written(before)


def test_an_amount_the_form_cannot_read_is_shown_back(world):
    before = AuditEvent.objects.count()
    response = client_for(world.regency_admin).post(
        "/program/baru/", {**TYPED, "budget_amount": "3,5 miliar"}
    )
    text = _text(response)
    assert (
        'data-field-error="budget_amount">Tulis jumlah rupiah dengan angka, mis. 3.000.000.000.'
    ) in text
    assert 'name="budget_amount" value="3,5 miliar"' in text
    nothing_written(before)


def test_the_detail_page_shows_the_terms_and_the_money(world, programmes):
    page = client_for(world.regency_admin).get(f"/program/{programmes.kukar.pk}/")
    assert page.status_code == 200
    text = _text(page)
    assert 'data-testid="programme-name">Perlindungan Pekerja Rentan Kukar 2026<' in text
    assert (
        '<dd class="col-7" data-testid="monthly">Rp16.800 / bulan (JKK 10.000, JKM 6.800)'
    ) in text
    assert "Rp3.000.000.000" in text
    assert "01-01-2026 – 31-12-2026" in text
    assert "Pemkab Kutai Kartanegara" in text and "100%" in text
    assert "Tenggarong" in text and "tanpa kuota" in text
    # Kukar's admin manages it: edit link, renewal and batch forms.
    assert f'href="/program/{programmes.kukar.pk}/ubah/"' in text
    assert f'action="/program/{programmes.kukar.pk}/lanjutkan/"' in text
    assert 'data-testid="batch-form"' in text


def test_kukar_reads_the_provinces_programme_without_changing_it(world, programmes):
    pk = programmes.kaltim.pk
    client = client_for(world.regency_admin)
    text = _text(client.get(f"/program/{pk}/"))
    assert "Kaltim Peduli Pekerja Rentan 2026" in text
    assert "kuota 5.614" in text and "kuota 1.200" in text
    assert f"/program/{pk}/ubah/" not in text
    assert f"/program/{pk}/lanjutkan/" not in text
    assert 'data-testid="batch-form"' not in text
    assert client.get(f"/program/{pk}/ubah/").status_code == 403
    assert client.post(f"/program/{pk}/ubah/", {**TYPED, "name": "X"}).status_code == 403
    assert client.post(f"/program/{pk}/lanjutkan/", {}).status_code == 403
    assert Programme.objects.get(pk=pk).name == "Kaltim Peduli Pekerja Rentan 2026"
    assert Programme.objects.count() == 3


def test_outside_its_scope_a_programme_is_a_404_on_every_page(world, programmes):
    client = client_for(world.balikpapan_admin)
    pk = programmes.kukar.pk
    for url in (f"/program/{pk}/", f"/program/{pk}/ubah/", f"/program/{pk}/kelayakan/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/program/{pk}/lanjutkan/", {}).status_code == 404
    assert client.post(f"/program/{pk}/ubah/", TYPED).status_code == 404
    assert Programme.objects.count() == 3
    assert not AuditEvent.objects.filter(action__in=["programme.update", "programme.renew"])


def _edit_post(programme: Programme, **changes) -> dict:
    """The edit form as the page renders it (its initial values), with `changes` typed in."""
    page = {
        **TYPED,
        "region_code": programme.region_id,
        "occupations": [],
        "income_ceiling": "",
        "targets": "64.02.06",
        "funders": "APBD_KABKOTA; Pemkab Kutai Kartanegara; 100",
        "version": str(programme.version),
    }
    return {**page, **changes}


def test_the_edit_page_saves_and_records_only_what_changed(world, programmes):
    pk = programmes.kukar.pk
    client = client_for(world.regency_admin)
    form = _text(client.get(f"/program/{pk}/ubah/"))
    assert 'name="version" value="1"' in form
    assert 'name="budget_amount" value="3000000000"' in form
    assert "APBD_KABKOTA; Pemkab Kutai Kartanegara; 100</textarea>" in form
    response = client.post(f"/program/{pk}/ubah/", _edit_post(
        programmes.kukar, budget_amount="3.250.000.000", targets="64.02.06 4.500"))  # fmt: skip
    assert (response.status_code, response.url) == (302, f"/program/{pk}/")
    stored = Programme.objects.get(pk=pk)
    assert (stored.budget_amount, stored.version) == (3_250_000_000, 2)
    assert stored.targets.get().quota == 4500
    event = AuditEvent.objects.get(action="programme.update")
    assert event.changes == {
        "budget_amount": [3_000_000_000, 3_250_000_000],
        "targets": [[["64.02.06", None]], [["64.02.06", 4500]]],
    }


def test_an_edit_from_a_stale_page_is_refused_with_the_reason(world, programmes):
    pk = programmes.kukar.pk
    stale = _edit_post(programmes.kukar, name="Nama dari halaman lama")
    client_for(world.province_admin).post(f"/program/{pk}/ubah/", _edit_post(
        programmes.kukar, budget_amount="2.000.000.000"))  # fmt: skip
    response = client_for(world.regency_admin).post(f"/program/{pk}/ubah/", stale)
    assert response.status_code == 200
    assert (
        "Program ini telah diubah oleh pengguna lain (versi 2). Muat ulang lalu ulangi."
        in _text(response)
    )
    stored = Programme.objects.get(pk=pk)
    assert (stored.name, stored.budget_amount, stored.version) == (
        "Perlindungan Pekerja Rentan Kukar 2026", 2_000_000_000, 2,
    )  # fmt: skip


def test_a_locked_rule_is_refused_on_the_edit_page(kukar, programme):
    admin = kukar.world.regency_admin
    submitted(admin, programme)
    response = client_for(admin).post(
        f"/program/{programme.pk}/ubah/", _edit_post(programme, end_date="30-06-2026")
    )
    assert response.status_code == 200
    assert "tidak dapat diubah setelah ada kepesertaan yang dikirim ke BPJS" in _text(response)
    assert Programme.objects.get(pk=programme.pk).end_date == dt.date(2026, 12, 31)


def test_renewing_from_the_page_leads_to_the_new_programme_once(world, programmes):
    pk = programmes.kukar.pk
    client = client_for(world.regency_admin)
    assert client.get(f"/program/{pk}/lanjutkan/").status_code == 405
    response = client.post(f"/program/{pk}/lanjutkan/", {"budget_amount": "3.100.000.000",
                                                         "legal_basis": "Perbup Kukar No. 2/2027"})  # fmt: skip
    successor = Programme.objects.get(predecessor_id=pk)
    assert (response.status_code, response.url) == (302, f"/program/{successor.pk}/")
    assert (successor.budget_amount, successor.legal_basis, successor.start_date) == (
        3_100_000_000, "Perbup Kukar No. 2/2027", dt.date(2027, 1, 1),
    )  # fmt: skip
    page = _text(client.get(f"/program/{pk}/"))
    assert f'href="/program/{successor.pk}/"' in page  # "Dilanjutkan oleh"
    assert f"/program/{pk}/lanjutkan/" not in page  # no second renewal offered
    again = client.post(f"/program/{pk}/lanjutkan/", {}, follow=True)
    assert "Program ini sudah mempunyai program lanjutan" in _text(again)
    assert Programme.objects.filter(predecessor_id=pk).count() == 1


def test_the_rates_page_quotes_the_standard_package_on_a_given_day(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 6, 1))
    text = _text(client_for(world.auditor).get("/tarif/"))
    assert "Iuran per bulan untuk penghasilan Rp1.000.000 pada 01-06-2026" in text
    assert (
        '<tr><td>APBD_KABKOTA</td><td class="text-end">JKK 10.000 + JKM 6.800 = '
        "<strong>Rp16.800</strong></td></tr>"
    ) in text
    # Self-paid, April – December 2026: every sector's JKK/JKM is halved (PP 50/2025).
    assert "JKK 5.000 + JKM 3.400 = <strong>Rp8.400</strong>" in text
    assert "Diskon 50% iuran JKK/JKM BPU semua sektor" in text
    assert "1% dari penghasilan (min. Rp1.000.000)" in text
    assert "Versi tarif baru" not in text  # only the superadmin adds versions


def test_only_the_superadmin_adds_a_rate_version_on_the_page(world):
    version = {"benefit": "JKM", "kind": "flat", "amount": "7.500", "valid_from": "01-01-2027",
               "legal_basis": "PP 12/2026"}  # fmt: skip
    assert client_for(world.regency_admin).post("/tarif/", version).status_code == 403
    assert ContributionRate.objects.count() == 3
    client = client_for(world.superadmin)
    assert "Versi tarif baru" in _text(client.get("/tarif/"))
    response = client.post("/tarif/", version)
    assert (response.status_code, response.url) == (302, "/tarif/")
    new = ContributionRate.objects.get(valid_from=dt.date(2027, 1, 1))
    assert (new.benefit, new.amount, new.created_by) == ("JKM", 7_500, world.superadmin)
    refused = client.post("/tarif/", {**version, "valid_from": "01-01-2020"})
    assert "Versi baru harus berlaku sesudah versi yang berlaku sekarang (mulai 01-01-2027)." in (
        _text(refused)
    )
    assert ContributionRate.objects.count() == 4
