"""The Typer app and what every command shares: exit codes (0 ok, 1 run failure, 2 bad input
or usage), error printing, when to show progress. Commands register on `app` in their own
modules; `linker.cli` imports them all."""

from __future__ import annotations

import json
import sys

import typer

from linker import __version__
from linker.errors import LinkerError, redact_uri

app = typer.Typer(
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


def show_progress(as_json: bool) -> bool:
    """Progress bars only for a person at a terminal: not in --json mode, CI or pipes."""
    import os

    return not as_json and sys.stderr.isatty() and not os.environ.get("CI")
