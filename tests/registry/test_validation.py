"""The validation rules of domain.md §4, by example and as properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindungi.registry.validation import WorkerValidator

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
DISTRICTS = ["640206", "640201", "647101", "657101", "110101", "960101", "310101"]
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]  # fmt: skip


@pytest.fixture
def validator(regions):
    return WorkerValidator(root_code="64.02", today=TODAY)


def nik_for(district: str, birth: dt.date, female: bool, serial: int) -> str:
    day = birth.day + (40 if female else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def base_row(**overrides):
    row = {
        "nik": "6402061205800001",
        "full_name": "Budi Santoso",
        "birth_date": "12-05-1980",
        "sex": "L",
        "village": "Loa Ipuh",
    }
    row.update(overrides)
    return row


def codes(result):
    return [i.code for i in result.errors], [i.code for i in result.warnings]


# --- examples ---------------------------------------------------------------------------------


def test_a_clean_row(validator):
    result = validator.validate_one(
        base_row(phone="0812-3456-7890", reported_income="Rp 1.000.000", rt_rw="3/5")
    )
    assert codes(result) == ([], [])
    v = result.values
    assert (v["nik"], v["full_name"], v["birth_date"], v["sex"]) == (
        "6402061205800001",
        "Budi Santoso",
        dt.date(1980, 5, 12),
        "L",
    )
    assert (v["village_code"], v["phone"], v["reported_income"], v["rt"], v["rw"]) == (
        "64.02.06.1002",
        "+6281234567890",
        1_000_000,
        "003",
        "005",
    )


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "NIK_REQUIRED"),
        ("640206120580001", "NIK_LENGTH"),
        ("64020612058000011", "NIK_LENGTH"),
        ("6402O61205800001", "NIK_NOT_DIGITS"),
        ("6.40206E+15", "NIK_SCIENTIFIC"),
        ("6,40206E15", "NIK_SCIENTIFIC"),
        ("9902061205800001", "NIK_PROVINCE"),
        ("6402063205800001", "NIK_DAY"),
        ("6402060005800001", "NIK_DAY"),
        ("6402067205800001", "NIK_DAY"),
        ("6402061213800001", "NIK_MONTH"),
        ("6402063102800001", "NIK_DATE"),
        ("6402067102800001", "NIK_DATE"),
        ("6402061205800000", "NIK_SERIAL"),
    ],
)
def test_nik_rejections(validator, nik, code):
    result = validator.validate_one(base_row(nik=nik))
    assert code in codes(result)[0]
    assert result.values["nik"] is None
    message = next(i.message for i in result.errors if i.code == code)
    assert "{arg}" not in message and message  # filled, Indonesian text


def test_excel_number_hazard(validator):
    result = validator.validate_one({**base_row(nik="6402061205800000"), "nik_is_number": True})
    assert codes(result)[0] == ["NIK_EXCEL_NUMBER"]
    assert "Format kolom NIK sebagai Teks" in result.errors[0].message


def test_historical_province_and_unknown_district(validator):
    # 54 (Timor Timur) is historical: accepted; an unknown district is only a warning
    result = validator.validate_one(base_row(nik="5401011205800001", village="Loa Ipuh"))
    assert codes(result) == ([], ["NIK_DISTRICT_UNKNOWN"])
    # a Tarakan NIK (Kalimantan Utara 65, absent from older libraries) is valid
    assert codes(validator.validate_one(base_row(nik="6571011205800001"))) == ([], [])


def test_nik_consistency_warnings(validator):
    result = validator.validate_one(base_row(birth_date="13-05-1980", sex="P"))
    assert codes(result) == ([], ["NIK_BIRTH_DATE_MISMATCH", "NIK_SEX_MISMATCH"])


def test_missing_birth_date_and_sex_come_from_the_nik_with_a_warning(validator):
    result = validator.validate_one(
        {"nik": "6402065205800002", "full_name": "Siti", "village": "Loa Ipuh"}
    )
    assert codes(result) == ([], ["BIRTH_DATE_FROM_NIK", "SEX_FROM_NIK"])
    assert result.values["birth_date"] == dt.date(1980, 5, 12)
    assert result.values["sex"] == "P"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12-05-1980", dt.date(1980, 5, 12)),
        ("12/05/1980", dt.date(1980, 5, 12)),
        ("12.05.1980", dt.date(1980, 5, 12)),
        ("1980-05-12", dt.date(1980, 5, 12)),
        ("1980-05-12 00:00:00", dt.date(1980, 5, 12)),
        ("12 Mei 1980", dt.date(1980, 5, 12)),
        ("12 MEI 1980", dt.date(1980, 5, 12)),
        ("12-Mei-1980", dt.date(1980, 5, 12)),
        ("12 Agt 1980", dt.date(1980, 8, 12)),
        ("1 Desember 1980", dt.date(1980, 12, 1)),
        ("12051980", dt.date(1980, 5, 12)),
        ("29353", dt.date(1980, 5, 12)),  # an Excel date serial
    ],
)
def test_dates_as_operators_write_them(validator, raw, expected):
    result = validator.validate_one(base_row(birth_date=raw, nik="6402061205800001"))
    assert result.values["birth_date"] == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31-02-1980", "DATE_NOT_EXIST"),
        ("12-05-80", "DATE_YEAR_2DIGIT"),
        ("kemarin", "DATE_INVALID"),
        ("12-05-2030", "DATE_FUTURE"),
        ("12-05-1850", "DATE_TOO_OLD"),
    ],
)
def test_bad_dates(validator, raw, code):
    result = validator.validate_one(base_row(birth_date=raw))
    assert code in codes(result)[0]
    assert result.values["birth_date"] is None


def test_combined_place_and_date(validator):
    result = validator.validate_one(
        {**base_row(), "birth_date": None, "birth_place_date": "Tenggarong, 12-05-1980"}
    )
    assert (result.values["birth_place"], result.values["birth_date"]) == (
        "Tenggarong",
        dt.date(1980, 5, 12),
    )
    spaced = validator.validate_one(
        {**base_row(), "birth_date": None, "birth_place_date": "Kota Bangun 12 Mei 1980"}
    )
    assert (spaced.values["birth_place"], spaced.values["birth_date"]) == (
        "Kota Bangun",
        dt.date(1980, 5, 12),
    )


def test_names_keep_spelling_and_collapse_spaces(validator):
    result = validator.validate_one(base_row(full_name="  Hj.  SITI   aminah "))
    assert result.values["full_name"] == "Hj. SITI aminah"
    assert result.values["name_key"] == "hj. siti aminah"
    assert "NAME_INVALID" in codes(validator.validate_one(base_row(full_name="Budi 2")))[0]
    assert "NAME_REQUIRED" in codes(validator.validate_one(base_row(full_name="   ")))[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Loa Ipuh", "64.02.06.1002"),
        ("DESA LOA IPUH", "64.02.06.1002"),
        ("Kel. Loa Ipuh", "64.02.06.1002"),
        ("64.02.06.1002", "64.02.06.1002"),
        ("6402061002", "64.02.06.1002"),
    ],
)
def test_village_resolution(validator, raw, code):
    assert validator.validate_one(base_row(village=raw)).values["village_code"] == code


def test_village_errors_name_candidates(validator):
    result = validator.validate_one(base_row(village="Loa Ipoh"))
    assert codes(result)[0] == ["VILLAGE_NOT_FOUND"]
    assert "Loa Ipuh" in result.errors[0].message
    outside = validator.validate_one(base_row(village="64.71.01.1001"))
    assert codes(outside)[0] == ["VILLAGE_OUT_OF_SCOPE"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Petani", "petani"),
        ("petani sawit", "pekebun"),
        ("PKL", "pedagang"),
        ("Ketua RT 03", "ketua_rt_rw"),
        ("ojek online", "ojek_pengemudi"),
        ("ibu rumah tangga", "lainnya"),
        ("nelayan", "nelayan"),
    ],
)
def test_occupation_mapping_keeps_the_text(validator, raw, code):
    result = validator.validate_one(base_row(occupation=raw))
    assert (result.values["occupation_code"], result.values["occupation_text"]) == (code, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.000.000", 1_000_000),
        ("Rp 1.500.000", 1_500_000),
        ("1,000,000", 1_000_000),
        ("1000000", 1_000_000),
        ("1.500.000,00", 1_500_000),
        ("2 juta", 2_000_000),
        ("1,5 jt", 1_500_000),
    ],
)
def test_income_in_rupiah(validator, raw, value):
    assert validator.validate_one(base_row(reported_income=raw)).values["reported_income"] == value


def test_bad_income_phone_rt_rw(validator):
    result = validator.validate_one(
        base_row(reported_income="sejuta-an", phone="12345", rt_rw="tiga/lima")
    )
    assert codes(result)[0] == ["RT_RW_INVALID", "PHONE_INVALID", "INCOME_INVALID"]


def test_a_frame_keeps_row_order(validator):
    frame = pl.DataFrame(
        {
            "nik": ["6402061205800001", "123", "6402065205800002"],
            "full_name": ["A", "B", "C"],
            "birth_date": ["12-05-1980", "12-05-1980", "12-05-1980"],
            "sex": ["L", "L", "P"],
            "village": ["Loa Ipuh", "Jahab", "Timbau"],
        }
    )
    out = validator.validate_frame(frame)
    assert out["full_name"].to_list() == ["A", "B", "C"]
    assert [len(e) for e in out["errors"].to_list()] == [0, 1, 0]
    assert out["village_code"].to_list() == ["64.02.06.1002", "64.02.06.1001", "64.02.06.1004"]


# --- properties -------------------------------------------------------------------------------

birth_dates = st.dates(min_value=dt.date(1935, 1, 1), max_value=dt.date(2008, 12, 31))


@st.composite
def valid_people(draw):
    birth = draw(birth_dates)
    female = draw(st.booleans())
    district = draw(st.sampled_from(DISTRICTS))
    serial = draw(st.integers(min_value=1, max_value=9999))
    return nik_for(district, birth, female, serial), birth, female


def _frame(rows):
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))


@PROPERTY
@given(st.lists(valid_people(), min_size=1, max_size=30))
def test_every_valid_nik_is_accepted_and_decoded(validator, people):
    rows = [
        {
            "nik": nik,
            "full_name": "Nama",
            "birth_date": birth.isoformat(),
            "sex": "P" if female else "L",
            "village": "Loa Ipuh",
        }
        for nik, birth, female in people
    ]
    out = validator.validate_frame(_frame(rows))
    assert out["errors"].to_list() == [[] for _ in rows]
    assert all(
        c not in {"NIK_BIRTH_DATE_MISMATCH", "NIK_SEX_MISMATCH"}
        for w in out["warnings"].to_list()
        for c in [i["code"] for i in w]
    )
    assert out["nik"].to_list() == [nik for nik, _, _ in people]


@PROPERTY
@given(
    valid_people(),
    st.lists(st.sampled_from([" ", ".", "-", "  "]), min_size=0, max_size=6),
    st.booleans(),
)
def test_nik_formatting_is_not_part_of_the_nik(validator, person, separators, apostrophe):
    nik, birth, female = person
    chars = list(nik)
    for i, sep in enumerate(separators):
        chars.insert(min(len(chars), (i + 1) * 3), sep)
    typed = ("'" if apostrophe else "") + "".join(chars)
    result = validator.validate_one(
        base_row(nik=typed, birth_date=birth.isoformat(), sex="P" if female else "L")
    )
    assert result.values["nik"] == nik


@PROPERTY
@given(st.text(alphabet="0123456789", min_size=1, max_size=30).filter(lambda s: len(s) != 16))
def test_wrong_length_is_always_rejected(validator, digits):
    result = validator.validate_one(base_row(nik=digits))
    assert codes(result)[0][0] == "NIK_LENGTH"
    assert result.errors[0].arg == str(len(digits))


@PROPERTY
@given(
    st.lists(
        st.tuples(
            birth_dates,
            st.sampled_from(["dmy-", "dmy/", "dmy.", "iso", "id-month", "ID-MONTH", "compact"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_dates_round_trip_in_every_format(validator, dates):
    def render(d, style):
        if style == "iso":
            return d.isoformat()
        if style == "compact":
            return f"{d.day:02d}{d.month:02d}{d.year}"
        if style.lower() == "id-month":
            name = MONTHS_ID[d.month - 1]
            return f"{d.day} {name.upper() if style.isupper() else name} {d.year}"
        return f"{d.day:02d}{style[-1]}{d.month:02d}{style[-1]}{d.year}"

    frame = _frame([{"birth_date": render(d, style)} for d, style in dates])
    out = validator.validate_frame(frame)
    assert out["birth_date"].to_list() == [d for d, _ in dates]


@PROPERTY
@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=29, max_value=31),
    st.integers(min_value=1901, max_value=2020),
)
def test_impossible_calendar_dates_are_errors_not_guesses(validator, month, day, year):
    try:
        dt.date(year, month, day)
    except ValueError:
        result = validator.validate_one(base_row(birth_date=f"{day:02d}-{month:02d}-{year}"))
        assert "DATE_NOT_EXIST" in codes(result)[0]
        assert result.values["birth_date"] is None


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"8[1-9][0-9]{7,9}", fullmatch=True),
            st.sampled_from(["0{}", "+62{}", "62{}", "+62 {}", "0{}-", "(+62) {}"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_phones_normalise_to_e164(validator, phones):
    def render(number, template, dashed):
        body = "-".join([number[:3], number[3:7], number[7:]]) if dashed else number
        return template.replace("{}", body).rstrip("-")

    out = validator.validate_frame(_frame([{"phone": render(*p)} for p in phones]))
    assert out["phone"].to_list() == [f"+62{number}" for number, _, _ in phones]


SEXES = {
    "L": ["L", "LK", "Laki-laki", "laki laki", "Pria", "LAKI-LAKI"],
    "P": ["P", "PR", "Perempuan", "Wanita", "W", "PEREMPUAN"],
}


@PROPERTY
@given(
    st.lists(
        st.sampled_from([(code, word) for code, words in SEXES.items() for word in words]),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_sex_words_normalise(validator, pairs, padded):
    rows = [{"sex": f"  {word} " if padded else word} for _, word in pairs]
    assert validator.validate_frame(_frame(rows))["sex"].to_list() == [code for code, _ in pairs]


@PROPERTY
@given(
    st.lists(
        st.text(
            alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÉéü' .-",
            min_size=1,
            max_size=30,
        ),
        min_size=1,
        max_size=40,
    )
)
def test_vectorised_phonetic_keys_equal_the_scalar_ones(names):
    from lindungi.registry.names import phonetic_key, phonetic_key_expr

    frame = pl.DataFrame({"name": names})
    keys = frame.select(phonetic_key_expr(pl.col("name")).alias("key"))["key"].to_list()
    assert keys == [phonetic_key(n) for n in names]


@PROPERTY
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(
                alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÉéü' .-", max_size=30
            ),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_phonetic_keys_are_the_same_on_the_scalar_and_the_frame_path(names):
    from lindungi.registry import names as module

    series = pl.Series("full_name", names, pl.String)
    small = module.phonetic_keys(series)
    original = module.SCALAR_NAMES
    try:
        module.SCALAR_NAMES = -1  # force the frame path
        large = module.phonetic_keys(series)
    finally:
        module.SCALAR_NAMES = original
    assert small.to_list() == large.to_list()
