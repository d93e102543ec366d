"""Errors that map to the CLI's exit codes: 2 for bad input or usage, 1 for run failures."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def redact_uri(text: object) -> str:
    """`text` with the user:password part of any URI in it replaced by `***` (a NEO4J_URI may
    carry credentials; messages and logs must never echo them)."""
    return _USERINFO.sub(r"\1***@", str(text))


class LinkerError(Exception):
    exit_code = 1


class InputError(LinkerError):
    """Bad input: names the file, the column and the first offending rows (1-based line numbers
    as a person sees them in the file, header = line 1)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        lines: list[int] | None = None,
    ) -> None:
        self.file = file
        self.column = column
        self.lines = list(lines or [])
        parts = []
        if file:
            parts.append(file)
        if column:
            parts.append(f"column '{column}'")
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines[:10])
            more = "" if len(self.lines) <= 10 else f" (and {len(self.lines) - 10} more)"
            parts.append(f"line(s) {shown}{more}")
        where = ": ".join([" ".join(parts)]) if parts else ""
        super().__init__(f"{where}: {message}" if where else message)


class StoreError(LinkerError):
    """The store (Neo4j or the workspace) could not be reached or written."""
