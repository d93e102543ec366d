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


@app.command()
def calibrate(
    out: Path = typer.Option(..., "--out", "-o",
                             help="Settings file (TOML) to write: the base settings with the "
                             "fitted [feedback] weights. Written only here, never elsewhere."),
    config: Path | None = typer.Option(None, "--config", help="Base settings (default: the defaults)."),
    min_recall: float = typer.Option(0.95, "--min-recall", min=0.0, max=1.0,
                                     help="Share of confirmed accounts the review filter must keep."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Fit reason weights from the stored verdicts (regularised logistic regression with
    cross-validation), report per reason how often reviewers confirmed it and the held-out
    precision/recall change, and write a settings file for `linker run --config`."""
    from linker.errors import InputError
    from linker.feedback.calibrate import calibrate as fit
    from linker.feedback.calibrate import report_lines
    from linker.settings import load_settings, to_toml

    with _cli_errors(as_json):
        if out.exists() and not force:
            raise InputError("exists (use --force to replace it)", file=str(out))
        base = load_settings(config)
        st = open_store(store, workspace)
        try:
            verdict_rows = st.verdicts()
        finally:
            st.close()
        cal = fit(verdict_rows, folds=folds, min_recall=min_recall)
        settings = base.replace("feedback", model_intercept=cal.intercept,
                                model_weights=cal.weights,
                                review_min_probability=cal.threshold)
        header = "\n".join(f"# {line}" for line in ["written by `linker calibrate`",
                                                     *report_lines(cal)])
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(header + "\n" + to_toml(settings), encoding="utf-8")
        load_settings(tmp)  # what `linker run --config` will read back
        tmp.replace(out)
    if as_json:
        typer.echo(json.dumps({"ok": True, "out": str(out), **cal.to_dict()}))
    else:
        for line in report_lines(cal):
            typer.echo(line)
        typer.echo(f"wrote {out} (use: linker run DATA --config {out})")
