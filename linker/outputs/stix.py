"""Campaigns as a STIX 2.1 bundle, for threat-intel platforms (OpenCTI, MISP, TAXII feeds).

One `campaign` per campaign; attributed ones get a `threat-actor` (one per operator, shared
across campaigns) and an `attributed-to` relationship carrying the confidence. Matched
indicators judged shareable by `linker.campaigns.sharing` become `indicator` objects with
`indicates` relationships. Standard observables are used where they fit (IPv4/IPv6, CIDR,
autonomous system, e-mail address); card BINs, prompt templates, devices and orgs have no
standard observable and use `x-linker-*` object types in the pattern. linker's own
properties (accounts, exchanges, ...) are declared by a toplevel-property extension definition.

Ids are uuid5 of the campaign id and the value, so a rerun gives the same STIX ids and a
platform updates its objects instead of duplicating them.
"""

from __future__ import annotations

import ipaddress
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import stix2

from linker import __version__
from linker.model import Findings

NAMESPACE = uuid.UUID("4f1c6a0e-8a43-5b52-9d0e-6c1e7f3a2b10")
STIX_FILE = "campaigns.stix.json"

# linker's own properties, declared by a STIX 2.1 toplevel-property extension definition
EXTENSION_PROPERTIES = {
    "linker_campaign_id": "the campaign_id of campaigns.json (stable across runs)",
    "linker_accounts": "number of accounts in the campaign",
    "linker_exchanges": "number of API exchanges made by the campaign's accounts",
    "linker_clusters": "cluster_id of each ring in the campaign",
    "linker_capabilities": "share of the campaign's exchanges per capability",
    "linker_kind": "indicator kind in linker's vocabulary (ip, cidr, asn, card_bin, ...)",
    "linker_origin": "threat-intel (a matched indicator) or observed (campaign infrastructure)",
    "linker_weak": "always false: weak values (ASN, public or common) are never exported",
    "linker_flagged_accounts": "accounts flagged in this run (any ring) that use the value",
    "linker_unflagged_accounts": "accounts not flagged in this run that use the value",
    "linker_outside_accounts": "accounts outside the campaign that use the value",
    "linker_campaign_confidence": "confidence that the campaign is one operator's (0..1)",
    "linker_operator": "operator named by the matched threat-intel indicator",
    "linker_source": "source of the matched threat-intel indicator",
}

CUSTOM_OBJECTS = {
    "card_bin": ("x-linker-payment-card", "bin"),
    "prompt_fingerprint": ("x-linker-prompt", "fingerprint"),
    "device_id": ("x-linker-device", "device_id"),  # `id` is reserved in patterns
    "org_id": ("x-linker-org", "org_id"),
}


def stix_id(kind: str, *parts: object) -> str:
    """Deterministic STIX id: `kind--uuid5(namespace, parts)`."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(str(p) for p in parts))}"


def _quote(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def stix_pattern(kind: str, value: str) -> str | None:
    """STIX pattern for one indicator value, or None when it cannot be expressed."""
    v = str(value)
    if kind == "ip":
        try:
            ip = ipaddress.ip_address(v)
        except ValueError:
            return None
        return f"[ipv{ip.version}-addr:value = {_quote(ip.compressed)}]"
    if kind == "cidr":
        try:
            net = ipaddress.ip_network(v, strict=False)
        except ValueError:
            return None
        return f"[ipv{net.version}-addr:value ISSUBSET {_quote(str(net))}]"
    if kind == "asn":
        digits = v.upper().removeprefix("AS").strip()
        return f"[autonomous-system:number = {int(digits)}]" if digits.isdigit() else None
    if kind == "email_domain":
        return f"[email-addr:value LIKE {_quote('%@' + v.lower().lstrip('@'))}]"
    if kind in CUSTOM_OBJECTS:
        obj, prop = CUSTOM_OBJECTS[kind]
        return f"[{obj}:{prop} = {_quote(v)}]"
    return None


def _ts(value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc)


def _indicator_rows(c: dict[str, Any]) -> list[dict[str, Any]]:
    """The campaign's shareable indicators: entries of `indicators` (judged by
    linker.campaigns.sharing) that are not weak. Weak ones stay in the report only; a campaign
    record without `indicators` (an older campaigns.json) shares none."""
    return [r for r in c.get("indicators") or [] if not r.get("weak") and r.get("why") == []]


def campaigns_to_stix(campaigns: list[dict[str, Any]], created: str | None = None) -> dict[str, Any]:
    """A STIX 2.1 bundle (as a JSON-ready dict) for the campaigns of one run. `created` (ISO
    8601) stamps every object; default now."""
    now = _ts(created, datetime.now(timezone.utc).replace(microsecond=0))
    identity = stix2.Identity(id=stix_id("identity", "linker"), name="linker",
                              identity_class="system", created=now, modified=now,
                              description=f"linker {__version__}: fraud-ring and campaign detection")
    ext = stix2.ExtensionDefinition(
        id=stix_id("extension-definition", "linker", "toplevel", "1.0"), created=now, modified=now,
        created_by_ref=identity.id, name="linker campaign properties", version="1.0",
        description="Top-level properties that linker adds to campaigns and indicators.",
        schema="; ".join(f"{k}: {v}" for k, v in EXTENSION_PROPERTIES.items()),
        extension_types=["toplevel-property-extension"],
        extension_properties=list(EXTENSION_PROPERTIES))
    objects: list[Any] = [identity, ext]
    actors: dict[str, Any] = {}
    common = {"created": now, "modified": now, "created_by_ref": identity.id, "allow_custom": True}
    extended = {"extensions": {ext.id: {"extension_type": "toplevel-property-extension"}}}
    for c in sorted(campaigns, key=lambda c: str(c.get("campaign_id"))):
        cid = str(c.get("campaign_id"))
        first, last = _ts(c.get("first_seen"), now), _ts(c.get("last_seen"), now)
        camp = stix2.Campaign(
            id=stix_id("campaign", cid), name=f"linker campaign {cid}",
            description=(f"{int(c.get('accounts') or 0)} accounts in "
                         f"{len(c.get('clusters') or [])} ring(s), "
                         f"{int(c.get('exchanges') or 0)} exchanges"),
            first_seen=first, last_seen=max(first, last), objective="model capability extraction",
            linker_campaign_id=cid, linker_accounts=int(c.get("accounts") or 0),
            linker_exchanges=int(c.get("exchanges") or 0),
            linker_clusters=[str(x) for x in c.get("clusters") or []],
            linker_capabilities={str(k): float(v) for k, v in (c.get("capabilities") or {}).items()},
            linker_campaign_confidence=float(c.get("campaign_confidence") or 0.0),
            confidence=int(round(100 * float(c.get("campaign_confidence") or 0.0))),
            **extended, **common,
        )
        objects.append(camp)
        op = c.get("operator")
        if op:
            if op not in actors:
                actors[op] = stix2.ThreatActor(id=stix_id("threat-actor", op), name=str(op),
                                               threat_actor_types=["criminal"], **common)
                objects.append(actors[op])
            objects.append(stix2.Relationship(
                id=stix_id("relationship", cid, "attributed-to", op),
                relationship_type="attributed-to", source_ref=camp.id, target_ref=actors[op].id,
                confidence=int(round(100 * float(c.get("confidence") or 0))), **common))
        for row in _indicator_rows(c):
            pattern = stix_pattern(row["kind"], row["value"])
            if pattern is None:
                continue
            extra: dict[str, Any] = {"linker_kind": row["kind"], "linker_origin": row["origin"],
                                     "linker_weak": False, **extended,
                                     "linker_flagged_accounts": int(row["flagged"]),
                                     "linker_unflagged_accounts": int(row["unflagged"]),
                                     "linker_outside_accounts": int(row["outside"])}
            if row["operator"]:
                extra["linker_operator"] = str(row["operator"])
            if row["source"]:
                extra["linker_source"] = str(row["source"])
            if row["confidence"] is not None:
                extra["confidence"] = int(round(100 * float(row["confidence"])))
            ind = stix2.Indicator(
                id=stix_id("indicator", cid, row["kind"], row["value"]),
                name=f"{row['kind']} {row['value']}", pattern=pattern, pattern_type="stix",
                description=(f"{'Known indicator of ' + str(row['operator']) if row['operator'] else 'Infrastructure'}"
                             f" used by {int(row['accounts'] or 0)} account(s) of linker campaign {cid}"),
                valid_from=first,
                indicator_types=["attribution"] if row["origin"] == "threat-intel" else ["malicious-activity"],
                **extra, **common)
            objects.append(ind)
            objects.append(stix2.Relationship(
                id=stix_id("relationship", cid, "indicates", row["kind"], row["value"]),
                relationship_type="indicates", source_ref=ind.id, target_ref=camp.id, **common))
    bundle = stix2.Bundle(objects=objects, id=stix_id("bundle", *sorted(str(o.id) for o in objects)),
                          allow_custom=True)
    return json.loads(bundle.serialize())


def write_stix(findings: Findings, target_dir: Path) -> None:
    """Writer for export.write_outputs: campaigns.stix.json."""
    bundle = campaigns_to_stix(findings.campaigns, created=(findings.run or {}).get("started_at"))
    (Path(target_dir) / STIX_FILE).write_text(json.dumps(bundle, indent=2, sort_keys=True) + "\n")
