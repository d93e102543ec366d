"""The whole job as one pure function: Dataset (+ allowlist, indicators, previous run) in,
Findings out. Stores and exporters stay outside, so both stores give the same results."""

from __future__ import annotations

import dataclasses
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pandas as pd

from linker import __version__
from linker.model import Dataset, Findings, PreviousRun
from linker.progress import Reporter, plural
from linker.settings import Settings

if TYPE_CHECKING:
    from concurrent.futures import Future

    from linker.detect.communities import Clusterer

ACCOUNT_DETAIL_COLUMNS = [
    "account_id", "created_at", "email", "phone", "signup_ip", "device_id", "country", "org_id",
]


# Timing and progress of every stage: a silent `Reporter` times, a visible one also shows
# progress (linker.progress); the pipeline only calls it, it does no I/O of its own.
Timer = Reporter


def _map_keys(keys: pd.Series, ids: dict[int, str]) -> pd.Series:
    """Int campaign keys (nullable) → string ids; <NA> stays <NA> (a review cluster)."""
    table = pd.Series(ids, dtype="string")
    table.index = table.index.astype("int64")
    return keys.astype("Int64").map(table).astype("string")


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_pipeline(
    ds: Dataset,
    *,
    settings: Settings | None = None,
    allowlist: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    previous: PreviousRun | None = None,
    verdicts: pd.DataFrame | None = None,
    store: str | None = None,
    progress: bool = False,
    timer: Reporter | None = None,
    cluster: Clusterer | None = None,
) -> Findings:
    """Rings → review verdicts → campaigns → stable ids → Findings, with `settings` recorded
    whole in run.json. `verdicts`: the stored verdict rows (linker.feedback.verdicts).
    `timer` times (and may show) every stage and sub-stage; `progress` without a timer prints
    one line per stage on stderr. `cluster`: the store's community detection (GDS Leiden)
    when `rings.cluster` asks for it, else None (the Python path)."""
    from linker.campaigns.grouping import build_campaigns, campaign_identifiers
    from linker.detect.rings import find_rings
    from linker.history import assign_ids, changes_since, verdict_counts
    from linker.memory import release as release_memory

    settings = settings or Settings()
    if timer is None:
        from linker.progress import LineReporter

        timer = LineReporter() if progress else Reporter()
    now = datetime.now(timezone.utc).replace(microsecond=0)

    # the campaigns' identifiers need no rings: extracted on a thread of their own while
    # the rings are clustered and scored (`find_rings`' `beside`)
    extracting = ThreadPoolExecutor(1, thread_name_prefix="linker-campaigns")
    pending: list[Future[tuple[pd.DataFrame, pd.DataFrame]]] = []
    try:
        with timer.stage("rings") as stage:
            rings = find_rings(
                ds, allowlist=allowlist, params=settings.rings, reporter=timer, cluster=cluster,
                beside=lambda: pending.append(extracting.submit(
                    campaign_identifiers, ds, indicators, settings.campaigns)))
            stage.note(f"{plural(len(rings.rings), 'ring')}, "
                       f"{plural(len(rings.members), 'account')} flagged")
        feedback: dict[str, int] = {}
        member_verdicts = None
        fb = settings.feedback
        if (fb.enabled and verdicts is not None and len(verdicts)) or fb.review_min_probability > 0:
            from linker.feedback.apply import apply_verdicts

            with timer.stage("verdicts"):
                applied = apply_verdicts(rings, verdicts if fb.enabled else None,
                                         allowlist=allowlist, params=fb)
            rings, feedback, member_verdicts = applied.rings, applied.stats, applied.member_verdicts
        rings.table = None  # the whole evidence table is not needed past this point
        release_memory()
        with timer.stage("campaigns") as stage:
            # waiting for the extraction, if it is still running, counts as campaigns time
            identifiers = pending[0].result() if pending else None
            camp = build_campaigns(ds, rings, indicators=indicators, params=settings.campaigns,
                                   attribution=settings.attribution, sharing=settings.sharing,
                                   identifiers=identifiers)
            del identifiers
            stage.note(plural(len(camp.campaigns), "campaign"))
    finally:
        extracting.shutdown(wait=True, cancel_futures=True)
    release_memory()
    with timer.stage("ids"):
        # every ring gets a cluster id; only a campaign's own accounts carry its campaign
        current = rings.members[["account_id", "ring"]].merge(
            camp.account_campaign, on="account_id", how="left")
        ids = assign_ids(current, previous, settings.history)
    cluster_id = pd.Series(ids.clusters, name="cluster_id", dtype="string")

    members = rings.members.merge(camp.account_campaign, on="account_id", how="left")
    members["cluster_id"] = members["ring"].map(cluster_id)
    members["campaign_id"] = _map_keys(members["campaign"], ids.campaigns)
    # the suspension list is the work queue: suspensions, then reviews by falling score
    members = members.assign(_first=members["action"].ne("suspend")).sort_values(
        ["_first", "score", "account_id"], ascending=[True, False, True], kind="stable",
    ).drop(columns="_first").reset_index(drop=True)

    clusters = camp.clusters.copy()
    clusters["cluster_id"] = clusters["ring"].map(cluster_id)
    clusters["campaign_id"] = _map_keys(clusters["campaign"], ids.campaigns)
    clusters = clusters.drop(columns=["ring", "campaign"]).sort_values("cluster_id")

    campaigns = []
    for c in camp.campaigns:
        c = dict(c)
        key = c.pop("campaign")
        c["clusters"] = sorted(ids.clusters[r] for r in c.get("clusters", []))
        campaigns.append({"campaign_id": ids.campaigns[key], **c})
    campaigns.sort(key=lambda c: c["campaign_id"])

    account_ids = members["account_id"]
    in_ring = ds.accounts["account_id"].isin(account_ids)
    hourly = ds.requests.hourly
    hourly = hourly[hourly["account_id"].isin(account_ids)]
    activity = (
        hourly.assign(day=hourly["hour"].dt.floor("D"))
        .groupby(["account_id", "day"], as_index=False, observed=True)["exchanges"].sum()
    )
    run = {
        "run_id": new_run_id(now),
        "started_at": now.isoformat().replace("+00:00", "Z"),
        "software": {"name": "linker", "version": __version__},
        "store": store,
        "settings": settings.to_dict(),
        "inputs": dataclasses.asdict(ds.info),
        "counts": {
            "accounts": int(len(ds.accounts)),
            "flagged": int(len(members)),
            "suspend": int((members["action"] == "suspend").sum()),
            "review": int((members["action"] == "review").sum()),
            "clusters": int(len(clusters)),
            "review_left_out": int(rings.stats.get("review_left_out", 0)),
            "campaigns": int(len(campaigns)),
            "verdicts_applied": int(feedback.get("verdicts_applied", 0)),
            "returned_with_new_evidence": int(feedback.get("returned_with_new_evidence", 0)),
            "seeds_used": int(feedback.get("seeds_used", 0)),
        },
        "feedback": feedback,
        "id_events": ids.events,
        "previous_run_id": previous.run.get("run_id") if previous else None,
        "timings": timer.seconds,
    }
    findings = Findings(
        run=run,
        suspensions=members[["account_id", "action", "score", "cluster_id", "campaign_id", "reasons"]],
        members=members[["account_id", "cluster_id", "campaign_id"]],
        clusters=clusters.reset_index(drop=True),
        campaigns=campaigns,
        # find_rings already limits links and evidence to ring members
        links=rings.links.reset_index(drop=True),
        evidence=rings.evidence.reset_index(drop=True),
        activity=activity.reset_index(drop=True),
        accounts=ds.accounts.loc[in_ring, [c for c in ACCOUNT_DETAIL_COLUMNS if c in ds.accounts]]
        .reset_index(drop=True),
    )
    if member_verdicts is not None:
        findings.verdicts = member_verdicts
    findings.changes = changes_since(previous, findings)
    findings.changes["verdicts"] = verdict_counts(feedback)
    return findings
