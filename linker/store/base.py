"""The small interface both stores implement, so that the pipeline never knows which one it
talks to (and so that parity between them can be tested)."""

from __future__ import annotations

from typing import Any, Protocol

from linker.model import Dataset, Findings, LoadStats, PreviousRun


class Store(Protocol):
    name: str

    def load(self, ds: Dataset) -> LoadStats:
        """Add a batch: idempotent (the same batch twice changes nothing), incremental (union)."""

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

    def close(self) -> None: ...
