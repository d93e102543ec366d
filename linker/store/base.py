"""The small interface both stores implement, so that the pipeline never knows which one it
talks to (and so that parity between them can be tested)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from linker.model import Dataset, Findings, LoadStats, PreviousRun


class Store(Protocol):
    name: str

    def load(self, ds: Dataset, *, commit: bool = True) -> LoadStats:
        """Add a batch: idempotent (the same batch twice changes nothing), incremental (union).
        commit=False keeps it provisional until `commit()` (or `rollback()`)."""

    def lock(self, *, wait: bool = False) -> AbstractContextManager[list[str]]:
        """Hold the store for one run (exit 3 if another holds it, or wait); on taking it,
        recover what a crashed run left. Yields one line per thing cleaned up."""

    def commit(self) -> None:
        """Make this run's loads permanent (after its results are recorded)."""

    def rollback(self) -> None:
        """Undo (or mark for reload) this run's uncommitted loads."""

    def account_ids(self) -> Any:
        """Ids of every account loaded so far (a Series), so a batch may refer to them."""

    def dataset(self) -> Dataset:
        """Everything loaded so far, as one Dataset (what the pipeline runs on)."""

    def write_results(self, findings: Findings) -> None:
        """Record a run and its results (rings, campaigns, scores, memberships)."""

    def previous_run(self) -> PreviousRun | None:
        """The latest recorded run, or None."""

    def runs(self) -> list[dict[str, Any]]:
        """All recorded runs (run.json records), oldest first."""

    def get_run(self, run_id: str) -> PreviousRun | None:
        """A recorded run by id (for `linker diff`)."""

    def add_verdicts(self, rows: Any) -> int:
        """Store review verdict rows (linker.feedback.verdicts.STORED_COLUMNS) so that they last
        across runs; the same verdict filed twice is kept once."""

    def verdicts(self) -> Any:
        """Every stored verdict row (a DataFrame), in filing order."""

    def close(self) -> None: ...
