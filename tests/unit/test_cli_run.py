"""The main job through the CLI: demo end to end, determinism, bad input, store idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from linker import __version__
from linker.cli import app
from linker.contract import MEMBERS_COLUMNS, SUSPENSIONS_COLUMNS
from linker.demo import generate_world
from linker.store.embedded import EmbeddedStore

runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("world")
    generate_world(d, accounts=3000, seed=11)
    return d


def _run(world: Path, out: Path, ws: Path, *extra: str) -> dict:
    res = runner.invoke(app, [
        "run", str(world), "--out", str(out), "--workspace", str(ws),
        "--allowlist", str(world / "allowlist.csv"), "--indicators", str(world / "indicators.csv"),
        "--json", *extra,
    ])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout.strip().splitlines()[-1])


def tree(d: Path) -> dict[str, bytes]:
    """Every file's bytes, but the workspace lock (it names its latest holder)."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_help_and_version() -> None:
    assert "run" in runner.invoke(app, ["--help"]).stdout
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and __version__ in res.stdout


def test_run_writes_contract_outputs(world: Path, tmp_path: Path) -> None:
    summary = _run(world, tmp_path / "out", tmp_path / "ws")
    out = tmp_path / "out"
    sus = pd.read_csv(out / "suspensions.csv", dtype=str)
    assert sus.columns.tolist() == SUSPENSIONS_COLUMNS
    assert set(sus["action"]) <= {"suspend", "review"}
    assert sus["score"].astype(float).between(0, 1).all()
    assert pd.read_csv(out / "members.csv").columns.tolist() == MEMBERS_COLUMNS
    for name in ("clusters.csv", "campaigns.json", "report.html", "review/index.html", "run.json"):
        assert (out / name).exists(), name
    assert summary["counts"]["flagged"] == len(sus)
    # never suspend an allow-listed account
    allow = pd.read_csv(world / "allowlist.csv", dtype=str)
    listed = set(allow.loc[allow["kind"] == "account_id", "value"])
    assert listed, "the demo world allow-lists at least one account"
    assert not (sus["account_id"].isin(listed) & sus["action"].eq("suspend")).any()


def test_same_input_gives_byte_identical_decisions(world: Path, tmp_path: Path) -> None:
    _run(world, tmp_path / "a", tmp_path / "ws_a")
    _run(world, tmp_path / "b", tmp_path / "ws_b")
    for name in ("suspensions.csv", "members.csv", "clusters.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_rerun_on_same_workspace_keeps_ids_and_loads_nothing_new(world: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _run(world, tmp_path / "a", ws)
    tables_before = tree(ws / "tables")
    second = _run(world, tmp_path / "b", ws)
    assert second["changes"]["newly_flagged"] == 0 and second["changes"]["new_clusters"] == 0
    assert tree(ws / "tables") == tables_before  # the same files load nothing
    a = pd.read_csv(tmp_path / "a" / "members.csv", dtype=str)
    b = pd.read_csv(tmp_path / "b" / "members.csv", dtype=str)
    pd.testing.assert_frame_equal(a, b)
    assert len(EmbeddedStore(ws).runs()) == 2


def test_bad_input_exits_2_and_writes_nothing(world: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    acc = (world / "accounts.csv").read_text().splitlines()
    (bad / "accounts.csv").write_text("\n".join(acc[:5] + [acc[2]]) + "\n")  # duplicate id
    out, ws = tmp_path / "out", tmp_path / "ws"
    res = runner.invoke(app, ["run", str(bad), "--out", str(out), "--workspace", str(ws)])
    assert res.exit_code == 2
    assert "accounts.csv" in res.output and "account_id" in res.output and "duplicate" in res.output
    assert not out.exists() and not (ws / "tables").exists()


def test_bad_input_keeps_previous_outputs_and_store(world: Path, tmp_path: Path) -> None:
    out, ws = tmp_path / "out", tmp_path / "ws"
    _run(world, out, ws)
    before_out, before_ws = tree(out), tree(ws)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "accounts.csv").write_text("account_id,created_at\nx1,not-a-time\n")
    res = runner.invoke(app, ["run", str(bad), "--out", str(out), "--workspace", str(ws)])
    assert res.exit_code == 2 and "created_at" in res.output
    assert tree(out) == before_out and tree(ws) == before_ws


def test_demo_end_to_end(tmp_path: Path) -> None:
    res = runner.invoke(app, ["demo", "--out", str(tmp_path / "d"), "--accounts", "2000", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["truth"]["allowlisted_suspended"] == 0
    assert summary["counts"]["suspend"] > 0
    assert (tmp_path / "d" / "out" / "suspensions.csv").exists()
