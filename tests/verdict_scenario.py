"""Two weeks with review verdicts in between (issue 15), shared by the embedded and the Neo4j
test: week 1 is run; reviewers clear some flagged accounts and confirm the largest suspended
ring; week 2 brings one new account on a cleared account's device (new evidence) and one on a
confirmed member's card (a seed link). Week 2 is stripped of every row touching the
cleared ring (its accounts, or any of their identifiers), so "no new evidence" holds by
construction for the quiet cleared accounts.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from linker.demo import generate_world

ACCOUNTS = 1500
SEED = 3
TIME_COLUMNS = {"accounts": "created_at", "payments": "created_at", "ip_events": "seen_at",
                "requests": "ts"}

Runner = Callable[[Path, Path, Path | None], dict[str, Any]]


@dataclass
class Scenario:
    week1: Path
    week2: Path
    out1: Path
    verdict_file: Path
    quiet: list[str]             # cleared, no new evidence: must leave the queue
    touched: str                 # cleared, a new account shares its device: back, with reason
    confirmed_ring: str          # cluster_id confirmed by the reviewers
    confirmed_members: list[str]  # its members in week 1
    seed_linked: str             # new account paying with a confirmed member's card


def _read(d: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{table}.csv", dtype=str, keep_default_na=False)


def _values(d: Path, ids: set[str]) -> dict[str, set[str]]:
    """Every identifier value of the given accounts in one week's input, per account."""
    out: dict[str, set[str]] = {a: set() for a in ids}
    cols = {"accounts": ["email", "phone", "signup_ip", "device_id"],
            "payments": ["card_fingerprint"], "ip_events": ["ip"],
            "requests": ["ip", "api_key_id", "prompt_fingerprint"]}
    for t, cs in cols.items():
        df = _read(d, t)
        df = df[df["account_id"].isin(ids)]
        for c in cs:
            if c in df:
                for a, v in zip(df["account_id"], df[c], strict=True):
                    if v:
                        out[a].add(v)
    return out


def _week2_values(d: Path) -> set[str]:
    cols = {"accounts": ["email", "phone", "signup_ip", "device_id"],
            "payments": ["card_fingerprint"], "ip_events": ["ip"],
            "requests": ["ip", "api_key_id", "prompt_fingerprint"]}
    vals: set[str] = set()
    for t, cs in cols.items():
        df = _read(d, t)
        for c in cs:
            if c in df:
                vals |= set(df[c]) - {""}
    return vals


def _strip(week: Path, ids: set[str], values: set[str]) -> None:
    """Drop from a week's input every row of `ids` or carrying one of `values`."""
    cols = {"accounts": ["email", "phone", "signup_ip", "device_id"],
            "payments": ["card_fingerprint"], "ip_events": ["ip"],
            "requests": ["ip", "api_key_id", "prompt_fingerprint"]}
    acc = _read(week, "accounts")
    gone = acc["account_id"].isin(ids)
    for c in cols["accounts"]:
        gone |= acc[c].isin(values)
    dropped = set(acc.loc[gone, "account_id"]) | ids
    acc[~gone].to_csv(week / "accounts.csv", index=False)
    for t in ("payments", "ip_events", "requests"):
        df = _read(week, t)
        bad = df["account_id"].isin(dropped)
        for c in cols[t]:
            if c in df:
                bad |= df[c].isin(values)
        df[~bad].to_csv(week / f"{t}.csv", index=False)


def prepare(tmp: Path, run: Runner) -> Scenario:
    """Generate the world, run week 1 with `run(data, out, verdicts)`, file the verdicts and
    write week 2 with the two new accounts."""
    gen = tmp / "gen"
    generate_world(gen, accounts=ACCOUNTS, seed=SEED, weeks=2)
    week1, week2 = gen / "week1", tmp / "week2"
    shutil.copytree(gen / "week2", week2)
    out1 = tmp / "out1"
    run(week1, out1, None)

    sus = pd.read_csv(out1 / "suspensions.csv", dtype=str, keep_default_na=False)
    susp = sus[sus["action"] == "suspend"]
    ring = susp["cluster_id"].value_counts().sort_index().sort_values(
        ascending=False, kind="stable").index[0]
    members = sorted(sus.loc[sus["cluster_id"] == ring, "account_id"])

    # the cleared ring: the flagged ring (not the confirmed one) with most accounts to review;
    # week 2 is stripped of every row of its accounts or using one of their identifiers, so
    # that nothing new touches it except what this scenario adds
    others = sus[sus["cluster_id"] != ring]
    review_count = others.assign(r=others["action"].eq("review")).groupby("cluster_id")["r"].sum()
    cleared_ring = review_count.sort_index().sort_values(ascending=False, kind="stable").index[0]
    ring_ids = set(others.loc[others["cluster_id"] == cleared_ring, "account_id"])
    vals = set().union(*_values(week1, ring_ids).values())
    _strip(week2, ring_ids, vals)
    review = set(sus.loc[sus["action"] == "review", "account_id"])
    chosen = sorted(ring_ids, key=lambda a: (a not in review, a))[:4]
    assert len(chosen) == 4
    touched, quiet = chosen[0], chosen[1:]

    last = max(pd.to_datetime(_read(week1, t)[c], utc=True).max() for t, c in TIME_COLUMNS.items())
    decided = last + pd.Timedelta(minutes=1)
    new_at = (decided + pd.Timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    acc1 = _read(week1, "accounts").set_index("account_id")
    pay1 = _read(week1, "payments")
    card = sorted(pay1.loc[pay1["account_id"].isin(members), "card_fingerprint"])[0]
    acc2 = _read(week2, "accounts")
    new_rows = pd.DataFrame([
        {"account_id": "acct_newdevice", "created_at": new_at,
         "email": "fresh.person.77@example.org", "device_id": acc1.at[touched, "device_id"],
         "country": "US"},
        {"account_id": "acct_seedcard", "created_at": new_at,
         "email": "another.person.78@example.org", "country": "US"},
    ])
    pd.concat([acc2, new_rows], ignore_index=True).fillna("").to_csv(
        week2 / "accounts.csv", index=False)
    pay2 = _read(week2, "payments")
    row = pay1[pay1["card_fingerprint"] == card].iloc[0].to_dict()
    row.update(account_id="acct_seedcard", created_at=new_at)
    pd.concat([pay2, pd.DataFrame([row])], ignore_index=True).to_csv(
        week2 / "payments.csv", index=False)

    stamp = decided.strftime("%Y-%m-%dT%H:%M:%SZ")
    verdicts = pd.DataFrame(
        [{"subject": a, "verdict": "cleared", "reviewer": "rev1", "decided_at": stamp,
          "note": "family plan"} for a in [touched, *quiet]]
        + [{"subject": ring, "verdict": "confirmed", "reviewer": "rev2", "decided_at": stamp,
            "note": "one operator"}])
    vfile = tmp / "verdicts.csv"
    verdicts.to_csv(vfile, index=False)
    return Scenario(week1, week2, out1, vfile, quiet, touched, ring, members, "acct_seedcard")


def check_week2(sc: Scenario, out2: Path, allowlisted: set[str]) -> dict[str, Any]:
    """The "done when" of issue 15 on week 2's outputs."""
    import json

    sus = pd.read_csv(out2 / "suspensions.csv", dtype=str, keep_default_na=False)
    by = sus.set_index("account_id")
    for a in sc.quiet:
        assert a not in by.index, f"cleared {a} came back without new evidence"
    assert sc.touched in by.index, "cleared account with a new link did not return"
    assert "NEW_EVIDENCE_SINCE_CLEARED" in by.at[sc.touched, "reasons"].split(";")
    assert by.at[sc.touched, "action"] == "review"
    assert sc.seed_linked in by.index
    assert "CONFIRMED_LINK" in by.at[sc.seed_linked, "reasons"].split(";")
    assert "SHARED_CARD" in by.at[sc.seed_linked, "reasons"].split(";")
    for a in sc.confirmed_members:
        assert a in by.index
        want = "review" if a in allowlisted else "suspend"
        assert by.at[a, "action"] == want, a
        assert "CONFIRMED_BY_REVIEW" in by.at[a, "reasons"].split(";")
    changes = json.loads((out2 / "changes.json").read_text())
    v = changes["verdicts"]
    assert v["cleared_kept_out"] == len(sc.quiet)
    assert v["returned_with_new_evidence"] == 1
    assert v["seeds_used"] >= 1 and v["confirmed_link_accounts"] >= 1
    assert v["verdicts_applied"] >= len(sc.quiet) + 1 + len(sc.confirmed_members)
    return changes
