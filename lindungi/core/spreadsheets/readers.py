"""Reading an uploaded spreadsheet into a frame of text columns, row numbers as Excel shows them.

`.xlsx` through python-calamine (cell types kept: a NIK stored as a number is flagged, because
Excel has already dropped its 16th digit); `.csv` with `,` or `;`, UTF-8 with or without BOM,
else Windows-1252. The header row is found among the first rows (columns.py); `spec` says which columns a
kind of file has.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings

from lindungi.core.errors import DomainError

from .columns import ColumnSpec, Header, find_header
from .errors import SpreadsheetError

MAX_ROWS = 1_100_000
# A workbook is a zip of XML: Excel's largest sheet (1,048,576 rows of a village list) unpacks
# to well under this, at a ratio below 20. A zip bomb unpacks at hundreds or thousands to one.
MAX_UNPACKED_BYTES = 3 * 1024**3
MAX_RATIO = 100
RATIO_CHECKED_FROM = 64 * 1024**2  # small parts may compress as well as they like
ROW = "__row"  # the row number as the spreadsheet shows it (1-based)
XLSX_BLOCK_ROWS = 50_000
MAX_UPLOAD_MB = 200  # IMPORT_MAX_MB overrides it


@dataclass
class RawTable:
    """Recognised columns as text (`frame`), and every original column (`original`)."""

    frame: pl.DataFrame  # ROW, one String column per recognised field, nik_is_number
    original: pl.DataFrame  # ROW and all columns of the file, as text, named by their header
    header: Header
    kind: str  # "xlsx" or "csv"
    # Rows with no cell filled, by number: reported as skipped, never held cell by cell (a stray
    # mark on row 1,048,576 must not make a 6 KB file cost a gigabyte).
    blank_rows: pl.Series = field(default_factory=lambda: pl.Series(ROW, [], pl.Int64))


def detect_kind(name: str, head: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04") and suffix in {".xlsx", ".xlsm", ""}:
        return "xlsx"
    if suffix == ".csv" or (suffix in {".txt", ""} and not head.startswith(b"PK")):
        return "csv"
    if suffix in {".xlsx", ".xlsm"}:
        raise DomainError(
            SpreadsheetError.FILE_UNREADABLE, kind="Excel", reason="bukan berkas .xlsx"
        )
    raise DomainError(SpreadsheetError.FILE_TYPE)


def upload_size_check(size: int) -> None:
    """Refuse a file above IMPORT_MAX_MB (worker lists, BPJS answers, statements, figures)."""
    limit = int(settings.LINDUNGI.get("IMPORT_MAX_MB", MAX_UPLOAD_MB))
    if size > limit * 1024 * 1024:
        raise DomainError(SpreadsheetError.FILE_TOO_LARGE, size=size // (1024 * 1024), limit=limit)


def read_table(path: Path, name: str, *, spec: ColumnSpec) -> RawTable:
    """The file's rows as text columns; `spec` says which columns to recognise (the first
    required one is the key, e.g. the NIK, whose Excel number cells are flagged)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = detect_kind(name, head)
    return _read_xlsx(path, spec) if kind == "xlsx" else _read_csv(path, spec)


# --- xlsx -------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _unpacked_size_check(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond any real worker list, before any
    of it is inflated (sizes from the zip's central directory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DomainError(
            SpreadsheetError.FILE_UNREADABLE, kind="Excel", reason="bukan berkas .xlsx yang utuh"
        ) from exc
    total = sum(part.file_size for part in parts)
    bomb = any(
        part.file_size > RATIO_CHECKED_FROM
        and part.file_size > MAX_RATIO * max(part.compress_size, 1)
        for part in parts
    )
    if total > MAX_UNPACKED_BYTES or bomb:
        raise DomainError(
            SpreadsheetError.FILE_UNREADABLE,
            kind="Excel",
            reason="isinya terkompresi secara tidak wajar (kemungkinan zip bomb)",
        )


# The Excel reader holds every cell of a sheet's rectangle, from A1 to the farthest cell used:
# one stray mark at XFD1048576 in a 6 KB file asks for 512 GiB and aborts the process. Sheets
# whose rectangle exceeds this are refused before reading (1,048,576 rows × 26 columns fit).
MAX_CELLS = 30_000_000
_FAR_CELL = re.compile(rb'<c r="([A-Z]{2,3})([0-9]+)"')  # column AA or beyond
_ROW = re.compile(rb'<row r="([0-9]+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_extent_check(path: Path) -> None:
    """Refuse a sheet whose used rectangle (rows × columns) no worker list needs; streamed from
    the zip without building anything (≈ 0.35 s per 100,000 rows)."""
    with zipfile.ZipFile(path) as archive:
        sheets = [
            n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
        ]
        for name in sheets:
            width, height, farthest = 26, 0, ""
            tail = b""
            with archive.open(name) as stream:
                while chunk := stream.read(1 << 22):
                    data = tail + chunk
                    for match in _FAR_CELL.finditer(data):
                        column = _column_number(match.group(1))
                        if column > width:
                            width, farthest = column, (match.group(1) + match.group(2)).decode()
                        height = max(height, int(match.group(2)))
                    for match in _ROW.finditer(data):
                        height = max(height, int(match.group(1)))
                    tail = data[-48:]
            if width * height > MAX_CELLS:
                raise DomainError(
                    SpreadsheetError.FILE_UNREADABLE,
                    kind="Excel",
                    reason=(
                        f"lembar kerjanya terpakai sampai sel {farthest or height} — "
                        f"{width:,} kolom × {height:,} baris; hapus isi di luar tabel data "
                        "lalu simpan ulang"
                    ).replace(",", "."),
                )


def _read_xlsx(path: Path, spec: ColumnSpec) -> RawTable:
    from python_calamine import CalamineWorkbook

    _unpacked_size_check(path)
    _sheet_extent_check(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows_iter = sheet.iter_rows()
        head_rows: list[list[object]] = []
        for row in rows_iter:
            head_rows.append(list(row))
            if len(head_rows) >= 20:
                break
        header = find_header(head_rows, spec=spec)
        if header is None:
            raise DomainError(SpreadsheetError.NO_HEADER)
        cells = _SheetCells(max(len(r) for r in head_rows), header.columns[spec.required[0]])
        take = cells.take
        # Row numbers count from the sheet's first row as Excel shows them.
        first = sheet.start[0] if sheet.start else 0
        for offset, head_row in enumerate(
            head_rows[header.row_index + 1 :], start=header.row_index + 2
        ):
            take(head_row, first + offset)
        number = first + len(head_rows)
        for row in rows_iter:
            number += 1
            if len(cells.row_numbers) + len(cells.blank_rows) >= MAX_ROWS:
                raise DomainError(
                    SpreadsheetError.TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}".replace(",", ".")
                )
            take(list(row), number)
        cells.pack()
    except DomainError:
        raise
    except Exception as exc:  # a corrupt or hostile file: say so, nothing is written
        raise DomainError(
            SpreadsheetError.FILE_UNREADABLE, kind="Excel", reason=type(exc).__name__
        ) from exc
    labels = _labels(head_rows[header.row_index], cells.width)
    table = _table(
        cells.frame(labels),
        header,
        labels,
        pl.Series("nik_is_number", cells.nik_number, pl.Boolean),
        "xlsx",
        spec,
    )
    table.blank_rows = pl.Series(ROW, cells.blank_rows, pl.Int64)
    return table


class _SheetCells:
    """A sheet's rows as text. Cells are gathered as Python strings a block of rows at a time and
    then packed into a frame: a million-row sheet never holds all its cells as Python objects.
    Blank rows are kept by number only."""

    def __init__(self, width: int, nik_col: int) -> None:
        self.width, self.nik_col = width, nik_col
        self.columns: list[list[str | None]] = [[] for _ in range(width)]
        self.blocks: list[pl.DataFrame] = []
        self.nik_number: list[bool] = []
        self.row_numbers = array("q")
        self.blank_rows = array("q")

    def take(self, row: list[object], number: int) -> None:
        texts = [_cell_text(value) for value in row]
        if not any(texts):
            self.blank_rows.append(number)
            return
        columns = self.columns
        if len(texts) > self.width:
            columns.extend([[None] * len(columns[0]) for _ in range(len(texts) - self.width)])
            self.width = len(texts)
        for position in range(self.width):
            columns[position].append(texts[position] if position < len(texts) else None)
        value = row[self.nik_col] if self.nik_col < len(row) else None
        self.nik_number.append(isinstance(value, int | float) and not isinstance(value, bool))
        self.row_numbers.append(number)
        if len(columns[0]) >= XLSX_BLOCK_ROWS:
            self.pack()

    def pack(self) -> None:
        if self.columns and self.columns[0]:
            self.blocks.append(
                pl.DataFrame(
                    {f"c{i}": values for i, values in enumerate(self.columns)},
                    schema=dict.fromkeys((f"c{i}" for i in range(self.width)), pl.String),
                )
            )
            for values in self.columns:
                values.clear()

    def frame(self, labels: list[str]) -> pl.DataFrame:
        """ROW and every column, named by its header (a block packed before a wider row
        arrived lacks the later columns: null there)."""
        return _assembled(self.blocks, self.row_numbers, labels)


def _assembled(blocks: list[pl.DataFrame], row_numbers: array, labels: list[str]) -> pl.DataFrame:
    """ROW and every column, named by its header, from the packed blocks (`c0`, `c1`, …; a
    block packed before a wider row arrived lacks the later columns: null there)."""
    cells = pl.concat(blocks, how="diagonal") if blocks else pl.DataFrame()
    return pl.DataFrame({ROW: pl.Series(ROW, row_numbers, pl.Int64)}).hstack(
        cells.select(
            [
                (pl.col(f"c{i}") if f"c{i}" in cells.columns else pl.lit(None, pl.String))
                .cast(pl.String)
                .alias(label)
                for i, label in enumerate(labels)
            ]
        )
        if blocks
        else pl.DataFrame(schema=dict.fromkeys(labels, pl.String))
    )


def _labels(header_row: list[object], width: int) -> list[str]:
    """Header texts as column names: unique, never empty."""
    labels: list[str] = []
    for position in range(width):
        text = (
            " ".join(str(header_row[position] or "").split()) if position < len(header_row) else ""
        )
        text = text or f"Kolom {position + 1}"
        candidate, n = text, 2
        while candidate in labels or candidate == ROW:
            candidate, n = f"{text} ({n})", n + 1
        labels.append(candidate)
    return labels


def _table(
    original: pl.DataFrame,
    header: Header,
    labels: list[str],
    nik_number: pl.Series,
    kind: str,
    spec: ColumnSpec,
) -> RawTable:
    if original.height == 0:
        raise DomainError(SpreadsheetError.FILE_EMPTY)
    missing = [f for f in spec.required if f not in header.columns]
    if missing:
        raise DomainError(
            SpreadsheetError.MISSING_COLUMNS,
            columns=", ".join(missing),
            found=", ".join(header.labels.values()) or "—",
        )
    frame = original.select(
        pl.col(ROW),
        *[pl.col(labels[i]).alias(field) for field, i in header.columns.items()],
    ).with_columns(nik_number)
    return RawTable(frame=frame, original=original, header=header, kind=kind)


# --- csv --------------------------------------------------------------------------------------


def _utf8(data: bytes) -> bytes:
    """The file as UTF-8 without BOM: as is when it is UTF-8, else from Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Spreadsheets on Indonesian-locale Windows save CSV as Windows-1252.
        return data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def _separator(data: bytes) -> str:
    sample = b"\n".join(data[:20000].splitlines()[:20])
    return ";" if sample.count(b";") > sample.count(b",") else ","


def _width(data: bytes, separator: str) -> int:
    """The widest of the first rows: a title line above the header has a single field, and
    the parser would otherwise take the width of the file from it."""
    head = data[:200_000].decode("utf-8", errors="replace").splitlines()[:50]
    widths = []
    for line in head:
        try:
            widths.append(max((len(r) for r in csv.reader([line], delimiter=separator)), default=1))
        except csv.Error:  # a cell beyond the csv module's field limit (a 10 MB cell)
            widths.append(line.count(separator) + 1)
    return max(widths, default=1)


def _read_csv(path: Path, spec: ColumnSpec) -> RawTable:
    data = _utf8(path.read_bytes())
    separator = _separator(data)
    width = _width(data, separator)
    names = separator.join(f"c{i}" for i in range(width)).encode() + b"\n"
    try:
        frame = pl.read_csv(
            io.BytesIO(names + data),
            has_header=True,
            infer_schema=False,
            separator=separator,
            truncate_ragged_lines=True,
        )
    except Exception as exc:
        raise DomainError(
            SpreadsheetError.FILE_UNREADABLE, kind="CSV", reason=type(exc).__name__
        ) from exc
    del data
    if frame.height > MAX_ROWS:
        raise DomainError(SpreadsheetError.TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}".replace(",", "."))
    head_rows = [list(r) for r in frame.head(20).iter_rows()]
    header = find_header(head_rows, spec=spec)
    if header is None:
        raise DomainError(SpreadsheetError.NO_HEADER)
    width = frame.width
    labels = _labels(head_rows[header.row_index], width)
    rows = frame.slice(header.row_index + 1)
    rows.columns = labels
    original = rows.with_columns(
        [pl.col(c).str.strip_chars().replace("", None) for c in labels]
    ).with_row_index(ROW, offset=header.row_index + 2)
    original = original.with_columns(pl.col(ROW).cast(pl.Int64))
    nik_number = pl.repeat(False, original.height, dtype=pl.Boolean, eager=True).alias(
        "nik_is_number"
    )
    return _table(original, header, labels, nik_number, "csv", spec)
