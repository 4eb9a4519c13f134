"""Map boundaries for the dashboard (issue 9): an admin's GeoJSON of a region's children, keyed by
region code; refused whole when it is not one; drawn only when uploaded."""

from __future__ import annotations

import io
import json

import pytest

from lindungi.core.errors import DomainError, Forbidden, NotFound
from lindungi.reporting.maps import boundary_upload
from lindungi.reporting.models import BoundaryMap

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def square(code: str, x: float) -> dict:
    ring = [[x, 0.0], [x + 1, 0.0], [x + 1, 1.0], [x, 1.0], [x, 0.0]]
    return {"type": "Feature", "properties": {"kode": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def geojson(*features: dict) -> io.BytesIO:
    return io.BytesIO(
        json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()
    )


def test_boundaries_are_stored_and_drawn_on_the_dashboard(world):
    admin = world.regency_admin
    client = client_for(admin)
    assert (
        'data-testid="panel-map"'
        not in client.get("/laporan/dasbor/?region=64.02").content.decode()
    )
    boundary = boundary_upload(
        actor=admin, region_code="64.02", key_property="kode",
        file=geojson(square("64.02.06", 0), square("64.02.16", 1), square("99.99", 2)),
    )  # fmt: skip
    assert (boundary.features, boundary.key_property) == (2, "kode")
    page = client.get("/laporan/dasbor/?region=64.02").content.decode()
    assert 'data-testid="panel-map"' in page and "/laporan/peta/?region=64.02" in page
    assert '"property": "kode"' in page and '"name": "64.02.06"' in page
    served = client.get("/laporan/peta/?region=64.02").json()
    assert [f["properties"]["kode"] for f in served["features"]][:2] == ["64.02.06", "64.02.16"]


def test_files_that_are_not_boundaries_are_refused_whole(world):
    admin = world.regency_admin
    for file, code in [
        (io.BytesIO(b"not json"), "REPORT_MAP_INVALID"),
        (io.BytesIO(b'{"type": "Feature"}'), "REPORT_MAP_INVALID"),
        (geojson(square("64.71.01", 0)), "REPORT_MAP_NO_MATCH"),
    ]:
        with pytest.raises(DomainError) as excinfo:
            boundary_upload(actor=admin, region_code="64.02", file=file, key_property="kode")
        assert excinfo.value.code == code
    assert not BoundaryMap.objects.exists()
    with pytest.raises(NotFound):
        boundary_upload(actor=admin, region_code="64.71", file=geojson(square("64.71.01", 0)))
    with pytest.raises(Forbidden):
        boundary_upload(actor=world.auditor, region_code="64.02", file=geojson())
    assert client_for(admin).get("/laporan/peta/?region=64.02").status_code == 404
