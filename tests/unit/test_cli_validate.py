"""`linker validate DATA_DIR [--json]`: exit codes, messages, nothing written."""

from __future__ import annotations

import json

import pytest
from conftest import ACCOUNTS_CSV, snapshot, write_table
from typer.testing import CliRunner

from linker.cli import app

runner = CliRunner()


def test_validate_ok_summary(small_dataset_dir):
    data = small_dataset_dir()
    res = runner.invoke(app, ["validate", str(data)])
    assert res.exit_code == 0, res.output
    assert "accounts" in res.stdout and "requests" in res.stdout
    assert "1 row of unknown accounts dropped" in res.stdout
    # No PII in the summary: the e-mail addresses and phones of the input are not printed.
    assert "Gmail" not in res.stdout and "555" not in res.stdout


def test_validate_json(small_dataset_dir):
    data = small_dataset_dir("parquet")
    res = runner.invoke(app, ["validate", str(data), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["ok"] is True and out["accounts"] == 3
    assert out["tables"]["payments"]["unknown_accounts"] == 1
    assert out["tables"]["accounts"]["rows"] == 3 and len(out["tables"]["accounts"]["sha256"]) == 64
    assert out["requests"]["exchanges"] == 8 and out["requests"]["accounts"] == 2
    assert out["unparseable"]["accounts.email"] == 0


def test_validate_reports_extra_columns(tmp_path):
    write_table(tmp_path, "accounts", "account_id,created_at,colour\na,2024-01-01,red\n")
    res = runner.invoke(app, ["validate", str(tmp_path), "--json"])
    assert json.loads(res.stdout)["tables"]["accounts"]["extra_columns"] == ["colour"]


BAD = {
    "timestamp": ("accounts", "account_id,created_at\na,2024-01-01\nb,never\n",
                  ["accounts.csv", "column 'created_at'", "line(s) 3"]),
    "duplicate": ("accounts", "account_id,created_at\na,2024-01-01\na,2024-01-02\n",
                  ["accounts.csv", "column 'account_id'", "line(s) 2, 3", "duplicate"]),
    "column": ("payments", "account_id,card_bin\n007,4111\n",
               ["payments.csv", "column 'card_fingerprint'", "missing required column"]),
    "integer": ("requests", "account_id,ts,count\n007,2024-01-01,1\n007,2024-01-01,x\n",
                ["requests.csv", "column 'count'", "line(s) 3", "not an integer"]),
    "empty": ("ip_events", "", ["ip_events.csv", "empty file"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_exits_2_and_writes_nothing(tmp_path, case):
    table, text, fragments = BAD[case]
    data, out_dir = tmp_path / "data", tmp_path / "out"
    write_table(data, "accounts", ACCOUNTS_CSV)
    write_table(data, table, text)
    out_dir.mkdir()
    (out_dir / "suspensions.csv").write_text("previous run\n")
    before = snapshot(data, out_dir)

    res = runner.invoke(app, ["validate", str(data)])
    assert res.exit_code == 2
    assert res.stdout == ""
    for fragment in fragments:
        assert fragment in res.stderr, (fragment, res.stderr)
    assert "Traceback" not in res.output

    res = runner.invoke(app, ["validate", str(data), "--json"])
    assert res.exit_code == 2
    err = json.loads(res.stdout)
    assert err["ok"] is False and err["exit_code"] == 2 and fragments[0] in err["error"]
    assert snapshot(data, out_dir) == before


def test_missing_dir_exits_2(tmp_path):
    res = runner.invoke(app, ["validate", str(tmp_path / "nothing")])
    assert res.exit_code == 2 and "not found" in res.stderr


def test_validate_checks_an_incremental_batch_against_the_workspace(tmp_path):
    """`validate --workspace` counts rows of accounts the workspace holds as known, as `run`
    does; without it they are reported as unknown. The workspace is only read."""
    week1, week2, ws = tmp_path / "week1", tmp_path / "week2", tmp_path / "ws"
    write_table(week1, "accounts", "account_id,created_at\nold,2024-01-01\n")
    write_table(week2, "accounts", "account_id,created_at\nnew,2024-01-08\n")
    write_table(week2, "requests", "account_id,ts\nold,2024-01-08\nold,2024-01-09\nnew,2024-01-09\n")
    assert runner.invoke(app, ["load", str(week1), "--workspace", str(ws)]).exit_code == 0
    alone = json.loads(runner.invoke(app, ["validate", str(week2), "--json"]).stdout)
    assert alone["tables"]["requests"]["unknown_accounts"] == 2
    before = snapshot(ws)
    res = runner.invoke(app, ["validate", str(week2), "--json", "--workspace", str(ws)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["tables"]["requests"]["unknown_accounts"] == 0 and out["requests"]["exchanges"] == 3
    assert snapshot(ws) == before


def test_validate_header_only_batch_ok_with_workspace(tmp_path):
    week1, week2, ws = tmp_path / "week1", tmp_path / "week2", tmp_path / "ws"
    write_table(week1, "accounts", "account_id,created_at\nold,2024-01-01\n")
    write_table(week2, "accounts", "account_id,created_at\n")
    write_table(week2, "requests", "account_id,ts\nold,2024-01-08\n")
    assert runner.invoke(app, ["validate", str(week2)]).exit_code == 2
    runner.invoke(app, ["load", str(week1), "--workspace", str(ws)])
    assert runner.invoke(app, ["validate", str(week2), "--workspace", str(ws)]).exit_code == 0


def test_validate_missing_workspace_is_not_created(tmp_path):
    write_table(tmp_path / "d", "accounts", ACCOUNTS_CSV)
    res = runner.invoke(app, ["validate", str(tmp_path / "d"), "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 0 and not (tmp_path / "ws").exists()
