from pathlib import Path

import pytest

from lindungi.core.errors import DomainError
from lindungi.core.models import AuditEvent
from lindungi.regions.models import Level, Region
from lindungi.regions.services import DATA_DIR, regions_load

pytestmark = pytest.mark.django_db


def test_all_kemendagri_regions_are_loaded(regions):
    active = Region.objects.filter(is_active=True)
    assert active.filter(level=Level.PROVINCE).count() == 38
    assert active.filter(level=Level.REGENCY).count() == 514
    assert active.filter(level=Level.DISTRICT).count() == 7285
    assert active.filter(level=Level.VILLAGE).count() == 83762


def test_hierarchy_and_names_from_the_csv(regions):
    loa_ipuh = Region.objects.get(code="64.02.06.1002")
    assert loa_ipuh.name == "Loa Ipuh"
    assert loa_ipuh.parent_id == "64.02.06"
    assert loa_ipuh.parent.parent_id == "64.02"
    assert Region.objects.get(code="64.02").name == "Kabupaten Kutai Kartanegara"
    # RFC 4180 quoting: a doubled quote inside a quoted name, and commas inside names
    assert Region.objects.get(code="35.13.15.2017").name == 'Soka"an'
    assert Region.objects.get(code="12.07.28.1007").name == "Lubuk Pakam I,II"


def test_historical_province_is_kept_inactive(regions):
    timor = Region.objects.get(code="54")
    assert timor.is_active is False
    assert timor.level == Level.PROVINCE


def test_reload_changes_nothing(regions):
    summary = regions_load()
    assert all(
        level["inserted"] == 0 and level["updated"] == 0 for level in summary["levels"].values()
    )
    assert summary["deactivated"] == 0
    assert Region.objects.count() == 38 + 514 + 7285 + 83762 + 1


def _copy_data(tmp_path: Path) -> Path:
    for name in [
        "provinces.csv",
        "regencies.csv",
        "districts.csv",
        "villages.csv",
        "historical_provinces.csv",
    ]:
        (tmp_path / name).write_text(
            (DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    return tmp_path


def test_renamed_and_removed_regions_are_updated_and_deactivated(regions, tmp_path):
    data = _copy_data(tmp_path)
    villages = (data / "villages.csv").read_text(encoding="utf-8")
    villages = villages.replace(
        "64.02.06.1002,64.02.06,Loa Ipuh\n", "64.02.06.1002,64.02.06,Loa Ipuh Baru\n"
    )
    villages = villages.replace("64.02.06.1003,64.02.06,Bukit Biru\n", "")
    (data / "villages.csv").write_text(villages, encoding="utf-8")

    summary = regions_load(data_dir=data)

    assert summary["levels"]["village"]["updated"] == 1
    assert summary["deactivated"] == 1
    assert Region.objects.get(code="64.02.06.1002").name == "Loa Ipuh Baru"
    removed = Region.objects.get(code="64.02.06.1003")  # never deleted: records may point at it
    assert removed.is_active is False


def test_a_bad_row_is_reported_with_file_and_row_and_nothing_changes(regions, tmp_path):
    data = _copy_data(tmp_path)
    districts = (data / "districts.csv").read_text(encoding="utf-8")
    (data / "districts.csv").write_text(
        districts + "64.99.01,64.99,Kecamatan Tanpa Induk\n", encoding="utf-8"
    )
    before = Region.objects.count()
    audits = AuditEvent.objects.count()

    with pytest.raises(DomainError) as excinfo:
        regions_load(data_dir=data)

    assert excinfo.value.code == "region_data_invalid"
    assert "districts.csv" in excinfo.value.message
    assert "7287" in excinfo.value.message  # the row number as a spreadsheet shows it
    assert Region.objects.count() == before
    assert AuditEvent.objects.count() == audits


def test_load_is_audited(regions):
    regions_load()
    event = AuditEvent.objects.filter(action="regions.load").latest("id")
    assert event.changes["summary"]["levels"]["village"]["rows"] == 83762
