"""The first sheet of an .xlsx workbook as a stream of text rows, in constant memory.

openpyxl parses (read-only mode, cached values instead of formulas), but two of its habits
would make memory grow with the number of rows, so this module works around them:
- the shared strings table (each distinct cell text, so about one per row and column) is
  kept in a temporary file instead of a list;
- parsed <row> elements are dropped as soon as they are read.
"""

from __future__ import annotations

import mmap
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO, overload

from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from suppliernet.imports.cells import cell_text

_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_SI_TAG = f"{{{SHEET_MAIN_NS}}}si"
_T_TAG = f"{{{SHEET_MAIN_NS}}}t"
_R_TAG = f"{{{SHEET_MAIN_NS}}}r"


class UnreadableWorkbook(Exception):
    """Not a workbook openpyxl can read; `line` is the last row read when it failed midway."""

    def __init__(self, line: int = 0):
        super().__init__(line)
        self.line = line


class FirstSheet:
    """The first worksheet; close() releases the file and the spilled strings."""

    def __init__(self, path: Path):
        # A file object, not the path: openpyxl refuses paths not ending in .xlsx, and the
        # caller already knows from the content that this is a workbook.
        self._file = path.open("rb")
        self._reader: _WorkbookReader | None = None
        try:
            self._reader = _WorkbookReader(self._file)
            self._reader.load()
        except Exception as error:  # openpyxl raises many types for damaged files
            self.close()
            raise UnreadableWorkbook() from error
        if not self._reader.worksheets:
            self.close()
            raise UnreadableWorkbook()
        self.title, self._part = self._reader.worksheets[0]
        self.other_sheets = tuple(name for name in self._reader.sheet_names if name != self.title)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, cells as text) for each row that is not blank.

        Trailing blank cells are dropped; raises UnreadableWorkbook if the sheet is damaged.
        """
        assert self._reader is not None, "closed"
        return _records(self._reader, self._part)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._file.close()


class _WorkbookReader(ExcelReader):
    """openpyxl's loader, reduced to what reading cell values needs.

    Its read() would also build openpyxl worksheet objects, which scan a sheet without a
    <dimension> element in full, holding every row, just to size it.
    """

    def __init__(self, file: BinaryIO):
        super().__init__(file, read_only=True, data_only=True, keep_links=False)
        self._spilled: _SpilledStrings | None = None
        self.worksheets: list[tuple[str, str]] = []  # (name, part) in workbook order
        self.sheet_names: list[str] = []

    def load(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)  # which number formats are dates
        for sheet, relation in self.parser.find_sheets():
            self.sheet_names.append(sheet.name)
            if relation.target in self.valid_files and "chartsheet" not in relation.Type:
                self.worksheets.append((sheet.name, relation.target))

    def read_strings(self) -> None:
        # Excel stores each distinct cell text once here: about one entry per row and column
        # of supplier data, which openpyxl would hold in a list.
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self._spilled = _SpilledStrings(_iter_shared_strings(source))
                self.shared_strings = self._spilled

    def close(self) -> None:
        self.archive.close()
        if self._spilled is not None:
            self._spilled.close()


def _iter_shared_strings(source: IO[bytes]) -> Iterator[str]:
    """openpyxl's read_string_table (Text.content), streaming and without its slow objects."""
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        elif event == "end" and node.tag == _SI_TAG:
            # The plain text plus the text of each formatted run; phonetic hints are not text.
            text = node.findtext(_T_TAG) or ""
            for run in node.iterfind(_R_TAG):
                text += run.findtext(_T_TAG) or ""
            yield text.replace("x005F_", "")
            root.clear()


class _SpilledStrings(Sequence[str]):
    """A list of strings in a temporary file: UTF-8 text plus an index of end offsets."""

    def __init__(self, strings: Iterable[str]):
        # Open for the object's lifetime, closed by close(); the OS deletes them then.
        self._files = (tempfile.TemporaryFile(), tempfile.TemporaryFile())  # noqa: SIM115
        try:
            self._fill(strings)
        except BaseException:
            for file in self._files:
                file.close()
            raise

    def _fill(self, strings: Iterable[str]) -> None:
        text_file, index_file = self._files
        ends = array("Q", [0])
        position = 0
        for text in strings:
            data = text.encode("utf-8", "surrogatepass")
            text_file.write(data)
            position += len(data)
            ends.append(position)
            if len(ends) >= 8192:
                ends.tofile(index_file)
                del ends[:]
        ends.tofile(index_file)
        text_file.flush()
        index_file.flush()
        self._text = mmap.mmap(text_file.fileno(), 0, access=mmap.ACCESS_READ) if position else b""
        self._index = mmap.mmap(index_file.fileno(), 0, access=mmap.ACCESS_READ)
        self._ends = memoryview(self._index).cast("Q")

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("shared string index out of range")
        ends = self._ends
        return self._text[ends[index] : ends[index + 1]].decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._ends.release()  # an exported buffer would keep the mmap from closing
        self._index.close()
        if isinstance(self._text, mmap.mmap):
            self._text.close()
        for file in self._files:
            file.close()


def _records(reader: _WorkbookReader, part: str) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        for line, cells in _sheet_rows(reader, part):
            row: list[str] = []
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                column = cell["column"]
                if column > len(row):
                    row.extend([""] * (column - len(row)))
                row[column - 1] = value if type(value) is str else cell_text(value)
            while row and not row[-1].strip():
                row.pop()
            if row:
                yield line, row
    except Exception as error:  # a damaged sheet inside a valid archive
        raise UnreadableWorkbook(line) from error


def _sheet_rows(reader: _WorkbookReader, part: str) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(sheet row number, openpyxl cell dicts) for each row the sheet stores.

    openpyxl's read-only iteration keeps every parsed <row> element (and the attributes of
    rows with a height or style) until the end of the sheet, about 80 bytes a row or more;
    this loop drops each row once read. It uses openpyxl's cell parser, so types, dates and
    data_only behave as in openpyxl.
    """
    workbook = reader.wb
    with reader.archive.open(part) as source:
        parser = WorkSheetParser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        sheet_data = None
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA_TAG:
                    sheet_data = element
            elif element.tag == _ROW_TAG:
                line, cells = parser.parse_row(element)
                parser.row_dimensions.clear()
                if sheet_data is not None:
                    sheet_data.clear()
                yield line, cells
