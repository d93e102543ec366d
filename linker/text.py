"""Operations on columns of id strings done in Arrow, shared by the stages and the stores
(pandas' own versions of them go through Python objects on Arrow-backed strings)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linker.model import STRING


def isin(s: pd.Series, values: pd.Series | pd.Index | pa.Array) -> np.ndarray:
    """Boolean mask of `s` in `values`, hashed in Arrow. `values` may already be an Arrow
    array of distinct values (a caller testing many columns against one set converts it
    once)."""
    arr = pa.array(s.astype(STRING)).cast(pa.large_string())
    vals = values if isinstance(values, pa.Array) else pa.array(
        pd.Series(values, dtype=STRING).dropna().unique())
    found = pc.is_in(arr, value_set=vals.cast(pa.large_string()))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)
