"""Which of a campaign's indicators are worth sharing with other platforms (the STIX bundle).

A campaign report and a STIX bundle travel further than a review queue: a public mail provider
or a cloud ASN exported as malicious harms innocent users everywhere. So every candidate (a
matched threat-intel indicator, or a value of the campaign's own infrastructure) is judged on
this run's data alone, and shared only when it is specific to the campaign, not public, not
used more by unflagged than by flagged accounts, carries a confidence, and comes from a
campaign confirmed by suspensions (a review-only campaign is a lead, not a finding). The
others stay in the report, marked weak, with the reasons why. Pure functions over campaign records.
"""

from __future__ import annotations

from typing import Any

from linker.kinds import BY_NAME, infrastructure_keys
from linker.settings import SharingParams

# campaign `infrastructure` key → indicator kind (asns → asn, prompt_fingerprints → ...)
INFRA_KINDS: dict[str, str] = {key: str(BY_NAME[kind].indicator)
                               for key, kind in infrastructure_keys().items()}


def _candidates(c: dict[str, Any]) -> list[dict[str, Any]]:
    """Threat-intel matches first, then the campaign's own infrastructure, one per value."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for e in c.get("evidence") or []:
        key = (str(e.get("kind")), str(e.get("value")))
        rows.setdefault(key, {
            "kind": key[0], "value": key[1], "origin": "threat-intel",
            "operator": e.get("operator"), "source": e.get("source"),
            "base": float(e.get("confidence") or 0.0), "accounts": int(e.get("accounts") or 0),
            "outside": e.get("outside"), "flagged": e.get("flagged"),
            "unflagged": e.get("unflagged"), "matched_weak": bool(e.get("weak"))})
    base = float(c.get("campaign_confidence") or 0.0)
    for infra_key, kind in INFRA_KINDS.items():
        for e in (c.get("infrastructure") or {}).get(infra_key) or []:
            value = str(e.get("asn") if kind == "asn" else e.get("value"))
            rows.setdefault((kind, value), {
                "kind": kind, "value": value, "origin": "observed", "operator": None,
                "source": "linker", "base": base, "accounts": int(e.get("accounts") or 0),
                "outside": e.get("outside"), "flagged": e.get("flagged"),
                "unflagged": e.get("unflagged"), "matched_weak": False})
    return list(rows.values())


def judge(row: dict[str, Any], p: SharingParams, campaign_confidence: float = 1.0) -> list[str]:
    """Why a candidate of a campaign of `campaign_confidence` must not be shared (empty:
    share it)."""
    why: list[str] = []
    if campaign_confidence < p.min_campaign_confidence:
        why.append(f"campaign confidence {campaign_confidence:.2f} below "
                   f"{p.min_campaign_confidence:.2f}: no account suspended, review it first")
    accounts = int(row["accounts"])
    if row["outside"] is None or row["flagged"] is None or row["unflagged"] is None:
        return ["no counts of who else uses it"]
    outside, flagged, unflagged = int(row["outside"]), int(row["flagged"]), int(row["unflagged"])
    if row["kind"] in p.never_kinds:
        why.append(f"{row['kind']}: a provider, never an operator's own indicator")
    if row["matched_weak"]:
        why.append("weak threat-intel match")
    if accounts < p.min_accounts:
        why.append(f"used by {accounts} campaign account(s)")
    if unflagged > flagged:
        why.append(f"more unflagged ({unflagged}) than flagged ({flagged}) accounts use it")
    if unflagged >= p.public_unflagged and unflagged > p.public_ratio * flagged:
        why.append(f"public: {unflagged} unflagged accounts use it")
    elif row["kind"] in p.private_kinds and unflagged > 0:
        why.append(f"{unflagged} unflagged account(s) use it")
    if outside > max(p.outside_min, p.outside_ratio * accounts):
        why.append(f"not specific: {outside} accounts outside the campaign use it")
    if row["confidence"] < p.min_confidence:
        why.append(f"confidence {row['confidence']:.2f} below {p.min_confidence:.2f}")
    return why


def campaign_indicators(c: dict[str, Any], params: SharingParams | None = None) -> list[dict[str, Any]]:
    """The campaign's indicator candidates, each with who uses it in this run (campaign
    `accounts`, `outside` it, `flagged`, `unflagged`), a `confidence` (the source's, or the
    campaign's, × the share of its users inside the campaign), `weak` and `why` (reasons not
    to share it). Only entries with weak False go to STIX."""
    p = params or SharingParams()
    out: list[dict[str, Any]] = []
    for row in _candidates(c):
        total = row["accounts"] + int(row["outside"] or 0)
        purity = row["accounts"] / total if total else 0.0
        row["confidence"] = round(row.pop("base") * purity, 4)
        why = judge(row, p, float(c.get("campaign_confidence") or 0.0))
        row.pop("matched_weak")
        out.append({**row, "weak": bool(why), "why": why})
    out.sort(key=lambda r: (r["weak"], -r["confidence"], -r["accounts"], r["kind"], r["value"]))
    return out
