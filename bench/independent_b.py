"""Independent benchmark world "B": a synthetic consumer + developer AI platform.

Written only from the input data contract (docs: data-contract), without looking at
how the linker detects anything. It writes the four input tables as Parquet
(`accounts`, `payments`, `ip_events`, `requests`), an `allowlist.csv` and a
`truth.parquet` (account_id, is_fraud, ring_id, campaign_id, style).

    python -m bench.independent_b generate DIR --accounts 200000 --seed 41

The world
---------
Requests cover 2026-04-22 .. 2026-06-05 (45 UTC days); every account signed up in
the 365 days before (sign-up rate grows like exp(t / 200 d), plus bursts).

Legit population (each rate is a `WorldConfig` knob):

* 20 countries with their own time zones, e-mail providers, phone formats, postal
  formats, residential ISPs, mobile carriers (some IPv6-only per device) and
  card BINs (Zipf-popular BINs: big banks' BINs are shared by thousands).
* Mobile-primary users (per-country share).  ~30 % of them sit behind carrier-grade
  NAT pools of 5..50 strangers (truncated Pareto sizes, grouped by carrier).
* VPN / privacy-relay users: exits of iCloud Private Relay, WARP, Nord, Mullvad,
  Proton with lognormal load, so one exit is shared by hundreds..thousands.
* Universities (NREN address space, shared egress IPs, campus e-mail domain,
  semester-start sign-up bursts) and companies (org_id, corporate domain, office or
  Zscaler egress shared *across* tenants, SSO-rollout sign-up bursts, some pay with
  one corporate card, some run a VDI golden image = one device_id).
* Households of 2..5 (one home IP; some share a family card or tablet).
* People with 2..3 accounts (+tag / dot variants of the same Gmail, same device,
  sometimes same card / phone written in another format).
* Hackathon / conference sign-up bursts from one venue IP, with a starter template.
* Marketing-launch waves (three launch days with exponential decay).
* Public prompt templates (Zipf popularity, the most popular are open-source agent
  frameworks used for agentic_reasoning), trivial prompts ("hi", "test") that
  fingerprint identically for everyone, personal custom instructions.
* Developers with scheduled automation (hourly / 6-hourly / daily cron) from cloud
  egress; cloud IPs are drawn from small per-provider pools, so some are recycled
  between unrelated customers.
* Fintech / virtual-card BINs are used by legit Europeans too (the same kind of BIN
  fraud operators like).  Residential proxy pools partly exit through legit homes.

Fraud: `n_operators` operators (4..6), each one campaign of several rings.  Ring
sizes are lognormal; styles per operator:

* clear       - sign-up burst every ~45 s, datacenter IPs, reused devices, cards,
                VoIP phones and (half the rings) a Gmail dot/+tag farm or a
                disposable domain, one headless UA, optionally a shared workspace.
* stealth     - residential proxies rotating per request, fresh virtual cards on one
                or two BINs, random devices and UAs, 3..5 shared prompt templates,
                operator shift hours with ~25 min jitter, Sundays off.
* camouflaged - consumer-looking (mobile carrier IPs, partly the same CGNAT
                addresses legit users have, Gmail/iCloud names, stolen cards on
                popular BINs), 30 % ordinary chat traffic at local daytime, a few
                operational slips (a reused device / card).
* low_slow    - a patient operator with ~3 rings; each ring is tied only by one BIN,
                one template and two synchronised daily slots (+-10 min); every
                account is active in the request window, ~10 exchanges a day.

Operators rotate infrastructure ring by ring as a chain: each new ring inherits the
previous ring's last template (p=0.6) and/or BIN (p=0.5) - at least one of them -
and replaces the rest, so a campaign is connected only through its rotation chain.
Operator 0 is a distillation campaign aimed at agentic_reasoning / coding / planning
with long reasoning outputs and a fixed harness template on ~10 % of its traffic:
25,000 accounts and 28.8M exchanges from 500k accounts up (its rings mix stealth,
camouflaged and clear); in smaller worlds 1.25 % of accounts with exchanges scaled
by size (1,152 per account).  Fraud share is ~2.5 % at 200k and ~3.8 % at 1M.

Ring sizes: lognormal (median 45, sigma 0.8, 8..400; the distillation campaign's
rings median 600, 20..2500).  Ring lifetimes inside the window: clear rings burn in
8..20 days, stealth / distillation rings run 25..45 days from a staggered start,
camouflaged and low_slow rings run to the end.  Operators work shifts in their own
time zone (one in three on a night shift).

allowlist.csv (kind,value,note): the two heaviest legit cron accounts, a hackathon
attendee, a multi-account owner, a VDI-image employee, the largest corporate-card
org_id, the largest university's e-mail domain, the iCloud Private Relay ASN and the
largest conference venue IP.

Requests are mixed raw / aggregated rows: `count` is the number of exchanges
(sessions for consumers, hourly windows for API traffic) and the token columns are
totals for the row.  ip_events has one signup event per account with a sign-up IP,
pre-window logins, and login/api events derived from the request rows.

Truth `style`: the ring style for fraud; for legit the '+'-joined innocent-sharing
patterns (cgnat, vpn, campus, office, company_card, device_image, household, multi,
hackathon, launch, template, cron) or "plain".
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600


@dataclass
class WorldConfig:
    accounts: int = 200_000
    seed: int = 41
    # --- time -----------------------------------------------------------------
    window_start: str = "2026-04-22"  # first request day (UTC)
    window_end: str = "2026-06-06"  # exclusive: requests cover 04-22 .. 06-05
    signup_days: int = 365  # sign-ups over the year before the window
    signup_growth_tau_days: float = 200.0  # sign-up rate ~ exp(t / tau)
    # --- legit infrastructure sharing -----------------------------------------
    mobile_share_scale: float = 1.0  # x per-country mobile-primary share
    cgnat_frac_of_mobile: float = 0.30  # a quarter..a third of mobile users
    cgnat_pool_min: int = 5
    cgnat_pool_max: int = 50
    cgnat_pareto_alpha: float = 1.1  # heavy tail of CGNAT pool sizes
    vpn_frac: float = 0.06  # users on a VPN / privacy relay
    vpn_users_per_exit: float = 700.0  # mean load per exit (lognormal sigma 0.9)
    campus_frac: float = 0.045  # students / staff behind a university NAT
    campus_mean_size: float = 450.0
    office_frac: float = 0.11  # employees of companies with an org_id
    office_size_min: int = 3
    office_size_max: int = 800
    office_pareto_alpha: float = 0.9
    zscaler_frac: float = 0.20  # companies egressing via a shared Zscaler pool
    company_card_frac: float = 0.30  # companies paying with one corporate card
    device_image_frac: float = 0.08  # companies with a VDI golden image
    household_frac: float = 0.10  # persons living in a 2..5 person household
    family_card_frac: float = 0.35
    family_device_frac: float = 0.20
    multi_frac: float = 0.035  # legit accounts that are someone's 2nd/3rd account
    accounts_per_event: float = 45_000.0  # one hackathon / conference burst per N
    event_size_median: float = 220.0
    launch_dates: tuple[str, ...] = ("2025-08-07", "2025-11-18", "2026-02-24")
    launch_frac: float = 0.12  # sign-ups belonging to a launch wave
    launch_decay_hours: float = 20.0
    # --- legit usage ----------------------------------------------------------
    active_frac: float = 0.36  # legit accounts active in the request window
    sessions_median: float = 7.0  # per active account over the window
    template_frac: float = 0.16  # active accounts using a public template
    n_public_templates: int = 80
    trivial_prompt_rate: float = 0.03
    cron_frac: float = 0.012  # developers with scheduled automation
    paid_frac: float = 0.28
    second_card_frac: float = 0.08
    fintech_bin_share: float = 0.02  # legit cards on virtual/fintech BINs (x2 in EU)
    # --- fraud ----------------------------------------------------------------
    n_operators: int = 5  # 4..6; operator 0 is the distillation campaign
    other_fraud_frac: float = 0.013  # accounts in the other operators' rings
    big_campaign_from: int = 500_000  # from this many accounts: fixed size below
    big_campaign_accounts: int = 25_000
    big_campaign_exchanges: int = 28_800_000
    small_big_frac: float = 0.0125  # largest campaign share in smaller worlds
    ring_size_median: float = 45.0
    ring_size_sigma: float = 0.8
    big_ring_size_median: float = 600.0
    chain_template: float = 0.6  # ring inherits previous ring's template
    chain_bin: float = 0.5  # ring inherits previous ring's BIN
    slip_rate: float = 0.08  # camouflaged: reused device / card slips
    proxy_legit_overlap: float = 0.05  # residential proxy exits = legit homes


# ----------------------------------------------------------------------------
# static reference data
# ----------------------------------------------------------------------------
# cc, weight, tz hours, dial code, national length, mobile share, lead digits,
# iOS share, postal template (N digit, A letter)
_C = [
    ("US", 22, (-5, -6, -7, -8), "1", 10, 0.35, "23456789", 0.55, "NNNNN"),
    ("IN", 12, (5.5,), "91", 10, 0.70, "9876", 0.06, "NNNNNN"),
    ("BR", 6, (-3,), "55", 11, 0.60, "1234", 0.15, "NNNNN-NNN"),
    ("GB", 5, (0,), "44", 10, 0.40, "7", 0.50, "AN NAA"),
    ("DE", 4.5, (1,), "49", 11, 0.35, "1", 0.35, "NNNNN"),
    ("FR", 4, (1,), "33", 9, 0.40, "67", 0.35, "NNNNN"),
    ("JP", 4, (9,), "81", 10, 0.45, "789", 0.65, "NNN-NNNN"),
    ("KR", 3, (9,), "82", 10, 0.50, "1", 0.30, "NNNNN"),
    ("ID", 4, (7, 8), "62", 11, 0.75, "8", 0.10, "NNNNN"),
    ("MX", 3, (-6,), "52", 10, 0.60, "5", 0.25, "NNNNN"),
    ("CA", 3, (-5, -8), "1", 10, 0.35, "23456789", 0.55, "ANA NAN"),
    ("PH", 3, (8,), "63", 10, 0.75, "9", 0.20, "NNNN"),
    ("VN", 2.5, (7,), "84", 9, 0.70, "39", 0.25, "NNNNNN"),
    ("TR", 2, (3,), "90", 10, 0.60, "5", 0.25, "NNNNN"),
    ("ES", 2, (1,), "34", 9, 0.45, "67", 0.30, "NNNNN"),
    ("IT", 2, (1,), "39", 10, 0.45, "3", 0.30, "NNNNN"),
    ("PL", 2, (1,), "48", 9, 0.45, "5678", 0.25, "NN-NNN"),
    ("NL", 1.5, (1,), "31", 9, 0.35, "6", 0.40, "NNNN AA"),
    ("AU", 1.5, (10,), "61", 9, 0.40, "4", 0.55, "NNNN"),
    ("NG", 2, (1,), "234", 10, 0.85, "789", 0.10, "NNNNNN"),
]
_CC = [c[0] for c in _C]
# national significant number length and mobile prefixes per country
_PHONE = {
    "US": (
        10,
        [
            "212",
            "310",
            "415",
            "312",
            "646",
            "718",
            "305",
            "404",
            "512",
            "617",
            "206",
            "702",
            "214",
            "713",
            "303",
            "480",
            "619",
            "858",
            "917",
            "773",
            "510",
            "408",
            "347",
            "929",
        ],
    ),
    "CA": (10, ["416", "604", "514", "403", "613", "905", "647", "778", "438", "587"]),
    "IN": (
        10,
        ["98", "99", "97", "96", "95", "94", "93", "91", "90", "89", "88", "87", "70", "63"],
    ),
    "BR": (11, ["119", "219", "319", "419", "519", "619", "719", "819", "859", "919"]),
    "GB": (10, ["74", "75", "77", "78", "79"]),
    "DE": (11, ["151", "152", "157", "159", "176", "178", "179", "160", "162", "163"]),
    "FR": (
        9,
        ["60", "61", "62", "63", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78"],
    ),
    "JP": (10, ["70", "80", "90"]),
    "KR": (10, ["102", "103", "104", "106", "107", "108", "109"]),
    "ID": (11, ["811", "812", "813", "821", "822", "852", "853", "877", "878", "896"]),
    "MX": (10, ["55", "33", "81", "22"]),
    "PH": (
        10,
        ["905", "906", "915", "917", "918", "919", "920", "921", "927", "928", "995", "998"],
    ),
    "VN": (9, ["90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "70", "77", "86"]),
    "TR": (
        10,
        ["530", "532", "533", "535", "541", "542", "543", "544", "505", "506", "551", "552"],
    ),
    "ES": (9, ["6"]),
    "IT": (
        10,
        [
            "320",
            "324",
            "328",
            "329",
            "333",
            "334",
            "338",
            "339",
            "340",
            "345",
            "347",
            "348",
            "349",
            "366",
        ],
    ),
    "PL": (9, ["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"]),
    "NL": (9, ["61", "62", "63", "64", "65"]),
    "AU": (
        9,
        ["400", "401", "402", "403", "404", "405", "406", "407", "408", "409", "411", "412", "413"],
    ),
    "NG": (
        10,
        [
            "803",
            "806",
            "813",
            "816",
            "703",
            "706",
            "903",
            "906",
            "805",
            "807",
            "815",
            "705",
            "802",
            "808",
            "812",
            "701",
            "902",
            "809",
            "817",
            "818",
        ],
    ),
}
_EXTRA_CC = ["LT", "EE", "HK", "SG", "AE", "CY", "MT"]  # card issuers only
_CC_ALL = _CC + _EXTRA_CC
_CI = {c: i for i, c in enumerate(_CC_ALL)}
_EU = {"DE", "FR", "ES", "IT", "PL", "NL", "GB"}

_RES = {
    "US": [
        (7922, "COMCAST-7922", 4),
        (20115, "CHARTER-20115", 3),
        (7018, "ATT-INTERNET4", 2),
        (701, "UUNET", 1.5),
        (22773, "ASN-CXA-ALL-CCI-22773-RDC", 1),
    ],
    "IN": [
        (24560, "AIRTELBROADBAND-AS-AP Bharti Airtel Ltd., Telemedia Services", 2),
        (55836, "RELIANCEJIO-IN Reliance Jio Infocomm Limited", 3),
        (17488, "HATHWAY-NET-AP Hathway IP Over Cable Internet", 1),
    ],
    "BR": [
        (28573, "Claro NXT Telecomunicacoes Ltda", 2),
        (27699, "TELEFONICA BRASIL S.A", 2),
        (53006, "ALGAR TELECOM S/A", 0.7),
    ],
    "GB": [
        (2856, "BT-UK-AS BTnet UK Regional network", 3),
        (5089, "NTL Virgin Media Limited", 2),
        (5607, "BSKYB-BROADBAND-AS Sky UK Limited", 2),
    ],
    "DE": [
        (3320, "DTAG Internet service provider operations", 4),
        (3209, "VODANET Vodafone GmbH", 2),
        (8881, "VERSATEL 1&1 Versatel Deutschland GmbH", 1),
    ],
    "FR": [
        (3215, "Orange S.A.", 3),
        (12322, "PROXAD Free SAS", 2),
        (5410, "BOUYGTEL-ISP Bouygues Telecom SA", 1.5),
        (15557, "LDCOMNET SFR SA", 1.5),
    ],
    "JP": [
        (4713, "OCN NTT Communications Corporation", 3),
        (2516, "KDDI KDDI CORPORATION", 2),
        (17676, "GIGAINFRA SoftBank Corp.", 2),
    ],
    "KR": [
        (4766, "KIXS-AS-KR Korea Telecom", 3),
        (9318, "SKB-AS SK Broadband Co Ltd", 2),
        (3786, "LGDACOM LG DACOM Corporation", 1.5),
    ],
    "ID": [
        (7713, "TELKOMNET-AS-AP PT Telekomunikasi Indonesia", 3),
        (17451, "BIZNET-AS-AP BIZNET NETWORKS", 1),
    ],
    "MX": [
        (8151, "Uninet S.A. de C.V.", 3),
        (28548, "Cablevision, S.A. de C.V.", 1),
        (17072, "TOTAL PLAY TELECOMUNICACIONES SA DE CV", 1),
    ],
    "CA": [
        (812, "ROGERS-COMMUNICATIONS", 2),
        (577, "BACOM Bell Canada", 2),
        (852, "ASN852 TELUS Communications Inc.", 1.5),
    ],
    "PH": [
        (9299, "IPG-AS-AP Philippine Long Distance Telephone Company", 2),
        (17639, "CONVERGE-AS Converge ICT Solutions Inc.", 2),
    ],
    "VN": [
        (7552, "VIETEL-AS-AP Viettel Group", 2),
        (45899, "VNPT-AS-VN VNPT Corp", 2),
        (18403, "FPT-AS-AP FPT Telecom", 1.5),
    ],
    "TR": [
        (9121, "TTNET Turk Telekomunikasyon Anonim Sirketi", 3),
        (34984, "TELLCOM-AS Superonline Iletisim Hizmetleri A.S.", 1),
    ],
    "ES": [
        (3352, "TELEFONICA_DE_ESPANA", 3),
        (12479, "UNI2-AS Orange Espagne SA", 1.5),
        (12430, "VODAFONE_ES", 1),
    ],
    "IT": [
        (3269, "ASN-IBSNAZ Telecom Italia S.p.A.", 3),
        (30722, "VODAFONE-IT-ASN", 1),
        (12874, "FASTWEB", 1),
    ],
    "PL": [
        (5617, "TPNET Orange Polska Spolka Akcyjna", 2),
        (6830, "LGI-UPC Liberty Global B.V.", 1),
        (12741, "AS-NETIA Netia SA", 1),
    ],
    "NL": [(1136, "KPN KPN B.V.", 2), (33915, "TNF-AS Vodafone Libertel B.V.", 2)],
    "AU": [
        (1221, "ASN-TELSTRA Telstra Corporation Ltd", 2),
        (7545, "TPG-INTERNET-AP TPG Telecom", 1.5),
        (4804, "MPX-AS Microplex PTY LTD", 1),
    ],
    "NG": [(37148, "globacom-as", 1), (328309, "Spectranet Limited", 1)],
}
_MOB = {
    "US": [
        (21928, "T-MOBILE-AS21928", 3, "2607:fb90"),
        (22394, "CELLCO-PART Verizon Wireless", 3, "2600:1010"),
        (20057, "ATT-MOBILITY-LLC-AS20057", 2, None),
    ],
    "IN": [
        (55836, "RELIANCEJIO-IN Reliance Jio Infocomm Limited", 4, "2409:4042"),
        (45609, "BHARTI-MOBILITY-AS-AP Bharti Airtel Ltd. AS for GPRS Service", 3, "2401:4900"),
        (38266, "VODAFONE-IN Vodafone Idea Ltd", 2, None),
    ],
    "BR": [
        (26615, "TIM S/A", 2, None),
        (26599, "TELEFONICA BRASIL S.A", 2, None),
        (28573, "Claro NXT Telecomunicacoes Ltda", 2, None),
    ],
    "GB": [
        (12576, "EE-AS EE Limited", 2, None),
        (25135, "VODAFONE_UK_ASN", 1.5, None),
        (206067, "H3GUK Three Uk", 1, None),
    ],
    "DE": [
        (6805, "TDDE-ASN1 Telefonica Germany GmbH & Co.OHG", 2, None),
        (3320, "DTAG Mobile", 2, "2a01:598"),
    ],
    "FR": [(51207, "FREEM Free Mobile SAS", 1.5, None), (3215, "Orange Mobile", 2, None)],
    "JP": [(9605, "DOCOMO NTT DOCOMO, INC.", 3, None), (2516, "KDDI au mobile", 2, None)],
    "KR": [(9644, "SKTELECOM-NET-AS SK Telecom", 2, None), (4766, "KT mobile", 2, None)],
    "ID": [
        (23693, "TELKOMSEL-ASN-ID PT. Telekomunikasi Selular", 3, None),
        (24203, "NAPXLNET-AS-ID PT XL Axiata", 2, None),
    ],
    "MX": [
        (28403, "RadioMovil Dipsa, S.A. de C.V. (Telcel)", 3, None),
        (13999, "Mega Cable, S.A. de C.V.", 1, None),
    ],
    "CA": [(812, "ROGERS-COMMUNICATIONS mobile", 2, None), (852, "TELUS Mobility", 1.5, None)],
    "PH": [
        (132199, "GLOBE-MOBILE-5TH-GEN-AS Globe Telecom Inc.", 2, None),
        (9299, "Smart Communications", 2, None),
    ],
    "VN": [(7552, "VIETEL-AS-AP Viettel Group mobile", 3, None), (45899, "VNPT mobile", 1, None)],
    "TR": [(16135, "TURKCELL-AS Turkcell A.S.", 2, None), (15897, "VODAFONETURKEY", 1.5, None)],
    "ES": [(12430, "VODAFONE_ES mobile", 1, None), (12479, "Orange Espagne mobile", 1, None)],
    "IT": [(1267, "ASN-WINDTRE", 1.5, None), (30722, "VODAFONE-IT-ASN mobile", 1, None)],
    "PL": [(12912, "T-MOBILE-PL", 1, None), (29247, "PLAY-AS P4 Sp. z o.o.", 1, None)],
    "NL": [(31615, "ODIDO-NL-AS", 1, None), (1136, "KPN Mobile", 1, None)],
    "AU": [(1221, "Telstra Mobile", 2, None), (4804, "Optus Mobile", 1, None)],
    "NG": [
        (29465, "VCG-AS MTN Nigeria", 3, None),
        (36873, "VNL1-AS Airtel Networks Limited", 2, None),
    ],
}
_NREN = {
    "US": (11537, "INTERNET2-RESEARCH-EDU"),
    "GB": (786, "JANET Jisc Services Limited"),
    "DE": (680, "DFN Verein zur Foerderung eines Deutschen Forschungsnetzes e.V."),
    "FR": (2200, "FR-RENATER"),
    "JP": (2907, "SINET-AS National Institute of Informatics"),
    "KR": (1237, "KREONET-AS-KR"),
    "IN": (2697, "ERNET-AS-AP ERNET India"),
    "BR": (1916, "Rede Nacional de Ensino e Pesquisa"),
    "CA": (6509, "CANARIE-NTN"),
    "AU": (7575, "AARNET-AS-AP Australian Academic and Research Network"),
}
_UNI_CC = ["US", "GB", "IN", "DE", "FR", "JP", "KR", "BR", "CA", "AU"]
_UNI_W = [0.40, 0.08, 0.10, 0.06, 0.05, 0.05, 0.05, 0.05, 0.05, 0.04]
_VPN = [
    ("relay", 36183, "AKAMAI-AS (iCloud Private Relay)"),
    ("warp", 13335, "CLOUDFLARENET"),
    ("nord", 212238, "Datacamp Limited"),
    ("mullvad", 9009, "M247 Europe SRL"),
    ("proton", 209103, "Proton AG"),
]
_CLOUD = [
    ("aws", 16509, "AMAZON-02", 0.45),
    ("gcp", 396982, "GOOGLE-CLOUD-PLATFORM", 0.2),
    ("azure", 8075, "MICROSOFT-CORP-MSN-AS-BLOCK", 0.15),
    ("do", 14061, "DIGITALOCEAN-ASN", 0.08),
    ("hetzner", 24940, "Hetzner Online GmbH", 0.07),
    ("ovh", 16276, "OVH SAS", 0.05),
]
_HOSTING = [
    ("vultr", 20473, "AS-CHOOPA"),
    ("m247", 9009, "M247 Europe SRL hosting"),
    ("stark", 44477, "STARK INDUSTRIES SOLUTIONS LTD"),
    ("aeza", 210644, "AEZA GROUP LLC"),
    ("tencent", 132203, "TENCENT-NET-AP Shenzhen Tencent Computer Systems"),
    ("alibaba", 45102, "ALIBABA-CN-NET Alibaba US Technology Co., Ltd."),
    ("linode", 63949, "AKAMAI-LINODE-AP Akamai Connected Cloud"),
    ("oracle", 31898, "ORACLE-BMC-31898"),
]
_BIZ = [(174, "COGENT-174"), (3356, "LEVEL3"), (6461, "ZAYO-6461"), (7922, "COMCAST-7922 Business")]
_ZSCALER = (53813, "ZSCALER-INC")

_FIRST = (
    "james mary john linda david sarah michael emma daniel olivia wei li ming jun hiro yuki "
    "sakura kenji minjun jiwoo seoyeon arjun priya rahul ananya vikram deepa lucas gabriel "
    "ana julia pedro mateo sofia valentina diego camila lukas lena felix anna jonas marie "
    "louis chloe hugo ines paul alice thomas oliver amelia harry isla jack ava noah mia "
    "ahmed fatima omar aisha mehmet elif emre zeynep jan kasia piotr ola nguyen linh minh "
    "thao budi siti dewi agus juan maria jose carmen luca giulia marco chiara sam alex "
    "chidi ngozi emeka amaka tunde kemi ryan kevin jason emily hannah grace"
).split()
_LAST = (
    "smith johnson brown garcia miller davis wilson taylor thomas moore martin lee wang zhang "
    "chen liu yang tanaka suzuki sato kim park choi kumar sharma singh patel gupta reddy silva "
    "santos oliveira souza costa muller schmidt schneider fischer weber meyer dubois moreau "
    "laurent bernard petit jones williams evans walker wright hughes yilmaz kaya demir celik "
    "nowak kowalski wisniewski tran pham hoang nguyen santoso wijaya hernandez lopez gonzalez "
    "rossi russo ferrari bianchi okafor adeyemi okonkwo obi anderson clark lewis young hall "
    "allen king scott green baker adams nelson hill campbell mitchell roberts carter"
).split()
_WORDS = (
    "north lake river stone cedar maple harbor summit pine oak bright blue nova apex vertex "
    "orbit pixel quantum cloud data logic signal vector prime atlas beacon cobalt delta ember "
    "falcon granite helix iris juniper kestrel lumen meridian nimbus onyx polar quartz "
    "rapid sierra terra umbra vale willow zenith arc bold core dune echo flux grid hive"
).split()
_GLOBAL_MAIL = {
    "gmail.com": 0.55,
    "outlook.com": 0.08,
    "hotmail.com": 0.05,
    "yahoo.com": 0.07,
    "icloud.com": 0.08,
    "proton.me": 0.02,
}
_LOCAL_MAIL = {
    "IN": {"rediffmail.com": 0.02},
    "KR": {"naver.com": 0.35, "daum.net": 0.05},
    "JP": {"yahoo.co.jp": 0.2, "docomo.ne.jp": 0.04},
    "DE": {"gmx.de": 0.15, "web.de": 0.12, "t-online.de": 0.05},
    "FR": {"orange.fr": 0.08, "free.fr": 0.06, "laposte.net": 0.03},
    "BR": {"uol.com.br": 0.05, "bol.com.br": 0.04},
    "GB": {"btinternet.com": 0.03},
    "IT": {"libero.it": 0.08},
    "PL": {"wp.pl": 0.1, "o2.pl": 0.06, "onet.pl": 0.05},
    "TR": {"yandex.com": 0.04},
    "MX": {"live.com.mx": 0.04},
    "NL": {"ziggo.nl": 0.03},
}
_PLUS_OK = {"gmail.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"}

_UA_DESK = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
]
_UA_MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{s} Safari/605.1.15"
_UA_FF = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
_UA_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS {o} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{s} Mobile/15E148 Safari/604.1"
_UA_IOS_APP = "AssistantApp/1.2026.{b} (iOS {s}; {m}) CFNetwork/1494.0.7 Darwin/23.4.0"
_UA_AND = "Mozilla/5.0 (Linux; Android {a}; {m}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36"
_UA_AND_APP = "AssistantApp/1.2026.{b} (Android {a}; {m}; Build/AP1A)"
_SDK_UA = [
    "platform-sdk-python/1.40.2",
    "platform-sdk-python/1.38.0",
    "platform-sdk-node/4.52.0",
    "python-httpx/0.27.0",
    "curl/8.5.0",
    "Go-http-client/2.0",
    "langchain-python/0.2.1",
    "python-requests/2.31.0",
]
_HEADLESS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
]


def _build_uas():
    desk, ios, andr = [], [], []
    for v in (123, 124, 125, 126):
        desk += [t.format(v=v) for t in _UA_DESK]
        desk.append(_UA_FF.format(v=v + 2))
    for s in ("17.3", "17.4", "17.5"):
        desk.append(_UA_MAC_SAFARI.format(s=s))
        ios.append(_UA_IOS.format(o=s.replace(".", "_"), s=s))
        for m in ("iPhone15,2", "iPhone16,1", "iPhone14,5"):
            ios.append(_UA_IOS_APP.format(b=100 + int(s[-1]) * 3, s=s, m=m))
    for a, m in (
        ("14", "SM-S918B"),
        ("14", "Pixel 8"),
        ("13", "SM-A546B"),
        ("13", "Redmi Note 12"),
        ("14", "CPH2581"),
        ("12", "SM-A125F"),
    ):
        andr.append(_UA_AND.format(a=a, m=m, v=125))
        andr.append(_UA_AND_APP.format(b=105, a=a, m=m))
    all_ua = desk + ios + andr + _SDK_UA + _HEADLESS
    n1, n2, n3 = len(desk), len(ios), len(andr)
    return (
        all_ua,
        np.arange(n1),
        np.arange(n1, n1 + n2),
        np.arange(n1 + n2, n1 + n2 + n3),
        np.arange(n1 + n2 + n3, n1 + n2 + n3 + len(_SDK_UA)),
        n1 + n2 + n3 + len(_SDK_UA),
    )


_UAS, _UA_D, _UA_I, _UA_A, _UA_SDK, _UA_HEADLESS0 = _build_uas()

_CAPS = ["chat", "coding", "agentic_reasoning", "planning", "writing", "math", "other"]
# persona x capability shares: chat, coder, writer, student, agent_builder, mixed
_PERSONA_P = np.array([0.45, 0.18, 0.12, 0.12, 0.05, 0.08])
_PERSONA_CAP = np.array(
    [
        [0.62, 0.06, 0.02, 0.05, 0.12, 0.04, 0.09],
        [0.18, 0.58, 0.08, 0.05, 0.04, 0.03, 0.04],
        [0.25, 0.02, 0.01, 0.06, 0.58, 0.01, 0.07],
        [0.35, 0.15, 0.03, 0.05, 0.17, 0.20, 0.05],
        [0.08, 0.30, 0.38, 0.16, 0.02, 0.02, 0.04],
        [0.38, 0.18, 0.06, 0.10, 0.14, 0.06, 0.08],
    ]
)
_PERSONA_API = np.array([0.03, 0.35, 0.03, 0.02, 0.70, 0.10])
# per-exchange token medians (input, output) per capability
_TOK = np.array(
    [[120, 350], [900, 700], [2500, 1500], [600, 900], [300, 800], [200, 900], [150, 300]],
    dtype=float,
)
_DISTILL_CAP = np.array([0.03, 0.30, 0.36, 0.22, 0.02, 0.05, 0.02])
_RESALE_CAP = np.array([0.35, 0.33, 0.04, 0.05, 0.15, 0.03, 0.05])
_REASON_CAP = np.array([0.04, 0.22, 0.34, 0.12, 0.02, 0.24, 0.02])
_LEGIT_HOURS = np.array(
    [
        1.2,
        0.7,
        0.4,
        0.3,
        0.3,
        0.4,
        0.8,
        1.5,
        2.5,
        3.5,
        4.2,
        4.5,
        4.3,
        4.4,
        4.6,
        4.6,
        4.4,
        4.2,
        4.3,
        4.6,
        4.9,
        4.8,
        3.8,
        2.3,
    ]
)
_TAGS = [
    "cgnat",
    "vpn",
    "campus",
    "office",
    "company_card",
    "device_image",
    "household",
    "multi",
    "hackathon",
    "launch",
    "template",
    "cron",
]
_T = {t: 1 << i for i, t in enumerate(_TAGS)}

# salts for hashed identifiers
_S_ACC, _S_DEV, _S_CARD, _S_KEY, _S_TPL, _S_ROWFP, _S_CUST, _S_TRIV, _S_ORG, _S_EVT = range(11, 21)
_S_FTPL, _S_HARNESS, _S_POSTAL = 21, 22, 23


# ----------------------------------------------------------------------------
# vectorised helpers
# ----------------------------------------------------------------------------
def _mix(x, salt: int = 0) -> np.ndarray:
    """splitmix64 finaliser (bijective for a fixed salt), returned as int64 >= 0."""
    z = np.asarray(x).astype(np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64((salt * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % (1 << 64))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(1)).astype(np.int64)


_HEXC = np.frombuffer(b"0123456789abcdef", dtype="S1")
_B36 = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype="S1")
_LETTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype="S1")


def _hex(x, width: int = 16) -> pa.Array:
    x = np.asarray(x).astype(np.uint64)
    out = []
    shifts = np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(4)
    for i in range(0, max(len(x), 1), 1_000_000):
        c = x[i : i + 1_000_000]
        nib = ((c[:, None] >> shifts) & np.uint64(15)).astype(np.uint8)
        out.append(np.ascontiguousarray(_HEXC[nib]).view(f"S{width}").ravel())
    s = np.concatenate(out) if out else np.array([], dtype=f"S{width}")
    return pa.array(s, type=pa.binary()).cast(pa.string())


def _alnum(x, width: int, table=_B36) -> pa.Array:
    """Random-looking fixed-width strings from int codes: the leading characters
    spell the code itself (distinct codes -> distinct strings), the rest come from
    further hashes of it."""
    x = np.asarray(x).astype(np.uint64)
    orig = x.astype(np.int64)
    base = np.uint64(len(table))
    full = int(63 // np.log2(len(table)))
    cols = []
    for j in range(width):
        if j < full:
            cols.append((x % base).astype(np.uint8))
            x = x // base
        else:
            cols.append((_mix(orig, 500 + j) % len(table)).astype(np.uint8))
    idx = np.stack(cols[::-1], axis=1) if cols else np.zeros((len(x), 0), np.uint8)
    s = np.ascontiguousarray(table[idx]).view(f"S{width}").ravel()
    return pa.array(s, type=pa.binary()).cast(pa.string())


def _dec(x) -> pa.Array:
    return pa.array(np.asarray(x, dtype=np.int64)).cast(pa.string())


def _join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _strcol(codes: np.ndarray, fmt) -> pa.Array:
    """String column from int64 codes (-1 = null) through a dictionary of uniques."""
    codes = np.asarray(codes, dtype=np.int64)
    valid = codes >= 0
    uniq, inv = np.unique(codes[valid], return_inverse=True)
    d = fmt(uniq)
    idx = np.zeros(len(codes), dtype=np.int64)
    idx[valid] = inv
    return d.take(pa.array(idx, mask=~valid))


def _catcol(values: list[str], idx: np.ndarray) -> pa.Array:
    idx = np.asarray(idx, dtype=np.int64)
    return pa.array(values, type=pa.string()).take(pa.array(np.maximum(idx, 0), mask=idx < 0))


def _tpareto(rng, n, a, lo, hi):
    u = rng.random(n)
    r = (lo / hi) ** a
    return lo * (1.0 - u * (1.0 - r)) ** (-1.0 / a)


def _fill_sizes(rng, total: int, sampler) -> np.ndarray:
    """Integer group sizes drawn from `sampler(k)` that sum exactly to total."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    out, s = [], 0
    while s < total:
        k = np.maximum(1, np.round(sampler(64 + total // 4)).astype(np.int64))
        out.append(k)
        s += int(k.sum())
    sizes = np.concatenate(out)
    cs = np.cumsum(sizes)
    m = int(np.searchsorted(cs, total))
    sizes = sizes[: m + 1].copy()
    sizes[-1] -= cs[m] - total
    return sizes[sizes > 0]


def _choice_rows(rng, cum: np.ndarray) -> np.ndarray:
    """Per-row categorical draw from row-wise cumulative probabilities (n, k)."""
    u = rng.random(cum.shape[0]) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1).clip(0, cum.shape[1] - 1)


def _epoch(s: str) -> int:
    return int(pd.Timestamp(s, tz="UTC").timestamp())


# ----------------------------------------------------------------------------
# IP address space
# ----------------------------------------------------------------------------
class _Net:
    """ASNs own /16 blocks; addresses are handed out without repetition per ASN."""

    V6 = 1 << 50

    def __init__(self):
        r = np.random.default_rng(12345)
        firsts = [a for a in range(11, 224) if a not in (100, 127, 169, 172, 192, 198, 203)]
        pairs = np.array([(a, b) for a in firsts for b in range(256)], dtype=np.int64)
        self.pairs = pairs[r.permutation(len(pairs))]
        self.asn, self.org, self.v6, self.first, self.nb = [], [], [], [], []
        self.used = 0
        self.counter: list[int] = []
        self.key: dict = {}

    def add(self, key, asn: int, org: str, nblocks: int = 16, v6: str | None = None) -> int:
        if key in self.key:
            return self.key[key]
        i = len(self.asn)
        self.asn.append(asn)
        self.org.append(org)
        self.v6.append(v6)
        self.first.append(self.used)
        self.nb.append(nblocks)
        self.used += nblocks
        self.counter.append(0)
        self.key[key] = i
        return i

    def alloc(self, asn_idx, v6: np.ndarray | None = None) -> np.ndarray:
        """One fresh address per entry of asn_idx (vectorised, grouped by ASN)."""
        asn_idx = np.asarray(asn_idx, dtype=np.int64)
        out = np.empty(len(asn_idx), dtype=np.int64)
        if len(asn_idx) == 0:
            return out
        v6 = np.zeros(len(asn_idx), bool) if v6 is None else v6
        for a in np.unique(asn_idx):
            sel = np.nonzero(asn_idx == a)[0]
            n = len(sel)
            x = self.counter[a] + np.arange(n, dtype=np.int64)
            self.counter[a] += n
            sixes = v6[sel] & (self.v6[a] is not None)
            cap = self.nb[a] * 65536
            h4 = (x * 2654435761 + 977 + 131 * a) % cap
            code4 = ((self.first[a] + h4 // 65536) << 16) | (h4 % 65536)
            h6 = (x * 2654435761 + 12345) % (1 << 32)
            code6 = self.V6 | (a << 32) | h6
            out[sel] = np.where(sixes, code6, code4)
        return out

    def asn_idx_of(self, codes: np.ndarray) -> np.ndarray:
        codes = np.asarray(codes, dtype=np.int64)
        block_asn = np.repeat(np.arange(len(self.asn)), self.nb)
        is6 = codes >= self.V6
        a6 = (codes >> 32) & 0x3FFFF
        blk = np.where(is6, 0, codes >> 16)
        return np.where(is6, a6, block_asn[np.minimum(blk, len(block_asn) - 1)])

    def fmt(self, codes: np.ndarray) -> pa.Array:
        codes = np.asarray(codes, dtype=np.int64)
        is6 = codes >= self.V6
        blk = np.where(is6, 0, codes >> 16)
        ab = self.pairs[blk]
        host = codes & 0xFFFF
        v4 = pc.binary_join_element_wise(
            _dec(ab[:, 0]), _dec(ab[:, 1]), _dec(host >> 8), _dec(host & 255), "."
        )
        if not is6.any():
            return v4
        a6 = (codes >> 32) & 0x3FFFF
        pref = [p or "2001:db8" for p in self.v6]
        h = codes & 0xFFFFFFFF
        v6 = _join(
            _catcol(pref, np.where(is6, a6, 0)),
            ":",
            _hex(h >> 16, 4),
            ":",
            _hex(h & 0xFFFF, 4),
            "::",
            _hex((_mix(h, 99) & 0xFFF) + 1, 3),
        )
        return pc.if_else(pa.array(is6), v6, v4)


# ----------------------------------------------------------------------------
# fraud structures
# ----------------------------------------------------------------------------
@dataclass
class _Operator:
    campaign_id: str
    styles: dict
    tz_h: float  # operator home time zone
    shift_local: int  # shift start, local hour
    shift_len: int
    sunday_off: bool
    cap: np.ndarray
    distill: bool
    daily: float  # per-account exchanges per active day (non-big)
    bins: list
    hosting: list
    domains: list


@dataclass
class _Ring:
    ring_id: str
    op: int
    style: str
    size: int
    lo: int = 0
    created0: int = 0
    a0: int = 0
    a1: int = 0
    templates: tuple = ()
    bins: tuple = ()
    exchanges: float = 0.0  # big campaign: total exchanges of the ring


class _World:
    def __init__(self, cfg: WorldConfig, log=print):
        self.cfg = cfg
        self.log = log
        self.rng = np.random.default_rng(cfg.seed)
        self.ws, self.we = _epoch(cfg.window_start), _epoch(cfg.window_end)
        self.D = (self.we - self.ws) // DAY
        self.ss = self.ws - cfg.signup_days * DAY
        self.ws_weekday = pd.Timestamp(cfg.window_start).weekday()
        self.net = _Net()
        self._init_net()
        self._init_bins()
        self.req: list[dict] = []
        self.ev: list[dict] = []
        self.pay: list[dict] = []
        self.card_bin: list[np.ndarray] = []
        self.card_cc: list[np.ndarray] = []
        self.card_seed: list[np.ndarray] = []
        self.card_unknown: list[np.ndarray] = []
        self.n_cards = 0
        self.row_fp_counter = 0

    # ---------------------------------------------------------------- infra
    def _init_net(self):
        net = self.net
        self.res_asn, self.res_w, self.mob_asn, self.mob_w = [], [], [], []
        for cc in _CC:
            ids = [net.add(("res", a, o), a, o, 24) for a, o, _w in _RES[cc]]
            w = np.array([w for _a, _o, w in _RES[cc]], float)
            self.res_asn.append(np.array(ids))
            self.res_w.append(w / w.sum())
            ids = [net.add(("mob", a, o), a, o, 12, v6) for a, o, _w, v6 in _MOB[cc]]
            w = np.array([m[2] for m in _MOB[cc]], float)
            self.mob_asn.append(np.array(ids))
            self.mob_w.append(w / w.sum())
        self.nren = {cc: net.add(("edu", a), a, o, 8) for cc, (a, o) in _NREN.items()}
        self.nren_other = net.add(("edu", 20965), 20965, "GEANT Vereniging", 8)
        self.vpn = [net.add(("vpn", a), a, o, 4) for _k, a, o in _VPN]
        self.cloud = [net.add(("cloud", a), a, o, 16) for _k, a, o, _w in _CLOUD]
        self.cloud_w = np.array([c[3] for c in _CLOUD])
        self.hosting = [net.add(("host", a, o), a, o, 4) for _k, a, o in _HOSTING]
        self.biz = [net.add(("biz", a, o), a, o, 8) for a, o in _BIZ]
        self.zscaler = net.add(("zs",), _ZSCALER[0], _ZSCALER[1], 2)

    def _init_bins(self):
        r = np.random.default_rng(777)
        bins, cc, funding, seen = [], [], [], set()
        self.bins_by_cc: dict[int, tuple[np.ndarray, np.ndarray]] = {}

        def new_bin(prefix_choices):
            while True:
                p = prefix_choices[r.integers(len(prefix_choices))]
                ln = 8 if r.random() < 0.2 else 6
                b = p + "".join(str(d) for d in r.integers(0, 10, ln - len(p)))
                if b not in seen:
                    seen.add(b)
                    return b

        for ci in range(len(_CC)):
            ids = []
            for _ in range(60):
                bins.append(new_bin(["4", "4", "4", "51", "52", "53", "54", "55", "37", "6"]))
                cc.append(ci)
                funding.append(r.choice(3, p=[0.52, 0.43, 0.05]))
                ids.append(len(bins) - 1)
            ranks = np.arange(1, 61)
            w = 1.0 / ranks**1.05
            self.bins_by_cc[ci] = (np.array(ids), w / w.sum())
        # fintech / virtual / prepaid issuers: used by legit people and by operators
        fin_cc = [
            "LT",
            "LT",
            "EE",
            "GB",
            "GB",
            "US",
            "US",
            "US",
            "HK",
            "SG",
            "AE",
            "CY",
            "MT",
            "US",
            "GB",
        ]
        fin = []
        for i in range(30):
            bins.append(new_bin(["4", "5", "53"]))
            cc.append(_CI[fin_cc[i % len(fin_cc)]])
            funding.append(2 if i % 3 == 0 else 1)
            fin.append(len(bins) - 1)
        self.fin_bins = np.array(fin)
        self.bin_str, self.bin_cc, self.bin_funding = bins, np.array(cc), np.array(funding)

    def _new_cards(self, bins: np.ndarray, cc: np.ndarray, postal_seed: np.ndarray | None = None):
        n = len(bins)
        ids = np.arange(self.n_cards, self.n_cards + n)
        self.n_cards += n
        self.card_bin.append(np.asarray(bins, np.int64))
        self.card_cc.append(np.asarray(cc, np.int64))
        self.card_seed.append(
            ids.copy() if postal_seed is None else np.asarray(postal_seed, np.int64)
        )
        self.card_unknown.append(self.rng.random(n) < 0.02)
        return ids

    def _legit_bins(self, cc: np.ndarray) -> np.ndarray:
        rng = self.rng
        out = np.empty(len(cc), dtype=np.int64)
        for ci in np.unique(cc):
            sel = np.nonzero(cc == ci)[0]
            ids, w = self.bins_by_cc[int(ci)]
            out[sel] = ids[rng.choice(len(ids), len(sel), p=w)]
            eu = _CC[int(ci)] in _EU
            fin = rng.random(len(sel)) < self.cfg.fintech_bin_share * (2 if eu else 1)
            out[sel[fin]] = self.fin_bins[rng.integers(0, len(self.fin_bins), fin.sum())]
        return out

    # ---------------------------------------------------------------- strings
    def _mail_domains(self, cc: np.ndarray) -> np.ndarray:
        """Index into self.domains for personal e-mail per account country."""
        rng = self.rng
        out = np.empty(len(cc), dtype=np.int64)
        for ci in np.unique(cc):
            sel = np.nonzero(cc == ci)[0]
            d = dict(_GLOBAL_MAIL)
            d.update(_LOCAL_MAIL.get(_CC[int(ci)], {}))
            names = list(d)
            w = np.array([d[k] for k in names])
            ids = np.array([self._dom(k) for k in names])
            out[sel] = ids[rng.choice(len(names), len(sel), p=w / w.sum())]
        return out

    def _brand(self, suffixes: list[str]) -> str:
        """A fresh organisation name from word pairs (a number only on collision)."""
        rng = self.rng
        for attempt in range(50):
            name = (
                _WORDS[rng.integers(len(_WORDS))]
                + _WORDS[rng.integers(len(_WORDS))]
                + suffixes[rng.integers(len(suffixes))]
                + (str(rng.integers(2, 99)) if attempt > 5 else "")
            )
            if name not in self.brands:
                self.brands.add(name)
                return name
        name = f"org{len(self.brands)}"
        self.brands.add(name)
        return name

    def _dom(self, name: str) -> int:
        if name not in self.dom_index:
            self.dom_index[name] = len(self.domains)
            self.domains.append(name)
        return self.dom_index[name]

    def _name_locals(self, n: int, digits_p: float = 0.7) -> pa.Array:
        rng = self.rng
        f = pa.array(_FIRST).take(pa.array(rng.integers(0, len(_FIRST), n)))
        la = pa.array(_LAST).take(pa.array(rng.integers(0, len(_LAST), n)))
        fi = pc.utf8_slice_codeunits(f, 0, 1)
        kind = rng.random(n)
        num = np.where(
            kind < 0.35,
            rng.integers(70, 100, n) % 100,
            np.where(kind < 0.7, rng.integers(1, 100, n), rng.integers(100, 10000, n)),
        )
        nums = pc.if_else(pa.array(rng.random(n) < digits_p), _dec(num), pa.scalar(""))
        pat = pa.array(rng.choice(6, n, p=[0.3, 0.2, 0.15, 0.1, 0.15, 0.1]).astype(np.int8))
        return pc.choose(
            pat,
            _join(f, ".", la, nums),
            _join(f, la, nums),
            _join(fi, la, nums),
            _join(la, "_", f, nums),
            _join(f, nums),
            _join(f, "-", la, nums),
        )

    def _phones(self, cc: np.ndarray, codes: np.ndarray) -> pa.Array:
        """Phone strings for country cc and number code (same code -> same number),
        written in a random one of several formats (E.164, spaced, dashed, national)."""
        rng = self.rng
        n = len(cc)
        cc = np.asarray(cc, np.int64)
        out = np.empty(n, dtype=object)
        for ci in np.unique(cc):
            sel = np.nonzero(cc == ci)[0]
            ln, prefixes = _PHONE[_CC[int(ci)]]
            h = _mix(codes[sel], 77)
            pre = np.array(prefixes)[h % len(prefixes)]
            plen = np.char.str_len(pre)
            rem_len = ln - plen
            # subscriber part; its first digit is 2..9 (NANP exchange codes and most
            # numbering plans reject a 0/1 there)
            rem = (2 + (h // 13) % 8) * 10 ** (rem_len - 1) + (h // 97) % 10 ** (rem_len - 1)
            out[sel] = np.asarray(
                _join(pa.array(pre), _dec(rem)).to_numpy(zero_copy_only=False), dtype=object
            )
        nsn = pa.array(out, type=pa.string())
        dial = _catcol([c[3] for c in _C], cc)
        a = pc.utf8_slice_codeunits(nsn, 0, 3)
        b = pc.utf8_slice_codeunits(nsn, 3, 6)
        c = pc.utf8_slice_codeunits(nsn, 6, 20)
        fmt = rng.choice(4, n, p=[0.5, 0.25, 0.15, 0.10])
        nanp = (cc == _CI["US"]) | (cc == _CI["CA"])
        fmt = np.where((fmt == 3) & ~nanp, 1, fmt)
        return pc.choose(
            pa.array(fmt.astype(np.int8)),
            _join("+", dial, nsn),
            _join("+", dial, " ", a, " ", b, " ", c),
            _join("+", dial, "-", a, "-", pc.utf8_slice_codeunits(nsn, 3, 20)),
            _join("(", a, ") ", b, "-", c),
        )

    def _postal(self, cc: np.ndarray, seed: np.ndarray) -> pa.Array:
        out = np.empty(len(cc), dtype=object)
        tmpl_of = {i: c[8] for i, c in enumerate(_C)}
        for ci in np.unique(cc):
            sel = np.nonzero(cc == ci)[0]
            t = tmpl_of.get(int(ci), "NNNNN")
            h = _mix(seed[sel], _S_POSTAL).astype(np.uint64)
            cols = []
            for j, ch in enumerate(t):
                hj = (h >> np.uint64(j * 3)).astype(np.int64)
                if ch == "N":
                    col = np.frombuffer(b"0123456789", "S1")[(hj % 10) if j else (hj % 9 + 1)]
                elif ch == "A":
                    col = _LETTERS[hj % 26]
                else:
                    col = np.full(len(sel), ch.encode(), dtype="S1")
                cols.append(col)
            s = np.ascontiguousarray(np.stack(cols, axis=1)).view(f"S{len(t)}").ravel()
            out[sel] = np.char.upper(s).astype(str)
        return pa.array(out, type=pa.string())

    # ---------------------------------------------------------------- generate
    def run(self):
        t0 = time.time()
        cfg = self.cfg
        N = cfg.accounts
        self.domains: list[str] = []
        self.dom_index: dict[str, int] = {}
        self.brands: set[str] = set()
        self.org_domains: dict[int, int] = {}
        self._plan_fraud()
        L = N - self.n_fraud
        self.L = L
        # account arrays (full size; legit 0..L-1, fraud after)
        self.created = np.zeros(N, np.int64)
        self.signup_ip = np.full(N, -1, np.int64)
        self.device = np.full(N, -1, np.int64)
        self.ua = np.full(N, -1, np.int64)
        self.country = np.full(N, -1, np.int64)
        self.org = np.full(N, -1, np.int64)
        self.sdk_ua = np.full(N, _UA_SDK[0], np.int64)
        self.tags = np.zeros(N, np.int64)
        self.emails: list[pa.Array] = []
        self.phones: list[pa.Array] = []
        self._legit()
        self.log(f"  legit accounts built ({time.time() - t0:.1f}s)")
        self._legit_requests()
        self.log(f"  legit requests built ({time.time() - t0:.1f}s)")
        self._fraud()
        self.log(f"  fraud built ({time.time() - t0:.1f}s)")

    # ---------------------------------------------------------------- legit
    def _legit(self):
        cfg, rng, net = self.cfg, self.rng, self.net
        L = self.L
        cw = np.array([c[1] for c in _C], float)
        ctry = rng.choice(len(_C), L, p=cw / cw.sum())
        # --- persons and secondary accounts
        n_sec = int(round(cfg.multi_frac * L))
        perm = rng.permutation(L)
        sec = perm[:n_sec]
        n_prim = max(1, int(n_sec / 1.35))
        prims = perm[n_sec : n_sec + n_prim]
        owner = np.arange(L)
        owner[sec[:n_prim]] = prims[: min(n_prim, n_sec)]
        if n_sec > n_prim:
            owner[sec[n_prim:]] = prims[rng.integers(0, n_prim, n_sec - n_prim)]
        is_sec = owner != np.arange(L)
        persons = np.nonzero(~is_sec)[0]
        self.tags[sec] |= _T["multi"]
        self.tags[np.unique(owner[sec])] |= _T["multi"]
        # --- universities
        free = np.ones(L, bool)
        free[is_sec] = False
        n_campus = int(cfg.campus_frac * L)
        campus_m = rng.choice(persons, n_campus, replace=False)
        n_uni = max(2, int(round(n_campus / cfg.campus_mean_size)))
        uw = rng.lognormal(0, 1.0, n_uni)
        uni_of = rng.choice(n_uni, n_campus, p=uw / uw.sum())
        uni_cc = np.array(
            [_CI[c] for c in rng.choice(_UNI_CC, n_uni, p=np.array(_UNI_W) / sum(_UNI_W))]
        )
        ctry[campus_m] = uni_cc[uni_of]
        free[campus_m] = False
        uni_ips = []
        for u in range(n_uni):
            a = self.nren.get(_CC[uni_cc[u]], self.nren_other)
            uni_ips.append(net.alloc(np.full(rng.integers(2, 7), a)))
        self.tags[campus_m] |= _T["campus"]
        uni_names = [self._brand(["", "state", "tech", "college", "univ"]) for _u in range(n_uni)]
        tld = {
            "US": ".edu",
            "GB": ".ac.uk",
            "IN": ".ac.in",
            "JP": ".ac.jp",
            "KR": ".ac.kr",
            "BR": ".edu.br",
            "AU": ".edu.au",
            "CA": ".ca",
            "DE": ".de",
            "FR": ".fr",
        }
        uni_dom = np.array(
            [
                self._dom(
                    f"{'uni-' if _CC[uni_cc[u]] in ('DE', 'FR') else ''}{uni_names[u]}"
                    f"{tld.get(_CC[uni_cc[u]], '.edu')}"
                )
                for u in range(n_uni)
            ]
        )
        self.big_uni_domain = self.domains[uni_dom[np.bincount(uni_of, minlength=n_uni).argmax()]]
        # --- companies
        n_off = int(cfg.office_frac * L)
        cand = np.nonzero(free)[0]
        off_m = rng.choice(cand, min(n_off, len(cand)), replace=False)
        sizes = _fill_sizes(
            rng,
            len(off_m),
            lambda k: _tpareto(
                rng, k, cfg.office_pareto_alpha, cfg.office_size_min, cfg.office_size_max
            ),
        )
        comp_of = np.repeat(np.arange(len(sizes)), sizes)
        n_comp = len(sizes)
        comp_cc = ctry[off_m[np.cumsum(sizes) - sizes]]
        stay = rng.random(len(off_m)) < 0.85
        ctry[off_m[stay]] = comp_cc[comp_of[stay]]
        free[off_m] = False
        comp_org = _mix(np.arange(n_comp), _S_ORG)
        self.org[off_m] = comp_org[comp_of]
        zs = rng.random(n_comp) < cfg.zscaler_frac
        zs_pool = net.alloc(np.full(max(3, n_comp // 5), self.zscaler))
        comp_ips = []
        for c in range(n_comp):
            k = rng.integers(1, 4)
            if zs[c]:
                comp_ips.append(zs_pool[rng.integers(0, len(zs_pool), k)])
            else:
                comp_ips.append(net.alloc(np.full(k, self.biz[rng.integers(len(self.biz))])))
        comp_dom = np.array(
            [
                self._dom(
                    f"{self._brand(['', 'labs', 'group', 'systems', 'hq', 'soft', 'works'])}"
                    f".{['com', 'io', 'ai', 'co', 'net', 'tech'][rng.integers(6)]}"
                )
                for c in range(n_comp)
            ]
        )
        comp_card = rng.random(n_comp) < cfg.company_card_frac
        comp_img = rng.random(n_comp) < cfg.device_image_frac
        self.tags[off_m] |= _T["office"]
        # --- households (persons, grouped by country)
        n_hh = int(cfg.household_frac * len(persons))
        hh_m = rng.choice(persons, n_hh, replace=False)
        hh_m = hh_m[np.lexsort((rng.random(n_hh), ctry[hh_m]))]
        hsz = _fill_sizes(
            rng, n_hh, lambda k: rng.choice([2, 3, 4, 5], k, p=[0.55, 0.25, 0.13, 0.07])
        )
        hh_of = np.repeat(np.arange(len(hsz)), hsz)
        n_house = len(hsz)
        hh_first = hh_m[np.cumsum(hsz) - hsz]
        self.tags[hh_m[hsz[hh_of] > 1]] |= _T["household"]
        # --- home (residential) IPs
        isp = np.empty(L, np.int64)
        for ci in range(len(_C)):
            sel = np.nonzero(ctry == ci)[0]
            isp[sel] = self.res_asn[ci][
                rng.choice(len(self.res_asn[ci]), len(sel), p=self.res_w[ci])
            ]
        home = net.alloc(isp)
        house_ip = home[hh_first]
        home[hh_m] = house_ip[hh_of]
        # --- mobile
        mob_share = np.array([c[5] for c in _C]) * cfg.mobile_share_scale
        mobile = rng.random(L) < mob_share[ctry]
        carrier = np.empty(L, np.int64)
        for ci in range(len(_C)):
            sel = np.nonzero(ctry == ci)[0]
            carrier[sel] = self.mob_asn[ci][
                rng.choice(len(self.mob_asn[ci]), len(sel), p=self.mob_w[ci])
            ]
        mob_ip = net.alloc(carrier, v6=rng.random(L) < 0.6)
        cg = np.nonzero(mobile & ~is_sec & (rng.random(L) < cfg.cgnat_frac_of_mobile))[0]
        cg = cg[np.lexsort((rng.random(len(cg)), carrier[cg]))]
        psz = _fill_sizes(
            rng,
            len(cg),
            lambda k: _tpareto(
                rng, k, cfg.cgnat_pareto_alpha, cfg.cgnat_pool_min, cfg.cgnat_pool_max + 0.99
            ),
        )
        pool_of = np.repeat(np.arange(len(psz)), psz)
        pool_first = cg[np.cumsum(psz) - psz]
        pool_ip = net.alloc(carrier[pool_first], v6=np.zeros(len(psz), bool))
        pool_ip2 = net.alloc(carrier[pool_first], v6=np.zeros(len(psz), bool))
        mob_ip[cg] = pool_ip[pool_of]
        mob2 = np.full(L, -1, np.int64)
        mob2[cg] = np.where(rng.random(len(cg)) < 0.5, pool_ip2[pool_of], -1)
        self.cgnat_pool_ips = np.concatenate([pool_ip, pool_ip2])
        self.cgnat_pool_cc = np.concatenate([ctry[pool_first], ctry[pool_first]])
        self.tags[cg[psz[pool_of] > 1]] |= _T["cgnat"]
        # --- UA / platform
        ios_share = np.array([c[7] for c in _C])
        ios = rng.random(L) < ios_share[ctry]
        ua = np.where(
            mobile,
            np.where(
                ios, _UA_I[rng.integers(0, len(_UA_I), L)], _UA_A[rng.integers(0, len(_UA_A), L)]
            ),
            _UA_D[rng.integers(0, len(_UA_D), L)],
        )
        # --- VPN / relay
        vpn_u = np.nonzero(~is_sec & (rng.random(L) < cfg.vpn_frac))[0]
        apple = np.isin(ua[vpn_u], np.concatenate([_UA_I, _UA_D[-3:]]))
        prov = np.where(
            apple & (rng.random(len(vpn_u)) < 0.6),
            0,
            rng.choice([1, 2, 3, 4], len(vpn_u), p=[0.3, 0.3, 0.15, 0.25]),
        )
        vpn_ip = np.full(L, -1, np.int64)
        for p in range(len(_VPN)):
            sel = vpn_u[prov == p]
            if len(sel) == 0:
                continue
            n_exit = max(1, int(round(len(sel) / cfg.vpn_users_per_exit)))
            ex = net.alloc(np.full(n_exit, self.vpn[p]))
            w = rng.lognormal(0, 0.9, n_exit)
            vpn_ip[sel] = ex[rng.choice(n_exit, len(sel), p=w / w.sum())]
        self.tags[vpn_u] |= _T["vpn"]
        self.relay_asn = _VPN[0][1]
        # --- org IPs (campus / office)
        org_ip = np.full(L, -1, np.int64)
        org_ip[campus_m] = (
            np.array([uni_ips[u][rng.integers(len(uni_ips[u]))] for u in range(n_uni)])[uni_of]
            if n_uni
            else -1
        )
        pick = rng.random(len(campus_m)) < 0.5
        if pick.any():
            org_ip[campus_m[pick]] = np.array([ips[-1] for ips in uni_ips])[uni_of[pick]]
        org_ip[off_m] = np.array([ips[0] for ips in comp_ips])[comp_of]
        pick = rng.random(len(off_m)) < 0.4
        org_ip[off_m[pick]] = np.array([ips[-1] for ips in comp_ips])[comp_of[pick]]
        # --- cron developers on cloud egress
        n_cron = max(3, int(cfg.cron_frac * L))
        cand = np.nonzero(~is_sec & ~np.isin(np.arange(L), campus_m))[0]
        cron = rng.choice(cand, n_cron, replace=False)
        prov_c = rng.choice(len(_CLOUD), n_cron, p=self.cloud_w)
        cloud_ip = np.full(L, -1, np.int64)
        for p in range(len(_CLOUD)):
            sel = cron[prov_c == p]
            if len(sel) == 0:
                continue
            pool = net.alloc(np.full(max(4, 2 * len(sel)), self.cloud[p]))
            cloud_ip[sel] = pool[rng.integers(0, len(pool), len(sel))]
        self.tags[cron] |= _T["cron"]
        self.cron = cron
        self.cloud_ip = cloud_ip
        # --- inherit person-level attributes to secondary accounts
        o = owner[sec]
        ctry[sec] = ctry[o]
        mobile[sec] = mobile[o]
        home[sec] = home[o]
        mob_ip[sec] = mob_ip[o]
        same_ua = rng.random(n_sec) < 0.7
        ua[sec[same_ua]] = ua[o[same_ua]]
        self.tags[sec] |= self.tags[o] & (_T["cgnat"] | _T["household"])
        # --- IP slots: primary, secondary, vpn, org, cloud
        slots = np.full((L, 5), -1, np.int64)
        slots[:, 0] = np.where(mobile, mob_ip, home)
        has_home = ~mobile | (rng.random(L) < 0.6)
        slots[:, 1] = np.where(
            mobile, np.where(has_home, home, mob2), np.where(rng.random(L) < 0.45, mob_ip, -1)
        )
        slots[:, 2] = vpn_ip
        slots[:, 3] = org_ip
        slots[:, 4] = cloud_ip
        w = np.array([1.0, 0.35, 1.4, 1.3, 0.4], np.float32)
        weights = np.where(slots >= 0, w[None, :], 0).astype(np.float32)
        self.slots, self.slot_cum = slots, np.cumsum(weights, axis=1)
        # --- time zone per account
        tz = np.empty(L, np.int64)
        for ci in range(len(_C)):
            sel = np.nonzero(ctry == ci)[0]
            tzs = np.array(_C[ci][2])
            tz[sel] = (tzs[rng.integers(0, len(tzs), len(sel))] * HOUR).astype(np.int64)
        self.tz = tz
        # --- created_at
        T = cfg.signup_days * DAY
        tau = cfg.signup_growth_tau_days * DAY
        t = tau * np.log1p(rng.random(L) * np.expm1(T / tau))
        day0 = self.ss + (t // DAY) * DAY
        hours = rng.choice(24, L, p=_LEGIT_HOURS / _LEGIT_HOURS.sum())
        created = day0 + hours * HOUR + rng.integers(0, HOUR, L) - tz
        burst = np.zeros(L, bool)
        # hackathon / conference sign-up bursts
        n_ev = max(1, int(round(L / cfg.accounts_per_event)))
        cand = np.nonzero(free & ~np.isin(np.arange(L), cron))[0]
        ev_sizes = np.clip(rng.lognormal(np.log(cfg.event_size_median), 0.6, n_ev), 60, 900).astype(
            int
        )
        ev_sizes = np.minimum(ev_sizes, max(1, len(cand) // (4 * n_ev)))
        ev_m = rng.choice(cand, int(ev_sizes.sum()), replace=False)
        ev_of = np.repeat(np.arange(n_ev), ev_sizes)
        ev_t = (
            self.ss
            + rng.integers(20, cfg.signup_days - 5, n_ev) * DAY
            + rng.integers(8, 15, n_ev) * HOUR
        )
        ev_ip = net.alloc(np.array(self.biz)[rng.integers(0, len(self.biz), n_ev)])
        created[ev_m] = ev_t[ev_of] + (rng.triangular(0, 0.6, 3.0, len(ev_m)) * HOUR).astype(
            np.int64
        )
        burst[ev_m] = True
        self.tags[ev_m] |= _T["hackathon"]
        self.ev_m, self.ev_of = ev_m, ev_of
        self.big_event_ip = ev_ip[np.argmax(ev_sizes)]
        # campus semester starts
        sem = campus_m[rng.random(n_campus) < 0.55]
        starts = np.array([_epoch("2025-08-25"), _epoch("2026-01-12")])
        sem_t = starts[rng.integers(0, 2, len(sem))] + rng.integers(0, 25, len(sem)) * DAY
        created[sem] = (
            sem_t
            + rng.choice(24, len(sem), p=_LEGIT_HOURS / _LEGIT_HOURS.sum()) * HOUR
            + rng.integers(0, HOUR, len(sem))
            - tz[sem]
        )
        burst[sem] = True
        # company SSO rollouts
        roll = self.ss + rng.integers(30, cfg.signup_days - 10, n_comp) * DAY
        early = rng.random(len(off_m)) < 0.55
        r_t = roll[comp_of]
        late_t = r_t + (rng.random(len(off_m)) * (self.ws - r_t - DAY)).astype(np.int64)
        created[off_m] = np.where(
            early,
            r_t
            + rng.integers(0, 5, len(off_m)) * DAY
            + rng.integers(9, 18, len(off_m)) * HOUR
            - tz[off_m]
            + rng.integers(0, HOUR, len(off_m)),
            late_t,
        )
        burst[off_m[early]] = True
        # marketing launch waves
        cand = np.nonzero(~burst & ~is_sec)[0]
        lm = rng.choice(cand, int(cfg.launch_frac * L), replace=False)
        ld = np.array([_epoch(d) for d in cfg.launch_dates]) + 17 * HOUR
        created[lm] = ld[rng.integers(0, len(ld), len(lm))] + (
            rng.exponential(cfg.launch_decay_hours, len(lm)) * HOUR
        ).astype(np.int64)
        self.tags[lm] |= _T["launch"]
        # secondary accounts open later than the owner's
        created[sec] = created[o] + (rng.exponential(60, n_sec) * DAY).astype(np.int64)
        created = self._fit_signup(created)
        self.created[:L] = created
        # --- devices
        dev = _mix(np.arange(L), _S_DEV)
        sd = rng.random(n_sec) < 0.7
        dev[sec[sd]] = dev[o[sd]]
        fam_dev = rng.random(n_house) < cfg.family_device_frac
        take = fam_dev[hh_of] & (rng.random(n_hh) < 0.6)
        dev[hh_m[take]] = dev[hh_first[hh_of[take]]]
        img = comp_img[comp_of] & (rng.random(len(off_m)) < 0.7)
        img_dev = _mix(np.arange(n_comp) + 10_000_000, _S_DEV)
        dev[off_m[img]] = img_dev[comp_of[img]]
        ua[off_m[img]] = _UA_D[0]
        self.tags[off_m[img]] |= _T["device_image"]
        dev[rng.random(L) < 0.04] = -1
        self.device[:L] = dev
        self.ua[:L] = ua
        self.country[:L] = np.where(rng.random(L) < 0.97, ctry, -1)
        self.ctry_true = ctry
        self.sdk_ua[:L] = _UA_SDK[rng.choice(7, L, p=[0.3, 0.15, 0.2, 0.1, 0.1, 0.05, 0.1])]
        # --- signup ip
        sip = slots[:, 0].copy()
        alt = (slots[:, 1] >= 0) & (rng.random(L) < 0.25)
        sip[alt] = slots[alt, 1]
        v = (slots[:, 2] >= 0) & (rng.random(L) < 0.35)
        sip[v] = slots[v, 2]
        og = (slots[:, 3] >= 0) & (rng.random(L) < 0.7)
        sip[og] = slots[og, 3]
        sip[ev_m] = ev_ip[ev_of]
        sip[rng.random(L) < 0.03] = -1
        self.signup_ip[:L] = sip
        # --- e-mail
        dom = self._mail_domains(ctry)
        work_mail = rng.random(len(off_m)) < 0.8
        dom[off_m[work_mail]] = comp_dom[comp_of[work_mail]]
        uni_mail = rng.random(n_campus) < 0.7
        dom[campus_m[uni_mail]] = uni_dom[uni_of[uni_mail]]
        local = self._name_locals(L)
        # secondary accounts: +tag, dot variant or other provider, same local part
        ol = local.take(pa.array(o))
        kind = rng.random(n_sec)
        tags_ = pa.array(
            np.array(["work", "alt", "test", "dev", "2", "ai", "school"])[rng.integers(0, 7, n_sec)]
        )
        od = dom[o]
        plus_ok = np.isin(od, [self._dom(d) for d in _PLUS_OK])
        gm = od == self._dom("gmail.com")
        v_plus = _join(ol, "+", tags_)
        v_dot = pc.if_else(
            pc.match_substring(ol, "."),
            pc.replace_substring(ol, ".", ""),
            _join(pc.utf8_slice_codeunits(ol, 0, 1), ".", pc.utf8_slice_codeunits(ol, 1, 64)),
        )
        choice = np.where((kind < 0.4) & plus_ok, 0, np.where((kind < 0.65) & gm, 1, 2))
        sec_local = pc.choose(pa.array(choice.astype(np.int8)), v_plus, v_dot, ol)
        newdom = self._mail_domains(ctry[sec])
        dom[sec] = np.where(choice == 2, newdom, od)
        loc_np = np.asarray(local.to_numpy(zero_copy_only=False), dtype=object)
        loc_np[sec] = np.asarray(sec_local.to_numpy(zero_copy_only=False), dtype=object)
        self.leg_local = loc_np
        self.leg_dom = dom
        # --- phones
        has_ph = rng.random(L) < 0.42
        ph_code = np.arange(L, dtype=np.int64) + 1_000_000_000
        sp = rng.random(n_sec) < 0.4
        ph_code[sec[sp]] = ph_code[o[sp]]
        has_ph[sec[sp]] = has_ph[o[sp]]
        self.leg_phone = (ph_code, has_ph, ctry)
        # --- payments
        p_paid = np.full(L, cfg.paid_frac)
        p_paid[off_m] = 0.55
        p_paid[campus_m] = 0.15
        p_paid[cron] = 0.9
        paid = rng.random(L) < p_paid
        card = np.full(L, -1, np.int64)
        own = np.nonzero(paid)[0]
        card[own] = self._new_cards(self._legit_bins(ctry[own]), ctry[own])
        fam = rng.random(n_house) < cfg.family_card_frac
        fam_card = self._new_cards(self._legit_bins(ctry[hh_first]), ctry[hh_first])
        fm = paid[hh_m] & fam[hh_of] & (rng.random(n_hh) < 0.8)
        card[hh_m[fm]] = fam_card[hh_of[fm]]
        cc_card = self._new_cards(self._legit_bins(comp_cc), comp_cc)
        cm = paid[off_m] & comp_card[comp_of]
        card[off_m[cm]] = cc_card[comp_of[cm]]
        self.tags[off_m[cm]] |= _T["company_card"]
        sc = paid[sec] & (card[o] >= 0) & (rng.random(n_sec) < 0.55)
        card[sec[sc]] = card[o[sc]]
        pa_acc = np.nonzero(card >= 0)[0]
        delay = (rng.exponential(20, len(pa_acc)) * DAY).astype(np.int64)
        delay[np.isin(pa_acc, off_m[cm])] //= 20
        pt = np.minimum(created[pa_acc] + delay, self.we - 60)
        self.pay.append({"acc": pa_acc, "card": card[pa_acc], "ts": pt})
        two = pa_acc[rng.random(len(pa_acc)) < cfg.second_card_frac]
        c2 = self._new_cards(self._legit_bins(ctry[two]), ctry[two])
        self.pay.append(
            {
                "acc": two,
                "card": c2,
                "ts": np.minimum(
                    created[two] + (rng.exponential(90, len(two)) * DAY).astype(np.int64),
                    self.we - 60,
                ),
            }
        )
        # --- allowlist candidates
        self.allow = []
        self.persona = rng.choice(len(_PERSONA_P), L, p=_PERSONA_P)
        self.persona[campus_m[rng.random(n_campus) < 0.6]] = 3
        self.persona[cron] = np.where(rng.random(n_cron) < 0.5, 4, 1)
        self.is_sec, self.owner = is_sec, owner
        self.campus_m, self.off_m = campus_m, off_m
        big_cc = np.nonzero(comp_card)[0]
        if len(big_cc):
            self.allow_org = comp_org[big_cc[np.argmax(sizes[big_cc])]]
        else:
            self.allow_org = comp_org[np.argmax(sizes)]
        img_m = off_m[img]
        self.allow_accounts = (
            list(cron[:2])
            + ([int(ev_m[0])] if len(ev_m) else [])
            + ([int(owner[sec[0]])] if n_sec else [])
            + ([int(img_m[0])] if len(img_m) else [int(cron[2])])
        )
        self.allow_org_str = None
        # legit pre-window logins
        age = (self.ws - created) / DAY
        nlog = rng.poisson(0.8 + age / 120)
        la = np.repeat(np.arange(L), nlog)
        lt = created[la] + (rng.random(len(la)) * (self.ws - created[la])).astype(np.int64)
        self.ev.append(
            {
                "acc": la,
                "ip": self._slot_ip(la),
                "ts": lt,
                "event": np.ones(len(la), np.int8),
                "ua": ua[la],
            }
        )

    def _fit_signup(self, t: np.ndarray) -> np.ndarray:
        """Reflect sign-up times that spill out of the sign-up year back inside it
        (no pile-up on the boundary)."""
        hi, lo = self.ws - 600, self.ss
        t = np.where(t > hi, hi - (t - hi) % (20 * DAY), t)
        return np.where(t < lo, lo + (lo - t) % (20 * DAY), t)

    def _slot_ip(self, acc: np.ndarray, exclude_cloud: bool = True) -> np.ndarray:
        cum = self.slot_cum[acc]
        if exclude_cloud:
            cum = cum.copy()
            cum[:, 4] = cum[:, 3]
        k = _choice_rows(self.rng, cum)
        return self.slots[acc, k]

    def _tokens(self, cap: np.ndarray, count: np.ndarray, in_mult=1.0, out_mult=1.0, sigma=1.0):
        rng = self.rng
        n = len(cap)
        per_in = _TOK[cap, 0] * in_mult * rng.lognormal(0, sigma, n)
        per_out = _TOK[cap, 1] * out_mult * rng.lognormal(0, sigma * 0.8, n)
        return (np.maximum(1, per_in) * count).astype(np.int64), (
            np.maximum(1, per_out) * count
        ).astype(np.int64)

    def _row_fps(self, n: int) -> np.ndarray:
        c = _mix(np.arange(self.row_fp_counter, self.row_fp_counter + n), _S_ROWFP)
        self.row_fp_counter += n
        return c

    def _legit_requests(self):
        cfg, rng = self.cfg, self.rng
        L = self.L
        created = self.created[:L]
        age = (self.ws - created) / DAY
        p = np.full(L, cfg.active_frac)
        p = np.where(age < 60, p * 1.6, np.where(age > 300, p * 0.7, p))
        p[self.off_m] *= 1.3
        p[self.campus_m] *= 1.2
        p = np.clip(p, 0, 0.95)
        active = rng.random(L) < p
        active[self.cron] = True
        act = np.nonzero(active)[0]
        persona = self.persona
        sess = np.clip(rng.lognormal(np.log(cfg.sessions_median), 1.1, len(act)), 1, 600).astype(
            np.int64
        )
        sess = np.where(persona[act] == 4, sess * 2, sess)
        acc = np.repeat(act, sess)
        n = len(acc)
        day = rng.integers(0, self.D, n)
        wk = (day + self.ws_weekday) % 7 >= 5
        redo = wk & (rng.random(n) < 0.25)
        day[redo] = rng.integers(0, self.D, int(redo.sum()))
        hour = rng.choice(24, n, p=_LEGIT_HOURS / _LEGIT_HOURS.sum())
        hour = np.where(persona[acc] == 3, (hour + 2) % 24, hour)
        ts = self.ws + day * DAY + hour * HOUR + rng.integers(0, HOUR, n) - self.tz[acc]
        ts = self.ws + np.mod(ts - self.ws, self.we - self.ws)
        api = rng.random(n) < _PERSONA_API[persona[acc]]
        count = np.where(api, rng.geometric(0.08, n), rng.geometric(0.28, n)).astype(np.int64)
        nkeys = rng.integers(1, 4, L)
        key = _mix(acc * 4 + rng.integers(0, 3, n) % nkeys[acc], _S_KEY)
        key[~api] = -1
        cap = _choice_rows(rng, np.cumsum(_PERSONA_CAP, axis=1)[persona[acc]])
        ip = self._slot_ip(acc)
        tin, tout = self._tokens(cap, count)
        # prompt fingerprints
        fp = np.full(n, -1, np.int64)
        tpl_users = act[
            rng.random(len(act)) < cfg.template_frac * np.where(persona[act] == 4, 3.0, 1.0)
        ]
        ranks = np.arange(cfg.n_public_templates)
        tw = 1.0 / (ranks + 2.0) ** 1.1
        tpl = np.full(L, -1, np.int64)
        tpl[tpl_users] = rng.choice(cfg.n_public_templates, len(tpl_users), p=tw / tw.sum())
        agents = tpl_users[persona[tpl_users] == 4]
        tpl[agents] = rng.integers(0, 8, len(agents))  # open-source agent frameworks
        use_t = (tpl[acc] >= 0) & (rng.random(n) < 0.55)
        fp[use_t] = _mix(tpl[acc[use_t]], _S_TPL)
        self.tags[np.unique(acc[use_t])] |= _T["template"]
        ev_tpl = np.full(L, -1, np.int64)
        ev_tpl[self.ev_m] = self.ev_of
        use_e = (fp < 0) & (ev_tpl[acc] >= 0) & (rng.random(n) < 0.3)
        fp[use_e] = _mix(ev_tpl[acc[use_e]], _S_EVT)
        self.tags[np.unique(acc[use_e])] |= _T["template"]
        triv = (fp < 0) & (rng.random(n) < cfg.trivial_prompt_rate)
        fp[triv] = _mix(rng.integers(0, 12, int(triv.sum())), _S_TRIV)
        cust = rng.random(L) < 0.25
        use_c = (fp < 0) & cust[acc] & (rng.random(n) < 0.6)
        fp[use_c] = _mix(acc[use_c], _S_CUST)
        rest = np.nonzero((fp < 0) & (rng.random(n) < 0.5))[0]
        fp[rest] = self._row_fps(len(rest))
        self.req.append(
            {
                "acc": acc,
                "ts": ts,
                "count": count,
                "key": key,
                "ip": ip,
                "fp": fp,
                "cap": cap,
                "tin": tin,
                "tout": tout,
            }
        )
        # scheduled automation (cron) on cloud egress
        cron = self.cron
        nc = len(cron)
        kind = rng.choice(3, nc, p=[0.15, 0.25, 0.60])  # hourly, 6-hourly, daily x1..3
        per_day = np.where(kind == 0, 24, np.where(kind == 1, 4, rng.integers(1, 4, nc)))
        first_h = rng.integers(0, 24, nc)
        minute = np.where(rng.random(nc) < 0.5, 0, rng.choice([5, 10, 15, 30, 45], nc))
        active_days = rng.random((nc, self.D)) < 0.88
        ci, di = np.nonzero(active_days)
        runs = per_day[ci]
        dev_i = np.repeat(ci, runs)
        d = np.repeat(di, runs)
        j = np.arange(len(dev_i)) - np.repeat(np.cumsum(runs) - runs, runs)
        step = np.where(kind[dev_i] == 0, 1, np.where(kind[dev_i] == 1, 6, 7))
        h = (first_h[dev_i] + j * step) % 24
        ts = self.ws + d * DAY + h * HOUR + minute[dev_i] * 60 + rng.integers(0, 25, len(dev_i))
        m = len(dev_i)
        lam = np.clip(rng.lognormal(np.log(12), 0.8, nc), 1, 400)
        count = rng.poisson(lam[dev_i]) + 1
        main_cap = rng.choice([1, 2, 6, 3, 0], nc, p=[0.35, 0.25, 0.2, 0.1, 0.1])
        cap = np.where(rng.random(m) < 0.8, main_cap[dev_i], rng.integers(0, 7, m))
        job_tpl = np.where(
            rng.random(nc) < 0.5, _mix(rng.integers(0, 8, nc), _S_TPL), _mix(cron, _S_CUST + 100)
        )
        fp = np.where(rng.random(m) < 0.9, job_tpl[dev_i], -1)
        acc = cron[dev_i]
        key = _mix(acc * 4, _S_KEY)
        ip = self.cloud_ip[acc]
        tin, tout = self._tokens(cap, count, sigma=0.4)
        self.req.append(
            {
                "acc": acc,
                "ts": ts,
                "count": count,
                "key": key,
                "ip": ip,
                "fp": fp,
                "cap": cap,
                "tin": tin,
                "tout": tout,
            }
        )
        ts_big = np.bincount(acc, weights=count, minlength=L)
        top = np.argsort(-ts_big)[:2]
        self.allow_accounts[:2] = [int(x) for x in top]

    # ---------------------------------------------------------------- fraud
    def _plan_fraud(self):
        cfg, rng = self.cfg, self.rng
        N = cfg.accounts
        n_big = (
            cfg.big_campaign_accounts
            if N >= cfg.big_campaign_from
            else int(round(cfg.small_big_frac * N))
        )
        big_ex = cfg.big_campaign_exchanges * n_big / cfg.big_campaign_accounts
        n_other = int(round(cfg.other_fraud_frac * N))
        n_ops = int(np.clip(cfg.n_operators, 2, 6))
        kinds = ["clear", "stealth", "low_slow", "camouflaged", "mixed"][: n_ops - 1]
        mixes = {
            "clear": {"clear": 0.75, "stealth": 0.25},
            "stealth": {"stealth": 0.8, "camouflaged": 0.2},
            "low_slow": {"low_slow": 1.0},
            "camouflaged": {"camouflaged": 0.7, "clear": 0.3},
            "mixed": {"clear": 0.4, "stealth": 0.3, "camouflaged": 0.3},
        }
        tzs = [8, 3, 5.5, -5, 1, 7]
        self.ops: list[_Operator] = []
        self.fin_perm = self.fin_bins[rng.permutation(len(self.fin_bins))]
        for k in range(n_ops):
            kind = "big" if k == 0 else kinds[k - 1]
            styles = {"stealth": 0.5, "camouflaged": 0.3, "clear": 0.2} if k == 0 else mixes[kind]
            cap = (
                _DISTILL_CAP
                if kind in ("big", "stealth")
                else (
                    _REASON_CAP
                    if kind == "low_slow"
                    else (_RESALE_CAP if kind == "clear" else (_DISTILL_CAP + _RESALE_CAP) / 2)
                )
            )
            night = rng.random() < 0.3
            self.ops.append(
                _Operator(
                    campaign_id=f"cmp-{k + 1:02d}",
                    styles=styles,
                    tz_h=tzs[k % len(tzs)],
                    shift_local=20 if night else int(rng.integers(8, 11)),
                    shift_len=int(rng.integers(8, 11)),
                    sunday_off=kind != "clear",
                    cap=cap,
                    distill=kind in ("big", "stealth", "low_slow"),
                    daily={"clear": 140.0, "stealth": 60.0, "low_slow": 10.0}.get(kind, 35.0),
                    bins=list(self.fin_perm[(5 * k) % 30 : (5 * k) % 30 + 5]),
                    hosting=[
                        self.hosting[i] for i in rng.choice(len(self.hosting), 2, replace=False)
                    ],
                    domains=[
                        f"{_WORDS[rng.integers(len(_WORDS))]}mail{k}.{t}"
                        for t in ("xyz", "top", "site")
                    ],
                )
            )
        # ring sizes
        rings: list[_Ring] = []
        w = rng.dirichlet(np.full(n_ops - 1, 3.0))
        budgets = [n_big] + list(np.round(w * n_other).astype(int))
        for k, (op, budget) in enumerate(zip(self.ops, budgets, strict=True)):
            if budget <= 0:
                continue
            if k == 0:
                med, lo, hi = min(cfg.big_ring_size_median, max(20, budget / 4)), 20, 2500
            elif "low_slow" in op.styles:  # a few patient rings, ~3 per operator
                med, lo, hi = float(np.clip(budget / 3, 10, 800)), 10, 800
            else:
                med, lo, hi = cfg.ring_size_median, 8, 400
            sizes = _fill_sizes(
                rng,
                budget,
                lambda m, med=med, lo=lo, hi=hi: np.clip(
                    rng.lognormal(np.log(med), cfg.ring_size_sigma, m), lo, hi
                ),
            )
            if len(sizes) > 1 and sizes[-1] < lo:
                sizes[-2] += sizes[-1]
                sizes = sizes[:-1]
            names = list(op.styles)
            probs = np.array([op.styles[s] for s in names])
            st = rng.choice(names, len(sizes), p=probs / probs.sum())
            created0 = np.sort(self.ws - rng.integers(3, 170, len(sizes)) * DAY)
            for j, (size, style) in enumerate(zip(sizes, st, strict=True)):
                rings.append(
                    _Ring(
                        ring_id=f"{op.campaign_id}-r{j + 1:02d}",
                        op=k,
                        style=str(style),
                        size=int(size),
                        created0=int(created0[j]),
                    )
                )
            if k == 0:
                tot = sum(r.size for r in rings if r.op == 0)
                for r in rings:
                    if r.op == 0:
                        r.exchanges = big_ex * r.size / tot
        lo = cfg.accounts - sum(r.size for r in rings)
        for r in rings:
            r.lo = lo
            lo += r.size
        self.rings = rings
        self.n_fraud = sum(r.size for r in rings)
        self.big_ex = big_ex

    def _fraud(self):
        rng = self.rng
        prev: dict[int, _Ring] = {}
        counter = {k: 0 for k in range(len(self.ops))}
        for r in self.rings:
            op = self.ops[r.op]
            # infrastructure rotation chain
            nt = {"clear": 2, "stealth": int(rng.integers(3, 6)), "camouflaged": 3, "low_slow": 1}[
                r.style
            ]
            fresh = [int(_mix(r.op * 10_000 + counter[r.op] + i, _S_FTPL)) for i in range(nt)]
            counter[r.op] += nt
            bins = [op.bins[rng.integers(len(op.bins))]]
            if r.style in ("stealth", "clear") and rng.random() < 0.5:
                bins.append(op.bins[rng.integers(len(op.bins))])
            p = prev.get(r.op)
            if p is not None:
                it, ib = rng.random() < self.cfg.chain_template, rng.random() < self.cfg.chain_bin
                if not (it or ib):
                    it = True
                if it:
                    fresh[0] = p.templates[-1]
                if ib:
                    bins[0] = p.bins[0]
            r.templates, r.bins = tuple(fresh), tuple(int(b) for b in bins)
            prev[r.op] = r
            # activity period
            if r.style == "low_slow":
                r.a0, r.a1 = self.ws, self.we
            elif r.style == "clear" and r.op != 0:
                r.a0 = self.ws + int(rng.integers(0, self.D - 8)) * DAY
                r.a1 = min(self.we, r.a0 + int(rng.integers(8, 21)) * DAY)
            elif r.style == "stealth" or r.op == 0:
                r.a0 = self.ws + int(rng.integers(0, max(1, self.D // 3))) * DAY
                r.a1 = min(self.we, r.a0 + int(rng.integers(25, 46)) * DAY)
            else:
                r.a0 = self.ws + int(rng.integers(0, 10)) * DAY
                r.a1 = self.we
            self._ring_accounts(r, op)
            self._ring_requests(r, op)

    def _op_hours(self, op: _Operator, n: int) -> np.ndarray:
        """UTC hour-of-day (float seconds) inside the operator's shift."""
        start_utc = (op.shift_local - op.tz_h) * HOUR
        return (start_utc + self.rng.random(n) * op.shift_len * HOUR).astype(np.int64)

    def _ring_accounts(self, r: _Ring, op: _Operator):
        rng, net = self.rng, self.net
        n, lo = r.size, r.lo
        idx = np.arange(lo, lo + n)
        st = r.style
        ccw = np.array([c[1] for c in _C], float)
        # created_at
        if st == "clear":
            created = r.created0 + np.cumsum(rng.exponential(45, n)).astype(np.int64) + 9 * HOUR
        elif st == "stealth":
            d = rng.integers(0, 21, n)
            created = r.created0 + d * DAY + self._op_hours(op, n)
        elif st == "camouflaged":
            d = rng.integers(0, 75, n)
            created = (
                r.created0
                - 40 * DAY
                + d * DAY
                + rng.integers(0, HOUR, n)
                + rng.choice(24, n, p=_LEGIT_HOURS / _LEGIT_HOURS.sum()) * HOUR
            )
        else:
            created = self.ws - rng.integers(10, 200, n) * DAY - rng.integers(0, DAY, n)
        self.created[idx] = self._fit_signup(created)
        # identity
        if st == "clear":
            cc = np.where(rng.random(n) < 0.6, _CI["US"], -1)
            pool_h = net.alloc(
                np.full(int(rng.integers(3, 9)), op.hosting[rng.integers(len(op.hosting))])
            )
            sip = pool_h[rng.integers(0, len(pool_h), n)]
            ndev = max(2, n // 8)
            dev = _mix(lo * 7 + rng.integers(0, ndev, n) + 50_000_000, _S_DEV)
            ua = np.full(n, _UA_HEADLESS0 + rng.integers(0, 2))
            r.host_ips = pool_h
            if rng.random() < 0.5:
                dom = np.full(n, self._dom(op.domains[rng.integers(len(op.domains))]))
                local = _alnum(_mix(idx, 5), 9)
            else:  # gmail farm: dot / +tag variants of a few inboxes
                nb = max(2, n // 10)
                base_code = _mix(lo + rng.integers(0, nb, n), 6)
                base = _alnum(base_code, 10, _LETTERS)
                p = rng.integers(1, 10, n)
                chars = np.asarray(base.cast(pa.binary()).to_numpy(zero_copy_only=False)).astype(
                    "S10"
                )
                cm = chars.view("S1").reshape(n, 10)
                grid = np.arange(11)[None, :]
                src = np.where(grid < p[:, None], grid, grid - 1)
                out = np.where(
                    grid == p[:, None], b".", cm[np.arange(n)[:, None], np.clip(src, 0, 9)]
                )
                dotted = pa.array(
                    np.ascontiguousarray(out).view("S11").ravel(), type=pa.binary()
                ).cast(pa.string())
                plus = _join(base, "+", _dec(rng.integers(1, 999, n)))
                local = pc.choose(pa.array(rng.integers(0, 2, n).astype(np.int8)), dotted, plus)
                dom = np.full(n, self._dom("gmail.com"))
            nph = max(2, n // 5)
            ph_code = lo + rng.integers(0, nph, n) + 2_000_000_000
            ph_cc = np.full(n, _CI["US"] if rng.random() < 0.6 else _CI["GB"])
            has_ph = rng.random(n) < 0.9
        else:
            if st == "stealth":
                pcs = rng.choice([_CI["US"], _CI["GB"], _CI["DE"], _CI["CA"]], 2, replace=False)
                cc = pcs[rng.integers(0, 2, n)]
            elif st == "camouflaged":
                cc = np.full(n, rng.choice(len(_C), p=ccw / ccw.sum()))
                cc[rng.random(n) < 0.3] = rng.choice(len(_C), p=ccw / ccw.sum())
            else:
                cc = rng.choice(len(_C), n, p=ccw / ccw.sum())
            res = np.array(
                [self.res_asn[c][rng.integers(len(self.res_asn[c]))] for c in range(len(_C))]
            )[cc]
            mob = np.array([self.mob_asn[c][0] for c in range(len(_C))])[cc]
            if st == "camouflaged":
                sticky = net.alloc(mob, v6=rng.random(n) < 0.5)
                take = rng.random(n) < 0.4
                for c in np.unique(cc[take]):
                    pool = self.cgnat_pool_ips[self.cgnat_pool_cc == c]
                    sel = np.nonzero(take & (cc == c))[0]
                    if len(pool):
                        sticky[sel] = pool[rng.integers(0, len(pool), len(sel))]
            else:
                sticky = net.alloc(res)
            if st == "stealth":
                pool = net.alloc(np.repeat(res, 3))
                ov = rng.random(len(pool)) < self.cfg.proxy_legit_overlap
                legit_home = self.slots[rng.integers(0, self.L, int(ov.sum())), 0]
                pool[ov] = legit_home
                r.proxy = pool
                sip = pool[rng.integers(0, len(pool), n)]
            else:
                sip = sticky
            r.sticky, r.mob = sticky, mob
            dev = _mix(idx + 60_000_000, _S_DEV)
            if st == "camouflaged":
                slip = rng.random(n) < self.cfg.slip_rate
                dev[slip] = dev[rng.integers(0, 3, int(slip.sum()))]
                ua = np.where(
                    rng.random(n) < 0.5,
                    _UA_I[rng.integers(0, len(_UA_I), n)],
                    _UA_A[rng.integers(0, len(_UA_A), n)],
                )
            else:
                ua = _UA_D[rng.integers(0, len(_UA_D), n)]
            dom = self._mail_domains(cc)
            if st == "camouflaged":
                dom = np.where(rng.random(n) < 0.7, self._dom("gmail.com"), self._dom("icloud.com"))
            local = self._name_locals(n, 0.9)
            ph_code = idx + 3_000_000_000
            ph_cc = cc
            has_ph = rng.random(n) < {"stealth": 0.5, "camouflaged": 0.6, "low_slow": 0.4}[st]
            if st == "camouflaged":
                slip = rng.random(n) < self.cfg.slip_rate / 2
                ph_code[slip] = ph_code[0]
            cc = np.where(rng.random(n) < 0.95, cc, -1)
        self.signup_ip[idx] = sip
        self.device[idx] = dev
        self.ua[idx] = ua
        self.country[idx] = cc
        self.sdk_ua[idx] = (
            (len(_UAS) - len(_HEADLESS) - 1) if st == "clear" else _UA_SDK[rng.integers(0, 7, n)]
        )
        r.dom, r.local = dom, local
        r.phone = (ph_code, has_ph, np.asarray(ph_cc))
        # org workspaces
        if (st == "clear" and rng.random() < 0.4) or (r.op == 0 and rng.random() < 0.3):
            orgs = _mix(np.arange(rng.integers(1, 4)) + lo * 10 + 90_000_000, _S_ORG)
            j = rng.random(n) < 0.7
            self.org[idx[j]] = orgs[rng.integers(0, len(orgs), int(j.sum()))]
        # payments
        bins = np.array(r.bins)
        if st == "clear":
            has = rng.random(n) < 0.85
            ncard = max(2, n // 6)
            cards = self._new_cards(
                bins[rng.integers(0, len(bins), ncard)],
                self.bin_cc[bins[rng.integers(0, len(bins), ncard)]],
                postal_seed=np.full(ncard, lo + 123),
            )
            card = cards[rng.integers(0, ncard, n)]
            delay = rng.integers(60, 1800, n)
        elif st == "camouflaged":
            has = rng.random(n) < 0.7
            b = self._legit_bins(np.where(cc >= 0, cc, _CI["US"]))
            opb = rng.random(n) < 0.1
            b[opb] = bins[0]
            card = self._new_cards(b, self.bin_cc[b])
            slip = rng.random(n) < self.cfg.slip_rate / 2
            card[slip] = card[0]
            delay = rng.integers(HOUR, 20 * DAY, n)
        else:
            has = rng.random(n) < (0.9 if st == "stealth" else 1.0)
            b = bins[rng.integers(0, len(bins), n)]
            bcc = np.where(
                rng.random(n) < 0.5, self.bin_cc[b], np.where(cc >= 0, cc, self.bin_cc[b])
            )
            card = self._new_cards(b, bcc)
            delay = rng.integers(10 * 60, 3 * DAY, n)
        a = idx[has]
        self.pay.append(
            {
                "acc": a,
                "card": card[has],
                "ts": np.minimum(self.created[a] + delay[has], self.we - 60),
            }
        )

    def _ring_requests(self, r: _Ring, op: _Operator):
        rng = self.rng
        n, lo, st = r.size, r.lo, r.style
        d0, d1 = (r.a0 - self.ws) // DAY, (r.a1 - self.ws) // DAY
        days = np.arange(d0, max(d1, d0 + 1))
        wd = (days + self.ws_weekday) % 7
        p_day = {"clear": 0.9, "stealth": 0.75, "camouflaged": 0.6, "low_slow": 0.6}[st]
        M = rng.random((n, len(days))) < p_day
        if op.sunday_off:
            M[:, wd == 6] = False
        if st == "low_slow":  # every account active in the window
            none = ~M.any(axis=1)
            M[np.nonzero(none)[0], rng.integers(0, len(days), int(none.sum()))] = True
        ai, di = np.nonzero(M)
        klo, khi = {"clear": (3, 7), "stealth": (2, 6), "camouflaged": (1, 4), "low_slow": (1, 3)}[
            st
        ]
        k = rng.integers(klo, khi, len(ai))
        a = np.repeat(ai, k)
        d = np.repeat(days[di], k)
        m = len(a)
        if st == "low_slow":
            if not hasattr(r, "slots_h"):
                r.slots_h = ((op.shift_local - op.tz_h) % 24 + np.array([0, 5])) % 24
            sec = r.slots_h[rng.integers(0, 2, m)] * HOUR + rng.normal(0, 600, m).astype(np.int64)
        elif st == "clear":
            minute = int(rng.integers(0, 60))
            sec = (self._op_hours(op, m) // HOUR) * HOUR + minute * 60 + rng.integers(0, 60, m)
        else:
            sec = self._op_hours(op, m) + rng.normal(0, 1500, m).astype(np.int64)
        chat = np.zeros(m, bool)
        if st == "camouflaged":
            chat = rng.random(m) < 0.3
            ccx = np.maximum(self.country[lo + a[chat]], 0)
            tz = np.array([_C[c][2][0] for c in range(len(_C))])[np.minimum(ccx, len(_C) - 1)]
            sec[chat] = (
                rng.choice(24, int(chat.sum()), p=_LEGIT_HOURS / _LEGIT_HOURS.sum()) * HOUR
                - tz * HOUR
                + rng.integers(0, HOUR, int(chat.sum()))
            ).astype(np.int64)
        ts = self.ws + d * DAY + sec
        ts = self.ws + np.mod(ts - self.ws, self.we - self.ws)
        # volume
        if r.op == 0:
            wacc = rng.lognormal(0, 0.5, n)
            per_acc = r.exchanges * wacc / wacc.sum()
            rows_acc = np.bincount(a, minlength=n)
            mean = per_acc[a] / np.maximum(rows_acc[a], 1)
        else:
            daily = op.daily * rng.lognormal(0, 0.4, n)
            mean = daily[a] / ((klo + khi - 1) / 2)
        count = (1 + rng.poisson(np.maximum(mean - 1.0, 0.0))).astype(np.int64)  # E[count] = mean
        cap = rng.choice(len(_CAPS), m, p=op.cap / op.cap.sum())
        if chat.any():
            cap[chat] = _choice_rows(
                rng, np.cumsum(_PERSONA_CAP[[5]], axis=1)[np.zeros(int(chat.sum()), int)]
            )
            count[chat] = rng.geometric(0.3, int(chat.sum()))
        if r.op == 0:  # hit the campaign's exchange budget exactly (up to rounding)
            nc = ~chat
            f = max(r.exchanges - count[chat].sum(), nc.sum()) / max(count[nc].sum(), 1)
            count[nc] = np.maximum(1, np.floor(count[nc] * f + rng.random(int(nc.sum())))).astype(
                np.int64
            )
        if op.distill:
            tin, tout = self._tokens(cap, count, 1.5, 3.0, sigma=0.5)
        else:
            tin, tout = self._tokens(cap, count, 1.0, 1.2, sigma=0.6)
        if chat.any():
            tin[chat], tout[chat] = self._tokens(cap[chat], count[chat])
        # prompt fingerprints
        p_t = {"clear": 0.9, "stealth": 0.7, "camouflaged": 0.35, "low_slow": 0.85}[st]
        tp = np.array(r.templates, dtype=np.int64)
        fp = np.where(rng.random(m) < p_t, tp[rng.integers(0, len(tp), m)], -1)
        if r.op == 0:
            h = rng.random(m) < 0.1
            fp[h] = _mix(np.zeros(int(h.sum()), np.int64), _S_HARNESS)
        fp[chat] = -1
        rest = np.nonzero((fp < 0) & (rng.random(m) < 0.5))[0]
        fp[rest] = self._row_fps(len(rest))
        # keys and IPs
        acc = lo + a
        nk = rng.integers(1, 3, n)
        key = _mix(acc * 4 + rng.integers(0, 2, m) % nk[a], _S_KEY)
        key[chat] = -1
        if st == "clear":
            ip = r.host_ips[rng.integers(0, len(r.host_ips), m)]
        elif st == "stealth":
            ip = r.proxy[rng.integers(0, len(r.proxy), m)]
        elif st == "camouflaged":
            ip = r.sticky[a]
            rot = rng.random(m) < 0.15
            ip[rot] = self.net.alloc(r.mob[a[rot]])  # mobile proxy rotates within the carrier
        else:
            ip = r.sticky[a]
        self.req.append(
            {
                "acc": acc,
                "ts": ts,
                "count": count,
                "key": key,
                "ip": ip,
                "fp": fp,
                "cap": cap,
                "tin": tin,
                "tout": tout,
            }
        )

    # ---------------------------------------------------------------- output
    def write(self, out: Path):
        out.mkdir(parents=True, exist_ok=True)
        rng = self.rng
        N = self.cfg.accounts
        acc_codes = _mix(np.arange(N), _S_ACC + self.cfg.seed * 1000)
        acc_str = _join("acct_", _hex(acc_codes, 16))
        ts_type = pa.timestamp("ms", tz="UTC")

        def tcol(x):
            return pa.array(np.asarray(x, np.int64) * 1000, type=pa.int64()).cast(ts_type)

        ipfmt = self.net.fmt
        # ---------------- emails
        locals_ = [pa.array(self.leg_local, type=pa.string())] + [r.local for r in self.rings]
        doms = np.concatenate([self.leg_dom] + [np.asarray(r.dom) for r in self.rings])
        local = pa.concat_arrays([x.cast(pa.string()) for x in locals_])
        email = pc.utf8_lower(_join(local, "@", _catcol(self.domains, doms)))
        for attempt in range(6):
            key = pc.replace_substring_regex(email, r"\+[^@]*@", "@")
            dup = (
                pd.Series(np.asarray(email.to_numpy(zero_copy_only=False)))
                .duplicated()
                .to_numpy()
                .copy()
            )
            if attempt == 0:
                # strangers must not collide after provider normalisation either
                knorm = pc.replace_substring(key, ".", "")
                kd = (
                    pd.Series(np.asarray(knorm.to_numpy(zero_copy_only=False)))
                    .duplicated()
                    .to_numpy()
                )
                multi = (self.tags & _T["multi"]) > 0
                dup |= kd & ~multi
            if not dup.any():
                break
            suffix = pc.if_else(
                pa.array(dup), _dec(rng.integers(10, 10 ** (3 + attempt), N)), pa.scalar("")
            )
            local = _join(local, suffix)
            email = pc.utf8_lower(_join(local, "@", _catcol(self.domains, doms)))
        # ---------------- phones
        ph_codes = np.concatenate([self.leg_phone[0]] + [r.phone[0] for r in self.rings])
        ph_has = np.concatenate([self.leg_phone[1]] + [r.phone[1] for r in self.rings])
        ph_cc = np.concatenate([self.leg_phone[2]] + [r.phone[2] for r in self.rings])
        phone = self._phones(ph_cc, ph_codes)
        phone = pc.if_else(pa.array(ph_has), phone, pa.scalar(None, pa.string()))
        # ---------------- accounts
        order = np.argsort(self.created, kind="stable")
        acc_tbl = pa.table(
            {
                "account_id": acc_str.take(pa.array(order)),
                "created_at": tcol(self.created[order]),
                "email": email.take(pa.array(order)),
                "phone": phone.take(pa.array(order)),
                "signup_ip": _strcol(self.signup_ip[order], ipfmt),
                "device_id": _strcol(self.device[order], lambda u: _hex(u, 16)),
                "user_agent": _catcol(_UAS, self.ua[order]),
                "country": _catcol(_CC_ALL, self.country[order]),
                "org_id": _strcol(self.org[order], lambda u: _join("org-", _alnum(u, 12))),
            }
        )
        pq.write_table(acc_tbl, out / "accounts.parquet", compression="zstd")
        counts = {"accounts": acc_tbl.num_rows}
        del acc_tbl
        # ---------------- payments
        pacc = np.concatenate([p["acc"] for p in self.pay])
        pcard = np.concatenate([p["card"] for p in self.pay])
        pts = np.concatenate([p["ts"] for p in self.pay])
        cbin = np.concatenate(self.card_bin)[pcard]
        ccc = np.concatenate(self.card_cc)[pcard]
        cseed = np.concatenate(self.card_seed)[pcard]
        cunk = np.concatenate(self.card_unknown)[pcard]
        funding = np.where(cunk, 3, self.bin_funding[cbin])
        o = np.argsort(pts, kind="stable")
        pay_tbl = pa.table(
            {
                "account_id": acc_str.take(pa.array(pacc[o])),
                "card_fingerprint": _strcol(
                    _mix(pcard[o], _S_CARD + self.cfg.seed),
                    lambda u: _alnum(
                        u,
                        16,
                        np.frombuffer(
                            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "S1"
                        ),
                    ),
                ),
                "card_bin": _catcol(self.bin_str, cbin[o]),
                "card_country": _catcol(_CC_ALL, ccc[o]),
                "funding": _catcol(["credit", "debit", "prepaid", "unknown"], funding[o]),
                "billing_postal_code": self._postal(ccc[o], cseed[o]),
                "created_at": tcol(pts[o]),
            }
        )
        pq.write_table(pay_tbl, out / "payments.parquet", compression="zstd")
        counts["payments"] = pay_tbl.num_rows
        del pay_tbl
        # ---------------- requests
        R = {k: np.concatenate([d[k] for d in self.req]) for k in self.req[0]}
        self.req = []
        o = np.argsort(R["ts"], kind="stable")
        for k in R:
            R[k] = R[k][o]
        del o
        n_req = len(R["ts"])
        counts["requests"] = n_req
        counts["exchanges"] = int(R["count"].sum())
        # api/login events derived from requests: one per (account, day, ip, kind)
        day = (R["ts"] - self.ws) // DAY
        is_api = R["key"] >= 0
        gk = (R["acc"].astype(np.int64) * 64 + day) * 2 + is_api
        og = np.lexsort((R["ip"], gk))
        first = np.ones(len(og), bool)
        first[1:] = (gk[og][1:] != gk[og][:-1]) | (R["ip"][og][1:] != R["ip"][og][:-1])
        sel = og[first]
        keep = is_api[sel] | (rng.random(len(sel)) < 0.5)
        sel = sel[keep]
        ev_acc = R["acc"][sel]
        self.ev.append(
            {
                "acc": ev_acc,
                "ip": R["ip"][sel],
                "ts": np.maximum(
                    R["ts"][sel] - rng.integers(0, 300, len(sel)), self.created[ev_acc]
                ),
                "event": np.where(is_api[sel], 2, 1).astype(np.int8),
                "ua": np.where(is_api[sel], self.sdk_ua[ev_acc], self.ua[ev_acc]),
            }
        )
        del og, first, gk, day, sel
        schema = pa.schema(
            [
                ("account_id", pa.string()),
                ("ts", ts_type),
                ("count", pa.int64()),
                ("api_key_id", pa.string()),
                ("ip", pa.string()),
                ("prompt_fingerprint", pa.string()),
                ("capability", pa.string()),
                ("input_tokens", pa.int64()),
                ("output_tokens", pa.int64()),
            ]
        )
        with pq.ParquetWriter(out / "requests.parquet", schema, compression="zstd") as w:
            step = 2_000_000
            for i in range(0, n_req, step):
                s = slice(i, i + step)
                w.write_table(
                    pa.table(
                        {
                            "account_id": acc_str.take(pa.array(R["acc"][s])),
                            "ts": tcol(R["ts"][s]),
                            "count": pa.array(R["count"][s], pa.int64()),
                            "api_key_id": _strcol(
                                R["key"][s], lambda u: _join("key_", _alnum(u, 20))
                            ),
                            "ip": _strcol(R["ip"][s], ipfmt),
                            "prompt_fingerprint": _strcol(
                                R["fp"][s], lambda u: _join("pf_", _hex(u, 16))
                            ),
                            "capability": _catcol(_CAPS, R["cap"][s]),
                            "input_tokens": pa.array(R["tin"][s], pa.int64()),
                            "output_tokens": pa.array(R["tout"][s], pa.int64()),
                        },
                        schema=schema,
                    ),
                    row_group_size=1_000_000,
                )
        del R
        # ---------------- ip_events
        has = self.signup_ip >= 0
        sg = np.nonzero(has)[0]
        self.ev.append(
            {
                "acc": sg,
                "ip": self.signup_ip[sg],
                "ts": self.created[sg],
                "event": np.zeros(len(sg), np.int8),
                "ua": self.ua[sg],
            }
        )
        E = {k: np.concatenate([d[k] for d in self.ev]) for k in self.ev[0]}
        self.ev = []
        o = np.argsort(E["ts"], kind="stable")
        for k in E:
            E[k] = E[k][o]
        asn_i = self.net.asn_idx_of(E["ip"])
        ev_tbl = pa.table(
            {
                "account_id": acc_str.take(pa.array(E["acc"])),
                "ip": _strcol(E["ip"], ipfmt),
                "seen_at": tcol(E["ts"]),
                "event": _catcol(["signup", "login", "api"], E["event"]),
                "asn": pa.array(np.array(self.net.asn, np.int64)[asn_i], pa.int64()),
                "asn_org": _catcol(self.net.org, asn_i),
                "user_agent": _catcol(_UAS, E["ua"]),
            }
        )
        pq.write_table(
            ev_tbl, out / "ip_events.parquet", compression="zstd", row_group_size=1_000_000
        )
        counts["ip_events"] = ev_tbl.num_rows
        del ev_tbl, E
        # ---------------- truth
        style = np.empty(N, dtype=object)
        codes, inv = np.unique(self.tags[: self.L], return_inverse=True)
        names = np.array(
            ["+".join(t for t in _TAGS if c & _T[t]) or "plain" for c in codes], dtype=object
        )
        style[: self.L] = names[inv]
        ring_id = np.full(N, None, dtype=object)
        camp = np.full(N, None, dtype=object)
        for r in self.rings:
            s = slice(r.lo, r.lo + r.size)
            style[s] = r.style
            ring_id[s] = r.ring_id
            camp[s] = self.ops[r.op].campaign_id
        is_fraud = np.zeros(N, bool)
        is_fraud[self.L :] = True
        truth = pa.table(
            {
                "account_id": acc_str,
                "is_fraud": pa.array(is_fraud),
                "ring_id": pa.array(ring_id, pa.string()),
                "campaign_id": pa.array(camp, pa.string()),
                "style": pa.array(style, pa.string()),
            }
        )
        pq.write_table(truth, out / "truth.parquet", compression="zstd")
        counts["fraud_accounts"] = int(is_fraud.sum())
        counts["rings"] = len(self.rings)
        counts["campaigns"] = len({r.op for r in self.rings})
        # ---------------- allowlist
        ids = acc_str.to_pylist()
        rows = [
            ("account_id", ids[a], "legit: looks suspicious (automation / shared infra)")
            for a in dict.fromkeys(self.allow_accounts)
        ]
        rows.append(
            (
                "org_id",
                "org-" + _alnum(np.array([self.allow_org]), 12).to_pylist()[0],
                "company workspace paying with one corporate card",
            )
        )
        rows.append(("email_domain", self.big_uni_domain, "university"))
        rows.append(("asn", str(self.relay_asn), "iCloud Private Relay egress"))
        rows.append(
            ("ip", ipfmt(np.array([self.big_event_ip])).to_pylist()[0], "conference venue Wi-Fi")
        )
        pd.DataFrame(rows, columns=["kind", "value", "note"]).to_csv(
            out / "allowlist.csv", index=False
        )
        return counts


def generate(out: str | Path, cfg: WorldConfig, quiet: bool = False) -> dict:
    log = (lambda *a: None) if quiet else print
    t0 = time.time()
    w = _World(cfg, log)
    w.run()
    counts = w.write(Path(out))
    counts["seconds"] = round(time.time() - t0, 1)
    log(counts)
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python -m bench.independent_b", description=__doc__.splitlines()[0]
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a world into DIR")
    g.add_argument("dir")
    g.add_argument("--accounts", type=int, default=200_000)
    g.add_argument("--seed", type=int, default=41)
    g.add_argument("--operators", type=int, default=5)
    g.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    generate(
        a.dir, WorldConfig(accounts=a.accounts, seed=a.seed, n_operators=a.operators), quiet=a.quiet
    )


if __name__ == "__main__":
    main()
