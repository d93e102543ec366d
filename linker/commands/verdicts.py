"""`linker verdicts add|list`: the fraud team's review decisions, stored so that they last."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from linker.commands.base import app
from linker.commands.run import JsonOpt, StoreOpt, WaitOpt, WorkspaceOpt, _cli_errors
from linker.service import add_verdicts, open_store

verdicts_app = typer.Typer(help="Review verdicts: add a reviewers' file, list what is stored.",
                           no_args_is_help=True)
app.add_typer(verdicts_app, name="verdicts")


@verdicts_app.command("add")
def add(
    file: Path = typer.Argument(..., help="CSV or Parquet: subject (account_id or cluster_id), "
                                "verdict (confirmed|cleared|unsure), reviewer, decided_at, note."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    wait: bool = WaitOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Check FILE and store its verdicts (bad rows: exit 2, nothing stored); the next run
    applies them."""
    with _cli_errors(as_json):
        st = open_store(store, workspace)
        try:
            summary = add_verdicts(file, st, wait=wait)
        finally:
            st.close()
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"stored {summary['verdicts']} verdict(s) covering {summary['accounts']} "
                   f"account(s): {summary['by_verdict']}")


@verdicts_app.command("list")
def list_(
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the stored verdicts, one line per verdict and account."""
    with _cli_errors(as_json):
        st = open_store(store, workspace)
        try:
            df = st.verdicts()
        finally:
            st.close()
    if as_json:
        typer.echo(df.to_json(orient="records", date_format="iso"))
        return
    if len(df) == 0:
        typer.echo("no verdicts stored")
        return
    for r in df.itertuples(index=False):
        via = "" if r.subject_type == "account" else f" (ring {r.subject})"
        typer.echo(f"{r.decided_at}  {r.verdict:<9} {r.account_id}{via}  by {r.reviewer}")
