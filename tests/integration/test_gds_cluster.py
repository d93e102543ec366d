"""`linker run --store neo4j --cluster gds`: the link graph is written into Neo4j, GDS Leiden
splits it at the Python path's resolutions, and the rings agree with the Python path's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linker.demo import generate_world
from linker.detect.communities import ari

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _linker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1", **env}
    return subprocess.run([sys.executable, "-m", "linker", "run", *args], env=full,
                          capture_output=True, text=True, timeout=900)


def ring_ari(a: Path, b: Path) -> float:
    """ARI of two runs' rings over the accounts either flagged; an account only one run
    flagged is a ring of its own in the other."""
    ma = pd.read_csv(a / "members.csv", dtype=str)
    mb = pd.read_csv(b / "members.csv", dtype=str)
    both = ma[["account_id", "cluster_id"]].merge(mb[["account_id", "cluster_id"]],
                                                  on="account_id", how="outer")
    alone = "alone:" + both["account_id"]
    return ari(np.asarray(both["cluster_id_x"].fillna(alone)),
               np.asarray(both["cluster_id_y"].fillna(alone)))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gds-world")
    generate_world(out, accounts=3000, seed=23, profile="baseline")
    return out


def test_cluster_gds_agrees_with_the_python_path(clean_db, world, tmp_path, neo4j_driver) -> None:
    if not clean_db.gds:
        if clean_db.source == "maven":
            pytest.fail("GDS should be installed on the test server")
        pytest.skip("server without GDS")
    side = ["--allowlist", str(world / "allowlist.csv"), "--indicators",
            str(world / "indicators.csv")]
    py = _linker({}, str(world), "--out", str(tmp_path / "py"), "--workspace",
                 str(tmp_path / "ws"), *side, "--json")
    assert py.returncode == 0, py.stderr
    env = clean_db.env(LINKER_NEO4J_BULK="never")
    gds = _linker(env, str(world), "--store", "neo4j", "--cluster", "gds",
                  "--out", str(tmp_path / "gds"), *side, "--json")
    assert gds.returncode == 0, gds.stderr
    run = json.loads((tmp_path / "gds" / "run.json").read_text())
    assert run["settings"]["rings"]["cluster"] == "gds"
    assert json.loads(py.stdout)["counts"]["clusters"] > 5
    # the link graph GDS clustered is in the database, with its weights
    rec = neo4j_driver.execute_query(
        "MATCH (:Linked)-[l:LINKED]->(:Linked) RETURN count(l) AS n, min(l.leiden_weight) AS lw, "
        "min(l.weight) AS w", database_=clean_db.database).records[0]
    assert rec["n"] > 0 and rec["lw"] >= rec["w"] > 0
    score = ring_ari(tmp_path / "py", tmp_path / "gds")
    assert score >= 0.95, score


def test_cluster_gds_needs_the_neo4j_store(world, tmp_path) -> None:
    r = _linker({}, str(world), "--out", str(tmp_path / "out"), "--workspace",
                str(tmp_path / "ws"), "--cluster", "gds")
    assert r.returncode == 2
    assert "--store neo4j" in r.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "ws").exists()
