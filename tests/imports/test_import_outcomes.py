"""Every row ends in exactly one outcome; nothing is half-imported; re-importing changes nothing."""

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from lindungi.core.models import AuditEvent
from lindungi.imports import pipeline
from lindungi.imports.models import WorkerImport
from lindungi.imports.services import import_create, import_run
from lindungi.registry.models import LifeEvent, Worker

from .files import messy_xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    # row 6: a clean new worker, NIK typed with spaces, Indonesian month name
    [
        "1",
        "6402 0612 0580 0001",
        "  BUDI   SANTOSO ",
        "Tenggarong, 12 Mei 1980",
        "L",
        "Jl. Mangkurawang 7",
        "3/5",
        "Loa Ipuh",
        "0812-3456-7890",
        "Petani sawit",
        "",
    ],
    # row 7: already registered, same values → unchanged
    [
        "2",
        "6402065705850002",
        "Siti Aminah",
        "Tenggarong, 17-05-1985",
        "P",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
    # row 8: already registered, a new phone → updated
    [
        "3",
        "6402060101700004",
        "Muhammad Rizki",
        "Tenggarong, 01-01-1970",
        "L",
        "",
        "",
        "Loa Ipuh",
        "0813 9999 0000",
        "",
        "",
    ],
    # row 9: a NIK of 15 digits → rejected
    ["4", "640206120580001", "Joko", "Tenggarong, 12-05-1980", "L", "", "", "Loa Ipuh", "", "", ""],
    # row 10: the NIK of row 6 again → rejected, naming row 6
    [
        "5",
        "6402061205800001",
        "Budi S.",
        "Tenggarong, 12-05-1980",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
    # row 11: a NIK stored in an Excel number cell → rejected with the fix
    ["6", 6402065805900000, "Rina", "Tenggarong, 18-05-1990", "P", "", "", "Loa Ipuh", "", "", ""],
    # row 12: blank → skipped
    [None, None, None, None, None, None, None, None, None, None, None],
    # row 13: birth date disagrees with the NIK → created, perlu verifikasi with the reason
    [
        "7",
        "6402060202900005",
        "Dodi",
        "Tenggarong, 03-02-1990",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
    # row 14: deceased, with the date → created with a life event
    [
        "8",
        "6402060303600006",
        "Ahmad",
        "Tenggarong, 03-03-1960",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "Meninggal dunia 12-03-2026",
    ],
    # row 15: deceased without a date → rejected
    [
        "9",
        "6402060404600007",
        "Usman",
        "Tenggarong, 04-04-1960",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "Meninggal",
    ],
    # row 16: a village that does not exist here → rejected with the closest name
    [
        "10",
        "6402060505600008",
        "Yanto",
        "Tenggarong, 05-05-1960",
        "L",
        "",
        "",
        "Loa Ipoh",
        "",
        "",
        "",
    ],
    # row 17: a NIK registered in Balikpapan → rejected, not ours to change
    [
        "11",
        "6471011005900006",
        "Aminah",
        "Balikpapan, 10-05-1990",
        "P",
        "",
        "",
        "Loa Ipuh",
        "",
        "",
        "",
    ],
]
EXPECTED = {
    6: ("created", ""),
    7: ("unchanged", ""),
    8: ("updated", ""),
    9: ("rejected", "NIK harus 16 digit (tertulis 15 digit)."),
    10: ("rejected", "NIK ini sudah ada di baris 6 berkas yang sama; baris ini diabaikan."),
    11: (
        "rejected",
        "NIK tersimpan sebagai angka di Excel sehingga digit ke-16 tidak dapat dipercaya. Format kolom NIK sebagai Teks, ketik ulang NIK, lalu unggah lagi.",
    ),
    12: ("skipped", None),
    13: ("created", "Tanggal lahir tidak sama dengan tanggal lahir dalam NIK (02-02-90)."),
    14: ("created", ""),
    15: (
        "rejected",
        "Keterangan menyebut peristiwa (deceased) tetapi tanggalnya tidak diisi atau tidak valid.",
    ),
    16: ("rejected", None),
    17: ("rejected", "NIK ini sudah terdaftar di wilayah lain. Hubungi admin kabupaten/kota."),
    18: ("skipped", None),  # JUMLAH
    19: ("skipped", None),  # blank
    20: ("skipped", None),  # Mengetahui,
    21: ("skipped", None),  # Kepala Desa
    22: ("skipped", None),  # blank
    23: ("skipped", None),  # blank
    24: ("skipped", None),  # ( name )
}


def run_file(actor, path, region="64.02.06.1002", dry_run=False):
    with path.open("rb") as handle:
        imp = import_create(
            actor=actor,
            file=handle,
            file_name=path.name,
            region_code=region,
            dry_run=dry_run,
            background=False,
        )
    return import_run(imp=imp, actor=actor)


def report_of(imp):
    import csv

    with imp.report.open("rb") as handle:
        return {
            int(r["row"]): r for r in csv.DictReader(io.StringIO(handle.read().decode("utf-8")))
        }


@pytest.mark.parametrize(("first", "size"), [(5_000, 25_000), (1, 1), (1, 2), (2, 3)])
def test_every_row_has_exactly_one_outcome(world, registered, tmp_path, monkeypatch, first, size):
    # Chunk boundaries fall anywhere (between the two rows of a NIK too): the same outcomes.
    monkeypatch.setattr(pipeline, "FIRST_CHUNK_ROWS", first)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", size)
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "loa-ipuh.xlsx", ROWS))
    assert imp.status == "done"
    assert imp.counts() == {
        "rows": 19,
        "created": 3,
        "updated": 1,
        "unchanged": 1,
        "rejected": 6,
        "skipped": 8,
    }
    report = report_of(imp)
    assert set(report) == set(EXPECTED)
    for row, (status, message) in EXPECTED.items():
        assert report[row]["status"] == status, row
        if message is not None:
            assert report[row]["messages"] == message, row
    assert "Loa Ipuh" in report[16]["messages"]  # the closest village name is offered


def test_values_are_normalised_and_kept_pending(world, registered, tmp_path):
    run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))
    budi = Worker.objects.get(nik="6402061205800001")
    assert (budi.full_name, budi.birth_place, budi.birth_date) == (
        "BUDI SANTOSO",
        "Tenggarong",
        dt.date(1980, 5, 12),
    )
    assert (budi.phone, budi.rt, budi.rw, budi.occupation_id) == (
        "+6281234567890",
        "003",
        "005",
        "pekebun",
    )
    assert (budi.verification_status, budi.source, budi.created_by) == (
        "pending",
        "import",
        world.village_operator,
    )
    assert budi.source_import is not None
    dodi = Worker.objects.get(nik="6402060202900005")
    assert [n["code"] for n in dodi.verification_notes] == ["NIK_BIRTH_DATE_MISMATCH"]


def test_updates_change_only_what_the_file_says(world, registered, tmp_path):
    run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))
    rizki = Worker.objects.get(pk=registered["rizki"].pk)
    assert rizki.phone == "+6281399990000"
    assert rizki.version == 2
    # Siti's phone is not in the file (an empty cell): it is not erased
    siti = Worker.objects.get(pk=registered["siti"].pk)
    assert (siti.phone, siti.version) == ("+6281111111111", 1)
    change = AuditEvent.objects.get(action="worker.update", object_id=str(rizki.pk))
    assert change.changes == {"phone": ["", "+6281399990000"]}
    assert change.actor == world.village_operator


def test_a_death_in_the_file_is_a_life_event(world, registered, tmp_path):
    run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))
    ahmad = Worker.objects.get(nik="6402060303600006")
    assert (ahmad.life_status, ahmad.life_status_date) == ("deceased", dt.date(2026, 3, 12))
    event = LifeEvent.objects.get(worker=ahmad)
    assert "baris 14" in event.reason


def test_the_same_file_twice_changes_nothing(world, registered, tmp_path):
    path = messy_xlsx(tmp_path / "f.xlsx", ROWS)
    run_file(world.village_operator, path)
    snapshot = sorted(
        Worker.objects.values_list("nik", "full_name", "phone", "version", "life_status")
    )
    events = LifeEvent.objects.count()
    second = run_file(world.village_operator, path)
    assert second.counts() == {
        "rows": 19,
        "created": 0,
        "updated": 0,
        "unchanged": 5,
        "rejected": 6,
        "skipped": 8,
    }
    assert (
        sorted(Worker.objects.values_list("nik", "full_name", "phone", "version", "life_status"))
        == snapshot
    )
    assert LifeEvent.objects.count() == events


def test_dry_run_writes_nothing(world, registered, tmp_path):
    before = sorted(Worker.objects.values_list("nik", "version"))
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS), dry_run=True)
    assert imp.status == "checked"
    assert imp.counts()["created"] == 3
    assert sorted(Worker.objects.values_list("nik", "version")) == before


def test_a_missing_column_never_erases(world, registered, tmp_path):
    # a file with NIK and name only: nothing else about Siti changes
    path = tmp_path / "nama.csv"
    path.write_text("NIK;NAMA\n6402065705850002;Siti Aminah\n", encoding="utf-8")
    imp = run_file(world.village_operator, path)
    assert imp.counts()["unchanged"] == 1
    siti = Worker.objects.get(pk=registered["siti"].pk)
    assert (siti.phone, siti.birth_place, siti.version) == ("+6281111111111", "Tenggarong", 1)


def test_rejected_rows_file_has_original_cells_and_the_fix(world, registered, tmp_path):
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))
    with imp.rejected_file.open("rb") as handle:
        book = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    rows = [tuple(r) for r in book.get_sheet_by_index(0).to_python()]
    rows = [(int(r[0]) if isinstance(r[0], float) else r[0], *r[1:]) for r in rows]
    assert rows[0][0] == "Baris" and rows[0][-1] == "Keterangan perbaikan"
    assert rows[0][1:-1] == (
        "NO",
        "NIK",
        "NAMA LENGKAP",
        "TEMPAT/TGL LAHIR",
        "L/P",
        "ALAMAT",
        "RT/RW",
        "DESA/KELURAHAN",
        "NO. HP / WA",
        "PEKERJAAN",
        "KETERANGAN",
    )
    by_row = {r[0]: r for r in rows[1:]}
    assert set(by_row) == {9, 10, 11, 15, 16, 17}
    assert by_row[9][2] == "640206120580001"  # the cell exactly as it was
    assert by_row[9][-1] == "NIK harus 16 digit (tertulis 15 digit)."
    assert "Format kolom NIK sebagai Teks" in by_row[11][-1]


def test_an_upload_outside_the_scope_is_refused(world, tmp_path):
    from lindungi.core.errors import Forbidden

    path = messy_xlsx(tmp_path / "f.xlsx", ROWS)
    with pytest.raises(Forbidden), path.open("rb") as handle:
        import_create(
            actor=world.village_operator,
            file=handle,
            file_name="f.xlsx",
            region_code="64.71",
            background=False,
        )
    assert WorkerImport.objects.count() == 0


def test_a_broken_file_fails_the_import_and_writes_nothing(world, tmp_path):
    from lindungi.core.errors import DomainError

    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with path.open("rb") as handle:
        imp = import_create(
            actor=world.village_operator,
            file=handle,
            file_name="rusak.xlsx",
            region_code="64.02.06.1002",
            background=False,
        )
    with pytest.raises(DomainError):
        import_run(imp=imp, actor=world.village_operator)
    imp.refresh_from_db()
    assert imp.status == "failed"
    assert "tidak dapat dibaca" in imp.error
    assert Worker.objects.count() == 0


def test_a_row_imported_before_is_unchanged_only_while_ours_and_not_merged(world, tmp_path):
    """A stored fingerprint alone never makes a row `unchanged`: the worker must still lie in
    the importer's scope and not be a merge tombstone (checked in the database on PostgreSQL)."""
    from .files import csv_bytes

    rows = [
        ["1", "6402064107900003", "Rina Wati", "Tenggarong, 01-07-1990", "P", "Jl. A 1", "1/2",
         "Loa Ipuh", "", "Petani", ""],
        ["2", "6402061508880004", "Joko Susilo", "Tenggarong, 15-08-1988", "L", "Jl. B 2", "1/2",
         "Loa Ipuh", "", "Nelayan", ""],
        ["3", "6402062009750005", "Dedi Kurnia", "Tenggarong, 20-09-1975", "L", "Jl. C 3", "1/2",
         "Loa Ipuh", "", "Pedagang", ""],
    ]  # fmt: skip
    path = tmp_path / "loa-ipuh.csv"
    path.write_bytes(csv_bytes(rows))
    assert run_file(world.village_operator, path).counts()["created"] == 3
    rina, joko, dedi = (Worker.objects.get(nik=r[1]) for r in rows)
    assert rina.import_fingerprint is not None
    # Rows changed behind the import's back (as a merge or a data fix by SQL would): the
    # fingerprints stay.
    Worker.objects.filter(pk=joko.pk).update(merged_into=dedi)
    Worker.objects.filter(pk=rina.pk).update(village_id="64.71.01.1001")  # Manggar, Balikpapan

    again = run_file(world.village_operator, path)
    report = report_of(again)
    assert again.counts()["unchanged"] == 1  # Dedi
    assert report[2]["status"] == "rejected" and "wilayah lain" in report[2]["messages"]
    assert report[3]["status"] == "rejected" and "digabung" in report[3]["messages"]
    assert report[4]["status"] == "unchanged"
    # The national account sees Rina in its scope: her row is unchanged for it.
    national = report_of(run_file(world.superadmin, path))
    assert (national[2]["status"], national[3]["status"]) == ("unchanged", "rejected")
