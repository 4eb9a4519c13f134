"""Region-scope isolation over every API operation and every page, generated from the URL conf
and the OpenAPI schema: a new endpoint that takes an object id fails here until it is covered.

The story of the issue: an operator of Loa Ipuh (or the admin of Kutai Kartanegara) cannot
read, list, change or export anything of Kota Balikpapan 64.71.
"""

from __future__ import annotations

import html
import io
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lindungi.accounts.services import token_issue
from lindungi.core.models import Job
from lindungi.registry.models import Heir, LifeEvent, Worker

from .conftest import World, client_for
from .scope_world import ScopeWorld, build

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


# --- the response-level oracle ----------------------------------------------------------------
# Object-level checks above prove that an object outside the scope does not exist. Rows reached
# THROUGH a visible object are another matter: a province programme is visible to its regencies,
# and its batch file, invoice lines or reconciliation must still show each regency only its own
# people. The oracle walks every API operation (from the OpenAPI schema) and every page (from
# the URL configuration) with every object of tests/scope_world.py, as every role, reads every
# body and file, and looks for the NIKs, names, phones, KPJs, heirs and worker ids of people
# outside the caller's region. A new endpoint is walked without being listed anywhere.

# Values for path parameters that name no scoped object.
PUBLIC_VALUES = {
    "fmt": ["csv", "xlsx"],
    "kind": ["report", "rejected", "original"],
    "code": ["64.02", "64.71"],
}
WORKER_ID_KEYS = {
    "worker_id",
    "worker",
    "worker_a",
    "worker_b",
    "worker_a_id",
    "worker_b_id",
    "survivor_id",
    "merged_id",
    "survivor",
    "merged",
}
WORKER_LINK = re.compile(r"/pekerja/(\d+)/")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _body(response: Any) -> tuple[str, Any]:
    """The response as text (xlsx and PDF opened), and its JSON when it is JSON."""
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(
                archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
                if n.endswith(".xml")
            ), None
    if data[:5] == b"%PDF-":
        parts = [data.decode("latin-1")]
        for raw in PDF_STREAM.findall(data):
            try:
                parts.append(zlib.decompress(raw).decode("latin-1"))
            except zlib.error:
                continue
        return " ".join(parts), None
    text = data.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return text, json.loads(text)
        except ValueError:
            return text, None
    return text, None


def _worker_ids_in(value: Any, key: str = "") -> Iterator[int]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in WORKER_ID_KEYS and isinstance(v, int) and not isinstance(v, bool):
                yield v
            elif k in WORKER_ID_KEYS and isinstance(v, dict) and isinstance(v.get("id"), int):
                yield v["id"]
            yield from _worker_ids_in(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _worker_ids_in(item, key)


def _leaks(sw: ScopeWorld, user: Any, request: str, response: Any) -> list[str]:
    """What the response shows of people outside `user`'s region (a link back to the page
    asked for, as the language switch carries, tells nothing new)."""
    text, data = _body(response)
    text = text.replace(request.split(" ", 1)[1], "")
    upper = text.upper()
    found = []
    for person in sw.foreign_to(user):
        for what, marker in person.markers.items():
            if marker.upper() in upper:
                found.append(f"{person.key}: {what}")
        worker_id = sw.worker_ids[person.key]
        if worker_id in set(_worker_ids_in(data)) or str(worker_id) in WORKER_LINK.findall(text):
            found.append(f"{person.key}: worker id")
    return found


def _fills(sw: ScopeWorld, params: list[str]) -> list[dict[str, str]]:
    """Every way to fill `params` with the world's objects (and public values)."""
    scoped = [p for p in params if p not in PUBLIC_VALUES]
    combos: list[dict[str, str]] = []
    if scoped:
        seen = set()
        for assignment in sw.assignments():
            if all(p in assignment for p in scoped):
                key = tuple(assignment[p] for p in scoped)
                if key not in seen:
                    seen.add(key)
                    combos.append({p: assignment[p] for p in scoped})
        assert combos, f"the scope world has no object for {scoped}: add one to scope_world.py"
    else:
        combos = [{}]
    for name in [p for p in params if p in PUBLIC_VALUES]:
        combos = [{**c, name: v} for c in combos for v in PUBLIC_VALUES[name]]
    return combos


def _rolled_back(call: Callable[[], Any]) -> Any:
    """A write as the walk makes it: answered, then undone, so every role sees the same world."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


@pytest.fixture
def scope_world(world, make_user, django_capture_on_commit_callbacks) -> ScopeWorld:
    return build(world, make_user, django_capture_on_commit_callbacks)


WALKED_ROLES = [
    "regency_admin",
    "district_operator",
    "village_operator",
    "jahab_operator",
    "bpjs_officer",
    "auditor",
    "balikpapan_admin",
    "manggar_operator",
    "balikpapan_bpjs",
    "balikpapan_donor",
]


def _walk_api(sw: ScopeWorld, user: Any) -> Iterator[tuple[str, Any]]:
    client = Client()
    _, raw = token_issue(user=user, name="walk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for method, path, _operation in _operations(client):
        for fill in _fills(sw, re.findall(r"\{(\w+)\}", path)):
            url = _fill(path, fill)
            call = getattr(client, method)
            if method == "get":
                yield f"GET {url}", call(url, **auth)
            else:
                yield (
                    f"{method.upper()} {url}",
                    _rolled_back(
                        lambda c=call, u=url: c(u, {}, content_type="application/json", **auth)
                    ),
                )


def _walk_pages(sw: ScopeWorld, user: Any) -> Iterator[tuple[str, Any]]:
    client = client_for(user)
    for _name, route in _page_patterns():
        for fill in _fills(sw, re.findall(r"<(?:\w+:)?(\w+)>", route)):
            url = _page_url(route, fill)
            yield f"GET {url}", client.get(url)
            yield f"POST {url}", _rolled_back(lambda u=url: client.post(u, {}))


@pytest.mark.parametrize("who", WALKED_ROLES)
def test_no_response_carries_people_outside_the_scope(scope_world, who):
    user = scope_world.accounts[who]
    leaks = {}
    for request, response in [*_walk_api(scope_world, user), *_walk_pages(scope_world, user)]:
        assert response.status_code < 500, (who, request, response.status_code)
        found = _leaks(scope_world, user, request, response)
        if found:
            leaks[request] = found
    assert not leaks, f"{who} sees people outside its region: {leaks}"


def test_the_oracle_sees_what_the_province_sees(scope_world):
    """The walk is not blind: the province admin, whose scope holds everyone, finds every
    marker of every person somewhere (batch file, invoice lines, claims, pairs …)."""
    province = scope_world.accounts["province_admin"]
    seen = " ".join(
        _body(response)[0].upper()
        for _request, response in [
            *_walk_api(scope_world, province),
            *_walk_pages(scope_world, province),
        ]
        if response.status_code == 200
    )
    for person in scope_world.people.values():
        for what, marker in person.markers.items():
            if what != "phone (local)":  # pages write phones as +62…; files may not
                assert marker.upper() in seen, (person.key, what)


# --- writes to an object belong to its own region ---------------------------------------------


def _snapshot() -> dict[str, Any]:
    """What a refused write must leave exactly as it was."""
    from lindungi.billing.models import Alert, ContributionRun, Invoice, Payment, Statement
    from lindungi.enrolment.models import Enrolment, ReturnImport

    return {
        "enrolments": sorted(
            Enrolment.objects.values_list("pk", "status", "kpj", "bpjs_reason", "start_date")
        ),
        "returns": ReturnImport.objects.count(),
        "runs": sorted(ContributionRun.objects.values_list("pk", "status")),
        "invoices": sorted(Invoice.objects.values_list("pk", "status", "paid_amount")),
        "payments": sorted(Payment.objects.values_list("pk", "void")),
        "statements": Statement.objects.count(),
        "alerts": sorted(Alert.objects.values_list("pk", "acknowledged_at")),
    }


def _province_writes(sw: ScopeWorld) -> list[tuple[str, str, dict[str, Any]]]:
    """Every write on the province's programme, with a body that would succeed for its owner."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    ids = {key: rows[0] for key, rows in sw.ids.items()}
    kukar = [p for p in sw.people.values() if p.village.startswith("64.02") and p.kpj]
    answer = "NIK;KPJ;STATUS;ALASAN\n" + "".join(
        f"{p.nik};;DITOLAK;Data tidak sesuai\n" for p in kukar
    )
    statement = "NIK;KPJ;IURAN\n" + "".join(f"{p.nik};{p.kpj};16800\n" for p in kukar)
    programme, batch = ids["programme"]["programme_id"], ids["batch"]["batch_id"]
    return [
        ("multipart", f"/api/v1/batches/{batch}/returns",
         {"file": SimpleUploadedFile("jawaban.csv", answer.encode())}),
        ("json", f"/api/v1/batches/{batch}/submit", {}),
        ("json", f"/api/v1/programmes/{programme}/runs", {"period": "2026-02"}),
        ("json", f"/api/v1/runs/{ids['run']['run_id']}/reverse", {"note": "salah hitung"}),
        ("multipart", f"/api/v1/programmes/{programme}/payments",
         {"funder_id": "1", "paid_on": "2026-02-05", "amount": "500", "reference": "SP2D-X",
          "months": "1"}),
        ("json", f"/api/v1/payments/{ids['payment']['payment_id']}/void", {"note": "salah"}),
        ("json", f"/api/v1/programmes/{programme}/budgets",
         {"funder_id": 1, "kind": "revision", "amount": 5, "effective_on": "2026-06-01",
          "legal_basis": "APBD-P"}),
        ("multipart", f"/api/v1/programmes/{programme}/statements",
         {"period": "2026-01", "file": SimpleUploadedFile("tagihan.csv", statement.encode())}),
        ("json", f"/api/v1/alerts/{ids['alert']['alert_id']}/acknowledge", {}),
        ("page", f"/batch/{batch}/jawaban/",
         {"file": SimpleUploadedFile("jawaban.csv", answer.encode())}),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "who", ["balikpapan_admin", "balikpapan_bpjs", "regency_admin", "bpjs_officer"]
)
def test_regencies_cannot_write_to_their_provinces_batches_and_money(scope_world, who):
    """Finding 1 of issue 22: a Balikpapan admin or BPJS officer answered the province's batch and
    rejected or activated Kutai Kartanegara's enrolments. Every write on a wider region's
    programme is refused to the regencies below it, and changes nothing."""
    user = scope_world.accounts[who]
    before = _snapshot()
    _, raw = token_issue(user=user, name="writes")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api, pages = Client(), client_for(user)
    for kind, url, body in _province_writes(scope_world):
        if kind == "json":
            response = api.post(url, body, content_type="application/json", **auth)
        elif kind == "multipart":
            response = api.post(url, body, **auth)
        else:
            response = pages.post(url, body)  # pages answer a refused write with a 403 page
            assert response.status_code in (403, 404), (who, url, response.status_code)
            continue
        assert response.status_code in (403, 404), (who, url, response.status_code)
        assert response.json()["code"] in ("forbidden", "not_found"), (who, url)
    assert _snapshot() == before


def test_the_province_answers_its_own_batch(
    scope_world, make_user, django_capture_on_commit_callbacks
):
    """The same answer, from the province's own BPJS officer, is read and applied (the refusal
    above is about whose batch it is, not about the file)."""
    from lindungi.accounts.roles import Role
    from lindungi.enrolment.models import ReturnImport

    officer = make_user("bpjs.kaltim", Role.BPJS_OFFICER, "64")
    _, raw = token_issue(user=officer, name="answer")
    _kind, url, body = _province_writes(scope_world)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url, body, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 202, response.content
    answer = ReturnImport.objects.get(pk=response.json()["id"])
    # Cover already in force is not undone by a late refusal: each row is reported, none lost.
    assert (answer.status, answer.rows, answer.rejected) == ("done", 3, 3)


def test_payment_evidence_belongs_to_the_programmes_region(scope_world):
    """Finding 2 of issue 22 (evidence): a village operator downloaded the evidence of its
    regency's — here its province's — payments. It goes to the programme's own region only."""
    payment = scope_world.ids["payment"][0]["payment_id"]
    for who in ("village_operator", "jahab_operator", "regency_admin", "balikpapan_donor"):
        response = client_for(scope_world.accounts[who]).get(f"/pembayaran/{payment}/bukti/")
        assert response.status_code in (403, 404), who
    province = client_for(scope_world.accounts["province_admin"])
    response = province.get(f"/pembayaran/{payment}/bukti/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- no link leads to a refusal ---------------------------------------------------------------
HREF = re.compile(r'href="([/?][^"#]*)"')
NOT_WALKED = ("/keluar/", "/i18n/", "/static/", "/django-admin/", "/api/v1/docs")


@pytest.mark.parametrize("who", ["village_operator", "auditor", "bpjs_officer", "balikpapan_admin"])
def test_every_link_a_role_is_shown_opens(scope_world, who):
    """A page offers only what the reader may open: a link that answers 403 or 404 to the very
    person it was shown to (a reconciliation for an auditor, someone else's job for a BPJS
    officer, a breadcrumb above one's own region) is a dead end."""
    user = scope_world.accounts[who]
    client = client_for(user)
    pages = [url for _name, route in _page_patterns()
             for fill in _fills(scope_world, re.findall(r"<(?:\w+:)?(\w+)>", route))
             if not (url := _page_url(route, fill)).startswith(NOT_WALKED)]  # fmt: skip
    links: dict[str, str] = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                target = url + href if href.startswith("?") else href  # `?region=…`: this page
                links.setdefault(html.unescape(target), url)
    dead = {}
    for href, page in sorted(links.items()):
        if href.startswith(NOT_WALKED):
            continue
        status = client.get(href).status_code
        if status in (403, 404) or status >= 500:
            dead[href] = (status, page)
    assert not dead, f"{who} is shown links it cannot open: {dead}"
