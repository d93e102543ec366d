"""`linker export stix OUT_DIR [--to FILE]`: the campaigns of a run as a STIX 2.1 bundle, read
from the output directory alone (no store, no input data)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import typer

from linker.commands.base import LinkerTyper, app, fail
from linker.errors import InputError, LinkerError


def export_group() -> typer.Typer:
    """The `linker export` command group, shared by every exporter that registers on it."""
    for info in app.registered_groups:
        if info.name == "export" and info.typer_instance is not None:
            return info.typer_instance
    group = LinkerTyper(help="Export a run's results in other formats.", no_args_is_help=True)
    app.add_typer(group, name="export")
    return group


export_app = export_group()


def _write_atomic(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@export_app.command("stix")
def stix(
    out_dir: Path = typer.Argument(..., help="Output directory of a run (holds run.json)."),
    to: Path | None = typer.Option(
        None, "--to", help="Bundle file to write (default OUT_DIR/campaigns.stix.json)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON summary on stdout."),
) -> None:
    """Write the run's campaigns, operators and indicators as a STIX 2.1 bundle."""
    from linker.outputs.findings import read_findings
    from linker.outputs.stix import STIX_FILE, campaigns_to_stix

    t0 = time.perf_counter()
    target = Path(to) if to is not None else Path(out_dir) / STIX_FILE
    try:
        findings = read_findings(out_dir)
        bundle = campaigns_to_stix(findings.campaigns, created=findings.run.get("started_at"))
        _write_atomic(json.dumps(bundle, indent=2, sort_keys=True) + "\n", target)
    except LinkerError as err:
        fail(err, as_json)
    except OSError as err:
        fail(InputError(f"cannot write the STIX bundle: {err.strerror}", file=str(err.filename)), as_json)
    types: dict[str, int] = {}
    for obj in bundle["objects"]:
        types[obj["type"]] = types.get(obj["type"], 0) + 1
    summary = {"ok": True, "run_id": findings.run_id, "file": str(target), "objects": types,
               "seconds": round(time.perf_counter() - t0, 3)}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"STIX bundle for run {findings.run_id}: {types.get('campaign', 0)} campaign(s), "
                   f"{types.get('indicator', 0)} indicator(s), {types.get('threat-actor', 0)} "
                   f"operator(s) → {target}")
