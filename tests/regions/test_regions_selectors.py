from collections import Counter

import pytest

from lindungi.core.errors import DomainError, NotFound
from lindungi.regions.models import Level, Region
from lindungi.regions.names import name_key, normalise
from lindungi.regions.selectors import (
    RegionNameIndex,
    region_children,
    region_code_clean,
    region_get,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("64", "64"),
        ("6402", "64.02"),
        ("640206", "64.02.06"),
        ("6402061002", "64.02.06.1002"),
        (" 64.02.06.1002 ", "64.02.06.1002"),
    ],
)
def test_region_code_clean(raw, clean):
    assert region_code_clean(raw) == clean


@pytest.mark.parametrize("raw", ["6", "64.2", "64-02", "abc", "64.02.06.100", ""])
def test_region_code_clean_rejects(raw):
    with pytest.raises(DomainError) as excinfo:
        region_code_clean(raw)
    assert excinfo.value.code == "region_code_invalid"


def test_name_normalisation():
    assert normalise("  KEL.  Loa   Ipuh ") == "kel loa ipuh"
    assert normalise("Soka’an") == "sokaan"
    assert name_key("Desa Loa Ipuh", Level.VILLAGE) == "loa ipuh"
    assert name_key("Kelurahan Loa Ipuh", Level.VILLAGE) == "loa ipuh"
    assert name_key("Kabupaten Kutai Kartanegara", Level.REGENCY) == "kutai kartanegara"
    # A designator of another level is part of the name: "Kota Bangun" is a district
    assert name_key("Kota Bangun", Level.DISTRICT) == "kota bangun"


@pytest.mark.parametrize(
    "typed",
    [
        "Loa Ipuh",
        "LOA IPUH",
        "Desa Loa Ipuh",
        "Kel. Loa Ipuh",
        "kelurahan loa ipuh",
        "64.02.06.1002",
    ],
)
def test_village_names_resolve_inside_the_regency(regions, typed):
    index = RegionNameIndex("64.02", Level.VILLAGE)
    assert index.resolve(typed).code == "64.02.06.1002"


def test_unknown_village_names_closest_candidates(regions):
    index = RegionNameIndex("64.02", Level.VILLAGE)
    with pytest.raises(DomainError) as excinfo:
        index.resolve("Loa Ipoh")
    assert excinfo.value.code == "region_name_not_found"
    assert "Loa Ipuh" in excinfo.value.message
    assert "Kabupaten Kutai Kartanegara" in excinfo.value.message


def test_a_village_outside_the_root_is_not_found(regions):
    index = RegionNameIndex("64.02", Level.VILLAGE)
    with pytest.raises(DomainError):
        index.resolve("Manggar")  # a kelurahan of Balikpapan 64.71


def test_duplicate_names_are_ambiguous(regions):
    names = Counter(
        Region.objects.filter(code__startswith="64.02.", level=Level.VILLAGE).values_list(
            "name_key", flat=True
        )
    )
    duplicated = next(name for name, n in names.items() if n > 1)
    index = RegionNameIndex("64.02", Level.VILLAGE)
    with pytest.raises(DomainError) as excinfo:
        index.resolve(duplicated)
    assert excinfo.value.code == "region_name_ambiguous"


def test_children_and_kinds(regions):
    assert region_children(None).count() == 38
    assert region_children("64.02").count() == 20
    assert region_children("64.02.06").count() == 14
    assert [r.code for r in region_children("64.02", q="tenggarong")] == ["64.02.06", "64.02.16"]
    assert region_get("64.71").kind_label == "Kota"
    assert region_get("64.02").kind_label == "Kabupaten"
    assert region_get("64.02.06.1002").kind_label == "Kelurahan"
    assert region_get("64.02.06.2012").kind_label == "Desa"


def test_unknown_code_is_not_found(regions):
    with pytest.raises(NotFound):
        region_get("64.99")
