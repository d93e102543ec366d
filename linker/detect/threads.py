"""Independent tasks of ring detection on a thread pool, or one by one without one.

numpy, scipy and Arrow release the GIL in their kernels, so tasks over shared arrays run
side by side on threads without copying anything; results come back in the items' order,
so either way the caller gets the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def pool_map(pool: Executor | None, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[fn(x) for x in items]`, on `pool`'s threads when given (a task's exception is
    raised here, after the tasks before it)."""
    return list(pool.map(fn, items) if pool is not None else map(fn, items))
