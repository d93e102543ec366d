"""`linker config show|check`: the settings a run uses, with what each knob means."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from linker.commands.base import LinkerTyper, app, fail
from linker.errors import LinkerError

config_app = LinkerTyper(help="Show or check settings (TOML files for `linker run --config`).",
                         no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def show(
    config: Path | None = typer.Argument(
        None, help="A settings file or run.json to show merged over the defaults."),
    as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON."),
) -> None:
    """Print the settings (the defaults, or a file merged over them) as TOML with comments."""
    from linker.settings import load_settings, to_toml

    try:
        settings = load_settings(config)
    except LinkerError as err:
        fail(err, as_json)
    typer.echo(json.dumps(settings.to_dict(), indent=2) if as_json else to_toml(settings))


@config_app.command("check")
def check(
    config: Path = typer.Argument(..., help="A settings file (TOML) or run.json."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line on stdout."),
) -> None:
    """Check a settings file: unknown keys, wrong types and out-of-range values exit 2."""
    from linker.settings import load_settings

    try:
        load_settings(config)
    except LinkerError as err:
        fail(err, as_json)
    typer.echo(json.dumps({"ok": True}) if as_json else f"{config}: ok")
