"""Property-based fuzzing of bad input (issue 16): mutated input directories through
`linker validate` and `linker run`, in process.

Every case is a tiny input directory (5 accounts, a few rows of the other tables, as CSV,
CSV.gz or Parquet) with one to three mutations drawn from the case classes of issue 16:
out-of-range and non-ISO timestamps, huge / negative / fractional integers, Parquet list,
struct and map columns, invalid UTF-8, corrupt gzip, truncated files, unbalanced quotes,
header-only and empty files, broken symlinks, missing and extra columns, duplicate ids, BOMs,
latin-1 text, over-long values, and HTML / formula / path payloads in every text field.

Properties, for every case:
- `validate` exits 0 or 2, never with a traceback, and writes nothing (the input directory
  is byte-for-byte unchanged and nothing appears beside it);
- `run` exits 0 or 2, never with a traceback; on exit 2 neither OUT_DIR nor the workspace
  exists afterwards; on exit 0 the outputs exist and no CSV cell starts a formula;
- `validate` and `run` agree on rejecting a case.

A full `run` costs about a second even on 5 accounts (the whole pipeline and every output),
so `run` goes through every rejected case (where the nothing-written promise matters) and a
seeded sample of the accepted ones (FUZZ_FULL_RUNS, default 20; all with FUZZ_FULL_RUNS=all).
Cases are generated from one seed (FUZZ_SEED, default: a fixed seed; FUZZ_CASES, default
2000) and split over two worker processes. A failure names the case index and seed: rerun
with FUZZ_SEED/FUZZ_ONLY to reproduce it.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import random
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from linker import contract

CASES = int(os.environ.get("FUZZ_CASES", "2000"))
SEED = int(os.environ.get("FUZZ_SEED", "16"))
FULL = os.environ.get("FUZZ_FULL_RUNS", "20")
ONLY = os.environ.get("FUZZ_ONLY")  # one case index, to reproduce a failure
WORKERS = int(os.environ.get("FUZZ_WORKERS", "2"))

BAD_TIMESTAMPS = ["0000-01-01", "0001-01-01T00:00:00Z", "1600-06-01", "2262-04-12", "3000-01-01",
                  "9999-12-31T23:59:59Z", "-1", "now", "today", "yesterday", "2024-13-01",
                  "2024-02-30", "2024-01-01T25:00:00Z", "1714521600", "2024/01/01", "NaT", "0"]
BAD_INTS = ["9223372036854775808", "9223372036854775807", "18446744073709551615", "1e30",
            "-1", "-1e30", "1.5", "nan", "inf", "0x10", "1,000", "１２", "1000000001"]
PAYLOADS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "../../../etc/passwd",
            "/tmp/../../x", "C:\\Windows\\x", "{{7*7}}", "${jndi:ldap://x}", "' OR 1=1 --",
            "`rm -rf /`", "[x](javascript:alert(1))", "ünïcödé ☃ 𝔘", "\u202eevil", "a\u0000b",
            "x" * 300, "MATCH (n) DETACH DELETE n"]
NUMERIC = {"count", "input_tokens", "output_tokens", "asn"}


def base_tables(rng: random.Random) -> dict[str, list[list[str]]]:
    """A valid tiny world: header row first, then rows (all strings)."""
    n = 5
    ids = [f"{rng.choice(['acc', '00', 'u'])}{i}" for i in range(n)]
    acc = [contract.ACCOUNTS.column_names]
    for i, a in enumerate(ids):
        acc.append([a, f"2024-05-0{1 + i % 3}T10:0{i}:00Z", f"user{i}@example.com", "+14155550100",
                    f"203.0.113.{i % 2 + 1}", f"dev{i % 2}", "ua/1.0", "US", ""])
    tables = {"accounts": acc}
    if rng.random() < 0.6:
        tables["payments"] = [contract.PAYMENTS.column_names] + [
            [a, f"fp{i % 2}", "411111", "US", "credit", "02139", "2024-05-01T11:00:00Z"]
            for i, a in enumerate(ids[:3])]
    if rng.random() < 0.6:
        tables["ip_events"] = [contract.IP_EVENTS.column_names] + [
            [a, f"198.51.100.{i}", "2024-05-02T10:00:00Z", "login", "64500", "Example Net", "ua"]
            for i, a in enumerate(ids[:3])]
    if rng.random() < 0.7:
        tables["requests"] = [contract.REQUESTS.column_names] + [
            [a, f"2024-05-02T1{h}:00:00Z", str(1 + h), "k1", "203.0.113.1", "tpl", "coding", "10", "20"]
            for a in ids[:3] for h in range(2)]
    return tables


def _cell(tables: dict[str, list[list[str]]], rng: random.Random, types: set[str] | None = None,
          ) -> tuple[str, int, int] | None:
    """A random (table, row, column) of a data row whose column type is in `types`."""
    choices = []
    for name, rows in tables.items():
        spec = contract.TABLES[name]
        for j, col in enumerate(rows[0]):
            t = spec.types().get(col)
            if len(rows) > 1 and (types is None or t in types):
                choices.append((name, j))
    if not choices:
        return None
    name, j = rng.choice(choices)
    return name, rng.randrange(1, len(tables[name])), j


# ---- mutations of the table contents (before writing) --------------------------------------

def m_timestamp(t, rng):
    c = _cell(t, rng, {"timestamp"})
    if c:
        t[c[0]][c[1]][c[2]] = rng.choice(BAD_TIMESTAMPS)


def m_integer(t, rng):
    c = _cell(t, rng, {"integer"})
    if c:
        t[c[0]][c[1]][c[2]] = rng.choice(BAD_INTS)


def m_payload(t, rng):
    for _ in range(rng.randint(1, 4)):
        c = _cell(t, rng, {"string"})
        if c:
            t[c[0]][c[1]][c[2]] = rng.choice(PAYLOADS)


def m_empty_required(t, rng):
    name = rng.choice(list(t))
    req = contract.TABLES[name].required_columns
    j = t[name][0].index(rng.choice(req))
    if len(t[name]) > 1:
        t[name][rng.randrange(1, len(t[name]))][j] = ""


def m_drop_column(t, rng):
    name = rng.choice(list(t))
    j = rng.randrange(len(t[name][0]))
    for row in t[name]:
        del row[j]


def m_extra_column(t, rng):
    name = rng.choice(list(t))
    t[name][0].append(rng.choice(["colour", "account_id ", "<b>x</b>", "=1"]))
    for row in t[name][1:]:
        row.append(rng.choice(PAYLOADS))


def m_duplicate_id(t, rng):
    acc = t["accounts"]
    if len(acc) > 1:
        acc.append(list(acc[rng.randrange(1, len(acc))]))


def m_header_only(t, rng):
    name = rng.choice(list(t))
    del t[name][1:]


def m_unknown_account(t, rng):
    for name in t:
        if name != "accounts" and len(t[name]) > 1:
            t[name][1][0] = "nobody"


def m_shuffle_columns(t, rng):
    name = rng.choice(list(t))
    order = list(range(len(t[name][0])))
    rng.shuffle(order)
    t[name] = [[row[j] for j in order] for row in t[name]]


CONTENT = [m_timestamp, m_integer, m_payload, m_empty_required, m_drop_column, m_extra_column,
           m_duplicate_id, m_header_only, m_unknown_account, m_shuffle_columns]


# ---- writing, and mutations of the written bytes -------------------------------------------

def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _parquet(rows: list[list[str]], path: Path, rng: random.Random, nested: bool) -> None:
    header, body = rows[0], rows[1:]
    cols: dict[str, pa.Array] = {}
    for j, name in enumerate(header):
        values = [r[j] if j < len(r) and r[j] != "" else None for r in body]
        cols[name] = pa.array(values, pa.string())
    if body and header:
        name = rng.choice(header)
        kind = rng.random()
        if nested:
            n = len(body)
            cols[name] = rng.choice([
                pa.array([[v] for v in range(n)]),
                pa.array([{"k": v} for v in range(n)]),
                pa.array([[("k", "v")]] * n, pa.map_(pa.string(), pa.string())),
                pa.array([b"ok"] * (n - 1) + [b"\xff\xfe"], pa.binary()),
            ])
        elif kind < 0.3 and name in NUMERIC | {"ts", "seen_at", "created_at"}:
            # typed columns, sometimes out of range for pandas
            if name in NUMERIC:
                cols[name] = pa.array([rng.choice([1, 2**64 - 1, 2**63 - 1, 5])
                                       for _ in body], pa.uint64())
            else:
                unit = rng.choice(["s", "ms", "us"])
                year = rng.choice([1, 1600, 2024, 3000, 9999])
                import datetime as dt
                cols[name] = pa.array([dt.datetime(year, 1, 1)] * len(body), pa.timestamp(unit))
    pq.write_table(pa.table(cols), path)


def write_case(i: int, root: Path) -> tuple[Path, list[str]]:
    """Case i: the input directory and the names of the mutations applied."""
    rng = random.Random(SEED * 1_000_003 + i)
    tables = base_tables(rng)
    applied = []
    for m in rng.sample(CONTENT, rng.choice([0, 1, 1, 1, 2, 3])):
        m(tables, rng)
        applied.append(m.__name__)
    data = root / "data"
    data.mkdir()
    form = rng.choice(["csv", "csv", "csv.gz", "parquet"])
    nested = form == "parquet" and rng.random() < 0.3
    for name, rows in tables.items():
        path = data / f"{name}.{form}"
        if form == "parquet":
            _parquet(rows, path, rng, nested and name == rng.choice(list(tables)))
            continue
        raw = _csv_bytes(rows)
        r = rng.random()
        if r < 0.05:
            raw = b"\xef\xbb\xbf" + raw  # BOM
        elif r < 0.10:
            raw = raw.replace(b"user", "usér".encode("latin-1"))  # mixed encodings
        elif r < 0.16 and len(raw) > raw.index(b"\n") + 1:  # unbalanced quote after the header
            k = rng.randrange(raw.index(b"\n") + 1, len(raw))
            raw = raw[:k] + b'"' + raw[k:]
        elif r < 0.19:
            raw = raw[:rng.randrange(len(raw))]  # truncated (maybe empty)
        elif r < 0.21:
            raw = b""
        elif r < 0.23:
            k = rng.randrange(len(raw))
            raw = raw[:k] + bytes([rng.randrange(256)]) + raw[k + 1:]
        if form == "csv.gz":
            raw = gzip.compress(raw, mtime=0)
            if rng.random() < 0.12:  # corrupt stream
                k = rng.randrange(10, max(11, len(raw) - 8))
                raw = raw[:k] + b"\x00garbage" + raw[k + 8:]
        path.write_bytes(raw)
    if rng.random() < 0.05:  # a broken symlink in place of a table
        name = rng.choice(["payments", "ip_events", "requests", "accounts"])
        for p in data.glob(f"{name}.*"):
            p.unlink()
        link = data / f"{name}.csv"
        link.symlink_to("/nonexistent/t.csv" if rng.random() < 0.5 else link.name)
        applied.append(f"symlink:{name}")
    applied.append(form + (":nested" if nested else ""))
    return data, applied


# ---- properties ------------------------------------------------------------------------------

def _tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        out[str(p.relative_to(root))] = (p.read_bytes() if p.is_file() and not p.is_symlink()
                                         else os.readlink(p) if p.is_symlink() else "dir")
    return out


_CLI: list[Any] = []


def _invoke(args: list[str]) -> tuple[int, str | None, str]:
    """The CLI in process. The Click command is built once (memoised per app): typer's
    CliRunner rebuilds it on every call, which costs more than validating a tiny directory."""
    if not _CLI:
        import typer.testing
        from typer.testing import CliRunner

        from linker.cli import app

        build, built = typer.testing._get_command, {}
        typer.testing._get_command = lambda a: built.setdefault(id(a), build(a))
        _CLI.extend([CliRunner(), app])
    runner, app = _CLI
    res = runner.invoke(app, args)
    crash = None
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        crash = "".join(traceback.format_exception(res.exception))[-2500:]
    return res.exit_code, crash, res.output[-500:]


def _formula_cells(out: Path) -> list[str]:
    bad = []
    for path in [*out.glob("*.csv"), *(out / "review" / "rings").glob("*.csv")]:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                bad += [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                        and not _plain_number(c)]
    return bad


def _plain_number(c: str) -> bool:
    import re

    return bool(re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|\+[0-9]{6,15}", c))


def check_case(i: int, full_run: bool) -> dict[str, Any]:
    """Run one case; returns its outcome and a list of violated properties."""
    with tempfile.TemporaryDirectory(prefix=f"fuzz{i}-") as tmp:
        root = Path(tmp)
        data, applied = write_case(i, root)
        before = _tree(root)
        problems: list[str] = []
        rc_v, crash, out_v = _invoke(["validate", str(data)])
        if crash or rc_v not in (0, 2):
            problems.append(f"validate rc={rc_v}: {crash or out_v}")
        if _tree(root) != before:
            problems.append("validate wrote something")
        rc_r = None
        if rc_v == 2 or full_run:
            out, ws = root / "out", root / "ws"
            rc_r, crash, out_r = _invoke(["run", str(data), "--out", str(out), "--workspace", str(ws)])
            if crash or rc_r not in (0, 2):
                problems.append(f"run rc={rc_r}: {crash or out_r}")
            if rc_r == 2 and (out.exists() or ws.exists()):
                problems.append("run exited 2 but wrote OUT_DIR or the workspace")
            if rc_r != rc_v and rc_r in (0, 2):
                problems.append(f"validate rc={rc_v} but run rc={rc_r}: {out_r}")
            if rc_r == 0:
                if not (out / "run.json").exists():
                    problems.append("run exited 0 without outputs")
                elif bad := _formula_cells(out):
                    problems.append(f"formula cells in CSV outputs: {bad[:3]}")
        return {"case": i, "applied": applied, "validate": rc_v, "run": rc_r, "problems": problems}


def _worker(indices: list[int]) -> list[dict[str, Any]]:
    """Check cases in order; accepted cases get a full `run` with a probability that spreads
    this worker's share of FUZZ_FULL_RUNS over its cases (about 40% are accepted)."""
    results = []
    quota = len(indices) if FULL == "all" else -(-int(FULL) * len(indices) // max(CASES, 1))
    chance = 1.0 if FULL == "all" else min(1.0, 3.0 * quota / max(len(indices), 1))
    for i in indices:
        full = quota > 0 and random.Random(SEED * 7 + i).random() < chance
        r = check_case(i, full)
        quota -= int(r["run"] == 0)
        results.append(r)
    return results


@pytest.mark.slow
def test_fuzz_bad_input_never_crashes_and_never_writes_on_exit_2() -> None:
    started = time.perf_counter()
    indices = [int(ONLY)] if ONLY else list(range(CASES))
    chunks = [indices[k::WORKERS] for k in range(WORKERS)]
    if WORKERS > 1 and len(indices) > 1:
        with ProcessPoolExecutor(WORKERS, mp_context=get_context("fork")) as pool:
            results = [r for part in pool.map(_worker, chunks) for r in part]
    else:
        results = _worker(indices)
    failures = [r for r in results if r["problems"]]
    rejected = sum(r["validate"] == 2 for r in results)
    full = sum(r["run"] == 0 for r in results)
    print(f"\nfuzz: {len(results)} cases (seed {SEED}) in {time.perf_counter() - started:.0f}s: "
          f"{rejected} rejected with exit 2 (each also through run), "
          f"{len(results) - rejected} accepted, {full} full runs")
    assert len(results) >= min(CASES, 2000) or ONLY
    assert not failures, "\n\n".join(
        f"case {r['case']} (FUZZ_SEED={SEED} FUZZ_ONLY={r['case']}) {r['applied']}:\n"
        + "\n".join(r["problems"]) for r in failures[:5])
