"""Scoring: ring scores, actions and the rules that protect innocent accounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ringdata import make_ds

from linker.detect.evidence import KIND_CODE, KINDS
from linker.detect.links import PairSet, combine
from linker.detect.reasons import BIT
from linker.detect.scoring import prune_members, renumber, score_rings
from linker.detect.timing import DailyClock
from linker.settings import RingParams


def _clique(nodes, w, bits):
    nodes = np.asarray(nodes)
    a, b = np.triu_indices(nodes.size, k=1)
    return PairSet(nodes[a].astype(np.int32), nodes[b].astype(np.int32), np.full(a.size, w),
                   np.full(a.size, bits, np.uint32))


def _setup(n=12):
    ids = [f"acc{i:02d}" for i in range(n)]
    ds = make_ds([dict(account_id=i, created_at=pd.Timestamp("2026-01-01", tz="UTC"))
                  for i in ids])
    return pd.Index(ids), ds


STRONG_BURST = BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"]


def _members(n_ring: int, n: int, bits: int, weight: float = 1.0, params: RingParams = RingParams(),
             rotating: bool = False) -> pd.DataFrame:
    """Members scored for one community of accounts 0..n_ring-1 among n, tied by a clique of
    `bits` links; `rotating`: the community's accounts hop across networks."""
    accounts, ds = _setup(n)
    labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
    hop = np.r_[np.full(n_ring, rotating), np.zeros(n - n_ring, bool)]
    res, _ = score_rings(_clique(range(n_ring), weight, bits), labels, accounts, ds, np.zeros(n, bool), params, rotating=hop)
    return res.members


def test_strong_ring_with_behaviour_is_suspended():
    accounts, ds = _setup()
    ps = _clique(range(6), 3.0, STRONG_BURST)
    labels = np.r_[np.zeros(6, int), -np.ones(6, int)]
    res, ring = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert (res.members["action"] == "suspend").all() and len(res.members) == 6
    assert res.rings.loc[0, "size"] == 6 and res.rings.loc[0, "density"] == 1.0
    assert res.rings.loc[0, "strong_share"] == 1.0
    assert "SHARED_CARD" in res.rings.loc[0, "reasons"]
    assert res.members["reasons"].str.contains("SIGNUP_BURST").all()


def test_allowlisted_account_is_never_suspended():
    accounts, ds = _setup()
    ps = _clique(range(6), 3.0, STRONG_BURST)
    labels = np.r_[np.zeros(6, int), -np.ones(6, int)]
    allowed = np.zeros(12, bool)
    allowed[2] = True
    res, _ = score_rings(ps, labels, accounts, ds, allowed, RingParams(suspend_score=0.0))
    m = res.members.set_index("account_id")
    assert m.loc["acc02", "action"] == "review"
    assert "ALLOWLISTED" in m.loc["acc02", "reasons"]
    assert (m.drop("acc02")["action"] == "suspend").all()


def test_timing_only_ring_goes_to_review():
    accounts, ds = _setup()
    ps = _clique(range(8), 0.8, BIT["LOCKSTEP_HOURS"] | BIT["SIGNUP_BURST"])
    labels = np.r_[np.zeros(8, int), -np.ones(4, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert len(res.members) == 8
    assert (res.members["action"] == "review").all()
    assert res.rings.loc[0, "strong_share"] == 0.0


def test_household_sharing_only_identity_is_not_flagged():
    accounts, ds = _setup()
    ps = _clique(range(4), 3.0, BIT["SHARED_CARD"] | BIT["SHARED_IP"] | BIT["SHARED_DEVICE"])
    labels = np.r_[np.zeros(4, int), -np.ones(8, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert res.members.empty and res.rings.empty


def test_weak_links_alone_never_flag():
    accounts, ds = _setup()
    weak = BIT["SHARED_SUBNET"] | BIT["SHARED_PROMPT_TEMPLATE"] | BIT["RARE_EMAIL_DOMAIN"]
    ps = _clique(range(10), 1.0, weak)
    labels = np.r_[np.zeros(10, int), -np.ones(2, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert res.members.empty


def test_event_burst_on_a_venue_ip_is_not_flagged():
    # a hackathon: attendees sign up in one burst from the venue IP, nothing else in common
    accounts, ds = _setup()
    ps = _clique(range(10), 1.0, BIT["SIGNUP_BURST"] | BIT["SHARED_SIGNUP_IP"])
    labels = np.r_[np.zeros(10, int), -np.ones(2, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert res.members.empty


def test_flags_come_from_each_account_not_the_community():
    # one community: a lockstep ring of five plus five accounts tied to it by a template only;
    # the union of the community's reasons is not anyone's reason
    accounts, ds = _setup()
    ring = _clique(range(5), 1.0, BIT["LOCKSTEP_HOURS"] | BIT["SHARED_PROMPT_TEMPLATE"])
    tail = PairSet(np.arange(5, 10, dtype=np.int32), np.zeros(5, np.int32), np.full(5, 0.6),
                   np.full(5, BIT["SHARED_PROMPT_TEMPLATE"], np.uint32))
    labels = np.r_[np.zeros(10, int), -np.ones(2, int)]
    res, _ = score_rings(combine([ring, tail]), labels, accounts, ds, np.zeros(12, bool),
                         RingParams())
    assert set(res.members["account_id"]) == {f"acc0{i}" for i in range(5)}
    assert (res.members["action"] == "review").all()


def test_member_off_the_strong_core_is_review():
    accounts, ds = _setup()
    core = _clique(range(5), 3.0, STRONG_BURST)
    edge = PairSet(np.array([4], np.int32), np.array([5], np.int32), np.array([0.8]),
                   np.array([BIT["SIGNUP_BURST"]], np.uint32))
    ps = combine([core, edge])
    labels = np.r_[np.zeros(6, int), -np.ones(6, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    m = res.members.set_index("account_id")
    assert "acc05" not in m.index   # a burst alone is no evidence against an account
    assert (m.loc[[f"acc0{i}" for i in range(5)], "action"] == "suspend").all()
    # with lockstep hours beside the burst it is reviewed, below the core's score
    edge.bits[:] = BIT["SIGNUP_BURST"] | BIT["LOCKSTEP_HOURS"]
    res, _ = score_rings(combine([core, edge]), labels, accounts, ds, np.zeros(12, bool),
                         RingParams())
    m = res.members.set_index("account_id")
    assert m.loc["acc05", "action"] == "review"
    assert m.loc["acc05", "score"] < m.loc["acc00", "score"]


def test_weakly_attached_members_are_pruned():
    ps = combine([_clique(range(4), 2.0, BIT["SHARED_CARD"]),
                  PairSet(np.array([3], np.int32), np.array([4], np.int32), np.array([0.3]),
                          np.array([BIT["SHARED_SUBNET"]], np.uint32))])
    labels = np.r_[np.zeros(5, int), -1]
    out = prune_members(ps, labels, RingParams(min_attach=0.5))
    assert out.tolist() == [0, 0, 0, 0, -1, -1]


def test_rings_numbered_by_smallest_member():
    labels = np.array([7, 7, -1, 3, 3, 7, 3])
    assert renumber(labels).tolist() == [1, 1, 0, 2, 2, 1, 2]
    assert renumber(np.array([-1, -1])).tolist() == [0, 0]


def _with_requests(volumes, capability, n_other=20):
    ids = [f"acc{i:02d}" for i in range(len(volumes))] + [f"zz{i:02d}" for i in range(n_other)]
    reqs = [dict(account_id=f"acc{i:02d}", ts=pd.Timestamp("2026-01-02", tz="UTC"), count=int(v),
                 capability=capability) for i, v in enumerate(volumes)]
    reqs += [dict(account_id=f"zz{i:02d}", ts=pd.Timestamp("2026-01-02", tz="UTC"), count=50,
                  capability="chat") for i in range(n_other)]
    ds = make_ds([dict(account_id=i, created_at=pd.Timestamp("2026-01-01", tz="UTC")) for i in ids],
                 requests=reqs)
    return pd.Index(sorted(ids)), ds


def test_load_balanced_volume_and_capability_targeting():
    n = 8
    accounts, ds = _with_requests([1000, 1010, 990, 1005, 995, 1000, 1002, 998], "coding")
    ps = _clique(range(n), 0.8, BIT["SIGNUP_BURST"])
    labels = np.r_[np.zeros(n, int), -np.ones(20, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n + 20, bool), RingParams())
    assert "LOAD_BALANCED_VOLUME" in res.rings.loc[0, "reasons"]
    assert "CAPABILITY_TARGETING" in res.rings.loc[0, "reasons"]
    assert res.members["reasons"].str.contains("LOAD_BALANCED_VOLUME").all()


def test_uneven_chat_volume_is_neither():
    n = 8
    accounts, ds = _with_requests([10, 400, 90, 2000, 35, 700, 5, 150], "chat")
    ps = _clique(range(n), 0.8, BIT["SIGNUP_BURST"] | BIT["LOCKSTEP_HOURS"])
    labels = np.r_[np.zeros(n, int), -np.ones(20, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n + 20, bool), RingParams())
    assert len(res.rings) == 1
    assert "LOAD_BALANCED_VOLUME" not in res.rings.loc[0, "reasons"]
    assert "CAPABILITY_TARGETING" not in res.rings.loc[0, "reasons"]


def test_household_core_is_not_suspended_for_a_neighbours_burst():
    # a household of three shares a card; one of them signed up during two strangers' burst
    accounts, ds = _setup()
    house = _clique(range(3), 3.0, BIT["SHARED_CARD"] | BIT["SHARED_IP"])
    burst = _clique([2, 3, 4], 0.5, BIT["SIGNUP_BURST"])
    labels = np.r_[np.zeros(5, int), -np.ones(7, int)]
    res, _ = score_rings(combine([house, burst]), labels, accounts, ds, np.zeros(12, bool),
                         RingParams())
    assert not (res.members["action"] == "suspend").any()
    assert not {"acc00", "acc01", "acc03", "acc04"} & set(res.members["account_id"])


def test_a_single_pattern_without_identity_is_no_ring():
    # a class signing up together from the campus network: one burst, nothing shared
    accounts, ds = _setup()
    ps = _clique(range(8), 0.8, BIT["SIGNUP_BURST"])
    labels = np.r_[np.zeros(8, int), -np.ones(4, int)]
    res, ring = score_rings(ps, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert res.members.empty and res.rings.empty and (ring == 0).all()


def test_a_big_cluster_tied_only_by_shared_ips_is_no_ring():
    """Strangers behind one carrier NAT share sign-up IPs and nothing else: no ring, while
    the same cluster tied by a shared card is one (for review)."""
    accounts, ds = _setup(14)
    labels = np.r_[np.zeros(12, int), -np.ones(2, int)]
    ips = _clique(range(12), 1.0, BIT["SHARED_SIGNUP_IP"] | BIT["SHARED_IP"])
    res, _ = score_rings(ips, labels, accounts, ds, np.zeros(14, bool), RingParams())
    assert res.members.empty
    card = _clique(range(12), 1.0, BIT["SHARED_CARD"] | BIT["SHARED_IP"])
    res, _ = score_rings(card, labels, accounts, ds, np.zeros(14, bool), RingParams())
    assert len(res.members) == 12 and (res.members["action"] == "review").all()


def test_a_lockstep_ring_on_its_operators_template_is_reviewed_not_a_public_template():
    """Low-and-slow: a ring tied only by lockstep hours is nothing on its own; with a prompt
    template used by most of the ring and mostly by rings (too popular to link pairs) it is
    reviewed. The same lockstep ring on a public template most users of which are outside any
    ring stays unflagged."""
    accounts, ds = _setup(40)
    ps = _clique(range(8), 0.6, BIT["LOCKSTEP_HOURS"])
    labels = np.r_[np.zeros(8, int), -np.ones(32, int)]
    ring_tpl = (np.arange(8), np.zeros(8, np.int64))  # template 0: only the ring uses it
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(40, bool), RingParams(), templates=ring_tpl)
    assert len(res.members) == 8 and (res.members["action"] == "review").all()
    assert res.members["reasons"].str.contains("SHARED_PROMPT_TEMPLATE").all()
    public = (np.arange(40), np.zeros(40, np.int64))  # template 0: 32 of its 40 users are in no ring
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(40, bool), RingParams(), templates=public)
    assert len(res.members) == 0
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(40, bool), RingParams())
    assert len(res.members) == 0


def _schedule_pairs(nodes, w):
    nodes = np.asarray(nodes)
    a, b = np.triu_indices(nodes.size, k=1)
    return PairSet(nodes[a].astype(np.int32), nodes[b].astype(np.int32), np.full(a.size, w),
                   np.zeros(a.size, np.uint32))


def test_ring_schedule_flags_an_account_whose_nearest_schedules_are_ring_mates():
    # a stealth ring of 10 sharing rare IPs (a network link, medium) with no lockstep link:
    # accounts 7-9 are flagged by their own card and burst (30 % of the ring); accounts 0-5
    # follow the ring's schedule (three or more schedule neighbours in the ring), account 6
    # shares the IPs but keeps its own hours (a stranger behind the same proxy)
    accounts, ds = _setup(14)
    ps = combine([_clique(range(10), 0.8, BIT["SHARED_IP"]), _clique([7, 8, 9], 3.0, STRONG_BURST)])
    labels = np.r_[np.zeros(10, int), -np.ones(4, int)]
    sched = _schedule_pairs(range(6), 0.3)
    params = RingParams()
    without, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), params)
    assert sorted(without.members["account_id"]) == ["acc07", "acc08", "acc09"]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), params, schedule=sched)
    m = res.members.set_index("account_id")
    assert sorted(m.index) == [f"acc{i:02d}" for i in (0, 1, 2, 3, 4, 5, 7, 8, 9)]
    assert (m.loc[[f"acc{i:02d}" for i in range(6)], "action"] == "review").all()
    assert m.loc[[f"acc{i:02d}" for i in range(6)], "reasons"].str.contains("RING_SCHEDULE").all()
    # too dissimilar schedules are not the ring's
    weak = _schedule_pairs(range(6), 0.05)
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), params, schedule=weak)
    assert sorted(res.members["account_id"]) == ["acc07", "acc08", "acc09"]


def test_an_office_on_one_timetable_is_flagged_by_nobody():
    # staff of one office share its egress IP and e-mail domain and keep the same hours; no
    # account has evidence of its own, so the shared timetable flags nobody either
    accounts, ds = _setup(14)
    ps = _clique(range(10), 0.8, BIT["SHARED_IP"] | BIT["RARE_EMAIL_DOMAIN"])
    labels = np.r_[np.zeros(10, int), -np.ones(4, int)]
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), RingParams(),
                         schedule=_schedule_pairs(range(10), 0.6))
    assert len(res.members) == 0


def test_a_schedule_neighbour_outside_the_ring_outvotes_the_mates():
    # with `ring_schedule_majority` set: account 0 has five ring-mates among its close
    # schedules but six more outside the ring (a popular timetable), so its hours say
    # nothing about the ring
    accounts, ds = _setup(20)
    ps = combine([_clique(range(10), 0.8, BIT["SHARED_IP"]), _clique([7, 8, 9], 3.0, STRONG_BURST)])
    labels = np.r_[np.zeros(10, int), -np.ones(10, int)]
    mates = _schedule_pairs(range(6), 0.3)
    outside = PairSet(np.zeros(6, np.int32), np.arange(14, 20, dtype=np.int32), np.full(6, 0.3),
                      np.zeros(6, np.uint32))
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(20, bool), RingParams(ring_schedule_majority=0.5),
                         schedule=combine([mates, outside]))
    m = res.members.set_index("account_id")
    assert "acc00" not in m.index and "acc01" in m.index


def test_ring_schedule_never_decides_a_suspension():
    # acc03 joins a strong burst core by a card and a burst; whatever its schedule adds to its
    # score, RING_SCHEDULE is corroboration for review, never what tips it into suspension
    accounts, ds = _setup(14)
    core = _clique([0, 1, 2], 3.0, STRONG_BURST)
    join = PairSet(np.full(3, 3, np.int32), np.arange(3, dtype=np.int32), np.full(3, 0.6),
                   np.full(3, BIT["SHARED_CARD"] | BIT["SIGNUP_BURST"], np.uint32))
    ps = combine([core, join])
    labels = np.r_[np.zeros(4, int), -np.ones(10, int)]
    params = RingParams()
    without, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), params)
    m0 = without.members.set_index("account_id")
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(14, bool), params,
                         schedule=_schedule_pairs(range(4), 0.3))
    m = res.members.set_index("account_id")
    assert m0.loc["acc03", "action"] == "review" and m0.loc["acc03", "score"] < params.suspend_score
    assert "RING_SCHEDULE" in m.loc["acc03", "reasons"]
    assert m.loc["acc03", "score"] >= params.suspend_score  # the schedule raised its score ...
    assert m.loc["acc03", "action"] == "review"  # ... but not its action


def test_a_stealth_ring_on_its_schedule_and_template_is_reviewed_when_it_targets_capabilities():
    """A stealth ring with nothing else: fresh cards and devices, a rare shared address each,
    the ring's own prompt template, hours closest to its ring-mates', volume too uneven to
    be load-balanced, and no lockstep link (noisy scheduler). Nobody is flagged by the other
    rules, so the shared-schedule gate stays shut unless the ring's traffic targets the
    capabilities a distillation campaign is after: then each account with the schedule, the
    template and a network link of its own is reviewed, never suspended. The same pattern in
    chat traffic, without the template, or inside one organisation flags nobody."""
    volumes = [10, 400, 90, 2000, 35, 700, 5, 150, 60, 300]
    n = len(volumes)
    ps = _clique(range(n), 0.8, BIT["SHARED_IP"])
    labels = np.r_[np.zeros(n, int), -np.ones(20, int)]
    tpl = (np.arange(n), np.zeros(n, np.int64))  # template 0: only the ring uses it
    sched = _schedule_pairs(range(n), 0.3)
    allowed = np.zeros(n + 20, bool)

    accounts, coding = _with_requests(volumes, "coding")
    res, _ = score_rings(ps, labels, accounts, coding, allowed, RingParams(), templates=tpl, schedule=sched)
    assert len(res.members) == n and (res.members["action"] == "review").all()
    assert res.members["reasons"].str.contains("RING_SCHEDULE").all()
    assert "CAPABILITY_TARGETING" in res.rings.loc[0, "reasons"]
    off, _ = score_rings(ps, labels, accounts, coding, allowed, RingParams(ring_schedule_targeting=False),
                         templates=tpl, schedule=sched)
    assert len(off.members) == 0

    _, chat = _with_requests(volumes, "chat")
    res, _ = score_rings(ps, labels, accounts, chat, allowed, RingParams(), templates=tpl, schedule=sched)
    assert len(res.members) == 0
    res, _ = score_rings(ps, labels, accounts, coding, allowed, RingParams(), schedule=sched)
    assert len(res.members) == 0
    office = _clique(range(n), 0.8, BIT["SHARED_IP"] | BIT["SAME_ORGANISATION"])
    res, _ = score_rings(office, labels, accounts, coding, allowed, RingParams(), templates=tpl, schedule=sched)
    assert len(res.members) == 0


def test_a_farm_sharing_three_kinds_of_identity_is_suspended_without_timing():
    """Twelve accounts sharing one card, one device and one phone, with no burst or lockstep
    of their own (accounts opened long ago, idle in the window): a farm, suspended. An office
    whose staff share a company card and a lab machine (two kinds) is reviewed at most, and an
    allow-listed account is never suspended."""
    accounts, ds = _setup(16)
    labels = np.r_[np.zeros(12, int), -np.ones(4, int)]
    allowed = np.zeros(16, bool)
    farm = _clique(range(12), 3.0, BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"] | BIT["SHARED_PHONE"])
    res, _ = score_rings(farm, labels, accounts, ds, allowed, RingParams())
    assert len(res.members) == 12 and (res.members["action"] == "suspend").all()
    off, _ = score_rings(farm, labels, accounts, ds, allowed, RingParams(farm_min_kinds=0))
    assert (off.members["action"] == "review").all()
    office = _clique(range(12), 3.0, BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"])
    res, _ = score_rings(office, labels, accounts, ds, allowed, RingParams())
    assert len(res.members) == 12 and (res.members["action"] == "review").all()
    allowed[3] = True
    res, _ = score_rings(farm, labels, accounts, ds, allowed, RingParams())
    assert res.members.set_index("account_id").loc["acc03", "action"] == "review"


def test_one_shared_device_and_a_class_sign_up_hour_is_reviewed_not_suspended():
    """A university lab: eight students share the lab machine's device id and sign up in the
    same hour. One kind of strong identifier with a burst is what a class looks like: a
    shared card with it is reviewed, not suspended; an operator's accounts sharing cards
    and devices with a burst are suspended."""
    accounts, ds = _setup()
    labels = np.r_[np.zeros(8, int), -np.ones(4, int)]
    card = _clique(range(8), 3.0, BIT["SHARED_CARD"] | BIT["SIGNUP_BURST"])
    res, _ = score_rings(card, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert len(res.members) == 8 and (res.members["action"] == "review").all()
    res, _ = score_rings(card, labels, accounts, ds, np.zeros(12, bool), RingParams(suspend_min_kinds=1))
    assert (res.members["action"] == "suspend").all()
    lab = _clique(range(8), 3.0, BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"])
    res, _ = score_rings(lab, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert len(res.members) == 0  # see test_a_class_on_lab_pcs_is_not_a_device_farm
    op = _clique(range(8), 3.0, STRONG_BURST)
    res, _ = score_rings(op, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert (res.members["action"] == "suspend").all()


def test_identity_shared_inside_one_rare_domain_is_no_farm_on_its_own():
    """Twelve staff of a company without an org id share the company card and the company's
    e-mail domain, and nothing an operator does: the domain explains the card, so nobody is
    flagged on identity alone. The same card and device among strangers is a farm: reviewed
    (the card alone among strangers is a reseller's, see below)."""
    assert len(_members(12, 16, BIT["SHARED_CARD"] | BIT["RARE_EMAIL_DOMAIN"], 3.0)) == 0
    strangers = _members(12, 16, BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"], 3.0)
    assert len(strangers) == 12 and (strangers["action"] == "review").all()


def test_rotation_plus_the_rings_template_is_reviewed_never_alone_never_suspended():
    """A stealth ring held together by its own rare template, each account on a rotating
    proxy (no exit shared often enough to make a pool link): rotation stands in for the
    pool, so the template-and-proxy rule reviews them. Rotation alone, with only shared
    carrier-NAT-like IPs, flags nobody; rotation never makes a suspension."""
    accounts, ds = _setup()
    labels = np.r_[np.zeros(6, int), -np.ones(6, int)]
    rotating = np.r_[np.ones(6, bool), np.zeros(6, bool)]
    tpl = _clique(range(6), 0.8, BIT["SHARED_PROMPT_TEMPLATE"])
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(12, bool), RingParams(), rotating=rotating)
    assert len(res.members) == 6 and (res.members["action"] == "review").all()
    assert res.members["reasons"].str.contains("IP_ROTATION").all()
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(12, bool), RingParams())
    assert len(res.members) == 0
    nat = _clique(range(6), 0.8, BIT["SHARED_IP"])
    res, _ = score_rings(nat, labels, accounts, ds, np.zeros(12, bool), RingParams(), rotating=rotating)
    assert len(res.members) == 0


def test_one_card_paying_for_many_strangers_is_a_reseller_not_a_ring():
    """Twelve accounts paying with one card and sharing nothing else (a payment reseller's
    customers) flag nobody; twelve sharing the card and a device are a farm to review."""
    card = BIT["SHARED_CARD"] | BIT["SHARED_BIN_POSTAL"]
    assert len(_members(12, 16, card)) == 0
    assert len(_members(12, 16, BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"], 2.0)) == 12
    assert len(_members(12, 16, card, params=RingParams(identity_only_min_kinds=1))) == 12


@pytest.mark.parametrize("n_ring, n, address", [(8, 14, 0), (20, 24, BIT["SHARED_SIGNUP_IP"])])
def test_a_class_on_lab_pcs_is_not_a_device_farm(n_ring, n, address):
    """Students sign up in one hour on the lab's PCs with the class's starter template: a
    shared device, a burst and a template flag nobody. Nor do twenty of them from the campus
    address: one device kind shared with nineteen others is no identity cluster with the
    class's own template and address. The same group paying with one card too, or on a
    rotating proxy, is reviewed."""
    lab = BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"] | BIT["SHARED_PROMPT_TEMPLATE"] | address

    def flagged(bits, params=RingParams(), rotating=False):
        return len(_members(n_ring, n, bits, params=params, rotating=rotating))

    assert flagged(lab) == 0
    assert flagged(lab | BIT["SHARED_CARD"]) == n_ring
    assert flagged(lab, rotating=True) == n_ring
    assert flagged(lab, RingParams(device_burst_alone=True)) == n_ring


def test_a_sim_farm_is_not_a_lab_class():
    """Ten accounts opened minutes apart on one phone (a device), each with its own number:
    a class on its lab's PCs, flagged by nobody, while the numbers are anyone's. When the
    numbers come from one block of 100 the operator bought (SHARED_PHONE_BLOCK), the ring
    shares identity beyond the device: suspended, and the reason names the block. Only
    numbers in the ring count, never inside an organisation, nor with the block unused."""
    n_ring, n = 10, 14

    def actions(in_block: int = n_ring, extra: int = 0, blocks: bool = True) -> dict[str, int]:
        accounts, ds = _setup(n)
        bits = BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"] | BIT["SHARED_PROMPT_TEMPLATE"] | extra
        labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
        blk = (np.r_[np.arange(in_block), np.arange(n_ring, n)].astype(np.int64),
               np.zeros(in_block + n - n_ring, np.int64))  # the outsiders share the block too
        res, _ = score_rings(_clique(range(n_ring), 2.0, bits), labels, accounts, ds,
                             np.zeros(n, bool), RingParams(), phone_blocks=blk if blocks else None)
        m = res.members
        if (m["action"] == "suspend").any():
            assert m.loc[m["action"] == "suspend", "reasons"].str.contains("SHARED_PHONE_BLOCK").all()
        assert not m["account_id"].isin(accounts[n_ring:]).any()
        return m["action"].value_counts().to_dict()

    assert actions(blocks=False) == {}
    assert actions(in_block=0) == {}
    assert actions() == {"suspend": n_ring}
    assert actions(in_block=2) == {}  # two numbers of a block in a ring: chance, or a couple
    assert "suspend" not in actions(extra=BIT["SAME_ORGANISATION"])


def test_an_emulator_farm_behind_rotating_proxies_is_suspended():
    """Twelve accounts on one emulator fingerprint, each hopping across residential proxy
    exits, on the ring's own template: no household, office, café or lab sits behind
    rotating exits, so the farm is suspended without timing of its own. The same device
    and template without proxies (a VDI image), or one person's five accounts on one
    device behind a VPN that rotates, are not suspended; the rule can be switched off."""
    farm = BIT["SHARED_DEVICE"] | BIT["SHARED_PROMPT_TEMPLATE"]

    def actions(n_ring=12, rotating=True, params=RingParams()):
        return _members(n_ring, 16, farm, 2.0, params, rotating)["action"].value_counts().to_dict()

    assert actions() == {"suspend": 12}
    assert actions(params=RingParams(proxy_core_min=0)) == {"review": 12}
    assert "suspend" not in actions(rotating=False)
    assert "suspend" not in actions(n_ring=5)


def test_a_camouflaged_ring_is_reviewed_by_its_toolkit_and_a_few_slips():
    """Thirty consumer-looking accounts (own cards, mobile IPs, no timing of their own) that
    use one private template family, four of them on one reused device: every family member
    is reviewed, none suspended. Fewer slips, the same group inside one organisation, or a
    class signing up in one hour on its lab's PC flags nobody; the rule can be switched off."""
    n_ring, n = 30, 40
    accounts, ds = _setup(n)
    labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
    family = np.r_[np.zeros(n_ring, np.int64), -np.ones(n - n_ring, np.int64)]
    chain = np.arange(n_ring - 1)

    def members(slips=4, extra=0, slip_bits=BIT["SHARED_DEVICE"], params=RingParams(),
                campus=None, org=None, affiliation=None):
        tpl = PairSet(chain.astype(np.int32), (chain + 1).astype(np.int32), np.ones(chain.size),
                      np.full(chain.size, BIT["SHARED_PROMPT_TEMPLATE"] | extra, np.uint32))
        ps = combine([tpl, _clique(range(slips), 2.0, slip_bits | extra)])
        res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), params, family=family,
                             campus=campus, org=org, affiliation=affiliation)
        return res.members

    m = members()
    assert len(m) == n_ring and (m["action"] == "review").all()
    assert m["reasons"].str.contains("OPERATOR_TOOLKIT").all()
    assert len(members(slips=2)) == 0
    assert len(members(extra=BIT["SAME_ORGANISATION"])) == 0
    assert len(members(params=RingParams(toolkit_min_slips=0))) == 0
    lab = BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"]
    assert len(members(slips=n_ring, slip_bits=lab)) == 0
    # the four on one campus (students sharing its lab PC, months apart): no slips; two
    # campuses, or the rule off, and they are slips again
    one = np.r_[np.zeros(4, np.int64), -np.ones(n - 4, np.int64)]
    assert len(members(campus=one)) == 0
    two = np.r_[[0, 0, 1, 1], -np.ones(n - 4, np.int64)]
    assert len(members(campus=two)) == n_ring
    assert len(members(campus=one, params=RingParams(toolkit_campus_explains=False))) == n_ring
    # the four in one established organisation (its links dropped: org -1, affiliation 0):
    # a device they share is its lab PC, a card they share is a slip all the same; in an
    # organisation that is no institution (org 0) the device is a slip too
    nobody = np.full(n, -1)
    inst = np.r_[np.zeros(4, np.int64), -np.ones(n - 4, np.int64)]
    assert len(members(campus=nobody, org=nobody, affiliation=inst)) == 0
    kit = members(campus=nobody, org=nobody, affiliation=inst, slip_bits=BIT["SHARED_CARD"])
    assert kit["reasons"].str.contains("OPERATOR_TOOLKIT").sum() == n_ring
    assert members(campus=nobody, org=inst, affiliation=inst)["reasons"].str.contains(
        "OPERATOR_TOOLKIT").sum() == n_ring
    assert len(members(campus=nobody, org=nobody, affiliation=inst,
                       params=RingParams(toolkit_institution_devices=False))) == n_ring


def test_a_few_households_in_an_apps_crowd_are_no_toolkit_slips():
    """An app's community: a thousand end users on its template, among them two households
    of two sharing a card (four slips, as in the camouflaged ring of thirty above). A crowd
    that size holds households by chance: fewer than `toolkit_min_slip_share` of the family
    slipped, so nobody is flagged by the toolkit; with the share off, all thousand were."""
    n_ring, n = 1000, 1010
    accounts, ds, labels, family, links = _template_ring(n_ring, n)

    def flagged(slips: int, params: RingParams = RingParams()) -> int:
        pairs = [links] + [_clique(range(h, h + 2), 2.0, BIT["SHARED_CARD"])
                           for h in range(0, slips, 2)]
        res, _ = score_rings(combine(pairs), labels, accounts, ds, np.zeros(n, bool), params,
                             family=family)
        return int(res.members["reasons"].str.contains("OPERATOR_TOOLKIT").sum())

    assert flagged(4) == 0
    assert flagged(4, RingParams(toolkit_min_slip_share=0)) == n_ring
    assert flagged(10) == n_ring  # one in a hundred slipped: an operator's reuse


def test_an_apps_users_and_a_public_templates_users_are_not_a_toolkits():
    """A ring of thirty on one template family with four slips on one device (as above).
    When a third of its family calls through an app's backend, it is the app's user base:
    nobody is flagged by the toolkit (two of thirty do not make it an app). When only
    twenty of them send the ring's private template and ten send a public one that thirty
    strangers send too, only the twenty are flagged: the ten are that template's users,
    brought into the family by it. Both rules can be switched off."""
    n_ring, n = 30, 60
    accounts, ds, labels, family, links = _template_ring(n_ring, n)
    ps = combine([links, _clique(range(4), 2.0, BIT["SHARED_DEVICE"])])
    private = np.arange(20)
    public = np.r_[np.arange(20, n_ring), np.arange(n_ring, n)]
    templates = (np.r_[private, public].astype(np.int64),
                 np.r_[np.zeros(private.size), np.ones(public.size)].astype(np.int64))

    def toolkit(params: RingParams = RingParams(), backend=None, tpl=None) -> set[int]:
        res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), params,
                             family=family, backend=backend, templates=tpl)
        m = res.members[res.members["reasons"].str.contains("OPERATOR_TOOLKIT")]
        return {accounts.get_loc(a) for a in m["account_id"]}

    everyone = set(range(n_ring))
    assert toolkit() == everyone
    assert toolkit(backend=np.arange(n) < 10) == set()
    assert toolkit(backend=np.arange(n) < 2) == everyone
    assert toolkit(RingParams(toolkit_backend_share=0), backend=np.arange(n) < 10) == everyone
    assert toolkit(tpl=templates) == set(range(20))
    assert toolkit(RingParams(toolkit_own_template_share=0), tpl=templates) == everyone


def _template_ring(n_ring: int, n: int) -> tuple:
    """`n` accounts, the first `n_ring` one community and one template group (family or
    cohort), chained by shared-template links: accounts, ds, labels, group, links."""
    accounts, ds = _setup(n)
    labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
    group = np.r_[np.zeros(n_ring, np.int64), -np.ones(n - n_ring, np.int64)]
    chain = np.arange(n_ring - 1)
    links = PairSet(chain.astype(np.int32), (chain + 1).astype(np.int32), np.ones(chain.size),
                    np.full(chain.size, BIT["SHARED_PROMPT_TEMPLATE"], np.uint32))
    return accounts, ds, labels, group, links


def test_a_toolkit_rings_members_on_a_shared_device_in_a_burst_are_its_own():
    """A toolkit ring (thirty accounts on one private template family, four slips on one
    device) whose three other members signed up in a burst on a phone they share: one by
    one they look like students on a lab PC, but the ring is no class, so they are
    reviewed with the rest; with `toolkit_lab_members` off they are left out."""
    n_ring, n = 30, 40
    accounts, ds, labels, family, tpl = _template_ring(n_ring, n)
    phone = _clique(range(10, 13), 2.0, BIT["SHARED_DEVICE"] | BIT["SIGNUP_BURST"])
    ps = combine([tpl, _clique(range(4), 2.0, BIT["SHARED_DEVICE"]), phone])

    def flagged(params: RingParams) -> set[int]:
        res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), params, family=family)
        assert (res.members["action"] == "review").all()
        return {accounts.get_loc(a) for a in res.members["account_id"]}

    assert flagged(RingParams()) == set(range(n_ring))
    assert flagged(RingParams(toolkit_lab_members=False)) == set(range(n_ring)) - {10, 11, 12}


def test_a_camouflaged_ring_on_one_shift_is_reviewed_by_its_toolkit_without_slips():
    """Thirty consumer-looking accounts with nothing shared but one private template family
    and no slips: when they all work one 12-hour UTC shift while the platform's users are
    spread round the clock, every family member is reviewed (OPERATOR_TOOLKIT), none
    suspended. The same family on the platform's clock, inside one organisation (linked as
    one, or an established one whose links were dropped), with too few members, or with the
    shift rule off flags nobody; nor does a family many of whose members call through an
    app's backend."""
    n_ring, n = 30, 40
    accounts, ds = _setup(n)
    labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
    family = np.r_[np.zeros(n_ring, np.int64), -np.ones(n - n_ring, np.int64)]
    chain = np.arange(n_ring - 1)
    platform = np.full(24, 100.0)  # strangers everywhere: every hour alike
    shift = np.r_[np.zeros(8), np.full(12, 10.0), np.zeros(4)]  # 08-19 UTC only

    def members(profile=shift, extra=0, ring=n_ring, params=RingParams(), orgs=None,
                backend=None, campus=None):
        clock = DailyClock(np.arange(n_ring), np.tile(profile, (n_ring, 1)), platform)
        fam = np.where(np.arange(n) < ring, family, -1)
        tpl = PairSet(chain.astype(np.int32), (chain + 1).astype(np.int32), np.ones(chain.size),
                      np.full(chain.size, BIT["SHARED_PROMPT_TEMPLATE"] | extra, np.uint32))
        res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), params, family=fam,
                             clock=clock, affiliation=orgs, backend=backend, campus=campus)
        return res.members

    m = members()
    assert len(m) == n_ring and (m["action"] == "review").all()
    assert m["reasons"].str.contains("OPERATOR_TOOLKIT").all()
    assert len(members(profile=platform / 10)) == 0
    night = shift.copy()
    night[:8] = night[20:] = 6.0  # no quiet hours: 30 of 192 outside, 0.156 > 0.6 × 5/24
    assert len(members(profile=night)) == 0
    assert len(members(extra=BIT["SAME_ORGANISATION"])) == 0
    # a class of an established institution: its internal links were dropped (no
    # SAME_ORGANISATION bit), yet its students share the organisation and its hours
    assert len(members(orgs=np.r_[np.zeros(n_ring, np.int64), -np.ones(n - n_ring, np.int64)])) == 0
    # each a one-seat organisation of its own explains nothing
    assert len(members(orgs=np.arange(n, dtype=np.int64))) == n_ring
    # students of one campus, no org_id: a class keeps its timetable (world G's 101 students
    # on their course template, reviewed as an operator's kit before); two campuses of
    # fifteen each are a class each; the rule off, they are a shift again
    one = np.r_[np.zeros(n_ring, np.int64), -np.ones(n - n_ring, np.int64)]
    assert len(members(campus=one)) == 0
    assert len(members(campus=np.r_[np.arange(n_ring) // 15, -np.ones(n - n_ring, np.int64)])) == 0
    assert len(members(campus=one, params=RingParams(toolkit_campus_shift=False))) == n_ring
    # a campus's few students in an operator's ring leave the rest a shift
    assert len(members(campus=np.r_[[0, 0], -np.ones(n - 2, np.int64)])) == n_ring - 2
    # an app's end users calling through its servers keep the app's clock, not their own:
    # with a third of the family behind the backend, too few are left to be a shift
    app = np.arange(n) < 10
    assert len(members(backend=app)) == 0
    # two of thirty: still a shift, and the two app users are not in it
    assert len(members(backend=np.arange(n) < 2)) == n_ring - 2
    assert len(members(ring=15)) == 0  # fewer than toolkit_shift_min in the family
    assert len(members(params=RingParams(toolkit_shift_min=0))) == 0
    assert len(members(params=RingParams(toolkit_shift_ratio=0))) == 0


def test_a_low_and_slow_cohort_on_its_schedule_is_reviewed_and_named():
    """Twelve accounts with nothing shared but their cohort (different cards of one BIN, one
    template) and their ring's schedule: each is reviewed, never suspended, and its reasons
    name the cohort (CARD_BIN_COHORT) beside the template; off its schedule nobody is."""
    n_ring, n = 12, 16
    accounts, ds, labels, cohort, ps = _template_ring(n_ring, n)
    res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), RingParams(),
                         schedule=_schedule_pairs(range(n_ring), 0.3), cohort=cohort)
    m = res.members
    assert len(m) == n_ring and (m["action"] == "review").all()
    assert m["reasons"].str.contains("CARD_BIN_COHORT").all()
    off, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), RingParams(), cohort=cohort)
    assert len(off.members) == 0


def _pool_rows(accts, ips):
    """Distinct (account, IP) rows: every account in `accts` on every IP in `ips`."""
    a, v = np.meshgrid(np.asarray(accts), np.asarray(ips), indexing="ij")
    return a.ravel().astype(np.int64), v.ravel().astype(np.int64)


def test_a_ring_on_its_own_crowded_proxy_exits_is_flagged_a_carriers_crowd_is_not():
    """A ring of 24 held by its own template and its operator's lockstep hours, every member
    on the same 10 exits that nobody else uses (each exit too crowded for pool links): its
    own pool. Template and pool flag it; 24 accounts with both are an operator's private kit
    (`kit_min_members` 20), so it is suspended, and reviewed when the kit needs more members
    or is off. The same ring on 10
    exits it shares with 60 strangers (a carrier's or a cloud's) is on nobody's pool and
    suspended by nobody; nor is an organisation's staff on its office's own egress addresses."""
    n_ring, n = 24, 100
    accounts, ds = _setup(n)
    labels = np.r_[np.zeros(n_ring, int), -np.ones(n - n_ring, int)]
    tpl = _clique(range(n_ring), 0.8, BIT["SHARED_PROMPT_TEMPLATE"] | BIT["LOCKSTEP_HOURS"])
    own = _pool_rows(range(n_ring), range(10))
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), RingParams(), ips=own)
    assert len(res.members) == n_ring and (res.members["action"] == "suspend").all()
    assert res.members["reasons"].str.contains("PRIVATE_KIT").all()
    for fewer in (RingParams(kit_min_members=25), RingParams(kit_min_members=0)):
        res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), fewer, ips=own)
        assert len(res.members) == n_ring and (res.members["action"] == "review").all()
        assert res.members["reasons"].str.contains("PROXY_IP_POOL").all()
        assert not res.members["reasons"].str.contains("PRIVATE_KIT").any()

    def no_pool(res) -> bool:  # template and hours may still review it; no pool, no kit
        m = res.members
        return "suspend" not in m["action"].tolist() and not m["reasons"].str.contains(
            "PROXY_IP_POOL|PRIVATE_KIT").any()

    crowd = _pool_rows(range(n), range(10))  # the exits carry 76 strangers too
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), RingParams(), ips=crowd)
    assert no_pool(res)
    org = combine([tpl, _clique(range(n_ring), 0.5, BIT["SAME_ORGANISATION"])])
    res, _ = score_rings(org, labels, accounts, ds, np.zeros(n, bool), RingParams(), ips=own)
    assert no_pool(res)
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool),
                         RingParams(ring_pool_min_users=0), ips=own)
    assert no_pool(res)  # off


def test_an_operation_cut_into_rings_owns_its_exits_together_strangers_rings_do_not():
    """Community detection cut one operation into three rings of 24 (a raised resolution at
    1M accounts), all on the same 10 exits with 8 strangers: each ring is a third of every
    exit's users, the three together 90 %. Together they own the exits, so each ring's
    template and pool flag it and its kit, on its operator's hours, suspends it
    (`ring_pool_pieces`); counted one ring at a time (off), nobody is suspended. With 48 strangers behind the exits (the rings
    60 % of their users: a carrier's or a cloud's exits) they own nothing."""
    per, n_rings, n = 24, 3, 120
    accounts, ds = _setup(n)
    ring_of = np.repeat(np.arange(n_rings), per)
    labels = np.r_[ring_of, -np.ones(n - per * n_rings, int)]
    tpl = combine([_clique(range(r * per, (r + 1) * per), 0.8,
                           BIT["SHARED_PROMPT_TEMPLATE"] | BIT["LOCKSTEP_HOURS"])
                   for r in range(n_rings)])
    exits = _pool_rows(range(per * n_rings + 8), range(10))
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), RingParams(), ips=exits)
    assert len(res.members) == per * n_rings and (res.members["action"] == "suspend").all()
    assert res.members["reasons"].str.contains("PROXY_IP_POOL").all()
    off, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool),
                         RingParams(ring_pool_pieces=False), ips=exits)
    assert "suspend" not in off.members["action"].tolist()
    assert not off.members["reasons"].str.contains("PROXY_IP_POOL").any()
    crowd = _pool_rows(range(n), range(10))  # 48 strangers too: the rings are 60 %
    res, _ = score_rings(tpl, labels, accounts, ds, np.zeros(n, bool), RingParams(), ips=crowd)
    assert "suspend" not in res.members["action"].tolist()
    assert not res.members["reasons"].str.contains("PROXY_IP_POOL").any()


def _startups(n_orgs: int = 5, seats: int = 5, own_templates: bool = False,
              timing: int = BIT["SIGNUP_BURST"], params: RingParams = RingParams(),
              established: bool = False, inside_links: bool = True,
              sitting: bool | None = None, split: bool = False) -> pd.DataFrame:
    """Members scored for one community of `n_orgs` organisations of `seats` accounts: each
    organisation's seats share its card (explained by the organisation: SAME_ORGANISATION)
    with `timing`, and all of them sit behind one proxy pool; all use one private template,
    or (`own_templates`) each organisation its own. `established`: the organisations are
    allow-listed or established (their code is -1 for scoring). Without `inside_links` the
    organisation's discounted links fell under `min_link_weight` (none is left); `sitting`:
    every seat signed up in one sitting with its organisation, or none did (None: not given);
    `split`: each organisation's first seat is in a second ring with the other organisations'
    first seats."""
    n = n_orgs * seats
    accounts, ds = _setup(n + 4)
    org = np.r_[np.repeat(np.arange(n_orgs), seats), -np.ones(4, int)]
    inside = BIT["SHARED_CARD"] | BIT["SAME_ORGANISATION"] | timing
    parts = ([_clique(range(o * seats, (o + 1) * seats), 0.5, inside) for o in range(n_orgs)]
             if inside_links else [])
    parts.append(_clique(range(n), 0.4, BIT["PROXY_IP_POOL"] | BIT["SHARED_IP"]
                         | BIT["SHARED_PROMPT_TEMPLATE"]))
    first = np.arange(n) % seats == 0
    labels = np.r_[(first & split).astype(int), -np.ones(4, int)]
    tpl = (np.arange(n), org[:n] if own_templates else np.zeros(n, np.int64))
    # the organisation's card: value key = value code × kinds + kind code
    strong = (np.arange(n), org[:n].astype(np.int64) * len(KINDS) + KIND_CODE["card"])
    res, _ = score_rings(combine(parts), labels, accounts, ds, np.zeros(n + 4, bool), params,
                         templates=tpl, org=np.full(n + 4, -1) if established else org,
                         strong=strong,
                         org_sitting=None if sitting is None else np.r_[np.full(n, sitting),
                                                                        np.zeros(4, bool)])
    return res.members


def test_fake_startups_sharing_one_private_template_are_suspended():
    """Five three-to-eight-seat 'startups' of one operator: each shares its corporate card
    (what an organisation explains), all sign up in bursts and use one private template.
    Independent companies do not share a private template: the seats are suspended. The same
    companies each with its own template, with no timing of their own, or too few of them
    to be an operator's batch, or established or allow-listed organisations, are reviewed;
    the rule can be switched off."""
    def actions(**kw):
        return _startups(**kw)["action"].value_counts().to_dict()

    assert actions() == {"suspend": 25}
    assert _startups()["reasons"].str.contains("ORGANISATION_FARM").all()
    assert not _startups(own_templates=True)["reasons"].str.contains("ORGANISATION_FARM").any()
    assert actions(own_templates=True) == {"review": 25}
    assert actions(timing=0) == {"review": 25}
    assert actions(n_orgs=4) == {"review": 20}
    assert actions(established=True) == {"review": 25}
    assert actions(params=RingParams(org_farm_min_orgs=0)) == {"review": 25}


def test_fake_companies_on_a_kit_ten_of_them_share_need_no_timing():
    """An operator's fake companies keep office hours like real ones: no burst, no lockstep.
    Ten or more of them on one private template are still its batch (suspended); nine
    without timing are reviewed, and so are ten with the untimed rule off."""
    def actions(**kw):
        return _startups(seats=3, timing=0, **kw)["action"].value_counts().to_dict()

    assert actions(n_orgs=10) == {"suspend": 30}
    assert actions(n_orgs=9) == {"review": 27}
    assert actions(n_orgs=10, params=RingParams(org_farm_untimed_min_orgs=0)) == {"review": 30}


def test_big_companies_on_one_kit_need_their_own_timing():
    """Ten real companies of sixty seats each, every company's laptops on one image and all
    of them on one popular CI template, keep office hours: what they share is the company's
    and the template is a vendor's. Companies over `org_farm_untimed_max_seats` get no
    untimed pass (reviewed); with no cap they would be suspended as fake startups."""
    def actions(**kw):
        return _startups(n_orgs=10, seats=60, timing=0, **kw)["action"].value_counts().to_dict()

    assert actions() == {"review": 600}
    assert actions(params=RingParams(org_farm_untimed_max_seats=0)) == {"suspend": 600}
    assert actions(params=RingParams(org_farm_untimed_max_seats=60)) == {"suspend": 600}


def test_a_fake_companys_card_is_its_own_in_any_ring():
    """Ten four-seat companies on one kit, each company's first seat clustered into a
    second ring beside the other companies' first seats: there it shares the card with no
    ring-mate, but with three seats of its company. Counted over the company's seats in any
    ring it is a fake startup's seat like the others; counted in its own ring only, it is
    reviewed."""
    res = _startups(n_orgs=10, seats=4, timing=0, split=True)
    assert res["action"].value_counts().to_dict() == {"suspend": 40}
    ring_only = _startups(n_orgs=10, seats=4, timing=0, split=True,
                          params=RingParams(org_farm_org_wide=False))
    assert ring_only.groupby("action").size().to_dict() == {"review": 10, "suspend": 30}


def test_fake_startup_seats_with_their_organisation_links_explained_away_are_still_seen():
    """At scale an organisation's discounted links fall under `min_link_weight`: the seats'
    own links show only the proxy pool and the template. Seats opened in one sitting with
    their organisation (`links.org_sitting`) are still a fake startup's: flagged, suspended,
    and their reasons name the card they share. Without the sitting (and no other timing)
    they are no fake startups: reviewed on the pool and the template alone; 25 accounts on
    one pool and one private template are an operator's PRIVATE_KIT only on its clock
    (here none: reviewed, as an app's end users on its servers are)."""
    farm = _startups(inside_links=False, timing=0, sitting=True)
    assert farm["action"].value_counts().to_dict() == {"suspend": 25}
    assert farm["reasons"].str.contains("ORGANISATION_FARM").all()
    assert farm["reasons"].str.contains("SHARED_CARD").all()
    plain = _startups(inside_links=False, timing=0, sitting=False,
                      params=RingParams(kit_min_members=0))
    assert plain["action"].value_counts().to_dict() == {"review": 25}
    assert not plain["reasons"].str.contains("ORGANISATION_FARM|SHARED_CARD").any()
    kit = _startups(inside_links=False, timing=0, sitting=False)
    assert kit["action"].value_counts().to_dict() == {"review": 25}
    assert not kit["reasons"].str.contains("ORGANISATION_FARM|SHARED_CARD|PRIVATE_KIT").any()
    kit = _startups(inside_links=False, timing=0, sitting=False,
                    params=RingParams(kit_needs_timing=False))
    assert kit["action"].value_counts().to_dict() == {"suspend": 25}
    assert kit["reasons"].str.contains("PRIVATE_KIT").all()
    assert _startups(inside_links=False, timing=0, sitting=True, own_templates=True,
                     params=RingParams(kit_min_members=0))[
        "action"].value_counts().to_dict() == {"review": 25}


def test_an_operators_private_kit_is_suspended_a_minority_or_an_organisation_is_not():
    """Thirty accounts sending one rare template through proxy exits they share, on their
    operator's hours, and nothing else: no card, no device. One stranger may share a
    template or an exit with a ring by chance; thirty sharing both on one clock are one
    operator's tooling on its infrastructure (PRIVATE_KIT): suspended. Without the clock
    they are what an app's end users look like (the app's templates through its few
    servers, each user on their own hours): reviewed. Below `kit_min_members` they are
    reviewed, as they are when the kit users are under `kit_min_share` of their ring, when
    the links lie inside one organisation (its office egress, its internal template), or
    when the rule is off. Template and pool flag without the kit, so review is never lost."""
    kit = BIT["SHARED_PROMPT_TEMPLATE"] | BIT["PROXY_IP_POOL"] | BIT["LOCKSTEP_HOURS"]

    def actions(n_kit: int = 30, n_other: int = 0, extra: int = 0,
                params: RingParams = RingParams()) -> dict[str, int]:
        n = n_kit + n_other + 4
        accounts, ds = _setup(n)
        parts = [_clique(range(n_kit), 0.4, kit | extra)]
        if n_other:  # flagged ring-mates on the same exits, in bursts, with no template
            parts.append(_clique(range(n_kit, n_kit + n_other), 0.4,
                                 BIT["PROXY_IP_POOL"] | BIT["SIGNUP_BURST"]))
            parts.append(PairSet(np.arange(n_kit, dtype=np.int32),
                                 np.full(n_kit, n_kit, np.int32), np.full(n_kit, 0.4),
                                 np.full(n_kit, BIT["PROXY_IP_POOL"], np.uint32)))
        labels = np.r_[np.zeros(n_kit + n_other, int), -np.ones(4, int)]
        res, _ = score_rings(combine(parts), labels, accounts, ds, np.zeros(n, bool), params)
        m = res.members
        if (m["action"] == "suspend").any():
            assert m.loc[m["action"] == "suspend", "reasons"].str.contains("PRIVATE_KIT").all()
        return m["action"].value_counts().to_dict()

    assert actions() == {"suspend": 30}
    app = BIT["SHARED_PROMPT_TEMPLATE"] | BIT["PROXY_IP_POOL"]  # no clock: an app's users
    accounts, ds = _setup(34)
    res, _ = score_rings(_clique(range(30), 0.4, app), np.r_[np.zeros(30, int), -np.ones(4, int)],
                         accounts, ds, np.zeros(34, bool), RingParams())
    assert res.members["action"].value_counts().to_dict() == {"review": 30}
    assert not res.members["reasons"].str.contains("PRIVATE_KIT").any()
    assert actions(n_kit=15) == {"review": 15}
    assert actions(n_other=40) == {"review": 70}
    assert "suspend" not in actions(extra=BIT["SAME_ORGANISATION"])
    assert "suspend" not in actions(extra=BIT["RARE_EMAIL_DOMAIN"])
    assert actions(params=RingParams(kit_min_members=0)) == {"review": 30}


def test_an_account_on_its_rings_private_exits_is_reviewed_a_resident_or_a_crowd_is_not():
    """Thirty suspended accounts connect through exits 0-2 (nobody else's) and through two
    carrier-NAT addresses 3-4 with thirty strangers. An account whose only addresses are
    two of the ring's exits is its operator's reserve: reviewed with the ring (RING_EXITS),
    never suspended. The home one exit runs through, an account with two exits and a life
    of its own elsewhere, an allow-listed account, and a stranger on the NAT addresses are
    not flagged."""
    n, k = 80, 30
    accounts, ds = _setup(n)
    ps = _clique(range(k), 3.0, STRONG_BURST)
    labels = np.r_[np.zeros(k, int), -np.ones(n - k, int)]
    rows = [(a, ip) for a in range(k) for ip in (0, 1, 2, 3, 4)]
    rows += [(a, ip) for a in range(40, 70) for ip in (3, 4)]
    rows += [(30, 0), (30, 1)]                              # the operator's reserve
    rows += [(31, 2)]                                       # a home an exit runs through
    rows += [(32, 0), (32, 1), (32, 10), (32, 11), (32, 12)]  # a life of its own elsewhere
    rows += [(33, 0), (33, 1)]                              # allow-listed
    rows += [(34, 3), (34, 4)]                              # a stranger on the NAT
    acct, ip = (np.array(x) for x in zip(*rows, strict=True))
    allowed = np.zeros(n, bool)
    allowed[33] = True

    def members(params=RingParams()):
        res, ring = score_rings(ps, labels, accounts, ds, allowed, params, ips=(acct, ip))
        return res, ring

    res, ring = members()
    m = res.members.set_index("account_id")
    assert set(m.index) == {f"acc{i:02d}" for i in range(k + 1)}
    assert m.loc["acc30", "action"] == "review" and m.loc["acc30", "reasons"] == "RING_EXITS"
    assert (m.drop("acc30")["action"] == "suspend").all()
    assert ring[30] == ring[0] > 0
    assert res.rings.loc[0, "size"] == k + 1 and "RING_EXITS" in res.rings.loc[0, "reasons"]
    res, _ = members(RingParams(sleeper_min_exits=0))
    assert len(res.members) == k
    res, _ = members(RingParams(exits_max_other_share=0.05))  # three outsiders on exit 0
    assert len(res.members) == k



def test_a_carrier_customer_meeting_a_sim_farms_nat_is_not_its_reserve():
    """A SIM farm's thirty accounts exit through five addresses of their carrier's NAT
    (0-4). The carrier's customer 31 meets three of them among the rest of the carrier's
    pool (address 10): three quarters of its addresses, below `sleeper_min_exit_share`.
    The reserve account 30 connects only through the ring's exits."""
    n, k = 40, 30
    accounts, ds = _setup(n)
    ps = _clique(range(k), 3.0, STRONG_BURST)
    labels = np.r_[np.zeros(k, int), -np.ones(n - k, int)]
    rows = [(a, ip) for a in range(k) for ip in range(5)]
    rows += [(30, 0), (30, 1), (31, 2), (31, 3), (31, 4), (31, 10)]
    acct, ip = (np.array(x) for x in zip(*rows, strict=True))

    def flagged(params=RingParams()):
        res, _ = score_rings(ps, labels, accounts, ds, np.zeros(n, bool), params, ips=(acct, ip))
        return set(res.members["account_id"]) - {f"acc{i:02d}" for i in range(k)}

    assert flagged() == {"acc30"}
    assert flagged(RingParams(sleeper_min_exit_share=0.5)) == {"acc30", "acc31"}
    # the same addresses on an account that sends nothing in the window: a reserve
    from linker.detect.scoring import exit_sleepers

    ring = np.r_[np.ones(k, int), np.zeros(n - k, int)]
    quiet = np.zeros(n, bool)
    assert set(np.flatnonzero(exit_sleepers(ring, acct, ip, np.zeros(n, bool), RingParams(),
                                            quiet))) == {30}
    quiet[31] = True
    assert set(np.flatnonzero(exit_sleepers(ring, acct, ip, np.zeros(n, bool), RingParams(),
                                            quiet))) == {30, 31}

def test_one_persons_few_accounts_are_reviewed_an_operators_are_suspended():
    """Five accounts on one device, one card and one mailbox (+tag and dot variants), opened
    in one sitting: one person cycling free tiers, reviewed, not suspended as a farm or a
    ring core. The same five with a shared API key or a scheduler's hours are an operator's
    and suspended; so are seven (over `person_max_accounts`) and five with mailboxes of their
    own; `person_max_accounts = 0` turns the rule off."""
    bits = BIT["SHARED_CARD"] | BIT["SHARED_DEVICE"] | BIT["SHARED_EMAIL"] | BIT["SIGNUP_BURST"]

    def actions(n_ring: int, link_bits: int, one_mailbox: bool = True,
                params: RingParams = RingParams()) -> set[str]:
        n = n_ring + 4
        accounts, ds = _setup(n)
        labels = np.r_[np.zeros(n_ring, int), -np.ones(4, int)]
        mailbox = np.zeros(n_ring, np.int64) if one_mailbox else np.arange(n_ring)
        strong = (np.r_[np.arange(n_ring), np.arange(n_ring)],
                  np.r_[mailbox * len(KINDS) + KIND_CODE["email"],
                        np.full(n_ring, 7 * len(KINDS) + KIND_CODE["device"])])
        res, _ = score_rings(_clique(range(n_ring), 3.0, link_bits), labels, accounts, ds,
                             np.zeros(n, bool), params, strong=strong)
        assert len(res.members) == n_ring
        return set(res.members["action"])

    assert actions(5, bits) == {"review"}
    assert actions(5, bits | BIT["SHARED_API_KEY"]) == {"suspend"}
    assert actions(5, bits | BIT["LOCKSTEP_HOURS"]) == {"suspend"}
    assert actions(7, bits) == {"suspend"}
    assert actions(5, bits, one_mailbox=False) == {"suspend"}
    assert actions(5, bits, params=RingParams(person_max_accounts=0)) == {"suspend"}


def test_a_proxy_operators_kit_beside_its_suspended_core_is_suspended():
    """A residential-proxy operator gives 30 accounts their own cards and devices and slips
    on 6, which share a card and a device in a sign-up burst: the suspended core. The 30
    send the ring's rare template, sign up in the same bursts and hop across networks: the
    operator's kit beside its own slips (CORE_KIT), suspended too. Without their own hops,
    without timing of their own, with too small a core, inside one organisation, or with the
    rule off, they are not suspended (reviewed, or not flagged at all: a template and a
    burst alone flag nobody). Paying with cards of one BIN, as many as a low-and-slow cohort
    (CARD_BIN_COHORT), is the operator's own purchase and counts as the kit's timing; so
    does a wave of late cards (CARD_WAVE: bought accounts switched on together)."""
    def actions(n_core: int = 6, timing: int = BIT["SIGNUP_BURST"], rotating: bool = True,
                extra: int = 0, params: RingParams = RingParams(),
                bin_cohort: bool = False, wave: bool = False) -> dict[str, int]:
        n_kit = 30
        n = n_core + n_kit + 4
        accounts, ds = _setup(n)
        parts = [_clique(range(n_core), 3.0, STRONG_BURST),
                 _clique(range(n_core + n_kit), 0.5, BIT["SHARED_PROMPT_TEMPLATE"] | timing)]
        if extra:  # between the kit's accounts only
            parts.append(_clique(range(n_core, n_core + n_kit), 0.5, extra))
        labels = np.r_[np.zeros(n_core + n_kit, int), -np.ones(4, int)]
        hop = np.r_[np.zeros(n_core, bool), np.full(n_kit, rotating), np.zeros(4, bool)]
        cohort = (np.r_[-np.ones(n_core, int), np.zeros(n_kit, int), -np.ones(4, int)]
                  if bin_cohort else None)
        card_wave = np.r_[np.zeros(n_core, bool), np.full(n_kit, wave), np.zeros(4, bool)]
        res, _ = score_rings(combine(parts), labels, accounts, ds, np.zeros(n, bool), params,
                             rotating=hop, cohort=cohort, card_wave=card_wave)
        m = res.members
        kit = m["account_id"].isin(accounts[n_core:n_core + n_kit])
        assert (m.loc[~kit, "action"] == "suspend").all()  # the core
        if (m.loc[kit, "action"] == "suspend").any():
            assert m.loc[kit, "reasons"].str.contains("CORE_KIT").all()
        return m.loc[kit, "action"].value_counts().to_dict()

    assert actions() == {"suspend": 30}
    assert actions(timing=BIT["LOCKSTEP_HOURS"]) == {"suspend": 30}
    assert actions(timing=0, bin_cohort=True) == {"suspend": 30}
    assert actions(timing=0, wave=True) == {"suspend": 30}
    for other in (actions(rotating=False), actions(timing=0), actions(n_core=4),
                  actions(rotating=False, timing=0, bin_cohort=True),
                  actions(rotating=False, timing=0, wave=True),
                  actions(extra=BIT["SAME_ORGANISATION"]),
                  actions(params=RingParams(core_kit_min_core=0))):
        assert "suspend" not in other


def test_a_kit_clustered_apart_from_its_core_is_suspended_by_the_cores_private_template():
    """The operator's slips (6 accounts sharing a card and a device in a burst) were put in a
    community of their own; 30 accounts that hop across networks and sign up in bursts sit
    in another. When they send the private template the suspended core sends, they are its
    kit (CORE_KIT): suspended. Another template, or one most of whose users are outside any
    ring (a public one), does not tie them to the core: reviewed."""
    def actions(kit_template: int = 0, outsiders: int = 0) -> dict[str, int]:
        n_core, n_kit = 6, 30
        n = n_core + n_kit + 4 + outsiders
        accounts, ds = _setup(n)
        parts = [_clique(range(n_core), 3.0, STRONG_BURST),
                 _clique(range(n_core, n_core + n_kit), 0.5,
                         BIT["SHARED_PROMPT_TEMPLATE"] | BIT["SIGNUP_BURST"])]
        labels = np.r_[np.zeros(n_core, int), np.ones(n_kit, int), -np.ones(4 + outsiders, int)]
        hop = np.r_[np.zeros(n_core, bool), np.ones(n_kit, bool), np.zeros(4 + outsiders, bool)]
        out = np.arange(n_core + n_kit + 4, n)  # accounts in no ring on template 0
        tpl = (np.r_[np.arange(n_core + n_kit), out],
               np.r_[np.zeros(n_core, np.int64), np.full(n_kit, kit_template), np.zeros(out.size, np.int64)])
        res, _ = score_rings(combine(parts), labels, accounts, ds, np.zeros(n, bool), RingParams(),
                             templates=tpl, rotating=hop)
        m = res.members
        kit = m["account_id"].isin(accounts[n_core:n_core + n_kit])
        assert (m.loc[~kit, "action"] == "suspend").all()
        assert m.loc[kit, "reasons"].str.contains("CORE_KIT").all() == (
            m.loc[kit, "action"] == "suspend").all()
        return m.loc[kit, "action"].value_counts().to_dict()

    assert actions() == {"suspend": 30}
    assert actions(kit_template=1) == {"review": 30}
    assert actions(outsiders=60) == {"review": 30}


def test_a_toolkit_account_is_beside_a_core_sending_its_family_or_template_a_bystander_is_not():
    """Accounts 0-5 are a suspended core on family 0; 6-9 send family 0 too (beside it).
    Family 1 has one core account among 40 users (under a tenth and under five): nobody
    beside it. Template 7 is sent by core accounts 0-4 and account 280 (beside); template 8
    by 0-4 and 200 others (under a tenth)."""
    from linker.detect.scoring import toolkit_beside_core

    n = 300
    family = np.full(n, -1)
    family[:10] = 0
    family[10:50] = 1
    core = np.zeros(n, dtype=bool)
    core[:6] = True
    core[10] = True
    t_acct = np.r_[np.arange(5), 280, np.arange(5), np.arange(60, 260)]
    t_val = np.r_[np.full(6, 7), np.full(205, 8)]
    out = toolkit_beside_core(family, core, RingParams(toolkit_core_share=0.1), (t_acct, t_val))
    assert out[6:10].all() and out[280]
    assert not out[10:50].any() and not out[60:260].any()
    assert not toolkit_beside_core(family, core, RingParams(toolkit_core_share=0.0),
                                   (t_acct, t_val)).any()
