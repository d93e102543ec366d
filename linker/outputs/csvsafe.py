"""CSV cells that a spreadsheet would run as a formula are neutralised (CSV injection).

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single
quote (the OWASP rule), so that `=HYPERLINK(...)` in a device id shows as text in Excel, Numbers
or LibreOffice instead of running. A value that is a plain number or an E.164 phone number
(`-3`, `+14155550100`) is left alone: it cannot be a formula and must stay comparable.
Every CSV linker writes goes through `to_csv`; `restore` undoes it when linker reads its
own outputs back (a value that itself starts with quotes before such a character gets one
more quote, so the round trip is exact).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

_RISKY_START = r"^'*[=+\-@\t\r]"
_ESCAPED = r"^'+[=+\-@\t\r]"
_PLAIN_NUMBER = r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|\+[0-9]{6,15}"


def neutralise(values: pd.Series) -> pd.Series:
    """Text values with a formula-like start prefixed by `'`; numbers and <NA> unchanged."""
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return values
    s = values.astype("string")
    risky = (s.str.contains(_RISKY_START, regex=True) & ~s.str.fullmatch(_PLAIN_NUMBER))
    risky = risky.fillna(False).astype(bool)
    if not risky.any():
        return values
    return s.where(~risky, "'" + s)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{str(c): neutralise(frame[c]) for c in frame.columns})


def to_csv(frame: pd.DataFrame, path: Path | None = None) -> str | None:
    """`frame.to_csv` (no index, LF line ends) with formula-like cells neutralised; returns the
    text when `path` is None."""
    return neutralise_frame(frame).to_csv(path, index=False, lineterminator="\n")


def restore(values: pd.Series) -> pd.Series:
    """The inverse of `neutralise` (for linker reading its own CSVs back)."""
    s = values.astype("string")
    escaped = s.str.contains(_ESCAPED, regex=True).fillna(False).astype(bool)
    if not escaped.any():
        return values
    return s.where(~escaped, s.str.slice(1))
