import pytest

pytestmark = pytest.mark.django_db


def test_provinces(client, regions):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 38
    assert body[0] == {"code": "11", "name": "Aceh", "level": "province"}
    assert {"code": "65", "name": "Kalimantan Utara", "level": "province"} in body


def test_districts_of_kukar_and_villages_of_tenggarong(client, regions):
    districts = client.get("/api/v1/regions", {"parent": "64.02"}).json()
    assert len(districts) == 20
    assert {d["level"] for d in districts} == {"district"}
    assert {"code": "64.02.06", "name": "Tenggarong", "level": "district"} in districts
    villages = client.get("/api/v1/regions", {"parent": "64.02.06"}).json()
    assert len(villages) == 14
    assert {"code": "64.02.06.1002", "name": "Loa Ipuh", "level": "village"} in villages


def test_region_detail_with_ancestors(client, regions):
    body = client.get("/api/v1/regions/64.02.06.1002").json()
    assert body["kind"] == "Kelurahan"
    assert [a["code"] for a in body["ancestors"]] == ["64", "64.02", "64.02.06"]


def test_unknown_and_malformed_parents(client, regions):
    missing = client.get("/api/v1/regions", {"parent": "64.99"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "region_not_found"
    assert "64.99" in missing.json()["message"]
    malformed = client.get("/api/v1/regions", {"parent": "64-02"})
    assert malformed.status_code == 400
    assert malformed.json() == {
        "code": "region_code_invalid",
        "message": "Kode wilayah “64-02” tidak sesuai format Kemendagri.",
        "details": {},
    }
