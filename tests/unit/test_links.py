"""Rarity-weighted, hub-bounded links."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ringdata import T0, background, make_ds

from linker.detect.evidence import build_evidence_table, interactive_ips
from linker.detect.links import (
    PairSet,
    apply_org_discount,
    bounded_neighbours,
    combine,
    identifier_pairs,
    org_codes,
    org_sitting,
    to_frame,
)
from linker.detect.reasons import BIT
from linker.detect.rings import build_links
from linker.settings import RingParams


def _pairs(ds, allow=None, params=None):
    params = params or RingParams()
    ev, _ = build_evidence_table(ds, allow)
    return ev, identifier_pairs(ev, params)


def _frame(ev, ps):
    return to_frame(ps, ev.accounts)


def test_hub_ip_shared_by_500_links_nothing():
    acc = background(500)
    ipe = [dict(account_id=a["account_id"], ip="100.64.0.1", seen_at=T0) for a in acc]
    ev, ps = _pairs(make_ds(acc, ip_events=ipe))
    assert len(ps) == 0


def test_card_shared_by_three_links_strongly():
    acc = background(50)
    pay = [dict(account_id=f"u{i:05d}", card_fingerprint="c1") for i in (3, 7, 11)]
    ev, ps = _pairs(make_ds(acc, payments=pay))
    f = _frame(ev, ps)
    assert len(f) == 3
    assert set(map(tuple, f[["a", "b"]].to_numpy())) == {
        ("u00003", "u00007"), ("u00003", "u00011"), ("u00007", "u00011")}
    assert (f["reasons"] == "SHARED_CARD").all()
    assert (f["weight"] > 2.0).all()


def test_rarer_sharing_weighs_more():
    acc = background(80)
    pay = [dict(account_id=f"u{i:05d}", card_fingerprint="small") for i in range(3)]
    pay += [dict(account_id=f"u{i:05d}", card_fingerprint="big") for i in range(10, 40)]
    ev, ps = _pairs(make_ds(acc, payments=pay))
    f = _frame(ev, ps)
    small = f[(f["a"] < "u00003") & (f["b"] < "u00003")]["weight"]
    big = f[(f["a"] >= "u00010")]["weight"]
    assert small.min() > 2 * big.max()


def test_allowlisted_identifier_links_nothing():
    acc = background(20)
    pay = [dict(account_id=f"u{i:05d}", card_fingerprint="corp-card") for i in range(5)]
    allow = pd.DataFrame({"kind": ["card_fingerprint"], "value": ["corp-card"], "note": ["x"]})
    _, ps = _pairs(make_ds(acc, payments=pay), allow)
    assert len(ps) == 0


def test_org_members_links_discounted_and_allowlisted_org_dropped():
    acc = background(10)
    for a in acc[:4]:
        a["org_id"] = "acme"
    ipe = [dict(account_id=a["account_id"], ip="198.51.100.9", seen_at=T0) for a in acc[:6]]
    ds = make_ds(acc, ip_events=ipe)
    params = RingParams()
    ev, ps = _pairs(ds, params=params)
    org, org_allowed = org_codes(ds, ev.accounts, None)
    disc = apply_org_discount(ps, org, org_allowed, 0.05)
    f0, f1 = _frame(ev, ps).set_index(["a", "b"]), _frame(ev, disc).set_index(["a", "b"])
    inside = ("u00000", "u00001")
    across = ("u00000", "u00005")
    assert np.isclose(f1.loc[inside, "weight"], 0.05 * f0.loc[inside, "weight"])
    assert np.isclose(f1.loc[across, "weight"], f0.loc[across, "weight"])
    allow = pd.DataFrame({"kind": ["org_id"], "value": ["acme"], "note": [""]})
    org, org_allowed = org_codes(ds, ev.accounts, allow)
    dropped = _frame(ev, apply_org_discount(ps, org, org_allowed, 0.05)).set_index(["a", "b"])
    assert inside not in dropped.index and across in dropped.index


def test_proxy_pool_needs_several_shared_ips():
    acc = background(10)
    ipe = [dict(account_id=f"u{i:05d}", ip=f"45.0.0.{k}", seen_at=T0)
           for i in (0, 1) for k in range(1, 5)]
    ipe += [dict(account_id=f"u{i:05d}", ip="45.0.9.9", seen_at=T0) for i in (2, 3)]
    ev, ps = _pairs(make_ds(acc, ip_events=ipe))
    f = _frame(ev, ps).set_index(["a", "b"])
    assert "PROXY_IP_POOL" in f.loc[("u00000", "u00001"), "reasons"]
    assert "PROXY_IP_POOL" not in f.loc[("u00002", "u00003"), "reasons"]
    assert "SHARED_IP" in f.loc[("u00002", "u00003"), "reasons"]


def test_combine_sums_weights_and_ors_reasons():
    p1 = PairSet(np.array([0, 1], np.int32), np.array([1, 2], np.int32), np.array([1.0, 2.0]),
                 np.array([BIT["SHARED_CARD"]] * 2, np.uint32))
    p2 = PairSet(np.array([1], np.int32), np.array([0], np.int32), np.array([0.5]),
                 np.array([BIT["SIGNUP_BURST"]], np.uint32))
    c = combine([p1, p2])
    assert c.a.tolist() == [0, 1] and c.b.tolist() == [1, 2]
    assert c.w.tolist() == [1.5, 2.0]
    assert c.bits[0] == BIT["SHARED_CARD"] | BIT["SIGNUP_BURST"]


def test_bounded_neighbours_never_quadratic():
    n, k = 1000, 5
    group = np.zeros(n, np.int64)
    a, b = bounded_neighbours(group, np.arange(n), np.arange(n), k)
    assert a.size <= n * k
    # small groups become cliques
    group = np.repeat(np.arange(10), 4)
    a, b = bounded_neighbours(group, np.arange(40), np.arange(40), k)
    assert a.size == 10 * 6


def test_build_links_drops_weak_pairs():
    acc = background(40)
    # the same /24 for 10 accounts at different times: a weak subnet link only
    ipe = [dict(account_id=f"u{i:05d}", ip=f"77.7.7.{i + 1}", seen_at=T0) for i in range(10)]
    ds = make_ds(acc, ip_events=ipe)
    ev, _ = build_evidence_table(ds)
    ps = build_links(ev, ds, None, RingParams())
    assert len(ps) == 0


def test_a_device_behind_more_accounts_than_its_cap_is_a_popular_identifier():
    """A lab's machine image behind 100 accounts (device cap 60): each user is still linked
    to a few others, so the group holds together, but as POPULAR_IDENTIFIER (network-like),
    never as the strong SHARED_DEVICE that a suspension can rest on."""
    acc = background(300)
    for a in acc[:100]:
        a["device_id"] = "lab-image"
    ev, ps = _pairs(make_ds(acc))
    f = _frame(ev, ps)
    assert len(f) > 0 and (f["reasons"] == "POPULAR_IDENTIFIER").all()
    per = pd.concat([f["a"], f["b"]]).value_counts()
    assert per.max() <= 2 * RingParams().hub_band_k


def test_accounts_meeting_on_many_egress_ips_are_a_proxy_pool():
    """Rotating proxy exits: every exit is egress-like (30 accounts arriving days apart, so it
    links nothing by itself), but two accounts that meet on 8 of them are a pool; strangers
    who meet on one exit are not."""
    acc = background(2 + 8 * 28)
    ipe = []
    for k in range(8):  # exits 0..7: accounts 0 and 1 on every one, 28 strangers each
        users = [0, 1, *range(2 + 28 * k, 2 + 28 * (k + 1))]
        ipe += [dict(account_id=f"u{u:05d}", ip=f"77.1.{k}.9", seen_at=T0 + pd.Timedelta(days=2 * d))
                for d, u in enumerate(users)]
    ds = make_ds(acc, ip_events=ipe)
    ev, ps = _pairs(ds)
    f = _frame(ev, ps).set_index(["a", "b"])
    assert "PROXY_IP_POOL" in f.loc[("u00000", "u00001"), "reasons"]
    assert f["reasons"].str.contains("PROXY_IP_POOL").sum() == 1
    assert f["reasons"].str.contains("SHARED_IP").sum() == 1  # the exits link nobody else
    ev_off, off = _pairs(ds, params=RingParams(pool_wide_min=0))
    assert not _frame(ev_off, off)["reasons"].str.contains("SHARED_IP").any()


def test_org_sitting_counts_organisation_mates_within_the_window_only():
    """A seat is opened 'in one sitting' when at least `mates` members of its own
    organisation signed up within the window around it; members of another organisation at
    the same minute, accounts without an organisation and unknown sign-up times never count."""
    org = np.array([0, 0, 0, 0, 1, 1, 1, -1, -1, 2, 2, 2])
    created = np.array([0, 10, 20, 500, 0, 5, 200, 0, 1, 0, np.nan, 3], dtype=float)
    got = org_sitting(org, created, window=30.0, mates=2)
    # org 0: three within 20 minutes, the fourth hours later; org 1: two near, one far
    # (one mate only); no org; org 2: one sign-up time unknown
    assert got.tolist() == [True, True, True, False, False, False, False, False, False,
                            False, False, False]
    assert not org_sitting(org, created, window=30.0, mates=0).any()


def test_consecutive_dense_phone_blocks_are_one_run() -> None:
    """A SIM farm's numbers fill consecutive blocks: +2760566600.. and +2760566700.. are one
    run; a gap, another length or another country starts a new one."""
    from linker.detect.links import block_runs

    values = np.array(["+27605666", "+27605667", "+27605669", "+447700900", "+2760566",
                       "bad"], dtype=object)
    run = block_runs(np.arange(6), values)
    assert run[0] == run[1]
    assert len({run[1], run[2], run[3], run[4], run[5]}) == 5
    # codes in any order give the same grouping
    rev = block_runs(np.arange(6)[::-1], values)
    assert rev[::-1][0] == rev[::-1][1] and rev[::-1][1] != rev[::-1][2]


def test_an_account_is_in_the_run_of_its_dense_block() -> None:
    from linker.detect.links import block_run_of

    values = np.array(["+27605666", "+27605667", "+447700900"], dtype=object)
    acct = np.arange(30)
    block = np.repeat([0, 1, 2], 10)  # accounts 0-19 in one run of two blocks, 20-29 apart
    run = block_run_of((acct, block), values, 40)
    assert (run[:20] == run[0]).all() and (run[20:30] == run[20]).all() and run[20] != run[0]
    assert (run[30:] == -1).all()


def _backend(login: bool) -> tuple:
    """Accounts 0 and 1 call the API from the same 4 rare addresses (an app's servers);
    with `login`, account 0 also logs in from one of them."""
    acc = background(10)
    ipe = [dict(account_id=f"u{i:05d}", ip=f"45.0.0.{k}", seen_at=T0, event="api")
           for i in (0, 1) for k in range(1, 5)]
    # the platform records logins (here a stranger's, elsewhere): the rule applies
    ipe.append(dict(account_id="u00005", ip="9.9.9.9", seen_at=T0, event="login"))
    if login:
        ipe.append(dict(account_id="u00000", ip="45.0.0.1", seen_at=T0, event="login"))
    ds = make_ds(acc, ip_events=ipe)
    ev, _ = build_evidence_table(ds)
    return ev, identifier_pairs(ev, RingParams(), interactive_ips(ds, ev))


def test_addresses_nobody_signs_up_or_logs_in_from_are_a_backend_not_a_proxy_pool():
    ev, ps = _backend(login=False)
    reasons = _frame(ev, ps).set_index(["a", "b"]).loc[("u00000", "u00001"), "reasons"]
    assert "SHARED_IP" in reasons and "PROXY_IP_POOL" not in reasons
    ev, ps = _backend(login=True)
    reasons = _frame(ev, ps).set_index(["a", "b"]).loc[("u00000", "u00001"), "reasons"]
    assert "PROXY_IP_POOL" in reasons


def test_interactive_addresses_are_sign_up_and_login_ips_and_unknown_without_logins():
    acc = background(3)
    ipe = [dict(account_id="u00000", ip="45.0.0.1", seen_at=T0, event="Login"),
           dict(account_id="u00001", ip="45.0.0.1", seen_at=T0, event="api"),
           dict(account_id="u00001", ip="45.0.0.2", seen_at=T0, event="api"),
           dict(account_id="u00002", ip="45.0.0.2", seen_at=T0, event="api")]
    ds = make_ds(acc, ip_events=ipe)
    ev, _ = build_evidence_table(ds)
    inter = interactive_ips(ds, ev)
    by_value = dict(zip(ev.values, inter, strict=True))
    assert by_value["45.0.0.1"] and not by_value["45.0.0.2"]
    assert by_value[acc[0]["signup_ip"]]
    # sign-up IPs alone say nothing of an address nobody logged in from: no login events
    # (another vocabulary, or none) turn the rule off
    for events in ([{**e, "event": "api"} for e in ipe],
                   [{k: v for k, v in e.items() if k != "event"} for e in ipe]):
        bare = make_ds(acc, ip_events=events)
        ev, _ = build_evidence_table(bare)
        assert interactive_ips(bare, ev) is None
    ev, _ = build_evidence_table(ds)
    assert interactive_ips(ds, ev, ("session",)) is None


def _key_users(spread_hours: int) -> tuple:
    """30 accounts calling through one API key, signed up across `spread_hours`."""
    acc = background(30, spread_hours=spread_hours)
    req = [dict(account_id=a["account_id"], ts=T0, count=1, api_key_id="key-app",
                ip="45.0.0.1", prompt_fingerprint="pf1", capability="coding")
           for a in acc]
    ds = make_ds(acc, requests=req)
    ev, _ = build_evidence_table(ds)
    from linker.detect.timing import signup_minutes
    return ev, signup_minutes(ds, ev.accounts)


def test_a_key_people_join_all_year_is_an_apps_and_links_nobody():
    ev, created = _key_users(spread_hours=24 * 365)
    ps = identifier_pairs(ev, RingParams(), created=created)
    assert not (ps.bits & BIT["SHARED_API_KEY"]).any()
    # the same key is evidence when its accounts were opened within a few weeks ...
    ev, created = _key_users(spread_hours=24 * 30)
    assert (identifier_pairs(ev, RingParams(), created=created).bits & BIT["SHARED_API_KEY"]).any()
    # ... or when the rule is off
    ev, created = _key_users(spread_hours=24 * 365)
    off = RingParams(established_kinds=())
    assert (identifier_pairs(ev, off, created=created).bits & BIT["SHARED_API_KEY"]).any()


def test_accounts_calling_through_an_apps_servers_are_behind_its_backend():
    """Accounts 0-3 send all their exchanges from one address nobody logs in from (the
    app's server); account 4 sends from its own login address; accounts 5-6 share a backend
    of two only (too few users to be an app's)."""
    from linker.detect.evidence import behind_backend

    acc = background(8)
    req = [dict(account_id=f"u{i:05d}", ts=T0, count=50, api_key_id=f"k{i}", ip="45.0.0.1",
                prompt_fingerprint="pf", capability="coding") for i in range(4)]
    req += [dict(account_id="u00004", ts=T0, count=50, api_key_id="k4", ip="9.9.9.9",
                 prompt_fingerprint="pf", capability="coding")]
    req += [dict(account_id=f"u{i:05d}", ts=T0, count=50, api_key_id=f"k{i}", ip="46.0.0.1",
                 prompt_fingerprint="pf", capability="coding") for i in (5, 6)]
    ipe = [dict(account_id=f"u{i:05d}", ip=f"8.8.{i}.1", seen_at=T0, event="login")
           for i in range(8)]
    ipe.append(dict(account_id="u00004", ip="9.9.9.9", seen_at=T0, event="login"))
    ipe.append(dict(account_id="u00007", ip="9.9.9.9", seen_at=T0, event="login"))
    ds = make_ds(acc, ip_events=ipe, requests=req)
    ev, _ = build_evidence_table(ds)
    back = behind_backend(ev, interactive_ips(ds, ev), 0.9)
    assert back.tolist() == [True] * 4 + [False] * 4
    assert behind_backend(ev, interactive_ips(ds, ev), 0) is None
    assert behind_backend(ev, None, 0.9) is None
    # a verified partner app's server, allow-listed so it links nobody, is still its users'
    # backend when the allow-listed evidence is given
    allow = pd.DataFrame({"kind": ["ip"], "value": ["45.0.0.1"]})
    ev, listed = build_evidence_table(ds, allow)
    inter = interactive_ips(ds, ev)
    assert not behind_backend(ev, inter, 0.9)[:4].any()
    assert behind_backend(ev, inter, 0.9, allowed=listed).tolist() == [True] * 4 + [False] * 4
    # looked up in one pass with the allow-listed table, the same answer
    both = interactive_ips(ds, ev, also=listed)
    codes = np.unique(ev.vcode)
    assert (both[codes] == inter[codes]).all()
    assert behind_backend(ev, both, 0.9, allowed=listed).tolist() == [True] * 4 + [False] * 4


def test_colleagues_on_their_office_egress_are_no_proxy_pool():
    """Two seats of one organisation and two strangers, each pair meeting on three rare
    addresses: only the strangers' link stays a proxy pool; the seats' link keeps its weight
    (what else they share still counts) without PROXY_IP_POOL."""
    from linker.detect.links import office_egress

    bit = BIT["SHARED_IP"] | BIT["PROXY_IP_POOL"]
    ps = PairSet(np.array([0, 2], np.int32), np.array([1, 3], np.int32), np.array([1.5, 1.5]),
                 np.array([bit | BIT["SHARED_CARD"], bit], np.uint32))
    out = office_egress(ps, np.array([7, 7, -1, -1]))
    assert out.w.tolist() == [1.5, 1.5]
    assert out.bits[0] == BIT["SHARED_IP"] | BIT["SHARED_CARD"]
    assert out.bits[1] == bit


def test_identifier_pairs_on_a_thread_pool_are_the_same():
    """Kinds run on two threads give the same links, in the same order, as one by one."""
    from concurrent.futures import ThreadPoolExecutor

    from linker.detect.links import identifier_pairs

    rows = background(400)
    for i in range(30):  # a ring on cards, devices and IPs, and a few households
        rows.append(dict(account_id=f"r{i:02d}", created_at=T0 + pd.Timedelta(minutes=3 * i),
                         email=f"r{i}@mail.test", signup_ip=f"10.9.{i % 4}.1",
                         device_id=f"dev-{i % 5}", card_fp=f"card-{i % 3}", card_bin="411111"))
    ev, _ = build_evidence_table(make_ds(rows))
    one = identifier_pairs(ev, RingParams())
    with ThreadPoolExecutor(2) as pool:
        two = identifier_pairs(ev, RingParams(), pool=pool)
    assert len(one) > 30
    for col in ("a", "b", "w", "bits"):
        assert np.array_equal(getattr(one, col), getattr(two, col))


def _closed_pool_world(n: int = 150, exits: int = 12, light: int = 0, signed_on_pool: bool = False):
    """n accounts signed up at home, each logging in from every one of `exits` addresses
    (n users each: more than `pool_wide_cap`, so `_wide_pool` skips them), all within a
    few hours; `light` more accounts per exit, each on that one exit and five of its own;
    `signed_on_pool`: the n accounts signed up on the first exit instead."""
    acc = background(n + light * exits)
    ipe = []
    for u in range(n):
        for k in range(exits):
            ipe.append(dict(account_id=f"u{u:05d}", ip=f"88.1.0.{k + 1}", event="login",
                            seen_at=T0 + pd.Timedelta(minutes=u + k)))
        if signed_on_pool:
            acc[u]["signup_ip"] = "88.1.0.1"
            ipe.append(dict(account_id=f"u{u:05d}", ip="88.1.0.1", event="signup",
                            seen_at=T0 + pd.Timedelta(minutes=u)))
    for k in range(exits):
        for j in range(light):
            u = n + k * light + j
            ipe.append(dict(account_id=f"u{u:05d}", ip=f"88.1.0.{k + 1}", event="login",
                            seen_at=T0 + pd.Timedelta(minutes=j)))
            ipe += [dict(account_id=f"u{u:05d}", ip=f"99.{u % 200}.{k}.{m + 1}", event="login",
                         seen_at=T0) for m in range(5)]
    return make_ds(acc, ip_events=ipe)


def _pool_pairs(f: pd.DataFrame, n: int) -> int:
    ring = (f["a"] < f"u{n:05d}") & (f["b"] < f"u{n:05d}")
    return int((ring & f["reasons"].str.contains("PROXY_IP_POOL")).sum())


def test_accounts_moved_onto_one_closed_pool_of_crowded_exits_are_linked():
    """150 accounts opened elsewhere, then all on the same 12 exits and nothing else: each
    exit is too crowded for a link or `_wide_pool`, but a closed pool (`_closed_pool`)
    ties every pair. Off (`pool_closed_share` 0), nothing links them."""
    ds = _closed_pool_world()
    ev, ps = _pairs(ds)
    assert _pool_pairs(_frame(ev, ps), 150) == 150 * 149 // 2
    ev_off, off = _pairs(ds, params=RingParams(pool_closed_share=0.0))
    assert len(off) == 0


def test_crowded_exits_with_light_strangers_or_sign_ups_on_them_are_no_closed_pool():
    """A carrier's crowded address also carries light users who pass through it (here 20 of
    170 per exit); a campus's students sign up on the network they then use. Neither is an
    operator's closed pool: no pair of the 150 heavy users is linked."""
    ev, ps = _pairs(_closed_pool_world(light=20))
    assert _pool_pairs(_frame(ev, ps), 150) == 0
    ev, ps = _pairs(_closed_pool_world(signed_on_pool=True))
    assert _pool_pairs(_frame(ev, ps), 150) == 0
