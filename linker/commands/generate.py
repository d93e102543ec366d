"""`linker generate OUT_DIR`: write a synthetic demo world (contract tables, indicators,
allow-list and ground truth) to try the linker and to measure it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from linker.commands.base import QuietOpt, app, reporter
from linker.progress import plural

AUTO_PARQUET_FROM = 200_000  # CSV of a million accounts is ~1.8 GB and twice as slow to write


@app.command()
def generate(
    out_dir: Path = typer.Argument(..., help="Directory to write the world into (created if missing)."),
    accounts: int = typer.Option(20_000, "--accounts", "-n", min=1_000, help="Number of accounts."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed writes the same bytes."),
    profile: str = typer.Option(None, "--profile", "-p",
                                help="World profile: baseline (default, realistic sharing), heavy_cgnat, "
                                     "vpn_heavy, enterprise, campus, launch_day, stealthy_fraud, camouflaged, "
                                     "low_and_slow, legacy_easy, legacy, legacy_hard."),
    difficulty: str = typer.Option(None, "--difficulty",
                                   help="Old levels easy, default, hard: the legacy_easy, legacy and "
                                        "legacy_hard profiles (the old demo world)."),
    weeks: int = typer.Option(1, "--weeks", min=1, help="Split into week1/ .. weekN/ data dirs."),
    fmt: str = typer.Option("auto", "--format",
                            help="csv, parquet, or auto (csv below 200,000 accounts, parquet from there)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary."),
    quiet: bool = QuietOpt,
) -> None:
    """Generate a demo world with innocent sharing, planted fraud rings and ground truth."""
    from linker.demo import DEFAULT_PROFILE, DIFFICULTY_PROFILES, FORMATS, PROFILES, generate_world

    if difficulty is not None and difficulty not in DIFFICULTY_PROFILES:
        raise typer.BadParameter(f"must be one of {', '.join(DIFFICULTY_PROFILES)}", param_hint="--difficulty")
    if profile is not None and profile not in PROFILES:
        raise typer.BadParameter(f"must be one of {', '.join(PROFILES)}", param_hint="--profile")
    if profile is not None and difficulty is not None:
        raise typer.BadParameter("give --profile or --difficulty, not both", param_hint="--difficulty")
    if profile is None:
        profile = DIFFICULTY_PROFILES[difficulty] if difficulty else DEFAULT_PROFILE
    if fmt == "auto":
        fmt = "csv" if accounts < AUTO_PARQUET_FROM else "parquet"
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    rep = reporter(as_json, quiet)
    try:
        truth = generate_world(out_dir, accounts=accounts, seed=seed, weeks=weeks, fmt=fmt,
                               profile=profile, reporter=rep)
    finally:
        rep.close()
    summary = {
        "ok": True,
        "out_dir": str(out_dir),
        "profile": profile,
        "accounts": accounts,
        "fraud_accounts": int(truth.accounts["is_fraud"].sum()),
        "campaigns": truth.campaigns[["campaign_id", "accounts", "rings", "exchanges"]].to_dict("records"),
        "files": {k: str(v) for k, v in truth.files.items()},
        "stats": {k: round(v, 3) for k, v in truth.stats.items()},
    }
    if as_json:
        typer.echo(json.dumps(summary, default=int))
        return
    typer.echo(f"wrote {accounts:,} accounts ({summary['fraud_accounts']:,} planted fraud), profile {profile}, "
               f"to {out_dir}")
    for c in summary["campaigns"]:
        typer.echo(f"  {c['campaign_id']}: {plural(c['accounts'], 'account')} in "
                   f"{plural(c['rings'], 'ring')}, {plural(c['exchanges'], 'exchange')}")
    typer.echo(f"truth: {out_dir / 'truth'}  side inputs: indicators.csv, allowlist.csv")
