"""Reading cohort files in bounded chunks, and writing results that are never half-written.

Input: CSV (header row, RFC 4180 quoting, every column read as text) or Parquet (native
types), chosen by the suffix. A CSV file's columns are separated by commas, or by
semicolons or tabs: the header says which, since no column name holds any of the three. A
semicolon-separated file is the convention of places where the comma is the decimal mark
(R's ``write.csv2``, spreadsheets saved as CSV there), so in its number columns a decimal
comma is read as the decimal point (``2,5`` is 2.5); a comma before exactly three digits
(``1,500``: 1.5 or 1500?) is left as written, and so refused, read neither way. Either
format is read chunk by chunk, so memory stays flat however long the file is.

Output: Parquet or CSV by the suffix. Every file is written to a temporary file in the same
directory and renamed into place only when the whole run has succeeded (:class:`Outputs`);
on any error the temporary files are removed and nothing is left behind.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from nelm.case.fields import FIELDS, Kind
from nelm.cohort.columns import INPUT_COLUMNS, LIST_SEPARATOR
from nelm.errors import InputRejected, Problem
from nelm.text import UTF16_BOMS

__all__ = [
    "CsvSink",
    "InputFile",
    "Outputs",
    "ParquetSink",
    "Sink",
    "as_text_columns",
    "file_format",
    "is_export",
    "open_input",
    "put_in_place",
    "rejects_path",
    "text_column_exprs",
]

Format = Literal["csv", "parquet"]
_SUFFIXES: dict[str, Format] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


CSV_MISSING = ("NA", ".")
"""CSV cells read as empty (unknown): R's and SAS/Stata's missing-value marks."""


def file_format(path: str | Path, what: str) -> Format:
    """The format a file name's suffix names, or a rejection naming ``what`` it is."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputRejected(
            [Problem(what, "a file name ending in .csv, .parquet or .pq", str(path))]
        )
    return _SUFFIXES[suffix]


def rejects_path(output: str | Path) -> Path:
    """Where the rejects of ``output`` go: ``<output stem>.rejects.csv`` beside it."""
    out = Path(output)
    return out.with_name(f"{out.stem}.rejects.csv")


_NOT_UTF8 = "bytes that are not UTF-8 (save it again as CSV UTF-8)"


def _not_utf8(path: Path) -> str:
    """What a CSV file that is not UTF-8 is, as far as its first bytes say, and the line
    of the first byte that is not: a registry's file in Latin-1 or Windows-1252 (accents
    in names) reads as UTF-8 up to there. Which of the two it is the bytes cannot say, so
    it is not guessed: the user converts it, knowing what wrote it."""
    with open(path, "rb") as handle:
        if handle.read(2).startswith(UTF16_BOMS):
            return "UTF-16 text (as Excel's “Unicode text” writes it): save it again as CSV UTF-8"
        handle.seek(0)
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return (
                    f"bytes that are not UTF-8, first on line {number:,} (the header is line "
                    "1): save it again as CSV UTF-8, or convert it from the encoding it was "
                    "written in, e.g. from Windows-1252 or Latin-1, as a Western European "
                    "spreadsheet writes it: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE-utf8.csv"
                )
    return _NOT_UTF8


def _longer_row(path: Path, separator: str) -> str | None:
    """The first data row with more cells than the header, in words (None: none is):
    polars names no row when it meets one."""
    with _any_cell_length(), open(path, encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter=separator)
        header = next(rows, [])
        for number, row in enumerate(rows, start=1):
            if len(row) > len(header):
                return (
                    f"row {number:,} has {len(row)} cells where the header has {len(header)} "
                    "(a separator inside a cell that is not in quotes, or one at the end of "
                    "the line)"
                )
    return None


@contextlib.contextmanager
def _any_cell_length() -> Iterator[None]:
    """Let the csv module read a cell of any length, as polars does: by default it refuses
    one over 128 kB (``csv.Error``), which a runaway cell of a registry export exceeds."""
    limit = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _unreadable(path: Path, fmt: Format, exc: BaseException, separator: str = ",") -> InputRejected:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if fmt == "csv" and "utf-8" in detail.lower():  # polars: "invalid utf-8 sequence"
        return InputRejected([Problem(str(path), "a CSV file in UTF-8", _not_utf8(path))])
    if fmt == "csv" and "more fields than defined" in detail:
        longer = _longer_row(path, separator)
        if longer is not None:
            expected = "rows of as many cells as the header"
            return InputRejected([Problem(str(path), expected, longer)])
    kind = "CSV file with a header row" if fmt == "csv" else "Parquet file"
    return InputRejected([Problem(str(path), f"a readable {kind}", detail[:200])])


# --------------------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class InputFile:
    """A cohort file opened for reading: its format and column names, read in chunks."""

    path: Path
    format: Format
    columns: tuple[str, ...]
    separator: str = ","
    """A CSV file's column separator (``,``, ``;`` or a tab), read off its header."""
    ignored: tuple[str, ...] = ()
    """Columns of :attr:`columns` left out of every reading (``--ignore-columns``)."""

    def reading(self) -> str:
        """How the file was read, when not as a comma-separated CSV file ("" then)."""
        if self.format != "csv" or self.separator == ",":
            return ""
        if self.separator == ";":
            return (
                "read as CSV separated by semicolons, with decimal commas in number columns "
                "(R's write.csv2)"
            )
        return "read as CSV separated by tabs"

    def count_rows(self) -> int:
        """The number of data rows (Parquet: from the footer; CSV: one fast pass)."""
        try:
            if self.format == "parquet":
                return int(pq.ParquetFile(self.path).metadata.num_rows)
            return int(self._scan_csv().select(pl.len()).collect().item())
        except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
            raise _unreadable(self.path, self.format, exc, self.separator) from None

    def _scan_csv(self) -> pl.LazyFrame:
        # An empty cell is unknown, and so are the missing-value marks of the usual
        # exports: NA (R's write.csv) and "." (SAS, Stata). Other words for "not known"
        # ("unknown", "n/a") are rejected with how to write them, never guessed at.
        return pl.scan_csv(
            self.path,
            separator=self.separator,
            infer_schema=False,
            raise_if_empty=True,
            null_values=list(CSV_MISSING),
            glob=False,  # a path is a path: "[" in a folder name is no pattern
        )

    def scan(self) -> pl.LazyFrame:
        """The whole file as a lazy query (every CSV column as text): what :meth:`chunks`
        reads, for a query that streams it. Errors surface when the query runs."""
        if self.format == "parquet":
            return pl.scan_parquet(self.path, glob=False).drop(self.ignored)
        frame = self._scan_csv().drop(self.ignored)
        if self.separator == ";":
            numbers = [name for name in dict.fromkeys(self.columns) if name in _NUMBER_COLUMNS]
            frame = frame.with_columns(_decimal_comma_read(name) for name in numbers)
        return frame

    def unreadable(self, exc: BaseException) -> InputRejected:
        """The rejection of this file for a reading error ``exc``."""
        return _unreadable(self.path, self.format, exc, self.separator)

    def read_slice(self, offset: int, length: int) -> pl.DataFrame:
        """Rows ``offset`` to ``offset + length - 1`` (0-based), read as :meth:`chunks`
        reads them: what a Spark task evaluates."""
        try:
            return self.scan().slice(offset, length).collect()
        except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
            raise _unreadable(self.path, self.format, exc, self.separator) from None

    def chunks(self, size: int) -> Iterator[pl.DataFrame]:
        """The rows in order, ``size`` at a time (the last chunk may be shorter)."""
        try:
            yield from self.scan().collect_batches(chunk_size=size)
        except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
            raise _unreadable(self.path, self.format, exc, self.separator) from None


_NUMBER_COLUMNS = frozenset(f.path for f in FIELDS if f.kind in (Kind.NUMBER, Kind.INTEGER))
_DECIMAL_COMMA = r"^(\s*[+-]?[0-9]*),([0-9]+\s*)$"
_GROUPED = r"^\s*[+-]?[1-9][0-9]{0,2},[0-9]{3}\s*$"


def _decimal_comma_read(name: str) -> pl.Expr:
    """A number column of a semicolon-separated file with its decimal commas made points;
    ``1,500`` (thousands or decimals?) is left as written, to be refused."""
    cell = pl.col(name)
    return (
        pl.when(cell.str.contains(_GROUPED))
        .then(cell)
        .otherwise(cell.str.replace(_DECIMAL_COMMA, "${1}.${2}"))
        .alias(name)
    )


_INPUT_NAMES = "a file name ending in .csv, .tsv, .parquet or .pq"


def is_export(path: Path) -> bool:
    """A folder (of NDJSON files, or of records one per file) or an ``.ndjson`` file: a
    FHIR export, not a table (``nelm.cohort.fhir_export``, ``nelm.cohort.record_folder``)."""
    return path.is_dir() or path.suffix.lower() == ".ndjson"


def open_input(path: str | Path) -> InputFile:
    """Open a CSV or Parquet cohort file and read its header, or reject it."""
    p = Path(path)
    if p.suffix.lower() in (".json", ".yaml", ".yml", ".xml"):  # one case, not a cohort
        raise InputRejected(
            [
                Problem(
                    "INPUT",
                    _INPUT_NAMES,
                    f"{p} (one case or FHIR record: nelm assess {p})",
                )
            ]
        )
    # A .tsv file is CSV separated by tabs (the header says so); results are .csv or .parquet.
    if p.suffix.lower() not in (*_SUFFIXES, ".tsv"):
        spreadsheet = p.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods")
        got = f"{p} (a spreadsheet: save it as CSV UTF-8)" if spreadsheet else str(p)
        raise InputRejected([Problem("INPUT", _INPUT_NAMES, got)])
    fmt: Format = "csv" if p.suffix.lower() == ".tsv" else _SUFFIXES[p.suffix.lower()]
    if not p.exists():
        raise InputRejected([Problem(str(p), "an existing file", "no such file")])
    if p.is_dir():
        raise InputRejected([Problem(str(p), "a file", "a directory")])
    separator = ","
    try:
        if fmt == "parquet":
            names = tuple(pq.read_schema(p).names)
        else:
            if p.stat().st_size == 0:
                raise InputRejected(
                    [Problem(str(p), "a CSV file with a header row", "an empty file")]
                )
            separator = _csv_separator(p)
            names = tuple(_csv_header(p, separator))
    except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
        raise _unreadable(p, fmt, exc) from None
    return InputFile(p, fmt, names, separator)


_SEPARATORS = (",", ";", "\t")
"""The column separators a CSV file may use."""
_KNOWN_COLUMNS = frozenset(INPUT_COLUMNS)


def _csv_separator(path: Path) -> str:
    """The separator of the header line: the one that splits it into the most column names
    nelm knows (``case_id`` at least), then into the most columns; a comma on a tie. No
    known name holds a comma, a semicolon or a tab, so a semicolon-separated header read
    with commas is one unknown name."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline(1 << 20)

    def score(separator: str) -> tuple[int, int]:
        names = next(csv.reader([first], delimiter=separator), [])
        return sum(name.strip() in _KNOWN_COLUMNS for name in names), len(names)

    with _any_cell_length():
        return max(_SEPARATORS, key=score)  # max keeps the first of equals: the comma


def _csv_header(path: Path, separator: str = ",") -> list[str]:
    """The header's column names as written (repeated ones included)."""
    try:
        with _any_cell_length(), open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter=separator), None)
    except UnicodeDecodeError:
        raise InputRejected([Problem(str(path), "a CSV file in UTF-8", _not_utf8(path))]) from None
    except csv.Error as exc:
        raise _unreadable(path, "csv", exc) from None
    if not header:
        raise InputRejected([Problem(str(path), "a CSV file with a header row", "no header row")])
    return header


# --------------------------------------------------------------------------- output


class Sink(ABC):
    """Appends frames of one schema to a file opened at a temporary path."""

    @abstractmethod
    def write(self, frame: pl.DataFrame) -> None:
        """Append one chunk."""

    @abstractmethod
    def close(self) -> None:
        """Finish the file."""


class ParquetSink(Sink):
    """Parquet, one row group per chunk written (zstd).

    Enumerations (statuses, grades, reasons) are written as Parquet dictionaries holding
    only the values a chunk uses; column statistics are kept for the plain columns only
    (for the dictionary-encoded ones they would double the cost of writing and help no
    reader).
    """

    def __init__(self, path: Path, schema: dict[str, pl.DataType]) -> None:
        self._schema = pl.DataFrame(schema=schema).to_arrow().schema
        plain = [
            name
            for name, dtype in schema.items()
            if not isinstance(dtype, pl.Enum | pl.Categorical | pl.Struct | pl.List)
        ]
        self._writer = pq.ParquetWriter(
            path, self._schema, compression="zstd", write_statistics=plain
        )
        self._dictionaries: dict[str, Any] = {}

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height:
            arrays = [self._array(frame.get_column(f.name), f) for f in self._schema]
            self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def _array(self, series: pl.Series, field: Any) -> Any:
        """A column as Arrow: an Enum from its codes (no string is touched)."""
        dtype = series.dtype
        if isinstance(dtype, pl.Struct):
            children = [self._array(series.struct.field(f.name), f) for f in field.type]
            missing = series.is_null()
            mask = pa.array(missing.to_numpy()) if missing.any() else None
            return pa.StructArray.from_arrays(children, fields=list(field.type), mask=mask)
        if not isinstance(dtype, pl.Enum):
            return series.to_arrow().cast(field.type)
        key = f"{field.name}:{len(dtype.categories)}"
        if key not in self._dictionaries:
            self._dictionaries[key] = pa.array(
                dtype.categories.to_list(), type=field.type.value_type
            )
        dictionary = self._dictionaries[key]
        codes = series.to_physical()
        if len(dictionary) > 256:  # keep only the values this chunk uses
            codes, used = _compact(codes, len(dictionary))
            dictionary = dictionary.take(pa.array(used))
        indices = codes.to_arrow().cast(field.type.index_type)
        return pa.DictionaryArray.from_arrays(indices, dictionary, ordered=field.type.ordered)

    def close(self) -> None:
        self._writer.close()


class _Closed(Sink):
    """The sink of a reserved path: whoever wrote it has closed it."""

    def write(self, frame: pl.DataFrame) -> None:
        raise TypeError("a reserved path is written by someone else, not through its sink")

    def close(self) -> None:
        pass


def _compact(codes: pl.Series, size: int) -> tuple[pl.Series, Any]:
    """Codes renumbered over the values they use, and those values' old codes."""
    valid = codes.drop_nulls().to_numpy()
    used = np.zeros(size, dtype=bool)
    used[valid] = True
    kept = np.flatnonzero(used)
    renumber = np.zeros(
        size, dtype=codes.to_numpy().dtype if codes.null_count() == 0 else valid.dtype
    )
    renumber[kept] = np.arange(len(kept))
    new = pl.Series(codes.name, renumber).gather(codes)
    return new, kept


def as_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns as CSV holds them: a list as ``a;b``; a struct as
    ``field:value;field:value`` over its non-null fields; text a spreadsheet would run as a
    formula after a single quote."""
    exprs = text_column_exprs(frame.schema)
    return frame.with_columns(exprs) if exprs else frame


# A cell a spreadsheet would run as a formula: "=HYPERLINK(…)" as a case id, opened in
# Excel or LibreOffice (OWASP, "CSV Injection"). Such a text cell is written after a single
# quote, which spreadsheets show and do not run; a number ("-12", "+3.5") is left as it is.
_FORMULA_START = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"


def _spreadsheet_safe(col: pl.Expr) -> pl.Expr:
    risky = col.str.contains(_FORMULA_START) & ~col.str.contains(_NUMBER)
    return pl.when(risky).then(pl.lit("'") + col).otherwise(col)


def text_column_exprs(schema: pl.Schema) -> list[pl.Expr]:
    """The expressions of :func:`as_text_columns`, for a lazy query; text that a
    spreadsheet would run as a formula is written after a single quote."""
    exprs = []
    for name, dtype in schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            exprs.append(_spreadsheet_safe(col).alias(name))
        elif isinstance(dtype, pl.List):
            exprs.append(col.cast(pl.List(pl.String)).list.join(LIST_SEPARATOR))
        elif isinstance(dtype, pl.Struct):
            exprs.append(
                pl.concat_str(
                    [
                        pl.concat_str(
                            pl.lit(f"{f.name}:"), col.struct.field(f.name).cast(pl.String)
                        )
                        for f in dtype.fields
                    ],
                    separator=LIST_SEPARATOR,
                    ignore_nulls=True,
                ).alias(name)
            )
    return exprs


class CsvSink(Sink):
    """CSV with a header row (written even when no row follows); nested columns as text."""

    def __init__(self, path: Path, schema: dict[str, pl.DataType]) -> None:
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close()
        as_text_columns(pl.DataFrame(schema=schema)).write_csv(self._handle)

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height:
            as_text_columns(frame).write_csv(self._handle, include_header=False)

    def close(self) -> None:
        self._handle.close()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _sink(path: Path, fmt: Format, schema: dict[str, pl.DataType]) -> Sink:
    return ParquetSink(path, schema) if fmt == "parquet" else CsvSink(path, schema)


def put_in_place(moves: list[tuple[Path, Path]]) -> None:
    """Rename each finished file onto its target, the last one (a run's results) last,
    after removing an earlier run's file there first: a run stopped between two renames
    (Ctrl+C, a power cut) then leaves no results file, never this run's rejects or
    warnings beside an earlier run's results (or its results beside an earlier run's
    warnings). A results file in place means its rejects and warnings files are complete
    and of the same run."""
    if not moves:
        return
    Path(moves[-1][1]).unlink(missing_ok=True)
    for tmp, target in moves:
        os.replace(tmp, target)


@dataclass
class Outputs:
    """The files a run writes, each at a temporary path until :meth:`commit`.

    Use as a context manager: leaving it by an exception removes every temporary file.
    """

    _pending: list[tuple[Path, Path, Sink]] = field(default_factory=list)
    _done: bool = False

    def open(
        self, target: str | Path, schema: dict[str, pl.DataType], fmt: Format | None = None
    ) -> Sink:
        path = Path(target)
        directory = path.parent if str(path.parent) else Path(".")
        if not directory.is_dir():
            raise InputRejected([Problem("-o", "a file in an existing directory", str(target))])
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            sink = _sink(Path(tmp), fmt or file_format(path, "-o"), schema)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending.append((Path(tmp), path, sink))
        return sink

    def reserve(self, target: str | Path) -> Path:
        """A temporary path for ``target`` that someone else writes (e.g. a polars sink)."""
        path = Path(target)
        directory = path.parent if str(path.parent) else Path(".")
        if not directory.is_dir():
            raise InputRejected([Problem("-o", "a file in an existing directory", str(target))])
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        self._pending.append((Path(tmp), path, _Closed()))
        return Path(tmp)

    def commit(self) -> None:
        """Close every file and put each in place (``put_in_place``: the last one opened,
        the results, last)."""
        for _, _, sink in self._pending:
            sink.close()
        mode = 0o666 & ~_umask()
        for tmp, _, _ in self._pending:
            os.chmod(tmp, mode)  # mkstemp made it private; give it the usual mode
        put_in_place([(tmp, target) for tmp, target, _ in self._pending])
        self._done = True

    def abort(self) -> None:
        for tmp, _, sink in self._pending:
            with contextlib.suppress(Exception):  # the file is removed next anyway
                sink.close()
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is not None or not self._done:
            self.abort()
