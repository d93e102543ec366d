"""Campaigns are rings with operator evidence; only specific, non-public indicators that
flagged accounts use more than unflagged ones are shared."""

from __future__ import annotations

import numpy as np
import pandas as pd
from test_campaigns import _block, make_world, operation, ring_output, split

from linker.campaigns.grouping import build_campaigns
from linker.campaigns.sharing import campaign_indicators, judge
from linker.settings import CampaignParams, SharingParams


def _row(**kw: object) -> dict:
    row = {"kind": "prompt_fingerprint", "value": "tpl", "origin": "observed", "accounts": 20,
           "outside": 0, "flagged": 20, "unflagged": 0, "confidence": 0.9, "matched_weak": False}
    return {**row, **kw}


def test_specific_private_value_is_shared() -> None:
    assert judge(_row(), SharingParams()) == []


def test_public_and_common_values_are_weak() -> None:
    p = SharingParams()
    assert any("public" in w for w in judge(_row(outside=30, unflagged=30, flagged=40), p))
    assert any("more unflagged" in w for w in judge(_row(accounts=3, outside=4, flagged=3, unflagged=4), p))
    assert any("not specific" in w for w in judge(_row(accounts=20, outside=5, flagged=25), p))
    assert judge(_row(kind="asn"), p)                                   # a provider, never
    assert judge(_row(kind="email_domain", outside=1, unflagged=1), p)  # someone else's mail
    assert judge(_row(kind="email_domain"), p) == []                    # the operator's own domain
    assert judge(_row(accounts=1, flagged=1), p)                        # one account: no pattern
    assert judge(_row(confidence=0.3), p)
    assert judge(_row(matched_weak=True), p)
    # a campaign of reviewed accounts only (confidence 0.7) shares nothing yet
    assert any("review it first" in w for w in judge(_row(), p, campaign_confidence=0.7))
    assert judge(_row(), SharingParams(min_campaign_confidence=0), campaign_confidence=0.7) == []


def test_campaign_indicators_record_counts_and_confidence() -> None:
    c = {"campaign_confidence": 0.8, "evidence": [], "infrastructure": {
        "prompt_fingerprints": [{"value": "tpl-A", "accounts": 30, "outside": 0, "flagged": 30, "unflagged": 0},
                                {"value": "tpl-pub", "accounts": 30, "outside": 500, "flagged": 40,
                                 "unflagged": 490}],
        "asns": [{"asn": 16509, "org": "AMAZON-02", "accounts": 30, "outside": 0, "flagged": 30,
                  "unflagged": 0}]}}
    rows = {r["value"]: r for r in campaign_indicators(c)}
    assert rows["tpl-A"]["weak"] is False and rows["tpl-A"]["confidence"] == 0.8
    assert rows["tpl-pub"]["weak"] and rows["tpl-pub"]["unflagged"] == 490
    assert rows["16509"]["weak"]
    review_only = {r["value"]: r for r in campaign_indicators({**c, "campaign_confidence": 0.7})}
    assert review_only["tpl-A"]["weak"]


def _review_ring(n: int, reasons: str, prefix: str = "u") -> pd.DataFrame:
    return pd.DataFrame({"account_id": [f"{prefix}{i:04d}" for i in range(n)], "ring": 9, "score": 0.3,
                         "action": "review", "reasons": reasons})


def _world_with_review_rings(patterns: str = "CAPABILITY_TARGETING;LOCKSTEP_HOURS;SIGNUP_BURST;SHARED_SUBNET",
                             n_patterned: int = 12) -> tuple:
    rng = np.random.default_rng(3)
    legit = _block("u", 200, rng)
    op = operation("a", 1, 20, rng, template="tpl-A", bin_pool=["411111"], postal_pool=["1"])
    pat = operation("b", 1, 12, rng, template="tpl-B", bin_pool=["522222"], postal_pool=["2"],
                    wave_start=60 * 24 * 5)
    ds = make_world([legit, op, pat])
    rings = ring_output(split("a", 1, 20))
    weak = _review_ring(8, "CAPABILITY_TARGETING;SHARED_PROMPT_TEMPLATE").assign(ring=1)
    patterned = _review_ring(n_patterned, patterns, "b").assign(ring=2)
    rings.members = pd.concat([rings.members, weak, patterned], ignore_index=True)
    rings.rings = rings.members.groupby("ring").size().rename("size").reset_index().assign(
        score=0.5, density=0.5, strong_share=0.0, reasons="")
    return ds, rings


def _ring_campaigns(ds, rings, **params: object) -> pd.Series:
    """Campaign per ring (NA: a review cluster) with `params` set on CampaignParams."""
    return build_campaigns(ds, rings, params=CampaignParams(**params)).ring_campaign.set_index(
        "ring")["campaign"]


def test_weak_review_cluster_is_not_a_campaign() -> None:
    ds, rings = _world_with_review_rings()
    out = build_campaigns(ds, rings)
    rc = out.ring_campaign.set_index("ring")["campaign"]
    assert pd.isna(rc[1])                                  # review-only, no operator patterns
    assert pd.notna(rc[0]) and pd.notna(rc[2])             # suspended; patterned review ring
    assert not out.account_campaign["account_id"].str.startswith("u").any()
    assert pd.isna(out.clusters.set_index("ring").loc[1, "campaign"])
    b = next(c for c in out.campaigns if c["campaign"] == rc[2])
    assert b["basis"]["reviewed_with_patterns"] == 12 and b["campaign_confidence"] == 0.7
    a = next(c for c in out.campaigns if c["campaign"] == rc[0])
    assert a["campaign_confidence"] == 1.0 and a["basis"]["suspended"] == 20


def test_a_review_only_campaign_needs_distillation_traffic_and_a_core() -> None:
    """Nobody suspended: a hackathon's burst and shared hours without traffic targeting the
    capabilities a distillation campaign is after, or three patterned accounts, are review
    clusters, not campaigns."""
    ds, rings = _world_with_review_rings("LOCKSTEP_HOURS;SIGNUP_BURST;SHARED_SUBNET")
    rc = _ring_campaigns(ds, rings)
    assert pd.notna(rc[0]) and pd.isna(rc[2])
    rc = _ring_campaigns(ds, rings, review_needs_targeting=False)
    assert pd.notna(rc[2])
    ds, rings = _world_with_review_rings(n_patterned=4)
    rc = _ring_campaigns(ds, rings)
    assert pd.isna(rc[2])


def test_one_suspension_does_not_make_an_office_a_campaign() -> None:
    """An office whose twelve staff keep lockstep hours and rotate across their gateway's
    networks, one of them suspended: judged as review-only, it needs distillation traffic
    and stays a review cluster. Two suspended, or `suspended_min` 1, make it a campaign."""
    ds, rings = _world_with_review_rings("IP_ROTATION;LOCKSTEP_HOURS")

    def with_suspended(k: int) -> pd.Series:
        m = rings.members.copy()
        office = np.flatnonzero((m["ring"] == 2).to_numpy())[:k]
        m.loc[office, "action"] = "suspend"
        return m

    rings.members = with_suspended(1)
    assert pd.isna(_ring_campaigns(ds, rings)[2])
    assert pd.notna(_ring_campaigns(ds, rings, suspended_min=1)[2])
    rings.members = with_suspended(2)
    assert pd.notna(_ring_campaigns(ds, rings)[2])


def test_a_review_only_ring_behind_proxies_is_a_campaign_without_targeting() -> None:
    """On an API-first platform ordinary traffic is coding-heavy too, so targeting tells
    nothing: a review-only ring whose accounts each hide behind proxies with three operator
    patterns is a campaign without it. Two patterns with a proxy, or the rule switched off,
    leave it a review cluster."""
    proxied = "IP_ROTATION;RING_SCHEDULE;SHARED_PROMPT_TEMPLATE"
    ds, rings = _world_with_review_rings(proxied)
    rc = _ring_campaigns(ds, rings)
    assert pd.notna(rc[2])
    rc = _ring_campaigns(ds, rings, proxy_pattern_min=0)
    assert pd.isna(rc[2])
    ds, rings = _world_with_review_rings("IP_ROTATION;SHARED_PROMPT_TEMPLATE")
    rc = _ring_campaigns(ds, rings)
    assert pd.isna(rc[2])


def test_pattern_rule_thresholds_are_settings() -> None:
    ds, rings = _world_with_review_rings()
    strict = CampaignParams(min_core=20)
    rc = build_campaigns(ds, rings, params=strict).ring_campaign.set_index("ring")["campaign"]
    assert pd.isna(rc[2])


def test_campaign_figures_come_from_its_own_accounts_requests() -> None:
    """An innocent reviewed member without patterns, and sign-up times, do not move the
    campaign's figures: first/last seen are its own accounts' requests."""
    rng = np.random.default_rng(4)
    legit = _block("u", 100, rng, signup_minutes=np.zeros(100, dtype=int))  # signed up first
    op = operation("a", 1, 10, rng, template="tpl-A", bin_pool=["411111"], postal_pool=["1"],
                   wave_start=60 * 24 * 3)
    ds = make_world([legit, op])
    rings = ring_output(split("a", 1, 10))
    innocent = pd.DataFrame({"account_id": ["u0000"], "ring": [0], "score": [0.3],
                             "action": ["review"], "reasons": ["SHARED_SUBNET"]})
    rings.members = pd.concat([rings.members, innocent], ignore_index=True)
    out = build_campaigns(ds, rings)
    (c,) = out.campaigns
    tot = ds.requests.totals.set_index("account_id")
    ids = [f"a{i:04d}" for i in range(10)]
    assert c["accounts"] == 10 and c["exchanges"] == tot.loc[ids, "exchanges"].sum()
    assert c["first_seen"] == tot.loc[ids, "first_seen"].min().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "u0000" not in set(out.account_campaign["account_id"])
    assert out.clusters.loc[0, "size"] == 11  # the ring itself still lists it for review
    assert c["basis"]["left_in_review"] == 1


def test_an_office_reviewed_on_its_own_links_is_not_a_campaign() -> None:
    """Members reviewed with operator patterns that come from inside their organisation
    (company template, onboarding burst) are not operator evidence."""
    import pandas as pd

    from linker.campaigns.grouping import operator_evidence
    from linker.settings import CampaignParams

    members = pd.DataFrame({
        "account_id": ["o1", "o2", "o3", "r1", "r2", "r3"], "ring": [1, 1, 1, 2, 2, 2],
        "action": ["review"] * 6,
        "reasons": ["SAME_ORGANISATION;SHARED_PROMPT_TEMPLATE;SIGNUP_BURST"] * 3
        + ["LOCKSTEP_HOURS;SHARED_PROMPT_TEMPLATE"] * 3,
    })
    ev = operator_evidence(members, CampaignParams())
    assert ev.set_index("account_id")["patterned"].to_dict() == {
        "o1": False, "o2": False, "o3": False, "r1": True, "r2": True, "r3": True}


def test_lockstep_hours_and_the_rings_schedule_are_one_pattern() -> None:
    """Cron jobs on one schedule carry LOCKSTEP_HOURS and RING_SCHEDULE: both read the
    account's hours, so they are one operator pattern, not the two a campaign needs. A
    template beside them is a second; `one_pattern = []` counts them apart again."""
    import pandas as pd

    from linker.campaigns.grouping import operator_evidence
    from linker.settings import CampaignParams

    members = pd.DataFrame({
        "account_id": ["j1", "j2", "t1"], "ring": [1, 1, 2], "action": ["review"] * 3,
        "reasons": ["CAPABILITY_TARGETING;LOCKSTEP_HOURS;RING_SCHEDULE;SHARED_IP"] * 2
        + ["LOCKSTEP_HOURS;RING_SCHEDULE;SHARED_PROMPT_TEMPLATE"],
    })
    ev = operator_evidence(members, CampaignParams()).set_index("account_id")["patterned"]
    assert ev.to_dict() == {"j1": False, "j2": False, "t1": True}
    ev = operator_evidence(members, CampaignParams(one_pattern=())).set_index("account_id")
    assert ev["patterned"].all()


def test_a_big_campaigns_own_template_is_not_public_for_a_few_missed_accounts() -> None:
    """Ten or more unflagged users make a value public only when they are also a real share of
    its flagged users: a template 22,900 flagged accounts use and 1,300 unflagged ones (the
    campaign's accounts detection missed) is the campaign's own; 30 unflagged against 40
    flagged is public."""
    p = SharingParams()
    big = judge(_row(accounts=22_900, outside=1_300, flagged=22_900, unflagged=1_300), p)
    assert not any("public" in w for w in big) and big == []
    assert any("public" in w for w in judge(_row(outside=30, unflagged=30, flagged=40), p))


def test_a_review_only_low_and_slow_cohort_is_a_campaign_without_targeting() -> None:
    """A low-and-slow operator's ring is reviewed only (its cohort's template on one
    schedule) and its traffic need not target anything: many different cards of one BIN
    sending one template on one schedule is still an operator's, so the ring is a campaign.
    Without the cohort code, or with the rule switched off, it stays a review cluster."""
    cohort = "CARD_BIN_COHORT;RING_SCHEDULE;SHARED_PROMPT_TEMPLATE"
    ds, rings = _world_with_review_rings(cohort)
    rc = _ring_campaigns(ds, rings)
    assert pd.notna(rc[2])
    rc = _ring_campaigns(ds, rings, cohort_is_operator=False)
    assert pd.isna(rc[2])
    ds, rings = _world_with_review_rings("RING_SCHEDULE;SHARED_PROMPT_TEMPLATE")
    rc = _ring_campaigns(ds, rings)
    assert pd.isna(rc[2])


def test_a_review_only_operator_toolkit_is_a_campaign_without_targeting() -> None:
    """A camouflaged operator's ring is reviewed only, each account on its template family
    with a few hardware slips in the ring (OPERATOR_TOOLKIT): that is an operator's, so the
    ring is a campaign although its accounts show one pattern and no targeting. Switched
    off (`toolkit_is_operator`), it stays a review cluster."""
    ds, rings = _world_with_review_rings("OPERATOR_TOOLKIT;SHARED_PROMPT_TEMPLATE")
    rc = _ring_campaigns(ds, rings)
    assert pd.notna(rc[2])
    rc = _ring_campaigns(ds, rings, toolkit_is_operator=False)
    assert pd.isna(rc[2])


def test_organisation_accounts_join_a_campaign_ring_but_never_make_one() -> None:
    """An operator's made-up startups: reviewed accounts inside their own organisation, on
    the ring's schedule. In a ring that is a campaign on other evidence (suspended members)
    they are campaign accounts; with only the burst and template an organisation explains
    they are not; and a ring of nothing but such accounts is no campaign, even targeting
    capabilities: an office is never reported as a campaign. The rule can be switched off."""
    org_sched = "CAPABILITY_TARGETING;RING_SCHEDULE;SAME_ORGANISATION;SHARED_PROMPT_TEMPLATE"
    ds, rings = _world_with_review_rings(org_sched)
    m = rings.members
    m.loc[m["account_id"].isin(["a0014", "a0015", "a0016"]), ["action", "reasons"]] = [
        "review", "RING_SCHEDULE;SAME_ORGANISATION;SHARED_PROMPT_TEMPLATE"]
    m.loc[m["account_id"].isin(["a0017", "a0018", "a0019"]), ["action", "reasons"]] = [
        "review", "SAME_ORGANISATION;SIGNUP_BURST;SHARED_PROMPT_TEMPLATE"]
    out = build_campaigns(ds, rings)
    rc = out.ring_campaign.set_index("ring")["campaign"]
    assert pd.notna(rc[0]) and pd.isna(rc[2])
    taken = set(out.account_campaign.dropna(subset=["campaign"])["account_id"])
    assert {"a0014", "a0015", "a0016"} <= taken
    assert not {"a0017", "a0018", "a0019"} & taken
    b = next(c for c in out.campaigns if c["campaign"] == rc[0])["basis"]
    assert b["reviewed_in_organisation"] == 3 and b["suspended"] == 14
    off = build_campaigns(ds, rings, params=CampaignParams(org_members_join=False))
    assert not {"a0014", "a0015", "a0016"} & set(
        off.account_campaign.dropna(subset=["campaign"])["account_id"])
