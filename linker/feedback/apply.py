"""Verdicts applied in the next run, between ring detection and campaigns.

Per account, its latest verdict decides (linker.feedback.verdicts.latest_per_account):

- **cleared**: the account leaves the queue, unless new evidence appeared since the verdict:
  a link to an account that was not its ring-mate then, a reason code it did not have then
  (a new timing signal is one; codes measured against the ring, which move whenever its
  membership does, are not), or a later confirmed account's identifier. Then it comes back
  to review with NEW_EVIDENCE_SINCE_CLEARED;
- **confirmed**: the account stays suspended (CONFIRMED_BY_REVIEW), unless allow-listed:
  verdicts never override the allowlist rule. Its strong identifiers (card, device, phone,
  e-mail, API key) are seeds: every account sharing one (a value used by at most
  `seed_max_accounts` accounts) gets CONFIRMED_LINK and a higher score, and joins the
  confirmed account's ring for review when no ring held it;
- **unsure**: recorded, changes nothing.

Then the calibrated review filter (`linker calibrate`), when set, keeps in the review queue
only accounts whose fitted probability of being confirmed reaches `review_min_probability`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from linker import kinds
from linker.detect.evidence import KINDS as EVIDENCE_KINDS
from linker.detect.evidence import STRONG_KIND, allowlisted_accounts
from linker.detect.reasons import BIT, decode_array, encode_series
from linker.detect.rings import RingOutput
from linker.feedback.verdicts import latest_per_account
from linker.settings import FeedbackParams

# codes that describe a verdict or a rule, not evidence about the account
_NOT_EVIDENCE = BIT["ALLOWLISTED"] | BIT["CONFIRMED_LINK"] | BIT["CONFIRMED_BY_REVIEW"] \
    | BIT["NEW_EVIDENCE_SINCE_CLEARED"]
# codes measured against the account's ring (its share of the ring's even split, the ring's
# capability mix, its nearest schedules being ring-mates): they appear and vanish when the
# ring's membership moves, with nothing new about the account itself
_RING_RELATIVE = BIT["LOAD_BALANCED_VOLUME"] | BIT["CAPABILITY_TARGETING"] | BIT["RING_SCHEDULE"]


@dataclass
class Applied:
    """Ring output after the verdicts, what they did (for run.json, changes.json, the report),
    and the latest verdict of each flagged account (for review packets)."""

    rings: RingOutput
    stats: dict[str, int] = field(default_factory=dict)
    member_verdicts: pd.DataFrame = field(default_factory=pd.DataFrame)


def model_probability(reasons: pd.Series, score: pd.Series, params: FeedbackParams) -> np.ndarray:
    """The calibrated probability that a reviewer confirms each account (linker calibrate)."""
    masks = encode_series(reasons)
    z = np.full(len(masks), float(params.model_intercept))
    for code, w in params.model_weights.items():
        if code == "score":
            z += w * pd.to_numeric(score, errors="coerce").fillna(0).to_numpy(np.float64)
        elif code in BIT:
            z += w * ((masks & BIT[code]) > 0)
    return 1.0 / (1.0 + np.exp(-z))


def _seed_links(out: RingOutput, confirmed: pd.DataFrame, params: FeedbackParams
                ) -> tuple[pd.DataFrame, int]:
    """Accounts sharing a confirmed account's strong identifier: account_id, seed (the
    confirmed account), bits (the identifiers' reason codes), weight, confirmed_at; and how
    many identifiers seeded at least one such link."""
    cols = ["account_id", "seed", "bits", "weight", "confirmed_at"]
    ev = out.table
    if ev is None or len(ev) == 0 or len(confirmed) == 0:
        return pd.DataFrame(columns=cols), 0
    reason_bit = np.array([BIT.get(kinds.BY_NAME[k].reason or "", 0) for k in EVIDENCE_KINDS],
                          dtype=np.uint32)
    link_w = np.array([kinds.BY_NAME[k].link_weight for k in EVIDENCE_KINDS])
    seed_codes = ev.accounts.get_indexer(confirmed["account_id"].astype(str))
    ok = seed_codes >= 0
    seed_codes, when = seed_codes[ok], confirmed["decided_at"].to_numpy()[ok]
    is_seed = np.zeros(len(ev.accounts), dtype=bool)
    is_seed[seed_codes] = True
    rows = STRONG_KIND[ev.kind]
    key = ev.kind[rows].astype(np.int64) * (int(ev.vcode.max(initial=0)) + 1) + ev.vcode[rows]
    acct = ev.acct[rows]
    kind = ev.kind[rows]
    seeded = is_seed[acct]
    seed_keys = np.unique(key[seeded])
    use = np.isin(key, seed_keys)
    key, acct, kind, seeded = key[use], acct[use], kind[use], seeded[use]
    uk, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    small = cnt[inv] <= params.seed_max_accounts
    key, acct, kind, seeded, inv = key[small], acct[small], kind[small], seeded[small], inv[small]
    # the (first) confirmed account behind each key
    first_seed = np.full(uk.size, -1, dtype=np.int64)
    s_inv, s_acct = inv[seeded], acct[seeded]
    order = np.argsort(s_acct, kind="stable")[::-1]
    first_seed[s_inv[order]] = s_acct[order]
    when_of = pd.Series(when, index=seed_codes).groupby(level=0).max()
    other = ~seeded & (first_seed[inv] >= 0)
    if not other.any():
        return pd.DataFrame(columns=cols), 0
    df = pd.DataFrame({"code": acct[other], "seed_code": first_seed[inv[other]],
                       "bits": reason_bit[kind[other]], "weight": link_w[kind[other]],
                       "key": key[other]})
    used = int(df["key"].nunique())
    g = df.groupby("code")
    res = pd.DataFrame({
        "seed_code": g["seed_code"].min(),
        "bits": g["bits"].agg(lambda b: int(np.bitwise_or.reduce(b.to_numpy()))),
        "weight": g["weight"].sum(),
    }).reset_index()
    ids = ev.accounts.to_numpy()
    return pd.DataFrame({
        "account_id": pd.array(ids[res["code"]], dtype="string"),
        "seed": pd.array(ids[res["seed_code"]], dtype="string"),
        "bits": res["bits"].astype(np.uint32).to_numpy(),
        "weight": res["weight"].to_numpy(np.float64),
        "confirmed_at": when_of.reindex(res["seed_code"]).to_numpy(),
    }), used


def _new_links(out: RingOutput, cleared: pd.DataFrame) -> set[str]:
    """Cleared accounts with a new identity or network link since their verdict: a strong
    or medium identifier they share (with at most its kind's hub cap of accounts) that one
    of the two sides first used after `decided_at`."""
    ev = out.table
    if ev is None or len(ev) == 0 or len(cleared) == 0:
        return set()
    names = list(EVIDENCE_KINDS)
    linking = np.array([kinds.BY_NAME[k].strength in ("strong", "medium")
                        and kinds.BY_NAME[k].reason is not None for k in names])
    cap = np.array([kinds.BY_NAME[k].hub_cap for k in names])
    codes = ev.accounts.get_indexer(cleared.index.astype(str))
    ok = codes >= 0
    codes = codes[ok]
    decided = pd.to_datetime(cleared["decided_at"], utc=True).dt.tz_localize(None).to_numpy()[ok]
    when = pd.Series(decided, index=codes)
    rows = linking[ev.kind] & np.isin(ev.acct, codes)
    width = int(ev.vcode.max(initial=0)) + 1
    key_all = ev.kind.astype(np.int64) * width + ev.vcode
    keys = np.unique(key_all[rows])
    sel = np.isin(key_all, keys)
    df = pd.DataFrame({"key": key_all[sel], "acct": ev.acct[sel], "kind": ev.kind[sel],
                       "first": ev.first_seen[sel]})
    df = df[df.groupby("key")["acct"].transform("size") <= cap[df["kind"].to_numpy()]]
    mine = df[df["acct"].isin(codes)]
    pairs = mine.merge(df, on="key", suffixes=("", "_o"))
    pairs = pairs[pairs["acct"] != pairs["acct_o"]]
    if pairs.empty:
        return set()
    newest = np.maximum(pairs["first"].to_numpy(), pairs["first_o"].to_numpy())
    new = newest > when.reindex(pairs["acct"].to_numpy()).to_numpy()
    return set(ev.accounts.to_numpy()[np.unique(pairs["acct"].to_numpy()[new])].astype(str))


def apply_verdicts(out: RingOutput, verdicts: pd.DataFrame | None, *,
                   allowlist: pd.DataFrame | None, params: FeedbackParams) -> Applied:
    """Ring output with the stored verdicts applied (see the module docstring)."""
    stats = {"verdicts": 0, "verdict_accounts": 0, "verdicts_applied": 0, "cleared_kept_out": 0,
             "returned_with_new_evidence": 0, "confirmed_suspended": 0,
             "confirmed_allowlisted": 0, "seeds_used": 0, "confirmed_link_accounts": 0,
             "below_model_probability": 0}
    latest = latest_per_account(verdicts) if params.enabled else latest_per_account(None)
    stats["verdicts"] = int(verdicts["verdict_id"].nunique()) if verdicts is not None and len(verdicts) else 0
    stats["verdict_accounts"] = int(len(latest))
    m = out.members.copy()
    m["_mask"] = encode_series(m["reasons"])
    ring_max = int(m["ring"].max()) if len(m) else 0
    allowed = set(allowlisted_accounts(allowlist) or ()) if allowlist is not None else set()
    confirmed = latest[latest["verdict"] == "confirmed"]
    cleared = latest[latest["verdict"] == "cleared"]
    new_links = pd.DataFrame(columns=["a", "b", "weight", "reasons"])

    # confirmed accounts: seeds, then stay suspended (allowlist first)
    seeds, stats["seeds_used"] = _seed_links(out, confirmed, params)
    seeds = seeds[~seeds["account_id"].isin(set(confirmed["account_id"]))]
    ring_of = dict(zip(m["account_id"].astype(str), m["ring"], strict=False))
    extra = []
    missing = confirmed[~confirmed["account_id"].isin(set(ring_of))]
    for _subject, grp in missing.groupby("subject", sort=True):
        ids = grp["account_id"]
        present = ids[out.table.accounts.get_indexer(ids) >= 0].tolist() \
            if out.table is not None else []
        if not present:
            continue
        ring_max += 1
        for a in present:
            ring_of[a] = ring_max
            extra.append({"account_id": a, "ring": ring_max, "score": 1.0, "action": "review",
                          "reasons": "", "_mask": 0})
    if extra:
        m = pd.concat([m, pd.DataFrame(extra)], ignore_index=True)
    is_conf = m["account_id"].isin(set(confirmed["account_id"]))
    is_allowed = ((m["_mask"] & BIT["ALLOWLISTED"]) > 0) | m["account_id"].isin(allowed)
    m.loc[is_conf, "_mask"] = m.loc[is_conf, "_mask"] | BIT["CONFIRMED_BY_REVIEW"]
    m.loc[is_conf & is_allowed, "_mask"] = m.loc[is_conf & is_allowed, "_mask"] | BIT["ALLOWLISTED"]
    m.loc[is_conf & ~is_allowed, "action"] = "suspend"
    m.loc[is_conf & is_allowed, "action"] = "review"
    stats["confirmed_suspended"] = int((is_conf & ~is_allowed).sum())
    stats["confirmed_allowlisted"] = int((is_conf & is_allowed).sum())

    # accounts linked to a confirmed identifier
    if len(seeds):
        s = seeds.set_index("account_id")
        here = m["account_id"].isin(s.index)
        bits = m.loc[here, "account_id"].map(s["bits"]).astype(np.int64).to_numpy()
        m.loc[here, "_mask"] = m.loc[here, "_mask"].to_numpy() | bits | BIT["CONFIRMED_LINK"]
        m.loc[here, "score"] = 1 - (1 - m.loc[here, "score"]) * (1 - params.confirmed_link_boost)
        if not params.confirmed_link_suspend:
            m.loc[here & ~is_conf, "action"] = "review"
        add = s[~s.index.isin(m["account_id"]) & s["seed"].isin(set(ring_of))]
        if len(add):
            m = pd.concat([m, pd.DataFrame({
                "account_id": pd.array(add.index, dtype="string"),
                "ring": add["seed"].map(ring_of).astype(np.int64).to_numpy(),
                "score": np.round(params.confirmed_link_boost, 4), "action": "review",
                "reasons": "", "_mask": add["bits"].astype(np.int64).to_numpy() | BIT["CONFIRMED_LINK"],
            })], ignore_index=True)
        ab = pd.DataFrame({"x": s.index.astype(str), "y": s["seed"].astype(str).to_numpy()})
        new_links = pd.DataFrame({
            "a": pd.array(np.minimum(ab["x"], ab["y"]), dtype="string"),
            "b": pd.array(np.maximum(ab["x"], ab["y"]), dtype="string"),
            "weight": s["weight"].to_numpy(np.float64),
            "reasons": pd.array(decode_array(s["bits"].to_numpy() | BIT["CONFIRMED_LINK"]),
                                dtype="string"),
        })
        stats["confirmed_link_accounts"] = int(m["account_id"].isin(s.index).sum())

    # cleared accounts: out of the queue unless new evidence since the verdict
    drop: set[str] = set()
    if len(cleared):
        c = cleared.set_index("account_id")
        fresh = _new_links(out, c)
        seed_when = seeds.set_index("account_id")["confirmed_at"] if len(seeds) else pd.Series(dtype=object)
        here = m["account_id"].isin(c.index)
        returned = []
        for i in np.flatnonzero(here.to_numpy()):
            a = str(m.at[i, "account_id"])
            v = c.loc[a]
            basis_mask = int(encode_series(pd.Series([v["basis_reasons"] or ""]))[0])
            new_codes = (int(m.at[i, "_mask"]) & ~basis_mask & ~_NOT_EVIDENCE & ~_RING_RELATIVE
                         if v["basis_run_id"] else 0)
            later_seed = a in seed_when.index and pd.Timestamp(seed_when[a]) > pd.Timestamp(v["decided_at"])
            if new_codes or a in fresh or later_seed:
                returned.append(i)
            else:
                drop.add(a)
        if returned:
            m.loc[returned, "_mask"] = m.loc[returned, "_mask"] | BIT["NEW_EVIDENCE_SINCE_CLEARED"]
            m.loc[returned, "action"] = "review"
        stats["returned_with_new_evidence"] = len(returned)
        stats["cleared_kept_out"] = len(drop)

    m["reasons"] = pd.array(decode_array(m["_mask"].to_numpy(np.int64).astype(np.uint32)),
                            dtype="string")
    # calibrated review filter
    if params.review_min_probability > 0:
        rev = (m["action"] == "review") & ~m["account_id"].isin(drop)
        p = model_probability(m["reasons"], m["score"], params)
        low = rev.to_numpy() & (p < params.review_min_probability)
        stats["below_model_probability"] = int(low.sum())
        drop |= set(m.loc[low, "account_id"].astype(str))
    stats["verdicts_applied"] = int(latest["account_id"].isin(set(m["account_id"])).sum()
                                    + stats["cleared_kept_out"])
    m = m[~m["account_id"].isin(drop)].drop(columns="_mask")
    rings = _rebuild(out, m, new_links)
    mv = latest[latest["account_id"].isin(set(rings.members["account_id"]))]
    return Applied(rings=rings, stats=stats, member_verdicts=mv.reset_index(drop=True))


def _rebuild(out: RingOutput, m: pd.DataFrame, new_links: pd.DataFrame) -> RingOutput:
    """Ring output for the changed members: rings renumbered 1.. by their smallest account,
    sizes, scores and reasons recomputed for changed rings, links and evidence limited."""
    if len(m) == 0:
        return replace(out, members=out.members.iloc[0:0], rings=out.rings.iloc[0:0],
                       links=out.links.iloc[0:0], evidence=out.evidence.iloc[0:0])
    first = m.groupby("ring")["account_id"].min().sort_values(kind="stable")
    renum = pd.Series(np.arange(1, len(first) + 1), index=first.index)
    m = m.assign(ring=m["ring"].map(renum).astype(np.int64))
    m = m.sort_values(["ring", "account_id"], kind="stable").reset_index(drop=True)
    keep = set(m["account_id"].astype(str))
    links = pd.concat([out.links, new_links], ignore_index=True) if len(new_links) else out.links
    ring_of = dict(zip(m["account_id"].astype(str), m["ring"], strict=False))
    la = links["a"].astype(str).map(ring_of)
    lb = links["b"].astype(str).map(ring_of)
    links = links[la.notna() & (la == lb)]
    if len(new_links):  # a seed link beside an existing one: one row, reasons merged
        dup = links.duplicated(["a", "b"], keep=False)
        merged = links[dup].groupby(["a", "b"], as_index=False, sort=False).agg(
            weight=("weight", "max"), reasons=("reasons", lambda r: ";".join(sorted(
                set(";".join(r.astype(str)).split(";")) - {""}))))
        links = pd.concat([links[~dup], merged], ignore_index=True).sort_values(
            ["a", "b"], kind="stable")
        links["reasons"] = links["reasons"].astype("string")
    old = out.rings.set_index("ring")
    old_ring = dict(zip(out.members["account_id"].astype(str), out.members["ring"], strict=False))
    rows = []
    for r, grp in m.groupby("ring", sort=True):
        masks = encode_series(grp["reasons"])
        prev = {old_ring.get(a) for a in grp["account_id"].astype(str)} - {None}
        base = old.loc[min(prev)] if prev and min(prev) in old.index else None
        ring_mask = int(np.bitwise_or.reduce(masks)) | (
            int(encode_series(pd.Series([base["reasons"]]))[0]) if base is not None else 0)
        rows.append({"ring": int(r), "size": int(len(grp)), "score": round(float(grp["score"].max()), 4),
                     "density": float(base["density"]) if base is not None else 0.0,
                     "strong_share": float(base["strong_share"]) if base is not None else 0.0,
                     "reasons": decode_array(np.array([ring_mask], dtype=np.uint32))[0]})
    rings = pd.DataFrame(rows)
    rings["reasons"] = rings["reasons"].astype("string")
    ev = out.evidence
    known = set(ev["account_id"].astype(str)) if len(ev) else set()
    added = out.table.accounts.get_indexer(sorted(keep - known)).astype(np.int64) \
        if out.table is not None else np.zeros(0, np.int64)
    added = added[added >= 0]
    if added.size:
        ev = pd.concat([ev, out.table.to_frame(added)], ignore_index=True)
    ev = ev[ev["account_id"].astype(str).isin(keep)].reset_index(drop=True) if len(ev) else ev
    ale = out.allowlisted_evidence
    if len(ale):
        ale = ale[ale["account_id"].astype(str).isin(keep)].reset_index(drop=True)
    m["account_id"] = m["account_id"].astype("string")
    m["action"] = m["action"].astype("string")
    m["score"] = m["score"].astype(np.float64).round(4)
    return replace(out, members=m, rings=rings, links=links.reset_index(drop=True),
                   evidence=ev, allowlisted_evidence=ale)


def describe(stats: dict[str, Any]) -> str:
    """One line for the report."""
    return (f"{stats.get('verdicts_applied', 0)} verdict(s) applied; "
            f"{stats.get('cleared_kept_out', 0)} cleared account(s) kept out of review, "
            f"{stats.get('returned_with_new_evidence', 0)} returned with new evidence; "
            f"{stats.get('seeds_used', 0)} confirmed identifier(s) used as seeds, "
            f"{stats.get('confirmed_link_accounts', 0)} account(s) linked to them")
