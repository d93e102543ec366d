"""Periodic runs: stable cluster / campaign ids, what changed since the last run, diffs.

A fraud team follows a ring over weeks, so a ring found again must keep its id even though
Louvain labels communities arbitrarily and the input rows come in any order. Ids therefore
come from membership only:

- a current ring inherits the id of the previous cluster it shares the most accounts with
  (one-to-one, greedy over candidate pairs in a fixed order, so ties resolve the same way
  every time);
- an unmatched ring gets ``"R-" + sha1(smallest account_id)[:10]`` (campaigns ``"C-"``),
  salted deterministically when that id is taken, so no id the previous run used for another
  ring is ever handed out again.

Everything here is a pure function over DataFrames; no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from linker.model import Findings, PreviousRun
from linker.settings import HistoryParams

# Matching and event thresholds are `HistoryParams` (linker.settings): a (current, previous)
# pair is a match candidate when their Jaccard similarity reaches match_jaccard, or when they
# share at least match_share_of_smaller of the smaller side (and at least match_min_overlap
# accounts): the second rule keeps the id of a ring that grew a lot between two runs (10
# accounts → 50 is Jaccard 0.2 but clearly the same ring). A merge is one current ring holding
# at least merge_share of each of two or more previous clusters; a split is one previous
# cluster spread over two or more current rings, each part holding at least split_min_part of
# its accounts and either split_share of the previous cluster or most (part_majority) of the
# current ring: so a four-way split is seen, and one or two accounts drifting is not.

CLUSTER_PREFIX = "R-"
CAMPAIGN_PREFIX = "C-"
HASH_CHARS = 10


@dataclass
class IdMapping:
    """Ids for this run's int ring / campaign keys, plus merge / split events."""

    clusters: dict[int, str]
    campaigns: dict[int, str]
    events: list[dict[str, Any]] = field(default_factory=list)


# ---- matching -----------------------------------------------------------------------------


def _pairs(cur: pd.DataFrame, prev: pd.DataFrame, with_min: bool = True) -> pd.DataFrame:
    """Overlap of every (current key, previous id) pair that shares an account.

    `cur` has account_id, key; `prev` has account_id, pid (one row per account each).
    Returns key, pid, overlap, cur_size, prev_size, cur_min (smallest current account_id).
    """
    cur_size = cur.groupby("key", sort=False).size()
    prev_size = prev.groupby("pid", sort=False).size()
    both = cur.merge(prev, on="account_id", how="inner")
    ov = both.groupby(["key", "pid"], sort=False).size().rename("overlap").reset_index()
    ov["cur_size"] = ov["key"].map(cur_size).to_numpy()
    ov["prev_size"] = ov["pid"].map(prev_size).to_numpy()
    if with_min:
        cur_min = cur.groupby("key", sort=False)["account_id"].min()
        ov["cur_min"] = ov["key"].map(cur_min).astype(str).to_numpy()
    return ov


def _candidates(ov: pd.DataFrame, p: HistoryParams) -> pd.DataFrame:
    """Pairs similar enough to share an id, in the greedy's order."""
    union = ov["cur_size"] + ov["prev_size"] - ov["overlap"]
    jaccard = ov["overlap"] / union
    smaller = ov[["cur_size", "prev_size"]].min(axis=1)
    keep = (jaccard >= p.match_jaccard) | (
        (ov["overlap"] >= p.match_share_of_smaller * smaller) & (ov["overlap"] >= p.match_min_overlap)
    )
    cand = ov[keep].copy()
    cand["neg_overlap"] = -cand["overlap"]
    return cand.sort_values(["neg_overlap", "pid", "cur_min"], kind="stable")


def _greedy(cand: pd.DataFrame) -> dict[Any, str]:
    """One-to-one matching: take pairs in order, skip any whose side is already taken."""
    taken_cur: set[Any] = set()
    taken_prev: set[str] = set()
    out: dict[Any, str] = {}
    for key, pid in zip(cand["key"].tolist(), cand["pid"].tolist(), strict=True):
        if key in taken_cur or pid in taken_prev:
            continue
        taken_cur.add(key)
        taken_prev.add(pid)
        out[key] = pid
    return out


def new_id(prefix: str, seed: str, used: set[str]) -> str:
    """`prefix` + first hex of sha1(seed); salted with "#n" until it is not in `used`."""
    n = 0
    while True:
        text = seed if n == 0 else f"{seed}#{n}"
        candidate = prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_CHARS]
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def _ids_for(
    cur: pd.DataFrame, prev: pd.DataFrame | None, prefix: str, reserved: set[str],
    p: HistoryParams,
) -> dict[Any, str]:
    """Stable ids for the keys of `cur` (account_id, key) given `prev` (account_id, pid)."""
    if cur.empty:
        return {}
    if prev is not None and not prev.empty:
        matched = _greedy(_candidates(_pairs(cur, prev), p))
    else:
        matched = {}
    used = set(reserved) | set(matched.values())
    mins = cur.groupby("key", sort=False)["account_id"].min().astype(str)
    unmatched = mins[~mins.index.isin(list(matched))].sort_values(kind="stable")
    out = dict(matched)
    for key, seed in unmatched.items():
        out[key] = new_id(prefix, seed, used)
    return out


def _norm(df: pd.DataFrame, key: str, name: str) -> pd.DataFrame:
    """account_id (str) + one grouping column renamed to `name`; one row per account."""
    out = df[["account_id", key]].dropna()
    out = out.drop_duplicates("account_id")
    return pd.DataFrame(
        {
            "account_id": out["account_id"].astype(str).to_numpy(),
            name: out[key].to_numpy() if name == "key" else out[key].astype(str).to_numpy(),
        }
    )


def _previous_ids(previous: PreviousRun, column: str) -> set[str]:
    """Every id of `column` the previous run used (members and its clusters / campaigns)."""
    ids: set[str] = set()
    members = previous.members
    if isinstance(members, pd.DataFrame) and column in members:
        ids |= set(members[column].dropna().astype(str))
    clusters = previous.clusters
    if isinstance(clusters, pd.DataFrame) and column in clusters:
        ids |= set(clusters[column].dropna().astype(str))
    if column == "campaign_id":
        ids |= {str(c["campaign_id"]) for c in previous.campaigns or [] if c.get("campaign_id")}
    return ids


def assign_ids(current: pd.DataFrame, previous: PreviousRun | None,
               params: HistoryParams | None = None) -> IdMapping:
    """Stable cluster / campaign ids for this run's rings and campaigns.

    `current`: account_id, ring (int key of this run), campaign (int key of this run).
    `previous.members`: account_id, cluster_id, campaign_id (strings), or no previous run.
    """
    prev_members = previous.members if previous is not None else None
    has_prev = isinstance(prev_members, pd.DataFrame) and not prev_members.empty
    rings = _norm(current, "ring", "key")
    camps = _norm(current, "campaign", "key")
    prev_rings = _norm(prev_members, "cluster_id", "pid") if has_prev else None
    prev_camps = _norm(prev_members, "campaign_id", "pid") if has_prev else None
    reserved_r = _previous_ids(previous, "cluster_id") if previous is not None else set()
    reserved_c = _previous_ids(previous, "campaign_id") if previous is not None else set()

    p = params or HistoryParams()
    clusters = _ids_for(rings, prev_rings, CLUSTER_PREFIX, reserved_r, p)
    campaigns = _ids_for(camps, prev_camps, CAMPAIGN_PREFIX, reserved_c, p)
    events: list[dict[str, Any]] = []
    if has_prev and prev_rings is not None:
        now = pd.DataFrame(
            {"account_id": rings["account_id"], "cid": rings["key"].map(clusters).astype(str)}
        )
        events = membership_events(prev_rings.rename(columns={"pid": "cid"}), now, p=p)
    return IdMapping(
        clusters={_plain(k): v for k, v in clusters.items()},
        campaigns={_plain(k): v for k, v in campaigns.items()},
        events=events,
    )


def _plain(key: Any) -> Any:
    """numpy scalars → Python scalars, so dict lookups by int work and JSON is clean."""
    return key.item() if hasattr(key, "item") else key


# ---- events -------------------------------------------------------------------------------


def membership_events(
    before: pd.DataFrame, after: pd.DataFrame, ids_key: str = "cluster_ids",
    p: HistoryParams | None = None,
) -> list[dict[str, Any]]:
    """Merges and splits between two memberships (each: account_id, cid — string ids).

    merge: {"type": "merge", ids_key: [previous ids], "into": current id}
    split: {"type": "split", ids_key: [current ids], "from": previous id}
    """
    if before.empty or after.empty:
        return []
    p = p or HistoryParams()
    prev = before.rename(columns={"cid": "pid"})[["account_id", "pid"]]
    cur = after.rename(columns={"cid": "key"})[["account_id", "key"]]
    ov = _pairs(cur, prev, with_min=False)
    ov = ov[ov["overlap"] >= p.match_min_overlap]
    of_prev = ov["overlap"] / ov["prev_size"]
    of_cur = ov["overlap"] / ov["cur_size"]
    merged = ov[of_prev >= p.merge_share]
    parts = ov[
        (ov["overlap"] >= p.split_min_part) & ((of_prev >= p.split_share) | (of_cur >= p.part_majority))
    ]
    events: list[dict[str, Any]] = []
    for kind, part, group, other, key_out in (
        ("merge", merged, "key", "pid", "into"),
        ("split", parts, "pid", "key", "from"),
    ):
        part = part[part.groupby(group)[other].transform("size") >= 2]  # few rows remain
        part = part.assign(g=part[group].astype(str), o=part[other].astype(str))
        for g, ids in part.sort_values(["g", "o"]).groupby("g", sort=True)["o"]:
            events.append({"type": kind, ids_key: ids.tolist(), key_out: g})
    return events


# ---- changes ------------------------------------------------------------------------------


def as_previous(findings: Findings) -> PreviousRun:
    """Findings (e.g. read back from an output directory) as a PreviousRun."""
    return PreviousRun(
        run=dict(findings.run),
        members=findings.members,
        suspensions=findings.suspensions,
        clusters=findings.clusters,
        campaigns=list(findings.campaigns),
    )


def _frame(df: Any, columns: list[str]) -> pd.DataFrame:
    """The given columns as strings (missing frame / columns → empty / NA)."""
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame()
    out = pd.DataFrame(index=df.index)
    for col in columns:
        # object dtype: isin / merge on string[pyarrow] columns is much slower here
        values = df[col].astype("string") if col in df else pd.Series(pd.NA, index=df.index)
        out[col] = values.astype(object).where(values.notna(), None)
    return out


def _exchanges(campaigns: list[dict[str, Any]] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in campaigns or []:
        if c.get("campaign_id") is None:
            continue
        value = c.get("exchanges") or 0
        out[str(c["campaign_id"])] = int(value)
    return out


def _compare(before: PreviousRun | None, after: PreviousRun) -> dict[str, Any]:
    """What changed from `before` (older, or None) to `after` (newer)."""
    first = before is None
    b_members = _frame(
        None if first else before.members, ["account_id", "cluster_id", "campaign_id"]
    )
    a_members = _frame(after.members, ["account_id", "cluster_id", "campaign_id"])
    b_susp = _frame(None if first else before.suspensions, ["account_id", "action"])
    a_susp = _frame(after.suspensions, ["account_id", "action"])
    b_camps = [] if first else list(before.campaigns or [])
    a_camps = list(after.campaigns or [])

    # clusters: sizes before / after
    b_size = b_members.dropna(subset=["cluster_id"]).groupby("cluster_id").size()
    a_size = a_members.dropna(subset=["cluster_id"]).groupby("cluster_id").size()
    sizes = pd.concat([b_size.rename("before"), a_size.rename("after")], axis=1).fillna(0)
    sizes = sizes.astype("int64").sort_index()
    in_b = sizes.index.isin(b_size.index)
    in_a = sizes.index.isin(a_size.index)
    new_clusters = [str(c) for c in sizes.index[in_a & ~in_b]]
    gone_clusters = [str(c) for c in sizes.index[in_b & ~in_a]]
    both = sizes[in_a & in_b]

    def _size_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
        return [
            {"cluster_id": str(cid), "before": int(b), "after": int(a)}
            for cid, b, a in zip(df.index, df["before"], df["after"], strict=True)
        ]

    grown = _size_rows(both[both["after"] > both["before"]])
    shrunk = _size_rows(both[both["after"] < both["before"]])

    # campaigns: ids from memberships and the campaign lists
    b_camp_ids = set(b_members["campaign_id"].dropna()) | set(_exchanges(b_camps))
    a_camp_ids = set(a_members["campaign_id"].dropna()) | set(_exchanges(a_camps))
    new_campaigns = sorted(a_camp_ids - b_camp_ids)
    gone_campaigns = sorted(b_camp_ids - a_camp_ids)
    b_ex, a_ex = _exchanges(b_camps), _exchanges(a_camps)
    campaign_exchanges = [
        {
            "campaign_id": cid,
            "before": b_ex.get(cid, 0),
            "after": a_ex[cid],
            "new_exchanges": a_ex[cid] - b_ex.get(cid, 0),
        }
        for cid in sorted(a_ex)
    ]

    # accounts: flagged = listed in suspensions
    b_flag = b_susp.dropna(subset=["account_id"]).drop_duplicates("account_id")
    a_flag = a_susp.dropna(subset=["account_id"]).drop_duplicates("account_id")
    newly = a_flag.loc[~a_flag["account_id"].isin(b_flag["account_id"]), "account_id"]
    dropped = b_flag.loc[~b_flag["account_id"].isin(a_flag["account_id"]), "account_id"]
    pair = b_flag.merge(a_flag, on="account_id", suffixes=("_before", "_after"))
    changed = pair[pair["action_before"].fillna("") != pair["action_after"].fillna("")].sort_values(
        "account_id"
    )
    sel = changed[["account_id", "action_before", "action_after"]].rename(
        columns={"action_before": "before", "action_after": "after"}
    )
    action_changed = sel.astype(object).where(sel.notna(), None).to_dict("records")
    transitions = (
        (changed["action_before"].fillna("none") + "->" + changed["action_after"].fillna("none"))
        .value_counts()
        .sort_index()
    )
    moved = b_members.dropna(subset=["cluster_id"]).merge(
        a_members.dropna(subset=["cluster_id"]), on="account_id", suffixes=("_b", "_a")
    )
    moved_count = int((moved["cluster_id_b"] != moved["cluster_id_a"]).sum())

    def _by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame.dropna(subset=[column]).rename(columns={column: "cid"})[["account_id", "cid"]]

    events: list[dict[str, Any]] = []
    campaign_events: list[dict[str, Any]] = []
    if not first:
        events = membership_events(_by(b_members, "cluster_id"), _by(a_members, "cluster_id"))
        campaign_events = membership_events(
            _by(b_members, "campaign_id"), _by(a_members, "campaign_id"), ids_key="campaign_ids"
        )

    newly_list = sorted(map(str, newly))
    dropped_list = sorted(map(str, dropped))
    return {
        "run_id": after.run.get("run_id"),
        "previous_run_id": None if first else before.run.get("run_id"),
        "first_run": first,
        "counts": {
            "clusters": int(len(a_size)),
            "campaigns": len(a_camp_ids),
            "flagged": int(len(a_flag)),
            "new_clusters": len(new_clusters),
            "new_campaigns": len(new_campaigns),
            "grown_clusters": len(grown),
            "shrunk_clusters": len(shrunk),
            "gone_clusters": len(gone_clusters),
            "gone_campaigns": len(gone_campaigns),
            "newly_flagged": len(newly_list),
            "no_longer_flagged": len(dropped_list),
            "action_changed": len(action_changed),
            "moved_accounts": moved_count,
            "merges": sum(e["type"] == "merge" for e in events),
            "splits": sum(e["type"] == "split" for e in events),
            "campaign_merges": sum(e["type"] == "merge" for e in campaign_events),
            "campaign_splits": sum(e["type"] == "split" for e in campaign_events),
            "new_exchanges": int(sum(c["new_exchanges"] for c in campaign_exchanges)),
        },
        "action_transitions": {str(k): int(v) for k, v in transitions.items()},
        "new_clusters": new_clusters,
        "new_campaigns": new_campaigns,
        "grown_clusters": grown,
        "shrunk_clusters": shrunk,
        "gone_clusters": gone_clusters,
        "gone_campaigns": gone_campaigns,
        "newly_flagged": newly_list,
        "no_longer_flagged": dropped_list,
        "action_changed": action_changed,
        "campaign_exchanges": campaign_exchanges,
        "events": events,
        "campaign_events": campaign_events,
    }


def changes_since(previous: PreviousRun | None, findings: Findings) -> dict[str, Any]:
    """changes.json: what this run's findings changed since the previous run.

    With no previous run everything is new: every cluster, campaign and flagged account is
    listed as new, so the file has the same shape on the first run as on every later one.
    """
    return _compare(previous, as_previous(findings))


VERDICT_COUNTS = ("verdicts_applied", "cleared_kept_out", "returned_with_new_evidence",
                  "seeds_used", "confirmed_link_accounts", "confirmed_suspended",
                  "below_model_probability")


def verdict_counts(feedback: dict[str, Any] | None) -> dict[str, int]:
    """changes.json `verdicts`: what the review verdicts did in a run (run.json `feedback`)."""
    feedback = feedback or {}
    return {k: int(feedback.get(k, 0)) for k in VERDICT_COUNTS}


def diff_runs(a: PreviousRun, b: PreviousRun) -> dict[str, Any]:
    """The changes from run `a` (older) to run `b` (newer), in changes.json's shape."""
    out = _compare(a, b)
    if "feedback" in b.run:  # runs recorded before verdicts existed have no such block
        out["verdicts"] = verdict_counts(b.run.get("feedback"))
    return out
