"""Outputs are swapped in whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linker.contract import CLUSTERS_COLUMNS, MEMBERS_COLUMNS, SUSPENSIONS_COLUMNS
from linker.model import Findings
from linker.outputs.export import write_outputs
from linker.outputs.findings import read_findings


def small_findings(run_id: str = "r1") -> Findings:
    sus = pd.DataFrame({
        "account_id": ["007", "a2"], "action": ["suspend", "review"], "score": [0.91234, 0.5],
        "cluster_id": ["R-1", "R-1"], "campaign_id": ["C-1", "C-1"],
        "reasons": ["SHARED_CARD", "SHARED_CARD;SIGNUP_BURST"],
    })
    clusters = pd.DataFrame({
        "cluster_id": ["R-1"], "campaign_id": ["C-1"], "size": [2], "score": [0.8],
        "first_seen": pd.to_datetime(["2026-04-22T00:00:00Z"]),
        "last_seen": pd.to_datetime(["2026-06-05T10:00:00Z"]), "exchanges": [10],
        "reasons": ["SHARED_CARD"],
    })
    return Findings(
        run={"run_id": run_id}, suspensions=sus, members=sus[MEMBERS_COLUMNS],
        clusters=clusters, campaigns=[{"campaign_id": "C-1", "operator": None}],
    )


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_outputs_follow_the_contract_and_read_back(tmp_path: Path) -> None:
    out = write_outputs(small_findings(), tmp_path / "out")
    assert pd.read_csv(out / "suspensions.csv").columns.tolist() == SUSPENSIONS_COLUMNS
    assert pd.read_csv(out / "members.csv").columns.tolist() == MEMBERS_COLUMNS
    assert pd.read_csv(out / "clusters.csv").columns.tolist() == CLUSTERS_COLUMNS
    back = read_findings(out)
    assert back.suspensions["account_id"].tolist() == ["007", "a2"]  # leading zeros kept
    assert back.clusters.loc[0, "first_seen"] == "2026-04-22T00:00:00Z"
    assert back.run_id == "r1"


def test_failed_writer_leaves_previous_outputs_untouched(tmp_path: Path) -> None:
    out = write_outputs(small_findings("r1"), tmp_path / "out")
    before = snapshot(out)

    def broken(findings: Findings, target: Path) -> None:
        (target / "report.md").write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_outputs(small_findings("r2"), tmp_path / "out", writers=[broken])
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temp dirs left behind


def test_success_replaces_outputs_whole(tmp_path: Path) -> None:
    out = write_outputs(small_findings("r1"), tmp_path / "out")
    (out / "stale.txt").write_text("from an older run")
    write_outputs(small_findings("r2"), out)
    assert not (out / "stale.txt").exists()
    assert read_findings(out).run_id == "r2"


def test_refuses_to_replace_a_directory_that_is_not_an_output(tmp_path: Path) -> None:
    from linker.errors import InputError

    (tmp_path / "notes.txt").write_text("precious")
    with pytest.raises(InputError, match="not a linker output directory"):
        write_outputs(small_findings(), tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "precious"
