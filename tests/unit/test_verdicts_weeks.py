"""Issue 15, "done when" 1 on the embedded store: two weeks with review verdicts between them
(scenario in tests/verdict_scenario.py), plus a control run of week 2 without the verdicts
showing that the cleared accounts would otherwise have come back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner
from verdict_scenario import check_week2, prepare

from linker.cli import app
from linker.service import run_once

pytestmark = pytest.mark.slow


def test_two_weeks_with_verdicts_embedded(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    side: dict[str, Path] = {}

    def run(data: Path, out: Path, verdicts: Path | None) -> dict:
        side.setdefault("allowlist", data.parent / "allowlist.csv")
        return run_once(data, out, workspace=ws, writers=[], allowlist=side["allowlist"],
                        verdicts=verdicts)

    sc = prepare(tmp_path, run)
    control_ws = tmp_path / "ws-control"
    shutil.copytree(ws, control_ws)
    run(sc.week2, tmp_path / "out2", sc.verdict_file)
    allowlisted = set(pd.read_csv(side["allowlist"]).query("kind == 'account_id'")["value"])
    changes = check_week2(sc, tmp_path / "out2", allowlisted)
    run_json = json.loads((tmp_path / "out2" / "run.json").read_text())
    assert run_json["counts"]["verdicts_applied"] == changes["verdicts"]["verdicts_applied"]

    # control: the same week 2 without any verdict brings the quiet cleared accounts back
    run_once(sc.week2, tmp_path / "control", workspace=control_ws, writers=[],
             allowlist=side["allowlist"])
    ctl = pd.read_csv(tmp_path / "control" / "suspensions.csv", dtype=str)
    assert set(sc.quiet) <= set(ctl["account_id"])
    assert sc.seed_linked not in set(ctl["account_id"])  # only the seed flags it

    # the verdicts are stored: listed, and a third run without --verdicts still applies them
    res = CliRunner().invoke(app, ["verdicts", "list", "--workspace", str(ws), "--json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.output)
    assert {r["account_id"] for r in listed if r["verdict"] == "cleared"} == {sc.touched, *sc.quiet}
    assert {r["subject"] for r in listed if r["verdict"] == "confirmed"} == {sc.confirmed_ring}
    run(sc.week2, tmp_path / "out3", None)
    out3 = set(pd.read_csv(tmp_path / "out3" / "suspensions.csv", dtype=str)["account_id"])
    assert not set(sc.quiet) & out3 and sc.seed_linked in out3
