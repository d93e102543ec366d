"""Periodic runs on the Neo4j store: two weeks loaded and run in turn keep the planted rings'
ids like the embedded store does, and `linker diff RUN_A RUN_B --store neo4j` reads both runs
back from the graph and reports exactly what the second run's changes.json said."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.demo import generate_world
from linker.service import run_once

pytestmark = pytest.mark.integration


def test_two_weeks_on_neo4j_then_diff_by_run_id(clean_db, tmp_path, monkeypatch) -> None:
    for name, value in (
        ("NEO4J_URI", clean_db.uri),
        ("NEO4J_USERNAME", clean_db.user),
        ("NEO4J_PASSWORD", clean_db.password),
        ("NEO4J_DATABASE", clean_db.database),
    ):
        monkeypatch.setenv(name, value)
    data = tmp_path / "data"
    generate_world(data, accounts=1500, seed=3, weeks=2)
    kw = {"allowlist": data / "allowlist.csv", "indicators": data / "indicators.csv"}
    outs = {}
    for store, extra in (("neo4j", {}), ("embedded", {"workspace": tmp_path / "ws"})):
        for week in ("week1", "week2"):
            out = tmp_path / f"{store}-{week}"
            outs[store, week] = run_once(data / week, out, store_kind=store, writers=[],  # ids/changes
                                         **kw, **extra)

    # same input, same history → same ids and the same changes on both stores
    for week in ("week1", "week2"):
        a = (tmp_path / f"neo4j-{week}" / "suspensions.csv").read_text()
        b = (tmp_path / f"embedded-{week}" / "suspensions.csv").read_text()
        assert a == b, week
    changes = json.loads((tmp_path / "neo4j-week2" / "changes.json").read_text())
    assert changes["previous_run_id"] == outs["neo4j", "week1"]["run_id"]
    assert changes["counts"]["newly_flagged"] > 0

    runner = CliRunner()
    r1, r2 = outs["neo4j", "week1"]["run_id"], outs["neo4j", "week2"]["run_id"]
    res = runner.invoke(app, ["diff", r1, r2, "--store", "neo4j", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == changes
    # the output directories give the same answer as the graph
    res = runner.invoke(
        app, ["diff", str(tmp_path / "neo4j-week1"), str(tmp_path / "neo4j-week2"), "--json"]
    )
    assert json.loads(res.output) == changes
    missing = runner.invoke(app, ["diff", "no-such-run", r2, "--store", "neo4j", "--json"])
    assert missing.exit_code == 2
