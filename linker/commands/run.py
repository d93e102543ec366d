"""`linker load`, `linker run` and `linker demo`: the main job."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from linker.commands.base import QuietOpt, app, fail, reporter
from linker.errors import LinkerError
from linker.progress import plural
from linker.service import load_note, open_store, read_batch, run_once
from linker.settings import load_settings

StoreOpt = typer.Option("embedded", "--store", help="Where data and runs live: embedded (files) or neo4j.")
WorkspaceOpt = typer.Option(
    None, "--workspace", help="Embedded store directory (default: $LINKER_WORKSPACE or ./.linker)."
)
JsonOpt = typer.Option(False, "--json", help="Print one JSON summary on stdout and nothing else.")

# what a run writes into OUT_DIR, in the order the summary names them
OUTPUT_FILES = ("suspensions.csv", "clusters.csv", "members.csv", "campaigns.json", "report.md",
                "report.html", "review/index.html", "changes.json", "campaigns.stix.json",
                "run.json")
WaitOpt = typer.Option(
    False, "--wait", help="If another run holds the store, wait for it instead of failing (exit 3)."
)
ConfigOpt = typer.Option(
    None, "--config", help="Settings file (TOML), or a run.json to replay that run's settings."
)


def _print_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary, default=str))
        return
    c = summary["counts"]
    typer.echo(
        f"run {summary['run_id']}: {plural(c['accounts'], 'account')}, "
        f"{plural(c['clusters'], 'ring')} in {plural(c['campaigns'], 'campaign')}; "
        f"{c['suspend']:,} to suspend, {c['review']:,} to review"
        + (f" ({c['review_left_out']:,} more left out by the review limit)"
           if c.get("review_left_out") else "")
    )
    typer.echo(f"outputs in {summary['out']} ({', '.join(written_files(Path(summary['out'])))})")


def written_files(out: Path) -> list[str]:
    """The output files a run wrote, as named in the summary line."""
    return [name for name in OUTPUT_FILES if (out / name).exists()]


@contextmanager
def _cli_errors(as_json: bool):  # type: ignore[no-untyped-def]
    try:
        yield
    except LinkerError as err:
        fail(err, as_json)
    except Exception as err:  # noqa: BLE001
        from linker.store.neo4j import driver_error

        translated = driver_error(err)
        if translated is None:
            raise
        fail(translated, as_json)


def note_line(note: str) -> None:
    """One line on stderr about housekeeping (recovery, leftovers)."""
    typer.echo(f"note: {note}", err=True)


@app.command()
def run(
    data_dir: Path = typer.Argument(..., help="Directory holding accounts / payments / ip_events / requests."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output directory (replaced atomically)."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    allowlist: Path | None = typer.Option(None, "--allowlist", help="CSV of identifiers/accounts known to be shared legitimately."),
    indicators: Path | None = typer.Option(None, "--indicators", help="CSV of threat-intel indicators for attribution."),
    verdicts: Path | None = typer.Option(
        None, "--verdicts", help="CSV/Parquet of review verdicts (subject, verdict, reviewer, "
        "decided_at, note) to store and apply in this run."),
    config: Path | None = ConfigOpt,
    resolution: float | None = typer.Option(None, "--resolution", help="Louvain resolution (overrides rings.resolution)."),
    seed: int | None = typer.Option(None, "--seed", help="Louvain random seed (overrides rings.seed)."),
    review_limit: int | None = typer.Option(
        None, "--review-limit", min=0,
        help="Cap the review queue at the N highest-scoring accounts (overrides rings.review_limit)."),
    cluster: str | None = typer.Option(
        None, "--cluster",
        help="Where the link graph is split into communities: python (default) or gds (GDS "
        "Leiden in Neo4j, with --store neo4j; overrides rings.cluster)."),
    wait: bool = WaitOpt,
    as_json: bool = JsonOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Load DATA_DIR into the store and run the whole job on everything loaded so far."""
    with _cli_errors(as_json):
        settings = load_settings(config)
        overrides = {k: v for k, v in (("resolution", resolution), ("seed", seed),
                                        ("review_limit", review_limit), ("cluster", cluster))
                     if v is not None}
        if overrides:
            settings = settings.replace("rings", **overrides)
        summary = run_once(data_dir, out, store_kind=store, workspace=workspace,
                           settings=settings, allowlist=allowlist, indicators=indicators,
                           verdicts=verdicts, wait=wait, notify=note_line,
                           reporter=reporter(as_json, quiet))
    _print_summary(summary, as_json)


@app.command()
def load(
    data_dir: Path = typer.Argument(..., help="Directory holding a batch of input tables."),
    store: str = StoreOpt,
    workspace: Path | None = WorkspaceOpt,
    wait: bool = WaitOpt,
    as_json: bool = JsonOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Validate and load a batch into the store without running (idempotent, incremental)."""
    rep = reporter(as_json, quiet)
    with _cli_errors(as_json):
        st = open_store(store, workspace)
        try:
            with st.lock(wait=wait) as cleaned:
                for note in cleaned:
                    note_line(note)
                with rep.stage("read"):
                    batch = read_batch(data_dir, st, reporter=rep)
                with rep.stage("load") as stage:
                    stats = st.load(batch)
                    stage.note(load_note(stats))
        finally:
            rep.close()
            st.close()
    summary = {"ok": True, "rows": stats.rows, "added": stats.added,
               "skipped_files": stats.skipped_files, "seconds": round(stats.seconds, 3)}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"loaded {plural(sum(stats.rows.values()), 'row')} from {data_dir}: "
                   f"{load_note(stats)}")


@app.command()
def demo(
    out: Path = typer.Option(Path("linker-demo"), "--out", "-o", help="Demo directory: data/, out/, workspace/."),
    accounts: int = typer.Option(20_000, "--accounts", "-n", min=1_000,
                                 help="Accounts in the generated world."),
    seed: int = typer.Option(7, "--seed", help="World seed."),
    profile: str = typer.Option("baseline", "--profile", "-p",
                                help="World profile (see `linker generate --help`)."),
    as_json: bool = JsonOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Generate a demo world with realistic innocent sharing, run the whole job on it
    (embedded store), and score it against the planted truth."""
    from linker.demo import PROFILES, generate_world

    if profile not in PROFILES:  # the same checks as `linker generate`
        raise typer.BadParameter(f"must be one of {', '.join(PROFILES)}", param_hint="--profile")
    data = out / "data"
    workspace = out / "workspace"
    rep = reporter(as_json, quiet)
    with _cli_errors(as_json):
        shutil.rmtree(workspace, ignore_errors=True)  # a demo always starts from a fresh store
        with rep.stage("generate") as stage:
            truth = generate_world(data, accounts=accounts, seed=seed, profile=profile,
                                   reporter=rep)
            stage.note(f"{plural(accounts, 'account')} in {data}")
        summary = run_once(data, out / "out", workspace=workspace, allowlist=data / "allowlist.csv",
                           indicators=data / "indicators.csv", reporter=rep)
    rep.close()
    summary["truth"] = score_against_truth(out / "out", truth.accounts)
    _print_summary(summary, as_json)
    if not as_json:
        for line in truth_lines(summary["truth"]):
            typer.echo(line)
        typer.echo(f"open {out / 'out' / 'report.html'} and {out / 'out' / 'review' / 'index.html'}")


def truth_lines(t: dict[str, Any]) -> list[str]:
    """The demo's score against the planted truth, in counts first so that no bare ratio
    reads as a verdict: how many planted accounts were suspended automatically, how many
    went to review, how many innocent accounts were touched."""
    pct = lambda x: f"{100 * x:.1f}%"  # noqa: E731
    return [
        f"against the planted truth ({plural(t['fraud'], 'fraud account')} planted):",
        f"  suspended automatically: {t['suspended_fraud']:,} of them ({pct(t['suspend_recall'])};"
        f" {pct(t['suspend_recall_clear'])} of those in rings with clear evidence), "
        f"at precision {pct(t['suspend_precision'])}",
        f"  flagged for suspension or review: {t['flagged_fraud']:,} ({pct(t['flagged_recall'])})",
        f"  innocent accounts suspended: {t['legit_suspended']:,}; "
        f"allow-listed accounts suspended: {t['allowlisted_suspended']:,}",
    ]


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
        "fraud": int(fraud.sum()),
        "suspended_fraud": int((suspended & fraud).sum()),
        "flagged_fraud": int((flagged & fraud).sum()),
        "suspend_precision": float((suspended & fraud).sum() / max(int(suspended.sum()), 1)),
        "suspend_recall": float((suspended & fraud).sum() / max(int(fraud.sum()), 1)),
        "suspend_recall_clear": float((suspended & clear).sum() / max(int(clear.sum()), 1)),
        "flagged_recall": float((flagged & fraud).sum() / max(int(fraud.sum()), 1)),
        "legit_suspended": int((suspended & ~fraud).sum()),
        "allowlisted_suspended": int((suspended & m["allowlisted"]).sum()),
    }
