"""STIX 2.1 export: the bundle parses and validates, ids are stable across reruns, attributed
campaigns point at their operator, weak or common values are not shared as indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2
from test_report import small_findings
from typer.testing import CliRunner

from linker.cli import app
from linker.outputs.export import write_outputs
from linker.outputs.stix import STIX_FILE, campaigns_to_stix, stix_pattern


def _by_type(bundle: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for o in bundle["objects"]:
        out.setdefault(o["type"], []).append(o)
    return out


def test_bundle_parses_and_validates() -> None:
    f = small_findings()
    bundle = campaigns_to_stix(f.campaigns, created=f.run["started_at"])
    text = json.dumps(bundle)
    parsed = stix2.parse(text, allow_custom=True)
    assert parsed.type == "bundle" and len(parsed.objects) == len(bundle["objects"])
    validator = pytest.importorskip("stix2validator")
    result = validator.validate_string(text, validator.ValidationOptions())
    assert result.is_valid, [str(e) for e in result.errors]


def test_bundle_content_and_attribution() -> None:
    f = small_findings()
    bundle = campaigns_to_stix(f.campaigns, created=f.run["started_at"])
    t = _by_type(bundle)
    assert len(t["campaign"]) == 2
    assert [a["name"] for a in t["threat-actor"]] == ["Op Alpha"]
    camp = {c["linker_campaign_id"]: c for c in t["campaign"]}
    alpha = next(c for c in f.campaigns if c["operator"])
    sc = camp[alpha["campaign_id"]]
    assert sc["linker_accounts"] == alpha["accounts"] and sc["first_seen"] == alpha["first_seen"]
    rel = [r for r in t["relationship"] if r["relationship_type"] == "attributed-to"]
    assert len(rel) == 1 and rel[0]["source_ref"] == sc["id"]
    assert rel[0]["target_ref"] == t["threat-actor"][0]["id"] and rel[0]["confidence"] == 90
    patterns = {i["pattern"] for i in t["indicator"]}
    assert "[x-linker-prompt:fingerprint = 'tpl-A']" in patterns
    assert "[x-linker-payment-card:bin = '411111']" in patterns
    # weak (AWS ASN matched as intel) and common (gmail.com) values are not shared
    assert not any("autonomous-system" in p or "email-addr" in p for p in patterns)
    indicates = {r["source_ref"] for r in t["relationship"] if r["relationship_type"] == "indicates"}
    assert indicates == {i["id"] for i in t["indicator"]}


def test_ids_are_stable_across_reruns() -> None:
    f = small_findings()
    a = campaigns_to_stix(f.campaigns, created="2026-03-01T00:00:00Z")
    b = campaigns_to_stix(list(reversed(f.campaigns)), created="2026-03-08T00:00:00Z")
    assert sorted(o["id"] for o in a["objects"]) == sorted(o["id"] for o in b["objects"])
    assert a["id"] == b["id"]


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("ip", "203.0.113.7", "[ipv4-addr:value = '203.0.113.7']"),
    ("ip", "2001:DB8::1", "[ipv6-addr:value = '2001:db8::1']"),
    ("cidr", "198.51.100.0/24", "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"),
    ("asn", "AS64500", "[autonomous-system:number = 64500]"),
    ("email_domain", "@Evil.example", "[email-addr:value LIKE '%@evil.example']"),
    ("device_id", "d'1", "[x-linker-device:device_id = 'd\\'1']"),
    ("org_id", "org-9", "[x-linker-org:org_id = 'org-9']"),
    ("card_bin", "411111", "[x-linker-payment-card:bin = '411111']"),
    ("prompt_fingerprint", "pf_1", "[x-linker-prompt:fingerprint = 'pf_1']"),
    ("ip", "not an ip", None),
])
def test_patterns(kind: str, value: str, expected: str | None) -> None:
    assert stix_pattern(kind, value) == expected
    if expected:
        ind = stix2.Indicator(pattern=expected, pattern_type="stix", valid_from="2026-01-01T00:00:00Z",
                              name=kind, description=kind)
        validator = pytest.importorskip("stix2validator")
        result = validator.validate_string(ind.serialize(), validator.ValidationOptions())
        assert result.is_valid, [str(e) for e in result.errors]


def test_cli_export_stix(tmp_path: Path) -> None:
    out = write_outputs(small_findings(), tmp_path / "out")
    res = CliRunner().invoke(app, ["export", "stix", str(out), "--to", str(tmp_path / "b.json"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["objects"]["campaign"] == 2
    stix2.parse((tmp_path / "b.json").read_text(), allow_custom=True)
    res = CliRunner().invoke(app, ["export", "stix", str(out)])
    assert res.exit_code == 0 and (out / STIX_FILE).exists()
    res = CliRunner().invoke(app, ["export", "stix", str(tmp_path / "nope")])
    assert res.exit_code == 2
