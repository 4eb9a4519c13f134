"""A world in which rows can leak across regions through objects of a wider region.

Kalimantan Timur (64) runs one programme for two regencies, Kutai Kartanegara (64.02) and
Kota Balikpapan (64.71). Its batch went to BPJS and came back with KPJ numbers, a month was
billed (one invoice per co-funder, with a CSR donor of Balikpapan among them), paid with
evidence and reconciled against BPJS's statement; a worker of each regency has a claim; one
person appears to be listed in both regencies (a duplicate pair across the border). Every
worker carries markers — NIK, masked NIK, name, phone, KPJ, heirs' names — that belong to
their own region alone: `tests/test_scope_isolation.py` walks every endpoint as every role
and looks for the markers of people outside the caller's region.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import token_issue
from lindungi.billing.alerts import alerts_raise
from lindungi.billing.models import Alert, Payment
from lindungi.billing.reconcile import statement_import
from lindungi.billing.services import contribution_run, payment_record
from lindungi.claims.models import ClaimCase, Holiday
from lindungi.claims.services import claim_document_upload, claim_open
from lindungi.core.privacy import mask_nik
from lindungi.core.scope import region_in_scope
from lindungi.dedup.models import CandidatePair, DedupRun
from lindungi.dedup.services import worker_merge
from lindungi.enrolment.exchange import return_import_create, return_import_run
from lindungi.enrolment.services import batch_create, batch_submit
from lindungi.imports.services import import_create, import_run
from lindungi.lifecycle.life_events import life_event_record
from lindungi.programmes.services import programme_create
from lindungi.registry.services import heir_add, worker_create
from lindungi.reporting.exports import export_build, export_request
from lindungi.reporting.printing import report_build, report_request

from .conftest import World

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class Person:
    """One worker and what identifies them in any response: all of it belongs to `village`."""

    key: str
    village: str
    nik: str
    name: str
    phone: str
    kpj: str
    heir: str
    sex: str = "L"
    born: str = "12-05-1980"

    @property
    def markers(self) -> dict[str, str]:
        markers = {
            "nik": self.nik,
            "masked nik": mask_nik(self.nik),
            "name": self.name.upper(),
            "phone": self.phone,
            "phone (local)": "0" + self.phone[3:],
            "kpj": self.kpj,
            "heir": self.heir.upper(),
        }
        return {what: marker for what, marker in markers.items() if marker}


# Two villages of Tenggarong, one of Loa Janan (all Kukar), and two people of Manggar. Names,
# phones and KPJs are unique; the last two NIK digits too, so masked NIKs do not collide.
PEOPLE = [
    Person("loa_ipuh", "64.02.06.1002", "6402065207850011", "Sarinah Wulandari",
           "+6281250000011", "26064020011", "Rukmini Wulandari", sex="P", born="12-07-1985"),
    Person("jahab", "64.02.06.1001", "6402061003820022", "Bambang Kuswanto",
           "+6281250000022", "26064020022", "Suparmi Kuswanto", born="10-03-1982"),
    Person("bakungan", "64.02.03.2001", "6402032208790033", "Ahmad Zulkifli",
           "+6281250000033", "26064020033", "Nurhayati Zulkifli", born="22-08-1979"),
    Person("manggar", "64.71.01.1001", "6471015409880044", "Maria Sembiring",
           "+6281350000044", "26064710044", "Fransiska Sembiring", sex="P", born="14-09-1988"),
    Person("manggar_twin", "64.71.01.1001", "6471011003820055", "Bambang Kuswoyo",
           "+6281350000055", "26064710055", "Wagiyem Kuswoyo", born="10-03-1982"),
]  # fmt: skip
# Jahab listed Bambang Kuswanto a second time, with a slip in the NIK: merged into him.
SECOND_LISTING = Person("jahab_second", "64.02.06.1001", "6402061003820066", "Bambang Kuswantoro",
                        "+6281250000066", "", "Sumiati Kuswantoro", born="10-03-1982")  # fmt: skip


@dataclass
class ScopeWorld:
    world: World
    accounts: dict[str, User]
    people: dict[str, Person]
    worker_ids: dict[str, int]
    ids: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def foreign_to(self, user: User) -> list[Person]:
        """The people whose region lies outside `user`'s scope."""
        return [p for p in self.people.values() if not region_in_scope(user, p.village)]

    def own_to(self, user: User) -> list[Person]:
        return [p for p in self.people.values() if region_in_scope(user, p.village)]

    def assignments(self) -> Iterator[dict[str, str]]:
        for rows in self.ids.values():
            yield from rows


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "nik": person.nik,
        "full_name": person.name,
        "birth_place": "Tenggarong",
        "birth_date": person.born,
        "sex": person.sex,
        "village": person.village,
        "address": "Jl. Poros RT 03",
        "phone": person.phone,
        "occupation": "petani",
        "reported_income": "1.000.000",
    }


def build(world: World, make_user: Any, capture: Any) -> ScopeWorld:
    """The whole world, through the services every front door uses. `capture` is pytest-django's
    `django_capture_on_commit_callbacks`: background jobs run when their request would commit."""
    province = world.province_admin
    accounts = {
        "regency_admin": world.regency_admin,
        "district_operator": world.district_operator,
        "village_operator": world.village_operator,
        "bpjs_officer": world.bpjs_officer,
        "auditor": world.auditor,
        "balikpapan_admin": world.balikpapan_admin,
        "manggar_operator": world.manggar_operator,
        "jahab_operator": make_user("op.jahab", Role.VILLAGE_OPERATOR, "64.02.06.1001"),
        "balikpapan_bpjs": make_user("bpjs.bpp", Role.BPJS_OFFICER, "64.71"),
        "balikpapan_donor": make_user("csr.bpp", Role.DONOR, "64.71"),
        "province_admin": province,
    }
    workers: dict[str, int] = {}
    for person in PEOPLE:
        worker = worker_create(actor=province, data=_person_data(person))
        heir_add(
            actor=province,
            worker_id=worker.pk,
            data={"full_name": person.heir, "relationship": "spouse"},
        )
        workers[person.key] = worker.pk

    programme = programme_create(
        actor=province,
        data={
            "name": "Kaltim Peduli Pekerja Rentan 2026",
            "funder": "APBD_PROVINSI",
            "funder_name": "Pemprov Kalimantan Timur",
            "legal_basis": "Pergub Kaltim 7/2026",
            "budget_year": 2026,
            "budget_amount": 1_000_000_000,
            "start_date": dt.date(2026, 1, 1),
            "end_date": dt.date(2026, 12, 31),
            "verification_required": False,
            "targets": [{"region_code": "64.02"}, {"region_code": "64.71"}],
            "funders": [
                {"funder": "APBD_PROVINSI", "name": "Pemprov Kaltim", "share_bp": 8000},
                {"funder": "CSR", "name": "PT Balikpapan Sejahtera", "share_bp": 2000,
                 "account": "csr.bpp"},
            ],
        },
    )  # fmt: skip
    batch = batch_create(actor=province, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    batch_submit(actor=province, batch_id=batch.pk)
    answer = "NIK;KPJ;STATUS\n" + "".join(f"{p.nik};{p.kpj};DITERIMA\n" for p in PEOPLE)
    ret = return_import_create(
        actor=province,
        batch_id=batch.pk,
        file=io.BytesIO(answer.encode()),
        file_name="jawaban.csv",
        background=False,
    )
    return_import_run(ret=ret, actor=province)

    run = contribution_run(
        actor=province, programme_id=programme.pk, period="2026-01", today=dt.date(2026, 1, 2)
    ).run
    invoice = run.invoices.order_by("id").first()
    payment_record(
        actor=province,
        programme_id=programme.pk,
        today=dt.date(2026, 1, 5),
        data={"funder_id": invoice.funder_id, "paid_on": "2026-01-05", "amount": 1000,
              "reference": "SP2D-001"},
        evidence=io.BytesIO(PDF),
        evidence_name="sp2d.pdf",
    )  # fmt: skip
    alerts_raise(on=dt.date(2026, 11, 15))  # the programme ends in 46 days, with no successor
    # BPJS bills Loa Ipuh twice over, misses Jahab, knows someone unknown to us.
    by_key = {p.key: p for p in PEOPLE}
    statement = (
        "NIK;KPJ;IURAN\n"
        f"{by_key['loa_ipuh'].nik};{by_key['loa_ipuh'].kpj};33600\n"
        f"{by_key['bakungan'].nik};{by_key['bakungan'].kpj};16800\n"
        f"{by_key['manggar'].nik};{by_key['manggar'].kpj};33600\n"
        f"{by_key['manggar_twin'].nik};{by_key['manggar_twin'].kpj};16800\n"
        "6471010101900999;26099999999;16800\n"
    )
    stated = statement_import(
        actor=province,
        programme_id=programme.pk,
        period="2026-01",
        file=io.BytesIO(statement.encode()),
        file_name="tagihan-bpjs.csv",
    )

    # A death in Loa Ipuh opens a JKM case; an accident in Manggar is opened by hand.
    life_event_record(
        actor=province,
        worker_id=workers["loa_ipuh"],
        kind="deceased",
        event_date=dt.date(2026, 3, 10),
        reason="Sakit",
        evidence=SimpleUploadedFile("akta.pdf", PDF, content_type="application/pdf"),
    )
    accident = claim_open(
        actor=province,
        worker_id=workers["manggar"],
        kind="JKK_TEMPORARY_INCAPACITY",
        event_date=dt.date(2026, 2, 1),
        incapacity_days=10,
    )
    claim_document_upload(
        actor=province, case_id=accident.pk, kind="kpj", file=io.BytesIO(PDF), file_name="kpj.pdf"
    )
    Holiday.objects.get_or_create(date=dt.date(2026, 3, 20), defaults={"name": "Nyepi"})

    # The same man, it seems, listed in Jahab and in Manggar.
    run_ = DedupRun.objects.create(kind="registry", region_code="64", status="done")
    pair = CandidatePair.objects.create(
        worker_a_id=workers["jahab"],
        worker_b_id=workers["manggar_twin"],
        region_code=by_key["jahab"].village,
        region_code_b=by_key["manggar_twin"].village,
        probability=0.97,
        match_weight=9.5,
        run=run_,
        model_version="scope-world",
    )

    second = worker_create(actor=accounts["jahab_operator"], data=_person_data(SECOND_LISTING))
    heir_add(
        actor=province,
        worker_id=second.pk,
        data={"full_name": SECOND_LISTING.heir, "relationship": "spouse"},
    )
    workers[SECOND_LISTING.key] = second.pk
    merge = worker_merge(actor=province, survivor_id=workers["jahab"], merged_id=second.pk)

    imports = []
    for actor, village, person in (
        (world.village_operator, "64.02.06.1002", by_key["loa_ipuh"]),
        (world.manggar_operator, "64.71.01.1001", by_key["manggar"]),
    ):
        text = (
            f"NIK;NAMA;L/P;TANGGAL LAHIR\n{person.nik};{person.name};{person.sex};{person.born}\n"
        )
        imp = import_create(
            actor=actor,
            file=io.BytesIO(text.encode()),
            file_name=f"daftar-{village}.csv",
            region_code=village,
            background=False,
        )
        imports.append(import_run(imp=imp, actor=actor))

    exports, reports = [], []
    with capture(execute=True):
        for actor, code in ((world.regency_admin, "64.02"), (world.balikpapan_admin, "64.71")):
            export = export_request(actor=actor, region_code=code)
            report = report_request(actor=actor, region_code=code, kind="monthly", period="2026-01")
            exports.append(export)
            reports.append(report)
    for export in exports:
        export.refresh_from_db()
        if not export.file:
            export_build(export.pk)
    for report in reports:
        report.refresh_from_db()
        if not report.file:
            report_build(report.pk, actor=province)

    scope_world = ScopeWorld(
        world, accounts, {**by_key, SECOND_LISTING.key: SECOND_LISTING}, workers
    )
    ids = scope_world.ids
    ids["worker"] = [{"worker_id": str(pk)} for pk in workers.values()]
    from lindungi.registry.models import Heir, LifeEvent

    ids["heir"] = [
        {"worker_id": str(h.worker_id), "heir_id": str(h.pk)} for h in Heir.objects.all()
    ]
    ids["event"] = [
        {"worker_id": str(e.worker_id), "event_id": str(e.pk)} for e in LifeEvent.objects.all()
    ]
    ids["programme"] = [{"programme_id": str(programme.pk)}]
    ids["batch"] = [{"batch_id": str(batch.pk), "programme_id": str(programme.pk)}]
    ids["return"] = [{"return_id": str(ret.pk), "batch_id": str(batch.pk)}]
    ids["enrolment"] = [
        {"enrolment_id": str(pk), "batch_id": str(batch.pk)}
        for pk in batch.enrolments.values_list("pk", flat=True)
    ]
    ids["run"] = [{"run_id": str(run.pk), "programme_id": str(programme.pk)}]
    ids["invoice"] = [{"invoice_id": str(pk)} for pk in run.invoices.values_list("pk", flat=True)]
    ids["payment"] = [
        {"payment_id": str(pk)} for pk in Payment.objects.values_list("pk", flat=True)
    ]
    ids["statement"] = [{"statement_id": str(stated.pk)}]
    ids["alert"] = [{"alert_id": str(pk)} for pk in Alert.objects.values_list("pk", flat=True)]
    ids["case"] = [{"case_id": str(pk)} for pk in ClaimCase.objects.values_list("pk", flat=True)]
    ids["document"] = [
        {"case_id": str(d.case_id), "document_id": str(d.pk)}
        for c in ClaimCase.objects.all()
        for d in c.documents.all()
    ]
    ids["holiday"] = [
        {"holiday_id": str(pk)} for pk in Holiday.objects.values_list("pk", flat=True)
    ]
    ids["pair"] = [{"pair_id": str(pair.pk)}]
    ids["merge"] = [{"merge_id": str(merge.pk)}]
    ids["import"] = [{"import_id": str(imp.pk)} for imp in imports]
    ids["export"] = [{"export_id": str(e.pk)} for e in exports]
    ids["report"] = [{"report_id": str(r.pk)} for r in reports]
    from lindungi.core.models import Job

    ids["job"] = [{"job_id": str(pk)} for pk in Job.objects.values_list("pk", flat=True)]
    ids["user"] = [{"user_id": str(u.pk)} for u in accounts.values()]
    ids["token"] = [
        {"token_id": str(token_issue(user=u, name="oracle")[0].pk)} for u in accounts.values()
    ]
    return scope_world
