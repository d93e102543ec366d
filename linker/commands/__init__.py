"""CLI commands, one module per command family; importing registers them on linker.cli.app."""
from linker.commands import diff, run, validate  # noqa: F401,E402
from linker.commands import review  # noqa: F401,E402
