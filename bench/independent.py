"""An independently built test world: a synthetic AI platform and its fraud, made without reading
linker's detector or its demo generator (spec: docs' data contract only), to measure the detector
on a platform it was never tuned on.

    python -m bench.independent generate DIR --accounts 200000 --seed 11
    linker run DIR --out OUT --allowlist DIR/allowlist.csv
    python -m bench.independent score DIR OUT [--json-out F]
    python -m bench.independent grid --accounts 200000 --split heldout   # generate, run, score
    python -m bench.independent grid --world b --accounts 200000          # world B (bench.independent_b), all held out
    python -m bench.independent grid --world c --accounts 200000          # world C (bench.independent_c), all held out
    python -m bench.independent grid --world d --accounts 200000          # world D (bench.independent_d), never tuned on
    python -m bench.independent grid --world e --accounts 200000          # world E (bench.independent_e): E/1-3 held out
    python -m bench.independent grid --world f --accounts 200000          # world F (bench.independent_f): F/1-3 held out
    python -m bench.independent grid --world g --accounts 200000          # world G (bench.independent_g): G/1-3 held out

Seeds are split like bench.quality's: TUNING_SEEDS may be looked at while changing the detector,
HELDOUT_SEEDS only to report. The generator itself was written by someone who had not read the
detector; looking at tuning seeds makes it less independent, so the held-out seeds are the claim.

The world: one year of sign-ups, ~6 weeks of hourly-aggregated requests (2026-04-22 .. 2026-06-05).
Legit accounts share a lot for honest reasons (carrier-grade NAT, VPN and privacy-relay exits,
offices and universities, households, people with several accounts, public agent templates,
launch waves, hackathons, scheduled jobs on shared PaaS egress). Fraud comes from several
operators, each one campaign of several rings in one of the styles: clear (reused devices, cards,
phones, gmail dot-variants), stealth (residential proxy pool, fresh cards on one BIN, random
devices, shared templates, shift hours), camouflaged (consumer-looking accounts mixing normal
traffic), low-and-slow (one ring tied by a BIN, a template and hours only) and, from 500k
accounts, a big 25,000-account distillation campaign. Every rate is a knob of `WorldConfig`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

# 21-23 were held out until their first measurement (commit 17984f0, README); seed 23 then
# showed a lab suspended and was looked at, so all three joined the tuning seeds
TUNING_SEEDS = (11, 12, 21, 22, 23)
HELDOUT_SEEDS = (31, 32, 33)
# world B (bench/independent_b.py, a second generator written later from the contract alone):
# every seed is held out, nothing was ever tuned on it
B_SEEDS = (41, 42, 43)
# world C (bench/independent_c.py, a third generator from the contract alone, by a helper that
# never saw the detector): measured only, never tuned on
C_SEEDS = (61, 62, 63)
# world D (bench/independent_d.py, a fourth generator from the contract alone, by a helper that
# never read the detector, the README or the other worlds): measured only, never tuned on
D_SEEDS = (81, 82, 83)
# world E (bench/independent_e.py, a fifth generator from the contract alone, written
# 2026-12-06 by a helper that never read the detector, the README or the other worlds):
# 1-3 held out and measured before anything was changed for it; 11-14 for tuning
E_SEEDS = (1, 2, 3)
E_TUNING_SEEDS = (11, 12, 13, 14)
# world F (bench/independent_f.py, a sixth generator from the contract alone, written
# 2026-12-07 by a helper that never read the detector, the README or the other worlds):
# every seed held out, first measured after the sixth session's last detector change
F_SEEDS = (1, 2, 3)
# world G (bench/independent_g.py, a seventh generator from the contract alone, written
# 2026-12-07 by a helper that never read the detector, the README or the other worlds):
# every seed held out
G_SEEDS = (1, 2, 3)
GRID_METRICS = ("legit_reviewed_pct", "legit_suspended_pct", "allowlisted_suspended", "suspend_precision",
                "suspend_recall_clear", "suspend_recall_own_strong", "suspend_recall_all", "flagged_recall", "flagged_recall_behaviour", "ring_ari",
                "ring_ari_twins_merged", "ring_ari_ceiling",
                "linker_campaigns", "campaigns_mostly_legit")
DAY = 86_400
HOUR = 3_600
CAPS = np.array(["chat", "coding", "agentic_reasoning", "planning", "other"])


@dataclass
class WorldConfig:
    """Every rate of the world, so that a reader can see and change what the benchmark assumes."""

    accounts: int = 200_000
    seed: int = 11
    window_start: str = "2026-04-22"  # requests cover [window_start, window_end)
    window_end: str = "2026-06-05"
    signup_days: int = 365  # sign-ups over the year before window_end
    signup_growth: float = 1.7  # sign-up density grows like t**(growth-1)
    # --- legit -------------------------------------------------------------------------------
    mobile_share: float = 0.45  # mobile-first users
    cgnat_share_of_mobile: float = 0.30  # of those, behind carrier-grade NAT
    cgnat_mean_sharing: float = 12.0  # accounts per CGNAT IP on average (heavy-tailed)
    cgnat_skew: float = 1.6  # >1: a few CGNAT IPs carry many more users
    ipv6_share_of_mobile: float = 0.15  # mobile users on unique IPv6 (not shared)
    vpn_share: float = 0.05  # VPN / privacy-relay users
    vpn_exits_per_provider: int = 120
    vpn_skew: float = 2.5  # popular exits are shared by thousands at 1M
    org_share: float = 0.12  # accounts in a company or university
    org_size_alpha: float = 1.25  # Pareto tail of organisation sizes (3 .. org_size_max)
    org_size_max: int = 3_000
    university_share_of_orgs: float = 0.12
    org_workspace_share: float = 0.55  # orgs whose members carry an org_id
    org_zscaler_share: float = 0.25  # companies egressing through a shared security-cloud pool
    org_lab_share: float = 0.15  # orgs (size>=10) with a lab sharing one device image
    org_card_share: float = 0.25  # small companies where one company card pays for members
    org_template_use: float = 0.5  # share of a member's traffic on the company template
    class_size: int = 60  # university classes sign up in the same hour
    household_share: float = 0.06
    household_card_share: float = 0.55
    household_device_share: float = 0.30
    multi_account_share: float = 0.04  # people owning 2-3 accounts
    public_template_share: float = 0.10  # users of popular public agent templates
    public_templates: int = 400
    developer_share: float = 0.012  # scheduled jobs
    paas_share_of_devs: float = 0.3  # jobs on shared PaaS egress
    payer_share: float = 0.5
    virtual_card_share: float = 0.02  # legit payers on the virtual/prepaid BINs fraud also uses
    phone_share: float = 0.4
    launch_waves: int = 4
    launch_wave_share: float = 0.004  # of legit accounts per wave, most within an hour
    hackathons: int = 3
    hackathon_share: float = 0.001  # of legit accounts per hackathon (venue wifi, one template)
    active_share: float = 0.7  # legit accounts with any request in the window
    casual_hours_median: float = 6.0
    vip_accounts: int = 12
    # --- fraud -------------------------------------------------------------------------------
    other_fraud_share: float = 0.008  # clear + stealth + mixed + camouflaged operators
    big_campaign_accounts: int = 25_000  # when accounts >= big_campaign_min_world
    big_campaign_min_world: int = 500_000
    big_campaign_share_small: float = 0.0125  # size of the largest campaign in smaller worlds
    big_campaign_exchanges: int = 28_800_000  # for 25,000 accounts, scaled by size
    big_campaign_clear_rings: float = 0.25
    low_slow_accounts: int = 300
    low_slow_share_cap: float = 0.0015
    clear_ring_median: int = 20
    stealth_ring_median: int = 40
    camo_ring_median: int = 10
    big_ring_median: int = 250
    proxy_pool_per_account: float = 0.6  # residential proxy IPs per stealth account
    stealth_template_use: float = 0.85
    shift_dropout: float = 0.35
    camo_fraud_mix: float = 0.5  # share of a camouflaged account's rows that are distillation


# ----- static catalogue -------------------------------------------------------------------------

COUNTRIES = np.array(["US", "IN", "GB", "DE", "BR", "FR", "JP", "CA", "AU", "ES", "KR"])
COUNTRY_W = np.array([0.32, 0.12, 0.07, 0.07, 0.07, 0.05, 0.05, 0.05, 0.03, 0.04, 0.04])
COUNTRY_W = COUNTRY_W / COUNTRY_W.sum()
COUNTRY_TZ = np.array([-6, 5, 0, 1, -3, 1, 9, -5, 10, 1, 9])
DIAL = np.array(["1", "91", "44", "49", "55", "33", "81", "1", "61", "34", "82"])
# (asn, name, kind, country) — kinds: res, mob, cloud, vpn, biz, uni
ASNS = [
    (7922, "COMCAST-7922", "res", "US"),
    (7018, "ATT-INTERNET4", "res", "US"),
    (701, "UUNET Verizon Fios", "res", "US"),
    (20115, "CHARTER-20115", "res", "US"),
    (22773, "ASN-CXA-ALL-CCI-22773-RDC", "res", "US"),
    (24560, "AIRTELBROADBAND-AS-AP", "res", "IN"),
    (17488, "HATHWAY-NET-AP", "res", "IN"),
    (2856, "BT-UK-AS", "res", "GB"),
    (5089, "NTL Virgin Media", "res", "GB"),
    (3320, "DTAG Deutsche Telekom AG", "res", "DE"),
    (18881, "TELEFONICA BRASIL S.A", "res", "BR"),
    (28573, "Claro NXT Telecomunicacoes", "res", "BR"),
    (3215, "Orange S.A.", "res", "FR"),
    (4713, "OCN NTT Communications", "res", "JP"),
    (2516, "KDDI CORPORATION", "res", "JP"),
    (812, "ROGERS-COMMUNICATIONS", "res", "CA"),
    (6327, "SHAW", "res", "CA"),
    (1221, "ASN-TELSTRA", "res", "AU"),
    (3352, "TELEFONICA_DE_ESPANA", "res", "ES"),
    (4766, "KIXS-AS-KR Korea Telecom", "res", "KR"),
    (21928, "T-MOBILE-AS21928", "mob", "US"),
    (22394, "CELLCO", "mob", "US"),
    (20057, "ATT-MOBILITY-LLC-AS20057", "mob", "US"),
    (45609, "BHARTI-MOBILITY-AS-AP", "mob", "IN"),
    (55836, "RELIANCEJIO-IN Reliance Jio Infocomm", "mob", "IN"),
    (12576, "EE-AS EE Limited", "mob", "GB"),
    (6805, "TDDE-ASN1 Telefonica Germany", "mob", "DE"),
    (26599, "TELEFONICA BRASIL (Vivo)", "mob", "BR"),
    (51207, "FREEM Free Mobile SAS", "mob", "FR"),
    (17676, "GIGAINFRA SoftBank Corp", "mob", "JP"),
    (577, "BACOM Bell Canada", "mob", "CA"),
    (4804, "MPX-AS Optus", "mob", "AU"),
    (12430, "VODAFONE_ES", "mob", "ES"),
    (17858, "POWERVIS-AS-KR LG Uplus", "mob", "KR"),
    (16509, "AMAZON-02", "cloud", ""),
    (14618, "AMAZON-AES", "cloud", ""),
    (15169, "GOOGLE", "cloud", ""),
    (396982, "GOOGLE-CLOUD-PLATFORM", "cloud", ""),
    (8075, "MICROSOFT-CORP-MSN-AS-BLOCK", "cloud", ""),
    (14061, "DIGITALOCEAN-ASN", "cloud", ""),
    (24940, "HETZNER-AS", "cloud", ""),
    (16276, "OVH", "cloud", ""),
    (63949, "AKAMAI-LINODE-AP", "cloud", ""),
    (9009, "M247 Europe SRL", "vpn", ""),
    (60068, "CDN77 Datacamp Limited", "vpn", ""),
    (13335, "CLOUDFLARENET", "vpn", ""),
    (36183, "AKAMAI-AS iCloud Private Relay", "vpn", ""),
    (212238, "Datacamp Limited", "vpn", ""),
    (53813, "ZSCALER-INC", "biz", ""),
    (3356, "LEVEL3", "biz", ""),
    (174, "COGENT-174", "biz", ""),
    (6461, "ZAYO-6461", "biz", ""),
    (3, "MIT-GATEWAYS", "uni", "US"),
    (32, "STANFORD", "uni", "US"),
    (25, "UCB", "uni", "US"),
    (786, "JANET Jisc Services Limited", "uni", "GB"),
    (680, "DFN Verein zur Foerderung eines Deutschen Forschungsnetzes", "uni", "DE"),
    (2200, "FR-RENATER", "uni", "FR"),
    (55824, "NKN-CORE-NW", "uni", "IN"),
    (1916, "RNP", "uni", "BR"),
]
ASN_NUM = np.array([a[0] for a in ASNS])
ASN_ORG = np.array([a[1] for a in ASNS], dtype=object)
ASN_KIND = np.array([a[2] for a in ASNS])
ASN_CC = np.array([a[3] for a in ASNS])
UA_DESKTOP = np.array(
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"
        " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (X11; Linux x86_64)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    ]
)
UA_DESKTOP_W = np.array([0.38, 0.16, 0.2, 0.08, 0.06, 0.12])
UA_MOBILE = np.array(
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"
        " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S911B)"
        " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36",
        "ChatApp/1.2024.115 (iOS 17.4; iPhone15,2)",
        "ChatApp/1.2024.115 (Android 14; SM-A546B)",
    ]
)
UA_MOBILE_W = np.array([0.35, 0.15, 0.2, 0.18, 0.12])
UA_BOT = (
    "Mozilla/5.0 (X11; Linux x86_64)"
    " AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36"
)
UA_ALL = np.concatenate([UA_DESKTOP, UA_MOBILE, [UA_BOT, "python-requests/2.31.0"]]).astype(object)
PUBLIC_DOMAINS = np.array(
    [
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "proton.me",
        "gmx.de",
        "web.de",
        "yahoo.co.jp",
        "naver.com",
        "rediffmail.com",
        "orange.fr",
        "live.com",
        "aol.com",
        "btinternet.com",
    ]
)
PUBLIC_DOMAINS_W = np.array(
    [0.52, 0.1, 0.07, 0.07, 0.08, 0.03, 0.025, 0.02, 0.015, 0.015, 0.01, 0.01, 0.01, 0.005, 0.005]
)
FIRST = np.array(
    "james mary john patricia robert jennifer michael linda david elizabeth william barbara "
    "richard susan joseph jessica thomas sarah priya rahul amit ananya wei li yuki haruto "
    "lukas anna lea felix lucas maria ana pedro joao camille hugo minjun seoyeon oliver amelia "
    "noah emma liam olivia sofia mateo arjun diya chloe jack".split()
)
LAST = np.array(
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez "
    "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white "
    "sharma patel kumar singh gupta wang zhang chen tanaka sato suzuki muller schmidt schneider "
    "fischer silva santos oliveira souza dubois bernard kim park choi nguyen walker hall".split()
)
WORD1 = np.array(
    "acme nimbus bluefin quanta helio vertex lumen cobalt orbit pine cedar atlas nova "
    "ember polar summit harbor maple delta aurora".split()
)
WORD2 = np.array(
    "labs systems health bank ai analytics robotics media logistics capital works software".split()
)
DIURNAL = np.array(
    [
        1,
        0.6,
        0.4,
        0.3,
        0.3,
        0.4,
        0.8,
        1.5,
        2.5,
        3.5,
        4,
        4.2,
        4,
        4.2,
        4.3,
        4.2,
        4,
        3.8,
        3.8,
        4,
        4,
        3.5,
        2.5,
        1.6,
    ]
)
DIURNAL = DIURNAL / DIURNAL.sum()
US_AREA = np.array([212, 213, 310, 312, 415, 512, 617, 646, 702, 718, 805, 917, 206, 303, 404, 503])


def _ts(s: str) -> int:
    return int(pd.Timestamp(s, tz="UTC").timestamp())


def _hexid(ids: np.ndarray, salt: int, width: int = 16) -> np.ndarray:
    """Stable random-looking hex strings for dense integer ids (device, card, template hashes)."""
    x = np.asarray(ids, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(
        (salt * 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF
    )
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(29)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(32)
    s = np.char.mod("%016x", x)
    return s if width <= 16 else np.char.add(s, np.char.mod("%016x", x * np.uint64(31)))


def _cat(*parts: object) -> np.ndarray:
    """Element-wise string concatenation of arrays / scalars (vectorised)."""
    out = np.asarray(parts[0]).astype(str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p).astype(str))
    return out


class _Ids:
    """A counter handing out fresh blocks of dense integer ids."""

    def __init__(self, start: int = 0) -> None:
        self.next = start

    def take(self, n: int) -> int:
        s = self.next
        self.next += int(n)
        return s


class _Registry:
    """IP addresses with their AS, referred to by index from accounts, events and requests."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.ips: list[np.ndarray] = []
        self.asn: list[np.ndarray] = []
        self.n = 0
        cand = np.array(
            [(a << 8) | b for a in range(11, 224) if a not in (100, 127, 169, 172, 192) for b in range(256)],
            dtype=np.int64,
        )
        pref = rng.choice(cand, size=len(ASNS) * 64, replace=False).reshape(len(ASNS), 64)
        self.prefix = pref << 16
        self.npref = np.where(np.isin(ASN_KIND, ["res", "mob"]), 64, 4)

    def ints(self, asn_idx: np.ndarray, low: int = 1, high: int = 65_535) -> np.ndarray:
        r = (self.rng.random(len(asn_idx)) * self.npref[asn_idx]).astype(np.int64)
        return self.prefix[asn_idx, r] + self.rng.integers(low, high, len(asn_idx))

    def add(self, strings: np.ndarray, asn_idx: np.ndarray) -> np.ndarray:
        off = self.n
        self.ips.append(np.asarray(strings, dtype=object))
        self.asn.append(np.asarray(asn_idx, dtype=np.int64))
        self.n += len(strings)
        return off + np.arange(len(strings), dtype=np.int64)

    def alloc(self, asn_idx: np.ndarray) -> np.ndarray:
        """One fresh (random, so rarely reused) IPv4 per entry."""
        x = self.ints(np.asarray(asn_idx, dtype=np.int64))
        return self.add(_v4(x), asn_idx)

    def block(self, asn_idx: int, size: int) -> np.ndarray:
        """`size` consecutive IPv4s inside one /24 (an office or campus NAT range)."""
        base = self.ints(np.array([asn_idx]))[0] & ~np.int64(255)
        base += int(self.rng.integers(1, 250 - size))
        return self.add(_v4(base + np.arange(size)), np.full(size, asn_idx))

    def v6(self, asn_idx: np.ndarray, prefix: str) -> np.ndarray:
        g = self.rng.integers(0, 65_536, size=(len(asn_idx), 4))
        s = _cat(
            prefix,
            np.char.mod("%x", g[:, 0]),
            ":",
            np.char.mod("%x", g[:, 1]),
            "::",
            np.char.mod("%x", g[:, 2]),
            ":",
            np.char.mod("%x", g[:, 3]),
        )
        return self.add(s, asn_idx)

    def done(self) -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate(self.ips), np.concatenate(self.asn)


def _v4(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    return _cat(x >> 24 & 255, ".", x >> 16 & 255, ".", x >> 8 & 255, ".", x & 255)


def _kind_idx(kind: str, cc: str | None = None) -> np.ndarray:
    m = ASN_KIND == kind
    if cc is not None:
        m &= ASN_CC == cc
    return np.flatnonzero(m)


def _by_country(rng: np.random.Generator, country: np.ndarray, kind: str) -> np.ndarray:
    """An AS of `kind` in each account's country (residential ISP or mobile carrier)."""
    out = np.zeros(len(country), dtype=np.int64)
    for c in range(len(COUNTRIES)):
        m = country == c
        cand = _kind_idx(kind, COUNTRIES[c])
        out[m] = rng.choice(cand, size=int(m.sum()))
    return out


def _pick(
    rng: np.random.Generator, off: np.ndarray, size: np.ndarray, skew: np.ndarray | float
) -> np.ndarray:
    """A member of each pool [off, off+size), skewed towards the pool's first entries."""
    v = rng.random(len(off)) ** skew
    return off + np.minimum((size * v).astype(np.int64), size - 1)


def _sizes(
    rng: np.random.Generator, total: int, median: float, lo: int, hi: int, sigma: float = 0.6
) -> np.ndarray:
    """Log-normal group sizes summing exactly to total."""
    out: list[int] = []
    left = total
    while left > 0:
        s = int(np.clip(rng.lognormal(np.log(median), sigma), lo, hi))
        s = min(s, left) if left - s >= lo or left <= hi else s
        s = min(s, left)
        out.append(s)
        left -= s
    return np.array(out, dtype=np.int64)


def _leaders(members: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """For each member, the first member of its group."""
    first = np.r_[0, np.flatnonzero(np.diff(gid)) + 1]
    return members[first][gid - gid[0]] if len(gid) else members


def _groups(pool: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = int(sizes.sum())
    return pool[:n], np.repeat(np.arange(len(sizes)), sizes)


# ----- the world ---------------------------------------------------------------------------------


class _World:
    """Column arrays of the whole population, filled by the legit and fraud builders."""

    def __init__(self, cfg: WorldConfig) -> None:
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        self.ws, self.we = _ts(cfg.window_start), _ts(cfg.window_end)
        self.s0 = self.we - cfg.signup_days * DAY
        n = cfg.accounts
        big = (
            cfg.big_campaign_accounts
            if n >= cfg.big_campaign_min_world
            else round(n * cfg.big_campaign_share_small)
        )
        low = min(cfg.low_slow_accounts, round(n * cfg.low_slow_share_cap))
        other = round(n * cfg.other_fraud_share)
        self.n_big, self.n_low, self.n_other = big, max(low, 3), max(other, 12)
        self.F = self.n_big + self.n_low + self.n_other
        self.L = n - self.F
        self.reg = _Registry(self.rng)
        # device / card / phone / template / key ids beyond the per-account ones (personal
        # templates take 2a and 2a + 1, so the counter starts past 2n)
        self.ids = _Ids(2 * n)
        z = np.zeros
        self.country = z(n, np.int64)
        self.created = z(n, np.int64)
        self.mobile = z(n, bool)
        self.ua = z(n, np.int64)
        self.local = np.empty(n, dtype=object)
        self.domain = np.empty(n, dtype=object)
        self.phone = np.full(n, -1, np.int64)
        self.device = np.arange(n, dtype=np.int64)
        self.org = np.full(n, -1, np.int64)
        self.card = np.full(n, -1, np.int64)
        self.bin = np.full(n, -1, np.int64)
        self.funding = z(n, np.int64)
        self.postal = z(n, np.int64)
        self.sip = z(n, np.int64)
        self.home = z(n, np.int64)
        self.poff = z(n, np.int64)
        self.psize = np.ones(n, np.int64)
        self.pskew = np.ones(n)
        self.phome = np.ones(n)
        self.tmpl_b = np.full(n, -1, np.int64)
        self.p_b = np.full(n, 0.2)
        self.capprof = z(n, np.int64)  # 0 chat-heavy, 1 builder, 2 distiller
        self.active = z(n, bool)
        self.hours = z(n, np.int64)
        self.has_key = z(n, bool)
        self.tz = z(n, np.int64)
        # truth
        self.is_fraud = z(n, bool)
        self.ring = np.full(n, -1, np.int64)
        self.campaign = np.full(n, -1, np.int64)
        self.style = np.empty(n, dtype=object)
        self.patterns: dict[str, np.ndarray] = {}
        self.ring_names: list[str] = []
        self.campaign_names: list[str] = []
        # request blocks: lists of column dicts
        self.blocks: list[dict[str, np.ndarray]] = []
        self.allow: list[tuple[str, str, str]] = []
        # BINs: bank BINs (popular ones hold many cards) and a few virtual/prepaid issuers
        r = self.rng
        nb = 3000
        brand = r.choice(["4", "5", "37"], size=nb, p=[0.55, 0.39, 0.06])
        self.bank_bins = _cat(brand, np.char.zfill(r.integers(0, 10**5, nb).astype(str), 5))
        self.bank_bins = np.array([b[:6] for b in self.bank_bins])
        self.virtual_bins = np.array(
            ["485953", "428837", "531993", "556766", "444796", "537100", "410039", "545660"]
        )
        self.bins = np.concatenate([self.bank_bins, self.virtual_bins])
        self.bin_cc = np.concatenate([r.choice(COUNTRIES, nb, p=COUNTRY_W), np.full(8, "US")])
        self.n_pub = 0

    def mark(self, name: str, idx: np.ndarray) -> None:
        m = self.patterns.setdefault(name, np.zeros(self.cfg.accounts, bool))
        m[idx] = True

    def diurnal_time(self, day_start: np.ndarray, tz: np.ndarray) -> np.ndarray:
        h = self.rng.choice(24, size=len(day_start), p=DIURNAL)
        return day_start + ((h - tz) % 24) * HOUR + self.rng.integers(0, HOUR, len(day_start))


# ----- legit -------------------------------------------------------------------------------------


def _legit(w: _World) -> None:
    cfg, r, L = w.cfg, w.rng, w.L
    idx = np.arange(L)
    w.country[idx] = r.choice(len(COUNTRIES), L, p=COUNTRY_W / COUNTRY_W.sum())
    w.tz[idx] = COUNTRY_TZ[w.country[idx]] + np.where(w.country[idx] == 0, r.integers(-2, 2, L), 0)
    day = (r.random(L) ** (1 / cfg.signup_growth) * cfg.signup_days).astype(np.int64)
    span = cfg.signup_days * DAY
    w.created[idx] = (
        w.s0 + (w.diurnal_time(w.s0 + day * DAY, w.tz[idx]) - w.s0) % span
    )  # no pile-up at the end
    # base identity: own residential IP, own device, public mail
    w.ua[idx] = r.choice(len(UA_DESKTOP), L, p=UA_DESKTOP_W)
    fi, la = r.integers(0, len(FIRST), L), r.integers(0, len(LAST), L)
    sep = r.choice(["", ".", "_", ""], L)
    num = np.where(r.random(L) < 0.55, r.integers(1, 9999, L).astype(str), "")
    w.local[idx] = _cat(FIRST[fi], sep, LAST[la], num).astype(object)
    w.domain[idx] = r.choice(PUBLIC_DOMAINS, L, p=PUBLIC_DOMAINS_W / PUBLIC_DOMAINS_W.sum()).astype(object)
    home = w.reg.alloc(_by_country(r, w.country[idx], "res"))
    w.sip[idx] = w.home[idx] = home
    # mobile carriers: one CGNAT pool per carrier, sized for the mean sharing
    mob = idx[r.random(L) < cfg.mobile_share]
    w.mobile[mob] = True
    w.ua[mob] = len(UA_DESKTOP) + r.choice(len(UA_MOBILE), len(mob), p=UA_MOBILE_W)
    carrier = _by_country(r, w.country[mob], "mob")
    cg = r.random(len(mob)) < cfg.cgnat_share_of_mobile
    v6 = ~cg & (r.random(len(mob)) < cfg.ipv6_share_of_mobile / (1 - cfg.cgnat_share_of_mobile))
    pool_off = np.zeros(len(ASNS), np.int64)
    pool_size = np.ones(len(ASNS), np.int64)
    for c in _kind_idx("mob"):
        users = int((cg & (carrier == c)).sum())
        size = max(4, round(users / cfg.cgnat_mean_sharing))
        ips = w.reg.alloc(np.full(size, c))
        pool_off[c], pool_size[c] = ips[0], size
    # everybody's "away" pool is their country's carrier NAT pool
    any_carrier = _by_country(r, w.country[idx], "mob")
    w.poff[idx], w.psize[idx], w.pskew[idx] = pool_off[any_carrier], pool_size[any_carrier], cfg.cgnat_skew
    w.phome[idx] = 0.85
    m_cg = mob[cg]
    w.poff[m_cg], w.psize[m_cg] = pool_off[carrier[cg]], pool_size[carrier[cg]]
    w.sip[m_cg] = w.home[m_cg] = _pick(r, w.poff[m_cg], w.psize[m_cg], cfg.cgnat_skew)
    w.phome[m_cg] = 0.35
    w.mark("cgnat", m_cg)
    m_un = mob[~cg]
    w.sip[m_un] = w.home[m_un] = w.reg.alloc(carrier[~cg])
    m6 = mob[v6]
    if len(m6):
        w.sip[m6] = w.home[m6] = w.reg.v6(carrier[v6], "2607:fb90:")
    # VPN / privacy relay
    vpn_asn = _kind_idx("vpn")
    voff = np.array([w.reg.alloc(np.full(cfg.vpn_exits_per_provider, a))[0] for a in vpn_asn])
    vpn = idx[r.random(L) < cfg.vpn_share]
    prov = r.integers(0, len(vpn_asn), len(vpn))
    w.poff[vpn], w.psize[vpn], w.pskew[vpn], w.phome[vpn] = (
        voff[prov],
        cfg.vpn_exits_per_provider,
        cfg.vpn_skew,
        0.2,
    )
    on_vpn = vpn[r.random(len(vpn)) < 0.7]
    w.sip[on_vpn] = _pick(r, w.poff[on_vpn], w.psize[on_vpn], cfg.vpn_skew)
    w.mark("vpn", vpn)
    # payments and phones
    payer = idx[r.random(L) < cfg.payer_share]
    w.card[payer] = payer
    pop = np.arange(1, len(w.bank_bins) + 1) ** -0.9
    w.bin[payer] = r.choice(len(w.bank_bins), len(payer), p=pop / pop.sum())
    virt = payer[r.random(len(payer)) < cfg.virtual_card_share]
    w.bin[virt] = len(w.bank_bins) + r.integers(0, len(w.virtual_bins), len(virt))
    w.mark("virtual_card", virt)
    w.funding[payer] = r.choice(3, len(payer), p=[0.6, 0.35, 0.05])
    w.funding[virt] = 2
    w.postal[idx] = r.integers(1000, 99_999, L)
    ph = idx[r.random(L) < cfg.phone_share]
    w.phone[ph] = ph
    # requests: who is active and how much
    w.active[idx] = (r.random(L) < cfg.active_share) & (w.created[idx] < w.we - DAY)
    w.hours[idx] = np.clip(r.lognormal(np.log(cfg.casual_hours_median), 1.1, L), 1, 500).astype(np.int64)

    pool = r.permutation(idx)
    used = 0

    def take(n: int) -> np.ndarray:
        nonlocal used
        out = pool[used : used + n]
        used += len(out)
        return out

    # organisations: companies and universities
    n_org_acc = int(L * cfg.org_share)
    sizes = _sizes(r, n_org_acc, 4, 3, cfg.org_size_max, sigma=1.4)
    sizes = np.sort(sizes)[::-1]
    members, gid = _groups(take(n_org_acc), sizes)
    n_org = len(sizes)
    uni = r.random(n_org) < cfg.university_share_of_orgs
    uni[0] = False
    if n_org > 1:
        uni[1] = True  # the largest university is an allow-list candidate
    org_country = w.country[_leaders(members, gid)][np.r_[0, np.flatnonzero(np.diff(gid)) + 1]]
    w.country[members] = np.where(r.random(len(members)) < 0.85, org_country[gid], w.country[members])
    w.tz[members] = COUNTRY_TZ[w.country[members]]
    dom = _cat(
        r.choice(WORD1, n_org),
        r.choice(WORD2, n_org),
        np.where(np.arange(n_org) % 3 == 0, "", np.arange(n_org).astype(str)),
        r.choice([".com", ".io", ".ai", ".co", ".de"], n_org),
    )
    udom = _cat(r.choice(WORD1, n_org), "-university", np.arange(n_org).astype(str), ".edu")
    dom = np.where(uni, udom, dom)
    use_dom = r.random(len(members)) < np.where(uni[gid], 0.6, 0.85)
    w.domain[members[use_dom]] = dom[gid[use_dom]]
    ws_org = r.random(n_org) < cfg.org_workspace_share
    has_ws = ws_org[gid]
    w.org[members[has_ws]] = gid[has_ws]
    # egress: a small NAT block per org; some companies through a shared security-cloud pool
    zs = _kind_idx("biz")[0]
    zpool = w.reg.alloc(np.full(60, zs))
    eg_off = np.zeros(n_org, np.int64)
    eg_size = np.zeros(n_org, np.int64)
    biz = _kind_idx("biz")[1:]
    for g in range(n_org):
        if uni[g]:
            asn = int(r.choice(_kind_idx("uni")))
            blk = w.reg.block(asn, int(np.clip(sizes[g] // 40, 2, 16)))
        elif r.random() < cfg.org_zscaler_share and g != 0:
            eg_off[g], eg_size[g] = zpool[0], len(zpool)
            continue
        else:
            blk = w.reg.block(int(r.choice(biz)), int(np.clip(sizes[g] // 100, 1, 4)))
        eg_off[g], eg_size[g] = blk[0], len(blk)
    w.poff[members], w.psize[members], w.pskew[members] = eg_off[gid], eg_size[gid], 1.0
    w.phome[members] = np.where(uni[gid], 0.3, 0.4)
    at_work = r.random(len(members)) < np.where(uni[gid], 0.85, 0.7)
    w.sip[members[at_work]] = _pick(r, w.poff[members[at_work]], w.psize[members[at_work]], 1.0)
    # lab images: a shared device id for part of an org
    lab = (sizes[gid] >= 10) & (r.random(n_org) < cfg.org_lab_share)[gid] & (r.random(len(members)) < 0.5)
    lab_dev = w.ids.take(n_org) + np.arange(n_org)
    w.device[members[lab]] = lab_dev[gid[lab]]
    w.mark("lab_device", members[lab])
    # company template and company card
    w.tmpl_b[members] = -2 - gid  # resolved below to template ids
    w.p_b[members] = cfg.org_template_use
    org_card = (~uni & (sizes <= 15) & (r.random(n_org) < cfg.org_card_share))[gid]
    lead = _leaders(members, gid)
    oc = members[org_card]
    w.card[oc], w.bin[oc], w.funding[oc], w.postal[oc] = (
        lead[org_card],
        w.bin[lead[org_card]],
        0,
        w.postal[lead[org_card]],
    )
    w.bin[oc] = np.where(w.bin[oc] < 0, 0, w.bin[oc])
    w.mark("company_card", oc)
    # university classes sign up within the same hour
    uni_m = members[uni[gid]]
    n_cls = max(1, len(uni_m) // cfg.class_size)
    cls = r.integers(0, n_cls, len(uni_m))
    cls_t = w.s0 + r.integers(0, cfg.signup_days - 1, n_cls) * DAY + r.integers(13, 20, n_cls) * HOUR
    w.created[uni_m] = cls_t[cls] + r.integers(0, HOUR, len(uni_m))
    w.mark("university", uni_m)
    w.mark("office", members[~uni[gid]])
    w.mark("org_workspace", members[has_ws])
    # allow-list: the biggest company's egress IP, the biggest university's /24
    ip_str = np.concatenate(w.reg.ips)
    w.allow.append(("ip", str(ip_str[eg_off[0]]), "corporate egress NAT (largest customer)"))
    if n_org > 1:
        first = str(ip_str[eg_off[1]])
        w.allow.append(("cidr", first.rsplit(".", 1)[0] + ".0/24", "university campus NAT"))
    w.org_info = (members, gid, uni, sizes)

    # households: home IP, card, sometimes a device
    n_hh = int(L * cfg.household_share)
    hs = r.choice([2, 3, 4, 5], size=n_hh // 2, p=[0.5, 0.25, 0.15, 0.1])
    hs = hs[np.cumsum(hs) <= n_hh]
    hm, hg = _groups(take(int(hs.sum())), hs)
    hl = _leaders(hm, hg)
    same_ip = r.random(len(hm)) < 0.92
    w.home[hm[same_ip]] = w.home[hl[same_ip]]
    w.sip[hm[same_ip]] = w.home[hl[same_ip]]
    w.country[hm], w.tz[hm], w.postal[hm] = w.country[hl], w.tz[hl], w.postal[hl]
    w.poff[hm], w.psize[hm] = w.poff[hl], w.psize[hl]
    w.local[hm] = _cat(
        FIRST[r.integers(0, len(FIRST), len(hm))],
        ".",
        np.array([s.split(".")[-1].rstrip("0123456789") or "x" for s in w.local[hl]]),
        r.integers(1, 99, len(hm)),
    ).astype(object)
    share_card = (r.random(len(hs)) < cfg.household_card_share)[hg]
    hc = hm[share_card]
    lc = hl[share_card]
    w.card[lc] = np.where(w.card[lc] < 0, lc, w.card[lc])
    w.bin[lc] = np.where(w.bin[lc] < 0, 0, w.bin[lc])
    w.card[hc], w.bin[hc], w.funding[hc] = w.card[lc], w.bin[lc], w.funding[lc]
    share_dev = (r.random(len(hs)) < cfg.household_device_share)[hg] & (r.random(len(hm)) < 0.6)
    w.device[hm[share_dev]] = w.device[hl[share_dev]]
    w.mark("household", hm)

    # people with 2-3 accounts
    n_multi = int(L * cfg.multi_account_share)
    ms = r.choice([2, 3], size=n_multi // 2, p=[0.8, 0.2])
    ms = ms[np.cumsum(ms) <= n_multi]
    mm, mg = _groups(take(int(ms.sum())), ms)
    ml = _leaders(mm, mg)
    cl = mm != ml
    c, lead = mm[cl], ml[cl]
    w.country[c], w.tz[c] = w.country[lead], w.tz[lead]
    gap = np.minimum(90 * DAY, w.we - w.created[lead] - 120)
    w.created[c] = w.created[lead] + (r.random(len(c)) * np.maximum(gap, 60)).astype(np.int64)
    k = r.random(len(c)) < 0.9
    w.home[c[k]] = w.sip[c[k]] = w.home[lead[k]]
    w.poff[c], w.psize[c], w.pskew[c] = w.poff[lead], w.psize[lead], w.pskew[lead]
    k = r.random(len(c)) < 0.7
    w.device[c[k]] = w.device[lead[k]]
    k = r.random(len(c)) < 0.5
    w.card[lead[k]] = np.where(w.card[lead[k]] < 0, lead[k], w.card[lead[k]])
    w.bin[lead[k]] = np.where(w.bin[lead[k]] < 0, 0, w.bin[lead[k]])
    w.card[c[k]], w.bin[c[k]], w.funding[c[k]] = w.card[lead[k]], w.bin[lead[k]], w.funding[lead[k]]
    k = (r.random(len(c)) < 0.3) & (w.phone[lead] >= 0)
    w.phone[c[k]] = w.phone[lead[k]]
    k = r.random(len(c)) < 0.35
    tag = r.choice(["+work", "+dev", "+2", "+api", "+test"], int(k.sum()))
    w.local[c[k]] = _cat(w.local[lead[k]].astype(str), tag).astype(object)
    w.domain[c[k]] = w.domain[lead[k]]
    w.mark("multi_account", mm)

    # public agent templates (popular wrappers, coding agents)
    pub = idx[r.random(L) < cfg.public_template_share]
    w.n_pub = cfg.public_templates
    pw = np.arange(1, w.n_pub + 1) ** -1.1
    w.tmpl_b[pub] = -(10**9) - r.choice(w.n_pub, len(pub), p=pw / pw.sum())
    w.p_b[pub] = 0.7
    w.capprof[pub] = 1
    w.has_key[pub] = True
    w.mark("public_template", pub)

    # launch waves: hundreds of sign-ups in an hour
    waves = w.s0 + np.sort(r.integers(30, cfg.signup_days - 2, cfg.launch_waves)) * DAY + 17 * HOUR
    for t in waves:
        wi = idx[r.random(L) < cfg.launch_wave_share]
        w.created[wi] = np.minimum(t + r.exponential(25 * 60, len(wi)).astype(np.int64), w.we - 60)
        w.mark("launch_wave", wi)

    # developers: scheduled jobs, some on shared PaaS egress
    devs = take(int(L * cfg.developer_share))
    w.has_key[devs] = True
    w.capprof[devs] = 1
    cloud = _kind_idx("cloud")
    paas = w.reg.alloc(r.choice(cloud[:2], 24))
    on_paas = r.random(len(devs)) < cfg.paas_share_of_devs
    job_ip = np.where(
        on_paas,
        _pick(r, np.full(len(devs), paas[0]), np.full(len(devs), len(paas)), 2.0),
        w.reg.alloc(r.choice(cloud, len(devs))),
    )
    w.mark("scheduled_jobs", devs)
    w.mark("paas_egress", devs[on_paas])
    start = np.maximum(w.created[devs], w.ws) + r.integers(0, 20 * DAY, len(devs))
    end = np.minimum(start + r.integers(5 * DAY, 50 * DAY, len(devs)), w.we)
    period = r.choice([1, 1, 2, 4, 6, 12, 24], len(devs))
    ok = end > start
    rows = _scheduled(r, devs[ok], start[ok], end[ok], period[ok])
    a = rows["acct"]
    pos = np.searchsorted(devs, a, sorter=np.argsort(devs))
    order = np.argsort(devs)
    jip = job_ip[order][pos]
    rows["ip"] = jip
    base = w.ids.take(len(devs))
    rows["tmpl"] = base + order[pos]
    rows["cap"] = r.choice(5, len(devs), p=[0.1, 0.35, 0.25, 0.1, 0.2])[order][pos]
    rows["count"] = np.maximum(1, r.poisson(r.lognormal(2.0, 1.0, len(devs))[order][pos]))
    w.blocks.append(rows)

    # hackathons: a venue's wifi, one starter template, same hours for two days
    hsize = max(3, round(L * cfg.hackathon_share))
    for _ in range(cfg.hackathons):
        hk = take(hsize)
        t0 = w.ws + int(r.integers(2, 40)) * DAY + 9 * HOUR
        venue = w.reg.alloc(np.array([int(r.choice(_kind_idx("biz")))]))[0]
        w.created[hk] = t0 - r.integers(0, 2 * HOUR, len(hk))
        w.sip[hk] = venue
        tm = w.ids.take(1)
        rows = _shift(r, hk, np.full(len(hk), t0), np.full(len(hk), t0 + 2 * DAY), 0, 9, 10, 0.4, 0)
        rows["ip"] = np.full(len(rows["acct"]), venue)
        rows["tmpl"] = np.where(r.random(len(rows["acct"])) < 0.8, tm, 2 * rows["acct"])
        rows["cap"] = r.choice(5, len(rows["acct"]), p=[0.1, 0.5, 0.25, 0.1, 0.05])
        rows["count"] = 1 + r.poisson(8, len(rows["acct"]))
        w.blocks.append(rows)
        w.active[hk] = True
        w.mark("hackathon", hk)

    # VIP customers on the allow-list, some of them inside sharing groups
    shared = np.concatenate([hm[:50], mm[:50], members[: min(len(members), 50)]])
    vip = np.concatenate(
        [
            r.choice(shared, cfg.vip_accounts // 2, replace=False),
            r.choice(payer, cfg.vip_accounts - cfg.vip_accounts // 2, replace=False),
        ]
    )
    w.vip = np.unique(vip)
    w.mark("vip", w.vip)


def _scheduled(
    r: np.random.Generator, acct: np.ndarray, start: np.ndarray, end: np.ndarray, period: np.ndarray
) -> dict[str, np.ndarray]:
    """Every `period` hours from start to end, with a few missed runs (outages, deploys)."""
    s = start // HOUR
    n = np.maximum((end // HOUR - s) // period, 0)
    rep = np.repeat(np.arange(len(acct)), n)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(n) - n, n)
    h = s[rep] + k * period[rep]
    keep = r.random(len(h)) > 0.03
    return {"acct": acct[rep][keep], "hour": h[keep]}


def _shift(
    r: np.random.Generator,
    acct: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    tz: int,
    shift_start: int,
    shift_len: int,
    dropout: float,
    jitter: int,
) -> dict[str, np.ndarray]:
    """Working-hours activity: every day of [start, end), the shift's hours (local time), each
    account-day shifted by up to ±jitter hours, each hour dropped with probability dropout."""
    d0, d1 = start // DAY, np.maximum(end // DAY, start // DAY)
    nd = d1 - d0
    rep = np.repeat(np.arange(len(acct)), nd)
    day = d0[rep] + np.arange(len(rep)) - np.repeat(np.cumsum(nd) - nd, nd)
    jit = r.integers(-jitter, jitter + 1, len(day)) if jitter else np.zeros(len(day), np.int64)
    rep2 = np.repeat(np.arange(len(day)), shift_len)
    hod = np.tile(np.arange(shift_len), len(day))
    h = day[rep2] * 24 + (shift_start - tz) + jit[rep2] + hod
    keep = r.random(len(h)) > dropout
    return {"acct": acct[rep][rep2][keep], "hour": h[keep]}


def _casual(w: _World, acct: np.ndarray, nh: np.ndarray) -> dict[str, np.ndarray]:
    """Irregular use: nh active hours on random days since sign-up, at diurnal local hours."""
    r = w.rng
    rep = np.repeat(acct, nh)
    lo = np.maximum(w.created[rep], w.ws) // DAY
    hi = w.we // DAY
    day = lo + (r.random(len(rep)) * (hi - lo)).astype(np.int64)
    h = r.choice(24, len(rep), p=DIURNAL)
    hour = day * 24 + (h - w.tz[rep]) % 24
    hour = np.maximum(hour, w.created[rep] // HOUR + 1)
    return {"acct": rep, "hour": hour}


# ----- fraud -------------------------------------------------------------------------------------


def _fraud(w: _World) -> None:
    cfg, r = w.cfg, w.rng
    fidx = np.arange(w.L, w.cfg.accounts)
    w.is_fraud[fidx] = True
    cursor = w.L
    o = w.n_other
    # (name, style, accounts) — styles: clear, stealth, mixed, camouflaged, low_slow, big
    ops = [
        ("op-anvil", "clear", round(o * 0.3)),
        ("op-mirage", "stealth", round(o * 0.35)),
        ("op-hydra", "mixed", round(o * 0.2)),
    ]
    ops.append(("op-chameleon", "camouflaged", o - sum(x[2] for x in ops)))
    ops += [("op-drip", "low_slow", w.n_low), ("op-colossus", "big", w.n_big)]
    us = int(np.flatnonzero(COUNTRIES == "US")[0])
    for ci, (name, style, n) in enumerate(ops):
        if n <= 0:
            continue
        w.campaign_names.append(name)
        acc = np.arange(cursor, cursor + n)
        cursor += n
        w.campaign[acc] = ci
        op_tz = int(r.choice([8, 3, 2, 7, -5]))
        op_shift = int(r.integers(8, 11))
        op_len = int(r.integers(9, 13))
        op_tmpl = w.ids.take(4) + np.arange(4)
        op_bins = len(w.bank_bins) + r.choice(len(w.virtual_bins), 2, replace=False)
        op_domains = np.array([f"{r.choice(WORD1)}mail{ci}.{t}" for t in ("xyz", "top", "site")])
        proxy = w.reg.alloc(_by_country(r, np.full(max(20, int(n * cfg.proxy_pool_per_account)), us), "res"))
        if style == "low_slow":
            ring_sizes = np.array([n])
        elif style == "big":
            ring_sizes = _sizes(r, n, cfg.big_ring_median, 30, 1500)
        else:
            med = {
                "clear": cfg.clear_ring_median,
                "stealth": cfg.stealth_ring_median,
                "mixed": cfg.clear_ring_median,
                "camouflaged": cfg.camo_ring_median,
            }[style]
            ring_sizes = _sizes(r, n, med, 3, 200)
        members, gid = _groups(acc, ring_sizes)
        ring_base = len(w.ring_names)
        w.ring[members] = ring_base + gid
        for g in range(len(ring_sizes)):
            rs = style
            if style == "mixed":
                rs = "clear" if g % 2 == 0 else "stealth"
            if style == "big":
                rs = "clear" if r.random() < cfg.big_campaign_clear_rings else "stealth"
            w.ring_names.append(f"{name}-r{g:03d}")
            m = members[gid == g]
            _ring(
                w, m, rs, name == "op-colossus", op_tz, op_shift, op_len, op_tmpl, op_bins, op_domains, proxy
            )
            w.style[m] = rs
    w.active[fidx] = True


def _ring(
    w: _World,
    m: np.ndarray,
    style: str,
    big: bool,
    tz: int,
    shift: int,
    length: int,
    tmpl: np.ndarray,
    bins: np.ndarray,
    domains: np.ndarray,
    proxy: np.ndarray,
) -> None:
    """One ring: identity, network and request behaviour of its accounts, by style."""
    cfg, r = w.cfg, w.rng
    s = len(m)
    us = int(np.flatnonzero(COUNTRIES == "US")[0])
    w.country[m] = us
    w.tz[m] = -6
    w.postal[m] = r.integers(1000, 99_999, s)
    # sign-up times: clear rings in bursts, others spread; big campaign from March
    if big:
        t0 = _ts("2026-03-20") + int(r.integers(0, 55)) * DAY
    elif style == "low_slow":
        t0 = w.ws - 180 * DAY
    else:
        t0 = w.ws - int(r.integers(5, 60)) * DAY
    if style == "clear":
        w.created[m] = t0 + (r.exponential(6 * HOUR, s)).astype(np.int64)
    elif style == "low_slow":
        w.created[m] = t0 + r.integers(0, 210 * DAY, s)
    else:
        day = r.integers(0, 21, s)
        w.created[m] = (
            t0 + day * DAY + ((shift - tz) % 24 + r.integers(0, length, s)) * HOUR + r.integers(0, HOUR, s)
        )
    w.created[m] = np.minimum(w.created[m], w.we - 2 * DAY)
    fi, la = r.integers(0, len(FIRST), s), r.integers(0, len(LAST), s)
    w.local[m] = _cat(FIRST[fi], r.choice(["", ".", "_"], s), LAST[la], r.integers(10, 99_999, s)).astype(
        object
    )
    w.domain[m] = r.choice(
        ["gmail.com", "outlook.com", "hotmail.com", "proton.me", "yahoo.com"],
        s,
        p=[0.6, 0.15, 0.1, 0.1, 0.05],
    ).astype(object)
    w.has_key[m] = True
    w.capprof[m] = 2
    payer = r.random(s) < 0.95
    pm = m[payer]
    w.card[pm] = w.ids.take(len(pm)) + np.arange(len(pm))
    w.bin[pm] = r.choice(bins, len(pm))
    w.funding[pm] = 2
    w.phome[m], w.pskew[m] = 1.0, 1.0
    w.ua[m] = r.choice(len(UA_DESKTOP), s)
    if style == "clear":
        ndev, ncard, nph, nip = max(1, s // 6), max(1, s // 5), max(1, s // 8), max(1, s // 10)
        w.device[m] = w.ids.take(ndev) + r.integers(0, ndev, s)
        w.card[pm] = w.ids.take(ncard) + r.integers(0, ncard, len(pm))
        ph = m[r.random(s) < 0.6]
        w.phone[ph] = w.ids.take(nph) + r.integers(0, nph, len(ph))
        dc = w.reg.alloc(r.choice(np.r_[_kind_idx("cloud"), _kind_idx("vpn")], nip))
        w.poff[m], w.psize[m], w.phome[m] = dc[0], nip, 0.0
        w.sip[m] = w.home[m] = _pick(r, w.poff[m], w.psize[m], 1.0)
        w.ua[m] = len(UA_ALL) - 2
        # gmail dot-variants of a few inboxes, and the operator's throwaway domains
        dot = m[r.random(s) < 0.4]
        nbox = max(1, len(dot) // 5)
        box = r.integers(0, nbox, len(dot))
        base = _cat("nick", box + int(m[0]), "walker")
        cut = r.integers(1, 8, len(dot))
        w.local[dot] = np.array(
            [b[:c] + "." + b[c:] if c < len(b) else b for b, c in zip(base, cut, strict=True)], dtype=object
        )
        w.domain[dot] = "gmail.com"
        rest = m[~np.isin(m, dot) & (r.random(s) < 0.6)]
        w.local[rest] = _cat("u", np.char.mod("%x", r.integers(16**7, 16**9, len(rest)))).astype(object)
        w.domain[rest] = r.choice(domains, len(rest)).astype(object)
    elif style in ("stealth",):
        w.poff[m], w.psize[m], w.phome[m] = proxy[0], len(proxy), 0.0
        w.sip[m] = w.home[m] = _pick(r, w.poff[m], w.psize[m], 1.0)
    else:  # camouflaged / low_slow: own consumer IP, own card, own device
        w.home[m] = w.sip[m] = w.reg.alloc(_by_country(r, w.country[m], "res"))
        w.phome[m] = 0.9 if style == "camouflaged" else 1.0
        w.poff[m], w.psize[m] = w.home[m], 1
        if style == "camouflaged":
            w.bin[pm] = r.integers(0, len(w.bank_bins), len(pm))
            w.funding[pm] = r.choice(2, len(pm))
            w.ua[m] = r.choice(len(UA_DESKTOP), s, p=UA_DESKTOP_W)
            ph = m[r.random(s) < 0.4]
            w.phone[ph] = ph
    # requests
    start = np.maximum(w.created[m], w.ws)
    life = r.integers(20, 60, s) * DAY if big else r.integers(14, 50, s) * DAY
    end = np.minimum(w.created[m] + life, w.we)
    ok = end > start
    if style == "low_slow":
        rows = _shift(r, m[ok], start[ok], end[ok], tz, shift + 3, 3, 0.45, 0)
        cnt = 1 + r.poisson(2.5, len(rows["acct"]))
        tm = np.full(len(rows["acct"]), tmpl[0])
    else:
        jitter = 1 if style != "clear" else 0
        drop = cfg.shift_dropout + (0.3 if style == "camouflaged" else 0.0) + (0.2 if big else 0.0)
        rows = _shift(r, m[ok], start[ok], end[ok], tz, shift, length, min(drop, 0.95), jitter)
        cnt = 1 + r.poisson(10, len(rows["acct"]))
        nr = len(rows["acct"])
        tm = np.where(
            r.random(nr) < cfg.stealth_template_use, r.choice(tmpl[:3], nr), w.ids.take(nr) + np.arange(nr)
        )
    nr = len(rows["acct"])
    rows["tmpl"] = tm
    rows["count"] = cnt
    rows["cap"] = r.choice(5, nr, p=[0.08, 0.3, 0.37, 0.2, 0.05] if big else [0.1, 0.3, 0.3, 0.2, 0.1])
    rows["ip"] = _pick(r, w.poff[rows["acct"]], w.psize[rows["acct"]], 1.0)
    rows["distill"] = np.ones(nr, bool)
    if style == "camouflaged":
        w.hours[m] = np.clip(r.lognormal(np.log(cfg.casual_hours_median * 3), 0.8, s), 2, 300).astype(
            np.int64
        )
        w.camo = np.concatenate([getattr(w, "camo", np.zeros(0, np.int64)), m])
    if big:
        rows["big"] = np.ones(nr, bool)
    w.blocks.append(rows)


# ----- assembly ----------------------------------------------------------------------------------


def _request_table(w: _World) -> pa.Table:
    """Casual rows for active legit (and camouflaged) accounts plus every block, deduplicated to one
    row per account-hour, as an Arrow table with plain string columns."""
    r, cfg = w.rng, w.cfg
    legit_active = np.flatnonzero(w.active[: w.L])
    camo = getattr(w, "camo", np.zeros(0, np.int64))
    acct = np.concatenate([legit_active, camo])
    rows = _casual(w, acct, w.hours[acct])
    a = rows["acct"]
    n = len(a)
    tb = w.tmpl_b[a]
    use_b = (tb != -1) & (r.random(n) < w.p_b[a])
    tm = 2 * a + (r.random(n) < 0.3)
    org_t = tb <= -2
    pub_t = tb <= -(10**9)
    # template ids: personal 2a / 2a+1 (< 2N), public and org ones after the counter
    pub0 = w.ids.take(w.n_pub)
    org0 = w.ids.take(len(w.org_info[3]))
    tm = np.where(use_b & pub_t, pub0 + (-(tb + 10**9)), tm)
    tm = np.where(use_b & org_t & ~pub_t, org0 + (-(tb + 2)), tm)
    rows["tmpl"] = tm
    prof = w.capprof[a]
    cap_chat = r.choice(5, n, p=[0.55, 0.2, 0.07, 0.08, 0.1])
    cap_build = r.choice(5, n, p=[0.15, 0.45, 0.22, 0.1, 0.08])
    rows["cap"] = np.where(prof == 1, cap_build, cap_chat)
    rows["count"] = 1 + r.geometric(0.3, n) + (r.random(n) < 0.05) * r.integers(5, 60, n)
    at_home = r.random(n) < w.phome[a]
    rows["ip"] = np.where(at_home, w.home[a], _pick(r, w.poff[a], w.psize[a], w.pskew[a]))
    blocks = [rows] + w.blocks
    cols = {k: np.concatenate([b[k] for b in blocks]) for k in ("acct", "hour", "tmpl", "cap", "count", "ip")}
    distill = np.concatenate([b.get("distill", np.zeros(len(b["acct"]), bool)) for b in blocks])
    big = np.concatenate([b.get("big", np.zeros(len(b["acct"]), bool)) for b in blocks])
    del blocks, rows
    # clip to the window and after sign-up
    ok = (
        (cols["hour"] >= w.ws // HOUR)
        & (cols["hour"] < w.we // HOUR)
        & (cols["hour"] * HOUR >= w.created[cols["acct"]])
    )
    cols = {k: v[ok] for k, v in cols.items()}
    distill, big = distill[ok], big[ok]
    # one row per account-hour: keep the first, sum the counts
    key = cols["acct"].astype(np.int64) * 1_000_000 + (cols["hour"] - w.ws // HOUR)
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.r_[True, key[1:] != key[:-1]]
    grp = np.cumsum(first) - 1
    counts = np.bincount(grp, weights=cols["count"][order]).astype(np.int64)
    sel = order[first]
    cols = {k: v[sel] for k, v in cols.items()}
    cols["count"] = counts
    distill, big = distill[sel], big[sel]
    # the big campaign's exchanges: exactly its target, spread in proportion to the planted counts
    if big.any():
        target = round(cfg.big_campaign_exchanges * w.n_big / 25_000)
        c = cols["count"][big].astype(float)
        scaled = np.floor(c / c.sum() * target).astype(np.int64)
        scaled = np.maximum(scaled, 1)
        diff = target - int(scaled.sum())
        if diff > 0:
            scaled[r.choice(len(scaled), diff, replace=True)] += 1
            # np.add.at would be exact with repeats; fix any shortfall deterministically
            scaled[0] += target - int(scaled.sum())
        elif diff < 0:
            big_i = np.argsort(scaled)[::-1][:-diff]
            scaled[big_i] -= 1
        cols["count"][big] = scaled
    n = len(cols["acct"])
    tin = (r.lognormal(6.3, 1.0, n) * cols["count"]).astype(np.int64)
    tout = (r.lognormal(np.where(distill, 7.4, 5.6), np.where(distill, 0.5, 0.9)) * cols["count"]).astype(
        np.int64
    )
    keyid = np.where(w.has_key[cols["acct"]], cols["acct"], -1)
    ip_str, _ = w.reg.done()
    acct_ids = w.account_ids
    tdict = _template_dict(cols["tmpl"])
    table = pa.table(
        {
            "account_id": _dict_col(cols["acct"], acct_ids),
            "ts": pa.array(cols["hour"] * HOUR * 1_000_000, pa.timestamp("us", tz="UTC")),
            "count": pa.array(cols["count"], pa.int64()),
            "api_key_id": _dict_col(
                keyid, _cat("key_", _hexid(np.arange(w.cfg.accounts), 7)[:], ""), null=-1
            ),
            "ip": _dict_col(cols["ip"], ip_str),
            "prompt_fingerprint": tdict,
            "capability": _dict_col(cols["cap"], CAPS),
            "input_tokens": pa.array(tin, pa.int64()),
            "output_tokens": pa.array(tout, pa.int64()),
        }
    )
    w.req_count = np.bincount(cols["acct"], weights=cols["count"], minlength=cfg.accounts)
    return table


def _dict_col(codes: np.ndarray, values: np.ndarray, null: int | None = None) -> pa.Array:
    """A plain Arrow string column from integer codes into `values` (built in C++, not Python)."""
    codes = np.asarray(codes, dtype=np.int64)
    mask = codes == null if null is not None else None
    idx = pa.array(np.where(mask, 0, codes) if mask is not None else codes, pa.int64(), mask=mask)
    dic = pa.array(np.asarray(values, dtype=object).astype(str), pa.string())
    return pa.DictionaryArray.from_arrays(idx, dic).cast(pa.string())


def _template_dict(tm: np.ndarray) -> pa.Array:
    uniq, inv = np.unique(tm, return_inverse=True)
    return _dict_col(inv, _cat("pf_", _hexid(uniq, 3)))


def _phones(w: _World, pid: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Phone numbers for phone ids, in the formats people type them."""
    r = np.random.default_rng(w.cfg.seed + 99)
    n = len(pid)
    x = 10**7 + (pid * 7919 + 104_729) % (9 * 10**7)
    nat = np.empty(n, dtype=object)
    na = np.isin(country, [0, 7])
    area = US_AREA[pid % len(US_AREA)]
    exch = 200 + (pid // 7) % 800
    sub = (x % 10_000).astype(str)
    nat[na] = _cat(area[na], exch[na], np.char.zfill(sub[na], 4))
    lead = {1: "98", 2: "77", 3: "17", 4: "119", 5: "6", 6: "90", 8: "4", 9: "6", 10: "10"}
    for c, p in lead.items():
        m = country == c
        nat[m] = _cat(p, np.char.zfill((x[m] % 10**8).astype(str), 8))
    e164 = _cat("+", DIAL[country], nat.astype(str))
    fmt = r.random(n)
    spaced = _cat("+", DIAL[country], " ", nat.astype(str))
    us_fmt = np.array([f"({s[:3]}) {s[3:6]}-{s[6:]}" for s in nat[na].astype(str)], dtype=object)
    out = np.where(fmt < 0.8, e164, spaced).astype(object)
    usm = np.flatnonzero(na)
    pick = fmt[usm] > 0.9
    out[usm[pick]] = us_fmt[pick]
    return out


def build_world(cfg: WorldConfig) -> dict[str, object]:
    """Generate all tables and the truth in memory (vectorised: ~1M accounts in a few minutes)."""
    w = _World(cfg)
    _legit(w)
    _fraud(w)
    r, n = w.rng, cfg.accounts
    perm = r.permutation(n)
    w.account_ids = _cat("acct_", np.char.zfill((perm * 7 + 1_000_003).astype(str), 8))
    # e-mail: make raw addresses unique (normalised collisions only where planted)
    dom = w.domain.astype(str)
    loc = w.local.astype(str)
    full = _cat(loc, "@", dom)
    dup = pd.Series(full).duplicated().to_numpy()
    for _ in range(4):
        if not dup.any():
            break
        loc[dup] = _cat(loc[dup], r.integers(10, 999, int(dup.sum())))
        full = _cat(loc, "@", dom)
        dup = pd.Series(full).duplicated().to_numpy()
    # case variation, as typed
    up = r.random(n) < 0.03
    full[up] = np.char.capitalize(full[up])
    ip_str, ip_asn = w.reg.done()
    style = w.style.copy()
    names = list(w.patterns)
    pat = np.full(n, "", dtype=object)
    for k in names:
        m = w.patterns[k] & ~w.is_fraud
        pat[m] = pat[m] + np.where(pat[m] == "", "", "+") + k
    legit = ~w.is_fraud
    style[legit] = np.where(pat[legit] == "", "plain", pat[legit])
    phone = np.full(n, None, dtype=object)
    hp = w.phone >= 0
    phone[hp] = _phones(w, w.phone[hp], w.country[hp])
    accounts = pd.DataFrame(
        {
            "account_id": w.account_ids,
            "created_at": pd.to_datetime(w.created, unit="s", utc=True),
            "email": full,
            "phone": phone,
            "signup_ip": ip_str[w.sip],
            "device_id": _cat("dev_", _hexid(w.device, 11)),
            "user_agent": UA_ALL[w.ua],
            "country": COUNTRIES[w.country],
            "org_id": np.where(w.org >= 0, _cat("org_", _hexid(np.maximum(w.org, 0), 5)[:], ""), None),
        }
    )
    accounts["org_id"] = accounts["org_id"].where(w.org >= 0, None)
    # payments: one card per payer, some a second card
    pay = np.flatnonzero(w.card >= 0)
    second = pay[r.random(len(pay)) < 0.1]
    acc2 = np.concatenate([pay, second])
    card2 = np.concatenate([w.card[pay], w.ids.take(len(second)) + np.arange(len(second))])
    bin2 = np.concatenate([w.bin[pay], r.integers(0, len(w.bank_bins), len(second))])
    fund = np.array(["credit", "debit", "prepaid"])[
        np.concatenate([w.funding[pay], np.zeros(len(second), int)])
    ]
    payments = pd.DataFrame(
        {
            "account_id": w.account_ids[acc2],
            "card_fingerprint": _cat("card_", _hexid(card2, 13)),
            "card_bin": w.bins[bin2],
            "card_country": w.bin_cc[bin2],
            "funding": fund,
            "billing_postal_code": np.char.zfill(w.postal[acc2].astype(str), 5),
            "created_at": pd.to_datetime(
                np.minimum(w.created[acc2] + r.integers(60, 20 * DAY, len(acc2)), w.we - 1),
                unit="s",
                utc=True,
            ),
        }
    )
    # ip events: the sign-up plus logins from home or the account's pool
    nlog = r.poisson(np.where(w.active, 5, 1.2))
    rep = np.repeat(np.arange(n), nlog)
    lo = np.where(w.active[rep], np.maximum(w.created[rep], w.ws - 10 * DAY), w.created[rep])
    t = lo + (r.random(len(rep)) * (w.we - lo)).astype(np.int64)
    home = r.random(len(rep)) < w.phome[rep]
    lip = np.where(home, w.home[rep], _pick(r, w.poff[rep], w.psize[rep], w.pskew[rep]))
    ev_acc = np.concatenate([np.arange(n), rep])
    ev_ip = np.concatenate([w.sip, lip])
    ev_t = np.concatenate([w.created, t])
    api = r.random(len(rep)) < np.where(w.has_key[rep], 0.5, 0.0)
    # built as Arrow dictionary columns cast to strings: no per-row Python string objects
    ip_events = pa.table(
        {
            "account_id": _dict_col(ev_acc, w.account_ids),
            "ip": _dict_col(ev_ip, ip_str),
            "seen_at": pa.array(ev_t * 1_000_000, pa.timestamp("us", tz="UTC")),
            "event": _dict_col(
                np.concatenate([np.zeros(n, np.int64), 1 + api]), np.array(["signup", "login", "api"])
            ),
            "asn": pa.array(ASN_NUM[ip_asn[ev_ip]], pa.int64()),
            "asn_org": _dict_col(ip_asn[ev_ip], ASN_ORG),
            "user_agent": _dict_col(w.ua[ev_acc], UA_ALL),
        }
    )
    requests = _request_table(w)
    fraud = w.is_fraud
    truth = pd.DataFrame(
        {
            "account_id": w.account_ids,
            "is_fraud": fraud,
            "ring_id": np.where(fraud, np.array(w.ring_names + ["-"], dtype=object)[w.ring], None),
            "campaign_id": np.where(
                fraud, np.array(w.campaign_names + ["-"], dtype=object)[w.campaign], None
            ),
            "style": style,
        }
    )
    # an operator's stealth (and camouflaged) rings share its proxy pool, templates and
    # shift: nothing in the data tells them apart but their sign-up windows. The finest
    # grouping the data shows merges them; ring ARI is scored against both
    twin = np.isin(style, ["stealth", "camouflaged"]) & fraud
    truth["twin_group"] = np.where(twin, truth["campaign_id"].astype(str) + ":" + style.astype(str),
                                   truth["ring_id"])
    vip_ids = w.account_ids[w.vip]
    allow = pd.DataFrame(
        w.allow + [("account_id", a, "VIP customer") for a in vip_ids], columns=["kind", "value", "note"]
    )
    return {
        "accounts": accounts,
        "payments": payments,
        "ip_events": ip_events,
        "requests": requests,
        "truth": truth,
        "allowlist": allow,
    }


def write_world(out: Path, cfg: WorldConfig) -> dict[str, int]:
    """Write the tables, the allow-list and the truth into `out`; return row counts."""
    out.mkdir(parents=True, exist_ok=True)
    tables = build_world(cfg)
    counts: dict[str, int] = {}
    for name, t in tables.items():
        if name == "allowlist":
            t.to_csv(out / "allowlist.csv", index=False)
        elif isinstance(t, pa.Table):
            pq.write_table(t, out / f"{name}.parquet")
        else:
            t.to_parquet(out / f"{name}.parquet", index=False)
        counts[name] = len(t)
    (out / "world.json").write_text(json.dumps({"config": asdict(cfg), "rows": counts}, indent=1))
    return counts


# ----- scoring -----------------------------------------------------------------------------------

GMAIL = {"gmail.com", "googlemail.com"}


def normalise_email(email: pd.Series) -> pd.Series:
    """Lower case, drop +tags, and drop dots for gmail, so that variants of one inbox compare equal."""
    e = email.astype("string").str.strip().str.lower()
    parts = e.str.split("@", n=1, expand=True)
    if parts.shape[1] < 2:
        return e
    local, dom = parts[0].str.split("+", n=1).str[0], parts[1]
    local = local.where(~dom.isin(GMAIL), local.str.replace(".", "", regex=False))
    return (local + "@" + dom).where(dom.notna(), e)


def _read_csv(path: Path, cols: list[str]) -> pd.DataFrame:
    if not path.exists() or path.stat().st_size == 0:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    df = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", pd.NA)
    for c in cols:
        if c not in df:
            df[c] = pd.NA
    return df


def ari(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (pair counting, no sklearn)."""
    n = len(a)
    if n < 2:
        return 1.0

    def c2(x: np.ndarray) -> float:
        x = x.astype(float)
        return float((x * (x - 1) / 2).sum())

    df = pd.DataFrame({"a": a, "b": b})
    index = c2(df.value_counts().to_numpy())
    ea, eb = c2(df["a"].value_counts().to_numpy()), c2(df["b"].value_counts().to_numpy())
    expected = ea * eb / (n * (n - 1) / 2)
    top = (ea + eb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def _ring_sharing(truth: pd.DataFrame, acc: pd.DataFrame, pay: pd.DataFrame,
                  ip_tables: Sequence[pd.DataFrame] = ()) -> pd.DataFrame:
    """Per ring: whether it is clear, i.e. shares its own device / card / e-mail among >= 3
    members or its own IP among >= 9 (the issue's definition); "its own": the ring's members
    are more than half of all the accounts using that value (a device used by 700 legit accounts
    and 4 ring-mates is not the ring's identifier). IPs: sign-up IPs and the IPs of
    `ip_tables` (frames with `account_id`, `ip`: ip_events, requests), users counted over all
    of them. `max_strong_share`: the most members on one device, card or e-mail (any users);
    `behaviour_only`: no two members share a device, card, e-mail, phone or sign-up IP at all
    (any users, request and event IPs not counted). `attrs["own_strong"]`: the fraud accounts
    that themselves share one of their ring's own devices, cards or e-mails with at least two
    other members of their ring."""
    fr = truth.loc[truth["is_fraud"], ["account_id", "ring_id"]]
    emails = pd.DataFrame({"account_id": acc["account_id"], "value": normalise_email(acc["email"])})
    a = acc.assign(email_n=emails["value"].to_numpy()).merge(fr, on="account_id")
    p = pay.merge(fr, on="account_id")
    parts = [
        a[["ring_id", "account_id"]].assign(kind=k, value=a[c])
        for k, c in (
            ("device", "device_id"),
            ("email", "email_n"),
            ("phone", "phone"),
            ("signup_ip", "signup_ip"),
        )
    ]
    parts.append(p[["ring_id", "account_id"]].assign(kind="card", value=p["card_fingerprint"]))
    long = pd.concat(parts).dropna(subset=["value"]).drop_duplicates()
    shared = long.groupby(["ring_id", "kind", "value"])["account_id"].nunique().rename("n").reset_index()
    strong_kinds = ["device", "card", "email"]
    strong = shared[shared["kind"].isin(strong_kinds)].groupby("ring_id")["n"].max()
    anyk = shared[shared["n"] >= 2].groupby("ring_id").size()
    # any IP of the members: sign-up, events, requests (one kind)
    ipl = [a[["ring_id", "account_id"]].assign(value=a["signup_ip"])]
    fids = fr["account_id"]
    for tab in ip_tables:
        x = tab.loc[tab["account_id"].isin(fids), ["account_id", "ip"]].dropna().drop_duplicates()
        ipl.append(x.rename(columns={"ip": "value"}).merge(fr, on="account_id"))
    ip_long = pd.concat(ipl).dropna(subset=["value"]).drop_duplicates(["ring_id", "account_id", "value"])
    ip_shared = ip_long.groupby(["ring_id", "value"])["account_id"].nunique().rename("n").reset_index()
    cand = pd.concat([
        shared[shared["kind"].isin(strong_kinds) & (shared["n"] >= 3)],
        ip_shared[ip_shared["n"] >= 9].assign(kind="ip"),
    ], ignore_index=True)
    # users of each candidate value, over the tables its kind is taken from
    sources = {
        "device": [(acc, "device_id")],
        "email": [(emails, "value")],
        "card": [(pay, "card_fingerprint")],
        "ip": [(acc, "signup_ip"), *[(tab, "ip") for tab in ip_tables]],
    }
    users = []
    for kind, srcs in sources.items():
        vals = cand.loc[cand["kind"] == kind, "value"].unique()
        if not len(vals):
            continue
        u = pd.concat([
            df.loc[df[col].isin(vals), ["account_id", col]].set_axis(["account_id", "value"], axis=1)
            for df, col in srcs
        ]).drop_duplicates()
        users.append(u.groupby("value")["account_id"].nunique().rename("users").reset_index().assign(kind=kind))
    ucols = ["kind", "value", "users"]
    cand = cand.merge(pd.concat(users)[ucols] if users else pd.DataFrame(columns=ucols),
                      on=["kind", "value"], how="left")
    own_vals = cand[2 * cand["n"] > cand["users"]]
    own_strong = own_vals[own_vals["kind"].isin(strong_kinds)]
    own = long.merge(own_strong[["ring_id", "kind", "value"]], on=["ring_id", "kind", "value"])["account_id"]
    rings = pd.DataFrame(index=pd.Index(fr["ring_id"].unique(), name="ring_id"))
    rings["max_strong_share"] = strong.reindex(rings.index).fillna(1).astype(int)
    rings["clear"] = rings.index.isin(own_vals["ring_id"])
    rings["behaviour_only"] = anyk.reindex(rings.index).fillna(0).eq(0)
    rings.attrs["own_strong"] = set(own)
    return rings


_CMP = re.compile(r"^\s*([\w-]+):([\w.\[\]*'-]+)\s+(=|LIKE|ISSUBSET|IN)\s+(.+?)\s*$")


def _stix_values(pattern: str) -> tuple[str, list[tuple[str, str, str, str]]] | None:
    """Split a simple STIX pattern into (joiner, comparisons); None when it is not simple."""
    body = pattern.strip()
    if not (body.startswith("[") and body.endswith("]")) or body.count("[") != 1:
        return None
    body = body[1:-1]
    joiner = "AND" if " AND " in body else "OR"
    if " AND " in body and " OR " in body:
        return None
    out = []
    for part in re.split(r"\s+(?:AND|OR)\s+", body):
        m = _CMP.match(part.strip("() "))
        if not m:
            return None
        out.append((m.group(1), m.group(2), m.group(3), m.group(4).strip().strip("'")))
    return joiner, out


def _stix_eval(
    bundle: dict, data: Path, acc: pd.DataFrame, pay: pd.DataFrame, fraud: set[str],
    req_ips: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
) -> dict[str, object]:
    """Which accounts each indicator's pattern matches; count indicators matching more legit than
    fraud accounts, those matching no account at all, and those whose pattern this scorer
    cannot evaluate. IPs: of ip_events, sign-ups and requests (`req_ips`: a frame with
    `account_id`, `ip`; read from `data` when not given), compared as addresses (any textual
    form of one IPv6 address matches it). `events`: ip_events' account, IP and ASN columns
    (read from `data` when not given)."""
    import ipaddress

    inds = [o for o in bundle.get("objects", []) if o.get("type") == "indicator"]
    parsed = [(o, _stix_values(o.get("pattern", ""))) for o in inds]
    wanted: dict[str, set[str]] = {}
    for _, p in parsed:
        for obj, prop, _op, val in p[1] if p else []:
            wanted.setdefault(f"{obj}:{prop}", set()).add(val)
    ip_keys = [k for k in wanted if k.startswith("ipv4-addr") or k.startswith("ipv6-addr")]
    need_ip = any(wanted[k] for k in ip_keys)
    ipacc = pd.DataFrame(columns=["account_id", "ip"])
    asn_acc = pd.DataFrame(columns=["account_id", "asn"])
    ip_hits: dict[tuple[str, str], set[str]] = {}  # (op, value) -> the data's IP strings it matches
    if need_ip or any(k.startswith("autonomous-system") for k in wanted):
        ev = (events if events is not None
              else pd.read_parquet(data / "ip_events.parquet", columns=["account_id", "ip", "asn"]))
        asn_acc = ev[["account_id", "asn"]].drop_duplicates()
    if need_ip:
        if req_ips is None:
            req_ips = pq.read_table(data / "requests.parquet", columns=["account_id", "ip"]).to_pandas()
        srcs = [(ev, "ip"), (acc, "signup_ip"), (req_ips, "ip")]
        raw = pd.unique(np.concatenate([pd.unique(df[c].dropna().to_numpy(dtype=object)) for df, c in srcs]))
        # a dotted IPv4 string is its own textual form (ipaddress refuses any other): only
        # the data's IPv6 strings need parsing to be compared as addresses
        raw_set = set(raw)
        by_norm: dict[str, set[str]] = {}
        for x in raw[pd.Series(raw, dtype=object).str.contains(":", regex=False).to_numpy()]:
            by_norm.setdefault(_norm_ip(x), set()).add(x)
        for obj, prop, op, val in (c for _, p in parsed if p for c in p[1]):
            if obj not in ("ipv4-addr", "ipv6-addr") or prop != "value" or (op, val) in ip_hits:
                continue
            if "/" in val or op == "ISSUBSET":
                net = ipaddress.ip_network(val, strict=False)
                ip_hits[(op, val)] = {i for i in raw if _in_net(i, net)}
            else:
                norm = _norm_ip(val)
                ip_hits[(op, val)] = by_norm.get(norm, set()) | ({norm} & raw_set)
        relevant = set().union(*ip_hits.values())
        ipacc = (
            pd.concat(
                [
                    pd.DataFrame({"account_id": df.loc[m, "account_id"].to_numpy(), "ip": df.loc[m, c].to_numpy()})
                    for df, c in srcs
                    for m in [df[c].isin(relevant)]
                ]
            )
            .dropna()
            .drop_duplicates()
        )
    fp = pd.DataFrame(columns=["account_id", "prompt_fingerprint"])
    if any("prompt" in k or "fingerprint" in k for k in wanted):
        vals = sorted(set().union(*[v for k, v in wanted.items() if "prompt" in k or "fingerprint" in k]))
        t = pq.read_table(
            data / "requests.parquet",
            columns=["account_id", "prompt_fingerprint"],
            filters=[("prompt_fingerprint", "in", vals)],
        )
        fp = t.to_pandas().drop_duplicates()
    emails = normalise_email(acc["email"])

    def match(obj: str, prop: str, op: str, val: str) -> set[str] | None:
        if obj in ("ipv4-addr", "ipv6-addr") and prop == "value":
            return set(ipacc.loc[ipacc["ip"].isin(ip_hits[(op, val)]), "account_id"])
        if obj == "email-addr" and prop == "value":
            if op == "LIKE" and val.startswith("%@"):
                return set(acc.loc[emails.str.endswith("@" + val[2:].lower()).fillna(False), "account_id"])
            return set(acc.loc[emails == normalise_email(pd.Series([val]))[0], "account_id"])
        if obj == "autonomous-system" and prop == "number":
            return set(asn_acc.loc[asn_acc["asn"] == int(val), "account_id"])
        if "prompt" in obj or prop == "fingerprint":
            return set(fp.loc[fp["prompt_fingerprint"] == val, "account_id"])
        if "device" in obj or "device" in prop:
            return set(acc.loc[acc["device_id"] == val, "account_id"])
        if "card" in obj or "bin" in prop:
            col = "card_bin" if "bin" in prop else "card_fingerprint"
            return set(pay.loc[pay[col] == val, "account_id"])
        if "org" in obj or "org" in prop:
            return set(acc.loc[acc["org_id"] == val, "account_id"])
        return None

    res = {"indicators": len(inds), "unparsed": 0, "more_legit_than_fraud": 0, "matched_none": 0,
           "kinds": {}, "worst": []}
    for o, p in parsed:
        kind = o.get("pattern", "").strip("[").split(":")[0]
        res["kinds"][kind] = res["kinds"].get(kind, 0) + 1
        sets = [match(*c) for c in p[1]] if p else [None]
        if any(s is None for s in sets):
            res["unparsed"] += 1
            continue
        hit = set.union(*sets) if p[0] == "OR" else set.intersection(*sets)
        nf = len(hit & fraud)
        nl = len(hit) - nf
        if not hit:
            res["matched_none"] += 1
        if nl > nf:
            res["more_legit_than_fraud"] += 1
            res["worst"].append({"pattern": o["pattern"][:120], "legit": nl, "fraud": nf})
    res["worst"] = sorted(res["worst"], key=lambda x: -x["legit"])[:10]
    return res


def _norm_ip(ip: str) -> str:
    """An IP address in one textual form (`ipaddress`'s compressed one); not an address: as is."""
    import ipaddress

    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return ip


def _in_net(ip: str, net: object) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(ip) in net  # type: ignore[operator]
    except ValueError:
        return False


def _private_reach(data: Path, truth: pd.DataFrame, acc: pd.DataFrame, pay: pd.DataFrame,
                   req: pd.DataFrame, min_share: float = 0.8,
                   ev: pd.DataFrame | None = None) -> dict[str, float]:
    """Per planted campaign: the share of its accounts in its largest group of rings tied by
    values that two of its rings use and nearly only it uses (at least `min_share` of each
    value's users are the campaign's accounts): device, phone, e-mail, sign-up IP, card, card
    BIN, IP, prompt template, API key. What a detector joining rings only through the
    operation's own identifiers and infrastructure can reach; ties by timing alone (a shared
    shift, sign-up waves) are not counted, so a campaign can be found whole above it only by
    timing. `req`: the requests' account, IP, template and key columns; `ev`: ip_events'
    account and IP columns (read from `data` when not given)."""
    if ev is None:
        ev = pq.read_table(data / "ip_events.parquet", columns=["account_id", "ip"]).to_pandas()
    parts = []
    for kind, df, col in [("device", acc, "device_id"), ("phone", acc, "phone"), ("email", acc, "email"),
                          ("signup_ip", acc, "signup_ip"), ("card", pay, "card_fingerprint"),
                          ("bin", pay, "card_bin"), ("ip", req, "ip"), ("ip", ev, "ip"),
                          ("template", req, "prompt_fingerprint"), ("key", req, "api_key_id")]:
        x = df[["account_id", col]].dropna().astype(str).drop_duplicates()
        parts.append(pd.DataFrame({"account_id": x["account_id"].to_numpy(),
                                   "v": (kind + ":" + x[col]).to_numpy()}))
    del ev
    v = pd.concat(parts, ignore_index=True).drop_duplicates()
    t = truth.set_index("account_id")
    v["camp"] = t["campaign_id"].reindex(v["account_id"]).to_numpy()
    v["ring"] = t["ring_id"].reindex(v["account_id"]).to_numpy()
    users = v.groupby("v").size()
    fv = v[t["is_fraud"].reindex(v["account_id"]).fillna(False).to_numpy(bool)]
    mine = fv.groupby(["v", "camp"]).size().rename("n").reset_index()
    mine = mine[mine["n"] >= min_share * users.reindex(mine["v"]).to_numpy()]
    fv = fv.merge(mine[["v", "camp"]], on=["v", "camp"])
    # rings joined through shared private values: connected components of ring × ring
    # (values are each private to one campaign, so components never cross campaigns)
    fraud = truth[truth["is_fraud"]]
    rings = pd.Index(fraud["ring_id"].unique())
    rv = fv[["ring", "v"]].drop_duplicates()
    r_code = rings.get_indexer(rv["ring"])
    v_code, _ = pd.factorize(rv["v"])
    inc = sp.csr_matrix((np.ones(len(rv)), (r_code, v_code)),
                        shape=(len(rings), int(v_code.max(initial=-1)) + 1))
    _, comp = connected_components(inc @ inc.T, directed=False)
    ring_size = fraud.groupby("ring_id").size().reindex(rings).to_numpy()
    ring_camp = fraud.groupby("ring_id")["campaign_id"].first().reindex(rings)
    held = pd.DataFrame({"camp": ring_camp.to_numpy(), "comp": comp, "n": ring_size})
    best = held.groupby(["camp", "comp"])["n"].sum().groupby(level="camp").max()
    sizes = fraud.groupby("campaign_id").size()
    return {str(c): round(int(best[c]) / int(sizes[c]), 4) for c in best.index}


def score(data: Path, out: Path) -> dict[str, object]:
    """Compare linker's outputs in `out` with the planted truth of the world in `data`."""
    truth = pd.read_parquet(data / "truth.parquet")
    acc = pd.read_parquet(
        data / "accounts.parquet",
        columns=["account_id", "email", "device_id", "phone", "signup_ip", "org_id"],
    )
    pay = pd.read_parquet(data / "payments.parquet", columns=["account_id", "card_fingerprint", "card_bin"])
    sus = _read_csv(out / "suspensions.csv", ["account_id", "action", "cluster_id", "campaign_id"])
    mem = _read_csv(out / "members.csv", ["account_id", "cluster_id", "campaign_id"])
    allow = _read_csv(data / "allowlist.csv", ["kind", "value"])
    t = truth.set_index("account_id")
    fraud = t["is_fraud"].astype(bool)
    n_legit, n_fraud = int((~fraud).sum()), int(fraud.sum())
    flagged = set(sus["account_id"])
    suspended = set(sus.loc[sus["action"] == "suspend", "account_id"])
    fraud_ids = set(t.index[fraud])
    legit_ids = set(t.index[~fraud])
    req = pq.read_table(data / "requests.parquet", columns=["account_id", "count", "ip",
                                                             "prompt_fingerprint", "api_key_id"]).to_pandas()
    # ip_events read once, for the clear rings, the campaigns' private reach and STIX
    ev = pq.read_table(data / "ip_events.parquet", columns=["account_id", "ip", "asn"]).to_pandas()
    rings = _ring_sharing(truth, acc, pay, ip_tables=[ev, req])
    clear_acc = set(t.index[fraud & t["ring_id"].isin(rings.index[rings["clear"]])])
    own_acc = set(rings.attrs["own_strong"]) & set(t.index[fraud])
    beh_acc = set(t.index[fraud & t["ring_id"].isin(rings.index[rings["behaviour_only"]])])

    def pct(a: int, b: int) -> float | None:
        return round(100.0 * a / b, 3) if b else None

    res: dict[str, object] = {
        "accounts": len(t),
        "fraud_accounts": n_fraud,
        "legit_accounts": n_legit,
        "flagged": len(flagged),
        "suspended": len(suspended),
        "legit_reviewed_pct": pct(len(flagged & legit_ids), n_legit),
        "legit_suspended_pct": pct(len(suspended & legit_ids), n_legit),
        "allowlisted_suspended": int(len(set(allow.loc[allow["kind"] == "account_id", "value"]) & suspended)),
        "suspend_precision": round(len(suspended & fraud_ids) / len(suspended), 4) if suspended else None,
        "suspend_recall_clear": round(len(suspended & clear_acc) / len(clear_acc), 4) if clear_acc else None,
        "clear_ring_accounts": len(clear_acc),
        # per account (the rule 5): members that themselves share one of their ring's own
        # strong identifiers (device, card, e-mail: mostly the ring's accounts use it)
        # with two or more ring-mates; the ring-level figure above also counts their
        # ring-mates that share nothing strong, which per-account decisions send to review
        "suspend_recall_own_strong": round(len(suspended & own_acc) / len(own_acc), 4) if own_acc else None,
        "own_strong_accounts": len(own_acc),
        "suspend_recall_all": round(len(suspended & fraud_ids) / n_fraud, 4) if n_fraud else None,
        "flagged_recall": round(len(flagged & fraud_ids) / n_fraud, 4) if n_fraud else None,
        "flagged_recall_behaviour": round(len(flagged & beh_acc) / len(beh_acc), 4) if beh_acc else None,
        "behaviour_ring_accounts": len(beh_acc),
    }
    # ring ARI over accounts that are fraud or flagged
    u = sorted(fraud_ids | flagged)
    cl = mem.drop_duplicates("account_id").set_index("account_id")["cluster_id"]
    true_l = np.where(
        fraud.reindex(u).fillna(False), t["ring_id"].reindex(u).astype(str), "legit:" + pd.Index(u)
    )
    pred = cl.reindex(u)
    pred_l = np.where(pred.notna(), pred.astype(str), "none:" + pd.Index(u))
    res["ring_ari"] = round(ari(np.asarray(true_l), np.asarray(pred_l)), 4)
    if "twin_group" in t.columns:  # world A: look-alike rings merged (see `generate`)
        twin_l = np.where(fraud.reindex(u).fillna(False), t["twin_group"].reindex(u).astype(str),
                          "legit:" + pd.Index(u))
        res["ring_ari_twins_merged"] = round(ari(np.asarray(twin_l), np.asarray(pred_l)), 4)
        # what a detector that finds every look-alike group exactly scores against the rings
        res["ring_ari_ceiling"] = round(ari(np.asarray(true_l), np.asarray(twin_l)), 4)
    # campaigns
    lc = pd.concat([mem[["account_id", "campaign_id"]], sus[["account_id", "campaign_id"]]]).dropna()
    lc = lc.drop_duplicates("account_id")
    linker_sets = {c: set(g) for c, g in lc.groupby("campaign_id")["account_id"]}
    truth_sets = {c: set(g) for c, g in truth[truth["is_fraud"]].groupby("campaign_id")["account_id"]}
    reach = _private_reach(data, truth, acc, pay, req, ev=ev)
    per_c = []
    for c, ts in sorted(truth_sets.items(), key=lambda x: -len(x[1])):
        best, bj = None, 0.0
        for lcid, ls in linker_sets.items():
            inter = len(ts & ls)
            if inter:
                j = inter / len(ts | ls)
                if j > bj:
                    best, bj = lcid, j
        styles = truth.loc[truth["campaign_id"] == c, "style"].value_counts().to_dict()
        per_c.append(
            {
                "campaign": c,
                "accounts": len(ts),
                "styles": styles,
                "flagged": len(ts & flagged),
                "suspended": len(ts & suspended),
                "best_linker_campaign": best,
                "best_jaccard": round(bj, 4),
                "private_reach": reach.get(str(c)),
            }
        )
    res["campaigns"] = per_c
    res["linker_campaigns"] = len(linker_sets)
    res["campaigns_mostly_legit"] = sum(len(s & legit_ids) > len(s) / 2 for s in linker_sets.values())
    # the biggest campaign's exchanges, as linker's campaign counts them vs the truth
    if per_c:
        big = per_c[0]
        per_acc = req.groupby("account_id", observed=True)["count"].sum()
        true_x = float(per_acc.reindex(list(truth_sets[big["campaign"]])).fillna(0).sum())
        found = linker_sets.get(big["best_linker_campaign"], set())
        found_x = float(per_acc.reindex(list(found)).fillna(0).sum())
        reported = None
        cj = out / "campaigns.json"
        if cj.exists() and big["best_linker_campaign"]:
            for c in json.loads(cj.read_text()):
                if c.get("campaign_id") == big["best_linker_campaign"]:
                    reported = c.get("exchanges")
        res["big_campaign"] = {
            "campaign": big["campaign"],
            "true_exchanges": int(true_x),
            "linker_campaign": big["best_linker_campaign"],
            "linker_campaign_exchanges_from_requests": int(found_x),
            "linker_reported_exchanges": reported,
            "rel_error": round((found_x - true_x) / true_x, 4) if true_x else None,
            "rel_error_reported": round((reported - true_x) / true_x, 4)
            if true_x and reported is not None
            else None,
        }
    # STIX
    stix_path = out / "campaigns.stix.json"
    if stix_path.exists():
        res["stix"] = _stix_eval(json.loads(stix_path.read_text()), data, acc, pay, fraud_ids,
                                req_ips=req, events=ev)
    # breakdowns
    lg = truth[~truth["is_fraud"]][["account_id", "style"]].copy()
    lg["pattern"] = lg["style"].str.split("+")
    lg = lg.explode("pattern")
    lg["flagged"] = lg["account_id"].isin(flagged)
    lg["suspended"] = lg["account_id"].isin(suspended)
    b = lg.groupby("pattern").agg(
        n=("account_id", "size"), flagged=("flagged", "sum"), suspended=("suspended", "sum")
    )
    b["flagged_pct"] = (100 * b["flagged"] / b["n"]).round(3)
    res["legit_flagged_by_pattern"] = (
        b.sort_values("flagged", ascending=False).reset_index().to_dict("records")
    )
    fr = truth[truth["is_fraud"]][["account_id", "style", "ring_id"]].copy()
    fr["flagged"] = fr["account_id"].isin(flagged)
    fr["suspended"] = fr["account_id"].isin(suspended)
    fb = fr.groupby("style").agg(
        n=("account_id", "size"), flagged=("flagged", "sum"), suspended=("suspended", "sum")
    )
    fb["missed"] = fb["n"] - fb["flagged"]
    fb["missed_pct"] = (100 * fb["missed"] / fb["n"]).round(2)
    res["fraud_missed_by_style"] = fb.reset_index().to_dict("records")
    return json.loads(json.dumps(res, default=lambda x: x.item() if hasattr(x, "item") else str(x)))


def format_score(res: dict[str, object]) -> str:
    """A readable text rendering of `score`'s result."""
    lines = []
    for k, v in res.items():
        if not isinstance(v, (list, dict)):
            lines.append(f"{k:28s} {v}")
    if "big_campaign" in res:
        lines.append("big campaign: " + json.dumps(res["big_campaign"]))
    if "stix" in res:
        s = res["stix"]
        lines.append(
            f"stix: {s['indicators']} indicators, {s['more_legit_than_fraud']} match more legit than "
            f"fraud, {s.get('matched_none', 0)} match no account, {s['unparsed']} unparsed, "
            f"kinds {s['kinds']}"
        )
        for x in s["worst"][:5]:
            lines.append(f"   {x['legit']:>6} legit {x['fraud']:>6} fraud  {x['pattern']}")
    lines.append("campaigns (truth → best linker campaign):")
    for c in res.get("campaigns", []):
        lines.append(
            f"  {c['campaign']:14s} n={c['accounts']:>6} flagged={c['flagged']:>6} "
            f"suspended={c['suspended']:>6} jaccard={c['best_jaccard']:.3f} "
            f"reach={c.get('private_reach') or 0:.3f}  {c['styles']}"
        )
    lines.append("legit flagged by pattern:")
    for r in res.get("legit_flagged_by_pattern", []):
        lines.append(
            f"  {r['pattern']:16s} n={r['n']:>7} flagged={r['flagged']:>5} ({r['flagged_pct']}%) "
            f"suspended={r['suspended']}"
        )
    lines.append("fraud missed by style:")
    for r in res.get("fraud_missed_by_style", []):
        lines.append(
            f"  {r['style']:12s} n={r['n']:>6} flagged={r['flagged']:>6} suspended={r['suspended']:>6} "
            f"missed={r['missed']} ({r['missed_pct']}%)"
        )
    return "\n".join(lines)


def _cli_generate(args: argparse.Namespace) -> None:
    cfg = WorldConfig(accounts=args.accounts, seed=args.seed)
    t0 = time.time()
    counts = write_world(Path(args.dir), cfg)
    print(json.dumps({"dir": str(args.dir), "seconds": round(time.time() - t0, 1), "rows": counts}))


def run_world(accounts: int, seed: int, work: Path, world: str = "a",
              config: Path | None = None) -> dict[str, object]:
    """Generate one world (`world` a: this module's generator, b, c, d or e:
    bench.independent_b's, _c's, _d's or _e's), run
    `linker run` on it as a user would (embedded store, its own workspace, `--config config`
    if given: to measure a setting against the defaults), score it; the world and workspace
    are deleted, the score is returned."""
    import shutil
    import subprocess
    import tempfile

    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="linker-indep-", dir=work) as tmp:
        data, out = Path(tmp) / "world", Path(tmp) / "out"
        t0 = time.perf_counter()
        if world in ("b", "c", "d", "e", "f", "g"):
            import importlib

            gen = importlib.import_module(f"bench.independent_{world}")
            gen.generate(data, gen.WorldConfig(accounts=accounts, seed=seed), quiet=True)
        else:
            write_world(data, WorldConfig(accounts=accounts, seed=seed))
        t1 = time.perf_counter()
        cmd = [sys.executable, "-m", "linker", "run", str(data), "--out", str(out), "--allowlist",
               str(data / "allowlist.csv"), "--workspace", str(Path(tmp) / "ws"), "--json", "--quiet"]
        if config is not None:
            cmd += ["--config", str(config)]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            return {"seed": seed, "accounts": accounts, "error": (p.stderr or p.stdout)[-1500:]}
        t2 = time.perf_counter()
        res = score(data, out)
        shutil.rmtree(out, ignore_errors=True)
    res.update({"seed": seed, "world": world, "accounts": accounts, "generate_s": round(t1 - t0, 1),
                "linker_run_s": round(t2 - t1, 1)})
    return res


def grid_table(results: list[dict[str, object]]) -> str:
    """Markdown: one column per world, one row per metric."""
    cols = [f"{r.get('world', 'a')}/{r['seed']}" + (" (tuning)" if r.get("world", "a") == "a"
                                                 and r["seed"] in TUNING_SEEDS else "")
            for r in results]
    lines = ["| metric | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in (*GRID_METRICS, "linker_run_s"):
        lines.append(f"| {k} | " + " | ".join(str(r.get(k, r.get("error", "–"))) for r in results) + " |")
    big = [r.get("big_campaign", {}) for r in results]
    lines.append("| big campaign exchanges error | " + " | ".join(
        str(b.get("rel_error", "–")) if isinstance(b, dict) else "–" for b in big) + " |")
    lines.append("| STIX indicators / matching more legit than fraud | " + " | ".join(
        f"{r['stix']['indicators']} / {r['stix']['more_legit_than_fraud']}" if isinstance(r.get("stix"), dict)
        else "–" for r in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`generate` a world, `score` linker's outputs against its truth, or run a `grid`."""
    ap = argparse.ArgumentParser(prog="python -m bench.independent", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write an independent world into DIR")
    g.add_argument("dir")
    g.add_argument("--accounts", type=int, default=WorldConfig.accounts)
    g.add_argument("--seed", type=int, default=WorldConfig.seed)
    s = sub.add_parser("score", help="score linker's OUT against DIR/truth.parquet")
    s.add_argument("dir")
    s.add_argument("out")
    s.add_argument("--json-out")
    gr = sub.add_parser("grid", help="generate, run linker and score each seed (held-out by default)")
    gr.add_argument("--accounts", type=int, default=200_000)
    gr.add_argument("--split", choices=("tuning", "heldout"), default="heldout")
    gr.add_argument("--seeds", default="", help="comma-separated seeds (overrides --split)")
    gr.add_argument("--work", default="/tmp", help="where the temporary worlds go")
    gr.add_argument("--world", choices=("a", "b", "c", "d", "e", "f", "g"), default="a",
                    help="a: this module's generator; b, c, d, e, f, g: bench.independent_b, _c, "
                         "_d, _e, _f, _g (their default seeds held out; e also has --split tuning)")
    gr.add_argument("--config", type=Path, help="settings file (TOML) for every `linker run`")
    gr.add_argument("--json-out")
    args = ap.parse_args(argv)
    if args.cmd == "grid":
        seeds = ([int(x) for x in args.seeds.split(",") if x.strip()] if args.seeds
                 else list(B_SEEDS) if args.world == "b" else list(C_SEEDS) if args.world == "c"
                 else list(D_SEEDS) if args.world == "d"
                 else list(F_SEEDS) if args.world == "f"
                 else list(G_SEEDS) if args.world == "g"
                 else list(E_TUNING_SEEDS if args.split == "tuning" else E_SEEDS)
                 if args.world == "e"
                 else list(TUNING_SEEDS if args.split == "tuning" else HELDOUT_SEEDS))
        results = []
        for seed in seeds:
            r = run_world(args.accounts, seed, Path(args.work), args.world, args.config)
            results.append(r)
            print(f"[seed {seed}] " + ", ".join(f"{k} {r.get(k)}" for k in GRID_METRICS if k in r)
                  + (f" error {r['error'][-300:]}" if "error" in r else ""), file=sys.stderr, flush=True)
            if args.json_out:
                Path(args.json_out).write_text(json.dumps(results, indent=1, default=str))
        print(grid_table(results))
        return 0
    if args.cmd == "generate":
        _cli_generate(args)
        return 0
    res = score(Path(args.dir), Path(args.out))
    print(format_score(res))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
