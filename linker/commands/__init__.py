"""CLI commands, one module per command family; importing registers them on linker.cli.app."""
from linker.commands import diff, export_stix, generate, review, run, validate  # noqa: F401,E402
from linker.commands import neo4j  # noqa: F401,E402
