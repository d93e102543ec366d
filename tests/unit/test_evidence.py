"""Evidence rows: every identifier becomes account × identifier rows; allow-listed ones
are set apart and link nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ringdata import T0, make_ds

from linker.detect.evidence import build_evidence, build_evidence_table, in_cidrs
from linker.detect.reasons import BIT


def _ds():
    accounts = [
        dict(account_id="a1", created_at=T0, email="John.Doe+x@gmail.com", phone="+14155550123",
             signup_ip="203.0.113.5", device_id="dev1", org_id="acme"),
        dict(account_id="a2", created_at=T0 + pd.Timedelta(hours=1), email="x@tiny-corp.io",
             signup_ip="198.51.100.7", device_id="dev1"),
        dict(account_id="a3", created_at=T0 + pd.Timedelta(hours=2), email="y@tiny-corp.io"),
    ]
    payments = [dict(account_id="a1", card_fingerprint="card9", card_bin="411111",
                     billing_postal_code="94107"),
                dict(account_id="a2", card_fingerprint="card9", card_bin="411111",
                     billing_postal_code="94107")]
    ip_events = [dict(account_id="a1", ip="203.0.113.5", seen_at=T0, asn=64500),
                 dict(account_id="a1", ip="203.0.113.5", seen_at=T0 + pd.Timedelta(days=2),
                      asn=64500)]
    requests = [dict(account_id="a1", ts=T0 + pd.Timedelta(days=3), ip="203.0.113.5", count=5,
                     api_key_id="k1", prompt_fingerprint="p1", capability="coding")]
    return make_ds(accounts, payments, ip_events, requests)


def test_every_identifier_kind_becomes_rows():
    ev = build_evidence(_ds())
    a1 = ev[ev["account_id"] == "a1"]
    got = set(zip(a1["kind"], a1["value"], strict=True))
    assert ("email", "johndoe@gmail.com") in got
    assert ("phone", "+14155550123") in got
    assert ("signup_ip", "203.0.113.5") in got
    assert ("ip", "203.0.113.5") in got
    assert ("subnet", "203.0.113.0/24") in got
    assert ("asn", "64500") in got
    assert ("device", "dev1") in got
    assert ("card", "card9") in got
    assert ("card_bin_postal", "411111|94107") in got
    assert ("api_key", "k1") in got
    assert ("prompt", "p1") in got
    assert ("org", "acme") in got
    assert set(ev.columns) == {"account_id", "kind", "value", "first_seen", "last_seen", "count"}


def test_ip_seen_in_events_and_requests_is_aggregated():
    ev = build_evidence(_ds())
    ip = ev[(ev["account_id"] == "a1") & (ev["kind"] == "ip")].iloc[0]
    assert ip["count"] == 2 + 5  # two events + five exchanges
    assert ip["first_seen"] == T0
    assert ip["last_seen"] == T0 + pd.Timedelta(days=3)


def test_common_email_domains_are_not_evidence():
    ds = _ds()
    table, _ = build_evidence_table(ds, rare_domain_max=1)
    frame = table.to_frame()
    # tiny-corp.io has 2 > 1 accounts: not rare any more
    assert frame[frame["kind"] == "email_domain"].empty
    frame = build_evidence(ds)  # default: rare up to 25
    doms = frame.loc[frame["kind"] == "email_domain", "value"]
    assert set(doms) == {"tiny-corp.io"}  # gmail.com is a public provider: never evidence


def test_allowlisted_identifiers_are_set_apart():
    allow = pd.DataFrame({"kind": ["card_fingerprint", "cidr", "device_id", "org_id"],
                          "value": ["card9", "203.0.113.0/25", "dev1", "acme"],
                          "note": ["", "", "", ""]})
    kept, allowed = build_evidence_table(_ds(), allow)
    kept_f, allowed_f = kept.to_frame(), allowed.to_frame()
    assert "card" not in set(kept_f["kind"])
    assert "device" not in set(kept_f["kind"])
    assert "org" not in set(kept_f["kind"])
    # 203.0.113.5 is inside the /25; 198.51.100.7 is not
    ips = set(kept_f.loc[kept_f["kind"].isin(["ip", "signup_ip"]), "value"])
    assert ips == {"198.51.100.7"}
    # the /24 network is not inside a /25, so the subnet stays
    assert "203.0.113.0/24" in set(kept_f.loc[kept_f["kind"] == "subnet", "value"])
    assert {"card", "device", "org", "ip", "signup_ip"} <= set(allowed_f["kind"])


def test_in_cidrs_v4_and_v6():
    vals = pd.Series(["10.1.2.3", "10.2.0.1", "10.1.0.0/16", "10.0.0.0/8", "2001:db8::1",
                      "2001:db9::1", None], dtype=object)
    got = in_cidrs(vals, ["10.1.0.0/16", "2001:db8::/32", "not-a-cidr"])
    assert got.tolist() == [True, False, True, False, True, False, False]


def test_unknown_account_rows_are_ignored():
    ds = _ds()
    ds.payments.loc[len(ds.payments)] = ds.payments.iloc[0]
    ds.payments.loc[len(ds.payments) - 1, "account_id"] = "ghost"
    table, _ = build_evidence_table(ds)
    assert (table.acct >= 0).all()
    assert np.all(table.accounts.to_numpy()[table.acct] != "ghost")


def test_ip_rotation_counts_distinct_networks_per_account():
    """Five distinct ASNs or more in an account's own connections is rotation; a person on a
    home ISP, a carrier and an office (three) is not, however often each is seen."""
    from linker.detect.evidence import ip_rotation
    from linker.settings import RingParams

    accounts = [dict(account_id=a, created_at=T0) for a in ("hop", "person")]
    events = [dict(account_id="hop", ip=f"198.51.{i}.9", seen_at=T0 + pd.Timedelta(hours=i), asn=64500 + i)
              for i in range(5)]
    events += [dict(account_id="person", ip=f"203.0.{i % 3}.5", seen_at=T0 + pd.Timedelta(hours=i),
                    asn=64600 + i % 3) for i in range(30)]
    ev, _ = build_evidence_table(make_ds(accounts, ip_events=events))
    assert ip_rotation(ev, RingParams()).tolist() == [True, False]  # codes follow sorted ids
    assert not ip_rotation(ev, RingParams(rotation_min_asns=0)).any()


def test_phone_blocks_are_evidence_only_where_many_numbers_of_the_block_sign_up():
    """A SIM farm's accounts each have their own number from one block of 100; people's
    numbers fall in blocks one by one. Only blocks with at least `phone_block_min` distinct
    numbers are evidence, one row per account, and a block links nobody by itself."""
    from linker.detect.evidence import dense_blocks, phone_blocks
    from linker.detect.links import identifier_pairs
    from linker.settings import RingParams

    farm = [dict(account_id=f"f{i}", created_at=T0, phone=f"+2010748610{i:02d}") for i in range(6)]
    people = [dict(account_id=f"p{i}", created_at=T0, phone=f"+4479460{i:02d}{i:03d}")
              for i in range(6)]
    family = [dict(account_id=f"h{i}", created_at=T0, phone=f"+3361234560{i}") for i in range(3)]
    twice = [dict(account_id="t1", created_at=T0, phone="+2010748610" + "00")]  # f0's number
    ds = make_ds(farm + people + family + twice)
    ev, _ = build_evidence_table(ds)
    rows = ev.to_frame()
    blk = rows[rows["kind"] == "phone_block"]
    assert set(blk["account_id"]) == {f"f{i}" for i in range(6)} | {"t1"}
    assert set(blk["value"]) == {"+2010748610"}
    ev5, _ = build_evidence_table(ds, phone_block_min=8)
    assert (ev5.to_frame()["kind"] != "phone_block").all()
    assert not (identifier_pairs(ev, RingParams()).bits & BIT["SHARED_PHONE_BLOCK"]).any()
    cut = phone_blocks(pd.Series(["+447946012345", "+123", None], dtype="string"))
    assert cut.iloc[0] == "+4479460123" and cut.iloc[1:].isna().all()
    assert dense_blocks(pd.Series(["a", "a"], dtype="string"), pd.Series(["x", "y"], dtype="string"),
                        0).isna().all()


def test_account_codes_are_remembered_per_column_and_stay_the_callers_own():
    from linker.detect.evidence import account_codes

    accounts = pd.Index(pd.array(["a1", "a2", "a3"], dtype="string[pyarrow]"))
    col = pd.Series(pd.array(["a3", "a1", None, "zz", "a3"], dtype="string[pyarrow]"))
    first = account_codes(accounts, col)
    assert first.tolist() == [2, 0, -1, -1, 2]
    first[:] = 99  # the caller's copy: the remembered codes must not change
    assert account_codes(accounts, col).tolist() == [2, 0, -1, -1, 2]
    # the accounts' own column in their order: positions
    own = pd.Series(accounts.array)
    assert account_codes(accounts, own).tolist() == [0, 1, 2]
    # another index is another code space (the memory is not shared across indexes)
    other = pd.Index(pd.array(["a3", "a1"], dtype="string[pyarrow]"))
    assert account_codes(other, col).tolist() == [0, 1, -1, -1, 0]
    # an equal but different column is coded on its own
    col2 = pd.Series(pd.array(["a2", "a2"], dtype="string[pyarrow]"))
    assert account_codes(accounts, col2).tolist() == [1, 1]


def test_evidence_table_aggregated_on_a_thread_pool_is_the_same():
    """Kinds aggregated on two threads give every row, code and time the one-by-one path
    gives, in the same order (by kind, value, account)."""
    from concurrent.futures import ThreadPoolExecutor

    from ringdata import background

    rows = background(300)
    for i in range(40):  # shared cards, devices and sign-up IPs, repeated payments
        rows.append(dict(account_id=f"r{i:02d}", created_at=T0 + pd.Timedelta(minutes=7 * i),
                         email=f"r{i}@mail.test", signup_ip=f"10.9.{i % 4}.1",
                         device_id=f"dev-{i % 5}", card_fp=f"card-{i % 3}", card_bin="411111"))
    ds = make_ds(rows)
    one, one_allowed = build_evidence_table(ds)
    with ThreadPoolExecutor(2) as pool:
        two, two_allowed = build_evidence_table(ds, pool=pool)
    assert len(one) > 1000 and len(np.unique(one.kind)) >= 4
    for a, b in ((one, two), (one_allowed, two_allowed)):
        for col in ("acct", "kind", "vcode", "first_seen", "last_seen", "count", "values"):
            assert np.array_equal(getattr(a, col), getattr(b, col)), col
    key = (one.kind.astype(np.int64) << 52) | (one.vcode << 22) | one.acct
    assert (np.diff(key) > 0).all()  # sorted, one row per (kind, value, account)


def test_account_codes_against_two_indexes_from_two_threads_are_each_their_own():
    """Ring detection (sorted ids) and the campaigns (first-seen ids) code the same columns
    side by side: each gets positions in its own index, never the other's remembered ones."""
    from concurrent.futures import ThreadPoolExecutor

    from linker.detect.evidence import account_codes

    rng = np.random.default_rng(4)
    ids = [f"acct-{i:05d}" for i in rng.permutation(3_000)]
    first_seen = pd.Index(ids)
    sorted_ids = pd.Index(sorted(ids))
    columns = [pd.Series(rng.choice(ids, size=5_000), dtype="string") for _ in range(4)]

    def code_all(index: pd.Index) -> list[np.ndarray]:
        return [account_codes(index, c) for _ in range(5) for c in columns]

    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(code_all, (first_seen, sorted_ids))
    for index, got in ((first_seen, a), (sorted_ids, b)):
        for codes, col in zip(got, columns * 5, strict=True):
            assert np.array_equal(codes, index.get_indexer(col.to_numpy(dtype=object)))


def test_combine_parts_packed_key_and_lexsort_agree():
    """The per-kind packed-key aggregation and the lexsort one (more accounts or values
    than one int64 key holds, forced here by a huge account count) give the same rows: min
    first (an unknown time loses), max last, summed counts, per (account, kind, value)."""
    from linker.detect.evidence import _combine_parts, _part

    t = pd.to_datetime(["2026-01-03", "2026-01-01", "NaT", "2026-01-02", "2026-01-05"]
                       ).to_numpy().astype("datetime64[ns]")
    acct = np.array([2, 2, 0, 1, 2], dtype=np.int64)

    def parts():
        return [_part(acct, "device", pd.Series(["d1", "d1", "d2", "d2", "d3"]), t, t,
                      np.array([1, 2, 1, 1, 4], dtype=np.int64)),
                _part(acct[:3], "email", pd.Series(["e", "e", "e"]), t[:3], t[:3],
                      np.ones(3, dtype=np.int64))]

    packed = _combine_parts(parts(), 3)
    lexed = _combine_parts(parts(), 2**60)
    for x, y in zip(packed, lexed, strict=True):
        assert np.array_equal(x.view(np.int64) if x.dtype.kind == "M" else x,
                              y.view(np.int64) if y.dtype.kind == "M" else y)
    # device d1 on account 2: two rows, first the earlier, count summed
    acct_g, kind_g, vcode_g, first, last, count, values = packed
    row = np.flatnonzero((acct_g == 2) & (values[vcode_g] == "d1"))[0]
    assert first[row] == np.datetime64("2026-01-01") and last[row] == np.datetime64("2026-01-03")
    assert count[row] == 3
