"""Ring detection, end to end: evidence → links → communities → scores.

`find_rings` is the one entry point the pipeline calls. Every stage below it is a pure
function over arrays; this module only wires them and owns the tunable parameters.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linker.detect import communities, evidence, links, scoring, timing
from linker.settings import RingParams

if TYPE_CHECKING:
    from linker.model import Dataset


@dataclass
class RingOutput:
    """What ring detection hands to campaigns, exports and review packets.

    `evidence` and `links` are restricted to ring members (links among members) so that
    they stay small at any scale; `allowlisted_evidence` lists the members' allow-listed
    identifiers (they linked nothing) for review packets."""

    evidence: pd.DataFrame
    links: pd.DataFrame
    members: pd.DataFrame
    rings: pd.DataFrame
    allowlisted_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    stats: dict[str, Any] = field(default_factory=dict)
    # the whole integer-coded evidence table (every account, allow-listed values excluded):
    # review feedback finds the accounts sharing a confirmed account's identifiers in it
    table: evidence.EvidenceTable | None = None


def build_links(ev: evidence.EvidenceTable, ds: Dataset, allowlist: pd.DataFrame | None,
                params: RingParams) -> links.PairSet:
    """All links (identifiers + timing), org-discounted and filtered by `min_link_weight`."""
    ident = links.identifier_pairs(ev, params)
    tpairs = timing.timing_pairs(ds, ev.accounts, params)
    ps = links.combine([ident, tpairs])
    org, org_allowed = links.org_codes(ds, ev.accounts, allowlist)
    ps = links.apply_org_discount(ps, org, org_allowed, params.org_discount)
    return ps.take(ps.w >= params.min_link_weight)


def find_rings(
    ds: Dataset,
    allowlist: pd.DataFrame | None = None,
    params: RingParams | None = None,
    progress: bool = False,
) -> RingOutput:
    """Find rings of accounts run by one operator, with scores, actions and reasons."""
    params = params or RingParams()
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = round(now - t, 3)
        t = now
        if progress:
            print(f"  rings: {name} {timings[name]:.1f}s", file=sys.stderr)

    ds = evidence.ensure_normalised(ds)
    lap("normalise")
    ev, ev_allowed = evidence.build_evidence_table(ds, allowlist, params.rare_domain_max)
    accounts = ev.accounts
    lap("evidence")
    ps = build_links(ev, ds, allowlist, params)
    lap("links")
    labels = communities.detect(ps, len(accounts), params)
    lap("communities")
    allowed_ids = evidence.allowlisted_accounts(allowlist)
    allowed = accounts.isin(allowed_ids) if allowed_ids else np.zeros(len(accounts), dtype=bool)
    tpl = ev.take(ev.kind == evidence.KIND_CODE["prompt"])
    result, ring = scoring.score_rings(ps, labels, accounts, ds, np.asarray(allowed), params,
                                       templates=(tpl.acct.astype(np.int64), tpl.vcode))
    lap("scoring")

    member_codes = np.flatnonzero(ring > 0)
    inside = (ring[ps.a] > 0) & (ring[ps.a] == ring[ps.b])
    out = RingOutput(
        evidence=ev.to_frame(member_codes),
        links=links.to_frame(ps.take(inside), accounts),
        members=result.members,
        rings=result.rings,
        allowlisted_evidence=ev_allowed.to_frame(member_codes),
    )
    out, left_out = cap_review_queue(out, params.review_limit)
    out.table = ev
    lap("output")
    out.stats = {
        "accounts": int(len(accounts)),
        "evidence_rows": int(len(ev)),
        "links": int(len(ps)),
        "rings": int(len(out.rings)),
        "members": int(len(out.members)),
        "suspend": int((out.members["action"] == "suspend").sum()),
        "review": int((out.members["action"] == "review").sum()),
        "review_left_out": left_out,
        "timings": timings,
    }
    return out


def cap_review_queue(out: RingOutput, limit: int) -> tuple[RingOutput, int]:
    """Keep the `limit` highest-scoring review accounts (ties: account id); 0 keeps all.
    Suspensions are never dropped. Returns the output and how many reviews were left out."""
    m = out.members
    review = m[m["action"] == "review"]
    if limit <= 0 or len(review) <= limit:
        return out, 0
    ranked = review.sort_values(["score", "account_id"], ascending=[False, True], kind="stable")
    drop = set(ranked["account_id"].iloc[limit:])
    members = m[~m["account_id"].isin(drop)].reset_index(drop=True)
    keep = set(members["account_id"])
    rings = out.rings[out.rings["ring"].isin(members["ring"])].reset_index(drop=True)
    sizes = members.groupby("ring").size()
    rings = rings.assign(size=rings["ring"].map(sizes).astype("int64"))
    return RingOutput(
        evidence=out.evidence[out.evidence["account_id"].isin(keep)].reset_index(drop=True),
        links=out.links[out.links["a"].isin(keep) & out.links["b"].isin(keep)].reset_index(drop=True),
        members=members, rings=rings,
        allowlisted_evidence=out.allowlisted_evidence[
            out.allowlisted_evidence["account_id"].isin(keep)].reset_index(drop=True)
        if len(out.allowlisted_evidence) else out.allowlisted_evidence,
        stats=out.stats,
    ), len(drop)
