"""CLI commands, one module per command family; importing registers them on linker.cli.app."""
from linker.commands import (  # noqa: F401,E402
    diff,
    export_stix,
    generate,
    neo4j,
    review,
    run,
    validate,
)
