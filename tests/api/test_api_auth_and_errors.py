import pytest
from django.test import Client

from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_token_flow(client, world):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "admin.kukar", "password": PASSWORD, "name": "skrip"},
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    me = client.get("/api/v1/auth/me", **auth)
    assert me.status_code == 200
    assert me.json()["username"] == "admin.kukar"
    assert me.json()["region_code"] == "64.02"
    assert "manage_users" in me.json()["capabilities"]

    tokens = client.get("/api/v1/auth/tokens", **auth).json()
    assert [t["name"] for t in tokens] == ["skrip"]
    assert "key_hash" not in tokens[0]

    assert client.delete("/api/v1/auth/token", **auth).status_code == 204
    after = client.get("/api/v1/auth/me", **auth)
    assert after.status_code == 401
    assert after.json() == {
        "code": "unauthenticated",
        "message": "Silakan masuk terlebih dahulu.",
        "details": {},
    }


def test_wrong_password_and_throttle_in_the_api(client, world, api_token):
    """Was: the fifth failure locked the account (and its tokens) for everyone; an unknown
    username never locked, so the fifth answer told which usernames exist (issue 22, finding 6)."""
    auth = api_token(world.village_operator)

    def post(username, password, ip):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": password},
            content_type="application/json",
            REMOTE_ADDR=ip,
        )
        return response.status_code, response.json()

    for n in range(7):
        known = post("op.loaipuh", "x", "203.0.113.7")
        unknown = post("tidak.ada", "x", "198.51.100.20")
        assert known == unknown, n
        if n < 4:
            assert known[0] == 401
            assert known[1]["code"] == "invalid_credentials"
        else:
            assert known[0] == 429
            assert known[1]["code"] == "login_throttled"
            assert known[1]["message"].startswith("Terlalu banyak percobaan masuk yang gagal.")
    right_there = post("op.loaipuh", PASSWORD, "203.0.113.7")
    assert right_there[0] == 429
    right_elsewhere = client.post(
        "/api/v1/auth/token",
        {"username": "op.loaipuh", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="192.0.2.44",
    )
    assert right_elsewhere.status_code == 201
    # the token taken before the failures still works
    assert client.get("/api/v1/auth/me", **auth).status_code == 200


def test_validation_errors_have_one_entry_per_field(client, world):
    response = client.post(
        "/api/v1/auth/token", {"username": "a" * 200}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    fields = body["details"]["fields"]
    assert fields["password"] == [{"code": "MISSING", "message": "Wajib diisi."}]
    assert fields["username"][0]["code"] == "STRING_TOO_LONG"
    assert "150" in fields["username"][0]["message"]


def test_malformed_json(client, world):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("validation_error", "http_400")


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_session_auth_requires_csrf_for_writes(world):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.regency_admin)
    response = csrf_client.post("/api/v1/users", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    # reads with the session work
    assert csrf_client.get("/api/v1/auth/me").status_code == 200


def test_users_api(world, api_token):
    auth = api_token(world.regency_admin)
    client = Client()
    listed = client.get("/api/v1/users", **auth).json()
    assert {u["username"] for u in listed} == {
        "admin.kukar",
        "op.tenggarong",
        "op.loaipuh",
        "bpjs.kukar",
        "auditor.kukar",
    }
    created = client.post(
        "/api/v1/users",
        {
            "username": "op.timbau",
            "password": PASSWORD,
            "role": "village_operator",
            "region_code": "64.02.06.1004",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    user_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/users/{user_id}", {"first_name": "Yuni"}, content_type="application/json", **auth
    )
    assert patched.json()["first_name"] == "Yuni"
    bad = client.post(
        "/api/v1/users",
        {
            "username": "op.bad",
            "password": PASSWORD,
            "role": "village_operator",
            "region_code": "64.02",
        },
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    assert bad.json()["details"]["fields"]["region"][0]["code"] == "role_region_mismatch"


def test_operators_cannot_manage_users(world, api_token):
    response = Client().get("/api/v1/users", **api_token(world.village_operator))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_every_api_request_is_attributed_in_the_audit_log(world, api_token):
    auth = api_token(world.regency_admin)
    Client().patch(
        f"/api/v1/users/{world.village_operator.pk}",
        {"phone": "0812"},
        content_type="application/json",
        **auth,
    )
    event = AuditEvent.objects.filter(action="user.update").latest("id")
    assert event.channel == "api"
    assert event.actor == world.regency_admin


def test_openapi_schema_and_docs_are_served(client, world):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/regions" in paths
    assert "/api/v1/auth/token" in paths
    docs = client_for(world.regency_admin).get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content  # no CDN: assets are served locally


def test_an_id_beyond_64_bits_is_refused_not_a_server_error(world, api_token):
    """Found by the fuzzer: SQLite cannot bind such a number (PostgreSQL compares it and finds
    nothing); either way the answer is a clear refusal with a stable code, never a 500."""
    client = Client()
    auth = api_token(world.regency_admin)
    huge = 574752767039184240640
    for path in (f"/api/v1/workers/{huge}", f"/api/v1/workers/{huge}/heirs"):
        response = client.get(path, **auth)
        assert (response.status_code, response.json()["code"]) in {
            (404, "not_found"),
            (422, "value_out_of_range"),
        }
    patched = client.patch(
        f"/api/v1/workers/{huge}/heirs/1",
        {"full_name": "Sri"},
        content_type="application/json",
        **auth,
    )
    assert patched.status_code in {404, 422}
