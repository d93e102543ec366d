"""The Typer app and what every command shares: exit codes (0 ok, 1 run failure, 2 bad input
or usage), error printing, when to show progress. Commands register on `app` in their own
modules; `linker.cli` imports them all."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from linker import __version__
from linker.errors import LinkerError, redact_uri
from linker.progress import Reporter, reporter_for


def _plain_usage(params: list[Any]) -> None:
    """Help as people read it: a flag (`--json`) shows no `<bool>` type."""
    for p in params:
        if getattr(p, "is_flag", False) and p.metavar is None:
            p.metavar = ""


class _PlainHelp:
    """`--help` is a flag too."""

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            _plain_usage([opt])
        return opt


class LinkerCommand(_PlainHelp, TyperCommand):
    """Usage lines name arguments as `DATA_DIR` (typer prints `{data_dir}`) and flags carry
    no `<bool>` metavar."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _plain_usage(self.params)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for p in self.get_params(ctx):
            if p.param_type_name == "argument":
                name = (p.metavar or p.name or "").upper()
                name = name if p.required else f"[{name}]"
                pieces.append(name + ("..." if p.nargs != 1 else ""))
        return pieces


class LinkerGroup(_PlainHelp, TyperGroup):
    """A command group whose commands are `LinkerCommand`s (see there)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _plain_usage(self.params)


class LinkerTyper(typer.Typer):
    """`typer.Typer` whose commands and groups default to the classes above."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("cls", LinkerGroup)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def command(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        kwargs.setdefault("cls", LinkerCommand)
        return super().command(*args, **kwargs)  # type: ignore[arg-type]


app = LinkerTyper(
    name="linker",
    help="Find networks of fraudulent accounts in AI-platform metadata.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linker {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool | None = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """linker: link accounts, find rings, group campaigns, export decisions."""


def fail(err: LinkerError, as_json: bool) -> None:
    """Print an error (never a traceback for expected failures) and exit with its code.
    Credentials in any URI of the message are masked."""
    message = redact_uri(err)
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message, "exit_code": err.exit_code}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(err.exit_code)


QuietOpt = typer.Option(False, "--quiet", "-q", help="Print no progress (errors and the result only).")


def reporter(as_json: bool, quiet: bool = False) -> Reporter:
    """Progress for this command: live lines on a terminal, one line per stage on other
    stderr, nothing with --quiet or --json (stdout then holds only the JSON)."""
    return reporter_for(quiet=quiet, as_json=as_json)


def show_progress(as_json: bool) -> bool:
    """Progress bars only for a person at a terminal: not in --json mode, CI or pipes."""
    import os

    return not as_json and sys.stderr.isatty() and not os.environ.get("CI")
