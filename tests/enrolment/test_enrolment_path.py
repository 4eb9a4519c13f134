"""The whole path of issue 6: programme → eligible set → batch → BPJS file → return file with
rejections → active enrolments with KPJ; renewal without a gap; cover ends with a death."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction

from lindungi.billing.cover import worker_cover
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.models import AuditEvent
from lindungi.enrolment.exchange import batch_file, return_import_create, return_import_run
from lindungi.enrolment.models import BatchStatus, Enrolment, EnrolmentStatus, EnrolmentTransition
from lindungi.enrolment.services import (
    batch_create,
    batch_submit,
    eligibility_preview,
    enrolment_sweep,
)
from lindungi.lifecycle.life_events import life_event_cancel, life_event_record
from lindungi.programmes.services import programme_create, programme_renew

from .conftest import PROGRAMME

pytestmark = pytest.mark.django_db


def _return_file(rows: list[list[str]]) -> io.BytesIO:
    text = "LAPORAN HASIL PENDAFTARAN KOLEKTIF BPU\n\nNIK;NAMA;KPJ;STATUS;ALASAN\n"
    text += "\n".join(";".join(r) for r in rows) + "\n;;;;\nJumlah;;;;\n"
    return io.BytesIO(text.encode("utf-8-sig"))


def _answer(actor, batch, rows, name="jawaban.csv"):
    ret = return_import_create(
        actor=actor, batch_id=batch.pk, file=_return_file(rows), file_name=name, background=False
    )
    return return_import_run(ret=ret, actor=actor)


def _enrolled(kukar, programme, start=dt.date(2026, 1, 1)):
    admin = kukar.world.regency_admin
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=start)
    batch_submit(actor=admin, batch_id=batch.pk)
    rows = [
        [w.nik, w.full_name, f"2600{i:07d}", "DITERIMA", ""] for i, w in enumerate(kukar.workers)
    ]
    _answer(kukar.world.bpjs_officer, batch, rows)
    return batch


def test_eligibility_preview_counts_and_reasons(kukar, programme):
    preview = eligibility_preview(
        actor=kukar.world.regency_admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1)
    )
    assert preview.eligible == 5
    assert preview.proposed == 5
    assert preview.reasons["age"] == 1  # born 2012: 13 on 1 January 2026
    assert preview.reasons["unverified"] == 1
    assert preview.by_village == [{"code": "64.02.06.1002", "name": "Loa Ipuh", "eligible": 5}]
    occupations = {row["code"]: row["eligible"] for row in preview.by_occupation}
    assert occupations == {"petani": 2, "nelayan": 1, "pedagang": 1, "ojek_pengemudi": 1}


def test_whole_path_to_active_enrolments_with_kpj(kukar, programme):
    admin, bpjs = kukar.world.regency_admin, kukar.world.bpjs_officer
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    drafts = Enrolment.objects.filter(batch=batch)
    assert sorted(drafts.values_list("worker_id", flat=True)) == sorted(w.pk for w in kukar.workers)
    assert set(drafts.values_list("status", flat=True)) == {"draft"}
    assert (
        EnrolmentTransition.objects.filter(enrolment__batch=batch, to_status="draft").count() == 5
    )

    batch_submit(actor=admin, batch_id=batch.pk)
    name, content_type, handle = batch_file(actor=bpjs, batch_id=batch.pk, fmt="csv")
    exported = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig")), delimiter=";"))
    assert name.endswith(".csv") and content_type == "text/csv"
    assert exported[0][:6] == [
        "NO",
        "NIK",
        "NAMA LENGKAP",
        "TEMPAT LAHIR",
        "TANGGAL LAHIR",
        "JENIS KELAMIN",
    ]
    assert sorted(r[1] for r in exported[1:]) == sorted(w.nik for w in kukar.workers)
    first = next(r for r in exported[1:] if r[1] == kukar.workers[0].nik)
    assert first[4] == "12-05-1980" and first[8] == "64.02.06.1002" and first[15] == "JKK, JKM"
    assert first[16] == "01-01-2026"
    assert AuditEvent.objects.filter(action="enrolment.batch_export", kind="export").count() == 1

    w = kukar.workers
    rows = [
        [w[0].nik, "x", "26000000001", "DITERIMA", ""],
        [w[1].nik, "x", "26000000002", "Diterima", ""],
        [w[2].nik, "x", "", "DITOLAK", "NIK tidak terdaftar di Dukcapil"],
        [w[3].nik, "x", "26000000004", "", ""],  # a KPJ without a status: accepted
        [w[4].nik, "x", "26000000005", "DITERIMA", ""],
        [w[4].nik, "x", "26000000005", "DITERIMA", ""],  # the same NIK again
        [kukar.outside.nik, "x", "26000000009", "DITERIMA", ""],  # not in this batch
        ["6.40206E+15", "x", "26000000010", "DITERIMA", ""],  # Excel ate the NIK
        [kukar.unverified.nik, "x", "12", "DITERIMA", ""],
    ]
    ret = _answer(bpjs, batch, rows)
    assert (ret.rows, ret.updated, ret.unchanged, ret.rejected, ret.skipped) == (11, 5, 0, 4, 2)
    assert (ret.accepted, ret.refused, ret.activated) == (4, 1, 4)
    report = ret.report.open("rb").read().decode("utf-8-sig")
    assert "RETURN_DUPLICATE_ROW" in report and "RETURN_NOT_IN_BATCH" in report
    assert "RETURN_NIK_EXCEL_NUMBER" in report
    assert kukar.outside.nik not in report  # NIKs are masked in the report

    active = Enrolment.objects.filter(batch=batch, status="active")
    assert dict(active.values_list("worker_id", "kpj")) == {
        w[0].pk: "26000000001",
        w[1].pk: "26000000002",
        w[3].pk: "26000000004",
        w[4].pk: "26000000005",
    }
    assert set(active.values_list("covered_from", flat=True)) == {dt.date(2026, 1, 1)}
    refused = Enrolment.objects.get(batch=batch, worker=w[2])
    assert (refused.status, refused.bpjs_reason) == ("rejected", "NIK tidak terdaftar di Dukcapil")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ANSWERED

    # Re-importing the same answer changes nothing.
    before = list(Enrolment.objects.order_by("id").values())
    transitions = EnrolmentTransition.objects.count()
    again = _answer(bpjs, batch, rows)
    assert (again.updated, again.unchanged, again.rejected) == (0, 5, 4)
    assert list(Enrolment.objects.order_by("id").values()) == before
    assert EnrolmentTransition.objects.count() == transitions


def test_a_failed_return_file_changes_nothing(kukar, programme):
    admin = kukar.world.regency_admin
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    batch_submit(actor=admin, batch_id=batch.pk)
    before = list(Enrolment.objects.order_by("id").values())
    ret = return_import_create(
        actor=admin,
        batch_id=batch.pk,
        file=io.BytesIO(b"bukan;berkas;jawaban\n1;2;3\n"),
        file_name="salah.csv",
        background=False,
    )
    with pytest.raises(DomainError) as excinfo:
        return_import_run(ret=ret, actor=admin)
    assert excinfo.value.code == "ENROL_RETURN_NO_HEADER"
    ret.refresh_from_db()
    assert ret.status == "failed" and "NIK" in ret.error
    assert list(Enrolment.objects.order_by("id").values()) == before


def test_no_worker_holds_two_active_covers_for_the_same_benefit(kukar, programme):
    _enrolled(kukar, programme)
    worker = kukar.workers[0]
    province = programme_create(
        actor=kukar.world.province_admin,
        data={
            **PROGRAMME,
            "name": "Kaltim Peduli Pekerja Rentan 2026",
            "funder": "APBD_PROVINSI",
            "funder_name": "Pemprov Kalimantan Timur",
            "targets": [{"region_code": "64.02", "quota": 100}],
        },
    )
    # The service does not propose workers already covered for JKK/JKM …
    with pytest.raises(DomainError) as excinfo:
        batch_create(
            actor=kukar.world.province_admin,
            programme_id=province.pk,
            start_date=dt.date(2026, 6, 1),
            villages=["64.02.06.1002"],
            occupations=["petani"],
        )
    assert excinfo.value.code == "ENROL_NOBODY_ELIGIBLE"
    # … and the database refuses a second active cover even when a bug or a script tries.
    existing = Enrolment.objects.get(worker=worker, status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            worker=worker,
            programme=province,
            region_code=worker.village_id,
            status=EnrolmentStatus.ACTIVE,
            benefit_jkk=False,
            benefit_jkm=True,
            reported_income=1_000_000,
            start_date=dt.date(2026, 6, 1),
            end_date=dt.date(2026, 12, 31),
            covered_from=dt.date(2026, 6, 1),
        )
    assert Enrolment.objects.filter(worker=worker, status="active").get() == existing


def test_renewal_continues_cover_without_a_gap(kukar, programme):
    _enrolled(kukar, programme)
    admin = kukar.world.regency_admin
    successor = programme_renew(actor=admin, programme_id=programme.pk, data={})
    assert (successor.start_date, successor.end_date) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
    )
    assert successor.predecessor_id == programme.pk
    with pytest.raises(Conflict):
        programme_renew(actor=admin, programme_id=programme.pk, data={})

    batch = batch_create(
        actor=admin, programme_id=successor.pk, start_date=dt.date(2027, 1, 1), renewal=True
    )
    renewed = Enrolment.objects.filter(batch=batch)
    assert sorted(renewed.values_list("worker_id", flat=True)) == sorted(
        w.pk for w in kukar.workers
    )
    assert all(e.renewed_from_id for e in renewed)
    batch_submit(actor=admin, batch_id=batch.pk)
    rows = [[w.nik, "", f"2600000000{i}", "DITERIMA", ""] for i, w in enumerate(kukar.workers)]
    ret = _answer(kukar.world.bpjs_officer, batch, rows)
    assert ret.activated == 0  # starts on 1 January 2027: accepted, waiting
    assert renewed.filter(status="submitted", bpjs_accepted_on__isnull=False).count() == 5

    assert enrolment_sweep(on=dt.date(2027, 1, 1)) == {
        "activated": 5,
        "renewed": 5,
        "held": 0,
        "ended": 0,
    }
    old = Enrolment.objects.get(programme=programme, worker=kukar.workers[0])
    new = Enrolment.objects.get(programme=successor, worker=kukar.workers[0])
    assert (old.status, old.covered_until, old.end_reason) == (
        "ended",
        dt.date(2026, 12, 31),
        "renewed",
    )
    assert (new.status, new.covered_from) == ("active", dt.date(2027, 1, 1))
    assert enrolment_sweep(on=dt.date(2027, 1, 1)) == {
        "activated": 0,
        "renewed": 0,
        "held": 0,
        "ended": 0,
    }

    history = worker_cover(actor=admin, worker_id=kukar.workers[0].pk, today=dt.date(2027, 1, 31))
    assert [p.programme_id for p in history.periods] == [successor.pk, programme.pk]
    assert history.contribution_months == 13
    assert history.periods[1].funder_name == "Pemkab Kutai Kartanegara"


def test_programme_end_ends_cover_that_was_not_renewed(kukar, programme):
    _enrolled(kukar, programme)
    result = enrolment_sweep(on=dt.date(2027, 1, 1))
    assert result["ended"] == 5
    ended = Enrolment.objects.get(worker=kukar.workers[0])
    assert (ended.status, ended.covered_until, ended.end_reason) == (
        "ended",
        dt.date(2026, 12, 31),
        "programme_end",
    )


def test_death_ends_cover_and_cancelling_the_record_restores_it(kukar, programme):
    _enrolled(kukar, programme)
    worker = kukar.workers[1]
    event = life_event_record(
        actor=kukar.world.village_operator,
        worker_id=worker.pk,
        kind="deceased",
        event_date=dt.date(2026, 8, 17),
        reason="Laporan kepala desa",
    )
    enrolment = Enrolment.objects.get(worker=worker)
    assert (enrolment.status, enrolment.covered_until, enrolment.end_reason) == (
        "ended",
        dt.date(2026, 8, 17),
        "deceased",
    )
    assert enrolment.transitions.last().effective_on == dt.date(2026, 8, 17)
    life_event_cancel(actor=kukar.world.village_operator, event_id=event.pk, reason="Salah orang")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.covered_until) == ("active", None)


def test_the_answer_report_neutralises_every_cell(kukar, programme):
    """A malformed cell of BPJS's answer is echoed in the report: no cell of the report may start
    a spreadsheet formula (it wrote the first characters of `=1+2…` as they were, issue 22)."""
    admin, bpjs = kukar.world.regency_admin, kukar.world.bpjs_officer
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    batch_submit(actor=admin, batch_id=batch.pk)
    ret = _answer(bpjs, batch, [["=1+2*3", "x", "26000000001", "DITERIMA", ""],
                                ["@SUM(A1)", "x", "26000000002", "=HYPERLINK(1)", ""]])  # fmt: skip
    report = list(csv.reader(io.StringIO(ret.report.open("rb").read().decode("utf-8-sig")),
                             delimiter=";"))  # fmt: skip
    cells = [cell for row in report[1:] for cell in row]
    assert [row[2] for row in report[1:3]] == ["'=1+2", "'@SUM"]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_bpjs_receives_a_batch_once_it_is_sent_with_phones_as_written(kukar, programme):
    """A draft's file is for its admins to check; BPJS receives it once the batch is marked sent
    (a BPJS officer downloaded a draft with full NIKs). Phones keep their `+62` form in both
    formats: a leading apostrophe, written to keep spreadsheets from evaluating formulas, was
    kept by BPJS's upload as part of the number."""
    from python_calamine import CalamineWorkbook

    admin, bpjs = kukar.world.regency_admin, kukar.world.bpjs_officer
    worker = kukar.workers[0]
    worker.phone = "+6281234567890"
    worker.save(update_fields=["phone"])
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    with pytest.raises(Conflict) as refused:
        batch_file(actor=bpjs, batch_id=batch.pk, fmt="csv")
    assert refused.value.code == "ENROL_BATCH_NOT_SUBMITTED"
    assert not AuditEvent.objects.filter(action="enrolment.batch_export").exists()
    batch_file(actor=admin, batch_id=batch.pk, fmt="csv")  # the admin checks the draft
    batch_submit(actor=admin, batch_id=batch.pk)
    _, _, handle = batch_file(actor=bpjs, batch_id=batch.pk, fmt="csv")
    rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig")), delimiter=";"))
    phone = rows[0].index("NO HP")
    assert next(r[phone] for r in rows[1:] if r[1] == worker.nik) == "+6281234567890"
    _, _, handle = batch_file(actor=bpjs, batch_id=batch.pk, fmt="xlsx")
    values = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0)
    values = values.to_python()
    assert next(r[phone] for r in values[1:] if r[1] == worker.nik) == "+6281234567890"
