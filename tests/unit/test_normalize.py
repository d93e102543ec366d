"""Normalisation of e-mails, phones and IPs (linker.ingest.normalize)."""

from __future__ import annotations

import pandas as pd
import pytest

from linker.ingest.normalize import (
    email_domain,
    ip_subnet,
    normalize_dataset,
    normalize_email,
    normalize_ip,
    normalize_phone,
)
from linker.ingest.read import read_dataset

NA = pd.NA


def _eq(got: pd.Series, expected: list) -> None:
    assert [None if v is NA else v for v in got.tolist()] == [None if v is NA else v
                                                               for v in expected]
    assert str(got.dtype) == "string"


def test_email_case_and_whitespace():
    _eq(normalize_email(pd.Series(["  Bob.Smith@Example.COM ", "ALICE@EXAMPLE.org"])),
        ["bob.smith@example.com", "alice@example.org"])


def test_gmail_ignores_dots_and_tags_and_googlemail_is_gmail():
    got = normalize_email(pd.Series(["J.O.H.N+promo@gmail.com", "john@GoogleMail.com",
                                     "jo.hn+a+b@gmail.com"]))
    _eq(got, ["john@gmail.com", "john@gmail.com", "john@gmail.com"])


def test_dots_matter_and_tags_kept_for_other_providers():
    got = normalize_email(pd.Series(["j.doe+x@example.com", "jdoe@example.com",
                                     "j.doe+x@outlook.com", "j.doe+x@icloud.com",
                                     "j.doe-x@yahoo.com"]))
    _eq(got, ["j.doe+x@example.com", "jdoe@example.com", "j.doe@outlook.com",
              "j.doe@icloud.com", "j.doe-x@yahoo.com"])


@pytest.mark.parametrize("bad", ["", "   ", "no-at-sign", "a@b", "a@@b.com", "a b@c.com",
                                 "@example.com", "+tag@gmail.com", "a@-bad-.com", None])
def test_malformed_email_is_na(bad):
    assert normalize_email(pd.Series([bad], dtype=object)).isna().all()
    assert email_domain(pd.Series([bad], dtype=object)).isna().all()


def test_email_domain():
    _eq(email_domain(pd.Series(["x@GoogleMail.com", "y@Sub.Example.co.uk", "bad"])),
        ["gmail.com", "sub.example.co.uk", None])


def test_phone_with_and_without_country():
    phones = pd.Series(["+1 415-555-2671", "(415) 555-2671", "020 7946 0958", "020 7946 0958",
                        "+44 20 7946 0958", "0044 20 7946 0958"])
    country = pd.Series(["FR", "US", "GB", "uk", None, "GB"])
    _eq(normalize_phone(phones, country),
        ["+14155552671", "+14155552671", "+442079460958", "+442079460958", "+442079460958",
         "+442079460958"])


def test_phone_without_plus_or_country_is_na_and_invalid_is_na():
    got = normalize_phone(pd.Series(["415 555 2671", "+1 555 0000", "call me", "", None],
                                    dtype=object), pd.Series([None, "US", "US", "US", "US"]))
    assert got.isna().all()


def test_phone_with_a_single_region_string():
    _eq(normalize_phone(pd.Series(["415 555 2671"]), "US"), ["+14155552671"])


def test_ip_v4_v6_and_ipv4_mapped():
    got = normalize_ip(pd.Series(["203.0.113.7", " 203.0.113.7 ", "::ffff:203.0.113.7",
                                  "2001:0DB8:0000:0000:0000:0000:0000:0001", "[2001:db8::2]",
                                  "fe80::1%eth0"]))
    _eq(got, ["203.0.113.7", "203.0.113.7", "203.0.113.7", "2001:db8::1", "2001:db8::2",
              "fe80::1"])


@pytest.mark.parametrize("bad", ["256.1.1.1", "1.2.3", "010.1.1.1", "1.2.3.4:443", "host.local",
                                 "2001:db8:::1", "", None])
def test_invalid_ip_is_na(bad):
    assert normalize_ip(pd.Series([bad], dtype=object)).isna().all()
    assert ip_subnet(pd.Series([bad], dtype=object)).isna().all()


def test_subnets_are_slash_24_and_slash_48():
    got = ip_subnet(pd.Series(["203.0.113.7", "::ffff:198.51.100.200", "2001:db8:abcd:12::1",
                               "2001:db8:abcd:ffff::9"]))
    _eq(got, ["203.0.113.0/24", "198.51.100.0/24", "2001:db8:abcd::/48", "2001:db8:abcd::/48"])


def test_v6_subnet_matches_ipaddress_on_random_addresses():
    import ipaddress

    import numpy as np

    rng = np.random.default_rng(7)
    # Many zero groups, so that every '::' placement and zero run length shows up.
    groups = rng.integers(0, 0x10000, (3000, 8)) * (rng.random((3000, 8)) < 0.4)
    ips = [ipaddress.IPv6Address(":".join(f"{g:x}" for g in row)) for row in groups]
    ips = [ip for ip in ips if ip.ipv4_mapped is None]
    got = ip_subnet(pd.Series([ip.exploded for ip in ips])).tolist()
    expected = [str(ipaddress.IPv6Network(f"{ip}/48", strict=False)) for ip in ips]
    assert got == expected


def test_parsers_run_once_per_distinct_value(monkeypatch):
    import linker.ingest.normalize as norm

    calls = []
    real = norm._canonical_ip
    monkeypatch.setattr(norm, "_canonical_ip", lambda v: calls.append(v) or real(v))
    got = normalize_ip(pd.Series(["2001:DB8::1"] * 1000 + ["::ffff:10.0.0.1"] * 1000 +
                                 ["10.0.0.1"] * 1000))
    assert sorted(calls) == ["2001:DB8::1", "::ffff:10.0.0.1"]  # canonical v4 skips the parser
    assert got.value_counts().to_dict() == {"10.0.0.1": 2000, "2001:db8::1": 1000}


def test_empty_series():
    empty = pd.Series([], dtype="string")
    for fn in (normalize_email, email_domain, normalize_ip, ip_subnet):
        assert len(fn(empty)) == 0
    assert len(normalize_phone(empty, empty)) == 0


def test_normalize_dataset_adds_columns_and_keeps_inputs(small_dataset_dir):
    ds = read_dataset(small_dataset_dir())
    before = ds.accounts.copy()
    out = normalize_dataset(ds)
    pd.testing.assert_frame_equal(ds.accounts, before)  # input not mutated
    acc = out.accounts.set_index("account_id")
    assert list(out.accounts.columns[: len(before.columns)]) == list(before.columns)
    assert acc.loc["007", "email_norm"] == "annlee@gmail.com"
    assert acc.loc["007", "email_domain"] == "gmail.com"
    assert acc.loc["007", "phone_e164"] == "+14155552671"
    assert acc.loc["008", "phone_e164"] == "+442079460958"
    assert acc.loc["008", "signup_ip_norm"] == "198.51.100.9"
    assert acc.loc["008", "signup_subnet"] == "198.51.100.0/24"
    assert acc.loc["0100", "signup_subnet"] == "2001:db8:1::/48"
    assert acc.loc["0100", "email_norm"] is NA and acc.loc["0100", "phone_e164"] is NA
    ev = out.ip_events.set_index("account_id")
    assert ev.loc["0100", "ip_norm"] == "2001:db8:1:2::5"
    assert ev.loc["0100", "subnet"] == "2001:db8:1::/48"
    assert ev.loc["007", "subnet"] == "203.0.113.0/24"
    pd.testing.assert_frame_equal(out.payments, ds.payments)


def test_normalize_dataset_on_empty_tables(tmp_path):
    (tmp_path / "accounts.csv").write_text("account_id,created_at\n")
    # header-only accounts are accepted only for a store that already holds accounts
    out = normalize_dataset(read_dataset(tmp_path, known_accounts=pd.Series(["x"], dtype="string")))
    for col in ("email_norm", "email_domain", "phone_e164", "signup_ip_norm", "signup_subnet"):
        assert col in out.accounts.columns
    assert {"ip_norm", "subnet"} <= set(out.ip_events.columns)


def test_asn_spellings_parse_to_the_number_once_per_distinct_value() -> None:
    """ASNs are parsed once per distinct value and mapped back: every row gets its value's
    text, missing and unparseable ones <NA>, the Series keeps its index and name."""
    from linker.ingest.normalize import normalize_asn

    spellings = {"AS0123": "123", "as123": "123", " 123 ": "123", "AS 55": "55", "AS00": "0",
                 "4294967295": "4294967295", "12345678901": None, "AS": None, "x": None,
                 "": None, None: None}
    keys = list(spellings) * 300
    s = pd.Series(keys, index=range(5, 5 + len(keys)), name="asn", dtype="string")
    out = normalize_asn(s)
    assert out.name == "asn" and out.index.equals(s.index)
    assert [None if pd.isna(v) else v for v in out] == [spellings[k] for k in keys]
    assert normalize_asn(pd.Series([64512, None], dtype="Int64")).tolist()[0] == "64512"
