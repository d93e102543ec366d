"""Reading and validating the input tables (data contract) into a `Dataset`.

Everything is checked here, before any stage writes anything: a bad file raises
`InputError` naming the file, the column and the first offending lines (CSV: 1-based line
numbers, header = line 1, counting one record per line; Parquet: 1-based row numbers).

Ids and other codes are always read as strings (leading zeros survive); empty cells
become <NA>; timestamps become tz-aware UTC (no zone = UTC). The `requests` table is
streamed in chunks and reduced to `RequestAggregates` on the fly, so memory is bounded by
the aggregates, not by the raw table.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gzip
import hashlib
import ipaddress
import os
import queue
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from linker import contract, kinds
from linker.contract import Column, TableSpec
from linker.errors import InputError
from linker.ingest.normalize import normalize_ip
from linker.model import (
    _DTYPES,
    INTEGER,
    STRING,
    TIMESTAMP,
    Dataset,
    IngestInfo,
    RequestAggregates,
    empty_frame,
)
from linker.progress import Reporter, plural, reporter_for

DEFAULT_CHUNK_BYTES = 32 << 20      # CSV block size when streaming `requests`
DEFAULT_CHUNK_ROWS = 1_000_000      # Parquet batch size when streaming `requests`
_COMPACT_ROWS = 4_000_000           # merge partial aggregates once they exceed this many rows
_SHOWN = 3                          # offending values quoted in a message
_WORKERS = max(1, min(4, os.cpu_count() or 1))  # threads reducing request aggregates

IDENTIFIER_KINDS = kinds.request_columns()  # request identifiers aggregated per account


# ---- locating and opening files ----------------------------------------------------------


def _arrow(values: Any) -> pa.Array:
    """One contiguous Arrow array of a pandas array or series: Arrow-backed pandas columns
    (e.g. read from Parquet with several row groups) hand out a ChunkedArray, which the
    compute kernels used here (concat_arrays, index_in value sets) do not take."""
    arr = pa.array(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def find_table(data_dir: Path, name: str) -> Path | None:
    """The file holding table `name` (NAME.parquet / NAME.csv / NAME.csv.gz), or None.
    Two forms of the same table are ambiguous and rejected."""
    found = [data_dir / f"{name}{sfx}" for sfx in contract.TABLE_SUFFIXES]
    # A dangling or looping symlink is a broken table, not an absent one: keep it, so that
    # opening it fails with a clear message instead of the table being silently skipped.
    found = [p for p in found if p.exists() or p.is_symlink()]
    if len(found) > 1:
        raise InputError(
            f"table '{name}' is given in {len(found)} forms ({', '.join(p.name for p in found)});"
            " keep exactly one", file=str(data_dir))
    return found[0] if found else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class _Source:
    """A table file opened for reading: its columns (as named in the file, stripped), which
    of them the contract knows, and how positions are called in messages."""

    path: Path
    spec: TableSpec
    names: list[str]
    is_parquet: bool
    # per text column: (dictionary, codes, dtype of the cleaned values) of the last coded chunk
    cleaned: dict[str, tuple[pa.Array, np.ndarray, pd.CategoricalDtype]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.path)

    @property
    def extra(self) -> list[str]:
        known = set(self.spec.column_names)
        return [n for n in self.names if n not in known]

    def position(self, index: np.ndarray, offset: int) -> list[int]:
        """1-based positions as a person finds them: CSV line (header = 1), Parquet row."""
        return [int(i) + offset + (1 if self.is_parquet else 2) for i in index]

    def fail(self, message: str, column: str | None, index: np.ndarray, offset: int) -> InputError:
        pos = self.position(index[:10], offset)
        if self.is_parquet:
            err = InputError(f"row(s) {', '.join(map(str, pos))}: {message}",
                             file=self.label, column=column)
            err.lines = pos
            return err
        return InputError(message, file=self.label, column=column, lines=pos)


def _open_source(path: Path, spec: TableSpec) -> _Source:
    """Check the file is a readable, non-empty table with the required columns."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        what = "broken symbolic link" if path.is_symlink() else "cannot read file"
        raise InputError(f"{what} ({exc.strerror})", file=str(path)) from exc
    if not path.is_file():
        raise InputError("not a regular file", file=str(path))
    if size == 0:
        raise InputError("empty file (expected a header line with the column names)",
                         file=str(path))
    is_parquet = path.name.endswith(".parquet")
    if is_parquet:
        try:
            names = [n.strip() for n in pq.ParquetFile(path).schema_arrow.names]
        except Exception as exc:  # pyarrow raises several types for a non-Parquet file
            raise InputError(f"not a readable Parquet file ({_short(exc)})",
                             file=str(path)) from exc
    else:
        names = _csv_header(path)
    src = _Source(path, spec, names, is_parquet)
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"duplicate column name(s) {dupes}", file=src.label)
    missing = [c for c in spec.required_columns if c not in names]
    if missing:
        raise InputError(
            f"missing required column(s) {missing} (found: {names})",
            file=src.label, column=missing[0])
    return src


def _csv_header(path: Path) -> list[str]:
    opener: Callable[..., Any] = gzip.open if path.name.endswith(".gz") else open
    try:  # the first line only: the rows' text is checked (with line numbers) by the reader
        with opener(path, "rb") as f:
            first = f.readline(1 << 20).decode("utf-8-sig")
            header = next(csv.reader([first]), None)
    except (OSError, EOFError, csv.Error, zlib.error) as exc:
        raise InputError(f"not a readable CSV file ({_short(exc)})", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not a readable CSV file: the header line is not UTF-8 text",
                         file=str(path), lines=[1]) from exc
    if not header or not any(h.strip() for h in header):
        raise InputError("empty file (expected a header line with the column names)",
                         file=str(path))
    return [h.strip() for h in header]


def _short(exc: BaseException) -> str:
    """First line of a library error, cut short (ragged rows, whose text the CSV parser would
    quote, are reported by line number instead)."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _iter_batches(src: _Source, chunk_bytes: int, chunk_rows: int) -> Iterator[pa.Table]:
    """Stream the table as Arrow batches of the contract columns only (CSV: all strings)."""
    wanted = [n for n in src.names if n in set(src.spec.column_names)]
    if src.is_parquet:
        pf = pq.ParquetFile(src.path)
        raw = pf.schema_arrow.names
        cols = [r for r in raw if r.strip() in wanted]
        for batch in pf.iter_batches(batch_size=chunk_rows, columns=cols):
            t = pa.Table.from_batches([batch])
            yield t.rename_columns([c.strip() for c in t.column_names])
        return
    bad: list[tuple[int | None, int, int]] = []

    def on_bad_row(row: Any) -> str:
        bad.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    header_len = len(",".join(src.names).encode()) + 64
    reader = pa_csv.open_csv(
        src.path,
        read_options=pa_csv.ReadOptions(column_names=src.names, skip_rows=1, use_threads=False,
                                        block_size=max(chunk_bytes, header_len)),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=on_bad_row),
        convert_options=pa_csv.ConvertOptions(
            # binary, not string: invalid UTF-8 is then found per value, with its line number
            column_types={n: pa.binary() for n in src.names}, include_columns=wanted,
            strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""]),
    )
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        if bad:
            break
        yield pa.Table.from_batches([batch])
    if bad:
        number, expected, actual = bad[0]
        lines = [n for n, _, _ in bad if n is not None]
        raise InputError(f"expected {expected} fields, found {actual}", file=src.label,
                         lines=lines)


def _read_all(src: _Source) -> pa.Table:
    try:
        if src.is_parquet:
            pf = pq.ParquetFile(src.path)
            t = pf.read(columns=[r for r in pf.schema_arrow.names
                                 if r.strip() in set(src.spec.column_names)])
            return t.rename_columns([c.strip() for c in t.column_names])
        batches = list(_iter_batches(src, DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_ROWS))
    except InputError:
        raise
    except (pa.ArrowException, OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        raise InputError(f"cannot read table ({_short(exc)})", file=src.label) from exc
    if not batches:
        return pa.table({n: pa.array([], pa.string()) for n in src.names
                         if n in set(src.spec.column_names)})
    return pa.concat_tables(batches)


# ---- typing and validating a block of rows -----------------------------------------------

# ISO 8601 as the contract allows it: a date, optionally a time, optionally a zone. Checked
# before pandas parses, because pandas also reads words such as "now" and "today" (as the
# wall-clock time) and raises, rather than reporting, on years it cannot represent.
_ISO_8601 = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
             r"([Tt ][0-9]{2}(:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?)?"
             r"([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$")
_TS_MIN = pd.Timestamp(contract.TIMESTAMP_MIN)
_TS_MAX = pd.Timestamp(contract.TIMESTAMP_MAX)
_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
_INT_LIMIT = 2**62  # integers without a documented bound: far from int64 wrap-around


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _is_binary(t: pa.DataType) -> bool:
    return pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t)


def _is_nested(t: pa.DataType) -> bool:
    return (pa.types.is_nested(t) or pa.types.is_union(t)
            or (pa.types.is_dictionary(t) and _is_nested(t.value_type)))


def _check_type(src: _Source, col: Column, arr: pa.ChunkedArray, offset: int) -> None:
    """Lists, structs and maps are no contract type: reject the column, naming its rows."""
    if _is_nested(arr.type):
        rows = np.flatnonzero(pc.is_valid(arr).to_numpy(zero_copy_only=False))
        raise src.fail(f"holds {arr.type} values; expected a {col.type} per cell",
                       col.name, rows if len(rows) else np.arange(1), offset)


def _first_bad_utf8(arr: pa.Array) -> int:
    """Index of the first value of a binary array that is not valid UTF-8 (bisection over
    whole-array casts, so no Python loop over rows)."""
    lo, hi = 0, len(arr)  # arr[:lo] is valid, arr[:hi] is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            pc.cast(arr.slice(0, mid), pa.string())
            lo = mid
        except pa.ArrowInvalid:
            hi = mid
    return hi - 1


def _decode(src: _Source, col: str, arr: pa.ChunkedArray, offset: int) -> pa.ChunkedArray:
    """Binary cells as UTF-8 strings; invalid UTF-8 is reported with its line / row."""
    try:
        return pc.cast(arr, pa.string())
    except pa.ArrowInvalid:
        pass
    flat = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    bad = _first_bad_utf8(flat)
    raise src.fail("not valid UTF-8 text (save the file as UTF-8)", col, np.array([bad]), offset)


def _strings(src: _Source, col: str, arr: pa.ChunkedArray, offset: int) -> pa.ChunkedArray:
    """Stripped strings with empty → null, from any flat Arrow type (Parquet may hold ints)."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if _is_binary(arr.type):
        arr = _decode(src, col, arr, offset)
    elif not _is_text(arr.type):
        try:
            arr = pc.cast(arr, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise InputError(f"cannot read {arr.type} values as text ({_short(exc)})",
                             file=src.label, column=col) from exc
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _mask(arr: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A boolean Arrow result as numpy, null = False."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool)


def _fail_range(src: _Source, col: str, shown: list[str], bad: np.ndarray,
                offset: int) -> InputError:
    return src.fail(f"timestamp {', '.join(repr(v) for v in shown[:_SHOWN])} out of range"
                    f" (expected {contract.TIMESTAMP_MIN[:10]} <= t < "
                    f"{contract.TIMESTAMP_MAX[:10]})", col, bad, offset)


def _timestamps(src: _Source, col: str, arr: pa.ChunkedArray, offset: int) -> pd.Series:
    t = arr.type
    if pa.types.is_date(t):  # days (date32) or ms (date64): no time of day, no zone
        arr, t = pc.cast(arr, pa.timestamp("s" if pa.types.is_date32(t) else "ms")), None
    if t is None or pa.types.is_timestamp(t):
        unit = arr.type.unit
        ints = pc.cast(arr, pa.int64())
        lo, hi = -(-_TS_MIN.value // _NS_PER[unit]), -(-_TS_MAX.value // _NS_PER[unit])
        bad = np.flatnonzero(_mask(pc.or_(pc.less(ints, lo), pc.greater_equal(ints, hi))))
        if len(bad):  # shown as stored (raw units: pandas cannot represent them)
            shown = [f"{v} {unit} since 1970" for v in
                     ints.take(pa.array(bad[:_SHOWN])).to_pylist()]
            raise _fail_range(src, col, shown, bad, offset)
        s = arr.to_pandas()
        tz = getattr(arr.type, "tz", None)
        s = s.dt.tz_localize("UTC") if tz is None else s.dt.tz_convert("UTC")
        return s.astype(TIMESTAMP)
    strs = _strings(src, col, arr, offset)
    text = _text(strs)
    given = text.notna().to_numpy()
    iso = _mask(pc.match_substring_regex(strs, _ISO_8601))
    year = pc.cast(pc.utf8_slice_codeunits(pc.if_else(pa.array(iso), strs, "0000"), 0, 4),
                   pa.int64())
    in_range = _mask(pc.and_(pc.greater_equal(year, _TS_MIN.year), pc.less(year, _TS_MAX.year)))
    parsed = pd.to_datetime(text.where(iso & in_range), utc=True, format="ISO8601",
                            errors="coerce")
    bad = np.flatnonzero(given & ~iso | (iso & in_range & parsed.isna().to_numpy()))
    if len(bad):
        shown = ", ".join(repr(v) for v in text.iloc[bad[:_SHOWN]])
        raise src.fail(f"unparseable timestamp {shown} (expected ISO 8601, e.g. "
                       "2024-05-01T12:00:00Z)", col, bad, offset)
    # Out of range by year, or moved over the edge by a zone offset.
    late = ((parsed < _TS_MIN) | (parsed >= _TS_MAX)).fillna(False).to_numpy(dtype=bool)
    bad = np.flatnonzero(given & (~in_range | late))
    if len(bad):
        raise _fail_range(src, col, list(text.iloc[bad[:_SHOWN]]), bad, offset)
    return parsed.astype(TIMESTAMP)


def _text(arr: pa.ChunkedArray) -> pd.Series:
    """Arrow strings → pandas nullable strings (<NA> for null)."""
    mapper = {pa.string(): STRING, pa.large_string(): STRING}.get
    return arr.to_pandas(types_mapper=mapper).astype(STRING)


def _integers(src: _Source, col: Column, arr: pa.ChunkedArray, offset: int) -> pd.Series:
    """Integers in [0, the column's bound]; anything else (2^63 and beyond, 1e30, uint64
    values, fractions, words) is reported, never wrapped or cast unsafely."""
    limit = col.max_value if col.max_value is not None else _INT_LIMIT
    as_int = {pa.int64(): pd.Int64Dtype()}.get
    values: pd.Series | None = None
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if pa.types.is_integer(arr.type):
        wide = pa.uint64() if pa.types.is_unsigned_integer(arr.type) else pa.int64()
        arr = pc.cast(arr, wide)
        over = np.flatnonzero(_mask(pc.greater(arr, pa.scalar(limit, wide))))
        if len(over):
            shown = ", ".join(str(v) for v in arr.take(pa.array(over[:_SHOWN])).to_pylist())
            raise src.fail(f"value {shown} too large (at most {limit:,})", col.name, over, offset)
        values = pc.cast(arr, pa.int64()).to_pandas(types_mapper=as_int)
    elif pa.types.is_floating(arr.type) or pa.types.is_decimal(arr.type):
        text = pd.Series(pc.cast(arr, pa.float64()).to_pandas(), dtype="float64")
    else:
        strs = _strings(src, col.name, arr, offset)
        text = _text(strs)
        try:  # fast path: plain integers throughout
            values = pc.cast(strs, pa.int64()).to_pandas(types_mapper=as_int)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = None
    if values is None:
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        ok = (num == np.floor(num)) & np.isfinite(num)
        bad = np.flatnonzero((text.notna() & ~ok).to_numpy())
        if len(bad):
            shown = ", ".join(repr(v) for v in text.iloc[bad[:_SHOWN]])
            raise src.fail(f"not an integer: {shown}", col.name, bad, offset)
        for mask, what in ((num < 0, "negative value {} (expected an integer >= 0)"),
                           (num > limit, f"value {{}} too large (at most {limit:,})")):
            bad = np.flatnonzero(mask.to_numpy())
            if len(bad):
                shown = ", ".join(repr(v) for v in text.iloc[bad[:_SHOWN]])
                raise src.fail(what.format(shown), col.name, bad, offset)
        values = pd.Series(num.to_numpy(), dtype="float64").astype(INTEGER)
    neg = np.flatnonzero((values < 0).fillna(False).to_numpy())
    if len(neg):
        shown = ", ".join(repr(str(v)) for v in values.iloc[neg[:_SHOWN]])
        raise src.fail(f"negative value {shown} (expected an integer >= 0)", col.name, neg, offset)
    over = np.flatnonzero((values > limit).fillna(False).to_numpy())
    if len(over):
        shown = ", ".join(str(v) for v in values.iloc[over[:_SHOWN]])
        raise src.fail(f"value {shown} too large (at most {limit:,})", col.name, over, offset)
    return values.astype(INTEGER)


def _may_hold_line_breaks(arr: pa.ChunkedArray) -> bool:
    """Fast pre-check: scan the raw bytes of the string data for CR / LF (a memchr-speed
    numpy pass), so the per-value search runs only when one is there."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for chunk in chunks:
        data = chunk.buffers()[2] if len(chunk.buffers()) > 2 else None
        if data is not None and data.size:
            raw = np.frombuffer(data, dtype=np.uint8)
            if (raw == 10).any() or (raw == 13).any():
                return True
    return False


def _check_text(src: _Source, col: Column, arr: pa.ChunkedArray, offset: int) -> None:
    """Bound the length of text values (a megabyte 'capability' is an export error, and
    would break charts and pages) and, in CSV, reject line breaks inside values: they come
    from an unbalanced quote that swallowed the following lines into one cell."""
    if not src.is_parquet and _may_hold_line_breaks(arr):
        broken = np.flatnonzero(_mask(pc.match_substring_regex(arr, "[\r\n]")))
        if len(broken):
            raise src.fail("line break inside a value: an unbalanced quote (\") merges the "
                           "lines after it into one cell", col.name, broken, offset)
    if col.type != "string" or (pc.max(pc.binary_length(arr)).as_py() or 0) <= col.max_len:
        return  # bytes >= characters: nothing is too long
    long = np.flatnonzero(_mask(pc.greater(pc.utf8_length(arr), col.max_len)))
    if len(long):
        sizes = ", ".join(f"{n:,}" for n in pc.utf8_length(arr).take(pa.array(long[:_SHOWN]))
                          .to_pylist())
        raise src.fail(f"value too long ({sizes} characters; at most {col.max_len:,})",
                       col.name, long, offset)


def _distinct_first(arr: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """The column as one dictionary array: Parquet's own dictionary when the batch holds
    one, else Arrow's hash encoding (values in order of first appearance)."""
    if isinstance(arr, pa.ChunkedArray):
        if pa.types.is_dictionary(arr.type) and arr.num_chunks == 1:
            return arr.chunk(0)
        if pa.types.is_dictionary(arr.type):
            arr = arr.cast(arr.type.value_type)
        arr = arr.combine_chunks()
    return arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)


def _coded_text(src: _Source, col: Column, arr: pa.ChunkedArray, offset: int) -> pd.Series:
    """A text column as a pandas Categorical of its cleaned values (stripped, empty →
    <NA>): cleaning and checks run once per distinct value, not once per row — a request
    chunk of a million rows holds a few thousand keys, IPs and templates. A value that
    fails a check is reported by the per-row path, so messages name the same rows."""
    enc = _distinct_first(arr)
    cached = src.cleaned.get(col.name)
    if cached is None or not cached[0].equals(enc.dictionary):
        # (a Parquet file's dictionary is often one for the whole file: cleaned once)
        try:
            values = _strings(src, col.name, enc.dictionary, 0)
            _check_text(src, col, values, 0)
        except InputError:
            _check_text(src, col, _strings(src, col.name, arr, offset), offset)
            raise  # the per-row path found nothing (it always should): the first message
        value_codes, uniques = pd.factorize(_text(values))
        dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=STRING))
        src.cleaned[col.name] = (enc.dictionary, value_codes, dtype)
    value_codes, dtype = src.cleaned[col.name][1:]
    index = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    codes = np.where(index >= 0, value_codes[np.maximum(index, 0)], -1) if len(value_codes) \
        else np.full(len(index), -1, np.int64)
    # codes are in range and categories distinct by construction: no per-chunk re-check
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype, validate=False))


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(codes, distinct values) of a text column, -1 for <NA>; a Categorical (a coded
    request chunk) hands over its codes without hashing a single string."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        # only the categories in use: a file-wide dictionary holds far more
        codes = values.cat.codes.to_numpy(dtype=np.int64)
        used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
        compact = np.cumsum(used) - 1
        return (np.where(codes >= 0, compact[np.maximum(codes, 0)], -1),
                values.cat.categories[used])
    codes, uniques = pd.factorize(values.astype(STRING))
    return codes, pd.Index(uniques)


def _to_frame(src: _Source, table: pa.Table, offset: int = 0, coded: bool = False) -> pd.DataFrame:
    """Type and validate one block of a table into a frame with exactly the contract
    columns (absent optional columns as all-<NA>). `offset` = rows before this block.
    `coded`: text columns as Categoricals (`_coded_text`), for the request stream."""
    n = table.num_rows
    out: dict[str, pd.Series] = {}
    for col in src.spec.columns:
        if col.name not in table.column_names:
            out[col.name] = pd.Series(index=range(n), dtype=_DTYPES[col.type])  # all missing
            continue
        arr = table.column(col.name)
        _check_type(src, col, arr, offset)
        try:
            if coded and col.type == "string" and not pa.types.is_null(arr.type):
                out[col.name] = _required(src, col, _coded_text(src, col, arr, offset), offset)
                continue
            if col.type == "string" or not src.is_parquet:  # CSV cells are all text
                arr = _strings(src, col.name, arr, offset)
                _check_text(src, col, arr, offset)
            if col.type == "string":
                s = _text(arr)
            elif col.type == "timestamp":
                s = _timestamps(src, col.name, arr, offset)
            elif col.type == "integer":
                s = _integers(src, col, arr, offset)
            else:
                s = _floats(src, col.name, arr, offset)
        except InputError:
            raise
        except (pa.ArrowException, ValueError, TypeError, OverflowError) as exc:
            # Anything the checks above did not foresee is still bad input, not a crash.
            raise InputError(f"cannot read {arr.type} values ({_short(exc)})",
                             file=src.label, column=col.name) from exc
        out[col.name] = _required(src, col, s, offset)
    return pd.DataFrame(out)


def _required(src: _Source, col: Column, s: pd.Series, offset: int) -> pd.Series:
    if col.required:
        empty = np.flatnonzero(s.isna().to_numpy())
        if len(empty):
            raise src.fail("required value is empty", col.name, empty, offset)
    return s.reset_index(drop=True)


def _floats(src: _Source, col: str, arr: pa.ChunkedArray, offset: int) -> pd.Series:
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type) \
            or pa.types.is_decimal(arr.type):
        text = pd.Series(pc.cast(arr, pa.float64()).to_pandas(), dtype="float64")
    else:
        text = _text(_strings(src, col, arr, offset))
    num = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = np.flatnonzero((text.notna() & (num.isna() | ~np.isfinite(num))).to_numpy())
    if len(bad):
        shown = ", ".join(repr(v) for v in text.iloc[bad[:_SHOWN]])
        raise src.fail(f"not a number: {shown}", col, bad, offset)
    return num


def _read_small_table(src: _Source) -> pd.DataFrame:
    return _to_frame(src, _read_all(src))


def _drop_unknown(df: pd.DataFrame, account_ids: pa.Array) -> tuple[pd.DataFrame, int]:
    """Rows whose account_id is in `account_ids` (an Arrow hash lookup), and how many not."""
    known = pc.is_in(_arrow(df["account_id"].array), value_set=account_ids).to_numpy(
        zero_copy_only=False)
    dropped = int(len(df) - known.sum())
    return (df if dropped == 0 else df.loc[known].reset_index(drop=True)), dropped


# ---- requests: chunked aggregation -------------------------------------------------------

# Partial aggregates are small numeric frames grouped on one int64 `key`: the position of
# the account in the sorted accounts table in the high 32 bits and the hour or the code of
# the identifier value / capability (a _Vocab) in the low 32 bits (0 for `totals`).
# Times are int64 nanoseconds. Grouping on one integer is several times faster than on
# strings, and a partial row costs ~40 bytes. The same reductions turn raw rows
# (exchanges = count, first_seen = last_seen = ts) into partials and partials into totals,
# because sum/min/max are associative.
_SPAN = [("first_seen", "min"), ("last_seen", "max"), ("exchanges", "sum")]
_KINDS = sorted(IDENTIFIER_KINDS)  # output order of `kind`
_AGG_SPECS: dict[str, list[tuple[str, str]]] = {
    "totals": [("exchanges", "sum"), ("first_seen", "min"), ("last_seen", "max"),
               ("input_tokens", "sum"), ("output_tokens", "sum")],
    "hourly": [("exchanges", "sum")],
    **{f"id_{kind}": _SPAN for kind in _KINDS},
    "capabilities": [("exchanges", "sum")],
}
_Partial = dict[str, pd.DataFrame]
_HOUR_NS = 3_600_000_000_000
_HOUR_BIAS = 1 << 31  # hours since 1970 + bias fit the low 32 bits (timestamps are ns)
_LOW = (1 << 32) - 1


def _key(acc: np.ndarray, low: np.ndarray | int = 0) -> np.ndarray:
    return (acc.astype(np.int64) << 32) | np.asarray(low, dtype=np.int64)


class _Vocab:
    """Distinct strings seen so far, each with a stable int code (for one key column)."""

    def __init__(self) -> None:
        self._chunks: list[pa.Array] = []
        self._all: pa.Array = pa.array([], pa.large_string())
        # raw spellings already encoded (client IPs: normalised once, see _encode_ips)
        self.raw: pa.Array = pa.array([], pa.large_string())
        self.raw_codes: np.ndarray = np.array([], np.int64)

    @property
    def values(self) -> pa.Array:
        if self._chunks:
            self._all = pa.concat_arrays([self._all, *self._chunks])
            self._chunks = []
        return self._all

    def encode(self, values: pd.Series) -> np.ndarray:
        """int64 codes for the values (-1 for <NA>), adding unseen values to the vocabulary."""
        codes, uniques = factorize_text(values)
        if len(uniques) == 0:
            return codes.astype(np.int64)
        u = _arrow(uniques.array).cast(pa.large_string())
        seen = self.values
        found = pc.index_in(u, value_set=seen)
        new = pc.is_null(found).to_numpy(zero_copy_only=False)
        glob = found.fill_null(0).to_numpy().astype(np.int64)
        glob[new] = len(seen) + np.arange(int(new.sum()))
        if new.any():
            self._chunks.append(u.filter(pa.array(new)))
        return np.where(codes >= 0, glob[np.maximum(codes, 0)], -1)

    def ranks(self) -> np.ndarray:
        """Rank of each code in string order (to sort outputs without sorting strings)."""
        order = pc.sort_indices(self.values).to_numpy()
        ranks = np.empty(len(order), np.int64)
        ranks[order] = np.arange(len(order))
        return ranks


def _vocabs() -> dict[str, _Vocab]:
    return {name: _Vocab() for name in _AGG_SPECS if name not in ("totals", "hourly")}


def _ns(ts: pd.Series) -> np.ndarray:
    return ts.astype(TIMESTAMP).array.asi8


_UFUNCS = {"sum": np.add, "min": np.minimum, "max": np.maximum}


def _reduce(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """One row per key (sum / min / max of the int64 columns), in key order. By sorting: a
    hashed groupby factorised the 7M random int64 keys of 1M accounts at ~0.6 µs a row,
    a minute over the merges of one read. Key order is free here, `_to_aggregates` sorts."""
    key = df["key"].to_numpy(dtype=np.int64)
    # sum, min and max do not depend on the order within a key, so the sort is picked for
    # speed: numpy's default (SIMD introsort) on random keys, 1.4x faster than the stable
    # one on 1M random int64 keys; timsort ("stable") on keys made of a few sorted runs —
    # merged partials, or a file already in account order — 8x faster than introsort on
    # two sorted runs of 10M and 4M keys (it merges the runs instead of re-sorting them)
    descents = int(np.count_nonzero(key[1:] < key[:-1])) if key.size else 0
    order = np.argsort(key, kind="stable" if descents * 8 < key.size else None)
    key = key[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else \
        np.zeros(0, dtype=np.int64)
    out = {"key": key[start]}
    for c, fn in _AGG_SPECS[name]:
        values = df[c].to_numpy(dtype=np.int64)[order]
        out[c] = _UFUNCS[fn].reduceat(values, start) if key.size else values
    return pd.DataFrame(out)


def _partial(frame: pd.DataFrame, acc: np.ndarray, vocabs: dict[str, _Vocab],
             pool: Executor | None = None) -> _Partial:
    """Reduce typed, validated request rows of known accounts (`acc` = their account codes)
    to partial aggregates. Each aggregate touches only its own vocabulary, so `pool` may
    build them side by side (numpy's sorts and Arrow's kernels release the GIL)."""
    acc = acc.astype(np.int64)
    ts = _ns(frame["ts"])
    ex = frame["count"].fillna(1).to_numpy(dtype=np.int64)

    def totals() -> pd.DataFrame:
        return _reduce("totals", pd.DataFrame({
            "key": _key(acc), "exchanges": ex, "first_seen": ts, "last_seen": ts,
            **{c: frame[c].fillna(0).to_numpy(dtype=np.int64)
               for c in ("input_tokens", "output_tokens")}}))

    def hourly() -> pd.DataFrame:
        return _reduce("hourly", pd.DataFrame({"key": _key(acc, ts // _HOUR_NS + _HOUR_BIAS),
                                               "exchanges": ex}))

    def valued(name: str, col: pd.Series) -> pd.DataFrame:
        code = _encode_ips(vocabs[name], col) if name == "id_ip" else vocabs[name].encode(col)
        has = code >= 0  # rows without the value do not count there
        return _reduce(name, pd.DataFrame({"key": _key(acc[has], code[has]),
                                           "first_seen": ts[has], "last_seen": ts[has],
                                           "exchanges": ex[has]}))

    jobs: dict[str, Callable[[], pd.DataFrame]] = {"totals": totals, "hourly": hourly}
    columns = {"capabilities": frame["capability"],
               **{f"id_{k}": frame[IDENTIFIER_KINDS[k]] for k in _KINDS}}
    for name, col in columns.items():
        jobs[name] = functools.partial(valued, name, col)
    return _run_all(jobs, pool)


def _run_all(jobs: dict[str, Callable[[], pd.DataFrame]], pool: Executor | None) -> _Partial:
    """Run independent jobs, on `pool` if given; results keyed as the jobs are."""
    if pool is None:
        return {name: job() for name, job in jobs.items()}
    futures = {name: pool.submit(job) for name, job in jobs.items()}
    return {name: f.result() for name, f in futures.items()}


def _encode_ips(vocab: _Vocab, col: pd.Series) -> np.ndarray:
    """Codes of the normalised client IPs: each distinct address is normalised once (a chunk
    of a million rows holds far fewer addresses), then the codes are mapped back."""
    raw, uniques = factorize_text(col)
    if len(uniques) == 0:
        return raw.astype(np.int64)
    u = _arrow(uniques.array).cast(pa.large_string())
    # addresses normalised in earlier chunks are looked up, not parsed again
    seen = pc.index_in(u, value_set=vocab.raw).to_numpy(zero_copy_only=False)
    new = np.isnan(seen) if seen.dtype.kind == "f" else np.zeros(len(u), bool)
    codes = np.empty(len(u), np.int64)
    if (~new).any():
        codes[~new] = vocab.raw_codes[seen[~new].astype(np.int64)]
    if new.any():
        fresh = u.filter(pa.array(new))
        codes[new] = vocab.encode(normalize_ip(pd.Series(fresh, dtype=STRING)))
        vocab.raw = pa.concat_arrays([vocab.raw, fresh])
        vocab.raw_codes = np.concatenate([vocab.raw_codes, codes[new]])
    return np.where(raw >= 0, codes[np.maximum(raw, 0)], -1)


def _merge(parts: list[_Partial], pool: Executor | None = None) -> _Partial:
    if len(parts) == 1:
        return parts[0]

    def merged(name: str) -> pd.DataFrame:
        return _reduce(name, pd.concat([p[name] for p in parts], ignore_index=True))

    return _run_all({name: functools.partial(merged, name) for name in _AGG_SPECS}, pool)


def _to_aggregates(part: _Partial, account_ids: pa.Array,
                   vocabs: dict[str, _Vocab]) -> RequestAggregates:
    """Pandas frames with account ids and values (not codes), with the documented dtypes,
    sorted by their keys. `account_ids` must be sorted, so that sorting codes sorts ids, and
    values sort by their rank in the vocabulary: no string sort over all rows."""
    empty = RequestAggregates.empty()

    def take(arr: pa.Array, codes: np.ndarray) -> pd.Series:
        return pd.Series(arr.take(pa.array(codes, pa.int64())), dtype=STRING)

    def times(ns: np.ndarray) -> pd.Series:
        return pd.Series(pd.to_datetime(ns, unit="ns", utc=True), dtype=TIMESTAMP)

    def frame(df: pd.DataFrame, ref: pd.DataFrame, order: np.ndarray, **cols: Any) -> pd.DataFrame:
        df = df.iloc[order]
        key = df["key"].to_numpy()
        out = {"account_id": take(account_ids, key >> 32), **cols}
        for c in ref.columns:
            if c in ("first_seen", "last_seen"):
                out[c] = times(df[c].to_numpy())
            elif c not in out:
                out[c] = df[c].to_numpy() if c in df else out[c]
        return pd.DataFrame({c: np.asarray(v) if isinstance(v, np.ndarray) else v.array
                             for c, v in out.items()})[list(ref.columns)] \
            .astype(ref.dtypes.to_dict())

    def order_by(*keys: np.ndarray) -> np.ndarray:
        """Row order sorting by the keys (first = major); one argsort of a composed int64 key
        when it cannot overflow, else lexsort."""
        spans = [int(k.max()) + 1 if len(k) else 1 for k in keys]
        if float(np.prod([float(x) for x in spans])) < 2.0**62:
            composed = np.zeros(len(keys[0]), np.int64)
            for k, span in zip(keys, spans, strict=True):
                composed = composed * span + k
            return np.argsort(composed, kind="stable")
        return np.lexsort(keys[::-1])

    totals, hourly = part["totals"], part["hourly"]
    hourly_order = np.argsort(hourly["key"].to_numpy(), kind="stable")
    hour_ns = ((hourly["key"].to_numpy()[hourly_order] & _LOW) - _HOUR_BIAS) * _HOUR_NS

    caps, vocab = part["capabilities"], vocabs["capabilities"]
    key = caps["key"].to_numpy()
    caps_order = order_by(key >> 32, vocab.ranks()[key & _LOW])
    cap_values = take(vocab.values, key[caps_order] & _LOW)

    # Identifiers of all kinds: one vocabulary (kinds concatenated, codes offset per kind).
    kind_vocabs = [vocabs[f"id_{k}"] for k in _KINDS]
    offsets = np.cumsum([0] + [len(v.values) for v in kind_vocabs])
    ids = pd.concat([part[f"id_{k}"].assign(kind=i) for i, k in enumerate(_KINDS)],
                    ignore_index=True)
    key, kind = ids["key"].to_numpy(), ids["kind"].to_numpy()
    code = offsets[kind] + (key & _LOW)
    rank = np.concatenate([v.ranks() for v in kind_vocabs])[code] if len(code) else code
    ids_order = order_by(key >> 32, kind, rank)
    all_values = pa.concat_arrays([v.values for v in kind_vocabs])
    values = take(all_values, code[ids_order])
    kinds = pd.Series(pa.array(_KINDS, pa.large_string()).take(pa.array(kind[ids_order])),
                      dtype=STRING)
    return RequestAggregates(
        totals=frame(totals, empty.totals, np.argsort(totals["key"].to_numpy(), kind="stable")),
        hourly=frame(hourly, empty.hourly, hourly_order, hour=times(hour_ns)),
        identifiers=frame(ids, empty.identifiers, ids_order, kind=kinds, value=values),
        capabilities=frame(caps, empty.capabilities, caps_order, capability=cap_values),
    )


def _from_aggregates(agg: RequestAggregates, account_ids: pa.Array,
                     vocabs: dict[str, _Vocab]) -> _Partial:
    """The inverse of _to_aggregates (to merge aggregates, e.g. batches read from a store)."""

    def table(df: pd.DataFrame, name: str, low: np.ndarray | None) -> pd.DataFrame:
        acc = pc.index_in(_arrow(df["account_id"].astype(STRING).array),
                          value_set=account_ids).to_numpy(zero_copy_only=False)
        out = {"key": _key(acc, 0 if low is None else low)}
        for c, _ in _AGG_SPECS[name]:
            out[c] = _ns(df[c]) if c in ("first_seen", "last_seen") else df[c].to_numpy(np.int64)
        return pd.DataFrame(out)

    out = {"totals": table(agg.totals, "totals", None),
           "hourly": table(agg.hourly, "hourly", _ns(agg.hourly["hour"]) // _HOUR_NS + _HOUR_BIAS),
           "capabilities": table(agg.capabilities, "capabilities",
                                 vocabs["capabilities"].encode(agg.capabilities["capability"]))}
    for kind in _KINDS:
        sub = agg.identifiers[(agg.identifiers["kind"] == kind).to_numpy(dtype=bool)]
        out[f"id_{kind}"] = table(sub, f"id_{kind}", vocabs[f"id_{kind}"].encode(sub["value"]))
    return out


def aggregate_requests(frame: pd.DataFrame) -> RequestAggregates:
    """Reduce typed request rows (contract columns, validated) to RequestAggregates:
    `exchanges` sums `count` (default 1), tokens sum (missing = 0), first/last are exact,
    client IPs are normalised, rows without a value / capability count only in totals and
    hourly."""
    ids = _arrow(frame["account_id"].astype(STRING).array)
    ids_sorted = pc.unique(ids).sort()
    acc = pc.index_in(ids, value_set=ids_sorted).to_numpy(zero_copy_only=False)
    vocabs = _vocabs()
    return _to_aggregates(_partial(frame, acc, vocabs), ids_sorted, vocabs)


def merge_aggregates(parts: list[RequestAggregates]) -> RequestAggregates:
    """Combine aggregates of disjoint row sets (chunks, or batches loaded at different times):
    sums add, first_seen/last_seen take min/max."""
    if not parts:
        return RequestAggregates.empty()
    ids = pc.unique(pa.concat_arrays([
        _arrow(df["account_id"].astype(STRING).array).cast(pa.large_string())
        for p in parts for df in (p.totals, p.hourly, p.identifiers, p.capabilities)])).sort()
    vocabs = _vocabs()
    return _to_aggregates(_merge([_from_aggregates(p, ids, vocabs) for p in parts]), ids, vocabs)


def _size(part: _Partial) -> int:
    return sum(len(t) for t in part.values())


_SUMMED = ("count", "input_tokens", "output_tokens")


def _check_sums(src: _Source, frame: pd.DataFrame, sums: dict[str, int], offset: int) -> None:
    """Keep the batch totals of `count` and the token columns below MAX_BATCH_SUM, so that no
    sum (per account, per hour, per run) can wrap around int64. Per-row bounds keep a chunk's
    cumulative sum exact in int64; the running totals are Python ints."""
    for col in _SUMMED:
        values = frame[col].fillna(1 if col == "count" else 0).to_numpy(dtype=np.int64)
        running = np.cumsum(values) + sums[col]
        over = np.flatnonzero(running > contract.MAX_BATCH_SUM)
        if len(over):
            raise src.fail(f"the sum of '{col}' over the file passes "
                           f"{contract.MAX_BATCH_SUM:,} at this row (split the batch or check"
                           " the export)", col, over[:1], offset)
        sums[col] = int(running[-1]) if len(running) else sums[col]


def _prefetched(items: Iterator[Any], depth: int = 1) -> Iterator[Any]:
    """The items of `items`, produced one step ahead in a thread: the next chunk is read,
    decoded and validated while this one is reduced. Order, and where an error surfaces
    (after the chunks before it), are as without the thread."""
    q: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(kind: str, value: Any) -> bool:
        while not stop.is_set():
            try:
                q.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer is gone

    def produce() -> None:
        try:
            for item in items:
                if not put("item", item):
                    return
            put("end", None)
        except BaseException as exc:  # handed to the consumer, raised there in order
            put("error", exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the file, when the consumer stopped early

    worker = threading.Thread(target=produce, name="linker-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                q.get_nowait()
        worker.join()


def _read_requests(src: _Source, account_ids: pa.Array, chunk_bytes: int, chunk_rows: int,
                   on_rows: Callable[[int], None] | None = None) -> tuple[RequestAggregates, int, int]:
    """Stream `requests`, validating each chunk, and reduce it. Returns (aggregates, rows read,
    rows dropped for unknown accounts). Partials are merged once the new ones outgrow the
    merged one, so memory follows the size of the aggregates, not of the table. One thread
    reads and validates the next chunk while two reduce this one (the aggregates side by
    side): the work is in numpy and Arrow kernels that release the GIL."""
    parts: list[_Partial] = []
    vocabs = _vocabs()
    rows = dropped = pending = merged = 0
    sums = dict.fromkeys(_SUMMED, 0)
    # one hash of the known accounts for all chunks (index_in rebuilt it for every chunk);
    # a chunk's distinct ids are looked up in it, then mapped back to its rows
    known_index = pd.Index(account_ids.to_numpy(zero_copy_only=False))

    def typed() -> Iterator[pd.DataFrame]:
        offset = 0
        for batch in _iter_batches(src, chunk_bytes, chunk_rows):
            frame = _to_frame(src, batch, offset=offset, coded=True)
            _check_sums(src, frame, sums, offset)
            offset += len(frame)
            yield frame

    try:
        with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="linker-reduce") as pool:
            for frame in _prefetched(typed()):
                rows += len(frame)
                codes, uniq = factorize_text(frame["account_id"])
                pos = known_index.get_indexer(np.asarray(uniq, dtype=object))
                acc = np.where(codes >= 0, pos[np.maximum(codes, 0)], -1)
                known = acc >= 0
                dropped += int(len(frame) - known.sum())
                if not known.all():
                    frame, acc = frame.loc[known], acc[known]
                if len(frame):
                    parts.append(_partial(frame, acc, vocabs, pool))
                    pending += _size(parts[-1])
                    # Merge when the new partials outgrow the merged part: amortised, bounded.
                    if len(parts) > 1 and pending > max(_COMPACT_ROWS, merged):
                        parts = [_merge(parts, pool)]
                        merged, pending = _size(parts[0]), 0
                if on_rows:
                    on_rows(rows)
            if parts:
                parts = [_merge(parts, pool)]
    except InputError:
        raise
    except (pa.ArrowException, OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        raise InputError(f"cannot read table ({_short(exc)})", file=src.label) from exc
    if not parts:
        return RequestAggregates.empty(), rows, dropped
    return _to_aggregates(parts[0], account_ids, vocabs), rows, dropped


# ---- the dataset ---------------------------------------------------------------------------


def read_dataset(data_dir: Path, progress: bool = False, *,
                 known_accounts: pd.Series | None = None,
                 chunk_bytes: int = DEFAULT_CHUNK_BYTES,
                 chunk_rows: int = DEFAULT_CHUNK_ROWS,
                 reporter: Reporter | None = None) -> Dataset:
    """Read, validate and type every contract table in `data_dir` (nothing is written).

    Raises InputError (exit code 2) for a bad directory or file. `known_accounts` are ids
    a store already holds: rows of this batch that point at them are kept (a weekly batch
    brings new requests of older accounts). `chunk_bytes` (CSV) and `chunk_rows` (Parquet)
    set the streaming chunk of the `requests` table. `reporter` shows and times each table
    (`progress` without one: the default reporter for stderr)."""
    started = time.perf_counter()
    if reporter is None:
        reporter = reporter_for() if progress else Reporter()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError("data directory not found (or not a directory)", file=str(data_dir))
    info = IngestInfo(data_dir=str(data_dir))

    sources: dict[str, _Source] = {}
    for name, spec in contract.TABLES.items():
        path = find_table(data_dir, name)
        if path is None:
            if spec.required:
                forms = ", ".join(f"{name}{s}" for s in contract.TABLE_SUFFIXES)
                raise InputError(f"missing required table '{name}' (expected one of: {forms})",
                                 file=str(data_dir))
            continue
        sources[name] = src = _open_source(path, spec)  # header checks of all files first
        if src.extra:
            info.extra_columns[name] = src.extra

    def record(name: str, rows: int) -> None:
        src = sources[name]
        info.rows[name] = rows
        info.files[name] = {"path": str(src.path), "sha256": file_sha256(src.path), "rows": rows}

    with reporter.stage("read: accounts") as stage:
        accounts = _read_small_table(sources["accounts"])
        stage.note(plural(len(accounts), "account"))
    if accounts.empty and (known_accounts is None or len(known_accounts) == 0):
        raise InputError("no accounts: the file has a header but no rows (a batch may bring"
                         " no new accounts only when the store already holds accounts)",
                         file=sources["accounts"].label, column="account_id")
    record("accounts", len(accounts))
    dup = accounts["account_id"].duplicated(keep=False).to_numpy()
    if dup.any():
        idx = np.flatnonzero(dup)
        first = accounts["account_id"].iloc[idx[0]]
        raise sources["accounts"].fail(
            f"duplicate account_id ({int(accounts['account_id'].duplicated().sum())} repeated;"
            f" first: {first!r})", "account_id", idx, 0)
    accounts = accounts.sort_values("account_id", ignore_index=True)
    known_ids = accounts["account_id"]
    if known_accounts is not None and len(known_accounts):
        known_ids = pd.concat([known_ids, pd.Series(known_accounts, dtype=known_ids.dtype)])
        known_ids = known_ids.drop_duplicates().sort_values(ignore_index=True)
    ids = _arrow(known_ids.array)

    frames: dict[str, pd.DataFrame] = {}
    for name in ("payments", "ip_events"):
        if name not in sources:
            frames[name] = empty_frame(name)
            continue
        with reporter.stage(f"read: {name}") as stage:
            df = _read_small_table(sources[name])
            record(name, len(df))
            frames[name], info.unknown_accounts[name] = _drop_unknown(df, ids)
            stage.note(plural(len(df), "row"))

    requests = RequestAggregates.empty()
    if "requests" in sources:
        with reporter.stage("read: requests") as stage:
            requests, n, dropped = _read_requests(sources["requests"], ids, chunk_bytes,
                                                  chunk_rows, stage.update)
            record("requests", n)
            stage.note(f"{plural(n, 'row')} → {plural(len(requests.hourly), 'account-hour')}")
        info.unknown_accounts["requests"] = dropped

    info.seconds = round(time.perf_counter() - started, 3)
    return Dataset(accounts=accounts, payments=frames["payments"],
                   ip_events=frames["ip_events"], requests=requests, info=info)


# ---- side inputs ---------------------------------------------------------------------------


def _read_side(path: Path, spec: TableSpec, kinds: tuple[str, ...]) -> tuple[_Source, pd.DataFrame]:
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    src = _open_source(path, spec)
    df = _read_small_table(src)
    df["kind"] = df["kind"].str.lower().astype(STRING)
    bad = np.flatnonzero((~df["kind"].isin(kinds)).to_numpy())
    if len(bad):
        shown = ", ".join(repr(v) for v in df["kind"].iloc[bad[:_SHOWN]])
        raise src.fail(f"unknown kind {shown} (expected one of: {', '.join(kinds)})",
                       "kind", bad, 0)
    return src, df


def _normalize_values(src: _Source, df: pd.DataFrame) -> pd.Series:
    """Values in the form the dataset's identifiers take, so that they compare equal."""
    value = df["value"].copy()
    kind = df["kind"]

    def check(mask: pd.Series, new: pd.Series, what: str) -> None:
        bad = np.flatnonzero((mask & new.isna()).to_numpy())
        if len(bad):
            raise src.fail(f"invalid {what} value(s)", "value", bad, 0)
        value[mask] = new[mask]

    m = (kind == "ip").to_numpy()
    if m.any():
        check(kind == "ip", normalize_ip(value.where(m)), "ip")
    m = (kind == "cidr").to_numpy()
    if m.any():
        def cidr(v: object) -> str | None:
            try:
                net = ipaddress.ip_network(str(v).strip(), strict=False)
            except ValueError:
                return None
            return str(net)
        check(kind == "cidr", value.where(m).map(cidr, na_action="ignore").astype(STRING), "cidr")
    m = (kind == "asn").to_numpy()
    if m.any():
        digits = value.where(m).str.upper().str.removeprefix("AS").str.strip()
        ok = digits.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
        asn = digits.where(ok).str.lstrip("0").replace("", "0")
        check(kind == "asn", asn.astype(STRING), "asn")
    m = (kind == "email_domain").to_numpy()
    if m.any():
        value[m] = value[m].str.lower().str.lstrip("@")
    return value.astype(STRING)


def read_indicators(path: Path) -> pd.DataFrame:
    """Threat-intel indicators (operator, kind, value, confidence, source), values normalised
    to compare with the dataset; confidence in [0, 1], default 1.0."""
    src, df = _read_side(path, contract.INDICATORS, contract.INDICATOR_KINDS)
    df["value"] = _normalize_values(src, df)
    conf = df["confidence"]
    bad = np.flatnonzero(((conf < 0) | (conf > 1)).to_numpy())
    if len(bad):
        raise src.fail("confidence must be between 0 and 1", "confidence", bad, 0)
    df["confidence"] = conf.fillna(1.0).astype("float64")
    return df[contract.INDICATORS.column_names]


def read_allowlist(path: Path) -> pd.DataFrame:
    """Allow-listed identifiers and accounts (kind, value, note), values normalised."""
    src, df = _read_side(path, contract.ALLOWLIST, contract.ALLOWLIST_KINDS)
    df["value"] = _normalize_values(src, df)
    return df[contract.ALLOWLIST.column_names]


def read_small_file(path: Path, spec: TableSpec) -> tuple[Any, pd.DataFrame]:
    """A small side table (CSV or Parquet) checked against `spec` with the contract's error
    rules; returns the opened source (its `fail(message, column, rows, 0)` names the file,
    column and rows) and the typed frame."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    src = _open_source(path, spec)
    return src, _read_small_table(src)
