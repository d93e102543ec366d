"""Independent benchmark world D: a consumer + team chat/agent product in Europe, the Middle East and Africa.

A fourth synthetic world for measuring the linker, written from the input data contract only
(no knowledge of how the detector works), to measure generalisation.

The platform
------------
A chat / agent assistant used by consumers and by teams, strongest in Europe, the Middle East
and Africa (GB, DE, FR, ES, IT, NL, PL, the Nordics, TR, SA, AE, IL, EG, MA, NG, KE, ZA, GH).
People use it from the web, a browser extension and the iOS / Android apps; teams use it
through SSO workspaces; some developers and integrations use the API. Sign-ups run for a year
before a 6-week request window (default 2026-04-22 .. 2026-06-05, inclusive) and continue in
it. Requests exist only in the window: mostly pre-aggregated per account-hour (``count`` > 1),
partly raw (one exchange per row; ``count`` 1 or empty). Integrations are raw rows per run.
The consumer apps send the product's default system prompt (shared by millions); the extension
and the integrations send public templates.

Innocent sharing (``truth.style`` of a legit account: "+"-joined list, or "plain")
-------------------------------------------------------------------------------
- ``cgnat`` (~30 %, more in Africa / Middle East): mobile carrier NAT; a user's public IPs come
  from a per-carrier pool, 5-50 strangers per IP over the year, heavy-tailed (some many
  more). ~15 % of home broadband users are on IPv6.
- ``relay`` (~7 %): iCloud Private Relay / big VPN exits on cloud / hosting ASNs.
- ``team`` (~11 %): seats of an SSO workspace (one org_id, company e-mail domain, heavy-tailed
  2..2000 seats at 1M accounts, onboarding bursts), with ``swg`` (35 % of companies egress through a shared
  secure-web-gateway pool used ACROSS companies) or ``office_nat`` (own NAT IPs),
  ``corp_card`` (50 %: one company card on every seat), ``golden_image`` (20 %: identical
  device fingerprint and user agent on all seats); internal prompt templates, business hours.
- ``school`` (~3 %): Chromebook classes: one school IP, identical UA (and device fingerprint for
  managed images), a teacher signs up 20-40 pupils within an hour, one class template.
- ``household`` (~7 %): 2-5 people, one home IP, ``family_card`` (45 %), ``family_tablet`` (40 %).
- ``multi`` (~3 %): one person with 2-6 accounts: same device / phone / card, gmail dot and
  +tag variants.
- ``extension`` (~5 %): browser-extension users: one public system prompt shared by tens of
  thousands (at 1M accounts), traffic at all hours.
- ``automation`` (~1.2 %): Zapier-like integrations / cron: runs at fixed minutes (mostly :00,
  lockstep across strangers) from a shared cloud IP pool with public templates.
- ``launch_wave`` (~5 %): sign-ups inside a few marketing launches (thousands within hours, a
  promo prompt); ``event_wifi`` (~0.8 %): sign-ups on a conference venue Wi-Fi.
- ``giftcard`` (~2 %): gift-card BINs; ``carrier_billing`` (~2 %): one carrier-billing
  pseudo-card per carrier on thousands of accounts.
- ``reseller`` (~1.2 %): app-store / reseller card on 10-500 unrelated accounts.
- ``returning`` (~3 %): signed up months ago, dormant, active again in the window.
- ``power_user`` (~4 %): heavy coding / agentic users with long outputs (so capability mix alone
  is not fraud).
- ``qa_test``: the platform's own QA accounts (allow-listed), office IP, one device, test card.

Fraud (``truth.style`` = ring style; ``campaign_id`` = operator)
--------------------------------------------------------------
~2.85 % of accounts in five operators. ``caracal`` is 2.5 % (25,000 accounts and ~28.8 M
exchanges at 1M accounts; 5,000 at 200k) in 13 rings; ``simoon`` 0.12 %, ``vellum`` 0.10 %,
``atlas`` 0.08 %, ``quay`` 0.05 %. Traffic is coding / agentic / planning heavy with long
outputs. Each campaign has a residential-proxy pool, a few virtual-card BINs, a base template
and an admin device / datacenter IP that slip in now and then; some rings are tied only by
schedule / template.

- ``simfarm``: sequential phone blocks, mobile proxies (carrier CGNAT IPs shared with legit
  users), SIM-rotating phones (a device per 4-10 accounts), 2 prepaid BINs, shift hours.
- ``aged``: bought accounts signed up months earlier by unrelated-looking identities, dormant,
  activated in waves in the window through the operator's proxies with new cards.
- ``resproxy``: fresh sign-ups in waves, residential proxies, virtual cards on a few BINs added
  minutes after sign-up, anti-detect browser (unique devices, common UAs), template variants.
- ``keyresale``: a few accounts whose API keys are used from hundreds of IPs, all hours.
- ``lowslow``: each account its own IP, card and device; one BIN, one template and the same
  2-3 UTC hours in common; low volume.
- ``camouflage``: copy legit behaviour (default / extension templates, consumer ISPs, own bank
  cards); tied by sign-up timing, hours and a little template use.
- ``sso_hide`` / ``school_hide``: fake seats inside a real company's SSO org or a school.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86400
HOUR = 3600


def _pmf(w: list[float]) -> np.ndarray:
    a = np.asarray(w, dtype=np.float64)
    return a / a.sum()


@dataclass
class WorldConfig:
    accounts: int = 200_000  # total accounts (legit + fraud)
    seed: int = 1
    window_start: str = "2026-04-22"  # first day of request data (UTC)
    window_end: str = "2026-06-05"  # last day (inclusive)
    signup_start: str = "2025-04-22"
    signup_growth: float = 2.5  # sign-up rate at the end of the year / at its start
    # --- legit activity ------------------------------------------------------------------
    active_individual: float = 0.45
    active_team: float = 0.70
    active_pupil: float = 0.55
    exch_individual: float = 22.0  # median exchanges in the window per active account
    exch_team: float = 55.0
    exch_pupil: float = 18.0
    exch_extension: float = 260.0
    exch_power: float = 900.0
    exch_sigma: float = 1.2
    raw_share: float = 0.25  # light accounts logged as raw rows
    phone_given: float = 0.45
    paid_share: float = 0.30
    personal_org: float = 0.6  # individuals with a personal workspace org_id
    # --- innocent sharing ----------------------------------------------------------------
    cgnat_share: float = 0.30
    cgnat_users_per_ip: float = 12.0  # mean distinct users per carrier public IP (heavy-tailed)
    ipv6_share: float = 0.15
    relay_share: float = 0.07
    team_share: float = 0.11
    team_size_max: int = 2000
    swg_company_share: float = 0.35
    corp_card_share: float = 0.50
    golden_image_share: float = 0.20
    school_share: float = 0.03
    school_managed_device: float = 0.6
    household_share: float = 0.07
    family_card_share: float = 0.45
    family_tablet_share: float = 0.40
    multi_share: float = 0.03
    extension_share: float = 0.05
    automation_share: float = 0.012
    launch_wave_share: float = 0.05
    event_wifi_share: float = 0.008
    giftcard_share: float = 0.02
    carrier_billing_share: float = 0.02
    reseller_share: float = 0.012
    returning_share: float = 0.03
    power_user_share: float = 0.04
    qa_accounts: int = 16
    # --- fraud ---------------------------------------------------------------------------
    fraud_scale: float = 1.0
    caracal_share: float = 0.025
    caracal_exchanges_per_account: float = 1152.0
    simoon_share: float = 0.0012
    vellum_share: float = 0.0010
    atlas_share: float = 0.0008
    quay_share: float = 0.0005
    slip_rate: float = 0.012
    api_event_rate: float = 0.08


LEGIT_FLAGS = [
    "cgnat", "relay", "team", "swg", "office_nat", "corp_card", "golden_image", "school",
    "household", "family_card", "family_tablet", "multi", "extension", "automation",
    "launch_wave", "event_wifi", "giftcard", "carrier_billing", "reseller", "returning",
    "power_user", "qa_test",
]  # fmt: skip
FL = {f: 1 << i for i, f in enumerate(LEGIT_FLAGS)}

# code, weight, utc offset, calling code, mobile prefixes, national length, postal kind
COUNTRIES = [
    ("GB", 13, 1, "44", ["74", "75", "77", "78", "79"], 10, "gb"),
    ("DE", 13, 2, "49", ["151", "152", "157", "159", "162", "172", "176", "177"], 11, "d5"),
    ("FR", 9, 2, "33", ["60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"], 9, "d5"),
    ("ES", 5, 2, "34", ["6", "71", "72", "73", "74"], 9, "d5"),
    ("IT", 5, 2, "39", ["320", "328", "333", "340", "347", "349", "351", "366", "377", "388", "393"], 10, "d5"),
    ("NL", 4, 2, "31", ["61", "62", "63", "64", "65"], 9, "nl"),
    ("PL", 4, 2, "48", ["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"], 9, "pl"),
    ("SE", 2, 2, "46", ["70", "72", "73", "76", "79"], 9, "d5"),
    ("BE", 2, 2, "32", ["46", "47", "48", "49"], 9, "d4"),
    ("CH", 2, 2, "41", ["75", "76", "77", "78", "79"], 9, "d4"),
    ("AT", 2, 2, "43", ["650", "660", "664", "676", "677", "681", "688", "699"], 10, "d4"),
    ("IE", 1.5, 1, "353", ["83", "85", "86", "87", "89"], 9, "none"),
    ("PT", 1.5, 1, "351", ["91", "92", "93", "96"], 9, "pt"),
    ("TR", 5, 3, "90", ["501", "505", "530", "532", "533", "535", "541", "542", "543", "544", "545", "546",
                        "551", "552", "553", "554", "555"], 10, "d5"),
    ("SA", 4, 3, "966", ["50", "53", "54", "55", "56", "57", "58", "59"], 9, "d5"),
    ("AE", 4, 4, "971", ["50", "52", "54", "55", "56", "58"], 9, "none"),
    ("IL", 2, 3, "972", ["50", "52", "53", "54"], 9, "d7"),
    ("EG", 3, 3, "20", ["10", "11", "12", "15"], 10, "d5"),
    ("MA", 1.5, 1, "212", ["61", "62", "65", "66", "67", "70", "76", "77"], 9, "d5"),
    ("NG", 5, 1, "234", ["803", "806", "813", "816", "703", "706", "810", "814", "903", "906", "802",
                         "808", "812", "701", "708", "902", "901", "907", "809", "817", "818", "909"], 10, "d6"),
    ("KE", 3, 3, "254", ["70", "71", "72", "74", "79", "11"], 9, "d5"),
    ("ZA", 4, 2, "27", ["60", "61", "62", "63", "64", "65", "66", "71", "72", "73", "74", "76", "78", "79",
                        "81", "82", "83", "84"], 9, "d4"),
    ("GH", 1, 0, "233", ["20", "23", "24", "26", "27", "50", "54", "55"], 9, "none"),
]  # fmt: skip
CC = [c[0] for c in COUNTRIES]
CI = {c: i for i, c in enumerate(CC)}
MOBILE_HEAVY = {"NG", "KE", "GH", "EG", "MA", "ZA", "SA", "AE", "TR"}

# asn, organisation, kind, country (or "")
ASNS = [
    (2856, "British Telecommunications PLC", "home", "GB"), (5089, "Virgin Media Limited", "home", "GB"),
    (12576, "EE Limited", "mobile", "GB"), (60339, "Hutchison 3G UK Limited", "mobile", "GB"),
    (3320, "Deutsche Telekom AG", "home", "DE"), (6805, "Telefonica Germany GmbH", "mobile", "DE"),
    (3209, "Vodafone GmbH", "mobile", "DE"), (3215, "Orange S.A.", "home", "FR"),
    (12322, "Free SAS", "home", "FR"), (51207, "Free Mobile SAS", "mobile", "FR"),
    (15557, "Societe Francaise du Radiotelephone - SFR SA", "mobile", "FR"),
    (3352, "Telefonica de Espana S.A.U.", "home", "ES"), (12430, "Vodafone Espana S.A.U.", "mobile", "ES"),
    (3269, "Telecom Italia S.p.A.", "home", "IT"), (30722, "Vodafone Italia S.p.A.", "mobile", "IT"),
    (33915, "Vodafone Libertel B.V. (Ziggo)", "home", "NL"), (1136, "KPN B.V.", "mobile", "NL"),
    (5617, "Orange Polska Spolka Akcyjna", "home", "PL"), (12912, "T-Mobile Polska S.A.", "mobile", "PL"),
    (3301, "Telia Company AB", "home", "SE"), (1257, "Tele2 Sverige AB", "mobile", "SE"),
    (5432, "Proximus NV", "home", "BE"), (47377, "Orange Belgium SA", "mobile", "BE"),
    (3303, "Swisscom (Schweiz) AG", "home", "CH"), (15796, "Salt Mobile SA", "mobile", "CH"),
    (8447, "A1 Telekom Austria AG", "home", "AT"), (25255, "Hutchison Drei Austria GmbH", "mobile", "AT"),
    (5466, "Eircom Limited", "home", "IE"), (15502, "Vodafone Ireland Limited", "mobile", "IE"),
    (3243, "MEO - Servicos De Comunicacoes E Multimedia S.A.", "home", "PT"),
    (12353, "Vodafone Portugal", "mobile", "PT"), (9121, "Turk Telekomunikasyon A.S.", "home", "TR"),
    (16135, "Turkcell Iletisim Hizmetleri A.S.", "mobile", "TR"),
    (25019, "Saudi Telecom Company JSC", "home", "SA"), (35819, "Etihad Etisalat Company (Mobily)", "mobile", "SA"),
    (5384, "Emirates Telecommunications Group Company (Etisalat)", "home", "AE"),
    (15802, "Emirates Integrated Telecommunications Company (du)", "mobile", "AE"),
    (1680, "Cellcom Fixed Line Communication L.P.", "home", "IL"), (12400, "Partner Communications Ltd.", "mobile", "IL"),
    (8452, "TE Data", "home", "EG"), (24835, "Vodafone Data", "mobile", "EG"),
    (6713, "Office National des Postes et Telecommunications (IAM)", "home", "MA"),
    (36925, "Medi Telecom (Orange Maroc)", "mobile", "MA"), (37148, "Globacom Limited", "home", "NG"),
    (29465, "MTN Nigeria Communication Limited", "mobile", "NG"), (36873, "Airtel Networks Limited", "mobile", "NG"),
    (15399, "Wananchi Group (Kenya) Limited", "home", "KE"), (33771, "Safaricom Limited", "mobile", "KE"),
    (37457, "Telkom SA Ltd.", "home", "ZA"), (29975, "Vodacom Pty Ltd", "mobile", "ZA"),
    (16637, "MTN SA", "mobile", "ZA"), (30986, "Scancom PLC (MTN Ghana)", "mobile", "GH"),
    (33786, "Vodafone Ghana", "home", "GH"),
    (36183, "Akamai Technologies, Inc.", "relay", ""), (13335, "Cloudflare, Inc.", "relay", ""),
    (9009, "M247 Europe SRL", "vpn", ""), (60068, "Datacamp Limited", "vpn", ""),
    (62044, "Zscaler Switzerland GmbH", "swg", ""), (55256, "Netskope Inc", "swg", ""),
    (16509, "Amazon.com, Inc.", "cloud", ""), (15169, "Google LLC", "cloud", ""),
    (8075, "Microsoft Corporation", "cloud", ""), (24940, "Hetzner Online GmbH", "cloud", ""),
    (16276, "OVH SAS", "cloud", ""), (14061, "DigitalOcean, LLC", "cloud", ""),
    (8220, "Colt Technology Services Group Limited", "biz", ""), (6830, "Liberty Global B.V.", "biz", ""),
    (786, "Jisc Services Limited", "edu", "GB"), (680, "Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.", "edu", "DE"),
    (2200, "Renater", "edu", "FR"), (137, "Consortium GARR", "edu", "IT"),
]  # fmt: skip
ASN_KIND = np.array([a[2] for a in ASNS])
ASN_CTRY = np.array([a[3] for a in ASNS])


def _kind_idx(kind: str, country: str | None = None) -> np.ndarray:
    m = ASN_KIND == kind
    if country is not None:
        m &= ASN_CTRY == country
    return np.flatnonzero(m)


HOME_ASN = [_kind_idx("home", c) for c in CC]
MOBILE_ASN = [_kind_idx("mobile", c) for c in CC]
EDU_ASN = {c: _kind_idx("edu", c) for c in CC}

# bin, card country, funding, kind
BINS = [
    ("454313", "GB", "debit", "bank"), ("465858", "GB", "debit", "bank"), ("552213", "GB", "credit", "bank"),
    ("492181", "GB", "debit", "bank"), ("535522", "DE", "credit", "bank"), ("490762", "DE", "debit", "bank"),
    ("513659", "FR", "debit", "bank"), ("497010", "FR", "debit", "bank"), ("454742", "ES", "debit", "bank"),
    ("402360", "IT", "credit", "bank"), ("516795", "NL", "debit", "bank"), ("535470", "PL", "debit", "bank"),
    ("457173", "SE", "debit", "bank"), ("479289", "TR", "credit", "bank"), ("446404", "SA", "debit", "bank"),
    ("428671", "AE", "credit", "bank"), ("532654", "IL", "credit", "bank"), ("512444", "EG", "debit", "bank"),
    ("539983", "NG", "debit", "bank"), ("404836", "KE", "debit", "bank"), ("490055", "ZA", "credit", "bank"),
    ("4000000", "US", "credit", "bank"),
    ("535522", "LT", "debit", "fintech"), ("459325", "GB", "debit", "fintech"), ("537410", "BE", "debit", "fintech"),
    ("516732", "LT", "prepaid", "fintech"), ("485953", "EE", "prepaid", "fintech"), ("531993", "GB", "prepaid", "fintech"),
    ("434769", "IE", "prepaid", "fintech"), ("545723", "MT", "prepaid", "fintech"),
    ("603571", "GB", "prepaid", "gift"), ("627780", "DE", "prepaid", "gift"),
    ("999001", "", "unknown", "carrier"),
    ("44001810", "US", "prepaid", "fintech"), ("52869633", "LT", "prepaid", "fintech"),
]  # fmt: skip
BIN_KIND = np.array([b[3] for b in BINS])
BANK_BINS = np.flatnonzero(BIN_KIND == "bank")
FINTECH_BINS = np.flatnonzero(BIN_KIND == "fintech")
GIFT_BINS = np.flatnonzero(BIN_KIND == "gift")
CARRIER_BIN = int(np.flatnonzero(BIN_KIND == "carrier")[0])

FIRST = (
    "james oliver harry george jack noah leo lukas felix paul jonas max louis hugo lucas gabriel "
    "arthur mateo pablo alejandro marco luca matteo daan sem jan jakub filip erik oscar liam "
    "mohammed ahmed omar youssef ali yusuf emir mehmet mustafa abdullah khalid faisal david "
    "yosef itai chinedu emeka tunde kwame kofi brian kevin sipho thabo amelia olivia isla emma "
    "mia sophia hannah lea marie chloe ines lucia sofia giulia julia zuzanna maja ella saga "
    "fatima aisha mariam layla nour zeynep elif noa tamar ngozi chioma amara wanjiru akosua "
    "naledi zanele sarah anna laura"
).split()
LAST = (
    "smith jones taylor brown williams wilson evans mueller schmidt schneider fischer weber "
    "meyer wagner martin bernard dubois thomas robert garcia martinez lopez sanchez rossi russo "
    "ferrari esposito bianchi dejong jansen devries nowak kowalski wisniewski andersson "
    "johansson peeters janssens gruber huber murphy kelly silva santos yilmaz kaya demir sahin "
    "alotaibi alghamdi alharbi almansouri alhashimi cohen levi mizrahi hassan ibrahim mahmoud "
    "elamrani benali okafor adeyemi okonkwo balogun mensah owusu otieno kamau mwangi nkosi "
    "dlamini vandermerwe botha"
).split()
SYL = (
    "nor vex ka lio tra mon sen vel ar dia flux quan zen ori tec mar sol lum bri cor nova "
    "pix ro da stra fen gal hel ion jur kel"
).split()
PROVIDERS = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me",
             "hotmail.co.uk", "live.com"]  # fmt: skip
PROV_P = _pmf([0.46, 0.13, 0.07, 0.06, 0.12, 0.03, 0.04, 0.03])
LOCAL_PROV = {"DE": ["gmx.de", "web.de", "t-online.de"], "FR": ["orange.fr", "free.fr", "laposte.net"],
              "GB": ["btinternet.com", "sky.com"], "IT": ["libero.it"], "PL": ["wp.pl", "o2.pl"],
              "NL": ["ziggo.nl"], "TR": ["yandex.com.tr"]}  # fmt: skip
TLD = {"GB": ".co.uk", "DE": ".de", "FR": ".fr", "ES": ".es", "IT": ".it", "NL": ".nl", "PL": ".pl",
       "SE": ".se", "BE": ".be", "CH": ".ch", "AT": ".at", "IE": ".ie", "PT": ".pt", "TR": ".com.tr",
       "SA": ".sa", "AE": ".ae", "IL": ".co.il", "EG": ".com.eg", "MA": ".ma", "NG": ".ng",
       "KE": ".co.ke", "ZA": ".co.za", "GH": ".com.gh"}  # fmt: skip

UA_WEB = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/135.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:138.0) Gecko/20100101 Firefox/138.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36 Edg/136.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/135.0.0.0 Safari/537.36",
]
UA_WEB_P = _pmf([0.22, 0.22, 0.16, 0.12, 0.08, 0.14, 0.06])
UA_APP = [
    "Parley/4.18.2 (iPhone; iOS 18.4; Scale/3.00)", "Parley/4.19.0 (iPhone; iOS 18.5; Scale/3.00)",
    "Parley/4.18.1 (Android 15; SM-S921B; Build/AP3A)", "Parley/4.18.1 (Android 14; Pixel 8; Build/AP2A)",
    "Parley/4.17.9 (Android 13; TECNO KI7; Build/TP1A)", "Parley/4.18.1 (Android 14; Redmi Note 13; Build/UKQ1)",
]  # fmt: skip
UA_APP_P = _pmf([0.28, 0.2, 0.18, 0.1, 0.1, 0.14])
UA_CROS = "Mozilla/5.0 (X11; CrOS x86_64 16093.68.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.6998.198 Safari/537.36"
UA_GOLDEN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Edg/134.0.3124.93"
UA_ALL = UA_WEB + UA_APP + [UA_CROS, UA_GOLDEN]
N_WEB = len(UA_WEB)

CAPS = ["chat", "writing", "coding", "agentic_reasoning", "planning", "translation", "other"]
CAP_P = np.array([
    [0.55, 0.20, 0.06, 0.02, 0.05, 0.07, 0.05],  # 0 consumer
    [0.30, 0.25, 0.15, 0.06, 0.12, 0.05, 0.07],  # 1 team
    [0.45, 0.30, 0.08, 0.02, 0.05, 0.05, 0.05],  # 2 pupil
    [0.25, 0.35, 0.05, 0.02, 0.03, 0.25, 0.05],  # 3 extension (rewrite / translate page)
    [0.05, 0.30, 0.10, 0.15, 0.10, 0.15, 0.15],  # 4 automation
    [0.08, 0.05, 0.45, 0.28, 0.10, 0.01, 0.03],  # 5 power user
    [0.03, 0.02, 0.42, 0.33, 0.17, 0.01, 0.02],  # 6 distillation
    [0.40, 0.20, 0.15, 0.08, 0.08, 0.05, 0.04],  # 7 camouflage
])  # fmt: skip
# mean input / output tokens per exchange
TOKP = np.array([[700, 450], [1500, 600], [400, 350], [1800, 300], [2200, 500], [6000, 1800],
                 [3500, 3200], [900, 600]], dtype=np.float64)  # fmt: skip


def _hours(pairs: list[tuple[int, int, float]], base: float = 0.02) -> np.ndarray:
    w = np.full(24, base)
    for a, b, v in pairs:
        for h in range(a, b):
            w[h % 24] += v
    return _pmf(list(w))


WEEK = np.ones(7, bool)
WEEKDAYS = np.array([1, 1, 1, 1, 1, 0, 0], bool)
# (local-hour pmf, allowed weekdays Mon..Sun, uses local time)
SCHEDULES = [
    (
        _hours([(7, 9, 0.4), (11, 14, 0.7), (18, 24, 1.0), (0, 1, 0.4)], 0.05),
        WEEK,
        True,
    ),  # consumer
    (_hours([(8, 18, 1.0), (18, 20, 0.2)], 0.01), WEEKDAYS, True),  # worker
    (_hours([(8, 15, 1.0), (16, 21, 0.3)], 0.005), WEEKDAYS, True),  # pupil
    (_hours([(7, 23, 0.6)], 0.25), WEEK, True),  # extension: all hours
    (_hours([(0, 24, 1.0)], 0.0), WEEK, False),  # cron (uniform, fixed minute)
    (_hours([(9, 19, 1.0), (20, 25, 0.7)], 0.1), WEEK, True),  # power user
]
SCHED_CRON = 4


def _ts(s: str) -> int:
    return int(datetime.fromisoformat(s).replace(tzinfo=timezone.utc).timestamp())


def tok(
    rng: np.random.Generator, n: int, length: int, alphabet: str = "0123456789abcdef"
) -> pa.Array:
    """n random strings of `length` characters from `alphabet` (vectorised)."""
    a = np.frombuffer(alphabet.encode(), dtype=np.uint8)
    b = a[rng.integers(0, len(a), size=(n, length))].astype(np.uint8)
    return pa.array(np.ascontiguousarray(b).view(f"S{length}").ravel()).cast(pa.string())


def join(*parts, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def digits(rng: np.random.Generator, n: int, k: int) -> pa.Array:
    v = rng.integers(0, 10**k, size=n)
    return pc.utf8_lpad(pa.array(v).cast(pa.string()), k, "0")


def pick(strings: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(strings, pa.string()).take(pa.array(idx))


def nulls_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, arr.type), arr)


class IPs:
    """Registry of every IP address in the world: index -> (string, AS)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.parts: list[pa.Array] = []
        self.asn: list[np.ndarray] = []
        self.n = 0
        first = np.array([2, 5, 31, 37, 41, 46, 62, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89,
                          90, 91, 92, 93, 94, 95, 102, 105, 109, 154, 176, 178, 185, 188, 193,
                          194, 195, 196, 197, 212, 213, 217])  # fmt: skip
        self.bases = (rng.choice(first, size=(len(ASNS), 24)) << 8) | rng.integers(
            0, 256, size=(len(ASNS), 24)
        )

    def v4(self, asn: np.ndarray, nbases: int = 24) -> np.ndarray:
        n = len(asn)
        b = self.bases[asn, self.rng.integers(0, nbases, n)]
        v = (b.astype(np.int64) << 16) | self.rng.integers(0, 65536, n)
        s = join(*[pa.array((v >> sh) & 255).cast(pa.string()) for sh in (24, 16, 8, 0)], sep=".")
        return self._add(s, asn)

    def v6(self, asn: np.ndarray) -> np.ndarray:
        n = len(asn)
        pre = pick(["2a02", "2a01", "2a00", "2001:4860", "2a03", "2c0f", "2a0d"], asn % 7)
        s = join(pre, tok(self.rng, n, 4), tok(self.rng, n, 4), tok(self.rng, n, 3), sep=":")
        s = join(s, tok(self.rng, n, 4, "123456789abcdef"), sep="::")
        up = self.rng.random(n) < 0.1
        s = pc.if_else(pa.array(up), pc.utf8_upper(s), s)
        return self._add(s, asn)

    def _add(self, s: pa.Array, asn: np.ndarray) -> np.ndarray:
        i = np.arange(self.n, self.n + len(s), dtype=np.int64)
        self.parts.append(s)
        self.asn.append(np.asarray(asn, dtype=np.int32))
        self.n += len(s)
        return i

    def finish(self) -> None:
        self.s = pa.concat_arrays(self.parts)
        self.a = np.concatenate(self.asn)
        self.parts = []


class World:
    def __init__(self, cfg: WorldConfig, quiet: bool) -> None:
        self.cfg = cfg
        self.quiet = quiet
        self.rng = np.random.default_rng(cfg.seed)
        self.end_rng = np.random.default_rng([cfg.seed, 0xE4D])  # `before_end`'s own stream
        self.t0 = time.time()
        self.w0 = _ts(cfg.window_start)
        self.w1 = _ts(cfg.window_end) + DAY
        self.s0 = _ts(cfg.signup_start)
        self.ndays = (self.w1 - self.w0) // DAY
        self.wdow0 = datetime.fromisoformat(cfg.window_start).weekday()
        self.ips = IPs(self.rng)
        self.tpl_n = 0
        self.key_n = 0
        self.card_n = 0
        self.pay: list[dict] = []
        self.segs: list[dict] = []  # per-segment string columns (in account order)
        self.n = 0

    def log(self, msg: str) -> None:
        if not self.quiet:
            print(f"[{time.time() - self.t0:6.1f}s] {msg}", flush=True)

    # ------------------------------------------------------------------ allocators
    def templates(self, k: int) -> int:
        s = self.tpl_n
        self.tpl_n += k
        return s

    def keys(self, k: int) -> int:
        s = self.key_n
        self.key_n += k
        return s

    def cards(self, k: int) -> np.ndarray:
        s = self.card_n
        self.card_n += k
        return np.arange(s, s + k, dtype=np.int64)

    def add_payments(self, acc, card, bin_idx, created, country=None) -> None:
        acc = np.asarray(acc, dtype=np.int64)
        n = len(acc)
        if n == 0:
            return
        self.pay.append({
            "acc": acc, "card": np.asarray(card, dtype=np.int64),
            "bin": np.broadcast_to(np.asarray(bin_idx, dtype=np.int64), n).copy(),
            "created": np.asarray(created, dtype=np.int64),
            "country": self.country[acc] if country is None else np.asarray(country),
        })  # fmt: skip

    # ------------------------------------------------------------------ arrays
    def alloc(self, n: int) -> None:
        self.N = n
        z = np.zeros
        self.created = z(n, np.int64)
        self.country = z(n, np.int16)
        self.slot_lo = np.full((n, 4), -1, np.int64)
        self.slot_span = np.ones((n, 4), np.int64)
        self.slot_w = z((n, 4), np.float32)
        self.tpl_lo = np.full((n, 3), -1, np.int64)
        self.tpl_span = np.ones((n, 3), np.int64)
        self.tpl_w = z((n, 3), np.float32)
        self.sched = z(n, np.int8)
        self.tz = z(n, np.int8)
        self.E = z(n, np.float64)
        self.act_from = z(n, np.int64)
        self.cap = z(n, np.int8)
        self.key_lo = np.full(n, -1, np.int64)
        self.key_k = np.ones(n, np.int64)
        self.p_key = z(n, np.float32)
        self.cron_min = np.full(n, -1, np.int16)
        self.c_mean = np.full(n, 4.0)
        self.raw = z(n, bool)
        self.signup_ip = z(n, np.int64)
        self.n_pre = z(n, np.int64)  # logins before the window
        self.n_win = z(n, np.int64)  # logins in the window
        self.flags = z(n, np.int64)
        self.ring = np.full(n, -1, np.int32)
        self.fshift = np.full(n, -1, np.int16)  # fraud schedule index

    def seg(self, n: int, **cols) -> slice:
        s = slice(self.n, self.n + n)
        self.segs.append({"n": n, **cols})
        self.n += n
        return s

    # ------------------------------------------------------------------ helpers
    def before_end(self, t: np.ndarray, start: np.ndarray | int, end: int) -> np.ndarray:
        """Sign-up times past `end` redrawn uniformly between their group's first sign-up
        (`start`) and `end`. Clamping them to `end` put thousands of households, people with
        several accounts and team seats on one instant: a sign-up burst no platform has. The
        redraws come from a stream of their own, so the main stream's draws stay in step
        (later values that depend on sign-up times still change)."""
        t = np.asarray(t, dtype=np.int64).copy()
        over = t > end
        if over.any():
            lo = np.minimum(np.broadcast_to(np.asarray(start, dtype=np.int64), t.shape)[over],
                            end - 1)
            t[over] = lo + (self.end_rng.random(int(over.sum())) * (end - lo)).astype(np.int64)
        return t

    def signup_times(self, n: int, lo: int | None = None, hi: int | None = None) -> np.ndarray:
        lo = self.s0 if lo is None else lo
        hi = self.w1 if hi is None else hi
        g = self.cfg.signup_growth
        u = self.rng.random(n)
        f = np.log1p(u * (g - 1)) / np.log(g)  # density grows linearly g-fold over the period
        t = lo + (f * (hi - lo)).astype(np.int64)
        return self.diurnal(t)

    def diurnal(self, t: np.ndarray) -> np.ndarray:
        """Move times to a realistic local hour of day (sign-ups happen in the day / evening)."""
        h = self.rng.choice(24, size=len(t), p=SCHEDULES[0][0])
        return (t // DAY) * DAY + h * HOUR + self.rng.integers(0, HOUR, len(t)) - 2 * HOUR

    def names(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        return self.rng.integers(0, len(FIRST), n), self.rng.integers(0, len(LAST), n)

    def personal_email(self, country: np.ndarray, fn=None, ln=None) -> pa.Array:
        rng = self.rng
        n = len(country)
        if fn is None:
            fn, ln = self.names(n)
        f, la = pick(FIRST, fn), pick(LAST, ln)
        form = rng.integers(0, 5, n)
        num = pa.array(rng.integers(1, 9999, n)).cast(pa.string())
        yr = pa.array(rng.integers(60, 106, n) % 100).cast(pa.string())
        init = pc.utf8_slice_codeunits(f, 0, 1)
        local = pc.case_when(
            pc.make_struct(*[pa.array(form == k) for k in range(4)]),
            join(f, la, sep="."), join(f, la, num), join(f, la, sep="_"), join(init, la, yr),
            join(la, f, num),
        )  # fmt: skip
        prov = pick(PROVIDERS, rng.choice(len(PROVIDERS), n, p=PROV_P))
        loc = np.array([LOCAL_PROV.get(c, ["gmail.com"])[0] for c in CC])
        local_p = rng.random(n) < 0.18
        dom_local = pa.array(loc[country])
        dom = pc.if_else(pa.array(local_p), dom_local, prov)
        em = join(local, dom, sep="@")
        return self.messy_case(em)

    def messy_case(self, em: pa.Array) -> pa.Array:
        r = self.rng.random(len(em))
        em = pc.if_else(pa.array(r < 0.03), pc.utf8_capitalize(em), em)
        return pc.if_else(pa.array(r > 0.995), pc.utf8_upper(em), em)

    def phone(self, country: np.ndarray, national: pa.Array | None = None) -> pa.Array:
        """Phone numbers as people type them: mostly E.164, some spaced or dashed."""
        rng = self.rng
        n = len(country)
        cc = pa.array(np.array([c[3] for c in COUNTRIES])[country])
        if national is None:
            order = np.argsort(country, kind="stable")
            parts = []
            for i, c in enumerate(COUNTRIES):
                k = int((country == i).sum())
                if k:
                    pre = pick(c[4], rng.integers(0, len(c[4]), k))
                    rest = c[5] - pc.utf8_length(pre).to_numpy()
                    num = pa.array(rng.integers(10**8, 10**11, k) % (10**rest)).cast(pa.string())
                    num = self._lpad(num, rest)
                    parts.append(join(pre, num))
            national = pa.concat_arrays(parts).take(pa.array(np.argsort(order, kind="stable")))
        plain = join("+", cc, national)
        head = pc.utf8_slice_codeunits(national, 0, 4)
        tail = pc.utf8_slice_codeunits(national, 4, 20)
        spaced = join(join("+", cc), head, tail, sep=" ")
        dashed = join(join("+", cc), head, tail, sep="-")
        r = rng.random(n)
        out = pc.if_else(pa.array(r < 0.1), spaced, plain)
        return pc.if_else(pa.array(r > 0.95), dashed, out)

    @staticmethod
    def _lpad(s: pa.Array, lengths: np.ndarray) -> pa.Array:
        out = s
        for ln in np.unique(lengths):
            out = pc.if_else(pa.array(lengths == ln), pc.utf8_lpad(s, int(ln), "0"), out)
        return out

    def devices(self, n: int) -> pa.Array:
        return tok(self.rng, n, 24)

    def web_or_app_ua(self, n: int, p_app: np.ndarray | float) -> np.ndarray:
        rng = self.rng
        web = rng.choice(N_WEB, n, p=UA_WEB_P)
        app = N_WEB + rng.choice(len(UA_APP), n, p=UA_APP_P)
        return np.where(rng.random(n) < p_app, app, web)

    def home_ips(self, country: np.ndarray, v6p: float = 0.0) -> np.ndarray:
        rng = self.rng
        asn = np.empty(len(country), np.int64)
        for i in range(len(CC)):
            m = country == i
            asn[m] = HOME_ASN[i][rng.integers(0, len(HOME_ASN[i]), m.sum())]
        out = self.ips.v4(asn)
        if v6p > 0:
            six = rng.random(len(country)) < v6p
            if six.any():
                out[six] = self.ips.v6(asn[six])
        return out

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        cfg, rng = self.cfg, self.rng
        N = cfg.accounts
        self.plan_fraud()
        F = int(sum(r["n"] for r in self.rings))
        Q = cfg.qa_accounts
        L = N - F
        self.alloc(N)
        self.log(f"{N} accounts: {L} legit, {F} fraud in {len(self.rings)} rings")
        # shared pools --------------------------------------------------------------
        self.public_tpl = {
            "default_web": self.templates(3), "default_app": self.templates(4),
            "extension": self.templates(2), "integration": self.templates(12),
            "promo": self.templates(1),
        }  # fmt: skip
        n_cg = max(40, int(N * cfg.cgnat_share * 4 / cfg.cgnat_users_per_ip / 1.6))
        self.cg_pool = {}
        for i in range(len(CC)):
            k = max(8, int(n_cg * COUNTRIES[i][1] / 100))
            asn = MOBILE_ASN[i][rng.integers(0, len(MOBILE_ASN[i]), k)]
            self.cg_pool[i] = (self.ips.v4(asn, nbases=3), asn)
        relay_asn = np.concatenate([_kind_idx("relay"), _kind_idx("vpn")])
        n_relay = max(30, int(N * cfg.relay_share / 15))
        self.relay_pool = self.ips.v4(
            relay_asn[rng.choice(4, n_relay, p=[0.45, 0.3, 0.15, 0.1])], 4
        )
        swg_asn = _kind_idx("swg")
        self.swg_pool = self.ips.v4(swg_asn[rng.choice(2, max(24, N // 4000), p=[0.75, 0.25])], 2)
        cloud = _kind_idx("cloud")
        self.integ_pool = self.ips.v4(np.full(max(12, N // 20000), cloud[0]), 2)
        self.office_ip = self.ips.v4(np.array([_kind_idx("biz")[0]]))[0]
        self.qa = self.build_qa(Q)
        L -= Q
        # legit segments ------------------------------------------------------------
        n_team = int(L * cfg.team_share)
        n_school = int(L * cfg.school_share)
        n_house = int(L * cfg.household_share)
        n_multi = int(L * cfg.multi_share)
        n_team = self.build_teams(n_team)
        n_school = self.build_schools(n_school)
        n_house = self.build_groups(n_house, "household")
        n_multi = self.build_groups(n_multi, "multi")
        self.build_individuals(L - n_team - n_school - n_house - n_multi)
        self.legit_end = self.n
        self.log("legit population built")
        self.overlays()
        self.log("innocent-sharing overlays applied")
        for r in self.rings:
            self.build_ring(r)
        assert self.n == N, (self.n, N)
        self.log("fraud rings built")

    # ------------------------------------------------------------------ legit segments
    def base_legit(self, s: slice, country: np.ndarray, active: float) -> None:
        """Defaults for a legit account block: home IP slot, consumer schedule, volume."""
        cfg, rng = self.cfg, self.rng
        n = s.stop - s.start
        self.country[s] = country
        self.tz[s] = np.array([c[2] for c in COUNTRIES])[country]
        self.sched[s] = 0
        act = rng.random(n) < active
        self.E[s] = np.where(act, rng.lognormal(np.log(cfg.exch_individual), cfg.exch_sigma, n), 0)
        self.c_mean[s] = 4.0
        self.raw[s] = rng.random(n) < cfg.raw_share
        self.cap[s] = 0
        # templates: product default prompt (web or app) + a personal custom prompt
        self.tpl_lo[s, 0] = self.public_tpl["default_web"] + rng.integers(0, 3, n)
        self.tpl_w[s, 0] = 0.75
        self.tpl_lo[s, 1] = self.templates(n) + np.arange(n)
        self.tpl_w[s, 1] = rng.uniform(0.0, 0.3, n)
        self.n_pre[s] = rng.poisson(4, n)
        self.n_win[s] = np.where(act, rng.poisson(5, n) + 1, 0)

    def build_qa(self, q: int) -> slice:
        rng = self.rng
        country = np.full(q, CI["GB"], np.int16)
        s = self.seg(
            q,
            email=join(pa.array([f"qa{i:02d}" for i in range(q)]), "parley.ai", sep="@"),
            phone=pa.nulls(q, pa.string()),
            device=pa.array(["qa-device-0001"] * q),
            ua=np.full(q, 0),
            org=pa.array(["org_parley_internal"] * q),
        )
        self.base_legit(s, country, 1.0)
        self.created[s] = self.s0 + rng.integers(0, 30 * DAY, q)
        self.signup_ip[s] = self.office_ip
        self.slot_lo[s, 0] = self.office_ip
        self.slot_w[s, 0] = 1.0
        self.sched[s] = 1
        self.E[s] = rng.lognormal(np.log(300), 0.5, q)
        self.cap[s] = 5
        self.flags[s] |= FL["qa_test"]
        self.qa_card = self.cards(1)[0]
        self.add_payments(np.arange(s.start, s.stop), np.full(q, self.qa_card), BANK_BINS[0],
                          self.created[s] + HOUR)  # fmt: skip
        return s

    def group_sizes(self, total: int, lo: int, hi: int, alpha: float) -> np.ndarray:
        rng = self.rng
        sz = np.minimum(hi, lo + (rng.pareto(alpha, total) * lo).astype(np.int64))
        cs = np.cumsum(sz)
        k = int(np.searchsorted(cs, total)) + 1
        sz = sz[:k]
        if sz.sum() > total:
            sz[-1] -= sz.sum() - total
        return sz[sz > 0]

    def org_ids(self, n: int) -> pa.Array:
        return join("org_", tok(self.rng, n, 14, "0123456789abcdefghijklmnopqrstuvwxyz"))

    def company_domains(self, country: np.ndarray) -> pa.Array:
        rng = self.rng
        n = len(country)
        s = join(pick(SYL, rng.integers(0, len(SYL), n)), pick(SYL, rng.integers(0, len(SYL), n)),
                 pick(SYL, rng.integers(0, len(SYL), n)))  # fmt: skip
        tld = np.array([TLD[c] for c in CC])[country]
        tld = np.where(rng.random(n) < 0.35, ".com", tld)
        return join(s, pa.array(tld))

    def build_teams(self, total: int) -> int:
        cfg, rng = self.cfg, self.rng
        if total < 2:
            return 0
        sz = self.group_sizes(
            total, 2, max(3, int(cfg.team_size_max * min(1, cfg.accounts / 1e6))), 1.1
        )
        k = len(sz)
        n = int(sz.sum())
        g = np.repeat(np.arange(k), sz)
        cctry = rng.choice(len(CC), k, p=_pmf([c[1] for c in COUNTRIES]))
        dom = self.company_domains(cctry)
        org = self.org_ids(k)
        swg = rng.random(k) < cfg.swg_company_share
        ccard = rng.random(k) < cfg.corp_card_share
        golden = rng.random(k) < cfg.golden_image_share
        # office NAT: 1-4 IPs per company on a business ISP or their home incumbent
        n_off = np.minimum(4, 1 + sz // 60)
        biz = _kind_idx("biz")
        off_asn = np.where(rng.random(k) < 0.5, biz[rng.integers(0, len(biz), k)],
                           np.array([HOME_ASN[c][0] for c in cctry]))  # fmt: skip
        off = self.ips.v4(np.repeat(off_asn, n_off))
        off_lo = off[0] + np.concatenate([[0], np.cumsum(n_off)[:-1]])
        swg_lo = self.swg_pool[0] + rng.integers(0, len(self.swg_pool) - 4, k)
        onboard = self.signup_times(k, hi=self.w1 - 20 * DAY)
        tpl = self.templates(3 * k)
        fn, ln = self.names(n)
        email = join(pick(FIRST, fn), pick(LAST, ln), sep=".")
        email = join(email, dom.take(pa.array(g)), sep="@")
        gdev = self.devices(k)
        ua_std = self.web_or_app_ua(n, 0.15)
        ua = np.where(golden[g], len(UA_ALL) - 1, ua_std)
        dev = pc.if_else(pa.array(golden[g]), gdev.take(pa.array(g)), self.devices(n))
        country = cctry[g]
        s = self.seg(n, email=self.messy_case(email),
                     phone=self.phone_maybe(country, self.cfg.phone_given * 0.5),
                     device=dev, ua=ua, org=org.take(pa.array(g)))  # fmt: skip
        self.base_legit(s, country, cfg.active_team)
        idx = np.arange(s.start, s.stop)
        # onboarding burst: 60% of seats on the first day, the rest trickle in later
        first = rng.random(n) < 0.6
        later = onboard[g] + (rng.exponential(60, n) * DAY).astype(np.int64)
        burst = onboard[g] + rng.integers(0, 6 * HOUR, n)
        self.created[s] = self.before_end(np.where(first, burst, later), onboard[g], self.w1 - HOUR)
        home = self.home_ips(country)
        work = np.where(swg[g], swg_lo[g], off_lo[g])
        span = np.where(swg[g], 4, n_off[g])
        self.signup_ip[s] = np.where(
            rng.random(n) < 0.8, work + rng.integers(0, 1 << 30, n) % span, home
        )
        self.slot_lo[s, 0], self.slot_w[s, 0] = home, 0.25
        self.slot_lo[s, 2], self.slot_span[s, 2], self.slot_w[s, 2] = work, span, 0.75
        self.sched[s] = 1
        act = self.E[s] > 0
        self.E[s] = np.where(act, rng.lognormal(np.log(cfg.exch_team), cfg.exch_sigma, n), 0)
        self.cap[s] = 1
        self.c_mean[s] = 5.0
        self.tpl_lo[s, 2] = tpl + 3 * g + rng.integers(0, 3, n)
        self.tpl_w[s, 2] = rng.uniform(0.1, 0.6, n)
        self.flags[s] |= FL["team"]
        self.flags[idx[swg[g]]] |= FL["swg"]
        self.flags[idx[~swg[g]]] |= FL["office_nat"]
        self.flags[idx[golden[g]]] |= FL["golden_image"]
        # company card on every seat, or own cards for some seats
        cc_card = self.cards(k)
        m = ccard[g]
        self.flags[idx[m]] |= FL["corp_card"]
        bins = BANK_BINS[rng.integers(0, len(BANK_BINS), k)]
        self.add_payments(
            idx[m], cc_card[g[m]], bins[g[m]], self.created[idx[m]] + rng.integers(60, DAY, m.sum())
        )
        own = (~m) & (rng.random(n) < 0.2)
        self.own_cards(idx[own])
        self.teams = {"org": org, "dom": dom, "size": sz, "lo": s.start, "g": g, "work": work,
                      "span": span, "card": np.where(ccard, cc_card, -1), "bins": bins, "country": cctry}  # fmt: skip
        return n

    def phone_maybe(self, country: np.ndarray, p: float) -> pa.Array:
        ph = self.phone(country)
        return nulls_where(ph, self.rng.random(len(country)) >= p)

    def own_cards(self, idx: np.ndarray, bins: np.ndarray | None = None) -> None:
        rng = self.rng
        n = len(idx)
        if n == 0:
            return
        if bins is None:
            fint = rng.random(n) < 0.15
            bins = np.where(
                fint,
                FINTECH_BINS[rng.integers(0, 6, n)],
                BANK_BINS[rng.integers(0, len(BANK_BINS), n)],
            )
        self.add_payments(
            idx,
            self.cards(n),
            bins,
            self.created[idx] + rng.exponential(20 * DAY, n).astype(np.int64),
        )

    def build_schools(self, total: int) -> int:
        cfg, rng = self.cfg, self.rng
        if total < 20:
            return 0
        cls = self.group_sizes(total, 20, 40, 3.0)
        ncls = len(cls)
        # classes grouped into schools of 1-6 classes
        per = rng.integers(1, 7, ncls)
        school_of = np.repeat(np.arange(ncls), per)[:ncls]
        school_of = np.unique(school_of, return_inverse=True)[1]
        ns = int(school_of.max()) + 1
        g = np.repeat(np.arange(ncls), cls)
        sg = school_of[g]
        n = int(cls.sum())
        sc = rng.choice(len(CC), ns, p=_pmf([c[1] for c in COUNTRIES]))
        sasn = np.array([EDU_ASN[CC[c]][0] if len(EDU_ASN[CC[c]]) else HOME_ASN[c][0] for c in sc])
        sip = self.ips.v4(sasn)
        managed = rng.random(ns) < cfg.school_managed_device
        sdev = self.devices(ns)
        sdom = join("st.", self.company_domains(sc))
        sorg = self.org_ids(ns)
        has_org = rng.random(ns) < 0.7
        country = sc[sg]
        fn, ln = self.names(n)
        email = join(join(pick(FIRST, fn), pc.utf8_slice_codeunits(pick(LAST, ln), 0, 1),
                          digits(rng, n, 2)), sdom.take(pa.array(sg)), sep="@")  # fmt: skip
        dev = pc.if_else(pa.array(managed[sg]), sdev.take(pa.array(sg)), self.devices(n))
        org = nulls_where(sorg.take(pa.array(sg)), ~has_org[sg])
        s = self.seg(n, email=email, phone=pa.nulls(n, pa.string()), device=dev,
                     ua=np.full(n, len(UA_ALL) - 2), org=org)  # fmt: skip
        self.base_legit(s, country, cfg.active_pupil)
        idx = np.arange(s.start, s.stop)
        # the teacher signs the class up within one hour on a school day
        t = self.signup_times(ncls, hi=self.w1 - 7 * DAY)
        ctz = np.array([c[2] for c in COUNTRIES], dtype=np.int64)[sc[school_of]]
        t = (t // DAY) * DAY + (rng.integers(8, 14, ncls) - ctz) * HOUR
        self.created[s] = t[g] + rng.integers(0, HOUR, n)
        self.signup_ip[s] = sip[sg]
        home = self.home_ips(country)
        self.slot_lo[s, 0], self.slot_w[s, 0] = home, 0.3
        self.slot_lo[s, 2], self.slot_w[s, 2] = sip[sg], 0.7
        self.sched[s] = 2
        act = self.E[s] > 0
        self.E[s] = np.where(act, rng.lognormal(np.log(cfg.exch_pupil), 1.0, n), 0)
        self.cap[s] = 2
        ctpl = self.templates(ncls)
        self.tpl_lo[s, 2] = ctpl + g
        self.tpl_w[s, 2] = 0.8
        self.flags[idx] |= FL["school"]
        self.schools = {"ip": sip, "org": sorg, "dom": sdom, "dev": sdev, "managed": managed,
                        "country": sc, "lo": s.start, "sg": sg}  # fmt: skip
        return n

    def build_groups(self, total: int, kind: str) -> int:
        """Households (2-5 people) and people with several accounts (2-6)."""
        cfg, rng = self.cfg, self.rng
        if total < 2:
            return 0
        hi = 5 if kind == "household" else 6
        sz = self.group_sizes(total, 2, hi, 2.5)
        k = len(sz)
        n = int(sz.sum())
        g = np.repeat(np.arange(k), sz)
        rank = np.arange(n) - np.repeat(np.cumsum(sz) - sz, sz)
        gc = rng.choice(len(CC), k, p=_pmf([c[1] for c in COUNTRIES]))
        country = gc[g]
        gip = self.home_ips(gc, v6p=cfg.ipv6_share)
        gdev = self.devices(k)
        if kind == "household":
            shared_card = rng.random(k) < cfg.family_card_share
            shared_dev = rng.random(k) < cfg.family_tablet_share
            ln = rng.integers(0, len(LAST), k)[g]
            fn = rng.integers(0, len(FIRST), n)
            email = self.personal_email(country, fn, ln)
            dev = self.devices(n)
            ph = self.phone_maybe(country, cfg.phone_given)
            family_org = rng.random(k) < 0.3
            org = nulls_where(self.org_ids(k).take(pa.array(g)), ~family_org[g])
            ua = self.web_or_app_ua(n, 0.5)
        else:
            shared_card = rng.random(k) < 0.6
            shared_dev = rng.random(k) < 0.8
            fn = rng.integers(0, len(FIRST), k)
            ln = rng.integers(0, len(LAST), k)
            f, la = pick(FIRST, fn[g]), pick(LAST, ln[g])
            num = pa.array(rng.integers(1, 999, k)[g]).cast(pa.string())
            gm = rng.random(k) < 0.7
            dom = pc.if_else(pa.array(gm[g]), "gmail.com", "outlook.com")
            tags = pick(["work", "alt", "test", "ai", "2", "pro", "dev"], rng.integers(0, 7, n))
            base = join(f, la, num)
            dotted = join(f, join(la, num), sep=".")
            local = pc.if_else(pa.array(rank == 0), base,
                               pc.if_else(pa.array((rank % 2 == 1) & gm[g]), dotted, join(base, tags, sep="+")))  # fmt: skip
            email = self.messy_case(join(local, dom, sep="@"))
            dev = self.devices(n)
            gph = self.phone(gc)
            same_ph = rng.random(k) < 0.5
            ph = pc.if_else(
                pa.array(same_ph[g]),
                gph.take(pa.array(g)),
                self.phone_maybe(country, cfg.phone_given),
            )
            org = pa.nulls(n, pa.string())
            ua = np.repeat(self.web_or_app_ua(k, 0.4), sz)
        dev = pc.if_else(pa.array(shared_dev[g] & ((rank == 0) | (rng.random(n) < 0.7))),
                         gdev.take(pa.array(g)), dev)  # fmt: skip
        s = self.seg(n, email=email, phone=ph, device=dev, ua=ua, org=org)
        self.base_legit(s, country, cfg.active_individual)
        idx = np.arange(s.start, s.stop)
        t0 = self.signup_times(k)
        spread = (rng.exponential(40, n) * DAY).astype(np.int64) * (rank > 0)
        self.created[s] = self.before_end(t0[g] + spread, t0[g], self.w1 - HOUR)
        self.signup_ip[s] = gip[g]
        self.slot_lo[s, 0], self.slot_w[s, 0] = gip[g], 0.85
        gcard = self.cards(k)
        gbin = BANK_BINS[rng.integers(0, len(BANK_BINS), k)]
        payer = shared_card[g] & ((rank == 0) | (rng.random(n) < 0.8))
        self.add_payments(
            idx[payer], gcard[g[payer]], gbin[g[payer]], self.created[idx[payer]] + HOUR * 3
        )
        if kind == "household":
            self.flags[idx] |= FL["household"]
            self.flags[idx[payer]] |= FL["family_card"]
            self.flags[idx[shared_dev[g]]] |= FL["family_tablet"]
            own = ~payer & (rng.random(n) < cfg.paid_share * 0.6)
        else:
            self.flags[idx] |= FL["multi"]
            own = ~payer & (rng.random(n) < 0.2)
        self.own_cards(idx[own])
        return n

    def build_individuals(self, n: int) -> None:
        cfg, rng = self.cfg, self.rng
        country = rng.choice(len(CC), n, p=_pmf([c[1] for c in COUNTRIES])).astype(np.int16)
        org = nulls_where(self.org_ids(n), rng.random(n) >= cfg.personal_org)
        s = self.seg(n, email=self.personal_email(country), phone=self.phone_maybe(country, cfg.phone_given),
                     device=self.devices(n), ua=self.web_or_app_ua(n, 0.45), org=org)  # fmt: skip
        self.base_legit(s, country, cfg.active_individual)
        self.created[s] = self.signup_times(n)
        ip = self.home_ips(country, v6p=cfg.ipv6_share)
        self.signup_ip[s] = ip
        self.slot_lo[s, 0], self.slot_w[s, 0] = ip, 1.0
        idx = np.arange(s.start, s.stop)
        self.own_cards(idx[rng.random(n) < cfg.paid_share])

    # ------------------------------------------------------------------ overlays
    def overlays(self) -> None:
        cfg, rng = self.cfg, self.rng
        L = self.legit_end
        lo = self.qa.stop
        idx = np.arange(lo, L)
        n = len(idx)
        ctry = self.country[idx]
        school = (self.flags[idx] & FL["school"]) > 0
        mob_heavy = np.isin(np.array(CC)[ctry], list(MOBILE_HEAVY))
        # CGNAT mobile users -----------------------------------------------------------
        p = np.where(mob_heavy, cfg.cgnat_share * 1.6, cfg.cgnat_share * 0.8)
        cg = (rng.random(n) < p) & ~school
        ci = idx[cg]
        for c in range(len(CC)):
            m = self.country[ci] == c
            pool, _ = self.cg_pool[c]
            k = len(pool)
            base = (k - 4) * rng.random(m.sum()) ** 2.2  # heavy-tailed: low pool IPs crowded
            self.slot_lo[ci[m], 1] = pool[0] + base.astype(np.int64)
        self.slot_span[ci, 1] = 4
        self.slot_w[ci, 1] = rng.uniform(0.3, 1.5, len(ci))
        app_signup = rng.random(len(ci)) < 0.55
        self.signup_ip[ci[app_signup]] = self.slot_lo[ci[app_signup], 1] + rng.integers(
            0, 4, app_signup.sum()
        )
        self.tpl_lo[ci, 0] = self.public_tpl["default_app"] + rng.integers(0, 4, len(ci))
        self.flags[ci] |= FL["cgnat"]
        # iCloud Private Relay / VPN ------------------------------------------------------
        rl = idx[rng.random(n) < cfg.relay_share]
        base = (len(self.relay_pool) - 3) * rng.random(len(rl)) ** 1.5
        self.slot_lo[rl, 3] = self.relay_pool[0] + base.astype(np.int64)
        self.slot_span[rl, 3] = 3
        self.slot_w[rl, 3] = rng.uniform(0.5, 3.0, len(rl))
        su = rng.random(len(rl)) < 0.5
        self.signup_ip[rl[su]] = self.slot_lo[rl[su], 3]
        self.flags[rl] |= FL["relay"]
        # browser extension ---------------------------------------------------------------
        ex = idx[(rng.random(n) < cfg.extension_share) & ~school]
        self.tpl_lo[ex, 0] = self.public_tpl["extension"] + (rng.random(len(ex)) < 0.2)
        self.tpl_w[ex, 0] = 0.9
        self.E[ex] = rng.lognormal(np.log(cfg.exch_extension), 1.0, len(ex)) * (
            rng.random(len(ex)) < 0.85
        )
        self.sched[ex] = 3
        self.cap[ex] = 3
        self.c_mean[ex] = 8.0
        self.n_win[ex] += rng.poisson(6, len(ex))
        self.flags[ex] |= FL["extension"]
        # power users --------------------------------------------------------------------
        pw = idx[(rng.random(n) < cfg.power_user_share) & ~school]
        self.E[pw] = rng.lognormal(np.log(cfg.exch_power), 1.0, len(pw))
        self.sched[pw] = 5
        self.cap[pw] = 5
        self.c_mean[pw] = 12.0
        self.raw[pw] = False
        self.key_lo[pw] = self.keys(2 * len(pw)) + 2 * np.arange(len(pw))
        self.key_k[pw] = 2
        self.p_key[pw] = rng.uniform(0.2, 0.9, len(pw))
        self.tpl_lo[pw, 1] = self.templates(len(pw)) + np.arange(len(pw))
        self.tpl_w[pw, 1] = 0.8
        self.n_win[pw] += rng.poisson(10, len(pw))
        self.own_cards(pw[rng.random(len(pw)) < 0.8])
        self.flags[pw] |= FL["power_user"]
        # integrations / cron ------------------------------------------------------------
        au = idx[(rng.random(n) < cfg.automation_share) & ~school]
        na = len(au)
        self.sched[au] = SCHED_CRON
        self.cron_min[au] = rng.choice([0, 0, 0, 0, 15, 30, 30, 45, 5, 10], na)
        self.E[au] = rng.choice([24, 45, 90, 180, 360, 720], na) * rng.uniform(0.8, 1.0, na)
        self.raw[au] = True
        self.cap[au] = 4
        ip_lo = self.integ_pool[0] + rng.integers(0, len(self.integ_pool) - 4, na)
        self.slot_lo[au, :] = -1
        self.slot_w[au, :] = 0
        self.slot_lo[au, 0], self.slot_span[au, 0], self.slot_w[au, 0] = ip_lo, 4, 1.0
        self.tpl_lo[au, 0] = self.public_tpl["integration"] + rng.integers(0, 12, na)
        self.tpl_w[au, 0] = 1.0
        self.tpl_w[au, 1:] = 0
        self.key_lo[au] = self.keys(na) + np.arange(na)
        self.p_key[au] = 1.0
        self.n_win[au] = rng.poisson(2, na)
        self.own_cards(au[rng.random(na) < 0.7])
        self.flags[au] |= FL["automation"]
        # returning (dormant for months, active again in the window) -----------------------
        old = idx[(self.created[idx] < self.w0 - 200 * DAY) & ~school]
        rt = old[rng.random(len(old)) < cfg.returning_share * n / max(1, len(old))]
        self.E[rt] = np.maximum(self.E[rt], rng.lognormal(np.log(40), 1.0, len(rt)))
        self.n_pre[rt] = rng.integers(1, 3, len(rt))
        self.act_from[rt] = self.w0 + rng.integers(0, self.ndays - 3, len(rt)) * DAY
        self.n_win[rt] = rng.poisson(5, len(rt)) + 1
        self.flags[rt] |= FL["returning"]
        # launch waves / events ---------------------------------------------------------
        plain = idx[
            (
                self.flags[idx]
                & (FL["team"] | FL["school"] | FL["household"] | FL["multi"] | FL["returning"])
            )
            == 0
        ]
        waves = np.array([_ts("2025-09-16"), _ts("2026-01-20"), _ts("2026-05-12")]) + 13 * HOUR
        lw = plain[rng.random(len(plain)) < cfg.launch_wave_share * n / max(1, len(plain))]
        w = rng.choice(3, len(lw), p=[0.3, 0.3, 0.4])
        self.created[lw] = waves[w] + (rng.exponential(2.5, len(lw)) * HOUR).astype(np.int64)
        self.tpl_lo[lw, 2] = self.public_tpl["promo"]
        self.tpl_w[lw, 2] = 0.3
        self.flags[lw] |= FL["launch_wave"]
        rest = np.setdiff1d(plain, lw)
        ev = rest[rng.random(len(rest)) < cfg.event_wifi_share * n / max(1, len(rest))]
        if len(ev):
            n_ev = max(1, len(ev) // 400)
            ev_t = _ts("2025-10-13") + rng.integers(0, 300, n_ev) * DAY + 9 * HOUR
            ev_ip = self.ips.v4(np.full(3 * n_ev, _kind_idx("biz")[1]))
            e = rng.integers(0, n_ev, len(ev))
            self.created[ev] = (
                ev_t[e] + rng.integers(0, 9 * HOUR, len(ev)) + rng.integers(0, 3, len(ev)) * DAY
            )
            self.signup_ip[ev] = ev_ip[3 * e + rng.integers(0, 3, len(ev))]
            self.flags[ev] |= FL["event_wifi"]
        # traffic begins after sign-up
        self.act_from[idx] = np.maximum(self.act_from[idx], self.created[idx])
        # payments: gift cards, carrier billing, resellers --------------------------------
        gc = idx[rng.random(n) < cfg.giftcard_share]
        self.add_payments(gc, self.cards(len(gc)), GIFT_BINS[rng.integers(0, len(GIFT_BINS), len(gc))],
                          self.created[gc] + rng.integers(HOUR, 60 * DAY, len(gc)))  # fmt: skip
        self.flags[gc] |= FL["giftcard"]
        cb_cand = idx[cg]
        cb = cb_cand[
            rng.random(len(cb_cand)) < cfg.carrier_billing_share * n / max(1, len(cb_cand))
        ]
        cb_card = self.cards(len(CC))  # one pseudo-card per country carrier-billing gateway
        self.add_payments(
            cb,
            cb_card[self.country[cb]],
            CARRIER_BIN,
            self.created[cb] + rng.integers(60, 3 * DAY, len(cb)),
        )
        self.flags[cb] |= FL["carrier_billing"]
        rs = idx[rng.random(n) < cfg.reseller_share]
        if len(rs):
            nres = max(1, len(rs) // 80)
            wres = rng.pareto(1.2, nres) + 1
            r = rng.choice(nres, len(rs), p=wres / wres.sum())
            rcard = self.cards(nres)
            rbin = BANK_BINS[rng.integers(0, len(BANK_BINS), nres)]
            self.add_payments(
                rs, rcard[r], rbin[r], self.created[rs] + rng.integers(60, 30 * DAY, len(rs))
            )
            self.flags[rs] |= FL["reseller"]

    # ------------------------------------------------------------------ fraud
    def plan_fraud(self) -> None:
        cfg = self.cfg
        N = cfg.accounts
        s = cfg.fraud_scale
        camps = [
            ("caracal", cfg.caracal_share, cfg.caracal_exchanges_per_account, (5, 21), WEEK,
             [("resproxy", .15), ("resproxy", .13), ("resproxy", .11), ("resproxy", .09),
              ("aged", .11), ("aged", .09), ("aged", .07), ("simfarm", .07), ("simfarm", .05),
              ("lowslow", .03), ("camouflage", .04), ("sso_hide", .02), ("keyresale", .001)]),
            ("simoon", cfg.simoon_share, 600.0, (6, 18), np.array([1, 1, 1, 1, 1, 1, 0], bool),
             [("simfarm", .4), ("simfarm", .3), ("simfarm", .25), ("keyresale", .05)]),
            ("vellum", cfg.vellum_share, 60.0, (2, 5), WEEK,
             [("lowslow", .45), ("lowslow", .35), ("camouflage", .2)]),
            ("atlas", cfg.atlas_share, 500.0, (8, 20), WEEKDAYS,
             [("aged", .4), ("aged", .3), ("school_hide", .3)]),
            ("quay", cfg.quay_share, 700.0, (12, 28), WEEK,
             [("keyresale", .1), ("sso_hide", .5), ("resproxy", .4)]),
        ]  # fmt: skip
        vol = {"resproxy": 1.2, "aged": 1.0, "simfarm": 0.9, "lowslow": 0.05, "camouflage": 0.15,
               "sso_hide": 1.0, "school_hide": 0.6, "keyresale": 25.0}  # fmt: skip
        self.rings, self.camps = [], []
        for ci, (name, share, epa, hours, dow, rings) in enumerate(camps):
            tot = N * share * s
            fr = np.array([f for _, f in rings])
            fr = fr / fr.sum()
            sizes = [
                max(3 if st == "keyresale" else 5, int(round(tot * f)))
                for (st, _), f in zip(rings, fr, strict=True)
            ]
            w = np.array([vol[st] * z for (st, _), z in zip(rings, sizes, strict=True)])
            total_ex = epa * sum(sizes)
            per = total_ex * w / w.sum() / np.array(sizes)
            self.camps.append({"name": name, "hours": hours, "dow": dow, "i": ci})
            for k, ((st, _), z) in enumerate(zip(rings, sizes, strict=True)):
                self.rings.append({"camp": ci, "style": st, "n": z, "epa": per[k],
                                   "id": f"{name}-r{k + 1:02d}"})  # fmt: skip
        # one fraud schedule per campaign (UTC)
        self.fsched = []
        for c in self.camps:
            a, b = c["hours"]
            self.fsched.append((_hours([(a, b, 1.0)], 0.01), c["dow"]))

    def camp_infra(self, ci: int) -> dict:
        if not hasattr(self, "_infra"):
            self._infra = {}
        if ci in self._infra:
            return self._infra[ci]
        rng = self.rng
        size = sum(r["n"] for r in self.rings if r["camp"] == ci)
        # residential proxy pool: exits on consumer ISPs of every country
        k = max(20, int(size * 0.8))
        home = np.concatenate(HOME_ASN)
        pool = self.ips.v4(home[rng.integers(0, len(home), k)])
        hetz = _kind_idx("cloud")[3 + ci % 3]
        inf = {
            "proxy": pool,
            "bins": FINTECH_BINS[rng.choice(len(FINTECH_BINS), 3, replace=False)],
            "base_tpl": self.templates(1),
            "admin_dev": tok(rng, 1, 24)[0].as_py(),
            "admin_ip": self.ips.v4(np.array([hetz]))[0],
        }
        self._infra[ci] = inf
        return inf

    def build_ring(self, r: dict) -> None:
        cfg, rng = self.cfg, self.rng
        ci, st, n = r["camp"], r["style"], r["n"]
        inf = self.camp_infra(ci)
        ri = self.rings.index(r)
        country = rng.choice(len(CC), n, p=_pmf([c[1] for c in COUNTRIES])).astype(np.int16)
        ring_c = rng.choice([CI["NG"], CI["KE"], CI["EG"], CI["GB"], CI["TR"], CI["ZA"]])
        if st == "simfarm":
            country[:] = ring_c
        email = self.personal_email(country)
        phone = pa.nulls(n, pa.string())
        dev = self.devices(n)
        ua = rng.choice([0, 1, 2], n, p=[0.5, 0.3, 0.2])  # anti-detect browsers: common UAs
        org = pa.nulls(n, pa.string())
        t_lo, t_hi = self.w0 - 25 * DAY, self.w1 - 12 * DAY
        shift_a, shift_b = self.camps[ci]["hours"]
        # sign-up waves in the operator's shift
        n_w = max(1, min(6, n // 30 + 1))
        wt = (rng.integers(t_lo, t_hi, n_w) // DAY) * DAY + rng.integers(
            shift_a, max(shift_a + 1, shift_b - 3), n_w
        ) % 24 * HOUR
        created = wt[rng.integers(0, n_w, n)] + rng.integers(0, 3 * HOUR, n)
        signup_ip = inf["proxy"][0] + rng.integers(0, len(inf["proxy"]), n)
        slot = [(inf["proxy"][0], len(inf["proxy"]), 1.0)]
        tpl_ring = self.templates(5)
        tpls = [
            (tpl_ring, 5, 0.7),
            (inf["base_tpl"], 1, 0.15),
            (self.public_tpl["default_web"], 3, 0.15),
        ]
        bins = inf["bins"][rng.integers(0, 3, n)]
        card_t = created + rng.integers(120, 1800, n)
        act_from = created
        key = True
        cap = 6
        c_mean = 20.0
        sched = 100 + ci
        idx0 = self.n
        if st == "simfarm":
            cc = COUNTRIES[ring_c]
            pre = cc[4][0]
            rest = cc[5] - len(pre)
            base = int(rng.integers(10 ** (rest - 1), 10**rest - n * 2))
            nums = base + np.cumsum(rng.integers(1, 3, n))  # sequential block with small gaps
            nat = join(pre, pc.utf8_lpad(pa.array(nums).cast(pa.string()), rest, "0"))
            phone = self.phone(country, nat)
            per = rng.integers(4, 11)
            dev = self.devices(max(1, n // per + 1)).take(pa.array(np.arange(n) // per))
            ua = np.full(n, N_WEB + 2 + rng.integers(0, 4))
            pool, _ = self.cg_pool[ring_c]
            fs = min(30, len(pool))
            farm = pool[0] + rng.integers(0, len(pool) - fs + 1)
            slot = [(farm, fs, 1.0)]
            signup_ip = farm + rng.integers(0, fs, n)
            bins = np.array([FINTECH_BINS[3], FINTECH_BINS[4]])[rng.integers(0, 2, n)]
            created = t_lo + np.sort(rng.integers(0, t_hi - t_lo, n))
            created = (created // DAY) * DAY + (shift_a + 1) * HOUR + np.arange(n) % 40 * 180
        elif st == "aged":
            created = self.signup_times(n, self.s0 + 30 * DAY, self.w0 - 90 * DAY)
            signup_ip = self.home_ips(country)
            ua = self.web_or_app_ua(n, 0.3)
            aw = self.w0 + rng.integers(0, self.ndays - 14, 3) * DAY + shift_a * HOUR
            act_from = aw[rng.integers(0, 3, n)] + rng.integers(0, 4 * HOUR, n)
            card_t = act_from + rng.integers(300, 7200, n)
            phone = self.phone_maybe(country, 0.4)
            org = nulls_where(self.org_ids(n), rng.random(n) >= 0.5)
        elif st == "resproxy":
            ph_v = rng.random(n) < 0.5
            phone = nulls_where(self.phone(country), ~ph_v)
        elif st == "keyresale":
            nip = max(200, int(cfg.accounts / 1000))
            asn = rng.integers(0, len(ASNS), nip)
            pool = self.ips.v4(asn)
            slot = [(pool[0], nip, 1.0)]
            c_mean = 25.0
            sched = 3  # customers everywhere: all hours
        elif st == "lowslow":
            created = self.signup_times(n, self.w0 - 120 * DAY, self.w0 + 10 * DAY)
            signup_ip = self.home_ips(country)
            slot = None
            bins = np.full(n, inf["bins"][0])
            tpls = [(tpl_ring, 1, 0.9), (self.public_tpl["default_web"], 3, 0.1)]
            ua = self.web_or_app_ua(n, 0.2)
            c_mean = 3.0
            h = rng.integers(0, 22)
            self.fsched.append((_hours([(h, h + 2, 1.0)], 0.0), WEEK))
            sched = 100 + len(self.fsched) - 1
        elif st == "camouflage":
            created = self.signup_times(n, self.w0 - 60 * DAY, self.w0 + 20 * DAY)
            signup_ip = self.home_ips(country)
            slot = None
            bins = BANK_BINS[rng.integers(0, len(BANK_BINS), n)]
            tpls = [(self.public_tpl["default_web"], 3, 0.6), (self.public_tpl["extension"], 1, 0.3),
                    (tpl_ring, 5, 0.1)]  # fmt: skip
            ua = self.web_or_app_ua(n, 0.5)
            phone = self.phone_maybe(country, 0.5)
            cap = 7
            c_mean = 5.0
            key = False
        elif st in ("sso_hide", "school_hide"):
            if st == "sso_hide" and getattr(self, "teams", None) is not None:
                T = self.teams
                j = int(np.argmax(T["size"]))
                dom, o = T["dom"][j].as_py(), T["org"][j].as_py()
                country[:] = T["country"][j]
                fn, ln = self.names(n)
                email = join(join(pick(FIRST, fn), pick(LAST, ln), sep="."), dom, sep="@")
                seat = T["lo"] + int(np.flatnonzero(T["g"] == j)[0])
                signup_ip = self.teams["work"][seat - T["lo"]] + rng.integers(
                    0, T["span"][seat - T["lo"]], n
                )
                org = pa.array([o] * n)
                if T["card"][j] >= 0:
                    self._hide_card = (T["card"][j], T["bins"][j])
                ua = self.web_or_app_ua(n, 0.1)
                slot = [(inf["proxy"][0], len(inf["proxy"]), 0.7), (signup_ip.min(), 1, 0.3)]
            elif getattr(self, "schools", None) is not None:
                S = self.schools
                j = int(rng.integers(0, len(S["ip"])))
                country[:] = S["country"][j]
                fn, ln = self.names(n)
                email = join(join(pick(FIRST, fn), digits(rng, n, 3)), S["dom"][j].as_py(), sep="@")
                org = pa.array([S["org"][j].as_py()] * n)
                signup_ip = np.full(n, S["ip"][j])
                ua = np.full(n, len(UA_ALL) - 2)
                if S["managed"][j]:
                    dev = pa.array([S["dev"][j].as_py()] * n)
            created = self.w0 - 30 * DAY + np.sort(rng.integers(0, 50 * DAY, n))
            created = (created // DAY) * DAY + 10 * HOUR + rng.integers(0, 2 * HOUR, n)
        # slips: admin device / admin datacenter IP now and then
        slip = rng.random(n) < cfg.slip_rate
        if st not in ("lowslow", "camouflage"):
            dev = pc.if_else(pa.array(slip), pa.scalar(inf["admin_dev"]), dev)
        ua = np.asarray(ua)
        s = self.seg(n, email=email, phone=phone, device=dev, ua=ua, org=org)
        idx = np.arange(s.start, s.stop)
        assert s.start == idx0
        self.country[s] = country
        self.created[s] = self.before_end(created, created.min(), self.w1 - DAY)
        self.signup_ip[s] = signup_ip
        if slot is None:  # own residential IP each
            self.slot_lo[s, 0], self.slot_w[s, 0] = signup_ip, 1.0
        else:
            for k, (lo, span, w) in enumerate(slot):
                if st == "keyresale" or span > 1:
                    self.slot_lo[s, k], self.slot_span[s, k], self.slot_w[s, k] = lo, span, w
                else:
                    self.slot_lo[s, k], self.slot_w[s, k] = lo, w
        if st not in ("lowslow", "camouflage"):
            adm = rng.random(n) < cfg.slip_rate * 2
            self.slot_lo[idx[adm], 3], self.slot_w[idx[adm], 3] = inf["admin_ip"], 0.05
        for k, (lo, span, w) in enumerate(tpls):
            self.tpl_lo[s, k], self.tpl_span[s, k], self.tpl_w[s, k] = lo, span, w
        self.sched[s] = 0
        self.fshift[s] = sched - 100 if sched >= 100 else -1
        if sched < 100:
            self.sched[s] = sched
        self.tz[s] = 0
        self.E[s] = rng.gamma(4.0, r["epa"] / 4.0, n)
        self.act_from[s] = np.maximum(act_from, created)
        self.cap[s] = cap
        self.c_mean[s] = c_mean
        self.raw[s] = st in ("lowslow", "camouflage") and rng.random() < 0.5
        if key:
            self.key_lo[s] = self.keys(n) + np.arange(n)
            self.p_key[s] = 0.95
        self.n_pre[s] = 0 if st != "aged" else rng.integers(0, 3, n)
        self.n_win[s] = rng.poisson(4 if st != "lowslow" else 2, n) + 1
        if st == "keyresale":
            self.n_win[s] = rng.poisson(150, n)
        self.ring[s] = ri
        # cards
        hide = getattr(self, "_hide_card", None)
        if st == "sso_hide" and hide is not None:
            self.add_payments(idx, np.full(n, hide[0]), hide[1], card_t)
            self._hide_card = None
        elif st == "school_hide":
            self.add_payments(idx, self.cards(n), bins, card_t)
        else:
            self.add_payments(idx, self.cards(n), bins, card_t)
            # a few cards reused across accounts of the ring
            re = rng.random(n) < 0.05
            if re.sum() > 1 and st not in ("lowslow", "camouflage"):
                pay = self.pay[-1]
                pay["card"][re] = pay["card"][re][0]

    # ------------------------------------------------------------------ output
    def write(self, out: Path) -> dict:
        cfg, rng = self.cfg, self.rng
        self.ips.finish()
        N = self.N
        counts = {}
        # account ids: opaque random strings, unique
        ids = tok(rng, N, 14, "0123456789abcdefghijklmnopqrstuvwxyz")
        while len(pc.unique(ids)) < N:
            ids = tok(rng, N, 14, "0123456789abcdefghijklmnopqrstuvwxyz")
        ids = join("acct_", ids)
        self.ids = ids
        cat = lambda k: pa.concat_arrays([pa.array(sg[k]) if not isinstance(sg[k], pa.Array) else sg[k]  # noqa: E731
                                          for sg in self.segs])  # fmt: skip
        email = self.dedupe(cat("email").cast(pa.string()))
        phone = cat("phone").cast(pa.string())
        ua_i = np.concatenate([np.asarray(sg["ua"], dtype=np.int64) for sg in self.segs])
        ua = pick(UA_ALL, ua_i)
        ua = nulls_where(ua, rng.random(N) < 0.01)
        self.ua = ua
        country = pick(CC, self.country)
        country = nulls_where(country, rng.random(N) < 0.02)
        order = np.argsort(self.created, kind="stable")
        acc = pa.table({
            "account_id": ids, "created_at": self.tsarr(self.created), "email": email, "phone": phone,
            "signup_ip": self.ips.s.take(pa.array(self.signup_ip)), "device_id": cat("device").cast(pa.string()),
            "user_agent": ua, "country": country, "org_id": cat("org").cast(pa.string()),
        }).take(pa.array(order))  # fmt: skip
        pq.write_table(acc, out / "accounts.parquet")
        counts["accounts"] = acc.num_rows
        del acc
        self.log("accounts written")
        counts["payments"] = self.write_payments(out)
        self.log("payments written")
        counts["ip_events"] = self.write_ip_events(out)
        self.log("ip_events written")
        counts["requests"], counts["exchanges"] = self.write_requests(out)
        self.log("requests written")
        # truth
        is_f = self.ring >= 0
        ring_names = np.array([r["id"] for r in self.rings] + [None], dtype=object)
        camp_names = np.array(
            [self.camps[r["camp"]]["name"] for r in self.rings] + [None], dtype=object
        )
        ring_style = np.array([r["style"] for r in self.rings] + [None], dtype=object)
        um, inv = np.unique(self.flags, return_inverse=True)
        names = np.array(
            ["+".join(f for f in LEGIT_FLAGS if m & FL[f]) or "plain" for m in um], dtype=object
        )
        ridx = np.where(is_f, self.ring, len(self.rings))
        style = np.where(is_f, ring_style[ridx], names[inv])
        truth = pa.table(
            {
                "account_id": ids,
                "is_fraud": pa.array(is_f),
                "ring_id": pa.array(ring_names[ridx], type=pa.string()),
                "campaign_id": pa.array(camp_names[ridx], type=pa.string()),
                "style": pa.array(style, type=pa.string()),
            }
        )
        pq.write_table(truth, out / "truth.parquet")
        counts["truth"] = truth.num_rows
        self.write_allowlist(out)
        summary = {
            "fraud_accounts": int(is_f.sum()),
            "fraud_share": round(float(is_f.mean()), 4),
            "campaigns": {
                c["name"]: int(sum(r["n"] for r in self.rings if r["camp"] == c["i"]))
                for c in self.camps
            },
            "campaign_exchanges": self.camp_ex,
            "rings": {r["id"]: [r["style"], r["n"]] for r in self.rings},
            "legit_flags": {f: int(((self.flags & FL[f]) > 0).sum()) for f in LEGIT_FLAGS},
        }
        info = {"config": asdict(cfg), "rows": counts, "window": [cfg.window_start, cfg.window_end],
                "summary": summary, "seconds": round(time.time() - self.t0, 1)}  # fmt: skip
        (out / "world.json").write_text(json.dumps(info, indent=2, default=str))
        self.log(f"done: {counts}")
        return counts

    @staticmethod
    def tsarr(t: np.ndarray) -> pa.Array:
        return pa.array(np.asarray(t, dtype=np.int64) * 1000, pa.timestamp("ms", tz="UTC"))

    def dedupe(self, email: pa.Array) -> pa.Array:
        """Sign-up e-mails are unique per platform (case-insensitively): renumber duplicates."""
        for _ in range(6):
            low = pd.Series(pc.utf8_lower(email).to_numpy(zero_copy_only=False))
            dup = low.duplicated().to_numpy()
            if not dup.any():
                break
            parts = pc.split_pattern(email, "@", max_splits=1)
            left = pc.list_element(parts, 0)
            right = pc.list_element(parts, 1)
            new = join(join(left, digits(self.rng, len(email), 3)), right, sep="@")
            email = pc.if_else(pa.array(dup), new, email)
        return email

    def write_payments(self, out: Path) -> int:
        rng = self.rng
        acc = np.concatenate([p["acc"] for p in self.pay])
        card = np.concatenate([p["card"] for p in self.pay])
        b = np.concatenate([p["bin"] for p in self.pay])
        created = np.concatenate([p["created"] for p in self.pay])
        created = np.maximum(created, self.created[acc] + 60)
        ctry = np.concatenate([p["country"] for p in self.pay]).astype(np.int64)
        n = len(acc)
        # second card for some payers
        two = rng.random(n) < 0.06
        acc = np.concatenate([acc, acc[two]])
        card = np.concatenate([card, self.cards(int(two.sum()))])
        b = np.concatenate([b, BANK_BINS[rng.integers(0, len(BANK_BINS), two.sum())]])
        created = np.concatenate([created, created[two] + rng.integers(DAY, 90 * DAY, two.sum())])
        ctry = np.concatenate([ctry, ctry[two]])
        n = len(acc)
        # one processor fingerprint per card
        fps = tok(
            rng, self.card_n, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        )
        bins = np.array([x[0] for x in BINS])
        bcountry = np.array([x[1] or None for x in BINS], dtype=object)
        fund = np.array([x[2] for x in BINS])
        # card fingerprints are stable per card: postal code also per card
        post_by_card = self.postal(card, ctry)
        tbl = pa.table({
            "account_id": self.ids.take(pa.array(acc)),
            "card_fingerprint": fps.take(pa.array(card)),
            "card_bin": pa.array(bins[b]),
            "card_country": pa.array(bcountry[b], pa.string()),
            "funding": nulls_where(pa.array(fund[b]), rng.random(n) < 0.02),
            "billing_postal_code": post_by_card,
            "created_at": nulls_where(self.tsarr(np.minimum(created, self.w1 - 60)), rng.random(n) < 0.01),
        })  # fmt: skip
        pq.write_table(
            tbl.take(pa.array(np.argsort(created, kind="stable"))), out / "payments.parquet"
        )
        return tbl.num_rows

    def postal(self, card: np.ndarray, ctry: np.ndarray) -> pa.Array:
        """Billing postal code per card (same card -> same code), formatted per country."""
        rng = self.rng
        nc = self.card_n
        owner_c = np.zeros(nc, np.int64)
        owner_c[card] = ctry
        kinds = np.array([c[6] for c in COUNTRIES])[owner_c]
        n = nc
        d5, d4 = digits(rng, n, 5), digits(rng, n, 4)
        letters = "ABCDEFGHJKLMNPRSTUWXYZ"
        gb = join(join(tok(rng, n, 2, letters), pa.array(rng.integers(1, 20, n)).cast(pa.string())),
                  join(pa.array(rng.integers(1, 10, n)).cast(pa.string()), tok(rng, n, 2, letters)), sep=" ")  # fmt: skip
        nl = join(d4, tok(rng, n, 2, letters), sep=" ")
        pl = join(digits(rng, n, 2), digits(rng, n, 3), sep="-")
        pt = join(d4, digits(rng, n, 3), sep="-")
        d6, d7 = digits(rng, n, 6), digits(rng, n, 7)
        out = pc.case_when(
            pc.make_struct(*[pa.array(kinds == k) for k in ("gb", "nl", "pl", "pt", "d4", "d6", "d7", "none")]),
            gb, nl, pl, pt, d4, d6, d7, pa.nulls(n, pa.string()), d5,
        )  # fmt: skip
        return out.take(pa.array(card))

    # ---- traffic -----------------------------------------------------------------------
    def pick_slot(
        self, acc: np.ndarray, lo: np.ndarray, span: np.ndarray, w: np.ndarray
    ) -> np.ndarray:
        """For each row (account acc), choose a slot by weight and a value in [lo, lo+span)."""
        rng = self.rng
        ww = w[acc].astype(np.float64)
        ww[lo[acc] < 0] = 0
        cw = np.cumsum(ww, axis=1)
        tot = cw[:, -1]
        u = rng.random(len(acc)) * tot
        k = (u[:, None] >= cw).sum(axis=1)
        k = np.minimum(k, w.shape[1] - 1)
        base = lo[acc, k]
        sp = span[acc, k]
        val = base + (rng.random(len(acc)) * sp).astype(np.int64)
        return np.where((tot > 0) & (base >= 0), val, -1)

    def write_ip_events(self, out: Path) -> int:
        rng = self.rng
        N = self.N
        schema = pa.schema([("account_id", pa.string()), ("ip", pa.string()), ("seen_at", pa.timestamp("ms", tz="UTC")),
                            ("event", pa.string()), ("asn", pa.int64()), ("asn_org", pa.string()),
                            ("user_agent", pa.string())])  # fmt: skip
        asn_num = np.array([a[0] for a in ASNS])
        asn_org = pa.array([a[1] for a in ASNS])
        events = pa.array(["signup", "login", "session", "api"])
        total = 0
        self._api_rows = []
        with pq.ParquetWriter(out / "ip_events.parquet", schema) as w:
            for c0 in range(0, N, 200_000):
                a = np.arange(c0, min(N, c0 + 200_000))
                # signup
                acc_s = a
                ip_s = self.signup_ip[a]
                t_s = self.created[a]
                # logins before the window (at the sign-up IP / home), and in the window (slots)
                npre = self.n_pre[a]
                acc_p = np.repeat(a, npre)
                span_p = np.maximum(
                    0, np.minimum(self.w0, self.created[acc_p] + 120 * DAY) - self.created[acc_p]
                )
                t_p = self.created[acc_p] + (rng.random(len(acc_p)) * span_p).astype(np.int64)
                ret = (self.flags[acc_p] & FL["returning"]) > 0
                t_p = np.where(
                    ret, self.created[acc_p] + rng.integers(0, 20 * DAY, len(acc_p)), t_p
                )
                ip_p = np.where(
                    self.slot_lo[acc_p, 0] >= 0, self.slot_lo[acc_p, 0], self.signup_ip[acc_p]
                )
                ip_p = np.where(self.ring[acc_p] >= 0, self.signup_ip[acc_p], ip_p)
                nwin = self.n_win[a]
                acc_w = np.repeat(a, nwin)
                st = np.maximum(self.act_from[acc_w], self.w0)
                t_w = st + (rng.random(len(acc_w)) * np.maximum(HOUR, self.w1 - st)).astype(
                    np.int64
                )
                ip_w = self.pick_slot(acc_w, self.slot_lo, self.slot_span, self.slot_w)
                ip_w = np.where(ip_w < 0, self.signup_ip[acc_w], ip_w)
                accs = np.concatenate([acc_s, acc_p, acc_w])
                ips = np.concatenate([ip_s, ip_p, ip_w])
                ts = np.concatenate([t_s, t_p, t_w])
                ev = np.concatenate([np.zeros(len(acc_s), np.int64), np.ones(len(acc_p), np.int64),
                                     rng.choice([1, 2], len(acc_w), p=[0.6, 0.4])])  # fmt: skip
                ev = np.where(
                    (ev == 2) & (self.key_lo[accs] >= 0) & (rng.random(len(accs)) < 0.5), 3, ev
                )
                total += self._write_events(w, accs, ips, ts, ev, asn_num, asn_org, events)
            for accs, ips, ts in self._pending_api():
                total += self._write_events(
                    w, accs, ips, ts, np.full(len(accs), 3), asn_num, asn_org, events
                )
        return total

    def _write_events(self, w, accs, ips, ts, ev, asn_num, asn_org, events) -> int:
        rng = self.rng
        n = len(accs)
        order = np.argsort(ts, kind="stable")
        accs, ips, ts, ev = accs[order], ips[order], ts[order], ev[order]
        ai = self.ips.a[ips]
        miss = rng.random(n) < 0.01
        asn = pa.array(asn_num[ai], pa.int64(), mask=miss)
        org = nulls_where(asn_org.take(pa.array(ai)), miss)
        tbl = pa.table({
            "account_id": self.ids.take(pa.array(accs)), "ip": self.ips.s.take(pa.array(ips)),
            "seen_at": self.tsarr(np.minimum(ts, self.w1 - 1)), "event": events.take(pa.array(ev)),
            "asn": asn, "asn_org": org, "user_agent": self.ua.take(pa.array(accs)),
        })  # fmt: skip
        w.write_table(tbl)
        return n

    def _pending_api(self):
        """API connection events for accounts that use keys (sampled from their request IPs)."""
        rng = self.rng
        N = self.N
        has = np.flatnonzero((self.key_lo >= 0) & (self.E > 0))
        for c0 in range(0, len(has), 200_000):
            a = has[c0 : c0 + 200_000]
            k = np.minimum(
                60, rng.poisson(np.minimum(60, 1 + self.E[a] * self.cfg.api_event_rate / 10))
            )
            ks = self.ring[a] >= 0
            k = np.where(
                ks & (self.slot_span[a, 0] > 100),
                np.minimum(400, self.E[a] // 20).astype(np.int64),
                k,
            )
            acc = np.repeat(a, k)
            st = np.maximum(self.act_from[acc], self.w0)
            t = st + (rng.random(len(acc)) * np.maximum(HOUR, self.w1 - st)).astype(np.int64)
            ip = self.pick_slot(acc, self.slot_lo, self.slot_span, self.slot_w)
            ip = np.where(ip < 0, self.signup_ip[acc], ip)
            yield acc, ip, t
        del N

    def write_requests(self, out: Path) -> tuple[int, int]:
        cfg, rng = self.cfg, self.rng
        N = self.N
        schema = pa.schema([("account_id", pa.string()), ("ts", pa.timestamp("ms", tz="UTC")), ("count", pa.int64()),
                            ("api_key_id", pa.string()), ("ip", pa.string()), ("prompt_fingerprint", pa.string()),
                            ("capability", pa.string()), ("input_tokens", pa.int64()), ("output_tokens", pa.int64())])  # fmt: skip
        tpl_s = tok(rng, self.tpl_n, 16)
        key_s = join(
            "key_",
            tok(
                rng,
                self.key_n,
                20,
                "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ),
        )
        caps = pa.array(CAPS)
        cap_cdf = np.cumsum(CAP_P, axis=1)
        sched_list = [(p, d) for p, d, _ in SCHEDULES] + self.fsched
        n_leg = len(SCHEDULES)
        total_rows, total_ex = 0, 0
        camp_ex = np.zeros(len(self.camps))
        ring_camp = np.array([r["camp"] for r in self.rings] + [0])
        with pq.ParquetWriter(out / "requests.parquet", schema) as w:
            for c0 in range(0, N, 100_000):
                a = np.arange(c0, min(N, c0 + 100_000))
                a = a[self.E[a] >= 1]
                E = np.round(self.E[a]).astype(np.int64)
                st = np.maximum(self.act_from[a], self.w0)
                days_left = np.maximum(1, (self.w1 - st) // DAY)
                raw = (self.raw[a] & (E <= 60)) | (self.sched[a] == SCHED_CRON) & (
                    self.fshift[a] < 0
                )
                H = np.where(
                    raw, E, np.maximum(1, np.minimum(np.round(E / self.c_mean[a]), days_left * 8))
                ).astype(np.int64)
                acc = np.repeat(a, H)
                li = np.repeat(np.arange(len(a)), H)
                R = len(acc)
                day = (st[li] - self.w0) // DAY + (rng.random(R) * days_left[li]).astype(np.int64)
                # schedule per row
                sidx = np.where(self.fshift[acc] >= 0, n_leg + self.fshift[acc], self.sched[acc])
                hour = np.empty(R, np.int64)
                for si in np.unique(sidx):
                    m = sidx == si
                    p, dow = sched_list[si]
                    hour[m] = rng.choice(24, m.sum(), p=p)
                    if not dow.all():
                        wd = (self.wdow0 + day[m]) % 7
                        shift = np.zeros(7, np.int64)
                        for d in range(7):
                            k = 0
                            while not dow[(d - k) % 7]:
                                k += 1
                            shift[d] = k
                        dm = day[m] - shift[wd]
                        dm = np.where(dm < 0, dm + 7, dm)
                        day[m] = dm
                local = np.array([s[2] for s in SCHEDULES] + [False] * len(self.fsched))[sidx]
                hour = np.where(local, hour - self.tz[acc].astype(np.int64), hour)
                ts = self.w0 + day * DAY + hour * HOUR
                cron = self.cron_min[acc] >= 0
                is_raw = raw[li]
                sec = np.where(cron, self.cron_min[acc].astype(np.int64) * 60 + rng.integers(0, 4, R),
                               np.where(is_raw, rng.integers(0, HOUR, R), 0))  # fmt: skip
                ts = np.clip(ts + sec, np.maximum(st[li], self.w0), self.w1 - 1)
                ts = np.where(is_raw | cron, ts, ts - ts % HOUR)
                # counts: split E over the account's rows
                g = rng.gamma(1.5, 1.0, R)
                gs = np.bincount(li, weights=g, minlength=len(a))
                cnt = np.where(is_raw, 1, np.maximum(1, np.round(E[li] * g / gs[li]))).astype(
                    np.int64
                )
                ip = self.pick_slot(acc, self.slot_lo, self.slot_span, self.slot_w)
                tpl = self.pick_slot(acc, self.tpl_lo, self.tpl_span, self.tpl_w)
                use_key = (self.key_lo[acc] >= 0) & (rng.random(R) < self.p_key[acc])
                key = np.where(
                    use_key,
                    self.key_lo[acc] + (rng.random(R) * self.key_k[acc]).astype(np.int64),
                    -1,
                )
                cp = self.cap[acc]
                u = rng.random(R)
                capi = (u[:, None] >= cap_cdf[cp]).sum(axis=1).clip(0, len(CAPS) - 1)
                tk = TOKP[cp]
                inp = (cnt * tk[:, 0] * rng.lognormal(0, 0.5, R)).astype(np.int64) + 1
                outp = (cnt * tk[:, 1] * rng.lognormal(0, 0.5, R)).astype(np.int64) + 1
                isf = self.ring[acc] >= 0
                np.add.at(camp_ex, ring_camp[self.ring[acc[isf]]], cnt[isf])
                count_col = pa.array(cnt, pa.int64(), mask=is_raw & (rng.random(R) < 0.3))
                order = np.argsort(ts, kind="stable")
                tbl = pa.table({
                    "account_id": self.ids.take(pa.array(acc)),
                    "ts": self.tsarr(ts),
                    "count": count_col,
                    "api_key_id": key_s.take(pa.array(key, mask=key < 0)),
                    "ip": self.ips.s.take(pa.array(ip, mask=ip < 0)),
                    "prompt_fingerprint": tpl_s.take(pa.array(tpl, mask=tpl < 0)),
                    "capability": caps.take(pa.array(capi)),
                    "input_tokens": pa.array(inp),
                    "output_tokens": pa.array(outp),
                }).take(pa.array(order))  # fmt: skip
                w.write_table(tbl)
                total_rows += R
                total_ex += int(cnt.sum())
        self.camp_ex = {c["name"]: int(camp_ex[c["i"]]) for c in self.camps}
        del cfg
        return total_rows, total_ex

    def write_allowlist(self, out: Path) -> None:
        qa = self.ids.take(pa.array(np.arange(self.qa.start, self.qa.stop))).to_pylist()
        rows = [("account_id", a, "platform QA account") for a in qa]
        rows.append(("device_id", "qa-device-0001", "QA test device"))
        rows.append(("ip", self.ips.s[self.office_ip].as_py(), "platform office egress"))
        rows.append(("org_id", "org_parley_internal", "platform's own workspace"))
        rows.append(("email_domain", "parley.ai", "platform staff"))
        z = self.ips.s[self.swg_pool[0]].as_py().split(".")
        rows.append(("cidr", f"{z[0]}.{z[1]}.0.0/16", "secure web gateway egress (Zscaler)"))
        with open(out / "allowlist.csv", "w") as f:
            f.write("kind,value,note\n")
            for k, v, note in rows:
                f.write(f"{k},{v},{note}\n")


def generate(out: str | Path, cfg: WorldConfig, quiet: bool = False) -> dict:
    """Generate world D into directory `out`; return row counts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    w = World(cfg, quiet)
    w.build()
    return w.write(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m bench.independent_d", description=__doc__.split("\n")[0]
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="generate a world into DIR")
    g.add_argument("dir")
    g.add_argument("--accounts", type=int, default=WorldConfig.accounts)
    g.add_argument("--seed", type=int, default=WorldConfig.seed)
    g.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    counts = generate(a.dir, WorldConfig(accounts=a.accounts, seed=a.seed), quiet=a.quiet)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
