"""Verdict files: checked with the contract's error rules (exit 2, file/column/rows named,
nothing stored), stored once, listed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.demo import generate_world
from linker.service import run_once


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("vw")
    generate_world(tmp / "data", accounts=1000, seed=4)
    run_once(tmp / "data", tmp / "out", workspace=tmp / "ws", writers=[])
    sus = pd.read_csv(tmp / "out" / "suspensions.csv", dtype=str)
    return tmp, tmp / "ws", sus


def _write(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_bad_rows_exit_2_naming_file_column_and_lines(world, tmp_path: Path) -> None:
    _, ws, sus = world
    acct = sus["account_id"].iloc[0]
    ok = {"subject": acct, "verdict": "cleared", "reviewer": "r", "decided_at": "2026-05-01T00:00:00Z"}
    cases = {
        "verdict": [ok, {**ok, "verdict": "maybe"}],
        "decided_at": [ok, ok, {**ok, "decided_at": "yesterday"}],
        "subject": [ok, {**ok, "subject": "no-such-account"}],
        "reviewer": [{**ok, "reviewer": ""}],
    }
    lines = {"verdict": "3", "decided_at": "4", "subject": "3", "reviewer": "2"}
    for column, rows in cases.items():
        f = _write(tmp_path / f"{column}.csv", rows)
        res = _cli("verdicts", "add", str(f), "--workspace", str(ws))
        assert res.exit_code == 2, (column, res.output)
        assert str(f) in res.output and f"'{column}'" in res.output and lines[column] in res.output
    assert not (ws / "verdicts.parquet").exists()  # nothing stored
    res = _cli("verdicts", "list", "--workspace", str(ws))
    assert "no verdicts stored" in res.output


def test_add_cluster_verdict_expands_to_members_and_is_idempotent(world, tmp_path: Path) -> None:
    _, ws, sus = world
    ring = sus["cluster_id"].iloc[0]
    members = set(sus.loc[sus["cluster_id"] == ring, "account_id"])
    f = tmp_path / "v.parquet"
    pd.DataFrame([{"subject": ring, "verdict": "Confirmed", "reviewer": "r2",
                   "decided_at": pd.Timestamp("2026-05-02", tz="UTC"), "note": "x"}]).to_parquet(f)
    for _ in range(2):
        res = _cli("verdicts", "add", str(f), "--workspace", str(ws), "--json")
        assert res.exit_code == 0, res.output
        assert json.loads(res.output)["accounts"] == len(members)
    listed = json.loads(_cli("verdicts", "list", "--workspace", str(ws), "--json").output)
    assert {r["account_id"] for r in listed} == members
    assert len(listed) == len(members)  # filed twice, stored once
    assert {r["verdict"] for r in listed} == {"confirmed"}
    assert all(r["basis_run_id"] for r in listed) and all(r["basis_reasons"] for r in listed)


def test_run_with_bad_verdicts_writes_nothing(world, tmp_path: Path) -> None:
    tmp, ws, _ = world
    before = sorted(p.name for p in (ws / "runs").iterdir())
    f = _write(tmp_path / "bad.csv", [{"subject": "x", "verdict": "nope", "reviewer": "r",
                                       "decided_at": "2026-05-01T00:00:00Z"}])
    res = _cli("run", str(tmp / "data"), "--out", str(tmp_path / "o"), "--workspace", str(ws),
               "--verdicts", str(f))
    assert res.exit_code == 2 and "'verdict'" in res.output
    assert sorted(p.name for p in (ws / "runs").iterdir()) == before
    assert not (tmp_path / "o").exists()


def test_report_counts_what_the_verdicts_did(world, tmp_path: Path) -> None:
    """report.md / report.html state the verdicts applied, returns and seeds of the run."""
    from linker.outputs.findings import read_findings
    from linker.outputs.report import render_report

    tmp, _, _ = world
    f = read_findings(tmp / "out")
    f.run["feedback"] = {"verdicts_applied": 7, "cleared_kept_out": 3,
                         "returned_with_new_evidence": 2, "seeds_used": 4,
                         "confirmed_link_accounts": 5}
    md, page, _ = render_report(f)
    for text in (md, page):
        assert "Review verdicts: 7 verdict(s) applied; 3 cleared account(s) kept out of review, " \
               "2 returned with new evidence; 4 confirmed identifier(s) used as seeds" in text
    f.run["feedback"] = {}
    assert "Review verdicts" not in render_report(f)[0]
