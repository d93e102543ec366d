"""Reason codes: why two accounts are linked, why a ring was flagged.

Every link and every flagged account carries these codes so that a reviewer can see the
evidence behind a decision. Internally a set of codes is a bit mask (uint32) so that pairs
can be combined with numpy; at module boundaries it is a `;`-joined, sorted string.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linker import kinds

# code -> one-line explanation (shown in reports, review packets and `linker explain`)
REASONS: dict[str, str] = {
    "SHARED_EMAIL": "the same (normalised) e-mail address is used by several accounts",
    "SHARED_PHONE": "the same phone number is used by several accounts",
    "SHARED_CARD": "the same payment card (processor fingerprint) pays for several accounts",
    "SHARED_DEVICE": "the same device / browser fingerprint signed up several accounts",
    "SHARED_API_KEY": "the same API key is used from several accounts",
    "SHARED_SIGNUP_IP": "accounts signed up from the same rare IP address",
    "SHARED_IP": "accounts connect from the same rare IP address",
    "SHARED_SUBNET": "accounts connect from the same rare /24 (or /48) network",
    "SHARED_BIN_POSTAL": "cards with the same issuer BIN and billing postal code",
    "SHARED_PROMPT_TEMPLATE": "accounts send the same rare prompt / system-prompt template",
    "RARE_EMAIL_DOMAIN": "accounts use the same rarely seen e-mail domain",
    "SIGNUP_BURST": "accounts were created in the same short, unusual burst from the same network, ASN or card BIN",
    "LOCKSTEP_HOURS": "accounts are active in (nearly) the same hours, as if driven by one scheduler",
    "LOAD_BALANCED_VOLUME": "the ring's request volume is spread almost evenly across its accounts",
    "PROXY_IP_POOL": "accounts rotate through the same pool of proxy IP addresses",
    "CAPABILITY_TARGETING": "the ring's traffic concentrates on capabilities a distillation campaign targets, far more than other accounts' traffic (the ring's page and the campaign report show its capability mix)",
    "ALLOWLISTED": "the account or an identifier is on the allowlist: never suspended automatically",
    "SAME_ORGANISATION": "the linked accounts belong to one organisation (org_id), which explains what they share: reviewed at most, never suspended on it alone (see ORGANISATION_FARM)",
    "CONFIRMED_LINK": "the account shares a strong identifier (card, device, phone, e-mail, API key) with an account a reviewer confirmed as fraud",
    "CONFIRMED_BY_REVIEW": "a reviewer confirmed this account (or its ring) as fraud: it stays suspended unless allow-listed",
    "NEW_EVIDENCE_SINCE_CLEARED": "a reviewer cleared this account, and new evidence (a new link or timing signal) appeared since: back to review",
    "POPULAR_IDENTIFIER": "the same card, device, phone, e-mail or API key is used by more accounts than one operator plausibly runs (a lab's machine image, a kiosk, a company card): it holds a big group together but, like a shared network, needs corroboration and never decides a suspension",
    "RING_SCHEDULE": "the account's active hours are closest to its ring-mates': several of its most similar schedules on the platform's shared infrastructure are in the ring (one scheduler, with noise)",
    "IP_ROTATION": "the account's own connections hop across many unrelated networks (distinct ASNs), as through a rotating residential proxy: like a proxy pool, it needs corroboration and never decides a suspension alone",
    "CARD_BIN_COHORT": "the account is one of many that each pay with a different card of one issuer BIN and send one prompt template, far more often than chance predicts (a patient operator's card supplier and automation): it needs synchronised hours to flag anyone and never decides a suspension alone",
    "ORGANISATION_FARM": "the account shares a card, device, phone, e-mail or API key with seats of its own organisation, signs up in a burst, works on its ring's schedule or was opened in one sitting with its organisation, and uses a private prompt template that several of its ring's organisations use (ten or more: whatever its timing): one operator's batch of fake organisations, which its organisation does not explain",
    "PRIVATE_KIT": "the account sends a rare prompt template its ring uses through proxy exits it shares with ring-mates, as do many of its ring (hundreds on a big one), none explained by an organisation or e-mail domain: one operator's private toolkit and infrastructure together, which no stranger shares by chance",
    "RING_EXITS": "the account connects (mostly) through IP addresses that one flagged ring's accounts use almost alone, at least two of them: the ring's private proxy exits, through which its operator opened the account or holds it in reserve. Infrastructure only: it is reviewed, never suspended, however quiet the account is",
    "OPERATOR_TOOLKIT": "the account belongs to its ring's private template family, in a ring where several family members share a card, device, phone or e-mail that no organisation explains, or where the family's members, outside any organisation or company domain, all go quiet in the same hours of the UTC day, which the platform's users do not: a camouflaged operator's templates and the slips where it reused its own hardware or cards, or the one clock its scheduler keeps. It needs nothing else to be reviewed and makes the ring a campaign; alone it never suspends (beside a suspended core it is CORE_KIT)",
    "CORE_KIT": "the account sends its ring's rare prompt template, hops across networks like a proxy user and keeps the ring's timing (its sign-up burst, lockstep hours, schedule, low-and-slow card cohort or wave of late cards), as do many of its ring, whose core of accounts sharing cards or devices with operator timing is suspended: the operator's kit beside its own slips, none explained by an organisation or e-mail domain. Or: its ring's toolkit flags it (OPERATOR_TOOLKIT) and its template family, or one of its templates, is sent by at least five suspended core accounts who are a tenth or more of everyone sending it: a camouflaged account on the templates of the operator its slips gave away",
    "CARD_WAVE": "the account added a card months after it signed up, in an unusual burst of such late cards of one issuer BIN: dormant or bought accounts switched on together. Timing only: it never flags or suspends anyone alone, and counts as a kit account's own timing for CORE_KIT",
    "SHARED_PHONE_BLOCK": "the account's phone number is in one block of 100 consecutive numbers with those of ring-mates, a block from which at least five different numbers signed up: a SIM farm's bought block, shared like a device. A family's or a person's lines are fewer; a company's block is explained by its organisation (never counted inside one)",
}

CODES: tuple[str, ...] = tuple(REASONS)
assert len(CODES) <= 32, "reason masks are uint32"
BIT: dict[str, int] = {c: 1 << i for i, c in enumerate(CODES)}

# Identity evidence an operator must actually share (a card, a device, a key): enough on its
# own to tie an account to a ring's core and so to allow automatic suspension.
STRONG: frozenset[str] = kinds.reasons_of("strong") | {"SHARED_PHONE_BLOCK"}
# Network and billing evidence innocent people also share (household, office, campus).
MEDIUM: frozenset[str] = kinds.reasons_of("medium") | {"POPULAR_IDENTIFIER"}
# Behaviour and infrastructure patterns: they find stealth rings but only justify review.
WEAK: frozenset[str] = kinds.reasons_of("weak") | frozenset(
    {"SIGNUP_BURST", "LOCKSTEP_HOURS", "RING_SCHEDULE", "LOAD_BALANCED_VOLUME", "PROXY_IP_POOL",
     "CAPABILITY_TARGETING", "IP_ROTATION", "CARD_BIN_COHORT", "CARD_WAVE"}
)


def mask_of(codes: set[str] | frozenset[str] | list[str]) -> int:
    """Bit mask of a set of codes."""
    m = 0
    for c in codes:
        m |= BIT[c]
    return m


STRONG_MASK = mask_of(STRONG)
MEDIUM_MASK = mask_of(MEDIUM)
WEAK_MASK = mask_of(WEAK)


def decode(mask: int) -> str:
    """`;`-joined sorted codes of one mask."""
    return ";".join(sorted(c for c in CODES if mask & BIT[c]))


def decode_array(masks: np.ndarray) -> np.ndarray:
    """Vectorised `decode`: few distinct masks exist, so decode each once and map."""
    masks = np.asarray(masks, dtype=np.uint32)
    if masks.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(masks, return_inverse=True)
    names = np.array([decode(int(m)) for m in uniq], dtype=object)
    return names[inv]


def encode_series(reasons: pd.Series) -> np.ndarray:
    """Masks of `;`-joined reason strings (inverse of `decode_array`)."""
    # hashed, not np.unique: numpy sorts Python strings (slow for the links of a big ring)
    inv, uniq = pd.factorize(reasons.fillna("").astype(str).to_numpy(dtype=object))
    masks = np.array(
        [mask_of([c for c in u.split(";") if c]) for u in uniq], dtype=np.uint32
    )
    return masks[inv]


def explain(code: str) -> str:
    """One-line explanation of a code (the code itself when unknown)."""
    return REASONS.get(code, code)
