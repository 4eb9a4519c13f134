"""Claim cases of issue 8: a death recorded anywhere opens a case; eligibility on the event
date; heirs in the legal priority order; the document checklist; statuses with dates and actors;
the JKM working-day clock over holidays; the JKK claim right; scholarships; the worklist of
deaths nobody claimed."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from lindungi.claims.clocks import add_working_days, working_days_between
from lindungi.claims.models import ClaimCase, ClaimStatus, Holiday, InstalmentStatus
from lindungi.claims.selectors import claim_list, clock_of, clock_summary, unclaimed_deaths
from lindungi.claims.services import (
    checklist,
    claim_advance,
    claim_document_upload,
    claim_heir_choose,
    claim_open,
    claim_update,
    scholarship_record,
)
from lindungi.core.audit import AuditEvent
from lindungi.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from lindungi.lifecycle.life_events import life_event_record
from lindungi.registry.models import LifeEvent
from lindungi.registry.services import heir_add

from ..billing.helpers import co_funded, enrol_all

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def covered(kukar):
    programme = co_funded(
        kukar, funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000}]
    )
    enrol_all(kukar, programme)
    return programme


def _family(kukar, worker):
    operator = kukar.world.village_operator
    heirs = {
        "sibling": heir_add(actor=operator, worker_id=worker.pk,
                            data={"full_name": "Rudi Santoso", "relationship": "sibling"}),
        "spouse": heir_add(actor=operator, worker_id=worker.pk,
                           data={"full_name": "Sri Wahyuni", "relationship": "spouse",
                                 "birth_date": "1982-04-01"}),
        "child": heir_add(actor=operator, worker_id=worker.pk,
                          data={"full_name": "Putri Santoso", "relationship": "child",
                                "birth_date": "2015-08-17"}),
    }  # fmt: skip
    return heirs


def _upload_all(kukar, case):
    for item in checklist(case):
        claim_document_upload(
            actor=kukar.world.village_operator, case_id=case.pk, kind=item["kind"],
            file=io.BytesIO(b"%PDF-1.4 " + item["kind"].encode()), file_name=f"{item['kind']}.pdf",
        )  # fmt: skip


def test_a_recorded_death_opens_a_case_and_follows_it_to_paid(kukar, covered):
    worker = kukar.workers[0]
    heirs = _family(kukar, worker)
    life_event_record(
        actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
        event_date=D(2026, 3, 10), reason="Meninggal karena sakit",
    )  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    assert (case.kind, case.status, case.eligible, case.entitlement) == (
        "JKM", "reported", True, 42_000_000,
    )  # fmt: skip
    assert case.life_event == LifeEvent.objects.get(worker=worker)
    assert case.enrolment.programme == covered
    assert case.number.startswith("KLM-2026-")
    # Masa iur of three months: no JKM scholarship.
    assert case.contribution_months == 3 and case.estimate["scholarship_eligible"] is False
    # Submitting without a heir and documents is refused, naming what is missing.
    with pytest.raises(FieldErrors) as excinfo:
        claim_advance(actor=kukar.world.regency_admin, case_id=case.pk, status="submitted")
    assert set(excinfo.value.fields) == {"heir_id", "documents"}
    # The sibling is of a lower class than the spouse and the child: a reason is required.
    with pytest.raises(FieldErrors) as excinfo:
        claim_heir_choose(actor=kukar.world.village_operator, case_id=case.pk,
                          heir_id=heirs["sibling"].pk)  # fmt: skip
    assert excinfo.value.fields["reason"][0]["code"] == "CLAIM_HEIR_REASON_REQUIRED"
    case = claim_heir_choose(actor=kukar.world.village_operator, case_id=case.pk,
                             heir_id=heirs["spouse"].pk)  # fmt: skip
    assert case.heir_reason == ""
    # The spouse receives: the marriage book joins the checklist.
    kinds = [item["kind"] for item in checklist(case)]
    assert "marriage_book" in kinds and len(kinds) == 8
    _upload_all(kukar, case)
    assert all(item["present"] for item in checklist(case))
    # An operator cannot submit; an admin can. Friday 13 March 2026 + 3 working days.
    with pytest.raises(Forbidden):
        claim_advance(actor=kukar.world.village_operator, case_id=case.pk, status="submitted")
    admin = kukar.world.regency_admin
    case = claim_advance(actor=admin, case_id=case.pk, status="submitted",
                         data={"date": "2026-03-13"})  # fmt: skip
    assert case.due_on == D(2026, 3, 18)
    with pytest.raises(Conflict):
        claim_advance(actor=admin, case_id=case.pk, status="paid", data={"amount_paid": 1})
    case = claim_advance(actor=admin, case_id=case.pk, status="approved",
                         data={"date": "2026-03-16", "bpjs_reference": "JKM-0001"})  # fmt: skip
    case = claim_advance(actor=admin, case_id=case.pk, status="paid",
                         data={"date": "2026-03-17", "amount_paid": "42000000"})  # fmt: skip
    assert (case.status, case.amount_paid, case.paid_on) == ("paid", 42_000_000, D(2026, 3, 17))
    steps = [(t.from_status, t.to_status, t.on) for t in case.transitions.all()]
    assert [s[1] for s in steps] == ["reported", "submitted", "approved", "paid"]
    assert all(t.actor_id for t in case.transitions.all()[1:])
    assert AuditEvent.objects.filter(action="claim.status", object_id=str(case.pk)).count() == 3
    # A second death case for the same worker is refused.
    with pytest.raises(Conflict):
        claim_open(actor=admin, worker_id=worker.pk, kind="JKK_DEATH", event_date="2026-03-10")


def test_a_death_without_cover_opens_nothing_and_no_cover_is_not_eligible(kukar, covered):
    worker = kukar.workers[1]
    # Died before cover began (1 January 2026): no automatic case, nothing in the worklist.
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=D(2025, 12, 20), reason="Meninggal")  # fmt: skip
    assert not ClaimCase.objects.filter(worker=worker).exists()
    assert not unclaimed_deaths(actor=kukar.world.regency_admin).filter(worker=worker).exists()
    # Opened by hand anyway: recorded, not eligible, and cannot be submitted.
    case = claim_open(actor=kukar.world.village_operator, worker_id=worker.pk, kind="JKM",
                      event_date="2025-12-20")  # fmt: skip
    assert (case.eligible, case.entitlement) == (False, 0)
    assert "Tidak ada kepesertaan" in case.eligibility_note
    with pytest.raises(FieldErrors) as excinfo:
        claim_advance(actor=kukar.world.regency_admin, case_id=case.pk, status="submitted")
    assert excinfo.value.fields["status"][0]["code"] == "CLAIM_NOT_ELIGIBLE"
    # Cancelled with a reason; the case stays.
    with pytest.raises(FieldErrors):
        claim_advance(actor=kukar.world.regency_admin, case_id=case.pk, status="cancelled")
    claim_advance(actor=kukar.world.regency_admin, case_id=case.pk, status="cancelled",
                  data={"note": "Meninggal sebelum kepesertaan aktif"})  # fmt: skip
    assert ClaimCase.objects.get(pk=case.pk).status == "cancelled"


def test_the_worklist_shows_deaths_with_cover_and_no_case(kukar, covered):
    worker = kukar.workers[2]
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=D(2026, 2, 1), reason="Meninggal")  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    admin = kukar.world.regency_admin
    assert not unclaimed_deaths(actor=admin).exists()
    claim_advance(actor=admin, case_id=case.pk, status="cancelled", data={"note": "keliru"})
    assert list(unclaimed_deaths(actor=admin).values_list("worker_id", flat=True)) == [worker.pk]
    # Outside the scope of Balikpapan's admin, and not visible to it.
    assert not unclaimed_deaths(actor=kukar.world.balikpapan_admin).exists()
    with pytest.raises(NotFound):
        claim_advance(actor=kukar.world.balikpapan_admin, case_id=case.pk, status="submitted")
    assert clock_summary(actor=admin).unclaimed_deaths == 1


def test_a_work_accident_death_changes_the_kind_and_a_scholarship_follows(kukar, covered):
    worker = kukar.workers[3]
    heirs = _family(kukar, worker)
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=D(2026, 4, 2), reason="Kecelakaan di kebun")  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    case = claim_update(actor=kukar.world.village_operator, case_id=case.pk,
                        data={"kind": "JKK_DEATH"})  # fmt: skip
    assert (case.kind, case.entitlement) == ("JKK_DEATH", 70_000_000)
    assert case.estimate["scholarship_eligible"] is True  # no minimum masa iur for JKK
    assert case.claim_deadline == D(2031, 4, 2)
    with pytest.raises(FieldErrors):
        claim_update(actor=kukar.world.village_operator, case_id=case.pk,
                     data={"kind": "JKK_TEMPORARY_INCAPACITY"})  # fmt: skip
    claim_heir_choose(actor=kukar.world.village_operator, case_id=case.pk,
                      heir_id=heirs["sibling"].pk, reason="Istri dan anak menyerahkan haknya")  # fmt: skip
    case.refresh_from_db()
    assert case.heir_reason == "Istri dan anak menyerahkan haknya"
    assert "marriage_book" not in [i["kind"] for i in checklist(case)]
    _upload_all(kukar, case)
    admin = kukar.world.regency_admin
    for status, data in [
        ("submitted", {}),
        ("approved", {}),
        ("paid", {"amount_paid": 70_000_000}),
    ]:
        case = claim_advance(actor=admin, case_id=case.pk, status=status,
                             data={"date": "2026-04-10", **data})  # fmt: skip
    child = heirs["child"]
    assert case.instalments.get().school_year == 2025  # April 2026: school year 2025/2026
    paid = scholarship_record(actor=admin, case_id=case.pk, child_id=child.pk,
                              data={"school_year": 2025, "education_level": "SD"})  # fmt: skip
    assert (paid.status, paid.amount) == (InstalmentStatus.PAID, 1_500_000)
    later = scholarship_record(actor=admin, case_id=case.pk, child_id=child.pk,
                               data={"school_year": 2027, "education_level": "SMP"})  # fmt: skip
    assert later.amount == 2_000_000
    ended = scholarship_record(actor=admin, case_id=case.pk, child_id=child.pk,
                               data={"school_year": 2028, "end_reason": "Menikah"})  # fmt: skip
    assert ended.status == InstalmentStatus.ENDED
    with pytest.raises(Conflict):
        scholarship_record(actor=admin, case_id=case.pk, child_id=child.pk,
                           data={"school_year": 2029, "education_level": "SMA"})  # fmt: skip


def test_working_days_skip_weekends_fixed_and_entered_holidays(kukar):
    # Thursday 30 July 2026 + 3 working days, with 17 August irrelevant: Tuesday 4 August.
    assert add_working_days(D(2026, 7, 30), 3) == D(2026, 8, 4)
    # Friday 14 August: Monday 17 August is Independence Day → Thursday 20 August.
    assert add_working_days(D(2026, 8, 14), 3) == D(2026, 8, 20)
    Holiday.objects.create(date=D(2026, 8, 18), name="Cuti bersama (contoh)")
    assert add_working_days(D(2026, 8, 14), 3) == D(2026, 8, 21)
    assert working_days_between(D(2026, 8, 14), D(2026, 8, 21)) == 3


def test_clocks_overdue_and_soon(kukar, covered):
    worker = kukar.workers[4]
    heirs = _family(kukar, worker)
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=D(2026, 5, 4), reason="Meninggal")  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    claim_heir_choose(actor=kukar.world.village_operator, case_id=case.pk,
                      heir_id=heirs["child"].pk)  # fmt: skip
    _upload_all(kukar, case)
    admin = kukar.world.regency_admin
    case = claim_advance(actor=admin, case_id=case.pk, status="submitted",
                         data={"date": "2026-05-04"})  # fmt: skip
    assert case.due_on == D(2026, 5, 7)
    assert claim_list(actor=admin, clock="soon", today=D(2026, 5, 6)).get() == case
    assert not claim_list(actor=admin, clock="overdue", today=D(2026, 5, 7)).exists()
    assert claim_list(actor=admin, clock="overdue", today=D(2026, 5, 8)).get() == case
    clock = clock_of(case, today=D(2026, 5, 12))
    assert (clock["overdue"], clock["late_working_days"]) == (True, 3)
    assert clock_summary(actor=admin, today=D(2026, 5, 8)).overdue == 1
    assert ClaimStatus(case.status) == ClaimStatus.SUBMITTED


def test_a_death_recorded_by_an_import_opens_a_case(kukar, covered):
    from lindungi.imports.services import import_create, import_run

    from ..imports.files import csv_bytes

    worker = kukar.workers[1]
    row = ["1", worker.nik, worker.full_name, "Tenggarong, 12-05-1980", "L", "", "",
           "Loa Ipuh", "", "", "Meninggal dunia 02-03-2026"]  # fmt: skip
    operator = kukar.world.village_operator
    imp = import_create(
        actor=operator, file=io.BytesIO(csv_bytes([row])), file_name="desa.csv",
        region_code="64.02.06.1002", background=False,
    )  # fmt: skip
    import_run(imp=imp, actor=operator)
    case = ClaimCase.objects.get(worker=worker)
    assert (case.kind, case.event_date, case.eligible) == ("JKM", D(2026, 3, 2), True)
    assert "Impor desa.csv" in case.life_event.reason
    # The same file again: no second event, no second case.
    again = import_create(
        actor=operator, file=io.BytesIO(csv_bytes([row])), file_name="desa.csv",
        region_code="64.02.06.1002", background=False,
    )  # fmt: skip
    import_run(imp=again, actor=operator)
    assert ClaimCase.objects.filter(worker=worker).count() == 1


def test_a_death_is_recorded_even_when_its_case_cannot_be_opened(kukar, covered):
    from lindungi.programmes.models import BenefitRule

    BenefitRule.objects.all().delete()  # an installation whose benefit table is incomplete
    worker = kukar.workers[2]
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=D(2026, 2, 1), reason="Meninggal")  # fmt: skip
    worker.refresh_from_db()
    assert worker.life_status == "deceased"
    assert not ClaimCase.objects.filter(worker=worker).exists()
    # …and it waits in the worklist, so the heirs are not forgotten.
    worklist = unclaimed_deaths(actor=kukar.world.regency_admin)
    assert list(worklist.values_list("worker_id", flat=True)) == [worker.pk]
