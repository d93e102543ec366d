"""CLI commands, one module per command family; importing registers them on linker.cli.app."""
