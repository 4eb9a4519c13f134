import pytest

from lindungi.core.errors import DomainError
from lindungi.core.spreadsheets.columns import find_header, match_field
from lindungi.core.spreadsheets.readers import read_table
from lindungi.imports.columns import WORKER_LIST

from .files import HEADER, csv_bytes, messy_xlsx


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NIK", "nik"),
        ("No. KTP", "nik"),
        ("NAMA LENGKAP", "full_name"),
        ("Tempat/Tgl Lahir", "birth_place_date"),
        ("TTL", "birth_place_date"),
        ("Tgl. Lahir", "birth_date"),
        ("L/P", "sex"),
        ("Jenis Kelamin", "sex"),
        ("Desa/Kelurahan", "village"),
        ("NO. HP / WA", "phone"),
        ("RT/RW", "rt_rw"),
        ("Pekerjaan", "occupation"),
        ("Keterangan", "status"),
        ("Nama Lengkap (sesuai KTP)", "full_name"),
        ("NIK (16 digit)", "nik"),
        ("Catatan", None),
    ],
)
def test_column_synonyms(text, field):
    assert match_field(text, WORKER_LIST.lookup) == field


def test_header_found_below_title_rows():
    rows = [
        ["DAFTAR PEKERJA"],
        ["DESA LOA IPUH"],
        [],
        ["NO", "NIK", "NAMA", "L/P"],
        ["1", "64…", "Budi", "L"],
    ]
    header = find_header(rows, spec=WORKER_LIST)
    assert header.row_index == 3
    assert header.columns == {"nik": 1, "full_name": 2, "sex": 3}


def test_xlsx_keeps_row_numbers_and_flags_numeric_niks(tmp_path):
    path = messy_xlsx(
        tmp_path / "desa.xlsx",
        [
            [
                "1",
                "6402061205800001",
                "Budi",
                "Tenggarong, 12-05-1980",
                "L",
                "",
                "3/5",
                "Loa Ipuh",
                "0812",
                "Petani",
                "",
            ],
            [
                "2",
                6402065205800000,
                "Siti",
                "Tenggarong, 12-05-1980",
                "P",
                "",
                "",
                "Loa Ipuh",
                "",
                "",
                "",
            ],
        ],
    )
    table = read_table(path, "desa.xlsx", spec=WORKER_LIST)
    assert table.kind == "xlsx"
    assert table.header.row_index == 4  # row 5 as Excel shows it
    frame = table.frame
    assert frame["__row"].to_list()[:2] == [6, 7]
    assert frame["nik"].to_list()[:2] == ["6402061205800001", "6402065205800000"]
    assert frame["nik_is_number"].to_list()[:2] == [False, True]
    assert frame["birth_place_date"][0] == "Tenggarong, 12-05-1980"
    assert list(table.original.columns)[1:] == HEADER


@pytest.mark.parametrize(
    ("separator", "encoding", "bom"),
    [(",", "utf-8", False), (";", "utf-8", True), (";", "cp1252", False)],
)
def test_csv_variants(tmp_path, separator, encoding, bom):
    rows = [
        [
            "1",
            "6402061205800001",
            "Andé Budi’s",
            "Tenggarong, 12-05-1980",
            "L",
            "Jl. A, No. 1" if separator == ";" else "Jl. A No. 1",
            "3/5",
            "Loa Ipuh",
            "",
            "",
            "",
        ]
    ]
    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes(rows, separator=separator, encoding=encoding, bom=bom))
    table = read_table(path, "desa.csv", spec=WORKER_LIST)
    assert table.frame["full_name"][0] == "Andé Budi’s"
    assert table.frame["nik"][0] == "6402061205800001"
    assert table.frame["__row"][0] == 2


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("desa.pdf", b"%PDF-1.4", "IMPORT_FILE_TYPE"),
        ("desa.xlsx", b"not a zip at all", "IMPORT_FILE_UNREADABLE"),
        ("desa.xlsx", b"PK\x03\x04 broken zip", "IMPORT_FILE_UNREADABLE"),
        ("desa.csv", b"a,b,c\n1,2,3\n", "IMPORT_NO_HEADER"),
        ("desa.csv", b"NO,NAMA\n1,Budi\n", "IMPORT_NO_HEADER"),
    ],
)
def test_unreadable_files_get_clear_errors(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DomainError) as excinfo:
        read_table(path, name, spec=WORKER_LIST)
    assert excinfo.value.code == code
    assert excinfo.value.message


def test_csv_title_line_without_separators_keeps_every_column(tmp_path):
    # "Save as CSV" of a sheet whose title sits in one merged cell: the first line has one field.
    path = tmp_path / "desa.csv"
    path.write_bytes(
        b"DAFTAR PEKERJA RENTAN DESA LOA IPUH\n\n"
        b"NO;NIK;NAMA;L/P;TGL LAHIR\n1;6402061205800001;Budi Santoso;L;12-05-1980\n"
    )
    table = read_table(path, "desa.csv", spec=WORKER_LIST)
    assert table.header.row_index == 2
    assert table.frame.row(0, named=True)["full_name"] == "Budi Santoso"
    assert table.frame.row(0, named=True)["sex"] == "L"


def test_xlsx_rows_are_packed_in_blocks_and_a_wider_row_later_keeps_every_cell(
    tmp_path, monkeypatch
):
    from lindungi.core.spreadsheets import readers

    monkeypatch.setattr(readers, "XLSX_BLOCK_ROWS", 2)  # blocks of two rows
    rows = [[str(n), f"64020612058000{n:02d}", f"Pekerja {n}"] for n in range(1, 6)]
    rows[3] = [*rows[3], "", "", "", "", "", "", "", "", "catatan di kolom L"]  # wider, late
    path = messy_xlsx(tmp_path / "desa.xlsx", rows, footer=False)
    table = readers.read_table(path, "desa.xlsx", spec=WORKER_LIST)
    original = table.original
    assert original["__row"].to_list() == [6, 7, 8, 9, 10]
    assert original["NIK"].to_list() == [r[1] for r in rows]
    assert original.columns[-1] != "Keterangan" and original.width == 13  # ROW + 12 columns
    assert original[original.columns[-1]].to_list() == [
        None,
        None,
        None,
        "catatan di kolom L",
        None,
    ]
    assert table.frame["nik_is_number"].to_list() == [False] * 5
