"""Stable ids across runs, changes since the last run, diffs: hand-made memberships."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from linker.history import (
    CLUSTER_PREFIX,
    HASH_CHARS,
    as_previous,
    assign_ids,
    changes_since,
    diff_runs,
    new_id,
)
from linker.model import Findings, PreviousRun


def accs(prefix: str, n: int, start: int = 0) -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(start, start + n)]


def current(rings: dict[int, list[str]], campaign_of: dict[int, int] | None = None) -> pd.DataFrame:
    """account_id, ring, campaign from {ring key: accounts}; default one campaign per ring."""
    rows = [(a, r, (campaign_of or {}).get(r, r)) for r, members in rings.items() for a in members]
    return pd.DataFrame(rows, columns=["account_id", "ring", "campaign"])


def members_of(cur: pd.DataFrame, ids) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": cur["account_id"].astype("string"),
            "cluster_id": cur["ring"].map(ids.clusters).astype("string"),
            "campaign_id": cur["campaign"].map(ids.campaigns).astype("string"),
        }
    )


def previous_from(cur: pd.DataFrame, ids, run_id: str = "run-1", actions=None) -> PreviousRun:
    members = members_of(cur, ids)
    susp = members.assign(
        action=[(actions or {}).get(a, "suspend") for a in members["account_id"]],
        score=0.9,
        reasons="SHARED_CARD",
    )[["account_id", "action", "score", "cluster_id", "campaign_id", "reasons"]]
    return PreviousRun(
        run={"run_id": run_id},
        members=members,
        suspensions=susp,
        clusters=pd.DataFrame(),
        campaigns=[],
    )


def findings_from(cur: pd.DataFrame, ids, run_id: str, actions=None, exchanges=None) -> Findings:
    prev = previous_from(cur, ids, run_id, actions)
    campaigns = [
        {"campaign_id": cid, "exchanges": (exchanges or {}).get(cid, 0)}
        for cid in sorted(set(ids.campaigns.values()))
    ]
    return Findings(
        run={"run_id": run_id},
        suspensions=prev.suspensions,
        members=prev.members,
        clusters=pd.DataFrame(),
        campaigns=campaigns,
    )


def by_min_account(cur: pd.DataFrame, ids) -> dict[str, str]:
    """cluster id per ring, keyed by the ring's smallest account (label-free view)."""
    m = members_of(cur, ids)
    return (
        m.groupby("cluster_id")["account_id"]
        .min()
        .reset_index()
        .set_index("account_id")["cluster_id"]
        .to_dict()
    )


RINGS = {0: accs("a", 10), 1: accs("b", 6), 2: accs("c", 3)}


def test_first_run_ids_come_from_smallest_member() -> None:
    ids = assign_ids(current(RINGS), None)
    expected = CLUSTER_PREFIX + hashlib.sha1(b"a0000").hexdigest()[:HASH_CHARS]
    assert ids.clusters[0] == expected
    assert ids.campaigns[0] == "C-" + expected[2:]
    assert len(set(ids.clusters.values())) == 3
    assert ids.events == []


def test_same_membership_keeps_ids() -> None:
    cur = current(RINGS)
    first = assign_ids(cur, None)
    again = assign_ids(cur, previous_from(cur, first))
    assert again.clusters == first.clusters
    assert again.campaigns == first.campaigns
    assert again.events == []


def test_shuffled_rows_and_permuted_keys_give_same_ids() -> None:
    cur = current(RINGS)
    first = assign_ids(cur, None)
    prev = previous_from(cur, first)
    perm = {0: 17, 1: 3, 2: 9}
    shuffled = cur.sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled["ring"] = shuffled["ring"].map(perm)
    shuffled["campaign"] = shuffled["campaign"].map({0: 5, 1: 2, 2: 11})
    for previous in (None, prev):
        a = assign_ids(shuffled, previous)
        assert by_min_account(shuffled, a) == by_min_account(cur, first)
        assert a.clusters[17] == first.clusters[0]
        assert a.campaigns[5] == first.campaigns[0]


def test_grown_ring_keeps_id_and_new_ring_gets_new_id() -> None:
    cur1 = current(RINGS)
    ids1 = assign_ids(cur1, None)
    # ring a grows from 10 to 50 (Jaccard 0.2, still the same ring), a new ring d appears
    # whose smallest account sorts before every old one.
    cur2 = current({4: accs("a", 50), 8: accs("b", 6), 1: accs("c", 3), 0: accs("0d", 4)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.clusters[4] == ids1.clusters[0]
    assert ids2.clusters[8] == ids1.clusters[1]
    assert ids2.clusters[1] == ids1.clusters[2]
    assert ids2.clusters[0] not in set(ids1.clusters.values())
    assert ids2.clusters[0] == CLUSTER_PREFIX + hashlib.sha1(b"0d0000").hexdigest()[:HASH_CHARS]


def test_unrelated_ring_does_not_inherit_an_id() -> None:
    cur1 = current({0: accs("a", 10)})
    ids1 = assign_ids(cur1, None)
    # only one old account ends up in an otherwise new ring of 20: no match
    cur2 = current({0: ["a0000"] + accs("z", 19)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.clusters[0] != ids1.clusters[0]


def test_new_id_never_reuses_a_previous_id() -> None:
    # previous cluster R-h(a0000) disappears except a0000, which now leads a new ring:
    # the hash would collide, so it must be salted.
    cur1 = current({0: accs("a", 10)})
    ids1 = assign_ids(cur1, None)
    cur2 = current({3: ["a0000"] + accs("q", 9)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.clusters[3] != ids1.clusters[0]
    assert ids2.clusters[3] == CLUSTER_PREFIX + hashlib.sha1(b"a0000#1").hexdigest()[:HASH_CHARS]
    used = {"R-x"}
    assert new_id("R-", "s", used) not in {"R-x"}
    assert len(used) == 2


def test_merge_is_reported_and_ids_tie_break_deterministically() -> None:
    cur1 = current({0: accs("a", 10), 1: accs("b", 10)}, {0: 0, 1: 0})
    ids1 = assign_ids(cur1, None)
    cur2 = current({5: accs("a", 10) + accs("b", 10)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    old = sorted([ids1.clusters[0], ids1.clusters[1]])
    assert ids2.clusters[5] == old[0]  # equal overlaps: smallest previous id wins
    assert ids2.campaigns[5] == ids1.campaigns[0]
    assert ids2.events == [{"type": "merge", "cluster_ids": old, "into": old[0]}]


def test_split_is_reported_and_smallest_member_keeps_the_id() -> None:
    cur1 = current({0: accs("a", 20)})
    ids1 = assign_ids(cur1, None)
    cur2 = current({1: accs("a", 10, start=10), 2: accs("a", 10)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.clusters[2] == ids1.clusters[0]  # tie on overlap: ring holding a0000 wins
    assert ids2.clusters[1] != ids1.clusters[0]
    assert ids2.events == [
        {
            "type": "split",
            "cluster_ids": sorted([ids2.clusters[1], ids2.clusters[2]]),
            "from": ids1.clusters[0],
        }
    ]


def test_four_way_split_is_reported_and_campaign_split_too() -> None:
    # one cluster of 60 in one campaign becomes four rings of 15 (each 25%) in two campaigns
    cur1 = current({0: accs("a", 60)})
    ids1 = assign_ids(cur1, None)
    parts = {i: accs("a", 15, start=15 * i) for i in range(4)}
    cur2 = current(parts, {0: 0, 1: 0, 2: 1, 3: 1})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.clusters[0] == ids1.clusters[0]
    assert ids2.events == [
        {"type": "split", "cluster_ids": sorted(ids2.clusters.values()), "from": ids1.clusters[0]}
    ]
    f1 = findings_from(cur1, ids1, "run-1")
    ch = changes_since(as_previous(f1), findings_from(cur2, ids2, "run-2"))
    assert ch["events"] == ids2.events
    assert ch["campaign_events"] == [
        {
            "type": "split",
            "campaign_ids": sorted(set(ids2.campaigns.values())),
            "from": ids1.campaigns[0],
        }
    ]
    assert ch["counts"]["campaign_splits"] == 1 and ch["counts"]["splits"] == 1


def test_a_few_accounts_drifting_is_not_a_split() -> None:
    cur1 = current({0: accs("a", 40)})
    ids1 = assign_ids(cur1, None)
    cur2 = current({0: accs("a", 37, start=3), 1: accs("a", 3) + accs("x", 5)})
    ids2 = assign_ids(cur2, previous_from(cur1, ids1))
    assert ids2.events == []
    assert ids2.clusters[0] == ids1.clusters[0]


def test_changes_since_lists_what_changed() -> None:
    cur1 = current({0: accs("a", 10), 1: accs("b", 6), 2: accs("c", 3)})
    ids1 = assign_ids(cur1, None)
    f1 = findings_from(
        cur1, ids1, "run-1", actions={"a0001": "review"}, exchanges={ids1.campaigns[0]: 100}
    )
    prev = as_previous(f1)
    cur2 = current({0: accs("a", 12), 1: accs("b", 4), 3: accs("d", 5)})
    ids2 = assign_ids(cur2, prev)
    f2 = findings_from(
        cur2, ids2, "run-2", exchanges={ids2.campaigns[0]: 160, ids2.campaigns[3]: 7}
    )
    ch = changes_since(prev, f2)
    assert ch["previous_run_id"] == "run-1" and ch["run_id"] == "run-2"
    assert ch["new_clusters"] == [ids2.clusters[3]]
    assert ch["gone_clusters"] == [ids1.clusters[2]]
    assert ch["grown_clusters"] == [{"cluster_id": ids1.clusters[0], "before": 10, "after": 12}]
    assert ch["shrunk_clusters"] == [{"cluster_id": ids1.clusters[1], "before": 6, "after": 4}]
    assert ch["newly_flagged"] == ["a0010", "a0011"] + accs("d", 5)
    assert ch["no_longer_flagged"] == ["b0004", "b0005"] + accs("c", 3)
    assert ch["action_changed"] == [{"account_id": "a0001", "before": "review", "after": "suspend"}]
    assert ch["action_transitions"] == {"review->suspend": 1}
    ex = {c["campaign_id"]: c["new_exchanges"] for c in ch["campaign_exchanges"]}
    assert ex == {ids2.campaigns[0]: 60, ids2.campaigns[1]: 0, ids2.campaigns[3]: 7}
    assert ch["counts"]["newly_flagged"] == 7 and ch["counts"]["no_longer_flagged"] == 5
    assert ch["counts"]["new_exchanges"] == 67
    assert ch["new_campaigns"] == [ids2.campaigns[3]]
    assert ch["gone_campaigns"] == [ids1.campaigns[2]]
    # the same comparison through diff_runs
    assert diff_runs(prev, as_previous(f2)) == ch


def test_changes_since_first_run_is_all_new() -> None:
    cur = current(RINGS)
    ids = assign_ids(cur, None)
    ch = changes_since(None, findings_from(cur, ids, "run-1"))
    assert ch["first_run"] is True and ch["previous_run_id"] is None
    assert ch["counts"]["newly_flagged"] == 19 == len(ch["newly_flagged"])
    assert sorted(ch["new_clusters"]) == sorted(ids.clusters.values())
    assert ch["gone_clusters"] == [] and ch["no_longer_flagged"] == [] and ch["events"] == []


def test_identical_runs_diff_to_nothing() -> None:
    cur = current(RINGS)
    ids = assign_ids(cur, None)
    prev = previous_from(cur, ids)
    d = diff_runs(prev, prev)
    assert all(
        v == 0 for k, v in d["counts"].items() if k not in ("clusters", "campaigns", "flagged")
    )


@pytest.mark.parametrize("n", [2000])
def test_assign_ids_is_vectorised_enough(n: int) -> None:
    # many rings: matching stays fast (candidate pairs only, no per-account loops)
    rng = np.random.default_rng(0)
    acc = np.array([f"u{i:07d}" for i in range(n * 10)])
    ring = np.repeat(np.arange(n), 10)
    cur = pd.DataFrame({"account_id": acc, "ring": ring, "campaign": ring // 5})
    ids1 = assign_ids(cur, None)
    shuffled = cur.sample(frac=1, random_state=1)
    shuffled["ring"] = shuffled["ring"].map(dict(zip(range(n), rng.permutation(n), strict=True)))
    ids2 = assign_ids(shuffled, previous_from(cur, ids1))
    assert by_min_account(shuffled, ids2) == by_min_account(cur, ids1)


# ---- linker diff ------------------------------------------------------------------------


def two_runs():
    cur1 = current({0: accs("a", 10), 1: accs("b", 6), 2: accs("c", 3)})
    ids1 = assign_ids(cur1, None)
    f1 = findings_from(cur1, ids1, "20260101T000000Z-aaaaaa")
    f1.run["started_at"] = "2026-01-01T00:00:00Z"
    cur2 = current({0: accs("a", 12), 1: accs("b", 4), 3: accs("d", 5)})
    ids2 = assign_ids(cur2, as_previous(f1))
    f2 = findings_from(cur2, ids2, "20260108T000000Z-bbbbbb")
    f2.run["started_at"] = "2026-01-08T00:00:00Z"
    return f1, f2


def test_diff_command_on_two_output_directories(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from linker.cli import app
    from linker.outputs.export import write_outputs

    f1, f2 = two_runs()
    write_outputs(f1, tmp_path / "w1")
    write_outputs(f2, tmp_path / "w2")
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(tmp_path / "w1"), str(tmp_path / "w2"), "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got == diff_runs(as_previous(f1), as_previous(f2))
    assert got["newly_flagged"] == ["a0010", "a0011"] + accs("d", 5)
    res = runner.invoke(app, ["diff", str(tmp_path / "w1"), str(tmp_path / "w2")])
    assert res.exit_code == 0, res.output
    assert "7 newly flagged" in res.output and "5 no longer" in res.output
    assert "newly flagged: a0010, a0011, d0000" in res.output
    res = runner.invoke(app, ["diff", str(tmp_path), str(tmp_path / "w2")])
    assert res.exit_code == 2 and "run.json" in res.output


def test_diff_command_on_store_run_ids(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from linker.cli import app
    from linker.store.embedded import EmbeddedStore

    f1, f2 = two_runs()
    store = EmbeddedStore(tmp_path / "ws")
    store.write_results(f1)
    store.write_results(f2)
    runner = CliRunner()
    ws = ["--workspace", str(tmp_path / "ws"), "--json"]
    by_id = runner.invoke(app, ["diff", f1.run_id, f2.run_id, *ws])
    by_alias = runner.invoke(app, ["diff", "previous", "latest", *ws])
    assert by_id.exit_code == 0 and by_alias.exit_code == 0, by_id.output + by_alias.output
    assert json.loads(by_id.output) == json.loads(by_alias.output)
    assert json.loads(by_id.output)["previous_run_id"] == f1.run_id
    missing = runner.invoke(app, ["diff", "nope", f2.run_id, *ws])
    assert missing.exit_code == 2 and "no run 'nope'" in missing.output
    listed = runner.invoke(app, ["runs", *ws])
    assert listed.exit_code == 0, listed.output
    assert [r["run_id"] for r in json.loads(listed.output)] == [f1.run_id, f2.run_id]
    table = runner.invoke(app, ["runs", "--workspace", str(tmp_path / "ws")])
    assert f1.run_id in table.output and f2.run_id in table.output
