"""CLI commands, one module per command family; importing registers them on `app`
(linker/commands/base.py)."""
from linker.commands import (  # noqa: F401,E402
    config,
    diff,
    export_stix,
    generate,
    neo4j,
    review,
    run,
    validate,
    verdicts,
)
from linker.commands.base import app  # noqa: E402

__all__ = ["app"]
