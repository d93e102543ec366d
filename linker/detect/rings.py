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

from linker.detect import communities, evidence, links, scoring

if TYPE_CHECKING:
    from linker.model import Dataset


def _kind_weight() -> dict[str, float]:
    # weight of an identifier shared by exactly 2 accounts; rarer sharing weighs less
    return {
        "card": 3.0, "device": 3.0, "phone": 3.0, "email": 3.0, "api_key": 3.0,
        "signup_ip": 1.0, "ip": 0.6, "card_bin_postal": 0.6, "email_domain": 0.6,
        "prompt": 0.6, "subnet": 0.3,
    }


def _hub_cap() -> dict[str, int]:
    # identifiers used by more accounts than this are hubs: they link nothing
    return {
        "card": 60, "device": 60, "phone": 30, "email": 30, "api_key": 100,
        "signup_ip": 40, "ip": 40, "card_bin_postal": 25, "email_domain": 25,
        "prompt": 150, "subnet": 30,
    }


def _burst_weight() -> dict[str, float]:
    return {"subnet": 0.8, "asn": 0.5, "card_bin": 0.5}


@dataclass
class RingParams:
    """Every knob of ring detection (recorded in run.json)."""

    # identifier links
    kind_weight: dict[str, float] = field(default_factory=_kind_weight)
    hub_cap: dict[str, int] = field(default_factory=_hub_cap)
    # many shared identifiers of one kind add up to this × the kind weight (default 2): IPs
    # and networks are capped low, a proxy pool must not outweigh behaviour
    kind_cap_mult: dict[str, float] = field(default_factory=lambda: {"ip": 1.0, "subnet": 1.0})
    hub_band_mult: float = 10.0         # hubs up to this × cap are linked through a band only
    hub_band_k: int = 4                 # ... of this many neighbours per account
    hub_band_kinds: tuple[str, ...] = ("card", "device", "api_key", "phone", "email")
    rare_domain_max: int = 25           # e-mail domain is evidence only if ≤ this many accounts
    proxy_pool_min: int = 3             # ≥ this many shared rare IPs → PROXY_IP_POOL
    org_discount: float = 0.05          # links inside one organisation are scaled by this
    min_link_weight: float = 0.25       # weaker pairs are dropped before clustering
    # sign-up bursts
    burst_window_minutes: float = 30.0
    burst_min: int = 4
    burst_z: float = 5.0
    burst_k: int = 10
    burst_weight: dict[str, float] = field(default_factory=_burst_weight)
    # lockstep hours
    lockstep_min_hours: int = 6
    lockstep_min_overlap: float = 0.55   # shared hours / hours of the less active account
    lockstep_min_jaccard: float = 0.2
    lockstep_bands: int = 8
    lockstep_rows: int = 3
    lockstep_bucket_cap: int = 200
    lockstep_k: int = 6
    lockstep_weight: float = 1.0
    # communities
    community_backend: str = "auto"     # auto | louvain | leiden
    resolution: float = 2.0              # see the resolution study (bench.quality)
    resolution_ref_nodes: int = 2000     # >0: resolution × sqrt(component nodes / this)
    resolution_max_mult: float = 4.0     # ... at most this many times
    strong_merge_frac: float = 0.5      # merge communities tied by this many strong links
    lockstep_cluster_boost: float = 3.0  # × weight of lockstep links for clustering only
    cluster_weight_cap: float = 1.5     # link weights are capped at this for clustering only
    louvain_max_edges: int = 100_000
    seed: int = 7
    min_ring_size: int = 3
    # scoring
    min_attach: float = 0.5
    attach_ref: float = 3.0
    core_min_size: int = 3
    core_behaviour_share: float = 0.5    # share of the strong core with bursts / lockstep
    min_behaviour: float = 0.3           # behaviour evidence needed before any suspension
    identity_only_min_size: int = 10     # smaller communities without behaviour are no ring
    suspend_score: float = 0.75
    load_balance_cv: float = 0.10        # coefficient of variation of per-account volume
    load_balance_min_size: int = 6       # fewer accounts look even by chance
    load_balance_min_mean: float = 20.0
    capability_share: float = 0.8


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
    ps = links.build_links(ev, ds, allowlist, params)
    lap("links")
    labels = communities.detect(ps, len(accounts), params)
    lap("communities")
    allowed_ids = evidence.allowlisted_accounts(allowlist)
    allowed = accounts.isin(allowed_ids) if allowed_ids else np.zeros(len(accounts), dtype=bool)
    result, ring = scoring.score_rings(ps, labels, accounts, ds, np.asarray(allowed), params)
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
    lap("output")
    out.stats = {
        "accounts": int(len(accounts)),
        "evidence_rows": int(len(ev)),
        "links": int(len(ps)),
        "rings": int(len(result.rings)),
        "members": int(len(result.members)),
        "suspend": int((result.members["action"] == "suspend").sum()),
        "timings": timings,
    }
    return out
