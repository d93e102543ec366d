"""`linker load`, `linker run` and `linker demo`: the main job."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from linker.commands.base import app, fail, show_progress
from linker.errors import InputError, LinkerError

StoreOpt = typer.Option("embedded", "--store", help="Where data and runs live: embedded (files) or neo4j.")
WorkspaceOpt = typer.Option(
    None, "--workspace", help="Embedded store directory (default: $LINKER_WORKSPACE or ./.linker)."
)
JsonOpt = typer.Option(False, "--json", help="Print one JSON summary on stdout; no progress bars.")


def open_store(kind: str, workspace: Path | None) -> Any:
    """The store named on the command line; Neo4j settings come from NEO4J_* variables."""
    if kind == "embedded":
        from linker.store.embedded import EmbeddedStore

        return EmbeddedStore(workspace)
    if kind == "neo4j":
        from linker.store.neo4j import Neo4jStore

        return Neo4jStore.from_env()
    raise InputError(f"unknown store '{kind}' (use embedded or neo4j)")


def read_side_inputs(
    allowlist: Path | None, indicators: Path | None
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    from linker.ingest.read import read_allowlist, read_indicators

    allow = read_allowlist(allowlist) if allowlist else None
    ind = read_indicators(indicators) if indicators else None
    return allow, ind


def read_batch(data_dir: Path, store: Any, progress: bool) -> Any:
    """Read, validate and normalise one input directory (raises InputError before any write)."""
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_dataset

    known = store.account_ids() if hasattr(store, "account_ids") else None
    ds = read_dataset(Path(data_dir), progress=progress, known_accounts=known)
    return normalize_dataset(ds)


def output_writers() -> list[Any]:
    """The writers beyond the contract's tables: report, review packet, STIX bundle."""
    from linker.outputs.report import write_report
    from linker.outputs.review import write_review_packet
    from linker.outputs.stix import write_stix

    return [write_report, write_review_packet, write_stix]


def execute(
    data_dir: Path,
    out: Path,
    *,
    store_kind: str = "embedded",
    workspace: Path | None = None,
    allowlist: Path | None = None,
    indicators: Path | None = None,
    params: dict[str, Any] | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Validate → load → link → cluster → campaigns → ids → outputs → record the run."""
    from linker.outputs.export import check_out_dir, write_outputs
    from linker.pipeline import Timer, run_pipeline

    timer = Timer()
    check_out_dir(out)
    allow, ind = read_side_inputs(allowlist, indicators)
    store = open_store(store_kind, workspace)
    try:
        with timer.stage("read"):
            batch = read_batch(data_dir, store, progress)
        with timer.stage("load"):
            stats = store.load(batch)
        batch_files = batch.info.files
        del batch  # the store now holds it; keeping both copies doubles peak memory
        with timer.stage("fetch"):
            ds = store.dataset()
        previous = store.previous_run()
        findings = run_pipeline(
            ds, allowlist=allow, indicators=ind, previous=previous,
            params={"store": store_kind, **(params or {})}, progress=progress, timer=timer,
        )
        findings.run["inputs"] = {
            "data_dir": str(data_dir), "files": batch_files,
            "loaded": {"skipped_files": stats.skipped_files, "rows_per_second": {
                k: round(v) for k, v in stats.rows_per_second().items()}},
            "store": ds.info.files,
            # where `review --redact` / `explain --redact` find the redaction key
            "workspace": str(Path(store.root).resolve()) if hasattr(store, "root") else None,
            "allowlist": str(allowlist) if allowlist else None,
            "indicators": str(indicators) if indicators else None,
        }
        with timer.stage("export"):
            write_outputs(findings, out, writers=output_writers())
        store.write_results(findings)
    finally:
        store.close()
    return {
        "ok": True,
        "run_id": findings.run_id,
        "out": str(out),
        "counts": findings.run["counts"],
        "timings": timer.seconds,
        "changes": (findings.changes or {}).get("counts", {}),
    }


def _print_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary, default=str))
        return
    c = summary["counts"]
    typer.echo(
        f"run {summary['run_id']}: {c['accounts']} accounts, {c['clusters']} rings in "
        f"{c['campaigns']} campaigns; {c['suspend']} to suspend, {c['review']} to review"
    )
    typer.echo(f"outputs in {summary['out']} (suspensions.csv, clusters.csv, members.csv, "
               "campaigns.json, report.html, review/index.html, run.json)")


@contextmanager
def _cli_errors(as_json: bool):  # type: ignore[no-untyped-def]
    try:
        yield
    except LinkerError as err:
        fail(err, as_json)


@app.command()
def run(
    data_dir: Path = typer.Argument(..., help="Directory holding accounts / payments / ip_events / requests."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output directory (replaced atomically)."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    allowlist: Path | None = typer.Option(None, "--allowlist", help="CSV of identifiers/accounts known to be shared legitimately."),
    indicators: Path | None = typer.Option(None, "--indicators", help="CSV of threat-intel indicators for attribution."),
    resolution: float | None = typer.Option(None, "--resolution", help="Louvain resolution (default: tuned value)."),
    seed: int | None = typer.Option(None, "--seed", help="Louvain random seed (default: fixed)."),
    as_json: bool = JsonOpt,
) -> None:
    """Load DATA_DIR into the store and run the whole job on everything loaded so far."""
    ring_params: dict[str, Any] = {}
    if resolution is not None:
        ring_params["resolution"] = resolution
    if seed is not None:
        ring_params["seed"] = seed
    with _cli_errors(as_json):
        summary = execute(
            data_dir, out, store_kind=store, workspace=workspace, allowlist=allowlist,
            indicators=indicators, params={"rings": ring_params} if ring_params else None,
            progress=show_progress(as_json),
        )
    _print_summary(summary, as_json)


@app.command()
def load(
    data_dir: Path = typer.Argument(..., help="Directory holding a batch of input tables."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Validate and load a batch into the store without running (idempotent, incremental)."""
    with _cli_errors(as_json):
        st = open_store(store, workspace)
        try:
            batch = read_batch(data_dir, st, show_progress(as_json))
            stats = st.load(batch)
        finally:
            st.close()
    summary = {"ok": True, "rows": stats.rows, "added": stats.added,
               "skipped_files": stats.skipped_files, "seconds": round(stats.seconds, 3)}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"loaded {sum(stats.rows.values())} rows; added {stats.added}; "
                   f"skipped {len(stats.skipped_files)} file(s) already loaded")


@app.command()
def demo(
    out: Path = typer.Option(Path("linker-demo"), "--out", "-o", help="Demo directory: data/, out/, workspace/."),
    accounts: int = typer.Option(20_000, "--accounts", "-n", min=1_000,
                                 help="Accounts in the generated world."),
    seed: int = typer.Option(7, "--seed", help="World seed."),
    difficulty: str = typer.Option("default", "--difficulty", help="easy, default or hard."),
    as_json: bool = JsonOpt,
) -> None:
    """Generate a demo world, run the whole job on it (embedded store), and score it against
    the planted truth."""
    from linker.demo import DIFFICULTIES, generate_world

    if difficulty not in DIFFICULTIES:  # the same checks as `linker generate`
        raise typer.BadParameter(f"must be one of {', '.join(DIFFICULTIES)}",
                                 param_hint="--difficulty")
    data = out / "data"
    workspace = out / "workspace"
    with _cli_errors(as_json):
        shutil.rmtree(workspace, ignore_errors=True)  # a demo always starts from a fresh store
        truth = generate_world(data, accounts=accounts, seed=seed, difficulty=difficulty)
        summary = execute(
            data, out / "out", workspace=workspace, allowlist=data / "allowlist.csv",
            indicators=data / "indicators.csv", progress=show_progress(as_json),
        )
    summary["truth"] = score_against_truth(out / "out", truth.accounts)
    _print_summary(summary, as_json)
    if not as_json:
        t = summary["truth"]
        typer.echo(
            f"against the planted truth: suspend precision {t['suspend_precision']:.4f}, "
            f"recall {t['suspend_recall']:.4f} ({t['suspend_recall_clear']:.4f} on rings with clear "
            f"evidence); flagged recall {t['flagged_recall']:.4f}; "
            f"legit suspended {t['legit_suspended']}; allow-listed suspended {t['allowlisted_suspended']}"
        )
        typer.echo(f"open {out / 'out' / 'report.html'} and {out / 'out' / 'review' / 'index.html'}")


def score_against_truth(out_dir: Path, truth_accounts: pd.DataFrame) -> dict[str, Any]:
    """Suspend precision/recall of an output directory against planted ground truth."""
    sus = pd.read_csv(out_dir / "suspensions.csv", dtype={"account_id": "string"})
    t = truth_accounts[["account_id", "is_fraud", "allowlisted", "evidence"]].copy()
    t["account_id"] = t["account_id"].astype("string")
    t["is_fraud"] = t["is_fraud"].astype(str).str.lower().isin(["true", "1"])
    t["allowlisted"] = t["allowlisted"].astype(str).str.lower().isin(["true", "1"])
    m = t.merge(sus[["account_id", "action"]], on="account_id", how="left")
    suspended = m["action"].eq("suspend")
    flagged = m["action"].notna()
    fraud = m["is_fraud"]
    clear = fraud & m["evidence"].eq("clear")
    return {
        "suspend_precision": float((suspended & fraud).sum() / max(int(suspended.sum()), 1)),
        "suspend_recall": float((suspended & fraud).sum() / max(int(fraud.sum()), 1)),
        "suspend_recall_clear": float((suspended & clear).sum() / max(int(clear.sum()), 1)),
        "flagged_recall": float((flagged & fraud).sum() / max(int(fraud.sum()), 1)),
        "legit_suspended": int((suspended & ~fraud).sum()),
        "allowlisted_suspended": int((suspended & m["allowlisted"]).sum()),
    }
