"""Identifier kinds: one row per kind of shared identifier, read by every stage.

A row says where the identifier comes from, how strong a link through it is, how many
sharers make it a hub, which reason code a link through it carries, which allowlist and
indicator kinds name it, and what it weighs when rings are grouped into campaigns. Adding
a kind means one row here plus its extraction in `linker.detect.evidence`.

Pure data: no imports from other stages, so any stage can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Strength = Literal["strong", "medium", "weak", "none"]


@dataclass(frozen=True)
class Kind:
    name: str                      # evidence kind (the `kind` column of the evidence table)
    source: str                    # where it comes from ("table.column", after normalisation)
    normalisation: str             # what is done to the raw value before comparing
    strength: Strength             # link class: strong identity / medium network / weak pattern
    link_weight: float             # weight of a link through a value shared by exactly 2 accounts
    hub_cap: int                   # values shared by more accounts than this link nothing
    reason: str | None             # reason code of a link through it (None: never links)
    banded: bool = False           # hubs up to hub_band_mult × cap still link a few neighbours
    allowlist: tuple[str, ...] = ()  # allowlist kinds that neutralise it
    indicator: str | None = None   # indicator kind that matches it (indicators.csv `kind`)
    campaign_weight: float = 0.0   # weight in the ring → campaign affinity (0: not used)
    campaign_strong: bool = False  # can tie two rings on its own (else only adds to strong)
    evidence: bool = True          # kept in the evidence table (False: describes campaigns only)
    request_column: str | None = None  # column of `requests` it is aggregated from, if any
    burst_weight: float = 0.0      # sign-ups in one burst on a shared value link with this weight
    context: bool = False          # describes where accounts come from (drawn last in pictures)
    infrastructure: str | None = None  # key of a campaign's `infrastructure` listing its values


KINDS: tuple[Kind, ...] = (
    Kind("email", "accounts.email", "lower-case; gmail dots and +tags removed", "strong",
         3.0, 30, "SHARED_EMAIL", banded=True),
    Kind("email_domain", "accounts.email", "domain part; public mail providers and domains "
         "of more than rare_domain_max accounts dropped", "medium", 0.6, 25,
         "RARE_EMAIL_DOMAIN", allowlist=("email_domain",), indicator="email_domain",
         campaign_weight=0.4, context=True, infrastructure="email_domains"),
    Kind("phone", "accounts.phone", "E.164 with the account's country", "strong", 3.0, 30,
         "SHARED_PHONE", banded=True),
    # links nothing (a block of 100 numbers would glue a SIM farm to everything near it):
    # ring scoring reads it, as SHARED_PHONE_BLOCK, between accounts already in one ring
    Kind("phone_block", "accounts.phone", "E.164 without its last two digits (a block of 100 "
         "numbers), only where at least phone_block_min_numbers distinct numbers of the block "
         "signed up", "none", 0.0, 0, None),
    Kind("signup_ip", "accounts.signup_ip", "canonical IP text", "medium", 1.0, 40,
         "SHARED_SIGNUP_IP", allowlist=("ip", "cidr"), indicator="ip"),
    Kind("ip", "ip_events.ip, requests.ip", "canonical IP text", "medium", 0.6, 40,
         "SHARED_IP", allowlist=("ip", "cidr"), indicator="ip", request_column="ip"),
    Kind("subnet", "accounts.signup_ip, ip_events.ip, requests.ip", "/24 (IPv4) or /48 (IPv6)",
         "weak", 0.3, 30, "SHARED_SUBNET", allowlist=("cidr",), indicator="cidr",
         campaign_weight=0.6, campaign_strong=True, burst_weight=0.8, context=True),
    Kind("asn", "ip_events.asn", "integer, no AS prefix", "weak", 0.0, 0, None,
         allowlist=("asn",), indicator="asn", campaign_weight=0.3, burst_weight=0.5,
         context=True, infrastructure="asns"),
    Kind("device", "accounts.device_id", "trimmed", "strong", 3.0, 60, "SHARED_DEVICE",
         banded=True, allowlist=("device_id",), indicator="device_id", campaign_weight=1.0,
         campaign_strong=True),
    Kind("card", "payments.card_fingerprint", "trimmed", "strong", 3.0, 60, "SHARED_CARD",
         banded=True, allowlist=("card_fingerprint",), campaign_weight=1.0,
         campaign_strong=True),
    Kind("card_bin_postal", "payments.card_bin + billing_postal_code", "BIN|POSTCODE "
         "(upper-case)", "medium", 0.6, 25, "SHARED_BIN_POSTAL", campaign_weight=1.0,
         campaign_strong=True),
    Kind("api_key", "requests.api_key_id", "trimmed", "strong", 3.0, 100, "SHARED_API_KEY",
         banded=True, campaign_weight=1.0, campaign_strong=True, request_column="api_key_id"),
    Kind("prompt", "requests.prompt_fingerprint", "trimmed", "weak", 0.6, 150,
         "SHARED_PROMPT_TEMPLATE", indicator="prompt_fingerprint", campaign_weight=1.0,
         campaign_strong=True, request_column="prompt_fingerprint",
         infrastructure="prompt_fingerprints"),
    Kind("org", "accounts.org_id", "trimmed", "none", 0.0, 0, None, allowlist=("org_id",),
         indicator="org_id", campaign_weight=0.8, campaign_strong=True),
    Kind("card_bin", "payments.card_bin", "trimmed", "none", 0.0, 0, None,
         indicator="card_bin", evidence=False, burst_weight=0.5,
         # an operator buys every card from one virtual BIN that ordinary users hardly use
         # (a big bank's BIN weighs zero in campaign grouping, as gmail.com does)
         campaign_weight=0.5, campaign_strong=True, infrastructure="card_bins"),
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
# kinds of the evidence table (ring detection); the rest only describe campaigns
EVIDENCE: tuple[str, ...] = tuple(k.name for k in KINDS if k.evidence)


def link_reasons() -> dict[str, str]:
    """Kind → reason code, for the kinds that link accounts."""
    return {k.name: k.reason for k in KINDS if k.reason}


def reasons_of(strength: Strength) -> frozenset[str]:
    """Reason codes of the identifier links of one strength class."""
    return frozenset(k.reason for k in KINDS if k.reason and k.strength == strength)


def default_link_weights() -> dict[str, float]:
    return {k.name: k.link_weight for k in KINDS if k.reason}


def default_hub_caps() -> dict[str, int]:
    return {k.name: k.hub_cap for k in KINDS if k.reason}


def banded_kinds() -> tuple[str, ...]:
    return tuple(k.name for k in KINDS if k.banded)


def allowlist_map() -> dict[str, tuple[str, ...]]:
    """Allowlist kind → evidence kinds it neutralises (`cidr` works by containment)."""
    out: dict[str, list[str]] = {}
    for k in KINDS:
        for a in k.allowlist:
            out.setdefault(a, []).append(k.name)
    return {a: tuple(v) for a, v in out.items()}


def campaign_weights(strong: bool) -> dict[str, float]:
    """Kind → weight in the ring affinity, for the strong (or the weak) campaign kinds."""
    return {k.name: k.campaign_weight for k in KINDS
            if k.campaign_weight > 0 and k.campaign_strong == strong}


def indicator_map() -> dict[str, str]:
    """Kind → the indicator kind that matches its values exactly (cidr matches by
    containment of `ip` values instead)."""
    return {k.name: k.indicator for k in KINDS if k.indicator and k.indicator != "cidr"}


def request_columns() -> dict[str, str]:
    """Kind → the `requests` column it is aggregated from (api_key, ip, prompt)."""
    return {k.name: k.request_column for k in KINDS if k.request_column}


def burst_weights() -> dict[str, float]:
    return {k.name: k.burst_weight for k in KINDS if k.burst_weight > 0}


def network_kinds() -> tuple[str, ...]:
    """Kinds whose values are IP addresses or networks (a `cidr` allowlist entry covers them)."""
    return allowlist_map()["cidr"]


def context_kinds() -> frozenset[str]:
    return frozenset(k.name for k in KINDS if k.context)


def infrastructure_keys() -> dict[str, str]:
    """Campaign `infrastructure` key → kind (asns → asn, …)."""
    return dict(sorted((k.infrastructure, k.name) for k in KINDS if k.infrastructure))
