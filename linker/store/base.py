"""The small interface both stores implement, so that the pipeline never knows which one it
talks to (and so that parity between them can be tested)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from linker.ingest import Dataset
    from linker.pipeline import Findings


@dataclass
class LoadStats:
    """What a load added; `skipped_files` are batches already loaded (same sha256)."""

    rows: dict[str, int] = field(default_factory=dict)          # rows read per table
    added: dict[str, int] = field(default_factory=dict)         # new rows/entities per table
    skipped_files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def rows_per_second(self) -> dict[str, float]:
        s = max(self.seconds, 1e-9)
        return {k: v / s for k, v in self.rows.items()}


@dataclass
class PreviousRun:
    """What the next run needs from the last one: its record and its memberships."""

    run: dict[str, Any]
    members: Any      # DataFrame: account_id, cluster_id, campaign_id
    suspensions: Any  # DataFrame: SUSPENSIONS_COLUMNS
    clusters: Any     # DataFrame: CLUSTERS_COLUMNS
    campaigns: list[dict[str, Any]]


class Store(Protocol):
    name: str

    def load(self, ds: Dataset) -> LoadStats:
        """Add a batch: idempotent (the same batch twice changes nothing), incremental (union)."""

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
