"""Attribution: strong indicators name the operator, weak ones never do on their own."""

from __future__ import annotations

import pandas as pd
from test_campaigns import two_operations_world

from linker.campaigns.attribution import (
    AttributionParams,
    attribute,
    match_indicators,
    normalize_indicators,
    observed_values,
)
from linker.campaigns.grouping import build_campaigns


def indicators(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["operator", "kind", "value", "confidence", "source"])


def run(rows: list[tuple]) -> dict[int, dict]:
    ds, rings = two_operations_world()
    out = build_campaigns(ds, rings, indicators=indicators(rows))
    return {c["campaign"]: c for c in out.campaigns}


def test_strong_indicator_attributes_with_confidence() -> None:
    camp = run([("Op Alpha", "prompt_fingerprint", "tpl-A", 0.9, "intel-feed")])
    assert camp[0]["operator"] == "Op Alpha"
    assert camp[0]["confidence"] == 0.9          # covers all accounts: full confidence
    ev = camp[0]["evidence"][0]
    assert ev == {"operator": "Op Alpha", "kind": "prompt_fingerprint", "value": "tpl-A",
                  "confidence": 0.9, "source": "intel-feed", "accounts": 100, "outside": 0,
                  "flagged": 100, "unflagged": 0, "weak": False}
    assert camp[4]["operator"] is None and camp[4]["evidence"] == []


def test_single_weak_indicator_does_not_attribute() -> None:
    camp = run([("Cloud Gang", "asn", "AS16509", 1.0, None)])
    for c in camp.values():
        assert c["operator"] is None and c["confidence"] == 0.0
        assert [e["kind"] for e in c["evidence"]] == ["asn"] and c["evidence"][0]["weak"]
    camp = run([("Mail Gang", "email_domain", "@GMAIL.com", 1.0, None)])
    assert all(c["operator"] is None for c in camp.values())
    assert camp[0]["evidence"][0]["value"] == "gmail.com"


def test_value_common_outside_campaign_is_weak() -> None:
    """A card BIN that hundreds of ordinary accounts also use says nothing about an operator,
    even when some campaign accounts use it and the indicator is confident."""
    ds, rings = two_operations_world()
    bins = ds.payments.set_index("account_id")["card_bin"]
    users = [a for a in bins.index[bins == "424242"] if a.startswith("u")]
    ac = pd.concat([rings.members[["account_id"]], pd.DataFrame({"account_id": users[:30]})])
    ac = ac.assign(campaign=0)
    res = attribute(ac, observed_values(ds), indicators([("Bank Gang", "card_bin", "4242", 1.0, None)]))
    assert res[0]["operator"] is None and res[0]["confidence"] == 0.0
    assert res[0]["evidence"][0]["accounts"] == 30 and res[0]["evidence"][0]["weak"] is True
    # the same BIN used only inside the campaign would attribute
    ac = pd.DataFrame({"account_id": users, "campaign": 0})
    res = attribute(ac, observed_values(ds), indicators([("Bank Gang", "card_bin", "4242", 1.0, None)]))
    assert res[0]["operator"] == "Bank Gang"


def test_weak_adds_to_strong_and_best_operator_wins() -> None:
    camp = run([
        ("Op Alpha", "card_bin", "4111", 0.6, "bins"),          # prefix of 411111/411112
        ("Op Alpha", "asn", "16509", 0.9, None),
        ("Op Beta", "device_id", "dev-a0003", 0.9, None),       # one account of 100
    ])
    a = camp[0]
    assert a["operator"] == "Op Alpha"
    only_strong = 0.6
    assert a["confidence"] > only_strong                       # weak ASN strengthened it
    kinds = [(e["operator"], e["kind"], e["weak"]) for e in a["evidence"]]
    assert ("Op Beta", "device_id", False) in kinds and ("Op Alpha", "asn", True) in kinds
    assert kinds[-1][2] is True                                # weak listed last


def test_single_account_match_is_not_enough_but_many_are() -> None:
    camp = run([("Op Beta", "device_id", "dev-a0003", 0.9, None)])
    assert camp[0]["operator"] is None                          # 0.9 × 0.5 < 0.5
    camp = run([("Op Beta", "device_id", f"dev-a{i:04d}", 0.9, None) for i in range(3)])
    assert camp[0]["operator"] == "Op Beta"


def test_ip_and_cidr_matching() -> None:
    ds, rings = two_operations_world()
    ips = ds.ip_events.set_index("account_id")["ip_norm"]
    ip0 = ips.loc["a0000"]
    net = ".".join(ip0.split(".")[:2]) + ".0.0/16"
    ind = normalize_indicators(indicators([
        ("X", "ip", ip0, 1.0, None), ("Y", "cidr", net, 1.0, None),
        ("Z", "cidr", "2001:db8::/32", 1.0, None), ("W", "asn", "not-a-number", 1.0, None),
    ]))
    assert list(ind["operator"]) == ["X", "Y", "Z"]               # unparseable value dropped
    hits = match_indicators(observed_values(ds), ind)
    obs = observed_values(ds)
    in_net = obs[(obs["kind"] == "ip") & obs["value"].str.startswith(net.split(".0.0/")[0] + ".")]
    assert set(hits.loc[hits["ind"] == 1, "account_id"]) == set(in_net["account_id"])
    assert "a0000" in set(hits.loc[hits["ind"] == 0, "account_id"])


def test_threshold_is_a_parameter() -> None:
    ds, rings = two_operations_world()
    ac = rings.members[["account_id"]].assign(campaign=rings.members["ring"] // 4 * 4)
    ind = indicators([("Op Alpha", "prompt_fingerprint", "tpl-A", 0.4, None)])
    assert attribute(ac, observed_values(ds), ind)[0]["operator"] is None
    low = AttributionParams(threshold=0.3)
    assert attribute(ac, observed_values(ds), ind, low)[0]["operator"] == "Op Alpha"


def test_observed_values_from_one_coded_pass_match_a_second_pass() -> None:
    """build_campaigns extracts the campaign features and the indicator kinds in one
    identifiers pass with integer codes; the observed values (sign-up and session IPs
    merged, repeats dropped) must be those of a separate extraction, row for row."""
    from linker.campaigns.attribution import source_kinds
    from linker.campaigns.grouping import FEATURE_TABLES, account_features, feature_kinds
    from linker.detect.evidence import identifiers_split

    ds, _ = two_operations_world()
    ds.ip_events = pd.concat([ds.ip_events, ds.ip_events.head(5)], ignore_index=True)
    for wanted in ({"cidr", "asn", "card_bin"}, {"ip", "prompt_fingerprint"}, None):
        extra = source_kinds(wanted) - feature_kinds()
        feat, ex = identifiers_split(ds, feature_kinds() | extra, FEATURE_TABLES, True, extra)
        known = account_features(ds, extracted=feat, codes=True)
        pd.testing.assert_frame_equal(known[["account_id", "kind", "value"]], account_features(ds))
        one = observed_values(ds, wanted, known, extracted=ex)
        two = observed_values(ds, wanted, account_features(ds))
        pd.testing.assert_frame_equal(one, two)
        assert len(one) and (wanted is None or "ip" in set(one["kind"]) or "ip" not in wanted)
