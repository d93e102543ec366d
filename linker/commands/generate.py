"""`linker generate OUT_DIR`: write a synthetic demo world (contract tables, indicators,
allow-list and ground truth) to try the linker and to measure it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from linker.commands.base import app

AUTO_PARQUET_FROM = 200_000  # CSV of a million accounts is ~1.8 GB and twice as slow to write


@app.command()
def generate(
    out_dir: Path = typer.Argument(..., help="Directory to write the world into (created if missing)."),
    accounts: int = typer.Option(20_000, "--accounts", "-n", min=1_000, help="Number of accounts."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed writes the same bytes."),
    difficulty: str = typer.Option("default", "--difficulty", help="easy, default or hard."),
    weeks: int = typer.Option(1, "--weeks", min=1, help="Split into week1/ .. weekN/ data dirs."),
    fmt: str = typer.Option("auto", "--format",
                            help="csv, parquet, or auto (csv below 200,000 accounts, parquet from there)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Generate a demo world with innocent sharing, planted fraud rings and ground truth."""
    from linker.demo import DIFFICULTIES, FORMATS, generate_world

    if difficulty not in DIFFICULTIES:
        raise typer.BadParameter(f"must be one of {', '.join(DIFFICULTIES)}", param_hint="--difficulty")
    if fmt == "auto":
        fmt = "csv" if accounts < AUTO_PARQUET_FROM else "parquet"
    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    truth = generate_world(out_dir, accounts=accounts, seed=seed, difficulty=difficulty, weeks=weeks, fmt=fmt)
    summary = {
        "ok": True,
        "out_dir": str(out_dir),
        "accounts": accounts,
        "fraud_accounts": int(truth.accounts["is_fraud"].sum()),
        "campaigns": truth.campaigns[["campaign_id", "accounts", "rings", "exchanges"]].to_dict("records"),
        "files": {k: str(v) for k, v in truth.files.items()},
        "stats": {k: round(v, 3) for k, v in truth.stats.items()},
    }
    if as_json:
        typer.echo(json.dumps(summary, default=int))
        return
    typer.echo(f"wrote {accounts:,} accounts ({summary['fraud_accounts']:,} planted fraud) to {out_dir}")
    for c in summary["campaigns"]:
        typer.echo(f"  {c['campaign_id']}: {c['accounts']:,} accounts in {c['rings']} rings, "
                   f"{c['exchanges']:,} exchanges")
    typer.echo(f"truth: {out_dir / 'truth'}  side inputs: indicators.csv, allowlist.csv")
