"""Reading an uploaded supplier file (CSV or XLSX) as a stream of rows.

Only the file's shape is checked here (format, encoding, header, size); the rules layer
validates the values. Memory does not grow with the number of rows: CSV is read record by
record, XLSX through `suppliernet.imports.xlsx`.

Decisions (see also the messages below):
- Encoding: the whole file is scanned once at open time (0.2-0.4 s for 50 MB). Valid
  UTF-8 (with or without BOM) is read as UTF-8, anything else as Windows-1252, which is what
  Excel's "CSV" writes in Spanish-language Windows. A file whose UTF-8 text turns invalid
  later on is rejected, naming the line: decoding it all as Windows-1252 would garble every
  accent before that line. Bytes Windows-1252 does not define come through as U+FFFD.
- A NUL byte is never part of a supplier's data and usually means a damaged file or a
  UTF-16 export, so any NUL rejects the whole file, naming its line.
- csv.field_size_limit is raised process-wide (it is global in Python) so that one very
  long cell is returned to the rules layer instead of failing the file.
- A single leading apostrophe that `neutralize_formula` added to an exported error file is
  removed again from `values` (not from `raw`), so re-uploading the error file round-trips.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

from suppliernet.imports.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    HeaderMatch,
    column_letter,
    match_header,
)
from suppliernet.imports.neutralize import restore_neutralized

_CHUNK = 1 << 20
_SAMPLE_CHARS = 64 * 1024
# Larger than any 50 MB file, and still fits the C long that csv uses on every platform.
_FIELD_LIMIT = 2**31 - 1
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_BLANK_LINE_CHARS = " \t\r\n,;\"'"
_SEP_LINE = re.compile(r"\"?sep=(.)\"?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LABEL_CHARS = 40
_LABELS_SHOWN = 20

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 with BOM"
WINDOWS_1252 = "Windows-1252"
_CODECS = {UTF8: "utf-8-sig", UTF8_BOM: "utf-8-sig", WINDOWS_1252: "cp1252"}


class FileRejected(Exception):
    """The whole file cannot be imported; `message` tells the user why and what to do."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Detected:
    format: str  # "csv" or "xlsx"
    encoding: str | None = None  # UTF8, UTF8_BOM or WINDOWS_1252 (CSV only)
    delimiter: str | None = None  # "comma", "semicolon" or "tab" (CSV only)
    sheet: str | None = None  # XLSX only
    ignored_sheets: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.format == "xlsx":
            text = gettext("Excel workbook, sheet “%(sheet)s”") % {"sheet": self.sheet}
            if self.ignored_sheets:
                text += "; " + gettext("other sheets ignored: %(sheets)s") % {
                    "sheets": ", ".join(f"“{name}”" for name in self.ignored_sheets)
                }
            return text
        encoding = gettext("UTF-8 with BOM") if self.encoding == UTF8_BOM else self.encoding
        separated = {
            "comma": gettext("comma-separated"),
            "semicolon": gettext("semicolon-separated"),
            "tab": gettext("tab-separated"),
        }[self.delimiter or "comma"]
        return f"{encoding}, {separated}"


@dataclass(slots=True)
class SourceRow:
    line: int  # CSV: physical line where the record starts; XLSX: sheet row number
    values: dict[str, str]  # matched columns only, stripped; '' when the row is short
    raw: list[str]  # the row's cells as read, trailing empty cells dropped


Records = Callable[[], Iterator[tuple[int, list[str]]]]


class Table:
    """An opened file. Use as a context manager (an XLSX keeps its archive open)."""

    def __init__(
        self,
        *,
        detected: Detected,
        header: HeaderMatch,
        header_line: int,
        records: Records,
        max_rows: int,
        max_columns: int,
        max_cell_chars: int,
        close: Callable[[], None] | None = None,
    ):
        self.detected = detected
        self.header = header
        self.header_line = header_line
        self.width = len(header.labels)
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.max_cell_chars = max_cell_chars
        self._records = records
        self._close = close

    @property
    def unknown_columns(self) -> tuple[str, ...]:
        return tuple(cell.label for cell in self.header.unknown)

    @property
    def duplicate_columns(self) -> tuple[str, ...]:
        return tuple(duplicate.label for duplicate in self.header.duplicates)

    def rows(self) -> Iterator[SourceRow]:
        columns = tuple(self.header.columns.items())
        max_rows, max_columns = self.max_rows, self.max_columns
        xlsx = self.detected.format == "xlsx"
        count = 0
        records = self._records()
        try:
            next(records, None)  # the header
            for line, cells in records:
                count += 1
                if count > max_rows:
                    raise FileRejected(_too_many_rows(max_rows), line=line)
                width = len(cells)
                if width > max_columns:
                    raise FileRejected(_too_wide_row(line, width, max_columns, xlsx), line=line)
                values = {}
                for key, index in columns:
                    value = cells[index].strip() if index < width else ""
                    if value[:1] == "'":
                        value = restore_neutralized(value)
                    values[key] = value
                yield SourceRow(line, values, cells)
        finally:
            records.close()

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_table(
    path: str | Path,
    filename: str,
    *,
    max_rows: int,
    max_columns: int = 100,
    max_cell_chars: int = 10_000,
) -> Table:
    """Open an uploaded file and check its header; raise FileRejected if it cannot be used.

    `path` is where the upload is stored, `filename` the name the user gave it.
    """
    path = Path(path)
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise FileRejected(_old_excel(filename))
    if suffix not in (".csv", ".xlsx"):
        raise FileRejected(
            gettext(
                "“%(name)s” is not a supported file type. Expected: the supplier template "
                "as .xlsx or .csv. Found: %(found)s."
            )
            % {"name": filename, "found": suffix or gettext("a name without an extension")}
        )
    with path.open("rb") as file:
        head = file.read(8)
    if not head:
        raise FileRejected(_empty_file())
    limits = {"max_rows": max_rows, "max_columns": max_columns, "max_cell_chars": max_cell_chars}
    # Content decides, not the name: a workbook renamed to .csv is still read as a workbook.
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(path, filename, **limits)
    if head.startswith(_OLE_MAGIC):
        raise FileRejected(_old_excel(filename))
    if suffix == ".xlsx":
        raise FileRejected(_not_a_workbook(filename))
    return _open_csv(path, filename, **limits)


# --- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    encoding: str
    nul_line: int | None
    bad_utf8_line: int | None


def _scan(path: Path) -> _Scan:
    """One streaming pass over the bytes: encoding, first NUL byte, late invalid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    non_ascii = False
    bad_utf8_line = nul_line = None
    line = 1
    prev_cr = False
    with path.open("rb") as file:
        bom = file.read(3) == codecs.BOM_UTF8
        file.seek(0)
        while chunk := file.read(_CHUNK):
            if utf8:
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    utf8 = False
                    at = max(error.start - pending, 0)
                    if bom or non_ascii or not chunk[:at].isascii():
                        bad_utf8_line = line + _line_breaks(chunk[:at], prev_cr)
                else:
                    non_ascii = non_ascii or not chunk.isascii()
            if nul_line is None and (at := chunk.find(b"\0")) >= 0:
                nul_line = line + _line_breaks(chunk[:at], prev_cr)
            line += _line_breaks(chunk, prev_cr)
            prev_cr = chunk.endswith(b"\r")
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
            if bom or non_ascii:
                bad_utf8_line = line
    encoding = (UTF8_BOM if bom else UTF8) if utf8 else WINDOWS_1252
    return _Scan(encoding, nul_line, bad_utf8_line)


def _line_breaks(data: bytes, prev_cr: bool) -> int:
    """Line ends as csv counts them (\\r\\n, \\n or \\r); \\r\\n may straddle two chunks."""
    count = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if prev_cr and data[:1] == b"\n":
        count -= 1
    return count


def _open_csv(
    path: Path, filename: str, *, max_rows: int, max_columns: int, max_cell_chars: int
) -> Table:
    with path.open("rb") as file:
        head = file.read(4)
    if head.startswith(_UTF16_BOMS) and not head.startswith(codecs.BOM_UTF8):
        raise FileRejected(
            gettext(
                "The file is saved as UTF-16 (“Unicode text”). Expected: CSV in UTF-8 or "
                "Windows-1252. Save it from Excel as “CSV UTF-8 (comma delimited)” and upload "
                "it again."
            )
        )
    scan = _scan(path)
    codec = _CODECS[scan.encoding]
    with path.open(encoding=codec, errors="replace", newline="") as file:
        if _looks_binary(file.read(_SAMPLE_CHARS)):
            raise FileRejected(
                gettext(
                    "“%(name)s” is not a CSV text file: it contains binary data. Expected: the "
                    "supplier template saved as .xlsx or .csv."
                )
                % {"name": filename}
            )
        file.seek(0)
        first_line = _first_line(file, max_columns * (max_cell_chars + 3))
    if first_line is None:
        raise FileRejected(_empty_file())
    if scan.nul_line is not None:
        raise FileRejected(
            gettext(
                "Line %(line)s contains a NUL character (an invisible null byte), which usually "
                "means the file is damaged or is not a CSV file. Remove it and upload the file "
                "again."
            )
            % {"line": scan.nul_line},
            line=scan.nul_line,
        )
    if scan.bad_utf8_line is not None:
        raise FileRejected(
            gettext(
                "Line %(line)s is not valid UTF-8 text, but the lines before it are: the file "
                "mixes text encodings. Save it again as “CSV UTF-8” and upload it."
            )
            % {"line": scan.bad_utf8_line},
            line=scan.bad_utf8_line,
        )
    sep = _SEP_LINE.fullmatch(first_line.rstrip("\r\n").strip(" "))
    if sep is not None and sep.group(1) in _DELIMITERS:
        delimiter = sep.group(1)
    else:
        sep = None
        delimiter = _sniff_delimiter(first_line)

    def records() -> Iterator[tuple[int, list[str]]]:
        return _csv_records(path, codec, delimiter, skip_first=sep is not None)

    line, cells = _first_record(records)
    header = _check_header(cells, max_columns, max_cell_chars, xlsx=False)
    detected = Detected("csv", encoding=scan.encoding, delimiter=_DELIMITERS[delimiter])
    return Table(
        detected=detected,
        header=header,
        header_line=line,
        records=records,
        max_rows=max_rows,
        max_columns=max_columns,
        max_cell_chars=max_cell_chars,
    )


def _looks_binary(sample: str) -> bool:
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _first_line(file: TextIO, limit: int) -> str | None:
    """The first physical line with content, or None for a file of blank lines."""
    while line := file.readline(limit):
        if len(line) >= limit and not line.endswith(("\n", "\r")):
            raise FileRejected(
                gettext(
                    "The first line of the file has more than %(count)s characters. Expected: "
                    "the supplier template's header row (%(expected)s)."
                )
                % {"count": number_format(limit, force_grouping=True), "expected": _expected()}
            )
        if line.strip(_BLANK_LINE_CHARS):
            return line
    return None


def _raise_field_size_limit() -> None:
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)


def _sniff_delimiter(line: str) -> str:
    """The delimiter that makes the most known columns out of the header line."""
    _raise_field_size_limit()
    best: tuple[tuple[int, int], str] | None = None
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
        except csv.Error:
            cells = []
        score = (len(match_header(cells).columns), sum(1 for cell in cells if cell.strip()))
        if best is None or score > best[0]:
            best = (score, delimiter)
    assert best is not None
    return best[1]


def _csv_records(
    path: Path, codec: str, delimiter: str, *, skip_first: bool
) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records, trailing empty cells dropped, with the line each one starts on."""
    _raise_field_size_limit()
    with path.open(encoding=codec, errors="replace", newline="") as file:
        reader = csv.reader(file, delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                line = start
                start = reader.line_num + 1
                while cells and not cells[-1].strip():
                    cells.pop()
                if not cells:
                    continue
                if skip_first:  # the "sep=;" line Excel understands
                    skip_first = False
                    continue
                yield line, cells
        except csv.Error as error:
            raise FileRejected(
                gettext("Line %(line)s could not be read as CSV: %(error)s")
                % {"line": start, "error": error},
                line=start,
            ) from error


# --- XLSX --------------------------------------------------------------------------------


def _open_xlsx(
    path: Path, filename: str, *, max_rows: int, max_columns: int, max_cell_chars: int
) -> Table:
    # Here, not at the top: openpyxl takes a second to import, which a CSV does not need.
    from suppliernet.imports.xlsx import FirstSheet, UnreadableWorkbook

    try:
        sheet = FirstSheet(path)
    except UnreadableWorkbook as error:
        raise FileRejected(_not_a_workbook(filename)) from error

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from sheet.records()
        except UnreadableWorkbook as error:
            raise FileRejected(
                gettext(
                    "The workbook could not be read after row %(line)s. Save it again and "
                    "upload it."
                )
                % {"line": error.line},
                line=error.line,
            ) from error

    try:
        detected = Detected("xlsx", sheet=sheet.title, ignored_sheets=sheet.other_sheets)
        line, cells = _first_record(records, sheet=sheet.title)
        header = _check_header(cells, max_columns, max_cell_chars, xlsx=True)
    except BaseException:
        sheet.close()
        raise
    return Table(
        detected=detected,
        header=header,
        header_line=line,
        records=records,
        max_rows=max_rows,
        max_columns=max_columns,
        max_cell_chars=max_cell_chars,
        close=sheet.close,
    )


# --- shared ------------------------------------------------------------------------------


def _first_record(records: Records, *, sheet: str | None = None) -> tuple[int, list[str]]:
    iterator = records()
    try:
        first = next(iterator, None)
    finally:
        iterator.close()
    if first is None:
        if sheet is not None:
            raise FileRejected(
                gettext(
                    "The first sheet (“%(sheet)s”) is empty. Expected: the supplier template's "
                    "header row (%(expected)s) and one row per supplier."
                )
                % {"sheet": sheet, "expected": _expected()}
            )
        raise FileRejected(_empty_file())
    return first


def _check_header(
    cells: Sequence[str], max_columns: int, max_cell_chars: int, *, xlsx: bool
) -> HeaderMatch:
    if len(cells) > max_columns:
        raise FileRejected(
            gettext(
                "The header row has %(count)s columns; at most %(max)s are allowed. Expected: "
                "the supplier template's columns (%(expected)s)."
            )
            % {
                "count": number_format(len(cells), force_grouping=True),
                "max": max_columns,
                "expected": _expected(),
            }
        )
    for index, cell in enumerate(cells):
        if len(cell) > max_cell_chars:
            raise FileRejected(
                gettext(
                    "Header cell %(column)s has %(count)s characters, so the first row is not the "
                    "supplier template's header row. Expected: %(expected)s."
                )
                % {
                    "column": column_letter(index),
                    "count": number_format(len(cell), force_grouping=True),
                    "expected": _expected(),
                }
            )
    match = match_header(cells)
    lang = _labels_language(match)
    if match.missing:
        raise FileRejected(
            gettext("Missing mandatory column(s): %(missing)s. Found: %(found)s.")
            % {
                "missing": ", ".join(COLUMNS_BY_KEY[key].label(lang) for key in match.missing),
                "found": _found(match.found_labels),
            }
        )
    for duplicate in match.duplicates:
        column = COLUMNS_BY_KEY[duplicate.key]
        if column.mandatory:
            raise FileRejected(
                gettext(
                    "The column %(label)s appears more than once (columns %(first)s and "
                    "%(second)s). Keep only one and upload the file again."
                )
                % {
                    "label": column.label(lang),
                    "first": column_letter(duplicate.first_index),
                    "second": column_letter(duplicate.index),
                }
            )
    return match


def _labels_language(match: HeaderMatch | None = None) -> str:
    if match is not None and match.language is not None:
        return match.language
    return "es" if (get_language() or "").startswith("es") else "en"


def _expected() -> str:
    lang = _labels_language()
    return ", ".join(column.label(lang) for column in COLUMNS)


def _found(labels: Sequence[str]) -> str:
    shown = [
        label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
        for label in labels[:_LABELS_SHOWN]
    ]
    if len(labels) > _LABELS_SHOWN:
        shown.append(gettext("and %(count)s more") % {"count": len(labels) - _LABELS_SHOWN})
    return ", ".join(shown)


def _empty_file() -> str:
    return gettext(
        "The file is empty. Expected: the supplier template's header row (%(expected)s) and "
        "one row per supplier."
    ) % {"expected": _expected()}


def _old_excel(filename: str) -> str:
    return gettext(
        "“%(name)s” is an Excel 97-2003 workbook (.xls). Expected: .xlsx or .csv. Open it in "
        "Excel, save it as “Excel Workbook (.xlsx)” and upload it again."
    ) % {"name": filename}


def _not_a_workbook(filename: str) -> str:
    return gettext(
        "“%(name)s” could not be opened as an Excel workbook (.xlsx): it is damaged or is "
        "another kind of file. Save it again from Excel as .xlsx or .csv and upload it."
    ) % {"name": filename}


def _too_many_rows(max_rows: int) -> str:
    return gettext(
        "The file has more than %(max)s rows of suppliers. Split it into files of at most "
        "%(max)s rows and upload them one at a time."
    ) % {"max": number_format(max_rows, force_grouping=True)}


def _too_wide_row(line: int, count: int, max_columns: int, xlsx: bool) -> str:
    values = {"line": line, "count": number_format(count, force_grouping=True), "max": max_columns}
    if xlsx:
        return gettext("Row %(line)s has %(count)s columns; at most %(max)s are allowed.") % values
    return (
        gettext(
            "Line %(line)s has %(count)s columns; at most %(max)s are allowed. Check that the "
            "file uses one separator and that values containing it are in quotes."
        )
        % values
    )
