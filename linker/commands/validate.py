"""`linker validate DATA_DIR`: read, check and normalise the input tables without writing
anything, so that a data export can be checked before a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import typer

from linker.commands.base import QuietOpt, app, fail, reporter
from linker.errors import LinkerError
from linker.progress import plural

if TYPE_CHECKING:
    from linker.model import Dataset


def summarize(ds: Dataset) -> dict[str, Any]:
    """A JSON-ready summary of a normalised Dataset: per-table files, rows, dropped rows for
    unknown accounts, ignored columns, and how many identifiers could not be normalised."""
    info = ds.info
    tables = {
        name: {
            **info.files[name],
            "unknown_accounts": info.unknown_accounts.get(name, 0),
            "extra_columns": info.extra_columns.get(name, []),
        }
        for name in info.files
    }
    acc, ev = ds.accounts, ds.ip_events

    def lost(raw: Any, norm: Any) -> int:
        return int((raw.notna() & norm.isna()).sum())

    return {
        "ok": True,
        "data_dir": info.data_dir,
        "tables": tables,
        "accounts": len(acc),
        "requests": {
            "accounts": len(ds.requests.totals),
            "exchanges": int(ds.requests.totals["exchanges"].sum()),
            "first_seen": _iso(ds.requests.totals["first_seen"].min()),
            "last_seen": _iso(ds.requests.totals["last_seen"].max()),
        },
        "unparseable": {
            "accounts.email": lost(acc["email"], acc["email_norm"]),
            "accounts.phone": lost(acc["phone"], acc["phone_e164"]),
            "accounts.signup_ip": lost(acc["signup_ip"], acc["signup_ip_norm"]),
            "ip_events.ip": lost(ev["ip"], ev["ip_norm"]),
        },
        "seconds": info.seconds,
    }


def _store_accounts(store: str | None, workspace: Path | None) -> pd.Series | None:
    """Account ids a store already holds, so that rows of an incremental batch that point
    at them count as known — exactly what `run` and `load` will do. Reads only: a missing
    workspace is not created."""
    if store is None and workspace is None:
        return None
    from linker.commands.run import open_store

    st = open_store(store or "embedded", workspace)
    try:
        return st.account_ids()
    finally:
        st.close()


def _iso(ts: Any) -> str | None:
    return None if ts is None or ts != ts else ts.isoformat()  # NaT != NaT


ROWS_WIDTH = 16  # "123,456,789 rows"


def table_lines(summary: dict[str, Any]) -> list[str]:
    """One line per table (rows, file, dropped rows), and its ignored columns on the next
    line, starting under the file name."""
    lines = []
    for name, t in summary["tables"].items():
        head = f"  {name:<10} {plural(t['rows'], 'row'):>{ROWS_WIDTH}}  "
        line = head + Path(t["path"]).name
        if t["unknown_accounts"]:
            line += f"  ({plural(t['unknown_accounts'], 'row')} of unknown accounts dropped)"
        lines.append(line)
        if t["extra_columns"]:
            lines.append(" " * len(head) + f"ignored columns: {', '.join(t['extra_columns'])}")
    return lines


@app.command()
def validate(
    data_dir: Path = typer.Argument(..., help="Directory with accounts / payments / ip_events / requests tables."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
    workspace: Path | None = typer.Option(
        None, "--workspace",
        help="Check an incremental batch against this embedded store's accounts, as run does."),
    store: str | None = typer.Option(
        None, "--store", help="Check against the accounts of this store (embedded or neo4j)."),
    quiet: bool = QuietOpt,
) -> None:
    """Check the input tables against the data contract (nothing is written)."""
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_dataset

    rep = reporter(as_json, quiet)
    try:
        known = _store_accounts(store, workspace)
        ds = read_dataset(data_dir, known_accounts=known, reporter=rep)
        with rep.stage("normalise"):
            ds = normalize_dataset(ds)
    except LinkerError as err:
        rep.close()
        fail(err, as_json)
        return
    rep.close()
    summary = summarize(ds)
    if as_json:
        typer.echo(json.dumps(summary))
        return
    typer.echo(f"ok: {data_dir} matches the data contract")
    for line in table_lines(summary):
        typer.echo(line)
    req = summary["requests"]
    if req["exchanges"]:
        typer.echo(f"  requests: {plural(req['exchanges'], 'exchange')} by "
                   f"{plural(req['accounts'], 'account')}, {req['first_seen']} .. {req['last_seen']}")
    bad = {k: v for k, v in summary["unparseable"].items() if v}
    if bad:
        typer.echo("  not normalisable (treated as unknown): "
                   + ", ".join(f"{k} {v:,}" for k, v in bad.items()))
