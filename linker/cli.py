"""The `linker` console script: the Typer app with every command registered."""

from __future__ import annotations

from linker.commands import app

__all__ = ["app"]
