"""The Cypher the Neo4j store runs lives in `cypher/` as files with parameters (one query per
file), so that analysts can read and reuse them in Neo4j Browser and no query is ever built
from data. Found in the repository checkout or, in an installed wheel, in `linker/cypher`."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def cypher_dir() -> Path:
    """`linker/cypher` in a wheel (force-included), else `cypher/` at the repository root."""
    for d in (_HERE.parent / "cypher", _HERE.parent.parent / "cypher"):
        if (d / "schema.cypher").is_file():
            return d
    raise FileNotFoundError("cypher/ directory not found beside the linker package")


@cache
def query(name: str) -> str:
    """The text of `cypher/<name>.cypher` (e.g. "load/accounts", "review_ring")."""
    if not re.fullmatch(r"[a-z_]+(/[a-z_]+)?", name):
        raise ValueError(f"bad query name {name!r}")
    return (cypher_dir() / f"{name}.cypher").read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """A file of several statements (e.g. schema) split at `;`, comments dropped."""
    text = "\n".join(
        ln for ln in query(name).splitlines() if not ln.lstrip().startswith("//")
    )
    return [s.strip() for s in text.split(";") if s.strip()]
