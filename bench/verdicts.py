"""Verdict benchmark (issue 15): does `linker calibrate` make the review queue more precise on
accounts whose verdicts it never saw?

    python -m bench.verdicts                                   # baseline, 20,000 accounts, held-out seeds 101, 102
    python -m bench.verdicts --profile campus --seeds 101 --sample 0.2 --json-out v.json

Per world (a two-week world of ``linker.demo``, held-out seeds by default):

1. week 1 is run with a *loose* detector (``rings.identity_only_min_size`` = 3 by default,
   instead of 10): any three accounts sharing a card, device or phone go to review. The
   default detector's review queue is nearly all fraud (nothing to learn); the loose one
   sends households, families and multi-accounts to review too, as a detector tuned for
   recall would;
2. reviewers' verdicts are simulated from the planted truth for a random ``--sample`` of the
   week-1 review queue (fraud → confirmed, legit → cleared) and stored (`verdicts add`);
3. ``linker calibrate`` fits the reason weights and review threshold from them;
4. week 2 is run twice from the same workspace copy: with the loose settings (before) and
   with the calibrated settings file (after). Both apply the stored verdicts; only the
   calibrated review filter differs.

Measured on **held-out accounts** only (review accounts of week 2 without a verdict):
review-queue precision (share fraud) and the fraud they still catch, before vs after.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.quality import HELDOUT_SEEDS


def _truth(truth_accounts: pd.DataFrame) -> pd.Series:
    t = truth_accounts[["account_id", "is_fraud"]].copy()
    t["is_fraud"] = t["is_fraud"].astype(str).str.lower().isin(["true", "1"])
    return t.set_index(t["account_id"].astype(str))["is_fraud"]


def _queue(out: Path) -> pd.DataFrame:
    sus = pd.read_csv(out / "suspensions.csv", dtype={"account_id": str})
    return sus[sus["action"] == "review"]


def one_world(profile: str, accounts: int, seed: int, sample: float, loose: int,
              min_recall: float, root: Path) -> dict[str, Any]:
    from typer.testing import CliRunner

    from linker.cli import app
    from linker.demo import generate_world
    from linker.service import run_once
    from linker.settings import Settings, load_settings, to_toml

    t0 = time.perf_counter()
    gen = root / "gen"
    truth = _truth(generate_world(gen, accounts=accounts, seed=seed, weeks=2,
                                  profile=profile).accounts)
    settings = Settings().replace("rings", identity_only_min_size=loose)
    loose_toml = root / "loose.toml"
    loose_toml.write_text(to_toml(settings, comments=False))
    ws = root / "ws"
    kw = {"allowlist": gen / "allowlist.csv", "writers": []}
    run_once(gen / "week1", root / "out1", workspace=ws, settings=settings, **kw)
    q1 = _queue(root / "out1")

    rng = np.random.default_rng(seed)
    ids = np.array(sorted(q1["account_id"]))
    chosen = ids[rng.random(ids.size) < sample]
    when = "2030-01-01T00:00:00Z"  # after week 1 (and week 2): filed between the runs
    verdicts = pd.DataFrame({
        "subject": chosen,
        "verdict": np.where(truth.reindex(chosen).fillna(False).to_numpy(), "confirmed", "cleared"),
        "reviewer": "simulated", "decided_at": when, "note": "simulated from the planted truth",
    })
    vfile = root / "verdicts.csv"
    verdicts.to_csv(vfile, index=False)
    runner = CliRunner()
    res = runner.invoke(app, ["verdicts", "add", str(vfile), "--workspace", str(ws), "--json"])
    assert res.exit_code == 0, res.output
    cal_toml = root / "calibrated.toml"
    res = runner.invoke(app, ["calibrate", "--workspace", str(ws), "--config", str(loose_toml),
                              "--out", str(cal_toml), "--min-recall", str(min_recall), "--json"])
    assert res.exit_code == 0, res.output
    cal = json.loads(res.output.splitlines()[0])

    shutil.copytree(ws, root / "ws-after")
    run_once(gen / "week2", root / "before", workspace=ws, settings=settings, **kw)
    run_once(gen / "week2", root / "after", workspace=root / "ws-after",
             settings=load_settings(cal_toml), **kw)
    seen = set(chosen)
    result: dict[str, Any] = {}
    for name in ("before", "after"):
        q = _queue(root / name)
        held = q[~q["account_id"].isin(seen)]
        fraud = truth.reindex(held["account_id"]).fillna(False).to_numpy()
        result[name] = {"queue": int(len(held)), "fraud": int(fraud.sum()),
                        "legit": int((~fraud).sum()),
                        "precision": round(float(fraud.mean()) if len(held) else 0.0, 4)}
    b, a = result["before"], result["after"]
    return {
        "profile": profile, "seed": seed, "accounts": accounts, "loose_identity_only_min_size": loose,
        "week1_review_queue": int(len(q1)), "verdicts": int(len(chosen)),
        "verdicts_confirmed": int((verdicts["verdict"] == "confirmed").sum()),
        "calibration": {k: cal[k] for k in ("intercept", "weights", "review_min_probability",
                                            "C", "heldout")},
        "heldout_week2": result,
        "precision_gain": round(a["precision"] - b["precision"], 4),
        "fraud_kept": round(a["fraud"] / max(b["fraud"], 1), 4),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", default="baseline")
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--seeds", default=",".join(map(str, HELDOUT_SEEDS[:2])))
    ap.add_argument("--sample", type=float, default=0.3, help="share of the week-1 review queue given a verdict")
    ap.add_argument("--loose", type=int, default=3, help="rings.identity_only_min_size of the loose detector")
    ap.add_argument("--min-recall", type=float, default=0.95)
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)
    rows = []
    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-verdicts-") as tmp:
            r = one_world(args.profile, args.accounts, seed, args.sample, args.loose,
                          args.min_recall, Path(tmp))
        rows.append(r)
        b, a = r["heldout_week2"]["before"], r["heldout_week2"]["after"]
        print(f"{r['profile']} seed {seed} ({r['accounts']} accounts): week-1 queue "
              f"{r['week1_review_queue']}, {r['verdicts']} verdicts ({r['verdicts_confirmed']} "
              f"confirmed); held-out week-2 review queue {b['queue']} → {a['queue']}, precision "
              f"{b['precision']:.3f} → {a['precision']:.3f}, fraud kept {a['fraud']}/{b['fraud']} "
              f"({r['seconds']}s)", flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
