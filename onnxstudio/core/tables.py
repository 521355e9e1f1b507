"""Text tables (``.csv``, ``.tsv``) as model inputs: a column or the whole table, typed and shaped for one input.

What a tabular model's user has at hand is a spreadsheet export, not a ``.npy``. A table is read with the stdlib
``csv`` module (delimiter sniffed among ``,`` ``;`` tab ``|``; a header told apart from data; pandas' unnamed
index column left out), then:

- a column is picked by name (``FILE.csv:COLUMN``, or the column named like the input: skl2onnx gives each
  feature column an input of its own, so one file feeds them all), else every column is taken (a header's
  text-only columns, such as a label, are left out of a numeric input);
- cells become the input's element type (empty cells NaN for floats; ``1,5`` read as 1.5 in a ``;`` table);
- the rows are the batch: one row of a 784-column table is a ``[1, 1, 28, 28]`` picture, and a 28 x 28 table is
  one too; a column of values fills a ``[1, N]`` row.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from onnxstudio.core.dtypes import numpy_dtype
from onnxstudio.core.errors import InputError
from onnxstudio.core.values import ValueSpec

TABLE_SUFFIXES = (".csv", ".tsv")
_SNIFF_BYTES = 64 * 1024
_INDEX_NAMES = frozenset({"", "Unnamed: 0", "index"})  # pandas' to_csv writes its index under an empty name
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


@dataclass
class Table:
    """A table's cells as text: ``header`` None when the first row is data; every row as wide as the first."""

    header: list[str] | None
    rows: list[list[str]]
    delimiter: str
    notes: list[str] = field(default_factory=list)
    offset: int = 0  # columns of the file left out before the first one here (pandas' index)

    @property
    def width(self) -> int:
        return len(self.header) if self.header is not None else (len(self.rows[0]) if self.rows else 0)


def is_table(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def _number(cell: str) -> bool:
    try:
        float(cell.replace(",", ".", 1) if cell.count(",") == 1 and "." not in cell else cell)  # 2,5 too
    except ValueError:
        return False
    return True


def _text(path: Path, limit: int | None = None) -> str:
    if limit is None:
        data = path.read_bytes()
    else:
        with path.open("rb") as f:
            data = f.read(limit)
        data = data[:data.rfind(b"\n") + 1] or data  # whole lines only
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")  # Excel's plain "CSV" on Windows


def _delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if len(lines) > 1 and len(sample) >= _SNIFF_BYTES:
        lines.pop()  # cut short by the sample
    # The first candidate that splits every line into the same number (> 1) of cells: a tab or a semicolon
    # before a comma, which is a decimal point where semicolons separate (1;2,5;3).
    for d in "\t;|,":
        try:
            widths = {len(r) for r in csv.reader(lines, delimiter=d)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() > 1:
            return d
    return ","  # one column, or rows of uneven width (said when they are read)


def _has_header(rows: list[list[str]], names: set[str], sniff: bool) -> bool:
    """The first row is a header when it names a wanted column, or (``sniff``: not for text, where a word over a
    number is data) when one of its columns is text over numbers (``age`` over ``31``)."""
    first = rows[0]
    if names & {c.strip() for c in first}:
        return True
    if not sniff or all(_number(c) or not c.strip() for c in first) or len(rows) == 1:
        return False
    rest = rows[1:50]
    return any(not _number(first[j]) and first[j].strip() and
               all(j < len(r) and (_number(r[j]) or not r[j].strip()) for r in rest)
               for j in range(len(first)))


def read_table(path: str | Path, names: set[str] | None = None, limit: int | None = None, sniff: bool = True
               ) -> Table:
    """The cells of a ``.csv``/``.tsv``; ``names``: column names that, if in the first row, make it a header (else
    ``sniff`` tells one by its text over numbers); ``limit``: read only the lines in the file's first bytes."""
    p = Path(path)
    try:
        text = _text(p, limit)
    except OSError as exc:
        raise InputError(f"cannot read {p.name}: {exc.strerror or exc}") from None
    delimiter = _delimiter(p, text[:_SNIFF_BYTES])
    try:
        # blank lines and a spreadsheet's rows of empty cells (,,,) are no data; one empty cell ("") is
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)
                if len(r) == 1 or any(c.strip() for c in r)]
    except csv.Error as exc:
        raise InputError(f"{p.name} is not a readable table: {exc}") from None
    if not rows:
        raise InputError(f"{p.name} holds no rows")
    header = [c.strip() for c in rows[0]] if _has_header(rows, names or set(), sniff) else None
    data = rows[1:] if header is not None else rows
    width = len(header) if header is not None else len(data[0])
    for i, r in enumerate(data):
        if len(r) != width:
            if len(r) == width + 1 and not r[-1].strip():
                r.pop()  # a trailing delimiter
                continue
            line = i + (2 if header is not None else 1)
            raise InputError(f"{p.name}: row {line} has {len(r)} cells, the {'header' if header else 'first row'} "
                             f"has {width}")
    table = Table(header, data, delimiter)
    if header is not None and width > 1 and header[0] in _INDEX_NAMES and all(
            r[0].strip() == str(i) for i, r in enumerate(data)):
        table.header = header[1:]
        table.rows = [r[1:] for r in data]
        table.offset = 1
        table.notes.append("the unnamed index column (0, 1, 2, ...) left out")
    return table


def table_columns(path: str | Path, names: set[str] | None = None) -> list[str]:
    """The header's column names ([] when there is none or the file cannot be read), from the file's start."""
    try:
        table = read_table(path, names, limit=_SNIFF_BYTES)
    except InputError:
        return []
    return table.header or []


def named_columns(path: str | Path, names: Sequence[str]) -> list[str]:
    """Those of ``names`` (inputs) that a table has a column of, in their order ([] for a file that is no table)."""
    if not is_table(path):
        return []
    columns = set(table_columns(path, set(names)))
    return [n for n in names if n in columns]


def _column_index(table: Table, key: str, name: str) -> int:
    if table.header is not None and key in table.header:
        return table.header.index(key)
    if key.isdigit() and int(key) < table.width:
        return int(key)
    have = ", ".join(table.header[:12]) + (" ..." if len(table.header) > 12 else "") if table.header else \
        f"no header; columns 0 to {table.width - 1}"
    raise InputError(f"input {name!r}: the table has no column {key!r} ({have})")


def _line(table: Table, row: int) -> int:
    return row + (2 if table.header is not None else 1)


def _floats(table: Table, cols: list[int], name: str, fname: str) -> np.ndarray:
    cells = [[r[j] for j in cols] for r in table.rows]
    try:
        return np.array(cells, dtype=np.float64).reshape(len(cells), len(cols))
    except ValueError:
        pass
    comma = table.delimiter == ";"  # a European spreadsheet's decimal comma: 1,5
    out = np.empty((len(cells), len(cols)), dtype=np.float64)
    for i, r in enumerate(cells):
        for k, c in enumerate(r):
            c = c.strip()
            if not c:
                out[i, k] = math.nan
                continue
            try:
                out[i, k] = float(c.replace(",", ".") if comma else c)
            except ValueError:
                col = table.header[cols[k]] if table.header else str(cols[k])
                raise InputError(f"input {name!r}: {fname} row {_line(table, i)}, column {col!r}: {c[:40]!r} is "
                                 "not a number") from None
    return out


def _values(table: Table, cols: list[int], spec: ValueSpec, fname: str) -> np.ndarray:
    name, dtype = spec.name, spec.dtype
    if dtype == "string":
        return np.array([[r[j] for j in cols] for r in table.rows], dtype=object).reshape(len(table.rows), len(cols))
    if dtype == "bool":
        out = np.empty((len(table.rows), len(cols)), dtype=bool)
        for i, r in enumerate(table.rows):
            for k, j in enumerate(cols):
                c = r[j].strip().lower()
                if c not in _TRUE and c not in _FALSE:
                    raise InputError(f"input {name!r}: {fname} row {_line(table, i)}: {r[j][:40]!r} is not true or "
                                     "false")
                out[i, k] = c in _TRUE
        return out
    values = _floats(table, cols, name, fname)
    target = numpy_dtype(dtype)
    if target.kind in "iu":
        if not np.isfinite(values).all() or (values != np.round(values)).any():
            i, k = np.argwhere(~np.isfinite(values) | (values != np.round(values)))[0]
            raise InputError(f"input {name!r}: {fname} row {_line(table, int(i))}: "
                             f"{table.rows[int(i)][cols[int(k)]].strip()[:40]!r} is not an integer (the input is "
                             f"{dtype})")
        info = np.iinfo(target)
        outside = np.argwhere((values < info.min) | (values > info.max))
        if outside.size:
            i, k = (int(x) for x in outside[0])
            raise InputError(f"input {name!r}: {fname} row {_line(table, i)}: {table.rows[i][cols[k]].strip()[:40]} "
                             f"is outside {dtype}'s range ({info.min} to {info.max})")
        if all(c.strip().lstrip("-").isdigit() for r in table.rows for c in (r[j] for j in cols)):
            return np.array([[int(r[j]) for j in cols] for r in table.rows], dtype=target).reshape(values.shape)
    return values.astype(target)


def _inner_dims(spec: ValueSpec, dims: dict[str, int]) -> list[int | None]:
    """The input's dims after the batch: fixed, set in ``dims``, or None (free)."""
    return [d if isinstance(d, int) and d > 0 else dims.get(d) if isinstance(d, str) else None
            for d in (spec.shape or ())[1:]]


def _shaped(spec: ValueSpec, values: np.ndarray, dims: dict[str, int]) -> np.ndarray:
    """The table's [rows, columns] in the input's rank: see the module's docstring."""
    shape = spec.shape
    if shape is None:
        return values[:, 0] if values.shape[1] == 1 else values
    rank = len(shape)
    rows, cols = values.shape
    if rank == 0:
        return values.reshape(()) if values.size == 1 else values
    if rank == 1:
        return values.reshape(-1) if 1 in (rows, cols) else values
    if rank == 2:
        fixed = shape[1] if isinstance(shape[1], int) and shape[1] > 0 else None
        if cols == 1 and fixed is not None and fixed == rows and fixed != 1:
            return values.reshape(1, rows)  # one value per line for a [1, N] row
        return values
    inner = _inner_dims(spec, dims)
    for count, batch in ((cols, rows), (rows * cols, 1)):  # each row one item; else the table one item
        free = [i for i, d in enumerate(inner) if d is None]
        known = math.prod(d for d in inner if d is not None)
        if not known or count % known or len(free) > 1 or (not free and count != known):
            continue
        if batch > 1 and isinstance(shape[0], int) and shape[0] > 0 and shape[0] != batch:
            continue
        sizes = [count // known if d is None else d for d in inner]
        return values.reshape(batch, *sizes)
    return values


_LABEL_NAME = re.compile(r"^(label|labels|target|targets|class|classes|y|species|category|outcome)$", re.IGNORECASE)


def _per_row(spec: ValueSpec, dims: dict[str, int]) -> int | None:
    """How many values one row of the table gives the input (its dims after the batch), where the shape says."""
    if spec.shape is None or len(spec.shape) < 2:
        return None
    inner = _inner_dims(spec, dims)
    return math.prod(inner) if all(inner) else None  # type: ignore[arg-type]


def _columns(table: Table, spec: ValueSpec, column: str | None, name: str, dims: dict[str, int]
             ) -> tuple[list[int], list[str]]:
    """The table's columns for ``spec`` (see the module's docstring) and what to say of the choice; a column
    named like the answer (label, target, class, y) is left out of the features where that makes a row fit
    (Kaggle's MNIST: a label and 784 pixels for [N, 1, 28, 28])."""
    said = []
    if column is not None:
        cols = [_column_index(table, column, spec.name)]
    elif table.header is not None and spec.name in table.header:
        cols = [table.header.index(spec.name)]
        if table.width > 1:
            said.append(f"column {spec.name!r} of {name}")
    else:
        cols = list(range(table.width))
        said += [f"{name}: {n}" for n in table.notes]  # of the whole table only: a named column has no index
        if table.header is not None and spec.dtype not in ("string", "bool"):
            text = [j for j in cols if not any(_number(r[j]) for r in table.rows[:200])]
            if text and len(text) < len(cols):
                cols = [j for j in cols if j not in text]  # a label column beside the features
                said.append(f"{name}: text column{'s' if len(text) > 1 else ''} "
                            f"{', '.join(repr(table.header[j]) for j in text[:5])} left out")
        want = _per_row(spec, dims)
        answers = [j for j in cols if table.header is not None and _LABEL_NAME.match(table.header[j])]
        if want is not None and answers and len(cols) != want and len(cols) - len(answers) == want:
            cols = [j for j in cols if j not in answers]
            said.append(f"{name}: column{'s' if len(answers) > 1 else ''} "
                        f"{', '.join(repr(table.header[j]) for j in answers)} left out (the answer, not a feature)")
    return cols, said


def _load_numbers(path: Path, table: Table, cols: list[int], dtype: str) -> np.ndarray | None:
    """A large table's numbers through numpy's C reader (a 118 MB, 33-million-cell table: ~1.5 s as integers
    against ~20 s cell by cell), with the header, delimiter and columns found in its first lines; None where it
    needs the cell-by-cell reader (empty cells, decimal commas, a text column, a row of another width), which
    also says what is wrong."""
    target = numpy_dtype(dtype)
    if target.kind not in "iufV" or (table.delimiter == ";" and any("," in c for r in table.rows for c in r)):
        return None
    integers = not any(ch in c for r in table.rows for c in r for ch in ".eEnNiI")
    for kind in (np.int64, np.float64) if integers else (np.float64,):
        try:  # every column, so that a row of another width is refused here as it is cell by cell
            every = np.loadtxt(path, delimiter=table.delimiter, skiprows=1 if table.header is not None else 0,
                               dtype=kind, ndmin=2, quotechar='"', comments=None, encoding="utf-8-sig")
        except (ValueError, UnicodeError, OverflowError):
            continue
        if every.shape[1] != table.width + table.offset:
            return None
        values = every[:, [j + table.offset for j in cols]]
        if target.kind in "iu" and ((values.dtype.kind == "f" and not (
                np.isfinite(values).all() and (values == np.round(values)).all()))
                or values.min(initial=0) < np.iinfo(target).min or values.max(initial=0) > np.iinfo(target).max):
            return None  # not integers, or outside the type's range: the cell-by-cell reader names the cell
        return values.astype(target)
    return None


def table_value(spec: ValueSpec, path: str | Path, column: str | None = None,
                dims: dict[str, int] | None = None, notes: list[str] | None = None) -> np.ndarray:
    """One input's array from a table (see the module's docstring); what was chosen or left out of it is added
    to ``notes`` (``input 'age': column 'age' of titanic.csv``)."""
    p = Path(path)
    names, sniff = {column or spec.name}, spec.dtype != "string"
    try:
        large = p.stat().st_size > _SNIFF_BYTES
    except OSError as exc:
        raise InputError(f"cannot read {p.name}: {exc.strerror or exc}") from None
    table = read_table(p, names, limit=_SNIFF_BYTES if large else None, sniff=sniff)  # its first lines if large
    if not table.rows:
        raise InputError(f"input {spec.name!r}: {p.name} has a header but no rows")
    cols, said = _columns(table, spec, column, p.name, dims or {})
    values = _load_numbers(p, table, cols, spec.dtype) if large else None
    if values is None:
        if large:  # cell by cell, the whole file
            table = read_table(p, names, sniff=sniff)
            cols, said = _columns(table, spec, column, p.name, dims or {})
        values = _values(table, cols, spec, p.name)
    if notes is not None:
        notes.extend(f"input {spec.name!r}: {n}" for n in said)
    return _shaped(spec, values, dims or {})


def _cell(value: object) -> str:
    """A cell's text: numpy's shortest form that reads back as the same value in the tensor's own float type
    (float32's 109.28, not 109.279999), 1/0 for booleans."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def write_table(path: str | Path, value: np.ndarray) -> Path:
    """A tensor as a ``.csv`` a spreadsheet opens: a vector as one column, a matrix as it is, a higher rank as
    one row per item of its first axis (the rest flattened, C order); floats in the fewest digits that read
    back the same value. Read back with :func:`table_value` into the same shape."""
    arr = np.asarray(value)
    if arr.dtype.kind == "V":
        arr = arr.astype(np.float32)  # ml_dtypes' bfloat16/float8 as float32
    rows = arr.reshape(1, 1) if arr.ndim == 0 else arr.reshape(-1, 1) if arr.ndim == 1 else \
        arr.reshape(arr.shape[0], -1)
    p = Path(path)
    with p.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow([_cell(v) for v in (row.tolist() if rows.dtype.kind in "biu" else row)])
    return p
