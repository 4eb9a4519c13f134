"""Region-scope isolation over every API operation and every page, generated from the URL conf
and the OpenAPI schema: a new endpoint that takes an object id fails here until it is covered.

The story of the issue: an operator of Loa Ipuh (or the admin of Kutai Kartanegara) cannot
read, list, change or export anything of Kota Balikpapan 64.71.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lindungi.accounts.services import token_issue
from lindungi.core.models import Job
from lindungi.registry.models import Heir, LifeEvent, Worker

from .conftest import World, client_for

pytestmark = pytest.mark.django_db

# Operations anyone may call without signing in (public reference data and the sign-in itself).
PUBLIC_OPERATIONS = {
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/regions/{code}"),
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/public/status"),
}
# Pages anyone may open without signing in.
PUBLIC_PAGES = {"portal:login", "portal:status_check"}
# The apps whose pages the walk covers (Django's own admin has its own staff checks).
PAGE_NAMESPACES = {
    "portal:",
    "registry:",
    "imports:",
    "dedup:",
    "programmes:",
    "enrolment:",
    "billing:",
    "claims:",
    "reporting:",
}
# Path parameters that name public reference data rather than scoped objects.
PUBLIC_PARAMS = {"code", "kind", "fmt"}


def _operations(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def test_public_operations_are_exactly_the_allowed_ones(client, world):
    public = {(m, p) for m, p, op in _operations(client) if not op.get("security")}
    assert public == PUBLIC_OPERATIONS


def test_every_other_operation_requires_credentials(client, world):
    for method, path, _operation in _operations(client):
        if (method, path) in PUBLIC_OPERATIONS:
            continue
        url = _fill(path, {"job_id": str(uuid.uuid4()), "import_id": str(uuid.uuid4())})
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.json()["code"] == "unauthenticated"


def _page_patterns() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name and namespace in PAGE_NAMESPACES:
                found.append((namespace + p.name, prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, "/", "")
    return found


def _page_url(route: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), route)


def test_every_page_requires_sign_in(client, world):
    pages = _page_patterns()
    assert len(pages) >= 15
    for name, route in pages:
        if name in PUBLIC_PAGES:
            continue
        url = _page_url(
            route, {"job_id": str(uuid.uuid4()), "import_id": str(uuid.uuid4()), "code": "64"}
        )
        response = client.get(url)
        assert response.status_code == 302, (name, response.status_code)
        assert response.url.startswith("/masuk/"), name


# --- object-level isolation -------------------------------------------------------------------


def _manggar_worker(world: World) -> Worker:
    worker = Worker.objects.filter(village_id="64.71.01.1001").first()
    if worker is None:
        from lindungi.registry.services import heir_add, worker_create

        worker = worker_create(
            actor=world.manggar_operator,
            data={
                "nik": "6471011005900006",
                "full_name": "Aminah",
                "birth_date": "10-05-1990",
                "sex": "P",
                "village": "Manggar",
            },
        )
        heir_add(
            actor=world.manggar_operator,
            worker_id=worker.pk,
            data={"full_name": "Sri", "relationship": "child"},
        )
        LifeEvent.objects.create(
            worker=worker, kind="moved_out", event_date="2025-01-01", reason="x"
        )
    return worker


def _manggar_import(world: World) -> Any:
    import io

    from lindungi.imports.models import WorkerImport
    from lindungi.imports.services import import_create, import_run

    existing = WorkerImport.objects.filter(region_id="64.71.01.1001").first()
    if existing:
        return existing
    data = b"NIK;NAMA;L/P;TANGGAL LAHIR\n6471011005900009;Rina;P;10-05-1990\n"
    imp = import_create(
        actor=world.manggar_operator,
        file=io.BytesIO(data),
        file_name="manggar.csv",
        region_code="64.71.01.1001",
        background=False,
    )
    return import_run(imp=imp, actor=world.manggar_operator)


def _manggar_pair(world: World) -> Any:
    from lindungi.dedup.models import CandidatePair, DedupRun
    from lindungi.registry.services import worker_create

    existing = CandidatePair.objects.filter(region_code="64.71.01.1001").first()
    if existing:
        return existing
    first = _manggar_worker(world)
    twin = worker_create(
        actor=world.manggar_operator,
        data={
            "nik": "6471011005900007",
            "full_name": "Hj. Aminah",
            "birth_date": "10-05-1990",
            "sex": "P",
            "village": "Manggar",
        },
    )
    run = DedupRun.objects.create(kind="registry", region_code="64.71", status="done")
    return CandidatePair.objects.create(
        worker_a=first,
        worker_b=twin,
        region_code=first.village_id,
        region_code_b=twin.village_id,
        probability=0.99,
        match_weight=10,
        run=run,
        model_version="x",
    )


def _manggar_merge(world: World) -> Any:
    from lindungi.dedup.models import Merge
    from lindungi.dedup.services import worker_merge

    existing = Merge.objects.filter(region_code="64.71.01.1001").first()
    if existing:
        return existing
    pair = _manggar_pair(world)
    return worker_merge(
        actor=world.balikpapan_admin, survivor_id=pair.worker_a_id, merged_id=pair.worker_b_id
    )


def _balikpapan_batch(world: World) -> Any:
    import datetime as dt
    import io

    from lindungi.enrolment.exchange import return_import_create
    from lindungi.enrolment.models import EnrolmentBatch
    from lindungi.enrolment.services import batch_create, batch_submit
    from lindungi.programmes.services import programme_create

    existing = EnrolmentBatch.objects.filter(programme__region_id="64.71").first()
    if existing:
        return existing
    _manggar_worker(world)
    programme = programme_create(
        actor=world.balikpapan_admin,
        data={
            "name": "Balikpapan Peduli 2026",
            "funder": "APBD_KABKOTA",
            "funder_name": "Pemkot Balikpapan",
            "legal_basis": "Perwali 1/2026",
            "budget_year": 2026,
            "start_date": dt.date(2026, 1, 1),
            "end_date": dt.date(2026, 12, 31),
            "verification_required": False,
            "targets": [{"region_code": "64.71.01"}],
        },
    )
    batch = batch_create(
        actor=world.balikpapan_admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1)
    )
    batch_submit(actor=world.balikpapan_admin, batch_id=batch.pk)
    return_import_create(
        actor=world.balikpapan_admin,
        batch_id=batch.pk,
        file=io.BytesIO(b"NIK;KPJ;STATUS\n6471011005900006;26000000001;DITERIMA\n"),
        file_name="jawaban.csv",
        background=False,
    )
    return batch


def _balikpapan_money(world: World) -> dict[str, Any]:
    """A month billed, paid, reconciled and warned about, in Kota Balikpapan."""
    from lindungi.billing.models import (
        Alert,
        ContributionRun,
        Invoice,
        Payment,
        Statement,
    )

    programme_id = _balikpapan_batch(world).programme_id
    run = ContributionRun.objects.filter(programme_id=programme_id).first()
    if run is None:
        import datetime

        month = datetime.date(2026, 1, 1)
        run = ContributionRun.objects.create(
            programme_id=programme_id, period=month, due_date=month
        )
        funder = run.programme.funders.first()
        Invoice.objects.create(
            run=run, programme_id=programme_id, funder=funder, number="INV-BPP-1", period=month,
            share_bp=10000, amount=0, due_date=month,
        )  # fmt: skip
        Payment.objects.create(
            programme_id=programme_id, funder=funder, paid_on=month, amount=1, reference="BPP"
        )
        Statement.objects.create(programme_id=programme_id, period=month, file_name="x.csv",
                                 sha256="0" * 64, status="done")  # fmt: skip
        Alert.objects.create(programme_id=programme_id, kind="programme_end", event_date=month,
                             days_before=7, message="x")  # fmt: skip
    return {
        "run_id": run.pk,
        "invoice_id": run.invoices.get().pk,
        "payment_id": Payment.objects.get(programme_id=programme_id).pk,
        "statement_id": Statement.objects.get(programme_id=programme_id).pk,
        "alert_id": Alert.objects.get(programme_id=programme_id).pk,
    }


def _balikpapan_claim(world: World) -> dict[str, Any]:
    """A work-accident claim of a Manggar worker, with one document."""
    import datetime

    from django.core.files.base import ContentFile

    from lindungi.claims.models import ClaimCase, ClaimDocument, Holiday

    case = ClaimCase.objects.filter(region_code__startswith="64.71").first()
    if case is None:
        worker = _manggar_worker(world)
        case = ClaimCase.objects.create(
            number="KLM-BPP-1", worker=worker, region_code=worker.village_id,
            kind="JKK_TEMPORARY_INCAPACITY", event_date=datetime.date(2026, 2, 1),
        )  # fmt: skip
        document = ClaimDocument(case=case, kind="kpj", file_name="kpj.pdf", sha256="0", size=1)
        document.file.save("kpj.pdf", ContentFile(b"%PDF"), save=False)
        document.save()
    holiday, _ = Holiday.objects.get_or_create(
        date=datetime.date(2026, 3, 20), defaults={"name": "Idul Fitri (contoh)"}
    )
    from lindungi.reporting.models import PrintedReport

    report, _ = PrintedReport.objects.get_or_create(
        region_code="64.71", kind="monthly", period=datetime.date(2026, 1, 1)
    )
    from lindungi.reporting.models import DataExport

    export, _ = DataExport.objects.get_or_create(region_code="64.71")
    return {"case_id": case.pk, "document_id": case.documents.get().pk,
            "holiday_id": holiday.pk, "report_id": report.pk, "export_id": export.pk}  # fmt: skip


# For each path parameter, a function that makes an object of Kota Balikpapan (outside Kukar).
OutsideObject = Callable[[World], str]
OUTSIDE_OBJECTS: dict[str, OutsideObject] = {
    "user_id": lambda w: str(w.manggar_operator.pk),
    "token_id": lambda w: str(token_issue(user=w.manggar_operator)[0].pk),
    "job_id": lambda w: str(
        Job.objects.create(kind="x", label="x", actor=w.balikpapan_admin, region_code="64.71").pk
    ),
    "worker_id": lambda w: str(_manggar_worker(w).pk),
    "heir_id": lambda w: str(Heir.objects.get(worker=_manggar_worker(w)).pk),
    "event_id": lambda w: str(LifeEvent.objects.get(worker=_manggar_worker(w)).pk),
    "import_id": lambda w: str(_manggar_import(w).pk),
    "pair_id": lambda w: str(_manggar_pair(w).pk),
    "merge_id": lambda w: str(_manggar_merge(w).pk),
    "programme_id": lambda w: str(_balikpapan_batch(w).programme_id),
    "batch_id": lambda w: str(_balikpapan_batch(w).pk),
    "enrolment_id": lambda w: str(_balikpapan_batch(w).enrolments.first().pk),
    "return_id": lambda w: str(_balikpapan_batch(w).returns.first().pk),
    "run_id": lambda w: str(_balikpapan_money(w)["run_id"]),
    "invoice_id": lambda w: str(_balikpapan_money(w)["invoice_id"]),
    "payment_id": lambda w: str(_balikpapan_money(w)["payment_id"]),
    "statement_id": lambda w: str(_balikpapan_money(w)["statement_id"]),
    "alert_id": lambda w: str(_balikpapan_money(w)["alert_id"]),
    "case_id": lambda w: str(_balikpapan_claim(w)["case_id"]),
    "document_id": lambda w: str(_balikpapan_claim(w)["document_id"]),
    # Holidays are national reference data: only reference-data managers change them (403 to
    # every role tested here, whether the holiday exists or not).
    "holiday_id": lambda w: str(_balikpapan_claim(w)["holiday_id"]),
    "report_id": lambda w: str(_balikpapan_claim(w)["report_id"]),
    "export_id": lambda w: str(_balikpapan_claim(w)["export_id"]),
}
# Ids that exist nowhere: an object outside the scope must answer exactly like these.
MISSING = {
    "job_id": "00000000-0000-4000-8000-000000000000",
    "import_id": "00000000-0000-4000-8000-000000000000",
}


@pytest.mark.parametrize(
    "who", ["regency_admin", "village_operator", "district_operator", "auditor"]
)
def test_objects_outside_the_scope_do_not_exist_in_the_api(world, api_token, who):
    client = Client()
    auth = api_token(getattr(world, who))
    for method, path, _op in _operations(client):
        params = re.findall(r"\{(\w+)\}", path)
        scoped = [p for p in params if p not in PUBLIC_PARAMS]
        if not scoped:
            continue
        missing = [p for p in scoped if p not in OUTSIDE_OBJECTS]
        assert not missing, f"{method.upper()} {path}: add an outside object for {missing}"
        url = _fill(path, {"kind": "report", **{p: OUTSIDE_OBJECTS[p](world) for p in scoped}})
        missing_url = _fill(
            path, {"kind": "report", **{p: MISSING.get(p, "987654321") for p in scoped}}
        )
        response = getattr(client, method)(url, {}, content_type="application/json", **auth)
        missing = getattr(client, method)(missing_url, {}, content_type="application/json", **auth)
        assert response.status_code >= 400, (who, method, path, response.status_code)
        # indistinguishable from an object that does not exist
        assert (response.status_code, response.json()["code"]) == (
            missing.status_code,
            missing.json()["code"],
        ), (who, method, path)


@pytest.mark.parametrize("who", ["regency_admin", "village_operator"])
def test_objects_outside_the_scope_do_not_exist_in_pages(world, who):
    client = client_for(getattr(world, who))
    for name, route in _page_patterns():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        scoped = [p for p in params if p not in PUBLIC_PARAMS]
        if not scoped:
            continue
        missing = [p for p in scoped if p not in OUTSIDE_OBJECTS]
        assert not missing, f"{name}: add an outside object for {missing}"
        url = _page_url(route, {p: OUTSIDE_OBJECTS[p](world) for p in scoped})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (
                who,
                name,
                method,
                response.status_code,
            )


def test_lists_never_show_balikpapan(world, api_token):
    admin = Client()
    auth = api_token(world.regency_admin)
    users = admin.get("/api/v1/users", {"limit": 500}, **auth).json()
    assert all(not (u["region_code"] or "").startswith("64.71") for u in users)
    assert admin.get("/api/v1/users", {"region": "64.71"}, **auth).json() == []
    Job.objects.create(
        kind="x", label="Balikpapan", actor=world.balikpapan_admin, region_code="64.71"
    )
    assert all(j["label"] != "Balikpapan" for j in admin.get("/api/v1/jobs", **auth).json())

    pages = client_for(world.regency_admin)
    body = pages.get("/pengguna/").content.decode()
    assert "op.manggar" not in body and "admin.bpp" not in body
    audit = pages.get("/audit/").content.decode()
    assert "admin.bpp" not in audit and "64.71" not in audit


def test_the_balikpapan_admin_sees_its_own(world, api_token):
    auth = api_token(world.balikpapan_admin)
    users = Client().get("/api/v1/users", **auth).json()
    assert {u["username"] for u in users} == {"admin.bpp", "op.manggar"}
    response = Client().get(f"/api/v1/users/{world.manggar_operator.pk}", **auth)
    assert response.status_code == 200
