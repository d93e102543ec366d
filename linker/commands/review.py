"""`linker review` (HTML review packet of an output directory) and `linker explain` (why one
account was flagged). Both read only the output directory (and, with --redact, the redaction
key of the run's workspace or OUT_DIR): no store, no input data."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from linker.commands.base import app, fail
from linker.errors import InputError, LinkerError
from linker.progress import plural

WorkspaceOpt = typer.Option(
    None, "--workspace",
    help="Workspace whose redaction key to use (default: the run's workspace, else OUT_DIR).")


def key_home(out_dir: Path, workspace: Path | None, run: dict[str, Any]) -> Path:
    """Where the redaction key lives: the workspace given, else the run's embedded
    workspace when it still exists, else OUT_DIR. The same home gives the same tokens in
    packets and explanations, run after run."""
    if workspace is not None:
        return Path(workspace)
    recorded = (run.get("inputs") or {}).get("workspace")
    if recorded and Path(recorded).is_dir():
        return Path(recorded)
    return Path(out_dir)


@app.command()
def review(
    out_dir: Path = typer.Argument(..., help="Output directory of a run (holds run.json)."),
    redact: bool = typer.Option(
        False, "--redact", help="Mask e-mails, phones and IPs (for sharing beyond the fraud team)."
    ),
    dest: Path | None = typer.Option(
        None, "--dest", help="Write DEST/review/ instead of OUT_DIR/review/ (e.g. a redacted copy to share)."
    ),
    all_rings: bool = typer.Option(
        False, "--all", help="Render a page and picture for every ring (default: the "
        "review.rendered_rings highest-scoring; the index lists every ring either way)."),
    export_verdict_template: Path | None = typer.Option(
        None, "--export-verdict-template",
        help="Also write the review queue as a CSV for reviewers to fill (one row per ring and "
        "per account to review) and load with `linker verdicts add`."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON summary on stdout."),
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """Render the review packet: review/index.html and one self-contained page per ring."""
    from linker.outputs.csvsafe import to_csv
    from linker.outputs.findings import read_findings
    from linker.outputs.review import (
        PACKET_DIR,
        redaction_key,
        verdict_template,
        write_review_packet,
    )

    t0 = time.perf_counter()
    try:
        findings = read_findings(out_dir)
        if export_verdict_template is not None:
            to_csv(verdict_template(findings), export_verdict_template)
        target = Path(dest) if dest is not None else Path(out_dir)
        target.mkdir(parents=True, exist_ok=True)
        key = redaction_key(key_home(out_dir, workspace, findings.run)) if redact else None
        write_review_packet(findings, target, redact=redact, key=key, all_rings=all_rings)
    except LinkerError as err:
        fail(err, as_json)
    except OSError as err:
        fail(InputError(f"cannot write the review packet: {err.strerror}", file=str(err.filename)), as_json)
    index = target / PACKET_DIR / "index.html"
    summary = {
        "ok": True, "run_id": findings.run_id, "index": str(index), "rings": int(len(findings.clusters)),
        "redacted": redact, "seconds": round(time.perf_counter() - t0, 3),
        "pages": len(list((target / PACKET_DIR / "rings").glob("*.html"))),
        "verdict_template": str(export_verdict_template) if export_verdict_template else None,
    }
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"review packet for run {findings.run_id}: {summary['rings']} ring(s), "
                   f"{summary['pages']} page(s){' (redacted)' if redact else ''}; open {index}")
        if export_verdict_template:
            typer.echo(f"verdict template: {export_verdict_template} (fill verdict, reviewer, "
                       "decided_at; delete undecided rows; then `linker verdicts add`)")


@app.command()
def explain(
    account_id: str = typer.Argument(..., help="The account to explain."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output directory of a run."),
    redact: bool = typer.Option(False, "--redact", help="Mask e-mails, phones and IPs."),
    as_json: bool = typer.Option(False, "--json", help="Print the explanation as JSON."),
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """Why ACCOUNT_ID was flagged: ring, campaign, decision, reasons, shared identifiers, timing.

    Exit 0 when it is flagged, and also when it is a known account that is not flagged (that
    is the answer); exit 2 when no account has this id in the run's workspace (a typo, or
    another platform's id), or when it is not flagged and the workspace that would tell
    whether it exists is gone (or the run used Neo4j)."""
    from linker.outputs.findings import read_findings
    from linker.outputs.review import NotFlagged, explain_account, format_explanation, redaction_key

    try:
        findings = read_findings(out)
        key = redaction_key(key_home(out, workspace, findings.run)) if redact else None
        result = explain_account(findings, account_id, redact=redact, key=key)
    except NotFlagged as err:
        _not_flagged(account_id, err, findings.run, workspace, as_json)
        return
    except LinkerError as err:
        fail(err, as_json)
    if as_json:
        typer.echo(json.dumps(result, default=str))
    else:
        typer.echo(format_explanation(result))


def _run_workspace(run: dict[str, Any], workspace: Path | None) -> Path | None:
    """The embedded workspace holding the run's accounts, if it is still there."""
    home = workspace or (run.get("inputs") or {}).get("workspace")
    if home and (Path(home) / "tables" / "accounts.parquet").is_file():
        return Path(home)
    return None


def _not_flagged(account_id: str, err: LinkerError, run: dict[str, Any],
                 workspace: Path | None, as_json: bool) -> None:
    """An account the run did not flag: unknown (exit 2), known (exit 0), or cannot tell."""
    from linker.store.embedded import EmbeddedStore

    home = _run_workspace(run, workspace)
    if home is None:
        fail(InputError(f"{err}; whether an account {account_id!r} exists cannot be "
                        "checked (the run's workspace is gone or the run used Neo4j; pass "
                        "--workspace)"), as_json)
        return
    ids = EmbeddedStore(home).account_ids()
    if not bool((ids.astype(str) == account_id).any()):
        fail(InputError(f"unknown account {account_id!r}: no account has this id in workspace "
                        f"{home} ({plural(len(ids), 'account')})"), as_json)
        return
    run_id = run.get("run_id", "?")
    if as_json:
        typer.echo(json.dumps({"ok": True, "account_id": account_id, "run_id": run_id,
                               "flagged": False, "message": str(err)}))
    else:
        typer.echo(str(err))
