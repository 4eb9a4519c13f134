import pytest
from django.test import Client

from lindungi.core.models import AuditEvent
from lindungi.registry.models import Worker
from lindungi.registry.services import worker_create

from ..helpers import requires_postgres

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "nik": "6402061205800001",
    "full_name": "Budi Santoso",
    "birth_place": "Tenggarong",
    "birth_date": "1980-05-12",
    "sex": "L",
    "village_code": "64.02.06.1002",
    "address": "Jl. Mangkurawang No. 7",
    "phone": "081234567890",
    "occupation": "petani",
    "reported_income": 1000000,
}

PEOPLE = [
    ("6402061205800001", "Budi Santoso", "L", "1980-05-12", "64.02.06.1002"),
    ("6402065705850002", "Siti Aminah", "P", "1985-05-17", "64.02.06.1002"),
    ("6402065707900003", "Hj. Sitti Aminah", "P", "1990-07-17", "64.02.06.1001"),
    ("6402060101700004", "Muhammad Rizki", "L", "1970-01-01", "64.02.06.1001"),
    ("6402062002000005", "Mohamad Rizky", "L", "2000-02-20", "64.02.06.1004"),
    ("6471011005900006", "Aminah Balikpapan", "P", "1990-05-10", "64.71.01.1001"),
]


@pytest.fixture
def people(world):
    made = {}
    for nik, name, sex, birth, village in PEOPLE:
        actor = world.manggar_operator if village.startswith("64.71") else world.regency_admin
        nik_day = int(nik[6:8]) - 40 if nik[6:8] > "40" else int(nik[6:8])
        assert nik_day == int(birth[8:10])
        made[name] = worker_create(
            actor=actor,
            data={
                "nik": nik,
                "full_name": name,
                "sex": sex,
                "birth_date": birth,
                "village": village,
            },
        )
    return made


def api(world, api_token, who="regency_admin"):
    client = Client()
    headers = api_token(getattr(world, who))
    return client, headers


def search(client, auth, **body):
    """`POST /api/v1/workers/search`: NIKs and names travel in the body, never in the URL."""
    return client.post("/api/v1/workers/search", body, content_type="application/json", **auth)


def test_create_answers_201_with_id_and_version(world, api_token):
    client, auth = api(world, api_token, "village_operator")
    response = client.post("/api/v1/workers", PAYLOAD, content_type="application/json", **auth)
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1
    assert body["nik"] == "6402061205800001"
    assert body["nik_masked"] == "6402**********01"
    assert body["verification_status"] == "pending"
    assert body["phone"] == "+6281234567890"
    assert Worker.objects.get(pk=body["id"]).source == "api"


def test_validation_errors_one_entry_per_field(world, api_token):
    client, auth = api(world, api_token, "village_operator")
    response = client.post(
        "/api/v1/workers",
        {**PAYLOAD, "nik": "640206120580001", "birth_date": "31-02-1980"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"]["fields"]["nik"] == [
        {"code": "NIK_LENGTH", "message": "NIK harus 16 digit (tertulis 15 digit)."}
    ]
    assert body["details"]["fields"]["birth_date"][0]["code"] == "DATE_NOT_EXIST"
    assert Worker.objects.count() == 0


def test_existing_nik_answers_409_with_the_id(world, api_token, people):
    client, auth = api(world, api_token, "village_operator")
    response = client.post("/api/v1/workers", PAYLOAD, content_type="application/json", **auth)
    assert response.status_code == 409
    assert response.json()["code"] == "NIK_TAKEN"
    assert response.json()["details"] == {"worker_id": people["Budi Santoso"].pk}


def test_patch_with_version(world, api_token, people):
    client, auth = api(world, api_token, "district_operator")
    worker = people["Budi Santoso"]
    ok = client.patch(
        f"/api/v1/workers/{worker.pk}",
        {"version": 1, "address": "Jl. Baru 1"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200
    assert (ok.json()["address"], ok.json()["version"]) == ("Jl. Baru 1", 2)
    stale = client.patch(
        f"/api/v1/workers/{worker.pk}",
        {"version": 1, "address": "Jl. Lama"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "WORKER_STALE"
    assert stale.json()["details"] == {"version": 2}
    worker.refresh_from_db()
    assert worker.address == "Jl. Baru 1"
    missing_version = client.patch(
        f"/api/v1/workers/{worker.pk}", {"address": "x"}, content_type="application/json", **auth
    )
    assert missing_version.status_code == 422


def test_detail_shows_full_nik_and_audits_the_view(world, api_token, people):
    client, auth = api(world, api_token)
    worker = people["Siti Aminah"]
    body = client.get(f"/api/v1/workers/{worker.pk}", **auth).json()
    assert body["nik"] == "6402065705850002"
    event = AuditEvent.objects.get(action="worker.read", object_id=str(worker.pk))
    assert (event.kind, event.actor) == ("view", world.regency_admin)


def test_list_is_masked_scoped_and_paginated(world, api_token, people):
    client, auth = api(world, api_token)
    first = client.get("/api/v1/workers", {"limit": 2}, **auth).json()
    assert first["count"] == 5 and first["count_capped"] is False  # Balikpapan is outside Kukar
    assert len(first["items"]) == 2
    assert all("*" in item["nik_masked"] for item in first["items"])
    assert "nik" not in first["items"][0]
    seen = [i["id"] for i in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/v1/workers", {"limit": 2, "cursor": cursor}, **auth).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)  # newest first


def test_sorted_by_name_with_cursor(world, api_token, people):
    client, auth = api(world, api_token)
    names = []
    cursor = None
    while True:
        params = {"limit": 2, "sort": "name", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/workers", params, **auth).json()
        names += [i["full_name"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siti aminah", {"Siti Aminah", "Hj. Sitti Aminah"}),
        ("SITI AMINH", {"Siti Aminah", "Hj. Sitti Aminah"}),  # a dropped letter
        ("aminah siti", {"Siti Aminah", "Hj. Sitti Aminah"}),  # any order
        ("muhamad rizki", {"Muhammad Rizki", "Mohamad Rizky"}),
        ("rizk", {"Muhammad Rizki", "Mohamad Rizky"}),  # a prefix while typing
        ("6402065", {"Siti Aminah", "Hj. Sitti Aminah"}),  # NIK digits
        ("6402061205800001", {"Budi Santoso"}),
        ("balikpapan", set()),  # outside the scope
    ],
)
def test_search(world, api_token, people, query, expected):
    client, auth = api(world, api_token)
    items = search(client, auth, q=query).json()["items"]
    assert {i["full_name"] for i in items} == expected


def test_filters(world, api_token, people):
    client, auth = api(world, api_token)

    def names(**params):
        return {
            i["full_name"] for i in client.get("/api/v1/workers", params, **auth).json()["items"]
        }

    assert names(sex="P") == {"Siti Aminah", "Hj. Sitti Aminah"}
    assert names(village="64.02.06.1001") == {"Hj. Sitti Aminah", "Muhammad Rizki"}
    assert names(age_band="25-34") == {"Mohamad Rizky"}
    assert names(age_band="55-64") == {"Muhammad Rizki"}
    assert names(verification_status="verified") == set()
    by_nik = search(client, auth, nik="6402061205800001", sex="L").json()["items"]
    assert {i["full_name"] for i in by_nik} == {"Budi Santoso"}
    bad = client.get("/api/v1/workers", {"sex": "X"}, **auth)
    assert bad.status_code == 422


def test_events_heirs_history_through_the_api(world, api_token, people):
    client, auth = api(world, api_token, "village_operator")
    worker = people["Budi Santoso"]
    heir = client.post(
        f"/api/v1/workers/{worker.pk}/heirs",
        {"full_name": "Sri", "relationship": "spouse"},
        content_type="application/json",
        **auth,
    )
    assert heir.status_code == 201
    assert heir.json()["priority_class"] == 1
    event = client.post(
        f"/api/v1/workers/{worker.pk}/events",
        {"kind": "deceased", "event_date": "2026-03-01", "reason": "Kecelakaan lalu lintas"},
        **auth,
    )
    assert event.status_code == 201
    detail = client.get(f"/api/v1/workers/{worker.pk}", **auth).json()
    assert (detail["life_status"], detail["life_status_date"]) == ("deceased", "2026-03-01")
    history = client.get(f"/api/v1/workers/{worker.pk}/history", **auth).json()
    assert [h["action"] for h in history][:2] == ["worker.life_event", "worker.heir_add"]
    assert all(h["actor"] for h in history)


def test_verify_and_reject_through_the_api(world, api_token, people):
    client, auth = api(world, api_token, "province_admin")
    worker = people["Budi Santoso"]  # made by the regency admin
    assert (
        client.post(
            f"/api/v1/workers/{worker.pk}/verify", {}, content_type="application/json", **auth
        ).json()["verification_status"]
        == "verified"
    )
    own_client, own = api(world, api_token, "regency_admin")
    refused = own_client.post(
        f"/api/v1/workers/{people['Siti Aminah'].pk}/verify",
        {},
        content_type="application/json",
        **own,
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "VERIFY_OWN_ENTRY"


def test_auditor_and_donor_see_no_personal_data(world, api_token, people):
    client, auth = api(world, api_token, "auditor")
    assert client.get("/api/v1/workers", **auth).status_code == 403
    assert client.get(f"/api/v1/workers/{people['Budi Santoso'].pk}", **auth).status_code == 403


def test_search_keeps_to_the_scope_and_the_village_filter(world, api_token, people):
    """The same name in two regencies: each admin finds only their own, a village filter
    narrows a search, a superadmin finds both; a short name key never matches a region code."""
    worker_create(
        actor=world.manggar_operator,
        data={
            "nik": "6471015705850007",
            "full_name": "Siti Aminah",
            "sex": "P",
            "birth_date": "1985-05-17",
            "village": "64.71.01.1001",
        },
    )

    def found(who, **params):
        client, auth = api(world, api_token, who)
        body = search(client, auth, **params).json()
        return sorted((i["full_name"], i["village_code"]) for i in body["items"]), body["count"]

    kukar, count = found("regency_admin", q="siti aminah")
    assert kukar == [("Hj. Sitti Aminah", "64.02.06.1001"), ("Siti Aminah", "64.02.06.1002")]
    assert count == 2
    assert found("regency_admin", q="siti aminah", village="64.02.06.1002")[0] == [
        ("Siti Aminah", "64.02.06.1002")
    ]
    assert found("regency_admin", q="siti aminah", village="64.71")[0] == []
    assert found("manggar_operator", q="siti aminah")[0] == [("Siti Aminah", "64.71.01.1001")]
    national = found("superadmin", q="siti aminah")[0]
    assert ("Siti Aminah", "64.71.01.1001") in national and len(national) == 3
    # "Ria" sounds `r`: the names with a token starting with r, not every worker of "64…"
    assert found("province_admin", q="ria")[0] == [
        ("Mohamad Rizky", "64.02.06.1004"),
        ("Muhammad Rizki", "64.02.06.1001"),
    ]


def test_filtered_first_page_counts_up_to_the_cap(world, api_token, people, monkeypatch):
    """Attribute filters count their matches in the same scan as the first page, up to
    FILTERED_COUNT_CAP ("more than …" beyond it)."""
    from lindungi.registry import selectors

    monkeypatch.setattr(selectors, "FILTERED_COUNT_CAP", 3)
    client, auth = api(world, api_token)
    nobody = client.get("/api/v1/workers", {"limit": 2, "age_band": "15-24"}, **auth).json()
    assert (nobody["items"], nobody["count"], nobody["count_capped"]) == ([], 0, False)
    men = client.get("/api/v1/workers", {"limit": 1, "sex": "L"}, **auth).json()
    assert (men["count"], men["count_capped"]) == (3, False)  # Budi, Muhammad, Mohamad
    assert [i["full_name"] for i in men["items"]] == ["Mohamad Rizky"]  # newest first
    women = client.get("/api/v1/workers", {"limit": 1, "sex": "P"}, **auth).json()
    assert (women["count"], women["count_capped"]) == (2, False)
    monkeypatch.setattr(selectors, "FILTERED_COUNT_CAP", 2)
    capped = client.get("/api/v1/workers", {"limit": 1, "sex": "L"}, **auth).json()
    assert (capped["count"], capped["count_capped"]) == (2, True)
    rest = client.get(
        "/api/v1/workers", {"limit": 1, "sex": "L", "cursor": capped["next_cursor"]}, **auth
    ).json()
    assert [i["full_name"] for i in rest["items"]] == ["Muhammad Rizki"]


@requires_postgres("the name-search GIN index")
def test_a_scoped_name_search_is_one_lookup_of_the_search_index(world, people):
    """PostgreSQL: the phonetic name and the scope's region are both resolved by the GIN index
    `registry_worker_search` (migrations 0010, 0012), never by intersecting the region index."""
    from django.db import connection

    from lindungi.registry.selectors import WorkerFilters, _filtered, _list_plan

    qs = _filtered(world.regency_admin, WorkerFilters(q="siti aminah")).values("pk")[:1001]
    sql, params = qs.query.sql_with_params()
    with _list_plan(searching=True), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_worker_search" in plan
    assert "'st'':* & ''amn'':* & ''6402''" in plan  # the scope is an index term
    assert "registry_worker_village_like" not in plan


@requires_postgres("the name-search document of the GIN index")
def test_the_search_document_holds_the_words_the_text_parser_would_find(world, people):
    """Migration 0012 takes the document's words as lexemes instead of parsing them: for every
    worker the index holds what `to_tsvector('simple', …)` found (positions aside), and a name
    with no phonetic token still leaves a document of its regions (no empty lexeme)."""
    import importlib

    from django.db import connection

    migration = importlib.import_module(
        "lindungi.registry.migrations.0012_postgres_search_document_lexemes"
    )
    lexemes, parsed = migration.LEXEMES, migration.PARSED
    nameless = people["Siti Aminah"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {lexemes} = strip({parsed}))"
            " FROM registry_worker"
        )
        assert cursor.fetchone() == (len(people), len(people))
        cursor.execute(
            "UPDATE registry_worker SET name_phonetic = '   ' WHERE id = %s", [nameless.pk]
        )
        cursor.execute(f"SELECT {lexemes}::text FROM registry_worker WHERE id = %s", [nameless.pk])
        (document,) = cursor.fetchone()
    digits = nameless.village_id.replace(".", "")
    assert document == " ".join(f"'{digits[:n]}'" for n in (2, 4, 6, 10))


@pytest.mark.parametrize(
    "params",
    [
        {"nik": "6402061205800001"},
        {"q": "6402061205800001"},
        {"q": "siti aminah", "sex": "P"},
        {"name": "Budi Santoso"},
        {"full_name": "Budi Santoso"},
        {"nik": ""},
    ],
)
def test_the_list_refuses_a_nik_or_a_name_in_the_url(world, api_token, people, params):
    """A query string lands in access logs: NIK and name searches are posted
    (`POST /api/v1/workers/search`), and the list says so instead of answering."""
    client, auth = api(world, api_token)
    audits = AuditEvent.objects.count()
    response = client.get("/api/v1/workers", params, **auth)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "PERSONAL_DATA_IN_URL"
    assert "POST /api/v1/workers/search" in body["message"]
    assert body["details"] == {
        "parameters": sorted(k for k in params if k != "sex"),
        "search": "/api/v1/workers/search",
    }
    for name, value in params.items():  # the answer never repeats the personal data sent
        if name != "sex" and value:
            assert value not in response.content.decode()
    assert AuditEvent.objects.count() == audits


def test_the_list_keeps_its_attribute_filters_in_the_url(world, api_token, people):
    client, auth = api(world, api_token)
    response = client.get("/api/v1/workers", {"sex": "P", "village": "64.02.06"}, **auth)
    assert response.status_code == 200
    assert {i["full_name"] for i in response.json()["items"]} == {
        "Siti Aminah",
        "Hj. Sitti Aminah",
    }


def test_search_pages_with_the_cursor_in_the_body(world, api_token, people):
    client, auth = api(world, api_token)
    seen, cursor = [], None
    while True:
        body = search(client, auth, q="6402", limit=2, **({"cursor": cursor} if cursor else {}))
        assert body.status_code == 200
        page = body.json()
        assert page["count"] == 5 and page["sort"] == "newest"
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)
    by_name = search(client, auth, q="aminah", sort="name").json()["items"]
    assert [i["full_name"] for i in by_name] == ["Hj. Sitti Aminah", "Siti Aminah"]
    assert all("*" in i["nik_masked"] and "nik" not in i for i in by_name)


def test_search_refuses_bad_input_with_field_codes(world, api_token, people):
    client, auth = api(world, api_token)
    short = search(client, auth, q="si")
    assert short.status_code == 422
    assert short.json()["details"]["fields"]["q"][0]["code"] == "QUERY_TOO_SHORT"
    bad_sex = search(client, auth, q="siti", sex="X")
    assert bad_sex.status_code == 422
    assert "sex" in bad_sex.json()["details"]["fields"]
    unknown = search(client, auth, q="siti", nama="Siti")
    assert unknown.status_code == 422
    assert unknown.json()["details"]["fields"]["nama"][0]["code"] == "EXTRA_FORBIDDEN"


def test_search_is_scoped_and_closed_to_roles_without_personal_data(world, api_token, people):
    client, auth = api(world, api_token, "manggar_operator")
    found = search(client, auth, q="aminah").json()["items"]
    assert [i["full_name"] for i in found] == ["Aminah Balikpapan"]
    assert search(client, auth, nik="6402061205800001").json()["items"] == []
    auditor_client, auditor = api(world, api_token, "auditor")
    assert search(auditor_client, auditor, q="budi").status_code == 403


def test_no_api_operation_takes_a_nik_or_a_persons_name_in_its_query_string(client):
    """Every query parameter of the API, from the OpenAPI schema: a new operation that puts
    personal data in a URL fails here. `q` names places (regions) or staff accounts (users)."""
    schema = client.get("/api/v1/openapi.json").json()
    personal = {"nik", "kk_number", "name", "full_name", "phone", "birth_date", "heir_nik"}
    found = {
        (method, path, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        and (parameter["name"] in personal or parameter["name"] == "q")
    }
    assert found == {("get", "/api/v1/regions", "q"), ("get", "/api/v1/users", "q")}
    body = schema["paths"]["/api/v1/workers/search"]["post"]["requestBody"]
    properties = body["content"]["application/json"]["schema"]
    assert properties  # the search's filters are a JSON body
