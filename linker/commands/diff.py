"""`linker diff RUN_A RUN_B`: what changed between two runs (a older, b newer).

Each of RUN_A / RUN_B is either an output directory (holding run.json) or a run id recorded
in the store (`--workspace DIR` for the embedded store, `--store neo4j`); `latest` and
`previous` name the store's last two runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from linker.commands.base import app, fail
from linker.errors import InputError, LinkerError
from linker.model import PreviousRun

SHOWN = 15  # rows per list in the readable summary; --json has everything

ALIASES = ("latest", "previous")


def _is_output_dir(ref: str) -> bool:
    return (Path(ref) / "run.json").is_file()


def resolve_runs(refs: list[str], store_kind: str, workspace: Path | None) -> list[PreviousRun]:
    """Each reference as a PreviousRun: an output directory, a run id or an alias."""
    from linker.history import as_previous
    from linker.outputs.findings import read_findings

    out: list[PreviousRun | None] = [None] * len(refs)
    wanted = []
    for i, ref in enumerate(refs):
        if _is_output_dir(ref):
            out[i] = as_previous(read_findings(Path(ref)))
        elif Path(ref).is_dir():
            raise InputError("not a linker output directory (no run.json)", file=ref)
        else:
            wanted.append(i)
    if wanted:
        from linker.service import open_store

        store = open_store(store_kind, workspace)
        try:
            runs = None
            for i in wanted:
                ref = refs[i]
                if ref in ALIASES:
                    runs = runs if runs is not None else [r.get("run_id") for r in store.runs()]
                    pos = -1 if ref == "latest" else -2
                    if len(runs) < -pos:
                        raise InputError(f"the store has {len(runs)} run(s): no '{ref}' run")
                    ref = str(runs[pos])
                run = store.get_run(ref)
                if run is None:
                    runs = runs if runs is not None else [r.get("run_id") for r in store.runs()]
                    known = ", ".join(map(str, runs[-5:])) or "none"
                    raise InputError(
                        f"no run '{ref}' in the {store_kind} store and no output directory of "
                        f"that name (latest runs: {known}; `linker runs` lists them all)"
                    )
                out[i] = run
        finally:
            store.close()
    return [r for r in out if r is not None]


def _table(title: str, columns: list[str], rows: list[list[Any]], total: int) -> Any:
    from rich.table import Table

    more = f" (first {len(rows)} of {total})" if total > len(rows) else ""
    t = Table(title=f"{title}{more}", title_justify="left", show_edge=False)
    numeric = {"before", "after", "change", "new", "gone", "grown", "shrunk"}
    for i, c in enumerate(columns):
        is_num = c in numeric or (rows and all(isinstance(r[i], int) for r in rows))
        # ids stay whole (people copy them into `linker diff`)
        t.add_column(c, justify="right" if is_num else "left", no_wrap=i == 0)
    for r in rows:
        t.add_row(*[str(v) for v in r])
    return t


def print_summary(d: dict[str, Any]) -> None:
    """A readable summary of a diff / changes dict (rich tables)."""
    from rich.console import Console

    con = Console()
    c = d["counts"]
    con.print(
        f"[bold]{d.get('previous_run_id') or '(nothing)'} → {d.get('run_id')}[/bold]: "
        f"{c['clusters']} clusters, {c['campaigns']} campaigns, {c['flagged']} flagged accounts"
    )
    summary = [
        [
            "clusters",
            c["new_clusters"],
            c["gone_clusters"],
            c["grown_clusters"],
            c["shrunk_clusters"],
        ],
        ["campaigns", c["new_campaigns"], c["gone_campaigns"], "", ""],
    ]
    con.print(_table("", ["", "new", "gone", "grown", "shrunk"], summary, len(summary)))
    con.print(
        f"accounts: {c['newly_flagged']} newly flagged, {c['no_longer_flagged']} no longer "
        f"flagged, {c['action_changed']} changed action, {c['moved_accounts']} moved cluster; "
        f"{c['merges']} merge(s), {c['splits']} split(s); {c['new_exchanges']} new exchanges"
    )
    if d.get("action_transitions"):
        con.print(
            "action changes: " + ", ".join(f"{k} {v}" for k, v in d["action_transitions"].items())
        )
    sized = [
        [r["cluster_id"], "grew", r["before"], r["after"], f"{r['after'] - r['before']:+d}"]
        for r in d["grown_clusters"]
    ] + [
        [r["cluster_id"], "shrank", r["before"], r["after"], f"{r['after'] - r['before']:+d}"]
        for r in d["shrunk_clusters"]
    ]
    if sized:
        sized.sort(key=lambda r: -abs(r[3] - r[2]))
        con.print(
            _table(
                "clusters that changed size",
                ["cluster", "", "before", "after", "change"],
                sized[:SHOWN],
                len(sized),
            )
        )
    for key, title in (
        ("new_clusters", "new clusters"),
        ("gone_clusters", "clusters gone"),
        ("new_campaigns", "new campaigns"),
        ("gone_campaigns", "campaigns gone"),
        ("newly_flagged", "newly flagged"),
        ("no_longer_flagged", "no longer flagged"),
    ):
        ids = d[key]
        if ids:
            shown = ", ".join(ids[:SHOWN]) + (
                f" … (+{len(ids) - SHOWN})" if len(ids) > SHOWN else ""
            )
            con.print(f"{title}: {shown}")
    active = [r for r in d["campaign_exchanges"] if r["new_exchanges"]]
    if active:
        active.sort(key=lambda r: (-r["new_exchanges"], r["campaign_id"]))
        con.print(
            _table(
                "new exchanges per campaign",
                ["campaign", "before", "after", "new"],
                [
                    [r["campaign_id"], r["before"], r["after"], r["new_exchanges"]]
                    for r in active[:SHOWN]
                ],
                len(active),
            )
        )
    for events, key, what in (
        (d["events"], "cluster_ids", "cluster"),
        (d.get("campaign_events") or [], "campaign_ids", "campaign"),
    ):
        for e in events:
            if e["type"] == "merge":
                con.print(f"{what} merge: {', '.join(e[key])} → {e['into']}")
            else:
                con.print(f"{what} split: {e['from']} → {', '.join(e[key])}")


@app.command()
def diff(
    run_a: str = typer.Argument(
        ..., help="Older run: output directory, run id, or previous/latest."
    ),
    run_b: str = typer.Argument(
        ..., help="Newer run: output directory, run id, or previous/latest."
    ),
    store: str = typer.Option(
        "embedded", "--store", help="Store holding run ids: embedded or neo4j."
    ),
    workspace: Path | None = typer.Option(
        None,
        "--workspace",
        help="Embedded store directory (default: $LINKER_WORKSPACE or ./.linker).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole diff as JSON."),
) -> None:
    """What changed from RUN_A to RUN_B (clusters, campaigns, flagged accounts, merges/splits).

    Each run is an output directory or a run id in the store (or previous / latest)."""
    from linker.history import diff_runs

    try:
        a, b = resolve_runs([run_a, run_b], store, workspace)
        result = diff_runs(a, b)
    except LinkerError as err:
        fail(err, as_json)
        return
    if as_json:
        typer.echo(json.dumps(result, default=str))
    else:
        print_summary(result)


@app.command()
def runs(
    store: str = typer.Option("embedded", "--store", help="Store to list: embedded or neo4j."),
    workspace: Path | None = typer.Option(
        None,
        "--workspace",
        help="Embedded store directory (default: $LINKER_WORKSPACE or ./.linker).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the run records as JSON."),
) -> None:
    """List the runs recorded in the store, oldest first (ids for `linker diff`)."""
    from linker.service import open_store

    try:
        st = open_store(store, workspace)
        try:
            records = st.runs()
        finally:
            st.close()
    except LinkerError as err:
        fail(err, as_json)
        return
    rows = [
        {
            "run_id": r.get("run_id"),
            "started_at": r.get("started_at"),
            "previous_run_id": r.get("previous_run_id"),
            **{
                k: (r.get("counts") or {}).get(k)
                for k in ("accounts", "flagged", "clusters", "campaigns")
            },
        }
        for r in records
    ]
    if as_json:
        typer.echo(json.dumps(rows, default=str))
        return
    from rich.console import Console

    cols = ["run_id", "accounts", "flagged", "clusters", "campaigns"]
    Console().print(
        _table(f"{len(rows)} run(s)", cols, [[r[c] for c in cols] for r in rows], len(rows))
    )
