import pytest

from lindungi.core.bulk import bulk_upsert
from lindungi.regions.models import Region

pytestmark = pytest.mark.django_db

FIELDS = ["code", "parent", "level", "name", "name_key", "is_active"]


def test_insert_update_and_unchanged_are_counted(regions):
    rows = [
        ("97", None, "province", "Uji A", "uji a", False),
        ("98", None, "province", "Uji B", "uji b", False),
    ]
    first = bulk_upsert(
        Region, fields=FIELDS, rows=rows, conflict=["code"], update=["name", "name_key"]
    )
    assert (first.inserted, first.updated) == (2, 0)
    again = bulk_upsert(
        Region, fields=FIELDS, rows=rows, conflict=["code"], update=["name", "name_key"]
    )
    assert (again.inserted, again.updated) == (0, 0)
    changed = [("97", None, "province", "Uji A2", "uji a2", False), rows[1]]
    third = bulk_upsert(
        Region, fields=FIELDS, rows=changed, conflict=["code"], update=["name", "name_key"]
    )
    assert (third.inserted, third.updated) == (0, 1)
    assert Region.objects.get(code="97").name == "Uji A2"
