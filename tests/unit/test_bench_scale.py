"""bench.scale --full: the naive baseline and the whole-job comparison at a small size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.scale import baseline
from linker.demo import generate_world

ROOT = Path(__file__).resolve().parents[2]


def test_baseline_links_accounts_sharing_card_device_or_signup_ip(tmp_path: Path) -> None:
    d = tmp_path / "w"
    d.mkdir()
    pd.DataFrame({"account_id": ["a", "b", "c", "d", "e"],
                  "created_at": ["2026-01-01"] * 5,
                  "device_id": ["d1", "d1", None, None, "d9"],
                  "signup_ip": ["1.1.1.1", None, "2.2.2.2", "2.2.2.2", None]}).to_csv(
        d / "accounts.csv", index=False)
    pd.DataFrame({"account_id": ["b", "c"], "card_fingerprint": ["k", "k"]}).to_csv(
        d / "payments.csv", index=False)
    out = baseline(d)
    # a-b by device, b-c by card, c-d by sign-up IP: one group of 4; e alone
    assert out["components_2plus"] == 1 and out["linked_accounts"] == 4
    assert out["louvain_edges"] == 3 and out["louvain_communities"] >= 1 and out["peak_rss_gb"] > 0


@pytest.mark.slow
def test_full_runs_job_and_baseline_and_prints_ratio(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate_world(data, accounts=1000, seed=3)
    proc = subprocess.run([sys.executable, "-m", "bench.scale", "--full", "--data", str(data),
                           "--work", str(tmp_path / "work")], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"read", "load", "rings", "campaigns", "outputs"} <= set(result["job"]["stages_s"])
    assert result["ratio"]["wall"] > 0 and result["job"]["peak_rss_gb"] > 0
    assert "ratio job/baseline" in proc.stdout
    # the stored workspace of that run, timed again stage by stage (bench.stages)
    proc = subprocess.run([sys.executable, "-m", "bench.stages",
                           str(tmp_path / "work" / "job" / "workspace"), str(data)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    stages = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"fetch", "rings", "rings: evidence", "rings: links", "campaigns"} <= set(stages)
    assert stages["rings"] > 0 and stages["peak_rss_gb"] > 0
