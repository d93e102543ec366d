"""World E: a synthetic sign-up, payment, IP-event and request log of a
developer-focused coding-agent and API platform ("Kodama"), with planted fraud.

Written without knowledge of how any detector works; the only spec used is the
input data contract (accounts, payments, ip_events, requests, allowlist).

Usage::

    python -m bench.independent_e generate DIR --accounts 200000 --seed 1

writes ``accounts.parquet``, ``payments.parquet``, ``ip_events.parquet``,
``requests.parquet`` (zstd, 1M-row row groups, mixed raw and hourly-aggregated
rows), ``allowlist.csv`` and ``truth.parquet`` (account_id, is_fraud, ring_id,
campaign_id, style) into DIR.  Deterministic per (accounts, seed).  About 22 s
and 1.5 GB at 200k accounts, under 2 minutes and 3 GB at 1M on 2 cores.

The platform
------------
Kodama sells a coding agent (IDE plug-ins, CLI, CI action) and a raw API to
developers, strongest in North America and East Asia: US 30 %, IN 12 %,
JP 8.5 %, KR 7 %, CA 4.5 %, TW 4 %, AU / MX 3.5 %, GB 3 %, SG / HK / DE / BR
2.5 %, PH / VN / ID 1.5 %, FR 1.2 %, NZ 0.8 % (weights before normalising).
Sign-ups start 2025-04-22 and grow x3 per year through the request window
(about 20 % of legit accounts are created inside it); requests exist only in
the window 2026-04-22 .. 2026-06-05 (45 days, inclusive).  About half of the
legit accounts (more for recent, office and app accounts) are active in the
window; login / session / API-connection events cover the whole life of each
account, so dormancy is visible.  ~53 % of legit accounts have a card, ~45 %
gave a phone.  Request rows: hourly aggregates (``count`` >= 1) for most
accounts; 20 % of accounts (and all CI jobs) are logged raw, 40 % of those on
an old gateway that leaves ``count`` empty (= 1).  One "api" / "session"
ip_event per account, client IP and 15-day period links every request IP to an
ASN.

Identifiers look like production data: country-specific ASNs and AS names
(T-Mobile, Jio, NTT docomo, KT, HiNet, Telstra, Comcast, AWS, Azure, GCP,
Hetzner, Zscaler, iCloud Private Relay on Akamai / Cloudflare, M247, ...),
IPv6 where carriers / ISPs use it (T-Mobile US and Jio ~90 %, ~30 % of all
sign-ups), card BINs per issuing country (Visa / MC / Amex / JCB / UnionPay /
RuPay / Elo, 6- and 8-digit, credit / debit / prepaid, fintech virtual-card
and gift BINs), phones in E.164 and local spellings, local e-mail providers
(gmail, outlook, yahoo.co.jp, naver.com, daum.net, qq.com, icloud, company
domains, .edu / .ac.jp / .ac.kr), browser user agents whose versions follow
the release calendar (iOS 26 Safari reports "iPhone OS 18_6"), SDK / CLI / CI
user agents for API traffic, country postal-code formats (HK has none: blank,
"000000" or "999077").  A few per cent of every optional column are empty.

Innocent sharing (legit; every rate is a WorldConfig knob)
------------------------------------------------------------
Sign-up context (share of legit accounts; mobile is x1.3-1.8 in IN / ID / PH /
VN / MX / BR, x0.8 in JP / DE / FR):

* ``office_nat`` (15 %): companies of Pareto sizes 2..~2000 behind 1-8 office
  NAT addresses.  30 % of companies with >= 10 seats egress through a
  corporate SWG (``corporate_swg``: Zscaler / Netskope pools shared by many
  companies).  35 % of companies with >= 20 seats run VDI / golden images
  (60 % of their seats share 1-3 device ids, ``golden_image``).  45 % put one
  or two corporate cards on 30-90 % of seats (``company_card``).  Seats share
  1-8 company prompt templates, a standard browser, business hours and
  synchronised working days, and are created in onboarding waves (55 % within
  hours of the company's start).  30 % of orgs share a project key; 5 % call
  the API with one org key from an autoscaling pool of 50-1000 cloud
  addresses (``org_shared_keys``).
* ``cgnat`` (mobile sign-ups, 25 % x country factor): 30 % of mobile users get
  a carrier-grade-NAT IPv4 shared by 5-50 strangers (85 % of them; a few hot
  addresses carry hundreds); the rest are on IPv6 or their own address.
  Everyone's logins come from their carrier's CGNAT 15 % of the time and the
  requests of mobile users keep a CGNAT address for ~2 days.
* ``vpn_relay`` (6.5 %): iCloud Private Relay, Cloudflare WARP, NordVPN,
  Proton, Mullvad, Surfshark egress pools, heavy-tailed (the busiest egress
  addresses carry 1000+ accounts at 200k); 10 % of everybody else sometimes
  logs in through one.  ``self_hosted_vps``: 8 % of VPN users and 4 % of
  active developers use their own VPS (DigitalOcean, Hetzner, OVH, ...).
* ``campus_nat`` (5 %): students behind a few university NAT addresses, .edu
  mail for 60 %, semester-start peaks; 40 % in course workspaces (org, course
  template, shared deadline days, half created within the first lab hour);
  12 % on lab machines sharing images.
* ``bootcamp_cohort`` / ``hackathon`` (1.5 %): cohorts of 20-400 signing up
  within the hour from the venue Wi-Fi with one starter template; hackathon
  teams of 3-5 share an org and code through the event weekend.
* ``household`` (22 % of home users): households of 2-5 sharing the home IP,
  40 % a device, 50 % a card, often a surname.
* ``multi_account`` (3 % of accounts are alts): second..sixth accounts of one
  person: gmail dot / +tag variants, same device (75 %), card (45 %), phone
  (25 %), same home IP.
* ``cloud_dev`` (7 % of active developers): most requests from shared
  Codespaces / Gitpod / Replit egress pools (Azure, GCP).
* ``ci_runner`` (~2 % of accounts): the Kodama CI action on GitHub-hosted runners (Azure
  pool, a new address per job), cron minutes (mostly :00), public CI
  templates, raw rows.
* ``app_owner`` / ``app_end_user`` (3 % of accounts): ~1 app per 6,000
  accounts; its end users (20-3000 per app) signed up through "Sign in with
  Kodama" inside the app (same in-app user agent) and all their requests come
  from the app's 2-10 server addresses with the app's templates.
* ``public_template`` (40 % of accounts): 1-3 public agent templates, Zipf
  over 5,000; one default system prompt appears in most accounts.
* ``launch_wave`` (3 x 1.2 %): launches on 2025-10-14, 2026-01-20 (JP/KR) and
  2026-05-12 (inside the window) bring thousands of sign-ups within hours;
  ``event_burst`` (0.4 %): conferences bring 300-1500 sign-ups (x sqrt of the
  scale) within two hours from the venue network.
* ``reseller_card`` (0.6 %): regional resellers (KR, JP, IN, TW, HK, ID, VN,
  MX) put their own card on 50-600 unrelated customer accounts;
  ``prepaid_gift_bin`` (3 % of card holders); ``virtual_card_bin`` (4 %: the
  same fintech virtual-card BINs the fraud uses); ``marketplace_billing``
  (1.2 %): billed through a cloud / app marketplace whose settlement
  instrument is one card fingerprint shared by thousands.
* ``power_user`` (2 % of active legit): thousands of agentic / coding /
  planning exchanges with long outputs, 30 % as 24/7 agent loops.
* ``dormant_return`` (12 % of old active accounts): logins only in their
  first weeks, then back in the window (like bought / aged accounts).
* ``fingerprint_collision`` (15 % of iOS Safari users): one of ~40 generic
  device fingerprints shared by thousands.
* ``internal_qa``: the platform's own QA / load-test accounts (office IPs,
  test-rig devices, the company card, synthetic 24/7 traffic from the CI
  range) and 10-15 ``vip`` enterprise accounts, listed in allowlist.csv with
  the office egress, the CI range, the staff domain, the QA org, the
  AWS-Marketplace instrument, one reseller partner card and the iCloud
  Private Relay ASN.  Like real allowlists it is partial.

Fraud (2.9-3.0 % of accounts)
-----------------------------
``tidewater`` -- a distillation operator: exactly 25,000 accounts and
28.8 M exchanges (sum of ``count``) at >= 500k accounts; below 500k 2.5 % of
the accounts with 1,152 exchanges per account.  Traffic is agentic_reasoning
42 %, coding 28 %, planning 18 % with long outputs, from a private family of
templates (a shared core plus ring-specific variants), on the operator's
shifts (UTC 00-09 and 12-15, Mon-Sat); 6 % of its accounts sit idle.  Ring
sizes shrink with sqrt(scale) and stay within 20..2000:

* ``farm`` (16 %): careless farms: 3-10 shared devices, prepaid cards each on
  10-50 accounts, catch-all domains or name+digits patterns, sequential VoIP
  phone blocks, one stale user agent, datacenter IPs (20 % via US carrier
  NAT, 10 % VPN), burst sign-ups, some rings burned mid-window, one in four
  hiding its traffic in the Codespaces pool.
* ``stealth`` (34 %): residential-proxy pools leaning to smaller ISPs, a fresh
  virtual card per account on 3 operator BINs, randomised devices and UAs,
  drip sign-ups in shift hours, synchronised active days, 10 % of requests
  through US carrier NAT.
* ``aged`` (16 %): bought accounts created 6-13 months earlier in seller
  batches (US / IN / ID / VN / BR / PH), warmed by a few logins, dormant, then
  activated in 2-3 waves in the window (card added and infrastructure switched
  on the wave day).
* ``camouflaged`` (20 %): consumer-looking accounts (local mail, mobile
  CGNAT, generic iPhone fingerprints, ordinary cards, web-app use) that still
  share the template family (45 % of traffic) and the operator's shift.
* ``fake_seats`` (8 %): fake team orgs of 200-800 seats on a fresh company
  domain, one corporate card, shared VDI devices, cloud desktops, org key.
* ``cloud_hidden`` (6 %): sign up and work from the shared cloud-IDE pools.

Smaller operators: ``nightjar`` (``low_and_slow``, 300 accounts at 1M, one
ring: own residential IP, card and device each; only one common consumer card
BIN, one prompt template and Mon-Fri 13-17 UTC in common; 40-150 exchanges);
``bluefin`` (``key_resale``, 0.2 %: keys resold and used from 3-6 relay
servers and hundreds of customer IPs each, VPN sign-ups, stolen cards from
other countries); ``kestrel`` (``credit_farm``, 0.15 %: free-credit farm,
gmail dot / +tag variants of a few base addresses, Android emulators,
SMS-activation phones, mobile CGNAT in ID / VN / IN / PH, credits burned in
1-3 days); ``marlin`` (``card_testing``, 0.06 %: 5-40 cards per account on a
few BINs, little traffic).

Truth: ``style`` is the ring style for fraud, for legit accounts the
"+"-joined innocent patterns above (or "plain").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600


def _ts(s: str) -> int:
    return int(np.datetime64(s, "s").astype(np.int64))


T_SIGNUP0 = _ts("2025-04-22T00:00:00")
T_W0 = _ts("2026-04-22T00:00:00")
W_DAYS = 45
T_W1 = T_W0 + W_DAYS * DAY  # exclusive end of the request window
T_END = T_W1
DOW_W0 = int((T_W0 // DAY + 3) % 7)  # Monday = 0


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------
@dataclass
class WorldConfig:
    """Size, seed and every rate of world E (see the module docstring)."""

    accounts: int = 200_000
    seed: int = 1
    # legit sign-up contexts (share of legit accounts; home is the remainder)
    office_share: float = 0.15  # company seats behind office NAT
    campus_share: float = 0.05  # students behind university NAT
    cohort_share: float = 0.015  # bootcamp / hackathon cohorts
    mobile_share: float = 0.25  # mobile sign-ups (x country factor)
    vpn_share: float = 0.065  # VPN / private relay / self-hosted VPS sign-ups
    cgnat_share_of_mobile: float = 0.30  # mobile users on shared CGNAT IPv4
    cgnat_users_per_ip: float = 12.0  # mean sign-ups per CGNAT address (lognormal, 0.4 % hot)
    mobile_login_share: float = 0.15  # logins of anyone from their carrier NAT
    vpn_login_share: float = 0.10  # non-VPN users who sometimes use a VPN
    household_share_of_home: float = 0.22  # home users living in 2-5 account households
    multi_account_share: float = 0.03  # alt accounts of one person (share of all accounts)
    swg_share_of_companies: float = 0.30  # companies (>= 10 seats) behind a shared SWG
    golden_image_share: float = 0.35  # companies (>= 20 seats) with VDI / golden images
    company_card_share: float = 0.45  # companies (>= 3 seats) with corporate cards on seats
    autoscale_company_share: float = 0.05  # orgs using one key from an autoscaling pool
    marketplace_share: float = 0.012  # accounts billed through a marketplace instrument
    cloud_dev_share: float = 0.07  # of active developers: cloud-IDE egress
    ci_share: float = 0.03  # of active developers (x2 among dev / office personas): CI runners
    apps_per_account: float = 1 / 6000  # apps built on "Sign in with Kodama"
    app_end_user_share: float = 0.03  # accounts that are end users of such apps
    public_template_share: float = 0.40  # accounts using public agent templates
    n_public_templates: int = 5000  # Zipf universe of public templates
    launch_wave_share: float = 0.012  # per launch wave (three waves)
    event_share: float = 0.004  # conference sign-ups, total
    reseller_share: float = 0.006  # accounts carrying a reseller's card
    prepaid_share: float = 0.03  # of card holders: prepaid / gift BINs
    virtual_card_share: float = 0.04  # of card holders: fintech virtual-card BINs
    power_user_share: float = 0.02  # of active legit
    dormant_return_share: float = 0.12  # of old, active legit
    fingerprint_collision_share: float = 0.15  # of iOS Safari users
    card_share: float = 0.55  # base share of individuals with a card
    phone_share: float = 0.45  # accounts giving a phone number
    raw_account_share: float = 0.20  # accounts logged raw (count 1, 40 % of them null)
    raw_max_exchanges: int = 300  # above this an account is aggregated hourly anyway
    # fraud
    big_op_accounts: int = 25_000  # distillation operator size at >= big_op_fixed_from
    big_op_fixed_from: int = 500_000
    big_op_share_below: float = 0.025  # its share of accounts below that
    big_op_exchanges: int = 28_800_000  # its exchanges for big_op_accounts (scaled below)
    big_op_styles: dict = field(default_factory=lambda: {
        "farm": 0.16, "stealth": 0.34, "aged": 0.16, "camouflaged": 0.20,
        "fake_seats": 0.08, "cloud_hidden": 0.06})
    fraud_idle_share: float = 0.06  # big-operator accounts without traffic in the window
    low_slow_per_million: int = 300  # nightjar accounts per million (min 20)
    key_resale_share: float = 0.002  # bluefin
    credit_farm_share: float = 0.0015  # kestrel
    card_testing_share: float = 0.0006  # marlin
    # engineering
    chunk_accounts: int = 40_000
    row_group_rows: int = 1_000_000


# --------------------------------------------------------------------------
# static reference data (fixed, independent of the seed)
# --------------------------------------------------------------------------
# code: weight, [(utc offset in the window, p)], {name region: p}, mobile mult
COUNTRY = {
    "US": (0.30, [(-4, .47), (-5, .29), (-6, .07), (-7, .17)],
           {"west": .62, "hisp": .14, "zh": .09, "in": .09, "kr": .03, "jp": .01, "vn": .02}, 0.9),
    "IN": (0.12, [(5.5, 1)], {"in": 1}, 1.6),
    "JP": (0.085, [(9, 1)], {"jp": .97, "west": .03}, 0.8),
    "KR": (0.07, [(9, 1)], {"kr": .98, "west": .02}, 0.9),
    "CA": (0.045, [(-4, .6), (-5, .1), (-6, .1), (-7, .2)],
           {"west": .7, "zh": .12, "in": .12, "kr": .03, "hisp": .03}, 0.9),
    "TW": (0.04, [(8, 1)], {"zh": 1}, 1.0),
    "AU": (0.035, [(10, .8), (8, .1), (9.5, .1)], {"west": .75, "zh": .12, "in": .1, "vn": .03}, 0.9),
    "MX": (0.035, [(-6, .85), (-7, .1), (-5, .05)], {"hisp": 1}, 1.3),
    "SG": (0.025, [(8, 1)], {"zh": .7, "in": .15, "west": .1, "id": .05}, 1.0),
    "HK": (0.025, [(8, 1)], {"zh": .92, "west": .08}, 1.0),
    "GB": (0.03, [(1, 1)], {"west": .85, "in": .1, "zh": .05}, 0.9),
    "DE": (0.025, [(2, 1)], {"west": 1}, 0.8),
    "BR": (0.025, [(-3, 1)], {"hisp": 1}, 1.3),
    "PH": (0.015, [(8, 1)], {"hisp": .5, "west": .5}, 1.8),
    "VN": (0.015, [(7, 1)], {"vn": 1}, 1.6),
    "ID": (0.015, [(7, 1)], {"id": 1}, 1.8),
    "FR": (0.012, [(2, 1)], {"west": 1}, 0.8),
    "NZ": (0.008, [(12, 1)], {"west": 1}, 0.9),
}
CC = list(COUNTRY)
CCI = {c: i for i, c in enumerate(CC)}
NC = len(CC)
REGION = {c: ("NA" if c in ("US", "CA", "MX") else "EU" if c in ("GB", "DE", "FR")
              else "SA" if c == "BR" else "AP") for c in CC}

# asn|org|cc|kind|weight|v4 /16s|v6 /32s|v6 share.   kind: mob res biz cloud
# host vpn relay swg edu.  cc ZZ = global.
_ASN_TEXT = """
21928|T-MOBILE-AS21928|US|mob|40|172.56 172.58 172.59 172.32 172.33 172.34|2607:fb90 2607:fb91 2607:fb92|0.9
22394|CELLCO-PART|US|mob|33|174.192 174.193 174.205 174.208 174.215 97.32|2600:1000 2600:1010 2600:1012 2600:1017|0.75
20057|ATT-MOBILITY-LLC-AS20057|US|mob|27|107.77 107.115 166.137 166.196 166.205 166.170|2600:380 2600:387 2600:381|0.6
7922|COMCAST-7922|US|res|30|73.15 73.93 73.158 73.202 24.5 24.12 98.33 98.207 67.160 69.181 76.21 71.56 50.78 68.36|2601:640 2601:19b 2601:282 2601:5c2 2601:2c1 2601:147|0.6
20115|CHARTER-20115|US|res|22|66.91 71.84 76.167 97.94 47.146 24.176 70.92 174.101 104.35 107.184|2603:6000 2603:8000 2603:7080 2603:9000|0.45
7018|ATT-INTERNET4|US|res|14|99.105 104.187 107.193 108.228 76.220 75.21 162.232 172.5|2600:1700 2600:1702|0.5
701|UUNET|US|res|10|71.105 72.89 96.241 108.46 173.66 100.36 98.109|2600:4040 2600:4041|0.3
22773|ASN-CXA-ALL-CCI-22773-RDC|US|res|7|68.101 70.173 98.160 72.211 184.176|2600:8800 2600:8801|0.4
209|CENTURYLINK-US-LEGACY-QWEST|US|res|5|63.224 71.208 75.160 97.117 174.16||0
5650|FRONTIER-FRTR|US|res|5|47.144 50.47 74.40 108.4 47.153||0
7029|WINDSTREAM|US|res|2|162.39 173.187 98.16||0
14593|SPACEX-STARLINK|US|res|2|98.97 129.222 143.105|2605:59c8|0.5
16591|GOOGLE-FIBER|US|res|2|136.32 104.132|2605:a601|0.7
6461|ZAYO-6461|US|biz|25|64.125 208.185 216.200 128.177||0
174|COGENT-174|US|biz|20|38.104 38.140 38.122 154.6||0
3356|LEVEL3|US|biz|20|4.14 8.9 63.209 4.53|2001:1900|0.2
7922|COMCAST-7922|US|biz|20|50.203 50.226 96.94 173.8|2603:3024|0.3
701|UUNET|US|biz|15|65.196 63.118 137.39||0
812|ROGERS-COMMUNICATIONS|CA|mob|40|174.88 99.230 72.143|2607:fea8|0.4
852|ASN852|CA|mob|35|154.5 75.155 207.102|2001:568|0.5
577|BACOM|CA|mob|25|70.26 184.151 64.229||0
812|ROGERS-COMMUNICATIONS|CA|res|30|99.224 99.225 174.112 24.114 72.136|2607:fea8:1000|0.4
577|BACOM|CA|res|25|70.24 70.48 74.12 142.112 69.159||0
852|ASN852|CA|res|20|154.20 75.152 96.48 108.172|2001:569|0.5
5769|VIDEOTRON|CA|res|12|24.200 24.201 24.202 70.80|2607:fa48|0.3
6327|SHAW|CA|res|13|68.144 70.64 24.64 174.0||0
577|BACOM|CA|biz|1|206.47 209.226||0
28403|RadioMovil Dipsa, S.A. de C.V.|MX|mob|70|189.203 187.161 201.144 200.68|2806:10be 2806:10ae|0.3
11888|AT&T COMUNICACIONES DIGITALES, S. DE R.L.|MX|mob|30|187.212 189.217||0
8151|Uninet S.A. de C.V.|MX|res|55|187.188 189.150 201.141 177.249 189.172 187.137|2806:103e 2806:106e|0.3
22884|TOTAL PLAY TELECOMUNICACIONES SA DE CV|MX|res|25|187.189 189.204 177.226||0
13999|Mega Cable, S.A. de C.V.|MX|res|20|187.190 201.174 177.230||0
8151|Uninet S.A. de C.V.|MX|biz|1|200.57 148.240||0
9605|NTT DOCOMO, INC.|JP|mob|38|1.72 1.73 1.75 49.96 49.98 49.104|2001:268 2001:269|0.6
2516|KDDI CORPORATION|JP|mob|30|106.128 106.130 106.133 182.248 27.85|2001:240|0.6
17676|SoftBank Corp.|JP|mob|24|126.33 126.193 126.212 126.254|2400:2410 2400:2411|0.5
138384|Rakuten Mobile,Inc.|JP|mob|8|133.106 101.102|2400:2200|0.7
4713|NTT Communications Corporation|JP|res|30|153.139 153.156 153.246 114.155 180.35 122.26|2400:4050 2400:4051|0.5
2527|Sony Network Communications Inc.|JP|res|18|118.240 220.208 114.158 115.36|2400:2650|0.6
2516|KDDI CORPORATION|JP|res|22|106.72 111.239 27.82 125.203|240f:7a 240f:7b|0.7
2518|BIGLOBE Inc.|JP|res|14|133.204 114.190 180.0 61.112|2404:7a80 2404:7a81|0.5
17511|OPTAGE Inc.|JP|res|8|121.118 110.233 180.145|2405:6580|0.5
2497|Internet Initiative Japan Inc.|JP|res|8|210.138 202.232 210.149|2001:240:2400|0.4
2497|Internet Initiative Japan Inc.|JP|biz|40|210.130 202.214||0
4713|NTT Communications Corporation|JP|biz|60|61.114 210.159 124.32||0
9644|SK Telecom|KR|mob|45|223.38 223.39 223.62 27.160|2001:2d8|0.5
4766|Korea Telecom|KR|mob|32|39.7 110.70 175.223|2001:e60|0.4
17858|LG POWERCOMM|KR|mob|23|106.101 106.102 117.111|2001:4430|0.5
4766|Korea Telecom|KR|res|42|121.128 175.192 220.72 211.36 118.37 14.32|2001:e60:a000|0.3
9318|SK Broadband Co Ltd|KR|res|30|58.140 112.148 1.224 180.65 218.38||0
3786|LG DACOM Corporation|KR|res|28|112.169 125.128 58.232 211.234|2001:4430:c000|0.3
4766|Korea Telecom|KR|biz|1|211.43 210.96||0
24158|Taiwan Mobile Co., Ltd.|TW|mob|35|49.216 49.217 39.9 223.136||0
3462|Data Communication Business Group|TW|mob|40|1.160 101.10 114.36|2001:b011|0.3
4780|Digital United Inc.|TW|mob|25|27.242 39.12 27.246||0
3462|Data Communication Business Group|TW|res|70|36.224 111.240 114.24 118.160 220.128 1.34 61.228|2001:b011:8000|0.3
9924|Taiwan Fixed Network, Telco and Network Service Provider.|TW|res|30|59.120 61.218 210.242||0
3462|Data Communication Business Group|TW|biz|1|211.72 203.69||0
7473|Singapore Telecommunications Ltd|SG|mob|45|116.86 58.182|2406:3003|0.4
4773|MobileOne Ltd. Mobile/Internet Service Provider Singapore|SG|mob|25|111.65 119.56||0
4657|StarHub Ltd|SG|mob|30|27.125 202.156||0
9506|Singtel Fibre Broadband|SG|res|40|118.200 175.156 116.15|2406:3003:2000|0.4
4657|StarHub Ltd|SG|res|25|58.96 101.127 203.116||0
56300|MyRepublic Ltd.|SG|res|20|49.245 103.6 27.104|2406:3400|0.5
4773|MobileOne Ltd. Mobile/Internet Service Provider Singapore|SG|res|15|112.199 202.65||0
7473|Singapore Telecommunications Ltd|SG|biz|1|203.125 165.21||0
9231|China Mobile Hong Kong Company Limited|HK|mob|40|223.104 117.136 120.244|2402:4e00:5000|0.2
4760|HKT Limited|HK|mob|35|112.118 1.64 42.3||0
17924|SmarTone Mobile Communications Ltd|HK|mob|25|119.246 183.178||0
9269|Hong Kong Broadband Network Ltd.|HK|res|45|218.102 218.103 61.92 180.218|2403:c80|0.3
4760|HKT Limited|HK|res|35|112.119 42.2 1.65 14.0||0
9304|HGC Global Communications Limited|HK|res|20|59.148 116.48 118.140||0
4760|HKT Limited|HK|biz|1|203.198 210.176||0
1221|Telstra Corporation Ltd|AU|mob|50|1.128 1.136 49.176 101.112|2001:8004 2001:8003|0.6
4804|Microplex PTY LTD|AU|mob|32|49.195 49.184 211.30||0
133612|Vodafone Australia Pty Ltd|AU|mob|18|27.32 1.40 101.186||0
1221|Telstra Corporation Ltd|AU|res|40|58.160 120.145 124.176 101.191|2001:8003:a000|0.4
7545|TPG Telecom Limited|AU|res|30|203.219 110.174 220.235 14.200|2403:5800|0.3
4764|Aussie Broadband|AU|res|18|103.224 180.150 159.196|2403:580|0.6
4804|Microplex PTY LTD|AU|res|12|49.180 211.26 115.64||0
7545|TPG Telecom Limited|AU|biz|1|203.26 202.7||0
55836|Reliance Jio Infocomm Limited|IN|mob|52|49.32 49.34 49.36 49.37 157.32 157.34 157.35 157.45|2409:4040 2409:4050 2409:4060 2409:4070 2409:40c0|0.9
45609|Bharti Airtel Ltd. AS for GPRS Service|IN|mob|33|106.192 106.193 106.195 106.205 223.178|2401:4900|0.6
38266|Vodafone Idea Ltd|IN|mob|15|42.104 42.105 42.106 49.15|2402:3a80|0.4
24560|Bharti Airtel Ltd., Telemedia Services|IN|res|35|122.161 122.171 182.64 171.61|2401:4900:1c00|0.4
24309|Atria Convergence Technologies Pvt. Ltd.|IN|res|22|49.205 49.206 49.207 106.51|2406:7400|0.3
55836|Reliance Jio Infocomm Limited|IN|res|25|49.43 49.44 152.58 136.232|2405:201|0.8
9829|National Internet Backbone|IN|res|10|117.193 117.200 59.88 61.3||0
17488|Hathway IP Over Cable Internet|IN|res|8|183.82 183.83 103.228||0
24560|Bharti Airtel Ltd., Telemedia Services|IN|biz|1|115.110 125.19||0
2856|British Telecommunications PLC|GB|res|35|86.128 81.129 109.144 31.48|2a00:23c6 2a00:23c7|0.5
5089|Virgin Media Limited|GB|res|30|82.24 86.0 92.232 81.100||0
5607|Sky UK Limited|GB|res|25|90.192 2.96 5.64|2a02:c7c|0.8
12576|EE Limited|GB|mob|50|31.94 2.24 92.40|2a00:23ee|0.3
25135|Vodafone Limited|GB|mob|50|82.132 148.252 31.72||0
2856|British Telecommunications PLC|GB|biz|1|217.38 213.120||0
3320|Deutsche Telekom AG|DE|res|50|79.192 87.128 91.0 93.192 80.128|2003:e3 2003:c2 2003:f1|0.7
3209|Vodafone GmbH|DE|res|35|88.64 95.88 178.200|2a02:8108|0.6
6805|Telefonica Germany GmbH & Co.OHG|DE|mob|45|82.113 77.3 176.0||0
3320|Deutsche Telekom AG|DE|mob|55|80.187 109.40|2a01:598|0.6
3320|Deutsche Telekom AG|DE|biz|1|217.6 62.153||0
28573|Claro NXT Telecomunicacoes Ltda|BR|res|40|177.32 179.108 189.4 187.64|2804:14c|0.5
18881|TELEFONICA BRASIL S.A|BR|res|35|177.68 189.100 200.158|2804:7f0|0.5
26615|TIM SA|BR|mob|50|177.112 191.51 179.230|2804:18|0.4
18881|TELEFONICA BRASIL S.A|BR|mob|50|177.79 187.26 177.184||0
28573|Claro NXT Telecomunicacoes Ltda|BR|biz|1|200.155 201.76||0
9299|Philippine Long Distance Telephone Company|PH|res|50|112.198 112.203 122.2 124.104||0
132199|Globe Telecom Inc.|PH|mob|55|49.144 49.145 112.207 131.226|2001:4454|0.3
10139|Smart Broadband, Inc.|PH|mob|45|110.54 180.190 175.176||0
132199|Globe Telecom Inc.|PH|res|50|112.206 120.28 136.158||0
7552|Viettel Group|VN|mob|60|27.64 27.65 116.96 171.224|2402:800|0.5
45899|VNPT Corp|VN|res|50|113.160 113.161 14.160 123.16|2405:4800|0.3
18403|FPT Telecom Company|VN|res|50|42.112 42.113 58.186 118.69|2405:4803|0.5
45899|VNPT Corp|VN|mob|40|113.185 14.231||0
23693|PT. Telekomunikasi Selular|ID|mob|60|114.122 114.124 182.0 182.2|2001:448a|0.4
4761|INDOSAT-INP-AP INDOSAT Internet Network Provider|ID|mob|40|114.4 114.5 202.67||0
7713|PT Telekomunikasi Indonesia|ID|res|70|36.65 36.68 36.71 125.160 180.241||0
4761|INDOSAT-INP-AP INDOSAT Internet Network Provider|ID|res|30|114.79 202.155||0
3215|Orange|FR|res|40|90.3 86.246 92.184 2.7|2a01:cb00 2a01:cb14|0.6
12322|Free SAS|FR|res|35|82.64 88.120 78.192|2a01:e0a|0.9
51207|Free Mobile SAS|FR|mob|50|37.171 37.166|2a0d:e487|0.7
3215|Orange|FR|mob|50|90.0 92.0||0
4771|Spark New Zealand Trading Ltd.|NZ|res|50|121.98 122.56 125.236|2407:7000|0.5
9500|One New Zealand Group Limited|NZ|mob|60|49.224 27.252||0
4771|Spark New Zealand Trading Ltd.|NZ|mob|40|202.180 121.99||0
9500|One New Zealand Group Limited|NZ|res|50|101.98 115.188||0
16509|AMAZON-02|ZZ|cloud|30|3.80 3.88 3.101 18.116 18.204 44.192 52.14 52.53 54.144 54.183 13.52 35.80|2600:1f18 2600:1f14|0.1
14618|AMAZON-AES|ZZ|cloud|15|3.208 44.200 52.2 54.80 54.210 34.224|2600:1f10|0.05
396982|GOOGLE-CLOUD-PLATFORM|ZZ|cloud|20|34.16 34.82 34.125 35.188 35.203 35.224 34.168 35.236|2600:1900|0.05
8075|MICROSOFT-CORP-MSN-AS-BLOCK|ZZ|cloud|20|20.42 20.55 20.102 20.163 20.172 40.76 13.64 4.150 20.98 52.191 172.190|2603:1030|0.05
31898|ORACLE-BMC-31898|ZZ|cloud|4|129.146 132.145 150.136 140.238||0
45102|Alibaba (US) Technology Co., Ltd.|ZZ|cloud|4|47.74 47.88 47.236 8.209||0
132203|Tencent Building, Kejizhongyi Avenue|ZZ|cloud|3|43.128 43.153 101.32 129.226 150.109||0
13335|CLOUDFLARENET|ZZ|cloud|4|104.23 172.71 162.158|2a06:98c0|0.5
14061|DIGITALOCEAN-ASN|ZZ|host|25|159.89 161.35 167.99 134.209 64.227 138.68 143.198 146.190 164.90 165.22|2604:a880|0.1
24940|Hetzner Online GmbH|ZZ|host|22|5.9 78.46 88.198 95.216 116.202 135.181 138.201 157.90 65.108 65.21|2a01:4f8 2a01:4f9|0.1
16276|OVH SAS|ZZ|host|18|51.38 51.68 51.77 51.91 54.36 54.38 145.239 146.59 141.94|2001:41d0|0.1
20473|AS-CHOOPA|ZZ|host|15|45.32 45.63 45.76 45.77 140.82 149.28 155.138 207.148 66.42|2001:19f0|0.1
63949|Akamai Connected Cloud|ZZ|host|12|45.33 45.56 45.79 139.162 172.104 172.105 139.177 173.255|2600:3c00|0.1
36352|AS-COLOCROSSING|ZZ|host|8|23.94 107.172 192.3 198.23||0
9009|M247 Europe SRL|ZZ|vpn|30|37.120 146.70 89.38 194.37 38.132||0
207137|PacketHub S.A.|ZZ|vpn|25|185.202 196.240 91.219||0
60068|Datacamp Limited|ZZ|vpn|20|89.187 143.244 156.146 195.181 212.102||0
62371|Proton AG|ZZ|vpn|15|185.159 149.88 79.135||0
39351|31173 Services AB|ZZ|vpn|10|193.138 185.65 185.213||0
36183|AKAMAI-AS|ZZ|relay|55|172.224 172.225 172.226 146.75|2a02:26f7|0.5
13335|CLOUDFLARENET|ZZ|relay|45|104.28 104.30 162.120|2a09:bac0 2a09:bac1 2a09:bac5|0.6
53813|ZSCALER-INC|ZZ|swg|70|165.225 136.226 147.161 170.85||0
55256|NETSKOPE|ZZ|swg|30|163.116 162.10 8.36||0
32|STANFORD|US|edu|10|171.64 171.66||0
25|UCB|US|edu|10|128.32 169.229||0
3|MIT-GATEWAYS|US|edu|8|18.7 18.29||0
9|CMU-ROUTER|US|edu|8|128.2 128.237||0
36375|UMICH-AS-5|US|edu|8|141.211 141.213||0
73|WASHINGTON-AS|US|edu|8|128.95 205.175||0
2637|GEORGIA-TECH|US|edu|8|128.61 143.215||0
18|UTEXAS|US|edu|8|128.83 146.6||0
38|UIUC|US|edu|8|130.126 192.17||0
7377|UCSD|US|edu|8|132.239 137.110||0
52|UCLA|US|edu|8|131.179 164.67||0
12|NYU-DOMAIN|US|edu|6|128.122 216.165||0
17|PURDUE|US|edu|6|128.10 128.211||0
239|UTORONTO-AS|CA|edu|40|128.100 142.150||0
271|BCNET|CA|edu|30|137.82 142.103||0
12093|UWATERLOO|CA|edu|30|129.97 129.98||0
278|Universidad Nacional Autonoma de Mexico|MX|edu|60|132.247 132.248||0
18592|Instituto Tecnologico y de Estudios Superiores de Monterrey|MX|edu|40|131.178 187.209||0
2907|Research Organization of Information and Systems, National Institute of Informatics|JP|edu|100|133.11 133.1 157.82 130.54 130.34 133.9||0
17579|KISTI|KR|edu|100|134.75 143.248 147.46 147.47||0
1659|Taiwan Academic Network (TANet) Information Center|TW|edu|100|140.112 140.113 140.114 140.116||0
7610|NUS-AS-AP National University of Singapore|SG|edu|60|137.132 137.131||0
24516|Nanyang Technological University|SG|edu|40|155.69||0
3662|The Joint University Computer Centre|HK|edu|100|147.8 143.89 158.132 144.214||0
7575|Australian Academic and Research Network|AU|edu|100|128.250 129.94 130.56 130.194||0
55824|National Knowledge Network|IN|edu|100|14.139 103.21 14.98||0
786|Jisc Services Limited|GB|edu|100|131.111 129.67 163.1 128.40||0
680|Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.|DE|edu|100|141.84 129.187 134.96 130.83||0
1916|Associacao Rede Nacional de Ensino e Pesquisa|BR|edu|100|143.107 150.161 200.131||0
2200|Renater|FR|edu|100|129.104 193.54 134.157||0
38022|REANNZ|NZ|edu|100|130.216 132.181||0
"""

# university mail domains per edu ASN
EDU_DOMAINS = {
    32: ["stanford.edu"], 25: ["berkeley.edu"], 3: ["mit.edu"], 9: ["andrew.cmu.edu"],
    36375: ["umich.edu"], 73: ["uw.edu"], 2637: ["gatech.edu"], 18: ["utexas.edu"],
    38: ["illinois.edu"], 7377: ["ucsd.edu"], 52: ["g.ucla.edu"], 12: ["nyu.edu"],
    17: ["purdue.edu"], 239: ["mail.utoronto.ca"], 271: ["student.ubc.ca"],
    12093: ["uwaterloo.ca"], 278: ["comunidad.unam.mx", "alumno.ipn.mx"],
    18592: ["tec.mx"],
    2907: ["g.ecc.u-tokyo.ac.jp", "st.kyoto-u.ac.jp", "m.titech.ac.jp", "keio.jp", "akane.waseda.jp",
           "ecs.osaka-u.ac.jp", "s.tohoku.ac.jp"],
    17579: ["snu.ac.kr", "kaist.ac.kr", "yonsei.ac.kr", "korea.ac.kr", "postech.ac.kr", "g.skku.edu"],
    1659: ["ntu.edu.tw", "nycu.edu.tw", "gapp.nthu.edu.tw", "gs.ncku.edu.tw"],
    7610: ["u.nus.edu"], 24516: ["e.ntu.edu.sg"],
    3662: ["connect.hku.hk", "link.cuhk.edu.hk", "connect.ust.hk", "connect.polyu.hk"],
    7575: ["student.unimelb.edu.au", "uni.sydney.edu.au", "ad.unsw.edu.au", "anu.edu.au", "student.monash.edu"],
    55824: ["iitb.ac.in", "iitd.ac.in", "iisc.ac.in", "pilani.bits-pilani.ac.in", "vitstudent.ac.in", "smail.iitm.ac.in"],
    786: ["cam.ac.uk", "ox.ac.uk", "ucl.ac.uk", "imperial.ac.uk", "ed.ac.uk"],
    680: ["tum.de", "campus.lmu.de", "rwth-aachen.de", "student.kit.edu"],
    1916: ["usp.br", "dac.unicamp.br", "poli.ufrj.br"],
    2200: ["polytechnique.edu", "etu.sorbonne-universite.fr", "ens.psl.eu"],
    38022: ["aucklanduni.ac.nz", "uclive.ac.nz"],
}


def _parse_asns():
    rows = [r.split("|") for r in _ASN_TEXT.strip().splitlines()]
    asn, org, cc, kind, w, v4off, v4a, v4b, v6off, v6p, v6s = ([] for _ in range(11))
    for r in rows:
        asn.append(int(r[0]))
        org.append(r[1])
        cc.append(r[2])
        kind.append(r[3])
        w.append(float(r[4]))
        pre = [p for p in r[5].split() if p.count(".") == 1]  # drop anything not a /16
        v4off.append(len(v4a))
        for p in pre:
            a, b = p.split(".")
            v4a.append(int(a))
            v4b.append(int(b))
        v6 = r[6].split()
        v6off.append(len(v6p))
        v6p.extend(v6)
        v6s.append(float(r[7]) if v6 else 0.0)
    n4 = np.diff(np.array(v4off + [len(v4a)]))
    n6 = np.diff(np.array(v6off + [len(v6p)]))
    return dict(asn=np.array(asn, np.int64), org=org, cc=np.array(cc), kind=np.array(kind),
                w=np.array(w), v4off=np.array(v4off), v4n=n4, v4a=np.array(v4a), v4b=np.array(v4b),
                v6off=np.array(v6off), v6n=n6, v6p=v6p, v6share=np.array(v6s))


ASN = _parse_asns()


def _asn_rows(cc: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
    m = (ASN["cc"] == cc) & (ASN["kind"] == kind)
    if not m.any():
        m = (ASN["cc"] == cc) & (ASN["kind"] == ("res" if kind != "res" else "mob"))
    idx = np.flatnonzero(m)
    w = ASN["w"][idx]
    return idx, w / w.sum()


# ---- names -----------------------------------------------------------------
NAMES = {
    "west": ("james john robert michael william david richard joseph thomas chris daniel matthew "
             "anthony mark steven paul andrew joshua kevin brian george tim ryan jacob nick eric "
             "jonathan justin scott brandon ben sam alex adam nathan zach kyle ethan noah liam "
             "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy "
             "emily emma olivia ava sophia mia amelia hannah grace chloe zoe lily ella megan "
             "rachel laura amy anna kate julia claire lucy alice ruby",
             "smith johnson williams brown jones miller davis wilson anderson taylor thomas moore "
             "martin jackson thompson white harris clark lewis robinson walker young allen king "
             "wright scott hill green adams baker nelson carter mitchell roberts turner phillips "
             "campbell parker evans edwards collins stewart morris murphy cook rogers morgan cooper "
             "peterson reed bailey bell kelly howard ward cox richardson wood watson brooks "
             "bennett gray james hughes price sanders myers long ross foster powell jenkins "
             "perry russell sullivan fisher henderson hayes graham wallace west cole"),
    "hisp": ("jose juan luis carlos jorge miguel alejandro fernando ricardo eduardo francisco "
             "diego javier daniel andres pablo sergio manuel raul oscar rafael gabriel mateo "
             "santiago emiliano maria guadalupe ana sofia valentina camila fernanda daniela "
             "mariana gabriela andrea paola lucia isabella ximena natalia regina victoria "
             "carolina alejandra joao pedro lucas gustavo thiago bruna leticia larissa",
             "garcia hernandez martinez lopez gonzalez rodriguez perez sanchez ramirez cruz "
             "flores gomez morales vazquez reyes jimenez torres diaz gutierrez ruiz mendoza "
             "aguilar ortiz castillo romero alvarez moreno chavez rivera ramos silva santos "
             "oliveira souza costa pereira ferreira almeida carvalho ribeiro"),
    "jp": ("hiroshi takashi kenji yuki daisuke shota ryota kenta yusuke takuya kazuki haruto "
           "sota yuto ren kaito riku yamato naoki satoshi akira tomoya kohei shun taro "
           "yui aoi hina sakura yuna mio rin saki ayaka misaki haruka nanami mai yuka emi "
           "kaori megumi asuka natsuki miyu",
           "sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato "
           "yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki "
           "mori abe ikeda hashimoto ishikawa ogawa okada goto hasegawa murakami kondo "
           "ishii saito sakamoto endo aoki fujii nishimura fukuda ota"),
    "kr": ("minjun seojun doyun yejun siwoo hajun jiho junseo jiwoo hyunwoo jihoon donghyun "
           "sungmin jaewon taeyang seungho youngjae minho jinwoo kyungsoo seoyeon seoyun "
           "jiwon minseo haeun yuna jimin subin eunji soyeon hyejin yejin dahye jieun "
           "sujin minji nayeon chaeyoung",
           "kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn "
           "song yoo hong jeon ko moon yang son bae baek heo nam"),
    "zh": ("wei jie hao yu chen ming jun tao lei peng kai bo xin yi ting hui ling mei yan "
           "fang jing xiaoming zhiwei junjie weiting yuchen kaiwen chihao kaho wingyan "
           "hoiyan chunman yee tszho hiuyan jiaying yixuan zihan haoran yichen",
           "chen lin wang huang chang lee wong chan tan lim ng liu yang wu cheng tsai "
           "ho lau leung cheung kwok teo goh koh zhang li zhao zhou xu sun ma"),
    "in": ("aarav vihaan arjun sai reyansh ayaan krishna ishaan rohan rahul amit vikram "
           "sandeep rajesh suresh karthik pranav aditya siddharth harsh nikhil varun "
           "ananya diya aadhya saanvi pooja priya neha divya sneha kavya shreya riya "
           "anjali meera lakshmi swati nandini",
           "sharma verma gupta singh kumar patel shah mehta reddy rao iyer nair menon "
           "pillai das bose chatterjee banerjee mukherjee joshi kulkarni deshpande jain "
           "agarwal malhotra kapoor chopra bhat hegde naidu"),
    "vn": ("anh minh huy khoa long nam phuc quang thanh trung tuan viet duc hoang hai "
           "linh lan mai ngoc phuong thao trang vy yen hoa",
           "nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly"),
    "id": ("agus budi dedi eko fajar hendra joko rizky wahyu andi bayu dimas putra "
           "sari dewi putri ayu rina siti wulan indah fitri nur",
           "santoso wijaya saputra pratama hidayat kusuma nugroho setiawan gunawan "
           "purnomo susanto halim wibowo lestari rahman"),
}
REGIONS = list(NAMES)
_FIRST = [np.array(NAMES[r][0].split()) for r in REGIONS]
_LAST = [np.array(NAMES[r][1].split()) for r in REGIONS]
WORDS = ("quiet swift lazy brave cosmic pixel neon rusty silent lucky tiny mega ultra hyper "
         "shadow crimson azure golden frosty sunny stormy fuzzy wild happy clever sleepy "
         "fox wolf otter panda tiger koala falcon raven badger lynx byte bit stack heap "
         "kernel lambda vector tensor null void ninja wizard coder hacker dev builder "
         "monk sage ghost rover comet nova orbit atlas delta zen kumo sora mochi tofu").split()

# ---- e-mail providers per country (personal) -------------------------------
PROVIDERS = {
    "US": "gmail.com:52 outlook.com:5 hotmail.com:4 yahoo.com:5 icloud.com:9 proton.me:2 protonmail.com:1 aol.com:1 me.com:1 hey.com:.5 fastmail.com:.5",
    "IN": "gmail.com:86 yahoo.co.in:4 outlook.com:4 rediffmail.com:2 hotmail.com:2 icloud.com:2",
    "JP": "gmail.com:52 yahoo.co.jp:16 icloud.com:10 outlook.jp:4 hotmail.co.jp:3 docomo.ne.jp:3 ezweb.ne.jp:2 softbank.ne.jp:2 nifty.com:2 i.softbank.jp:1",
    "KR": "naver.com:45 gmail.com:38 daum.net:6 hanmail.net:5 kakao.com:3 nate.com:3",
    "CA": "gmail.com:55 hotmail.com:8 outlook.com:7 yahoo.ca:5 icloud.com:10 shaw.ca:3 rogers.com:3 proton.me:3 live.ca:3 sympatico.ca:3",
    "TW": "gmail.com:65 yahoo.com.tw:12 hotmail.com:9 outlook.com:5 icloud.com:5 msa.hinet.net:4",
    "AU": "gmail.com:55 outlook.com:8 hotmail.com:8 bigpond.com:6 icloud.com:12 yahoo.com.au:6 optusnet.com.au:2 proton.me:3",
    "MX": "gmail.com:55 hotmail.com:20 outlook.com:10 yahoo.com.mx:7 icloud.com:5 live.com.mx:3",
    "SG": "gmail.com:68 hotmail.com:10 yahoo.com.sg:6 icloud.com:8 outlook.com:5 qq.com:3",
    "HK": "gmail.com:60 yahoo.com.hk:10 hotmail.com:10 icloud.com:8 qq.com:5 163.com:3 outlook.com:4",
    "GB": "gmail.com:50 hotmail.co.uk:10 outlook.com:10 yahoo.co.uk:6 icloud.com:12 btinternet.com:5 live.co.uk:4 proton.me:3",
    "DE": "gmail.com:35 gmx.de:20 web.de:18 t-online.de:7 outlook.de:6 posteo.de:4 proton.me:5 icloud.com:5",
    "BR": "gmail.com:70 hotmail.com:12 outlook.com:8 yahoo.com.br:5 icloud.com:5",
    "PH": "gmail.com:80 yahoo.com:10 outlook.com:5 icloud.com:5",
    "VN": "gmail.com:85 yahoo.com.vn:5 outlook.com:5 icloud.com:5",
    "ID": "gmail.com:85 yahoo.co.id:7 outlook.com:5 icloud.com:3",
    "FR": "gmail.com:50 orange.fr:10 hotmail.fr:10 free.fr:8 outlook.fr:7 yahoo.fr:5 laposte.net:5 proton.me:5",
    "NZ": "gmail.com:50 xtra.co.nz:10 outlook.com:10 icloud.com:12 hotmail.com:10 yahoo.co.nz:8",
}
PROV = {c: ([p.split(":")[0] for p in s.split()], np.array([float(p.split(":")[1]) for p in s.split()]))
        for c, s in PROVIDERS.items()}
COMPANY_TLD = {"US": ["com", "io", "ai", "dev", "co"], "IN": ["in", "co.in", "com", "io"],
               "JP": ["co.jp", "jp", "com"], "KR": ["co.kr", "com", "kr"], "CA": ["ca", "com", "io"],
               "TW": ["com.tw", "tw", "com"], "AU": ["com.au", "io", "com"], "MX": ["com.mx", "mx", "com"],
               "SG": ["com.sg", "sg", "io"], "HK": ["com.hk", "hk", "com"], "GB": ["co.uk", "com", "io"],
               "DE": ["de", "com", "io"], "BR": ["com.br", "com"], "PH": ["com.ph", "ph", "com"],
               "VN": ["vn", "com.vn", "com"], "ID": ["co.id", "id", "com"], "FR": ["fr", "com", "io"],
               "NZ": ["co.nz", "nz", "com"]}
CO_A = ("north blue bright iron cloud data quantum nova apex pixel vector signal lumen harbor "
        "summit cedar maple sakura hana tiger lotus jade coral orbit atlas delta sigma echo "
        "zen kumo sora mirai hyper neo terra aero polar river stone swift green red silver "
        "bit logic pine oak fern kite arc flux").split()
CO_B = ("labs tech soft systems works ai data cloud digital analytics dev logic ware hq "
        "studio networks robotics health pay finance games ops").split()

# ---- phones -----------------------------------------------------------------
US_AREA = [int(a) for a in ("212 213 310 312 347 404 408 415 425 469 503 512 617 619 628 646 650 "
                            "669 702 713 718 720 737 773 786 818 832 858 917 929 949 978 206 303 "
                            "305 480 510 571 602 615 678 704 720 724 512 614 919 984").split()]
CA_AREA = [416, 437, 647, 604, 778, 514, 438, 613, 403, 587, 905, 289, 780, 902]


def _phones(rng: np.random.Generator, countries: list[str] | np.ndarray,
            style: np.ndarray | None = None) -> list[str]:
    """Phone numbers as users type them: E.164, spaced E.164 or local."""
    n = len(countries)
    d = rng.integers(0, 10, size=(n, 11))
    st = rng.choice(3, size=n, p=[.5, .15, .35]) if style is None else style
    pk = rng.integers(0, 1 << 30, size=n)
    out = []
    for i in range(n):
        c = countries[i]
        s = "".join(map(str, d[i]))
        k = int(pk[i])
        t = st[i]
        if c in ("US", "CA"):
            ar = (US_AREA if c == "US" else CA_AREA)[k % (len(US_AREA) if c == "US" else len(CA_AREA))]
            ex = 200 + k % 800
            ln = s[:4]
            out.append(f"+1{ar}{ex}{ln}" if t == 0 else f"+1 {ar}-{ex}-{ln}" if t == 1 else
                       (f"({ar}) {ex}-{ln}" if k & 1 else f"{ar}-{ex}-{ln}" if k & 2 else f"{ar}{ex}{ln}"))
        elif c == "JP":
            p = ("90", "80", "70")[k % 3]
            out.append(f"+81{p}{s[:8]}" if t == 0 else f"+81 {p}-{s[:4]}-{s[4:8]}" if t == 1 else
                       f"0{p}-{s[:4]}-{s[4:8]}" if k & 1 else f"0{p}{s[:8]}")
        elif c == "KR":
            out.append(f"+8210{s[:8]}" if t == 0 else f"+82 10-{s[:4]}-{s[4:8]}" if t == 1 else
                       f"010-{s[:4]}-{s[4:8]}" if k & 1 else f"010{s[:8]}")
        elif c == "TW":
            out.append(f"+8869{s[:8]}" if t == 0 else f"+886 9{s[:2]} {s[2:5]} {s[5:8]}" if t == 1 else
                       f"09{s[:2]}-{s[2:5]}-{s[5:8]}" if k & 1 else f"09{s[:8]}")
        elif c in ("HK", "SG"):
            f0 = ("5", "6", "9")[k % 3] if c == "HK" else ("8", "9")[k % 2]
            cc = "852" if c == "HK" else "65"
            out.append(f"+{cc}{f0}{s[:7]}" if t == 0 else f"+{cc} {f0}{s[:3]} {s[3:7]}" if t == 1 else
                       f"{f0}{s[:3]} {s[3:7]}" if k & 1 else f"{f0}{s[:7]}")
        elif c == "AU":
            out.append(f"+614{s[:8]}" if t == 0 else f"+61 4{s[:2]} {s[2:5]} {s[5:8]}" if t == 1 else
                       f"04{s[:2]} {s[2:5]} {s[5:8]}" if k & 1 else f"04{s[:8]}")
        elif c == "IN":
            f0 = "6789"[k % 4]
            out.append(f"+91{f0}{s[:9]}" if t == 0 else f"+91 {f0}{s[:4]} {s[4:9]}" if t == 1 else
                       f"{f0}{s[:4]} {s[4:9]}" if k & 1 else (f"0{f0}{s[:9]}" if k & 2 else f"{f0}{s[:9]}"))
        elif c == "MX":
            ar = ("55", "33", "81", "442", "222", "664")[k % 6]
            rest = s[:10 - len(ar)]
            out.append(f"+52{ar}{rest}" if t == 0 else f"+52 {ar} {rest[:-4]} {rest[-4:]}" if t == 1 else
                       f"{ar} {rest[:-4]} {rest[-4:]}")
        elif c == "GB":
            out.append(f"+447{s[:9]}" if t == 0 else f"+44 7{s[:3]} {s[3:9]}" if t == 1 else f"07{s[:3]} {s[3:9]}")
        elif c == "DE":
            p = ("151", "152", "157", "160", "162", "170", "171", "172", "176", "179")[k % 10]
            out.append(f"+49{p}{s[:8]}" if t == 0 else f"+49 {p} {s[:8]}" if t == 1 else f"0{p} {s[:8]}")
        elif c == "BR":
            ar = ("11", "21", "31", "41", "51", "61", "71", "81", "85")[k % 9]
            out.append(f"+55{ar}9{s[:8]}" if t == 0 else f"+55 {ar} 9{s[:4]}-{s[4:8]}" if t == 1 else
                       f"({ar}) 9{s[:4]}-{s[4:8]}")
        elif c == "PH":
            out.append(f"+639{s[:9]}" if t == 0 else f"+63 9{s[:2]} {s[2:5]} {s[5:9]}" if t == 1 else
                       f"09{s[:2]} {s[2:5]} {s[5:9]}")
        elif c == "VN":
            p = ("9", "3", "8", "7")[k % 4]
            out.append(f"+84{p}{s[:8]}" if t == 0 else f"+84 {p}{s[:2]} {s[2:5]} {s[5:8]}" if t == 1 else
                       f"0{p}{s[:2]} {s[2:5]} {s[5:8]}")
        elif c == "ID":
            p = ("812", "813", "821", "852", "857", "878")[k % 6]
            out.append(f"+62{p}{s[:8]}" if t == 0 else f"+62 {p}-{s[:4]}-{s[4:8]}" if t == 1 else
                       f"0{p}-{s[:4]}-{s[4:8]}")
        elif c == "FR":
            p = "67"[k % 2]
            out.append(f"+33{p}{s[:8]}" if t == 0 else f"+33 {p} {s[0:2]} {s[2:4]} {s[4:6]} {s[6:8]}" if t == 1
                       else f"0{p} {s[0:2]} {s[2:4]} {s[4:6]} {s[6:8]}")
        else:  # NZ
            p = ("21", "22", "27")[k % 3]
            out.append(f"+64{p}{s[:7]}" if t == 0 else f"+64 {p} {s[:3]} {s[3:7]}" if t == 1 else
                       f"0{p} {s[:3]} {s[3:7]}")
    return out


def _postals(rng: np.random.Generator, countries) -> list:
    n = len(countries)
    r = rng.integers(0, 1 << 40, size=n)
    L = "ABCEGHJKLMNPRSTVXY"
    out: list = []
    for i in range(n):
        c = countries[i]
        k = int(r[i])
        if c == "US":
            z = f"{1000 + k % 98900:05d}"
            out.append(f"{z}-{(k >> 20) % 10000:04d}" if k % 10 == 0 else z)
        elif c == "CA":
            s = f"{L[k % 18]}{k % 10}{L[(k >> 5) % 18]} {(k >> 9) % 10}{L[(k >> 13) % 18]}{(k >> 17) % 10}"
            out.append(s if k & 1 else s.replace(" ", ""))
        elif c == "JP":
            out.append(f"{100 + k % 900}-{(k >> 10) % 10000:04d}" if k % 4 else f"{100 + k % 900}{(k >> 10) % 10000:04d}")
        elif c in ("KR", "MX", "DE", "FR", "ID"):
            out.append(f"{1000 + k % 98000:05d}")
        elif c == "TW":
            out.append(f"{100 + k % 900}" if k % 3 else f"{100 + k % 900}{(k >> 10) % 1000:03d}")
        elif c in ("SG", "IN", "VN"):
            lo = 100000 if c != "SG" else 10000
            out.append(f"{lo + k % 800000:06d}")
        elif c == "HK":
            out.append(None if k % 10 < 7 else "000000" if k % 10 < 9 else "999077")
        elif c in ("AU", "NZ", "PH"):
            out.append(f"{200 + k % 7800:04d}")
        elif c == "GB":
            a = ("SW", "EC", "N", "E", "M", "B", "LS", "G", "EH", "CB", "OX", "BS")[k % 12]
            out.append(f"{a}{1 + k % 20} {k % 9 + 1}{L[(k >> 8) % 18]}{L[(k >> 12) % 18]}")
        elif c == "BR":
            out.append(f"{1000 + k % 98000:05d}-{(k >> 20) % 1000:03d}")
        else:
            out.append(None)
    return out


# ---- card BINs (fixed universe; the seed does not change it) ----------------
def _build_bins():
    r = np.random.default_rng(20260422)
    brands = {"US": (("4", .55), ("5", .30), ("37", .10), ("6011", .05)),
              "JP": (("4", .45), ("5", .25), ("35", .30)),
              "TW": (("4", .55), ("5", .30), ("35", .15)),
              "HK": (("4", .50), ("5", .35), ("62", .15)),
              "IN": (("4", .45), ("5", .30), ("65", .10), ("60", .10), ("81", .05)),
              "BR": (("4", .45), ("5", .40), ("506", .15)),
              "KR": (("4", .50), ("5", .45), ("37", .05))}
    kinds = (("consumer", "credit", 20), ("debit", "debit", 12), ("commercial", "credit", 5),
             ("prepaid", "prepaid", 3), ("virtual", "debit", 2))
    extra = {"US": {"virtual": 5, "prepaid": 3, "commercial": 3}, "GB": {"virtual": 3},
             "SG": {"virtual": 1}, "JP": {"virtual": 1, "prepaid": 1}}
    bins, bcc, bfund, bkind, bw = [], [], [], [], []
    seen = set()
    for c in CC:
        bm = brands.get(c, (("4", .55), ("5", .40), ("37", .05)))
        for kind, fund, n in kinds:
            n = n + extra.get(c, {}).get(kind, 0)
            for j in range(n):
                while True:
                    pre = bm[r.choice(len(bm), p=[b[1] for b in bm])][0]
                    if pre == "5" and r.random() < .15:
                        pre = str(r.integers(2221, 2721))
                    elif pre == "5":
                        pre = "5" + str(r.integers(1, 6))
                    if kind == "virtual" and pre[0] not in "45":
                        pre = "4"
                    ln = 8 if (pre[0] in "245" and r.random() < .25) else 6
                    b = pre + "".join(str(x) for x in r.integers(0, 10, ln - len(pre)))
                    if b not in seen:
                        seen.add(b)
                        break
                bins.append(b)
                bcc.append(c)
                f = fund if r.random() > .03 else "unknown"
                if kind == "virtual" and r.random() < .4:
                    f = "prepaid"
                bfund.append(f)
                bkind.append(kind)
                bw.append(1.0 / (j + 1) ** 0.9)
    return dict(bin=np.array(bins, dtype=object), cc=np.array(bcc), fund=np.array(bfund, dtype=object),
                kind=np.array(bkind), w=np.array(bw))


BIN = _build_bins()


def _bins(cc: str, kind: str) -> tuple[np.ndarray, np.ndarray]:
    idx = np.flatnonzero((BIN["cc"] == cc) & (BIN["kind"] == kind))
    w = BIN["w"][idx]
    return idx, w / w.sum()


# ---- user agents ----------------------------------------------------------
UA_FAM = ["chrome_win", "chrome_mac", "chrome_linux", "edge_win", "firefox_win", "firefox_mac",
          "firefox_linux", "safari_mac", "ios_safari", "android_chrome", "samsung", "whale_win",
          "ios_chrome", "chrome_win_stale"]
FAM = {f: i for i, f in enumerate(UA_FAM)}
IOS_FAMS = (FAM["ios_safari"], FAM["ios_chrome"])
_SAFARI = [("2025-03-31", "18.4"), ("2025-05-12", "18.5"), ("2025-07-29", "18.6"), ("2025-09-15", "26.0"),
           ("2025-11-03", "26.1"), ("2025-12-12", "26.2"), ("2026-02-10", "26.3"), ("2026-04-01", "26.4"),
           ("2026-05-20", "26.5")]
_SAFARI_T = np.array([_ts(d + "T00:00:00") for d, _ in _SAFARI])
_CHROME0 = _ts("2025-04-29T00:00:00")  # Chrome 136 / Firefox 138


def _ua_string(fam: int, v: int) -> str:
    f = UA_FAM[fam]
    cw = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    cm = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
    if f == "chrome_win":
        return f"{cw} Chrome/{v}.0.0.0 Safari/537.36"
    if f == "chrome_win_stale":
        return f"{cw} Chrome/{v - 16}.0.0.0 Safari/537.36"
    if f == "chrome_mac":
        return f"{cm} Chrome/{v}.0.0.0 Safari/537.36"
    if f == "chrome_linux":
        return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    if f == "edge_win":
        return f"{cw} Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0"
    if f == "whale_win":
        return f"{cw} Chrome/{v}.0.0.0 Whale/4.{v - 106}.{300 + v % 9}.{10 + v % 7} Safari/537.36"
    fv = v + 2
    if f == "firefox_win":
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{fv}.0) Gecko/20100101 Firefox/{fv}.0"
    if f == "firefox_mac":
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{fv}.0) Gecko/20100101 Firefox/{fv}.0"
    if f == "firefox_linux":
        return f"Mozilla/5.0 (X11; Linux x86_64; rv:{fv}.0) Gecko/20100101 Firefox/{fv}.0"
    if f == "android_chrome":
        return (f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{v}.0.0.0 Mobile Safari/537.36")
    if f == "samsung":
        return (f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"SamsungBrowser/{28 + (v - 136) // 4}.0 Chrome/{v - 6}.0.0.0 Mobile Safari/537.36")
    # Safari family: v is an index into _SAFARI
    sv = _SAFARI[min(max(v, 0), len(_SAFARI) - 1)][1]
    ios = sv.replace(".", "_") if sv.startswith("18") else "18_6"  # iOS 26 freezes the OS token
    if f == "safari_mac":
        return (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Version/{sv} Safari/605.1.15")
    if f == "ios_chrome":
        return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"CriOS/{136 + 2 * v}.0.0.0 Mobile/15E148 Safari/604.1")
    return (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{sv} Mobile/15E148 Safari/604.1")


DESKTOP_MIX = {"default": {"chrome_win": .32, "chrome_mac": .30, "chrome_linux": .06, "edge_win": .08,
                           "firefox_win": .03, "firefox_mac": .02, "firefox_linux": .02, "safari_mac": .17},
               "KR": {"chrome_win": .42, "chrome_mac": .22, "edge_win": .12, "whale_win": .16, "safari_mac": .08},
               "JP": {"chrome_win": .34, "chrome_mac": .30, "edge_win": .14, "firefox_win": .04, "safari_mac": .18},
               "IN": {"chrome_win": .55, "chrome_mac": .18, "chrome_linux": .10, "edge_win": .08, "firefox_win": .04,
                      "safari_mac": .05}}
MOBILE_MIX = {"default": {"ios_safari": .38, "ios_chrome": .05, "android_chrome": .45, "samsung": .12},
              "US": {"ios_safari": .52, "ios_chrome": .08, "android_chrome": .30, "samsung": .10},
              "JP": {"ios_safari": .62, "ios_chrome": .06, "android_chrome": .27, "samsung": .05},
              "KR": {"ios_safari": .30, "ios_chrome": .03, "android_chrome": .30, "samsung": .37},
              "IN": {"ios_safari": .12, "ios_chrome": .02, "android_chrome": .75, "samsung": .11},
              "ID": {"ios_safari": .10, "ios_chrome": .02, "android_chrome": .76, "samsung": .12}}


def _sdk_uas() -> tuple[list[str], dict[str, np.ndarray]]:
    out: list[str] = []
    groups: dict[str, list[int]] = {}

    def add(g, s):
        groups.setdefault(g, []).append(len(out))
        out.append(s)
    for mi in range(2, 10):
        for p in range(0, 4):
            add("python", f"kodama-python/1.{mi}.{p}")
            add("node", f"kodama-node/1.{mi}.{p}")
    for mi in range(6, 13):
        for osx in ("darwin; arm64", "linux; x86_64", "win32; x64", "darwin; x64"):
            add("cli", f"kodama-cli/0.{mi}.{mi % 4} ({osx})")
        add("ide", f"kodama-vscode/2.{mi}.{mi % 3}")
        add("ide", f"kodama-jetbrains/1.{mi}.{mi % 5}")
    for mi in range(1, 6):
        add("ci", f"kodama-ci-action/1.{mi}.0 (github-actions)")
    for mi in range(5, 15):
        add("raw", f"curl/8.{mi}.0")
    for s in ("python-httpx/0.28.1", "python-httpx/0.27.2", "python-requests/2.32.3", "python-requests/2.31.0",
              "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.8.4", "axios/1.9.0", "node-fetch/1.0"):
        add("raw", s)
    return out, {g: np.array(v) for g, v in groups.items()}


SDK_UA, SDK_GROUPS = _sdk_uas()
CAPS = ["agentic_reasoning", "coding", "planning", "chat", "other"]
# per-exchange token medians by capability (input, output)
TOK_IN = np.array([9000, 4500, 3000, 700, 1200], np.float64)
TOK_OUT = np.array([1400, 900, 1100, 350, 300], np.float64)

# schedules: 24 local-hour weights and 7 weekday weights (Mon..Sun)
_H = {
    "consumer": [.12, .07, .04, .03, .03, .04, .08, .15, .25, .3, .35, .4, .55, .5, .4, .4, .45, .55, .7, .9, 1, 1, .9, .5],
    "dev": [.5, .3, .15, .08, .05, .05, .08, .15, .3, .5, .6, .6, .5, .6, .6, .6, .55, .55, .6, .8, 1, 1, .95, .8],
    "business": [.02, .01, .01, .01, .01, .02, .05, .15, .5, 1, 1, 1, .6, .9, 1, 1, .9, .6, .3, .15, .1, .08, .05, .03],
    "student": [.8, .5, .3, .12, .05, .04, .05, .1, .2, .35, .5, .5, .55, .6, .7, .7, .75, .8, .85, .9, 1, 1, 1, .95],
    "agent24": [.85, .85, .8, .8, .8, .8, .85, .9, 1, 1.1, 1.15, 1.15, 1.1, 1.15, 1.15, 1.1, 1.1, 1.05, 1, 1, .95, .95, .9, .9],
    "app": [.2, .12, .08, .06, .06, .1, .25, .5, .7, .8, .85, .9, .95, .9, .85, .85, .9, .95, 1, 1, .95, .8, .55, .35],
    "hackathon": [.6] * 7 + [.7, .8, .9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, .95, .9, .8, .7],
    "flat": [1.0] * 24,
}
_D = {"consumer": [1, 1, 1, 1, 1.1, 1.3, 1.3], "dev": [1, 1, 1, 1, 1, 1.25, 1.2],
      "business": [1, 1, 1, 1, .9, .06, .04], "student": [1, 1, 1, 1, .8, .7, 1.15],
      "agent24": [1] * 7, "app": [1, 1, 1, 1, 1.05, 1.1, 1.1], "hackathon": [1] * 7, "flat": [1] * 7}


# --------------------------------------------------------------------------
# vectorised string helpers
# --------------------------------------------------------------------------
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def _mix(x, salt: int = 0) -> np.ndarray:
    """splitmix64 finaliser (vectorised, wraps modulo 2**64)."""
    x = np.asarray(x)
    x = x.astype(np.uint64) if x.dtype != np.uint64 else x.copy()
    with np.errstate(over="ignore"):
        x ^= np.uint64(salt & 0xFFFFFFFFFFFFFFFF)
        x += _GOLD
        x ^= x >> np.uint64(30)
        x *= _M1
        x ^= x >> np.uint64(27)
        x *= _M2
        x ^= x >> np.uint64(31)
    return x


_TABLES: dict[str, pa.Array] = {}


def _table(name: str) -> pa.Array:
    if name not in _TABLES:
        if name == "hex4":
            _TABLES[name] = pa.array([f"{i:04x}" for i in range(65536)])
        elif name == "hexn":
            _TABLES[name] = pa.array([f"{i:x}" for i in range(65536)])
        elif name == "b62":
            a = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
            _TABLES[name] = pa.array((a[:, None, None] + a[None, :, None] + a[None, None, :]).ravel().tolist())
    return _TABLES[name]


def _take(table: pa.Array, idx: np.ndarray) -> pa.Array:
    return table.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _hex(x: np.ndarray, groups: int = 4) -> pa.Array:
    t = _table("hex4")
    parts = [_take(t, ((x >> np.uint64(48 - 16 * i)) & np.uint64(0xFFFF)).astype(np.int64)) for i in range(groups)]
    return pc.binary_join_element_wise(*parts, "")


def _b62(x: np.ndarray, n3: int = 4) -> pa.Array:
    t = _table("b62")
    y = np.asarray(x, dtype=np.uint64)
    parts = [_take(t, (_mix(y, 0x5EED + i) % np.uint64(238328)).astype(np.int64)) for i in range(n3)]
    return pc.binary_join_element_wise(*parts, "")


def _with_nulls(arr: pa.Array, null_mask: np.ndarray) -> pa.Array:
    if not null_mask.any():
        return arr
    return pc.if_else(pa.array(~null_mask), arr, pa.scalar(None, arr.type))


def _cum(p: np.ndarray) -> np.ndarray:
    c = np.cumsum(p, axis=-1)
    return c / c[..., -1:]


def _pick(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def _lookup(vals: np.ndarray, keys: list[int]) -> np.ndarray:
    lut = np.zeros(max(keys) + 1, np.int64)
    for i, k in enumerate(keys):
        lut[k] = i
    return lut[vals]


def _split_sizes(rng: np.random.Generator, total: int, draw) -> np.ndarray:
    """Group sizes (from ``draw(k)``) that add up to exactly ``total``."""
    if total <= 0:
        return np.zeros(0, np.int64)
    out = []
    s = 0
    while s < total:
        d = np.maximum(1, draw(max(64, (total - s) // 4 + 1)).astype(np.int64))
        out.append(d)
        s += int(d.sum())
    sizes = np.concatenate(out)
    cs = np.cumsum(sizes)
    k = int(np.searchsorted(cs, total))
    sizes = sizes[:k + 1].copy()
    sizes[-1] -= int(cs[k] - total)
    return sizes[sizes > 0]


# --------------------------------------------------------------------------
# registries
# --------------------------------------------------------------------------
class _IPs:
    """IP addresses as integer ids; strings are made once at the end."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.fixed: dict[int, str] = {}
        self.asn: list[np.ndarray] = []
        self.v6: list[np.ndarray] = []
        self.n = 0

    def new(self, asn_idx, v6=None) -> np.ndarray:
        asn_idx = np.asarray(asn_idx, np.int64).ravel()
        k = len(asn_idx)
        if v6 is None:
            v6 = self.rng.random(k) < ASN["v6share"][asn_idx]
        v6 = np.asarray(v6, bool) & (ASN["v6n"][asn_idx] > 0)
        self.asn.append(asn_idx.astype(np.int32))
        self.v6.append(v6)
        ids = np.arange(self.n, self.n + k, dtype=np.int64)
        self.n += k
        return ids

    def new_fixed(self, asn_idx: int, strings: list[str]) -> np.ndarray:
        ids = self.new(np.full(len(strings), asn_idx), np.zeros(len(strings), bool))
        for i, t in zip(ids, strings, strict=True):
            self.fixed[int(i)] = t
        return ids

    def finalize(self, seed: int):
        asn = np.concatenate(self.asn).astype(np.int64)
        v6 = np.concatenate(self.v6)
        n = len(asn)
        r1 = _mix(np.arange(n), seed * 7919 + 11)
        r2 = _mix(np.arange(n), seed * 7919 + 13)
        r3 = _mix(np.arange(n), seed * 7919 + 17)
        pi = ASN["v4off"][asn] + (r1 % ASN["v4n"][asn].astype(np.uint64)).astype(np.int64)
        s = [pc.cast(pa.array(x.astype(np.int64)), pa.string()) for x in (
            ASN["v4a"][pi], ASN["v4b"][pi], (r1 >> np.uint64(20)) % np.uint64(256),
            np.uint64(1) + (r1 >> np.uint64(28)) % np.uint64(254))]
        s4 = pc.binary_join_element_wise(*s, ".")
        n6 = np.maximum(ASN["v6n"][asn], 1).astype(np.uint64)
        pj = np.minimum(ASN["v6off"][asn] + (r1 % n6).astype(np.int64), len(ASN["v6p"]) - 1)
        pre = _take(pa.array(ASN["v6p"]), pj)
        three = pc.equal(pc.count_substring(pre, ":"), 2)
        hx = _table("hexn")
        h = [_take(hx, ((r >> np.uint64(sh)) & np.uint64(0xFFFF)).astype(np.int64))
             for r in (r2, r3) for sh in (0, 16, 32, 48)]
        s6a = pc.binary_join_element_wise(pre, h[0], h[1], h[2], h[3], h[4], h[5], ":")
        s6b = pc.binary_join_element_wise(pre, h[1], h[2], h[3], h[4], h[5], ":")
        s6 = pc.if_else(three, s6b, s6a)
        ip = pc.if_else(pa.array(v6), s6, s4)
        if self.fixed:
            lst = ip.to_pylist() if n < 50_000 else None
            if lst is not None:
                for k, v in self.fixed.items():
                    lst[k] = v
                ip = pa.array(lst, pa.string())
            else:
                ks = np.array(list(self.fixed), np.int64)
                fx = pa.array(list(self.fixed.values()), pa.string())
                pos = np.full(n, -1, np.int64)
                pos[ks] = np.arange(len(ks))
                ip = pc.if_else(pa.array(pos >= 0), _take(fx, np.maximum(pos, 0)), ip)
        return ip, ASN["asn"][asn], _take(pa.array(ASN["org"]), asn)


class _Cards:
    def __init__(self):
        self.bin: list[np.ndarray] = []
        self.postal: list = []
        self.fixed: dict[int, str] = {}
        self.n = 0

    def new(self, bin_idx, postals: list) -> np.ndarray:
        bin_idx = np.asarray(bin_idx, np.int64).ravel()
        self.bin.append(bin_idx)
        self.postal.extend(postals)
        ids = np.arange(self.n, self.n + len(bin_idx), dtype=np.int64)
        self.n += len(bin_idx)
        return ids


PATTERNS = ["cgnat", "vpn_relay", "corporate_swg", "campus_nat", "bootcamp_cohort", "hackathon", "office_nat",
            "golden_image", "company_card", "household", "multi_account", "cloud_dev", "ci_runner", "app_owner",
            "app_end_user", "org_shared_keys", "public_template", "launch_wave", "event_burst", "reseller_card",
            "prepaid_gift_bin", "virtual_card_bin", "marketplace_billing", "power_user", "dormant_return",
            "fingerprint_collision", "internal_qa", "vip", "self_hosted_vps"]
BIT = {p: np.uint32(1 << i) for i, p in enumerate(PATTERNS)}

# personas
CONSUMER, DEV, OFFICE, STUDENT, COHORT, POWER, CI, APP_END, APP_OWNER, QA, FRAUD = range(11)

# prompt-template id namespaces
TPL_DEFAULT = 1
TPL_PUBLIC = 1_000
TPL_CI = 900_000
TPL_COMPANY = 10_000_000
TPL_GROUP = 20_000_000
TPL_FRAUD = 30_000_000
TPL_PERSONAL = 1_000_000_000
TPL_UNIQUE = 10_000_000_000
KEY_ORG = 1_000_000_000_000


# --------------------------------------------------------------------------
# the world
# --------------------------------------------------------------------------
class _World:
    def __init__(self, cfg: WorldConfig):
        self.cfg = cfg
        self.N = N = int(cfg.accounts)
        self.rng = np.random.default_rng([cfg.seed, N, 0xE])
        self.ips = _IPs(self.rng)
        self.cards = _Cards()
        self.pay_acc: list[np.ndarray] = []
        self.pay_card: list[np.ndarray] = []
        self.pay_t: list[np.ndarray] = []
        self.pools: dict = {}
        self.n_org = 0
        self.n_group = 0
        self.sched_h: list[np.ndarray] = []
        self.sched_d: list[np.ndarray] = []
        self.sched_name: dict[str, int] = {}
        for k in _H:
            self.sched_name[k] = self.add_sched(_H[k], _D[k])
        self.ua_list: list[str] = []
        self.ua_map: dict[str, int] = {}
        self.rings: list[dict] = []
        self.allow: list[tuple[str, str, str]] = []
        self.stats: dict = {}
        # account attributes
        self.country = np.zeros(N, np.int16)
        self.tz = np.zeros(N, np.float32)
        self.created = np.zeros(N, np.int64)
        self.fname = np.empty(N, dtype=object)
        self.lname = np.empty(N, dtype=object)
        self.edom = np.full(N, None, dtype=object)  # forced e-mail domain
        self.email = np.full(N, None, dtype=object)  # fully forced e-mail
        self.ekind = np.zeros(N, np.int8)  # 0 personal, 1 company, 2 edu, 3 preset, 4 none
        self.has_phone = np.zeros(N, bool)
        self.phone = np.full(N, None, dtype=object)
        self.signup_ip = np.full(N, -1, np.int64)
        self.device = np.zeros(N, np.uint64)
        self.ua = np.full(N, -1, np.int32)
        self.org = np.full(N, -1, np.int64)
        self.ip_home = np.full(N, -1, np.int64)
        self.ip_alt = np.full(N, -1, np.int64)
        self.lp_s = np.zeros(N, np.int64)
        self.lp_n = np.zeros(N, np.int32)
        self.p_lp = np.zeros(N, np.float32)
        self.bits = np.zeros(N, np.uint32)
        self.ring = np.full(N, -1, np.int32)
        self.persona = np.zeros(N, np.int8)
        self.dormant = np.zeros(N, bool)
        self.pcard = np.full(N, -1, np.int64)
        self.login_rate = np.ones(N, np.float32)
        self.login_from = np.zeros(N, np.int64)  # logins before this time come from sign-up infra
        # traffic
        self.E = np.zeros(N, np.int64)
        self.crow = np.full(N, 4.0, np.float32)
        self.raw = np.zeros(N, bool)
        self.nullcount = np.zeros(N, bool)
        self.a0 = np.zeros(N, np.int16)
        self.a1 = np.full(N, W_DAYS - 1, np.int16)
        self.ndays = np.ones(N, np.int16)
        self.gseed = np.zeros(N, np.uint64)
        self.pgrp = np.zeros(N, np.float32)
        self.sched = np.zeros(N, np.int16)
        self.cron = np.full(N, -1, np.int16)
        self.cap = np.zeros((N, 5), np.float32)
        self.tpl = np.full((N, 4), TPL_DEFAULT, np.int64)
        self.tplc = np.zeros((N, 4), np.float32)
        self.npers = np.ones(N, np.int8)
        self.nkeys = np.ones(N, np.int8)
        self.kshared = np.full(N, -1, np.int64)
        self.pshared = np.zeros(N, np.float32)
        self.pnokey = np.zeros(N, np.float32)
        self.ipa = np.full(N, -1, np.int64)
        self.ipb = np.full(N, -1, np.int64)
        self.pa_ = np.ones(N, np.float32)
        self.pb_ = np.ones(N, np.float32)
        self.pool_s = np.zeros(N, np.int64)
        self.pool_n = np.zeros(N, np.int32)
        self.pool_k = np.ones(N, np.float32)
        self.stick = np.zeros(N, np.int8)  # days an address from the pool is kept (0: new one per row)
        self.tin = np.zeros(N, np.float32)
        self.tout = np.zeros(N, np.float32)
        self.sdk = np.zeros(N, np.int16)
        # bookkeeping for later passes
        self.uafam = np.full(N, -1, np.int16)
        self.uamob = np.zeros(N, bool)
        self.alt_of = np.full(N, -1, np.int64)
        self.hh_head = np.full(N, -1, np.int64)
        self.app_of = np.full(N, -1, np.int32)
        self.ev_day = np.full(N, -1, np.int16)
        self.ctx = np.full(N, -1, np.int8)
        self.switch = np.zeros(N, bool)

    # ---- small utilities ------------------------------------------------
    def add_sched(self, h24, d7) -> int:
        self.sched_h.append(np.asarray(h24, np.float64))
        self.sched_d.append(np.asarray(d7, np.float64))
        return len(self.sched_h) - 1

    def S(self, name: str) -> int:
        return self.sched_name[name]

    def new_orgs(self, k: int) -> np.ndarray:
        ids = np.arange(self.n_org, self.n_org + k, dtype=np.int64)
        self.n_org += k
        return ids

    def new_groups(self, k: int) -> np.ndarray:
        ids = np.arange(self.n_group, self.n_group + k, dtype=np.int64)
        self.n_group += k
        return ids

    def devices(self, k: int) -> np.ndarray:
        return self.rng.integers(1, np.iinfo(np.int64).max, size=k, dtype=np.int64).astype(np.uint64)

    def pick_asn(self, cc_idx: np.ndarray, kind: str) -> np.ndarray:
        out = np.zeros(len(cc_idx), np.int64)
        for ci in np.unique(cc_idx):
            m = cc_idx == ci
            rows, p = _asn_rows(CC[ci], kind)
            out[m] = rows[_pick(self.rng, np.cumsum(p), int(m.sum()))]
        return out

    def global_asn(self, kind: str, names: tuple[int, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
        m = (ASN["kind"] == kind) & (ASN["cc"] == "ZZ")
        if names:
            m &= np.isin(ASN["asn"], names)
        idx = np.flatnonzero(m)
        w = ASN["w"][idx]
        return idx, w / w.sum()

    def pool(self, key, rows: np.ndarray, p: np.ndarray, size: int, sigma: float = 1.0,
             v6: float | None = 0.0, hot: tuple[float, float] = (0.0, 1.0)) -> tuple[int, int]:
        """A pool of shared addresses; draws are lognormal(sigma)-weighted, a ``hot`` share of
        addresses carries ``hot[1]`` times the load (a few very busy egress addresses)."""
        if key not in self.pools:
            size = max(2, int(size))
            a = rows[_pick(self.rng, np.cumsum(p), size)]
            v = None if v6 is None else (self.rng.random(size) < v6)
            ids = self.ips.new(a, v)
            w = self.rng.lognormal(0, sigma, size) * np.where(self.rng.random(size) < hot[0], hot[1], 1.0)
            self.pools[key] = (int(ids[0]), size, np.cumsum(w) / w.sum())
        s, n, _ = self.pools[key]
        return s, n

    def draw(self, key, k: int) -> np.ndarray:
        s, n, cdf = self.pools[key]
        return s + _pick(self.rng, cdf, k)

    def cgnat_key(self, asn_row: int, cc: str) -> tuple:
        key = ("cgnat", int(asn_row))
        if key not in self.pools:
            rows, p = _asn_rows(cc, "mob")
            share = p[list(rows).index(asn_row)] if asn_row in rows else 0.3
            ci = CCI[cc]
            est = (self.N * COUNTRY[cc][0] * self.cfg.mobile_share * COUNTRY[cc][3]
                   * self.cfg.cgnat_share_of_mobile * share)
            self.pool(key, np.array([asn_row]), np.ones(1), max(8, est / self.cfg.cgnat_users_per_ip), .7, 0.0, (.004, 12))
            del ci
        return key

    def carrier_pool(self, cc_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per account: a carrier of its country and that carrier's CGNAT pool."""
        car = self.pick_asn(cc_idx, "mob")
        s = np.zeros(len(car), np.int64)
        n = np.zeros(len(car), np.int32)
        for a in np.unique(car):
            m = car == a
            key = self.cgnat_key(int(a), str(ASN["cc"][a]))
            s[m], n[m] = self.pools[key][0], self.pools[key][1]
        return car, s, n

    def draw_cgnat(self, car: np.ndarray) -> np.ndarray:
        out = np.zeros(len(car), np.int64)
        for a in np.unique(car):
            m = car == a
            out[m] = self.draw(self.cgnat_key(int(a), str(ASN["cc"][a])), int(m.sum()))
        return out

    def vpn_key(self, prov: str, region: str) -> tuple:
        key = ("vpn", prov, region)
        if key not in self.pools:
            spec = {"icloud_relay": ("relay", (36183, 13335), .40, .5, 1.4),
                    "warp": ("relay", (13335,), .18, .6, 1.6),
                    "nordvpn": ("vpn", (207137, 9009), .16, 0, 1.6),
                    "proton": ("vpn", (62371,), .10, 0, 1.5),
                    "mullvad": ("vpn", (39351,), .05, 0, 1.3),
                    "surfshark": ("vpn", (9009, 60068), .11, 0, 1.6)}[prov]
            rows, p = self.global_asn(spec[0], spec[1])
            rshare = {"NA": .4, "AP": .45, "EU": .1, "SA": .05}[region]
            est = self.N * (self.cfg.vpn_share + .3 * self.cfg.vpn_login_share) * spec[2] * rshare
            self.pool(key, rows, p, max(6, est / 60), spec[4], spec[3], (.01, 25))
        return key

    def vpn_draw(self, cc_idx: np.ndarray, prov: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        provs = ["icloud_relay", "warp", "nordvpn", "proton", "mullvad", "surfshark"]
        if prov is None:
            prov = _pick(self.rng, np.cumsum([.40, .18, .16, .10, .05, .11]), len(cc_idx))
        out = np.zeros(len(cc_idx), np.int64)
        s = np.zeros(len(cc_idx), np.int64)
        n = np.zeros(len(cc_idx), np.int32)
        reg = np.array([REGION[c] for c in CC])[cc_idx]
        for pi in np.unique(prov):
            for r in np.unique(reg):
                m = (prov == pi) & (reg == r)
                if m.any():
                    key = self.vpn_key(provs[pi], r)
                    out[m] = self.draw(key, int(m.sum()))
                    s[m], n[m] = self.pools[key][:2]
        return out, s, n

    def cloud_pool(self, name: str) -> tuple[int, int]:
        spec = {"codespaces": ((8075,), 1 / 400, 50), "gitpod": ((396982,), 1 / 2000, 20),
                "replit": ((396982,), 1 / 3000, 16), "gha": ((8075,), 1 / 250, 100)}[name]
        rows, p = self.global_asn("cloud", spec[0])
        return self.pool(("cloud", name), rows, p, max(spec[2], self.N * spec[1]), 0.5, 0.0)

    def ua_idx(self, fam: np.ndarray, ver: np.ndarray) -> np.ndarray:
        code = fam.astype(np.int64) * 1000 + ver
        u, inv = np.unique(code, return_inverse=True)
        ids = np.empty(len(u), np.int32)
        for j, c in enumerate(u):
            s = _ua_string(int(c // 1000), int(c % 1000))
            if s not in self.ua_map:
                self.ua_map[s] = len(self.ua_list)
                self.ua_list.append(s)
            ids[j] = self.ua_map[s]
        return ids[inv]

    def ua_custom(self, s: str) -> int:
        if s not in self.ua_map:
            self.ua_map[s] = len(self.ua_list)
            self.ua_list.append(s)
        return self.ua_map[s]

    def browser(self, idx: np.ndarray, mobile: np.ndarray | bool, fam: np.ndarray | None = None,
                lag_max: int = 3) -> None:
        """Browser user agent at sign-up (version follows the release calendar)."""
        n = len(idx)
        mobile = np.broadcast_to(np.asarray(mobile, bool), (n,))
        cci = self.country[idx]
        if fam is None:
            fam = np.zeros(n, np.int64)
            for ci in np.unique(cci):
                c = CC[ci]
                for mob, mixes in ((False, DESKTOP_MIX), (True, MOBILE_MIX)):
                    m = (cci == ci) & (mobile == mob)
                    if m.any():
                        mix = mixes.get(c, mixes["default"])
                        fam[m] = np.array([FAM[f] for f in mix])[_pick(self.rng, _cum(np.array(list(mix.values()))),
                                                                      int(m.sum()))]
        t = self.created[idx] - self.rng.integers(0, lag_max + 1, n) * 28 * DAY
        cv = 136 + np.floor((t - _CHROME0) / (28 * DAY)).astype(np.int64)
        sv = np.searchsorted(_SAFARI_T, t, side="right") - 1
        saf = np.isin(fam, [FAM["safari_mac"], FAM["ios_safari"], FAM["ios_chrome"]])
        ver = np.where(saf, np.clip(sv, 0, len(_SAFARI) - 1), np.clip(cv, 130, 150))
        self.ua[idx] = self.ua_idx(fam, ver)
        self._fam_cache = fam

    def names(self, idx: np.ndarray) -> None:
        cci = self.country[idx]
        n = len(idx)
        reg = np.zeros(n, np.int64)
        for ci in np.unique(cci):
            m = cci == ci
            mix = COUNTRY[CC[ci]][2]
            reg[m] = np.array([REGIONS.index(r) for r in mix])[_pick(self.rng, _cum(np.array(list(mix.values()))),
                                                                     int(m.sum()))]
        f = np.empty(n, dtype=object)
        last = np.empty(n, dtype=object)
        for r in np.unique(reg):
            m = reg == r
            k = int(m.sum())
            f[m] = _FIRST[r][self.rng.integers(0, len(_FIRST[r]), k)]
            last[m] = _LAST[r][self.rng.integers(0, len(_LAST[r]), k)]
        self.fname[idx] = f
        self.lname[idx] = last

    def signup_times(self, k: int, lo: int = T_SIGNUP0, hi: int = T_END, growth: float = 3.0,
                     tz: np.ndarray | float = 0.0) -> np.ndarray:
        D = (hi - lo) / DAY
        g = np.log(growth) / 365.0
        u = self.rng.random(k)
        d = np.floor(np.log1p(u * np.expm1(g * D)) / g) if growth != 1 else np.floor(u * D)
        hw = np.array([.2, .1, .05, .03, .03, .05, .1, .3, .6, .9, 1, 1, .9, 1, 1, 1, .95, .9, .9, 1, 1, .9, .7, .4])
        h = _pick(self.rng, _cum(hw), k)
        t = lo + d * DAY + h * HOUR + self.rng.integers(0, HOUR, k) - np.asarray(tz) * HOUR
        return np.clip(t, lo, hi - 1).astype(np.int64)

    def tz_for(self, cc_idx: np.ndarray) -> np.ndarray:
        out = np.zeros(len(cc_idx), np.float32)
        for ci in np.unique(cc_idx):
            m = cc_idx == ci
            opts = COUNTRY[CC[ci]][1]
            out[m] = np.array([o[0] for o in opts])[_pick(self.rng, _cum(np.array([o[1] for o in opts])),
                                                        int(m.sum()))]
        return out

    def fold(self, t, lo) -> np.ndarray:
        """Times past the end of the data wrap back into [lo, end) instead of piling up at the end."""
        t = np.asarray(t, np.int64)
        lo = np.broadcast_to(np.asarray(lo, np.int64), t.shape)
        return np.where(t < T_END, t, lo + (t - lo) % np.maximum(1, T_END - lo))

    def add_payments(self, acc: np.ndarray, card: np.ndarray, t: np.ndarray) -> None:
        self.pay_acc.append(np.asarray(acc, np.int64))
        self.pay_card.append(np.asarray(card, np.int64))
        self.pay_t.append(np.clip(np.asarray(t, np.int64), T_SIGNUP0, T_END - 1))

    def card_time(self, idx: np.ndarray) -> np.ndarray:
        d = np.where(self.rng.random(len(idx)) < .5, self.rng.integers(30, 1800, len(idx)),
                     self.rng.exponential(20 * DAY, len(idx)).astype(np.int64))
        return self.fold(self.created[idx] + d, self.created[idx])

    def new_cards(self, cc_idx: np.ndarray, kind_p: dict[str, float] | str,
                  postal_cc: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Fresh cards issued in the given countries; returns card ids and the kind index."""
        n = len(cc_idx)
        kinds = [kind_p] if isinstance(kind_p, str) else list(kind_p)
        kp = np.ones(1) if isinstance(kind_p, str) else np.array(list(kind_p.values()))
        kk = _pick(self.rng, _cum(kp), n)
        b = np.zeros(n, np.int64)
        for ci in np.unique(cc_idx):
            for j, kname in enumerate(kinds):
                m = (cc_idx == ci) & (kk == j)
                if m.any():
                    rows, p = _bins(CC[ci], kname)
                    if len(rows) == 0:
                        rows, p = _bins("US", kname)
                    b[m] = rows[_pick(self.rng, np.cumsum(p), int(m.sum()))]
        pcc = cc_idx if postal_cc is None else postal_cc
        post = _postals(self.rng, [CC[c] for c in pcc])
        return self.cards.new(b, post), kk

    def personal_cards(self, idx: np.ndarray, p_card) -> None:
        """Cards for individuals; sets pcard and the prepaid / virtual bits."""
        cfg = self.cfg
        has = self.rng.random(len(idx)) < p_card
        idx = idx[has & (self.pcard[idx] < 0)]
        if len(idx) == 0:
            return
        cci = self.country[idx].astype(np.int64)
        foreign = self.rng.random(len(idx)) < .03
        issue = np.where(foreign, CCI["US"], cci)
        kp = {"consumer": .62 - cfg.prepaid_share - cfg.virtual_card_share, "debit": .38,
              "prepaid": cfg.prepaid_share, "virtual": cfg.virtual_card_share}
        ids, kk = self.new_cards(issue, kp, cci)
        self.pcard[idx] = ids
        self.bits[idx[kk == 2]] |= BIT["prepaid_gift_bin"]
        self.bits[idx[kk == 3]] |= BIT["virtual_card_bin"]
        t = self.card_time(idx)
        self.add_payments(idx, ids, t)
        two = self.rng.random(len(idx)) < .1
        if two.any():
            j = idx[two]
            ids2, _ = self.new_cards(self.country[j].astype(np.int64), {"consumer": .6, "debit": .4})
            self.add_payments(j, ids2, self.fold(t[two] + self.rng.exponential(90 * DAY, len(j)).astype(np.int64), t[two]))

    # ---- legit population ------------------------------------------------
    def legit(self, L: np.ndarray) -> None:
        cfg, rng = self.cfg, self.rng
        n_qa = 20 + self.N // 25_000
        qa, rest = L[:n_qa], L[n_qa:]
        self.legit_idx = L
        cw = np.array([COUNTRY[c][0] for c in CC])
        self.country[rest] = _pick(rng, _cum(cw), len(rest))
        self.tz[rest] = self.tz_for(self.country[rest])
        self.names(rest)
        self.created[rest] = self.signup_times(len(rest), tz=self.tz[rest])
        self.ip_home[rest] = self.ips.new(self.pick_asn(self.country[rest], "res"))
        self.device[rest] = self.devices(len(rest))
        self.persona[rest] = np.where(rng.random(len(rest)) < .55, DEV, CONSUMER)
        self.has_phone[rest] = rng.random(len(rest)) < cfg.phone_share
        # sign-up context by country
        P = np.zeros((NC, 6))
        for ci, c in enumerate(CC):
            edu = bool(((ASN["cc"] == c) & (ASN["kind"] == "edu")).any())
            P[ci, :5] = [cfg.office_share, cfg.campus_share * edu, cfg.cohort_share,
                         cfg.mobile_share * COUNTRY[c][3], cfg.vpn_share]
            P[ci, 5] = max(.05, 1 - P[ci, :5].sum())
        cdf = _cum(P)[self.country[rest]]
        ctx = (rng.random(len(rest))[:, None] > cdf).sum(1)
        self.ctx[rest] = ctx
        self._companies(rest[ctx == 0])
        self._campus(rest[ctx == 1])
        self._cohorts(rest[ctx == 2])
        self._mobile(rest[ctx == 3])
        self._vpn(rest[ctx == 4])
        self._home(rest[ctx == 5])
        # carrier NAT for everybody's phone logins, occasional VPN
        need = rest[self.lp_n[rest] == 0]
        _, s, n = self.carrier_pool(self.country[need])
        self.lp_s[need], self.lp_n[need] = s, n
        self.p_lp[need] = cfg.mobile_login_share
        nv = rest[(ctx != 4) & (self.ip_alt[rest] < 0) & (rng.random(len(rest)) < cfg.vpn_login_share)]
        self.ip_alt[nv] = self.vpn_draw(self.country[nv])[0]
        self.bits[nv] |= BIT["vpn_relay"]
        self._qa(qa)
        indiv = rest[np.isin(ctx, (3, 4, 5))]
        self._launches(indiv)
        self._conferences(indiv)
        self._multi(indiv)
        self._apps(rest)
        # individual cards (office seats were handled with their companies)
        notoff = rest[ctx != 0]
        pc_ = np.select([self.persona[notoff] == DEV, self.persona[notoff] == STUDENT,
                         self.persona[notoff] == COHORT], [.62, .25, .18], .45)
        self.personal_cards(notoff, pc_ * cfg.card_share / .55)
        self._household_cards(rest)
        self._multi_cards(rest)
        self._resellers(rest)
        self._marketplace(rest)
        self._browsers(rest)
        self._collisions(rest)

    def _companies(self, idx: np.ndarray) -> None:
        cfg, rng = self.cfg, self.rng
        if len(idx) == 0:
            return
        cap = max(30, int(2000 * (self.N / 1e6) ** .5))
        seats_l, comp_l, cc_l, sz_l = [], [], [], []
        nco = 0
        for ci in range(NC):
            mem = idx[self.country[idx] == ci]
            if len(mem) == 0:
                continue
            sizes = _split_sizes(rng, len(mem), lambda k: np.minimum(cap, np.floor(2 * (1 - rng.random(k)) ** (-1 / 1.15))))
            seats_l.append(mem)
            comp_l.append(nco + np.repeat(np.arange(len(sizes)), sizes))
            cc_l.append(np.full(len(sizes), ci))
            sz_l.append(sizes)
            nco += len(sizes)
        seats = np.concatenate(seats_l)
        comp = np.concatenate(comp_l)
        ccty = np.concatenate(cc_l)
        csize = np.concatenate(sz_l)
        n = len(seats)
        cfirst = np.cumsum(csize) - csize
        rank = np.arange(n) - cfirst[comp]
        ctz = self.tz_for(ccty)
        # company mail domains
        a = rng.integers(0, len(CO_A), nco)
        b = rng.integers(0, len(CO_B), nco)
        t = rng.integers(0, 1 << 20, nco)
        seen: set[str] = set()
        dom = []
        for i in range(nco):
            tl = COMPANY_TLD[CC[ccty[i]]]
            d = f"{CO_A[a[i]]}{CO_B[b[i]]}.{tl[t[i] % len(tl)]}"
            if d in seen:
                d = f"{CO_A[a[i]]}-{CO_B[b[i]]}{t[i] % 97}.{tl[t[i] % len(tl)]}"
            seen.add(d)
            dom.append(d)
        dom = np.array(dom, dtype=object)
        uses_dom = (csize >= 5) | (rng.random(nco) < .5)
        # office NAT
        nip = np.minimum(8, 1 + csize // 150)
        ipids = self.ips.new(np.repeat(self.pick_asn(ccty, "biz"), nip))
        cstart = ipids[0] + np.cumsum(nip) - nip
        off_ip = cstart[comp] + (rng.random(n) * nip[comp]).astype(np.int64)
        swg = (csize >= 10) & (rng.random(nco) < cfg.swg_share_of_companies)
        golden = (csize >= 20) & (rng.random(nco) < cfg.golden_image_share)
        ngd = rng.integers(1, 4, nco)
        gd = self.devices(int(ngd.sum()))
        gstart = np.cumsum(ngd) - ngd
        ccard = (csize >= 3) & (rng.random(nco) < cfg.company_card_share)
        ncard = np.where(ccard, 1 + (rng.random(nco) < .3), 0)
        cids, _ = self.new_cards(np.repeat(ccty, ncard), "commercial")
        ccs = np.cumsum(ncard) - ncard
        pcc = rng.uniform(.3, .9, nco)
        has_org = (csize >= 3) | (rng.random(nco) < .5)
        corg = self.new_orgs(nco)
        okey = has_org & (rng.random(nco) < .3)
        autos = has_org & (csize >= 5) & (rng.random(nco) < cfg.autoscale_company_share)
        ntpl = rng.integers(1, 9, nco)
        mkt = (csize >= 10) & (rng.random(nco) < .1)
        cst = self.signup_times(nco, hi=T_END - 3 * DAY, tz=ctz)
        wave = (rng.random(n) < .55) | (rank == 0)
        tw = cst[comp] + np.where(rank == 0, 0, rng.exponential(2 * HOUR, n)).astype(np.int64)
        tl_ = cst[comp] + ((T_END - 1 - cst[comp]) * rng.random(n) ** 1.6).astype(np.int64)
        self.created[seats] = self.fold(np.where(wave, tw, tl_), cst[comp])
        self.country[seats] = ccty[comp]
        self.tz[seats] = ctz[comp]
        self.persona[seats] = OFFICE
        self.bits[seats] |= BIT["office_nat"]
        std = np.array([FAM["chrome_win"], FAM["chrome_mac"], FAM["edge_win"], FAM["safari_mac"]])[
            _pick(rng, _cum(np.array([.4, .35, .2, .05])), nco)]
        us = rng.random(n) < .7
        self.uafam[seats[us]] = std[comp[us]]
        # sign-up IP
        on_swg = swg[comp] & (rng.random(n) < .75)
        u = rng.random(n)
        sip = np.where(u < .72, off_ip, self.ip_home[seats])
        swg_s = np.zeros(n, np.int64)
        swg_n = np.zeros(n, np.int32)
        for r in ("NA", "AP", "EU", "SA"):
            m = on_swg & (np.array([REGION[c] for c in CC])[ccty[comp]] == r)
            if m.any():
                rows, p = self.global_asn("swg")
                key = ("swg", r)
                self.pool(key, rows, p, max(8, self.N / 5000 * {"NA": 1, "AP": 1, "EU": .4, "SA": .2}[r]), 1.2)
                sip[m] = self.draw(key, int(m.sum()))
                swg_s[m], swg_n[m] = self.pools[key][:2]
        self.signup_ip[seats] = sip
        self.bits[seats[on_swg]] |= BIT["corporate_swg"]
        self.ipa[seats] = off_ip
        self.ipb[seats] = self.ip_home[seats]
        self.pa_[seats] = .72
        self.pb_[seats] = 1.0
        sw = seats[on_swg]
        self.pool_s[sw], self.pool_n[sw] = swg_s[on_swg], swg_n[on_swg]
        self.pa_[sw], self.pb_[sw] = .1, .3
        self.stick[sw] = 3
        # golden images
        ug = golden[comp] & (rng.random(n) < .6)
        self.device[seats[ug]] = gd[gstart[comp[ug]] + (rng.random(int(ug.sum())) * ngd[comp[ug]]).astype(np.int64)]
        self.bits[seats[ug]] |= BIT["golden_image"]
        # company cards, marketplace, personal cards
        uc = ccard[comp] & (rng.random(n) < pcc[comp])
        card = cids[ccs[comp[uc]] + (rng.random(int(uc.sum())) * ncard[comp[uc]]).astype(np.int64)]
        self.pcard[seats[uc]] = card
        self.add_payments(seats[uc], card, self.card_time(seats[uc]))
        self.bits[seats[uc]] |= BIT["company_card"]
        um = mkt[comp] & (rng.random(n) < .5) & ~uc
        self._give_marketplace(seats[um])
        self.personal_cards(seats[~uc & ~um], .25)
        # orgs, keys, autoscaling key pools
        inorg = has_org[comp] & (rng.random(n) < .95)
        self.org[seats[inorg]] = corg[comp[inorg]]
        uk = okey[comp] & inorg
        self.kshared[seats[uk]] = KEY_ORG + corg[comp[uk]]
        self.pshared[seats[uk]] = rng.uniform(.3, .8, int(uk.sum()))
        self.bits[seats[uk]] |= BIT["org_shared_keys"]
        rows, p = self.global_asn("cloud", (16509, 14618, 396982))
        for c in np.flatnonzero(autos):
            ms = seats[(comp == c) & inorg]
            s, k = self.pool(("auto", int(c)), rows[[0, 1, 2]][[int(rng.integers(0, 3))]], np.ones(1),
                             rng.integers(50, 1001) * min(1.0, (self.N / 1e6) ** .5 + .2), 0.3)
            self.pool_s[ms], self.pool_n[ms] = s, k
            self.pa_[ms], self.pb_[ms] = .2, .3
            self.kshared[ms] = KEY_ORG + corg[c]
            self.pshared[ms] = .9
            self.bits[ms] |= BIT["org_shared_keys"]
        # templates, schedule sync, mail
        self.tpl[seats, 2] = TPL_COMPANY + comp * 16 + (rng.random(n) * ntpl[comp]).astype(np.int64)
        self.tpl[seats, 3] = TPL_COMPANY + comp * 16 + (rng.random(n) * ntpl[comp]).astype(np.int64)
        self.gseed[seats] = _mix(comp.astype(np.uint64), 0xC0)
        self.pgrp[seats] = .5
        ek = uses_dom[comp] & (rng.random(n) < .9)
        self.ekind[seats[ek]] = 1
        self.edom[seats[ek]] = dom[comp[ek]]
        self.comp_seats, self.comp_of_seat, self.comp_size = seats, comp, csize
        self.comp_dom = dom

    def _campus(self, idx: np.ndarray) -> None:
        rng = self.rng
        if len(idx) == 0:
            return
        cap = max(40, int(1500 * (self.N / 1e6) ** .5))
        sem = np.array([_ts("2025-09-02T00:00:00"), _ts("2026-01-12T00:00:00"), _ts("2026-03-30T00:00:00")])
        self.persona[idx] = STUDENT
        self.bits[idx] |= BIT["campus_nat"]
        for ci in np.unique(self.country[idx]):
            mem = idx[self.country[idx] == ci]
            sizes = _split_sizes(rng, len(mem), lambda k: np.minimum(cap, np.floor(15 * (1 - rng.random(k)) ** (-1 / 1.3))))
            rows, p = _asn_rows(CC[ci], "edu")
            off = 0
            for sz in sizes:
                g = mem[off:off + sz]
                off += sz
                gid = int(self.new_groups(1)[0])
                ar = int(rows[_pick(rng, np.cumsum(p), 1)[0]])
                doms = EDU_DOMAINS.get(int(ASN["asn"][ar]), ["edu"])
                dom = doms[int(min(len(doms) - 1, rng.zipf(1.6) - 1))]
                key = ("campus", gid)
                self.pool(key, np.array([ar]), np.ones(1), 2 + sz // 60, .8)
                s, k = self.pools[key][:2]
                on = rng.random(sz) < .8
                self.signup_ip[g[on]] = self.draw(key, int(on.sum()))
                self.signup_ip[g[~on]] = self.ips.new(self.pick_asn(self.country[g[~on]], "mob"))
                self.pool_s[g], self.pool_n[g] = s, k
                self.pa_[g], self.pb_[g] = .0, .25
                self.stick[g] = 7
                self.ipa[g] = self.ip_home[g]
                self.ipb[g] = self.ip_home[g]
                self.lp_s[g], self.lp_n[g], self.p_lp[g] = s, k, .5
                ed = rng.random(sz) < .6
                self.ekind[g[ed]] = 2
                self.edom[g[ed]] = dom
                lab = rng.random(sz) < .12
                ld = self.devices(int(rng.integers(2, 5)))
                self.device[g[lab]] = ld[rng.integers(0, len(ld), int(lab.sum()))]
                self.bits[g[lab]] |= BIT["golden_image"]
                # semester peaks
                tz = self.tz[g]
                pk = rng.random(sz) < .4
                self.created[g[pk]] = np.clip(sem[rng.integers(0, 3, int(pk.sum()))] + rng.normal(0, 5 * DAY, int(pk.sum()))
                                              - tz[pk] * HOUR, T_SIGNUP0, T_END - 1).astype(np.int64)
                # course workspaces
                cm = g[rng.random(sz) < .4]
                if len(cm) >= 10:
                    csz = _split_sizes(rng, len(cm), lambda k: rng.integers(20, 201, k))
                    cid = np.repeat(np.arange(len(csz)), csz)
                    orgs = self.new_orgs(len(csz))
                    grp = self.new_groups(len(csz))
                    self.org[cm] = orgs[cid]
                    self.tpl[cm, 3] = TPL_GROUP + grp[cid] * 16
                    self.gseed[cm] = _mix(grp[cid].astype(np.uint64), 0xC1)
                    self.pgrp[cm] = .7
                    t0 = self.signup_times(len(csz), tz=float(self.tz[cm[0]]))
                    burst = rng.random(len(cm)) < .5
                    self.created[cm[burst]] = self.fold(t0[cid[burst]] + rng.exponential(1800, int(burst.sum())).astype(np.int64),
                                                        t0[cid[burst]])

    def _cohorts(self, idx: np.ndarray) -> None:
        rng = self.rng
        if len(idx) == 0:
            return
        cap = max(25, int(400 * (self.N / 1e6) ** .5))
        for ci in np.unique(self.country[idx]):
            mem = idx[self.country[idx] == ci]
            sizes = _split_sizes(rng, len(mem), lambda k: np.clip(rng.lognormal(np.log(60), .7, k), 20, cap))
            off = 0
            for sz in sizes:
                g = mem[off:off + sz]
                off += sz
                gid = int(self.new_groups(1)[0])
                hack = rng.random() < .5
                t0 = int(self.signup_times(1, tz=float(self.tz[g[0]]))[0])
                t0 = t0 - t0 % HOUR + 10 * HOUR if not hack else t0
                venue = self.ips.new(self.pick_asn(np.array([ci]), "biz").repeat(int(rng.integers(1, 4))))
                self.created[g] = self.fold(t0 + rng.exponential(900, sz).astype(np.int64), t0)
                on = rng.random(sz) < .85
                self.signup_ip[g[on]] = venue[rng.integers(0, len(venue), int(on.sum()))]
                car = self.pick_asn(self.country[g[~on]], "mob")
                self.signup_ip[g[~on]] = self.draw_cgnat(car)
                self.bits[g[~on]] |= BIT["cgnat"]
                self.tpl[g, 3] = TPL_GROUP + gid * 16
                self.persona[g] = COHORT
                self.gseed[g] = _mix(np.full(sz, gid, np.uint64), 0xC2)
                self.pgrp[g] = .8
                if hack:
                    self.bits[g] |= BIT["hackathon"]
                    teams = _split_sizes(rng, sz, lambda k: rng.integers(3, 6, k))
                    self.org[g] = self.new_orgs(len(teams))[np.repeat(np.arange(len(teams)), teams)]
                    self.sched[g] = self.S("hackathon")
                else:
                    self.bits[g] |= BIT["bootcamp_cohort"]
                    self.org[g] = self.new_orgs(1)[0]
                    self.sched[g] = self.S("business")
                d = (t0 - T_W0) // DAY
                if 0 <= d < W_DAYS:
                    self.ev_day[g] = d

    def _mobile(self, idx: np.ndarray) -> None:
        rng = self.rng
        if len(idx) == 0:
            return
        car, s, n = self.carrier_pool(self.country[idx])
        cg = rng.random(len(idx)) < self.cfg.cgnat_share_of_mobile
        sip = np.zeros(len(idx), np.int64)
        sip[cg] = self.draw_cgnat(car[cg])
        sip[~cg] = self.ips.new(car[~cg])
        self.signup_ip[idx] = sip
        self.ip_alt[idx] = self.ips.new(car)
        self.lp_s[idx], self.lp_n[idx] = s, n
        self.p_lp[idx] = np.where(cg, .55, .2)
        self.uamob[idx] = rng.random(len(idx)) < .92
        self.bits[idx[cg]] |= BIT["cgnat"]

    def _vpn(self, idx: np.ndarray) -> None:
        rng = self.rng
        if len(idx) == 0:
            return
        prov = _pick(rng, np.cumsum([.40, .18, .16, .10, .05, .11]), len(idx))
        sip, s, n = self.vpn_draw(self.country[idx], prov)
        self.signup_ip[idx] = sip
        self.lp_s[idx], self.lp_n[idx], self.p_lp[idx] = s, n, .6
        self.bits[idx] |= BIT["vpn_relay"]
        vps = rng.random(len(idx)) < .08
        rows, p = self.global_asn("host")
        self.signup_ip[idx[vps]] = self.ips.new(rows[_pick(rng, np.cumsum(p), int(vps.sum()))])
        self.p_lp[idx[vps]] = .3
        self.bits[idx[vps]] |= BIT["self_hosted_vps"]
        rel = (prov == 0) & ~vps
        mob = rel & (rng.random(len(idx)) < .5)
        self.uamob[idx[mob]] = True
        self.uafam[idx[rel & ~mob]] = FAM["safari_mac"]
        self.uafam[idx[mob]] = FAM["ios_safari"]

    def _home(self, idx: np.ndarray) -> None:
        cfg, rng = self.cfg, self.rng
        if len(idx) == 0:
            return
        self.signup_ip[idx] = self.ip_home[idx]
        ph = rng.random(len(idx)) < .05
        self.signup_ip[idx[ph]] = self.ips.new(self.pick_asn(self.country[idx[ph]], "mob"))
        self.uamob[idx[ph]] = True
        hm = idx[rng.random(len(idx)) < cfg.household_share_of_home]
        if len(hm) < 2:
            return
        sizes = _split_sizes(rng, len(hm), lambda k: rng.choice([2, 3, 4, 5], k, p=[.55, .25, .15, .05]))
        hid = np.repeat(np.arange(len(sizes)), sizes)
        head = hm[(np.cumsum(sizes) - sizes)[hid]]
        self.hh_head[hm] = head
        for arr in (self.country, self.tz, self.ip_home):
            arr[hm] = arr[head]
        same = rng.random(len(hm)) < .85
        self.signup_ip[hm[same]] = self.ip_home[hm[same]]
        ln = rng.random(len(hm)) < .8
        self.lname[hm[ln]] = self.lname[head[ln]]
        dv = rng.random(len(hm)) < .4
        self.device[hm[dv]] = self.device[head[dv]]
        self.bits[hm[sizes[hid] > 1]] |= BIT["household"]

    def _qa(self, qa: np.ndarray) -> None:
        rng = self.rng
        n = len(qa)
        jp = rng.random(n) < .3
        self.country[qa] = np.where(jp, CCI["JP"], CCI["US"])
        self.tz[qa] = np.where(jp, 9, -7)
        batches = np.array([_ts(d) for d in ("2025-05-12T17:00:00", "2025-11-03T17:30:00", "2026-03-16T16:00:00")])
        self.created[qa] = batches[rng.integers(0, 3, n)] + np.arange(n) * 37 + rng.integers(0, 30, n)
        roles = ["loadtest", "qa", "e2e", "billing-qa", "evals"]
        self.email[qa] = [f"{roles[i % 5]}+{i:03d}@kodama.dev" if i % 3 else f"{roles[i % 5]}-{i:03d}@kodama.dev"
                          for i in range(n)]
        self.ekind[qa] = 3
        self.fname[qa] = "qa"
        self.lname[qa] = "test"
        zayo = int(np.flatnonzero((ASN["asn"] == 6461) & (ASN["kind"] == "biz"))[0])
        ntt = int(np.flatnonzero((ASN["asn"] == 4713) & (ASN["kind"] == "biz"))[0])
        aws = int(np.flatnonzero(ASN["asn"] == 16509)[0])
        sf = self.ips.new_fixed(zayo, ["64.125.182.34", "64.125.182.35"])
        tk = self.ips.new_fixed(ntt, ["210.159.77.18"])
        ci = self.ips.new_fixed(aws, [f"3.90.214.{k}" for k in range(10, 42)])
        self.signup_ip[qa] = np.where(jp, tk[0], sf[rng.integers(0, 2, n)])
        self.ip_home[qa] = self.signup_ip[qa]
        rig = self.devices(3)
        self.device[qa] = rig[rng.integers(0, 3, n)]
        self.uafam[qa] = FAM["chrome_mac"]
        org = int(self.new_orgs(1)[0])
        self.org[qa] = org
        card, _ = self.new_cards(np.array([CCI["US"]]), "commercial")
        self.cards.postal[int(card[0])] = "94107"
        has = rng.random(n) < .8
        self.add_payments(qa[has], np.full(int(has.sum()), card[0]), self.created[qa[has]] + 600)
        self.pcard[qa[has]] = card[0]
        self.persona[qa] = QA
        self.bits[qa] |= BIT["internal_qa"] | BIT["office_nat"] | BIT["company_card"]
        self.pool_s[qa], self.pool_n[qa] = ci[0], len(ci)
        self.pa_[qa], self.pb_[qa] = .1, .1
        self.ipa[qa] = self.signup_ip[qa]
        self.qa_info = dict(acc=qa, ips=["64.125.182.34", "64.125.182.35", "210.159.77.18"], cidr="3.90.214.0/24",
                            devices=rig, org=org, card=int(card[0]))

    def _launches(self, cand: np.ndarray) -> None:
        rng = self.rng
        waves = [("2025-10-14T15:00:00", None), ("2026-01-20T01:00:00", ("JP", "KR")), ("2026-05-12T16:00:00", None)]
        taken = np.zeros(self.N, bool)
        for t0, only in waves:
            c = cand if only is None else cand[np.isin(self.country[cand], [CCI[x] for x in only])]
            c = c[~taken[c]]
            k = min(len(c), int(round(self.cfg.launch_wave_share * self.N)))
            sel = rng.choice(c, k, replace=False)
            taken[sel] = True
            dt = np.minimum(rng.exponential(2.5 * HOUR, k), 40 * HOUR)
            self.created[sel] = self.fold(_ts(t0) + dt.astype(np.int64), _ts(t0))
            self.bits[sel] |= BIT["launch_wave"]

    def _conferences(self, cand: np.ndarray) -> None:
        rng = self.rng
        total = int(self.cfg.event_share * self.N)
        if total < 30:
            return
        cc = ["US", "JP", "KR", "IN", "TW", "SG", "CA", "AU", "HK"]
        pw = np.array([.4, .15, .1, .1, .05, .05, .05, .05, .05])
        done = 0
        while done < total:
            c = CCI[cc[_pick(rng, _cum(pw), 1)[0]]]
            sz = int(min(total - done, max(30, rng.integers(300, 1501) * (self.N / 1e6) ** .5)))
            pool_ = cand[(self.country[cand] == c) & (self.bits[cand] & (BIT["launch_wave"] | BIT["event_burst"]) == 0)]
            if len(pool_) < sz:
                break
            sel = rng.choice(pool_, sz, replace=False)
            t0 = int(self.signup_times(1, tz=float(COUNTRY[CC[c]][1][0][0]))[0])
            t0 = t0 - t0 % DAY + int((10 - COUNTRY[CC[c]][1][0][0]) * HOUR) % DAY
            self.created[sel] = self.fold(t0 + rng.integers(0, 2 * HOUR, sz), t0)
            venue = self.ips.new(self.pick_asn(np.array([c]), "biz").repeat(int(rng.integers(2, 5))))
            on = rng.random(sz) < .6
            self.signup_ip[sel[on]] = venue[rng.integers(0, len(venue), int(on.sum()))]
            off = sel[~on]
            self.signup_ip[off] = self.draw_cgnat(self.pick_asn(self.country[off], "mob"))
            self.uamob[off] = True
            self.bits[off] |= BIT["cgnat"]
            self.bits[sel] |= BIT["event_burst"]
            done += sz

    def _multi(self, cand: np.ndarray) -> None:
        rng = self.rng
        cand = cand[self.hh_head[cand] < 0]
        n_alt = int(self.cfg.multi_account_share * self.N)
        sizes = []
        s = 0
        while s < n_alt:
            k = int(rng.choice([2, 3, 4, 5, 6], p=[.7, .2, .06, .03, .01]))
            sizes.append(k)
            s += k - 1
        sizes = np.array(sizes)
        if sizes.sum() > len(cand):
            return
        acc = rng.choice(cand, int(sizes.sum()), replace=False)
        pid = np.repeat(np.arange(len(sizes)), sizes)
        base = acc[(np.cumsum(sizes) - sizes)[pid]]
        alt = acc != base
        a, b = acc[alt], base[alt]
        self.alt_of[a] = b
        for arr in (self.country, self.tz, self.fname, self.lname, self.ip_home, self.uamob, self.uafam,
                    self.persona, self.lp_s, self.lp_n, self.p_lp, self.ctx):
            arr[a] = arr[b]
        k = len(a)
        u = rng.random(k)
        self.signup_ip[a] = np.where(u < .55, self.ip_home[b], np.where(u < .8, self.signup_ip[b], self.ip_home[a]))
        dv = rng.random(k) < .75
        self.device[a[dv]] = self.device[b[dv]]
        self.created[a] = self.fold(self.created[b] + rng.exponential(60 * DAY, k).astype(np.int64), self.created[b])
        net = BIT["cgnat"] | BIT["vpn_relay"] | BIT["self_hosted_vps"]
        self.bits[a] = (self.bits[a] & ~net) | (self.bits[b] & net)
        self.bits[acc] |= BIT["multi_account"]

    def _apps(self, rest: np.ndarray) -> None:
        cfg, rng = self.cfg, self.rng
        n_apps = max(3, int(round(self.N * cfg.apps_per_account)))
        own_c = rest[np.isin(self.persona[rest], (DEV, OFFICE)) & (self.created[rest] < _ts("2026-02-01T00:00:00"))]
        owners = rng.choice(own_c, n_apps, replace=False)
        cand = rest[np.isin(self.persona[rest], (DEV, CONSUMER)) & (self.alt_of[rest] < 0)
                    & ~np.isin(rest, owners)]
        total = min(len(cand) // 2, int(cfg.app_end_user_share * self.N))
        cap = max(40, int(3000 * (self.N / 1e6) ** .5))
        sizes = np.minimum(cap, np.floor(20 * (1 - rng.random(n_apps)) ** (-1 / 1.1))).astype(np.int64)
        sizes = np.maximum(2, (sizes * total / max(1, sizes.sum())).astype(np.int64))
        users = rng.choice(cand, int(min(sizes.sum(), len(cand))), replace=False)
        sizes[-1] -= int(sizes.sum() - len(users))
        app = np.repeat(np.arange(n_apps), np.maximum(sizes, 0))
        launch = np.minimum(self.created[owners] + rng.integers(10, 200, n_apps) * DAY, T_END - 20 * DAY)
        rows, p = self.global_asn("cloud", (16509, 396982, 13335, 8075))
        gids = self.new_groups(n_apps)
        names = [f"{CO_A[int(rng.integers(len(CO_A)))].title()}{CO_B[int(rng.integers(len(CO_B)))].title()}"
                 for _ in range(n_apps)]
        mob_app = rng.random(n_apps) < .6
        self.app_info = []
        for a in range(n_apps):
            s, k = self.pool(("app", a), rows, p, int(rng.integers(2, 11)), .5)
            ver = f"{int(rng.integers(1, 5))}.{int(rng.integers(0, 20))}.{int(rng.integers(0, 9))}"
            ui = self.ua_custom("Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
                                f"(KHTML, like Gecko) Mobile/15E148 {names[a]}/{ver}")
            ua_ = self.ua_custom("Mozilla/5.0 (Linux; Android 14; K; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
                                 f"Version/4.0 Chrome/146.0.0.0 Mobile Safari/537.36 {names[a]}/{ver}")
            self.app_info.append((s, k, ui, ua_, bool(mob_app[a])))
        self.persona[owners] = APP_OWNER
        self.app_of[owners] = np.arange(n_apps)
        self.bits[owners] |= BIT["app_owner"]
        self.persona[users] = APP_END
        self.app_of[users] = app
        self.bits[users] |= BIT["app_end_user"]
        self.created[users] = np.maximum(self.created[users], self.fold(
            launch[app] + rng.exponential(30 * DAY, len(users)).astype(np.int64), launch[app]))
        self.app_launch = launch
        self.app_tpl = TPL_GROUP + gids * 16

    def _household_cards(self, rest: np.ndarray) -> None:
        rng = self.rng
        m = rest[(self.hh_head[rest] >= 0) & (self.hh_head[rest] != rest)]
        m = m[(self.pcard[self.hh_head[m]] >= 0) & (rng.random(len(m)) < .5)]
        self.pcard[m] = self.pcard[self.hh_head[m]]
        self.add_payments(m, self.pcard[m], self.card_time(m))

    def _multi_cards(self, rest: np.ndarray) -> None:
        rng = self.rng
        a = rest[self.alt_of[rest] >= 0]
        b = self.alt_of[a]
        m = (self.pcard[b] >= 0) & (rng.random(len(a)) < .45)
        a, b = a[m], b[m]
        self.pcard[a] = self.pcard[b]
        self.add_payments(a, self.pcard[b], self.card_time(a))

    def _resellers(self, rest: np.ndarray) -> None:
        rng = self.rng
        cc = ["KR", "JP", "IN", "TW", "HK", "ID", "VN", "MX"]
        total = int(self.cfg.reseller_share * self.N)
        nres = max(1, min(len(cc), int(round(8 * min(1.0, self.N / 500_000)))))
        self.reseller_cards = []
        for r in range(nres):
            c = CCI[cc[r]]
            cand = rest[(self.country[rest] == c) & ((self.bits[rest] & BIT["company_card"]) == 0)]
            k = min(len(cand), max(5, int(total / nres * rng.uniform(.4, 1.6))))
            if k < 5:
                continue
            sel = rng.choice(cand, k, replace=False)
            cids, _ = self.new_cards(np.full(int(rng.integers(1, 4)), c), "commercial")
            card = cids[rng.integers(0, len(cids), k)]
            self.pcard[sel] = card
            self.add_payments(sel, card, self.card_time(sel))
            self.bits[sel] |= BIT["reseller_card"]
            self.reseller_cards.append((cc[r], int(cids[0]), k))

    def _give_marketplace(self, acc: np.ndarray) -> None:
        if not hasattr(self, "mkt_cards"):
            specs = [("aws", "98109"), ("gcp", "94043"), ("azure", "98052")]
            ids = self.cards.new(np.full(3, -1), [s[1] for s in specs])
            self.mkt_cards = ids
        if len(acc) == 0:
            return
        w = _pick(self.rng, np.cumsum([.6, .25, .15]), len(acc))
        card = self.mkt_cards[w]
        self.add_payments(acc, card, self.card_time(acc))
        self.bits[acc] |= BIT["marketplace_billing"]

    def _marketplace(self, rest: np.ndarray) -> None:
        have = int(((self.bits[rest] & BIT["marketplace_billing"]) > 0).sum())
        need = int(self.cfg.marketplace_share * self.N) - have
        cand = rest[np.isin(self.persona[rest], (DEV, APP_OWNER)) & ((self.bits[rest] & BIT["marketplace_billing"]) == 0)]
        if need > 0 and len(cand) > need:
            self._give_marketplace(self.rng.choice(cand, need, replace=False))

    def _browsers(self, idx: np.ndarray) -> None:
        fam = self.uafam[idx].astype(np.int64)
        free = fam < 0
        if free.any():
            self.browser(idx[free], self.uamob[idx[free]])
            fam[free] = self._fam_cache
        if (~free).any():
            self.browser(idx[~free], False, fam[~free])
        self.uafam[idx] = fam
        # in-app sign-up for app end-users
        u = idx[self.persona[idx] == APP_END]
        for a in np.unique(self.app_of[u]):
            s, k, ui, ua_, mob = self.app_info[a]
            if not mob:
                continue
            m = u[self.app_of[u] == a]
            ios = np.isin(self.uafam[m], IOS_FAMS) | (self.rng.random(len(m)) < .45)
            self.ua[m] = np.where(ios, ui, ua_)

    def _collisions(self, idx: np.ndarray) -> None:
        rng = self.rng
        ios = idx[(self.uafam[idx] == FAM["ios_safari"]) & (self.ua[idx] >= 0)]
        m = ios[rng.random(len(ios)) < self.cfg.fingerprint_collision_share]
        generic = self.devices(40)
        w = 1.0 / np.arange(1, 41)
        self.device[m] = generic[_pick(rng, _cum(w), len(m))]
        self.bits[m] |= BIT["fingerprint_collision"]
        self.generic_devices = generic

    # ---- legit traffic ---------------------------------------------------
    def _mixes(self, base: np.ndarray, conc: float = 12.0) -> np.ndarray:
        g = self.rng.gamma(np.maximum(base * conc, 0.05))
        return _cum(g).astype(np.float32)

    def legit_traffic(self, L: np.ndarray) -> None:
        cfg, rng = self.cfg, self.rng
        idx = L
        n = len(idx)
        per = self.persona[idx].copy()
        cday = (self.created[idx] - T_W0) // DAY
        age = -cday
        base = np.select([per == CONSUMER, per == DEV, per == OFFICE, per == STUDENT, per == COHORT,
                          per == APP_END, per == APP_OWNER, per == QA], [.22, .32, .50, .36, .30, .45, .92, 1.0], .3)
        p_act = np.where(cday >= 0, .8, np.clip(base + .3 * np.exp(-np.maximum(age, 0) / 120), 0, .97))
        active = (rng.random(n) < p_act) | (self.ev_day[idx] >= 0) | (per == QA)
        dm = active & (age > 150) & (rng.random(n) < cfg.dormant_return_share) & (per != QA)
        self.dormant[idx[dm]] = True
        self.bits[idx[dm]] |= BIT["dormant_return"]
        # power users
        elig = np.flatnonzero(active & np.isin(per, (DEV, OFFICE, APP_OWNER)))
        k = min(len(elig), int(round(cfg.power_user_share * active.sum())))
        pw = np.zeros(n, bool)
        pw[rng.choice(elig, k, replace=False)] = True
        self.bits[idx[pw]] |= BIT["power_user"]
        tp = np.where(pw, POWER, per)
        # CI runners
        ci = active & ~pw & np.isin(per, (DEV, OFFICE)) & (rng.random(n) < cfg.ci_share / .5)
        tp[ci] = CI
        self.bits[idx[ci]] |= BIT["ci_runner"]
        P = [CONSUMER, DEV, OFFICE, STUDENT, COHORT, POWER, CI, APP_END, APP_OWNER, QA]

        def sel(vals, default=0.0):
            return np.select([tp == p for p in P], vals, default)
        med = sel([18, 60, 90, 35, 80, 4000, 400, 30, 800, 6000])
        sig = sel([1.1, 1.1, 1.0, 1.0, .9, .8, .7, 1.0, .9, .5])
        E = np.maximum(1, rng.lognormal(np.log(med), sig)).astype(np.int64)
        E[tp == CI] = np.minimum(E[tp == CI], 2000)
        self.E[idx] = np.where(active, E, 0)
        self.crow[idx] = sel([2.5, 4, 5, 3, 5, 18, 1, 2, 8, 25]) * rng.uniform(.7, 1.4, n)
        lo = sel([2, 4, 12, 5, 3, 25, 45, 3, 20, 45])
        hi = sel([12, 22, 30, 20, 15, 45, 45, 15, 45, 45])
        self.ndays[idx] = rng.integers(lo.astype(np.int64), hi.astype(np.int64) + 1)
        a0 = np.clip(cday, 0, W_DAYS - 1)
        a0 = np.where(dm, rng.integers(0, 36, n), a0)
        a1 = np.where(rng.random(n) < .8, W_DAYS - 1, rng.integers(a0, W_DAYS))
        ev = self.ev_day[idx]
        hk = (self.bits[idx] & BIT["hackathon"]) > 0
        a0 = np.where(ev >= 0, ev, a0)
        a1 = np.where(ev >= 0, np.minimum(W_DAYS - 1, ev + np.where(hk, 1, 30)), a1)
        self.ndays[idx[(ev >= 0) & hk]] = 2
        self.a0[idx], self.a1[idx] = a0, np.maximum(a0, a1)
        # schedules
        sc = sel([self.S("consumer"), self.S("dev"), self.S("business"), self.S("student"), -1,
                  self.S("dev"), self.S("flat"), self.S("app"), self.S("dev"), self.S("agent24")]).astype(np.int64)
        sc = np.where((tp == POWER) & (rng.random(n) < .3), self.S("agent24"), sc)
        sc = np.where((tp == POWER) & (per == OFFICE) & (sc != self.S("agent24")), self.S("business"), sc)
        keep = sc < 0
        self.sched[idx[~keep]] = sc[~keep]
        # cron jobs: daily at a fixed hour (50 %) or hourly
        cm = np.flatnonzero((tp == CI) | ((tp == QA) & (rng.random(n) < .5)))
        if len(cm):
            self.cron[idx[cm]] = np.array([0, 0, 0, 0, 30, 30, 15, 45, 5, 10, 20, 0])[rng.integers(0, 12, len(cm))]
            daily = rng.random(len(cm)) < .5
            hrs = np.array([2, 3, 6, 7, 8, 0, 12, 14])[rng.integers(0, 8, len(cm))]
            for h in np.unique(hrs[daily]):
                nm = f"cron{h}"
                if nm not in self.sched_name:
                    hv = np.full(24, .0)
                    hv[h] = 1
                    self.sched_name[nm] = self.add_sched(hv, [1] * 7)
                self.sched[idx[cm[daily & (hrs == h)]]] = self.S(nm)
            self.tz[idx[cm[daily]]] = 0
        # capability mixes
        B = np.array([[.04, .18, .08, .58, .12], [.14, .48, .08, .2, .1], [.18, .45, .12, .15, .1],
                      [.05, .42, .1, .33, .1], [.22, .5, .1, .1, .08], [.38, .35, .15, .05, .07],
                      [.05, .7, .1, .0, .15], [.1, .3, .1, .4, .1], [.15, .5, .1, .15, .1], [.3, .3, .2, .1, .1]])
        bm = B[_lookup(tp, P)]
        ae = np.flatnonzero(tp == APP_END)
        if len(ae):
            appmix = self._mixes(np.tile(np.array([.15, .35, .1, .3, .1]), (len(self.app_info), 1)), 3)
            bm = bm.copy()
            bm[ae] = np.diff(np.concatenate([np.zeros((len(ae), 1)), appmix[self.app_of[idx[ae]]]], 1), axis=1)
        self.cap[idx] = self._mixes(bm)
        # prompt templates: slots [default, public, group2, group3] + personal remainder
        pub = rng.random(n) < cfg.public_template_share
        z = np.minimum(rng.zipf(1.07, n), cfg.n_public_templates) - 1
        self.tpl[idx, 1] = TPL_PUBLIC + z
        self.bits[idx[pub & active]] |= BIT["public_template"]
        ppub = np.where(pub, rng.uniform(.15, .6, n), 0)
        pdef = sel([.5, .3, .15, .35, .2, .15, .0, .05, .1, .0]) * rng.uniform(.5, 1.5, n)
        has3 = self.tpl[idx, 3] != TPL_DEFAULT
        has2 = self.tpl[idx, 2] != TPL_DEFAULT
        p2 = np.where(has2, rng.uniform(.1, .3, n), 0)
        p3 = np.where(has3, sel([0, 0, .25, .3, .5, .1, 0, 0, 0, .4]) * rng.uniform(.6, 1.4, n), 0)
        # CI: public CI templates; app users / owners: the app template
        cz = np.minimum(rng.zipf(1.3, n), 40) - 1
        self.tpl[idx[ci], 1] = TPL_CI + cz[ci]
        ppub = np.where(ci, .85, ppub)
        pdef = np.where(ci, .05, pdef)
        ap = self.app_of[idx]
        apm = ap >= 0
        if apm.any():
            self.tpl[idx[apm], 3] = self.app_tpl[ap[apm]] + rng.integers(0, 3, int(apm.sum()))
            p3 = np.where(apm, np.where(per == APP_END, .9, .55), p3)
        qa = per == QA
        self.tpl[idx[qa], 2] = TPL_GROUP + 999_999 * 16
        self.tpl[idx[qa], 3] = TPL_GROUP + 999_999 * 16 + 1
        p2 = np.where(qa, .5, p2)
        p3 = np.where(qa, .45, p3)
        tot = pdef + ppub + p2 + p3
        sc_ = np.where(tot > .95, .95 / np.maximum(tot, 1e-9), 1)
        pr = np.stack([pdef, ppub, p2, p3], 1) * sc_[:, None]
        self.tplc[idx] = np.cumsum(pr, 1).astype(np.float32)
        self.npers[idx] = rng.integers(1, 7, n)
        # keys
        self.nkeys[idx] = rng.integers(1, 4, n)
        self.pnokey[idx] = sel([.6, .2, .25, .4, .1, .05, 0, 0, .05, 0])
        # request IPs
        ind = np.isin(per, (CONSUMER, DEV)) | (tp == POWER) & ~np.isin(per, (OFFICE, STUDENT))
        j = idx[ind]
        self.ipa[j] = self.ip_home[j]
        self.ipb[j] = np.where(self.ip_alt[j] >= 0, self.ip_alt[j], self.signup_ip[j])
        ctx = self.ctx[j]
        self.pa_[j] = np.select([ctx == 3, ctx == 4], [.3, .25], .75)
        self.pb_[j] = self.pa_[j] + .1
        self.pool_s[j], self.pool_n[j] = self.lp_s[j], self.lp_n[j]
        self.stick[j] = 2
        vp = ind & (rng.random(n) < .04) & np.isin(tp, (DEV, POWER))
        rows, p = self.global_asn("host")
        self.ipb[idx[vp]] = self.ips.new(rows[_pick(rng, np.cumsum(p), int(vp.sum()))])
        self.ip_alt[idx[vp]] = self.ipb[idx[vp]]
        self.pb_[idx[vp]] = self.pa_[idx[vp]] + .35
        self.bits[idx[vp]] |= BIT["self_hosted_vps"]
        co = idx[per == COHORT]
        self.ipa[co] = self.signup_ip[co]
        self.ipb[co] = self.ip_home[co]
        self.pa_[co], self.pb_[co] = .6, 1
        for pers, share in ((APP_END, 0.0), (APP_OWNER, .3)):
            u = idx[per == pers]
            if len(u) == 0:
                continue
            st = np.array([self.app_info[a][0] for a in range(len(self.app_info))])
            ln = np.array([self.app_info[a][1] for a in range(len(self.app_info))])
            self.pool_s[u], self.pool_n[u] = st[self.app_of[u]], ln[self.app_of[u]]
            self.ipa[u] = self.ip_home[u]
            self.pa_[u] = share
            self.pb_[u] = share
        # cloud IDEs and CI runners
        cd = active & ~ci & np.isin(tp, (DEV, OFFICE, POWER, APP_OWNER)) & (rng.random(n) < cfg.cloud_dev_share)
        which = _pick(rng, np.cumsum([.6, .25, .15]), n)
        for w, nm in enumerate(("codespaces", "gitpod", "replit")):
            m = cd & (which == w)
            s, k = self.cloud_pool(nm)
            self.pool_s[idx[m]], self.pool_n[idx[m]] = s, k
        self.pa_[idx[cd]] = rng.uniform(.1, .5, int(cd.sum()))
        self.pb_[idx[cd]] = self.pa_[idx[cd]] + .05
        self.bits[idx[cd]] |= BIT["cloud_dev"]
        self.stick[idx[cd]] = 1
        s, k = self.cloud_pool("gha")
        self.pool_s[idx[ci]], self.pool_n[idx[ci]] = s, k
        self.pa_[idx[ci]], self.pb_[idx[ci]] = .03, .03
        self.stick[idx[ci]] = 0
        self.pool_k[idx] = 1.0
        # SDK user agents
        grp = sel([0, 1, 2, 1, 1, 1, 3, 4, 4, 5]).astype(np.int64)
        gnames = [("raw", "python"), ("python", "node", "cli", "ide"), ("ide", "cli", "python"), ("ci",),
                  ("node", "python"), ("python",)]
        sdk = np.zeros(n, np.int64)
        for g, names in enumerate(gnames):
            m = grp == g
            allv = np.concatenate([SDK_GROUPS[x] for x in names])
            sdk[m] = allv[rng.integers(0, len(allv), int(m.sum()))]
        self.sdk[idx] = sdk
        # tokens, logging path
        self.tin[idx] = rng.normal(0, .3, n) + np.where(tp == POWER, .3, 0)
        self.tout[idx] = rng.normal(0, .3, n) + np.where(tp == POWER, .6, 0)
        self.raw[idx] = (rng.random(n) < cfg.raw_account_share) | ci
        self.nullcount[idx] = self.raw[idx] & (rng.random(n) < .4)
        self.login_rate[idx] = np.where(active, 1.0, .4)
        # VIP enterprise accounts
        vc = idx[pw & (per == OFFICE)]
        self.vips = self.rng.choice(vc, min(len(vc), 10 + self.N // 200_000), replace=False)
        self.bits[self.vips] |= BIT["vip"]
        self.stats["legit_active"] = int(active.sum())


    # ---- fraud -------------------------------------------------------------
    def plan_fraud(self) -> np.ndarray:
        cfg, N, rng = self.cfg, self.N, self.rng
        big = cfg.big_op_accounts if N >= cfg.big_op_fixed_from else int(round(cfg.big_op_share_below * N))
        self.big_n = big
        self.big_ex = int(round(cfg.big_op_exchanges * big / cfg.big_op_accounts))
        typical = {"farm": 500, "stealth": 950, "aged": 800, "camouflaged": 625, "fake_seats": 500,
                   "cloud_hidden": 500, "key_resale": 400, "credit_farm": 300, "card_testing": 150,
                   "low_and_slow": 10 ** 9}
        shares = dict(cfg.big_op_styles)
        tot = sum(shares.values())
        counts = {k: int(big * v / tot) for k, v in shares.items()}
        counts[max(counts, key=counts.get)] += big - sum(counts.values())
        specs = [("tidewater", s, c) for s, c in counts.items()]
        specs += [("nightjar", "low_and_slow", max(20, int(round(cfg.low_slow_per_million * N / 1e6)))),
                  ("bluefin", "key_resale", int(round(cfg.key_resale_share * N))),
                  ("kestrel", "credit_farm", int(round(cfg.credit_farm_share * N))),
                  ("marlin", "card_testing", int(round(cfg.card_testing_share * N)))]
        scale = (N / 1e6) ** .5
        perm = rng.permutation(N)
        off = 0
        for camp, style, T in specs:
            if T <= 0:
                continue
            ts = max(20, typical[style] * scale)
            nr = max(1, int(round(T / ts)))
            while True:
                w = rng.lognormal(0, .5, nr)
                sz = np.floor(T * w / w.sum()).astype(np.int64)
                sz[np.argmax(sz)] += T - sz.sum()
                if sz.max() <= 2000 and (sz.min() >= min(20, T) or nr == 1):
                    break
                nr = nr + 1 if sz.max() > 2000 else max(1, nr - 1)
            for k, s in enumerate(sz):
                g = perm[off:off + s]
                off += s
                self.rings.append(dict(ring_id=f"{camp}-{style}-{k + 1:02d}", campaign=camp, style=style, idx=g))
        self.ring_sched = {}
        return perm[:off]

    def _op_scheds(self) -> None:
        shift = np.full(24, .04)
        shift[0:10] = 1
        shift[10:12] = .3
        shift[12:16] = .7
        dow = [1, 1, 1, 1, 1, 1, .35]
        self.sched_name["tide_shift"] = self.add_sched(shift, dow)
        self.sched_name["tide_farm"] = self.add_sched(.6 + .4 * shift, [1] * 7)
        self.sched_name["tide_camo"] = self.add_sched(.75 * shift / shift.sum() + .25 * np.roll(_H["consumer"], 5)
                                                      / np.sum(_H["consumer"]), [1, 1, 1, 1, 1, 1.1, .7])
        biz = np.full(24, .02)
        biz[1:10] = 1
        self.sched_name["tide_biz"] = self.add_sched(biz, [1, 1, 1, 1, 1, .1, .05])
        nj = np.full(24, .003)
        nj[13:17] = 1
        self.sched_name["nightjar"] = self.add_sched(nj, [1, 1, 1, 1, 1, .02, .02])

    def shift_times(self, k: int, lo: int, hi: int, sched: str) -> np.ndarray:
        rng = self.rng
        d = rng.integers(0, max(1, (hi - lo) // DAY), k)
        h = _pick(rng, _cum(self.sched_h[self.S(sched)]), k)
        return np.clip(lo + d * DAY + h * HOUR + rng.integers(0, HOUR, k), T_SIGNUP0, T_END - 1)

    def fam_tpls(self, op: int, ring_no: int, k: int = 3) -> np.ndarray:
        rng = self.rng
        core = TPL_FRAUD + op * 100_000 + rng.integers(0, 30, 1)
        own = TPL_FRAUD + op * 100_000 + 30 + ring_no * 40 + rng.choice(40, k - 1, replace=False)
        return np.concatenate([core, own])

    def _fraud_base(self, g: np.ndarray, r: int, ccs: list[str], p: list[float]) -> None:
        rng = self.rng
        n = len(g)
        self.ring[g] = r
        self.persona[g] = FRAUD
        self.country[g] = np.array([CCI[c] for c in ccs])[_pick(rng, _cum(np.array(p, float)), n)]
        self.tz[g] = 0
        self.names(g)
        self.device[g] = self.devices(n)
        self.ip_home[g] = self.ips.new(self.pick_asn(self.country[g], "res"))
        self.has_phone[g] = rng.random(n) < .45
        self.raw[g] = rng.random(n) < self.cfg.raw_account_share
        self.nullcount[g] = self.raw[g] & (rng.random(n) < .4)
        self.nkeys[g] = rng.integers(1, 3, n)
        self.npers[g] = 1
        self.tin[g] = rng.normal(.1, .3, n)
        self.tout[g] = rng.normal(.75, .35, n)
        self.login_rate[g] = 1.0
        carrier, s, k = self.carrier_pool(self.country[g])
        self.lp_s[g], self.lp_n[g], self.p_lp[g] = s, k, .05
        self.gseed[g] = _mix(np.full(n, r, np.uint64), 0xF0)
        sdk = np.concatenate([SDK_GROUPS["python"], SDK_GROUPS["raw"], SDK_GROUPS["node"]])
        self.sdk[g] = sdk[rng.integers(0, len(sdk), n)]
        self.cap[g] = self._mixes(np.tile([.42, .28, .18, .07, .05], (n, 1)), 25)

    def fraud(self) -> None:
        self._op_scheds()
        rng = self.rng
        self.op_bins = {"stealth": np.concatenate([_bins("US", "virtual")[0][[0, 2]], _bins("GB", "virtual")[0][:1]]),
                        "aged": np.concatenate([_bins("US", "virtual")[0][[1, 3]], _bins("SG", "virtual")[0][:1]]),
                        "nightjar": _bins("US", "consumer")[0][[7]]}
        n_by = {}
        for r, ring in enumerate(self.rings):
            st = ring["style"]
            n_by[st] = n_by.get(st, 0) + 1
            getattr(self, "_f_" + st)(ring["idx"], r, n_by[st] - 1)
        # the big operator's exchanges: exactly big_ex in total
        inten = {"farm": 2.0, "stealth": 1.0, "aged": 1.3, "camouflaged": .45, "fake_seats": 1.2, "cloud_hidden": 1.2}
        bi = [(ring["idx"], inten[ring["style"]]) for ring in self.rings if ring["campaign"] == "tidewater"]
        if bi:
            acc = np.concatenate([b[0] for b in bi])
            w = np.concatenate([np.full(len(b[0]), b[1]) for b in bi]) * rng.lognormal(0, .5, len(acc))
            # a few accounts of every ring sit idle (reserve stock, burned early)
            idle = rng.random(len(acc)) < self.cfg.fraud_idle_share
            self.E[acc[idle]] = 0
            acc, w = acc[~idle], w[~idle]
            E = np.floor(self.big_ex * w / w.sum()).astype(np.int64)
            rem = self.big_ex - int(E.sum())
            E[rng.choice(len(acc), rem, replace=rem > len(acc))] += 1 if rem <= len(acc) else 0
            if rem > len(acc):
                np.add.at(E, rng.integers(0, len(acc), rem), 1)
            E = np.maximum(E, 1)
            E[np.argmax(E)] -= int(E.sum()) - self.big_ex
            self.E[acc] = E

    # style: careless farm
    def _f_farm(self, g, r, k):
        rng = self.rng
        n = len(g)
        home = ["US", "SG", "HK", "IN", "JP", "CA"][k % 6]
        self._fraud_base(g, r, [home, "US", "SG"], [.8, .15, .05])
        t0 = int(rng.integers(T_W0 - 120 * DAY, T_W0 + 25 * DAY))
        nb = max(1, n // int(rng.integers(20, 101)))
        bt = t0 + rng.integers(0, 5 * DAY, nb)
        b = np.sort(rng.integers(0, nb, n))
        self.created[g] = self.fold(bt[b] + np.cumsum(rng.exponential(180, n)).astype(np.int64) % (6 * HOUR), bt[b])
        # e-mail pattern of this farm
        pat = k % 3
        dom = f"{['mailnest', 'inboxly', 'devpost', 'quickbox', 'mboxhub'][k % 5]}{k}.{['xyz', 'top', 'site', 'online'][k % 4]}"
        seq0 = int(rng.integers(100, 5000))
        em = []
        for i, a in enumerate(g):
            f, la = self.fname[a], self.lname[a]
            if pat == 0:
                em.append(f"{f}{la}{rng.integers(10, 99)}@{dom}")
            elif pat == 1:
                em.append(f"{f}.{la}{rng.integers(1000, 9999)}@{['outlook.com', 'hotmail.com'][i % 2]}")
            else:
                em.append(f"{WORDS[k % len(WORDS)]}{seq0 + i:05d}@{dom}")
        self.email[g] = em
        self.ekind[g] = 3
        # phones: a sequential VoIP block, each number on ~3 accounts
        ph = rng.random(n) < .6
        ar = US_AREA[k % len(US_AREA)]
        ex = int(rng.integers(200, 999))
        base = int(rng.integers(0, 7000))
        self.phone[g[ph]] = [f"+1{ar}{ex}{base + i // 3:04d}" for i in range(int(ph.sum()))]
        self.has_phone[g] = False
        # devices, UA, cards
        dv = self.devices(int(rng.integers(3, 11)))
        sh = rng.random(n) < .95
        self.device[g[sh]] = dv[rng.integers(0, len(dv), int(sh.sum()))]
        self.created_fix_ua(g, FAM["chrome_win_stale"], .85)
        hc = g[rng.random(n) < .6]
        nc = max(1, len(hc) // int(rng.integers(10, 51)))
        cids, _ = self.new_cards(np.full(nc, CCI["US"]), "prepaid")
        c = cids[rng.integers(0, nc, len(hc))]
        self.pcard[hc] = c
        self.add_payments(hc, c, self.created[hc] + rng.integers(60, 3600, len(hc)))
        # infrastructure: datacenter IPs, some via carrier NAT and VPN
        rows, p = self.global_asn("host")
        key = ("dc", r)
        s, kk = self.pool(key, rows, p, int(rng.integers(3, 13)), .4)
        u = rng.random(n)
        sip = self.draw(key, n)
        us = u > .7
        sip[us & (u < .9)] = self.draw_cgnat(self.pick_asn(np.full(int((us & (u < .9)).sum()), CCI["US"]), "mob"))
        m = u >= .9
        sip[m] = self.vpn_draw(self.country[g[m]])[0]
        self.signup_ip[g] = sip
        self.ip_home[g] = sip
        self.lp_s[g], self.lp_n[g], self.p_lp[g] = s, kk, .6
        # traffic
        a0 = int(np.clip((t0 - T_W0) // DAY + 1, 0, W_DAYS - 1))
        a1 = W_DAYS - 1 if rng.random() < .6 else min(W_DAYS - 1, a0 + int(rng.integers(10, 26)))
        self.a0[g], self.a1[g] = a0, a1
        self.ndays[g] = a1 - a0 + 1
        self.pgrp[g] = .9
        self.sched[g] = self.S("tide_farm")
        self.crow[g] = rng.uniform(15, 30, n)
        self.pnokey[g] = .01
        tp = self.fam_tpls(0, r, 4)
        self.tpl[g] = tp
        self.tplc[g] = [.3, .55, .75, .97]
        self.ipa[g] = sip
        self.pa_[g], self.pb_[g] = 0, 0
        self.pool_s[g], self.pool_n[g] = s, kk
        if k % 4 == 1:  # hides part of its traffic in the cloud-IDE pool
            cs, cn = self.cloud_pool("codespaces")
            self.pool_s[g], self.pool_n[g] = cs, cn
            self.ipa[g] = self.draw(key, n)
            self.pa_[g], self.pb_[g] = .6, .6

    def created_fix_ua(self, g, fam: int, share: float) -> None:
        rng = self.rng
        one = rng.random(len(g)) < share
        self.browser(g[~one], False)
        v = 136 + int((self.created[g].min() - _CHROME0) // (28 * DAY))
        self.ua[g[one]] = self.ua_idx(np.array([fam]), np.array([v]))[0]

    def _proxy_pool(self, r: int, ccs: np.ndarray, size: int) -> tuple[int, int]:
        rows_all, w_all = [], []
        for c in np.unique(ccs):
            rows, p = _asn_rows(CC[c], "res")
            q = p ** .4 / (p ** .4).sum()  # smaller regional ISPs are over-represented in proxy pools
            share = float((ccs == c).mean())
            rows_all.append(rows)
            w_all.append(q * share)
        rows = np.concatenate(rows_all)
        w = np.concatenate(w_all)
        return self.pool(("proxy", r), rows, w / w.sum(), size, .6)

    def _f_stealth(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "JP", "KR", "CA", "AU", "TW", "SG", "HK"], [.45, .12, .1, .08, .07, .06, .06, .06])
        lo = T_W0 - int(rng.integers(60, 200)) * DAY
        self.created[g] = self.shift_times(n, lo, T_W0 + 10 * DAY, "tide_shift")
        key = ("proxy", r)
        s, kk = self._proxy_pool(r, self.country[g], max(20, int(.6 * n)))
        self.signup_ip[g] = self.draw(key, n)
        self.ip_home[g] = self.signup_ip[g]
        self.lp_s[g], self.lp_n[g], self.p_lp[g] = s, kk, .7
        self.browser(g, rng.random(n) < .2, lag_max=7)
        bins = self.op_bins["stealth"]
        b = bins[rng.integers(0, len(bins), n)]
        cids = self.cards.new(b, _postals(rng, [CC[c] for c in self.country[g]]))
        self.pcard[g] = cids
        self.add_payments(g, cids, self.created[g] + rng.integers(120, 2 * DAY, n))
        a0 = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.a0[g] = a0
        self.ndays[g] = rng.integers(15, 36, n)
        self.pgrp[g] = .8
        self.sched[g] = self.S("tide_shift")
        self.crow[g] = rng.uniform(6, 10, n)
        self.pnokey[g] = .05
        self.tpl[g] = np.concatenate([[TPL_DEFAULT], self.fam_tpls(0, r, 3)])
        self.tplc[g] = [.15, .5, .75, .9]
        cg = self.draw_cgnat(self.pick_asn(np.full(n, CCI["US"]), "mob"))
        self.ipa[g], self.ipb[g] = self.signup_ip[g], cg
        self.pa_[g], self.pb_[g] = 0, .1
        self.pool_s[g], self.pool_n[g] = s, kk

    def _f_aged(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "IN", "ID", "VN", "BR", "PH"], [.35, .2, .15, .1, .1, .1])
        nb = int(rng.integers(2, 5))
        bt = rng.integers(T_SIGNUP0 + 2 * DAY, T_W0 - 180 * DAY, nb)
        b = rng.integers(0, nb, n)
        bc = np.array([CCI[c] for c in ["US", "IN", "ID", "VN", "BR", "PH"]])[rng.integers(0, 6, nb)]
        self.country[g] = np.where(rng.random(n) < .8, bc[b], self.country[g])
        self.names(g)
        self.created[g] = bt[b] + rng.integers(0, 3 * DAY, n)
        mob = rng.random(n) < .6
        self.signup_ip[g[mob]] = self.draw_cgnat(self.pick_asn(self.country[g[mob]], "mob"))
        self.signup_ip[g[~mob]] = self.ip_home[g[~mob]]
        self.browser(g, mob)
        self.has_phone[g] = rng.random(n) < .7
        self.dormant[g] = True
        # activation waves inside the window
        nw = int(rng.integers(2, 4))
        wd = np.sort(rng.integers(0, 36, nw))
        w = rng.integers(0, nw, n)
        self.a0[g] = wd[w]
        self.ndays[g] = W_DAYS - wd[w]
        bins = self.op_bins["aged"]
        cids = self.cards.new(bins[rng.integers(0, len(bins), n)], _postals(rng, [CC[c] for c in self.country[g]]))
        self.pcard[g] = cids
        self.add_payments(g, cids, T_W0 + wd[w] * DAY + rng.integers(0, 8 * HOUR, n))
        rows, p = self.global_asn("host")
        s, kk = self._proxy_pool(r, self.country[g], max(20, n // 3))
        cs, cn = self.pool(("dc", r), rows, p, int(rng.integers(4, 16)), .4)
        self.ipa[g] = cs + rng.integers(0, cn, n)
        self.pa_[g], self.pb_[g] = .3, .3
        self.pool_s[g], self.pool_n[g] = s, kk
        self.switch[g] = True
        self.pgrp[g] = .85
        self.sched[g] = self.S("tide_shift")
        self.crow[g] = rng.uniform(8, 14, n)
        self.tpl[g] = self.fam_tpls(0, r, 4)
        self.tplc[g] = [.3, .55, .8, .95]

    def _f_camouflaged(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "JP", "KR", "IN", "CA", "AU", "TW", "SG"], [.4, .15, .1, .1, .07, .06, .06, .06])
        self.created[g] = self.shift_times(n, T_W0 - int(rng.integers(90, 240)) * DAY, T_W0 + 20 * DAY, "tide_camo")
        u = rng.random(n)
        car, s, kk = self.carrier_pool(self.country[g])
        m = u < .45
        self.signup_ip[g[m]] = self.draw_cgnat(car[m])
        self.signup_ip[g[(u >= .45) & (u < .85)]] = self.ip_home[g[(u >= .45) & (u < .85)]]
        v = g[u >= .85]
        self.signup_ip[v] = self.vpn_draw(self.country[v], np.zeros(len(v), np.int64))[0]
        self.lp_s[g], self.lp_n[g], self.p_lp[g] = s, kk, .4
        mob = rng.random(n) < .55
        self.browser(g, mob)
        ios = g[(self.ua[g] >= 0) & mob & (rng.random(n) < .55)]
        coll = ios[rng.random(len(ios)) < .35]
        w = 1.0 / np.arange(1, 41)
        self.device[coll] = self.generic_devices[_pick(rng, _cum(w), len(coll))]
        self.personal_cards(g, .55)
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = rng.integers(10, 31, n)
        self.pgrp[g] = .4
        self.sched[g] = self.S("tide_camo")
        self.crow[g] = rng.uniform(3, 5, n)
        self.pnokey[g] = .3
        ft = self.fam_tpls(0, r, 2)
        self.tpl[g, 0] = TPL_DEFAULT
        self.tpl[g, 1] = TPL_PUBLIC + np.minimum(rng.zipf(1.07, n), 200) - 1
        self.tpl[g, 2], self.tpl[g, 3] = ft[0], ft[1]
        self.tplc[g] = [.25, .5, .8, .95]
        self.cap[g] = self._mixes(np.tile([.32, .26, .14, .2, .08], (n, 1)), 20)
        self.ipa[g] = self.ip_home[g]
        self.ipb[g] = self.signup_ip[g]
        self.pa_[g], self.pb_[g] = .45, .7
        self.pool_s[g], self.pool_n[g] = s, kk
        self.stick[g] = 2
        self.tout[g] = rng.normal(.6, .3, n)

    def _f_fake_seats(self, g, r, k):
        rng = self.rng
        n = len(g)
        home = ["US", "SG", "GB", "US"][k % 4]
        self._fraud_base(g, r, [home], [1])
        dom = f"{CO_A[int(rng.integers(len(CO_A)))]}{CO_B[int(rng.integers(len(CO_B)))]}.{['io', 'ai', 'co', 'dev'][k % 4]}"
        self.email[g] = [f"{self.fname[a]}.{self.lname[a]}@{dom}" if i % 5 else f"{self.fname[a][0]}{self.lname[a]}@{dom}"
                         for i, a in enumerate(g)]
        self.ekind[g] = 3
        org = int(self.new_orgs(1)[0])
        self.org[g] = org
        nw = int(rng.integers(2, 5))
        wt = rng.integers(T_W0 - 150 * DAY, T_W0 + 15 * DAY, nw)
        wi = wt[rng.integers(0, nw, n)]
        self.created[g] = self.fold(wi + rng.exponential(3 * HOUR, n).astype(np.int64), wi)
        rows, p = self.global_asn("cloud", (16509, 8075))
        s, kk = self.pool(("vdi", r), rows, p, int(rng.integers(4, 9)), .3)
        self.signup_ip[g] = s + rng.integers(0, kk, n)
        self.ip_home[g] = self.signup_ip[g]
        dv = self.devices(int(rng.integers(2, 5)))
        self.device[g] = dv[rng.integers(0, len(dv), n)]
        self.created_fix_ua(g, FAM["chrome_win"], .9)
        card, _ = self.new_cards(np.array([CCI["US"]]), "commercial")
        hc = g[rng.random(n) < .9]
        self.pcard[hc] = card[0]
        self.add_payments(hc, np.full(len(hc), card[0]), self.created[hc] + rng.integers(60, 7200, len(hc)))
        self.kshared[g] = KEY_ORG + org
        self.pshared[g] = .7
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = rng.integers(15, 30, n)
        self.pgrp[g] = .7
        self.sched[g] = self.S("tide_biz")
        self.stick[g] = 3
        self.crow[g] = rng.uniform(6, 10, n)
        self.tpl[g] = self.fam_tpls(0, r, 4)
        self.tplc[g] = [.3, .6, .8, .95]
        self.ipa[g] = self.signup_ip[g]
        self.pa_[g], self.pb_[g] = .3, .3
        self.pool_s[g], self.pool_n[g] = s, kk

    def _f_cloud_hidden(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "IN", "SG", "CA", "GB"], [.5, .2, .1, .1, .1])
        self.created[g] = self.shift_times(n, T_W0 - int(rng.integers(30, 100)) * DAY, T_W0 + 15 * DAY, "tide_shift")
        nm = "codespaces" if k % 2 == 0 else "gitpod"
        self.stick[g] = 1
        s, kk = self.cloud_pool(nm)
        self.signup_ip[g] = self.draw(("cloud", nm), n)
        self.created_fix_ua(g, FAM["chrome_linux"], .7)
        hc = g[rng.random(n) < .3]
        bins = self.op_bins["stealth"]
        cids = self.cards.new(bins[rng.integers(0, len(bins), len(hc))], _postals(rng, [CC[c] for c in self.country[hc]]))
        self.pcard[hc] = cids
        self.add_payments(hc, cids, self.created[hc] + rng.integers(60, DAY, len(hc)))
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = rng.integers(15, 40, n)
        self.pgrp[g] = .7
        self.sched[g] = self.S("tide_shift")
        self.crow[g] = rng.uniform(6, 10, n)
        self.tpl[g] = np.concatenate([[TPL_PUBLIC + int(rng.integers(0, 20))], self.fam_tpls(0, r, 3)])
        self.tplc[g] = [.2, .5, .75, .95]
        self.ipa[g] = self.ip_home[g]
        self.pa_[g], self.pb_[g] = .1, .1
        self.pool_s[g], self.pool_n[g] = s, kk

    def _f_low_and_slow(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "CA"], [.8, .2])
        self.created[g] = self.shift_times(n, T_W0 - 90 * DAY, T_W0 + 10 * DAY, "nightjar")
        self.signup_ip[g] = self.ip_home[g]
        self.browser(g, False)
        self.has_phone[g] = rng.random(n) < .6
        b = self.op_bins["nightjar"]
        cids = self.cards.new(np.full(n, b[0]), _postals(rng, [CC[c] for c in self.country[g]]))
        self.pcard[g] = cids
        self.add_payments(g, cids, self.created[g] + rng.integers(60, 3 * DAY, n))
        self.E[g] = rng.integers(40, 151, n)
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = rng.integers(10, 21, n)
        self.pgrp[g] = .9
        self.sched[g] = self.S("nightjar")
        self.crow[g] = 1.5
        t = TPL_FRAUD + 100_000 + int(rng.integers(0, 50))
        self.tpl[g] = [TPL_DEFAULT, t, t, t]
        self.tplc[g] = [.1, 1, 1, 1]
        self.cap[g] = self._mixes(np.tile([.45, .3, .2, .03, .02], (n, 1)), 30)
        self.ipa[g] = self.ip_home[g]
        self.pa_[g], self.pb_[g] = 1, 1
        self.p_lp[g] = 0
        self.login_rate[g] = .5

    def _f_key_resale(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "HK", "SG", "TW", "JP", "KR", "GB"], [.3, .15, .15, .1, .1, .1, .1])
        self.created[g] = self.signup_times(n, T_W0 - 200 * DAY, T_W0 + 20 * DAY, 1.0)
        pr = rng.random(n) < .4
        self.edom[g[pr]] = "proton.me"
        self.ekind[g[pr]] = 1
        v = rng.random(n) < .8
        self.signup_ip[g[v]] = self.vpn_draw(self.country[g[v]], rng.choice([2, 4, 5], int(v.sum())))[0]
        rows, p = self.global_asn("host")
        rs, rn = self.pool(("relay", r), rows, p, int(rng.integers(3, 7)), .3)
        self.signup_ip[g[~v]] = rs + rng.integers(0, rn, int((~v).sum()))
        self.ip_home[g] = self.signup_ip[g]
        dv = self.devices(int(rng.integers(3, 7)))
        sh = rng.random(n) < .5
        self.device[g[sh]] = dv[rng.integers(0, len(dv), int(sh.sum()))]
        self.browser(g, False)
        ccs = np.array([CCI[c] for c in ["US", "GB", "CA", "AU", "DE", "FR", "BR", "MX"]])
        cc = np.where(rng.random(n) < .4, self.country[g], ccs[rng.integers(0, len(ccs), n)])
        cids, _ = self.new_cards(cc.astype(np.int64), {"consumer": .8, "debit": .2})
        self.pcard[g] = cids
        self.add_payments(g, cids, self.created[g] + rng.integers(60, DAY, n))
        cust = []
        for c in ("HK", "TW", "ID", "VN", "IN", "BR", "US", "KR"):
            rows_c, p_c = _asn_rows(c, "mob" if c in ("ID", "VN", "IN") else "res")
            cust.append((rows_c, p_c))
        rows_c = np.concatenate([x[0] for x in cust])
        p_c = np.concatenate([x[1] for x in cust])
        cs, cn = self.pool(("customers", r), rows_c, p_c / p_c.sum(), max(50, int(n * rng.uniform(.8, 3))), .9, None)
        self.E[g] = np.maximum(1, rng.lognormal(np.log(1000), .7, n)).astype(np.int64)
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = rng.integers(30, 46, n)
        self.sched[g] = self.S("agent24")
        self.tz[g] = 8
        self.crow[g] = rng.uniform(4, 8, n)
        self.tpl[g, 0] = TPL_DEFAULT
        self.tpl[g, 1] = TPL_PUBLIC + np.minimum(rng.zipf(1.07, n), 100) - 1
        self.tplc[g] = [.1, .35, .35, .35]
        self.npers[g] = -1
        self.cap[g] = self._mixes(np.tile([.15, .35, .05, .35, .1], (n, 1)), 10)
        self.tout[g] = rng.normal(.2, .3, n)
        self.ipa[g] = rs + rng.integers(0, rn, n)
        self.ipb[g] = rs + rng.integers(0, rn, n)
        self.pa_[g], self.pb_[g] = .5, .65
        self.pool_s[g], self.pool_n[g] = cs, cn
        self.nkeys[g] = rng.integers(1, 3, n)
        sdk = np.concatenate([SDK_GROUPS["raw"], SDK_GROUPS["python"]])
        self.sdk[g] = sdk[rng.integers(0, len(sdk), n)]

    def _f_credit_farm(self, g, r, k):
        rng = self.rng
        n = len(g)
        home = ["ID", "VN", "IN", "PH"][k % 4]
        self._fraud_base(g, r, [home], [1])
        t0 = int(rng.integers(T_W0 - 60 * DAY, T_W0 + 40 * DAY))
        nb = max(1, n // int(rng.integers(10, 51)))
        bt = t0 + rng.integers(0, 4 * DAY, nb)
        bi = bt[rng.integers(0, nb, n)]
        self.created[g] = self.fold(bi + rng.integers(0, 1200, n), bi)
        nbase = max(2, n // int(rng.integers(8, 20)))
        bases = [f"{self.fname[a]}{self.lname[a]}{rng.integers(10, 999)}" for a in g[:nbase]]
        em = []
        for i in range(n):
            s = bases[i % nbase]
            if i < nbase:
                em.append(f"{s}@gmail.com")
                continue
            ch = list(s)
            pos = sorted(rng.choice(np.arange(1, len(ch)), int(rng.integers(1, 4)), replace=False), reverse=True)
            for q in pos:
                ch.insert(int(q), ".")
            t = "".join(ch).replace("..", ".")
            if rng.random() < .3:
                t = f"{s}+{rng.integers(1, 999)}"
            em.append(f"{t}@gmail.com")
        self.email[g] = em
        self.ekind[g] = 3
        car = self.pick_asn(self.country[g], "mob")
        m = rng.random(n) < .7
        self.signup_ip[g[m]] = self.draw_cgnat(car[m])
        s, kk = self._proxy_pool(r, self.country[g], max(10, n // 4))
        self.signup_ip[g[~m]] = self.draw(("proxy", r), int((~m).sum()))
        dv = self.devices(int(rng.integers(2, 6)))
        self.device[g] = dv[rng.integers(0, len(dv), n)]
        self.created_fix_ua(g, FAM["android_chrome"], .9)
        nph = max(1, n // 3)
        ph = _phones(rng, [CC[self.country[g[0]]]] * nph, np.zeros(nph, np.int64))
        self.phone[g] = [ph[i // 3 % nph] for i in range(n)]
        self.has_phone[g] = False
        cday = (self.created[g] - T_W0) // DAY
        a0 = np.where(cday >= 0, np.minimum(cday, W_DAYS - 1), rng.integers(0, W_DAYS, n))
        self.a0[g] = a0
        self.a1[g] = np.minimum(W_DAYS - 1, a0 + rng.integers(0, 3, n))
        self.ndays[g] = 3
        self.E[g] = rng.integers(150, 401, n)
        self.sched[g] = self.S("flat")
        self.stick[g] = 1
        self.crow[g] = rng.uniform(8, 14, n)
        self.tpl[g] = np.concatenate([[TPL_PUBLIC + int(rng.integers(0, 10))], self.fam_tpls(3, k, 3)])
        self.tplc[g] = [.4, .7, .9, 1]
        self.cap[g] = self._mixes(np.tile([.3, .45, .1, .1, .05], (n, 1)), 20)
        self.ipa[g] = self.signup_ip[g]
        self.pa_[g], self.pb_[g] = .3, .3
        self.pool_s[g], self.pool_n[g] = s, kk

    def _f_card_testing(self, g, r, k):
        rng = self.rng
        n = len(g)
        self._fraud_base(g, r, ["US", "GB", "CA"], [.6, .25, .15])
        t0 = int(rng.integers(T_W0 - 200 * DAY, T_W0 + 30 * DAY))
        self.created[g] = self.fold(t0 + np.sort(rng.integers(0, 2 * DAY, n)), t0)
        self.email[g] = [f"{''.join(rng.choice(list('abcdefghijklmnopqrstuvwxyz0123456789'), 9))}@"
                         f"{['outlook.com', 'yahoo.com', 'mail.com', 'gmx.com'][i % 4]}" for i in range(n)]
        self.ekind[g] = 3
        rows, p = self.global_asn("host")
        s, kk = self.pool(("dc", r), rows, p, int(rng.integers(2, 6)), .3)
        v = rng.random(n) < .3
        self.signup_ip[g] = s + rng.integers(0, kk, n)
        self.signup_ip[g[v]] = self.vpn_draw(self.country[g[v]])[0]
        self.ip_home[g] = self.signup_ip[g]
        dv = self.devices(int(rng.integers(1, 4)))
        self.device[g] = dv[rng.integers(0, len(dv), n)]
        self.created_fix_ua(g, FAM["chrome_win_stale"], .8)
        nb = self.rng.integers(2, 5)
        allb = np.concatenate([_bins(c, kd)[0] for c in ("US", "GB", "CA") for kd in ("consumer", "debit")])
        bins = rng.choice(allb, nb, replace=False)
        ncard = rng.integers(5, 41, n)
        acc = np.repeat(g, ncard)
        bsel = bins[rng.integers(0, nb, len(acc))]
        cids = self.cards.new(bsel, _postals(rng, list(BIN["cc"][bsel])))
        self.add_payments(acc, cids, np.repeat(self.created[g], ncard) + rng.integers(30, 3600, len(acc)))
        self.pcard[g] = cids[np.cumsum(ncard) - ncard]
        self.E[g] = np.where(rng.random(n) < .5, 0, rng.integers(1, 21, n))
        self.a0[g] = np.clip((self.created[g] - T_W0) // DAY + 1, 0, W_DAYS - 1)
        self.ndays[g] = 2
        self.sched[g] = self.S("flat")
        self.crow[g] = 1
        self.ipa[g] = self.signup_ip[g]
        self.pa_[g], self.pb_[g] = 1, 1
        self.tpl[g] = self.fam_tpls(4, k, 4)
        self.tplc[g] = [.5, .8, .9, 1]
        self.login_rate[g] = .3

    # ---- identities to strings ---------------------------------------------
    def finalize_people(self) -> None:
        rng = self.rng
        N = self.N
        legit = self.ring < 0
        # e-mail nulls (phone-first sign-ups)
        nul = legit & (self.ekind == 0) & self.has_phone & (rng.random(N) < .012)
        self.ekind[nul] = 4
        todo = np.flatnonzero((self.email == None) & (self.ekind != 4))  # noqa: E711
        dom = self.edom[todo].copy()
        need = dom == None  # noqa: E711
        cci = self.country[todo]
        for ci in np.unique(cci[need]):
            m = need & (cci == ci)
            names, w = PROV[CC[ci]]
            dom[m] = np.array(names, dtype=object)[_pick(rng, _cum(w), int(m.sum()))]
        n = len(todo)
        pat = _pick(rng, _cum(np.array([.22, .12, .06, .08, .12, .04, .08, .1, .05, .08, .05])), n)
        corp = self.ekind[todo] == 1
        pat[corp] = np.array([0, 0, 0, 3, 3, 5])[rng.integers(0, 6, int(corp.sum()))]
        num2 = rng.integers(1, 100, n)
        num4 = np.where(rng.random(n) < .5, rng.integers(1975, 2008, n), rng.integers(100, 10000, n))
        w1 = rng.integers(0, len(WORDS), n)
        w2 = rng.integers(0, len(WORDS), n)
        rnd = rng.integers(0, 36 ** 8, n)
        cap = rng.random(n) < .03
        fn = self.fname[todo]
        ln = self.lname[todo]
        out = []
        for j in range(n):
            f, la, p = fn[j], ln[j], pat[j]
            if p == 0:
                lp = f"{f}.{la}"
            elif p == 1:
                lp = f"{f}{la}"
            elif p == 2:
                lp = f"{f}.{la}{num2[j]}"
            elif p == 3:
                lp = f"{f[0]}{la}"
            elif p == 4:
                lp = f"{f}{num4[j]}"
            elif p == 5:
                lp = f"{f}_{la}"
            elif p == 6:
                lp = f"{f}{WORDS[w1[j]]}"
            elif p == 7:
                lp = f"{WORDS[w1[j]]}{WORDS[w2[j]]}{num2[j]}"
            elif p == 8:
                lp = f"{la}.{f}"
            elif p == 9:
                lp = f"{f}{la}{num2[j]}"
            else:
                lp = np.base_repr(int(rnd[j]), 36).lower()
            if cap[j]:
                lp = lp[0].upper() + lp[1:]
            out.append(f"{lp}@{dom[j]}")
        self.email[todo] = out
        # second accounts of one person: gmail dot / +tag variants
        alts = np.flatnonzero(self.alt_of >= 0)
        r = rng.random(len(alts))
        for i, a in enumerate(alts):
            b = self.email[self.alt_of[a]]
            if b is None:
                continue
            lp, d = b.split("@", 1)
            if d == "gmail.com" and r[i] < .8:
                if r[i] < .45 and len(lp) > 3:
                    q = int(rng.integers(1, len(lp) - 1))
                    lp2 = (lp[:q] + "." + lp[q:]).replace("..", ".") if "." not in lp else lp.replace(".", "", 1)
                else:
                    lp2 = f"{lp}+{['dev', 'work', 'test', 'kodama', 'api', 'alt', '2'][i % 7]}"
                self.email[a] = f"{lp2}@{d}"
            elif d in ("outlook.com", "icloud.com", "proton.me", "fastmail.com", "hotmail.com") and r[i] < .5:
                self.email[a] = f"{lp}+{['kodama', 'dev', 'side'][i % 3]}@{d}"
        # exact duplicates are impossible on a real platform
        low = pd.Series(self.email).str.lower()
        dup = np.flatnonzero(low.duplicated().to_numpy() & low.notna().to_numpy())
        for a in dup:
            lp, d = self.email[a].split("@", 1)
            self.email[a] = f"{lp}{rng.integers(100, 9999)}@{d}"
        # phones
        ph = np.flatnonzero(self.has_phone & (self.phone == None))  # noqa: E711
        self.phone[ph] = _phones(rng, [CC[c] for c in self.country[ph]])
        a = alts[(rng.random(len(alts)) < .25)]
        self.phone[a] = self.phone[self.alt_of[a]]

    # ---- output ------------------------------------------------------------
    def write(self, out: Path, quiet: bool) -> dict:
        cfg, rng = self.cfg, self.rng
        N = self.N
        t0 = time.time()
        salt = cfg.seed * 1_000_003
        acc_str = pc.binary_join_element_wise("acct_", _b62(_mix(np.arange(N), salt + 1), 4), "")
        assert pc.count_distinct(acc_str).as_py() == N
        self.acc_str = acc_str
        ip_str, asn_num, asn_org = self.ips.finalize(cfg.seed)
        self.ip_str, self.asn_num, self.asn_org = ip_str, asn_num, asn_org
        asn_null = (_mix(np.arange(len(asn_num)), salt + 2) % np.uint64(1000)) < np.uint64(4)
        self.asn_null = asn_null
        ts_type = pa.timestamp("us", tz="UTC")

        def tsa(x):
            return pa.array(np.asarray(x, np.int64) * 1_000_000, ts_type)
        # accounts
        order = np.argsort(self.created, kind="stable")
        dev_str = pc.binary_join_element_wise(_hex(_mix(self.device, salt + 3)), _hex(_mix(self.device, salt + 4)), "")
        dev_str = _with_nulls(dev_str, (self.device == 0) | (rng.random(N) < .03))
        org_str = _with_nulls(pc.binary_join_element_wise("org_", _b62(_mix(np.maximum(self.org, 0), salt + 5), 4), ""),
                              self.org < 0)
        ua_tab = pa.array(self.ua_list + SDK_UA, pa.string())
        ua_str = _with_nulls(_take(ua_tab, np.maximum(self.ua, 0)), (self.ua < 0) | (rng.random(N) < .01))
        sip_null = (self.signup_ip < 0) | (rng.random(N) < .003)
        sip = _with_nulls(_take(ip_str, np.maximum(self.signup_ip, 0)), sip_null)
        cc_null = rng.random(N) < .02
        ctry = _with_nulls(_take(pa.array(CC), self.country), cc_null)
        accounts = pa.table({
            "account_id": acc_str.take(pa.array(order)),
            "created_at": tsa(self.created[order]),
            "email": pa.array(self.email[order].tolist(), pa.string()),
            "phone": pa.array(self.phone[order].tolist(), pa.string()),
            "signup_ip": sip.take(pa.array(order)),
            "device_id": dev_str.take(pa.array(order)),
            "user_agent": ua_str.take(pa.array(order)),
            "country": ctry.take(pa.array(order)),
            "org_id": org_str.take(pa.array(order)),
        })
        pq.write_table(accounts, out / "accounts.parquet")
        counts = {"accounts": accounts.num_rows}
        del accounts
        # truth
        ring_id = np.full(N, None, dtype=object)
        camp = np.full(N, None, dtype=object)
        style = np.full(N, None, dtype=object)
        for r in self.rings:
            ring_id[r["idx"]] = r["ring_id"]
            camp[r["idx"]] = r["campaign"]
            style[r["idx"]] = r["style"]
        lg = self.ring < 0
        ub, inv = np.unique(self.bits[lg], return_inverse=True)
        names = np.array(["+".join(p for i, p in enumerate(PATTERNS) if int(b) >> i & 1) or "plain" for b in ub],
                         dtype=object)
        style[lg] = names[inv]
        truth = pa.table({"account_id": acc_str.take(pa.array(order)), "is_fraud": pa.array(~lg[order]),
                          "ring_id": pa.array(ring_id[order].tolist(), pa.string()),
                          "campaign_id": pa.array(camp[order].tolist(), pa.string()),
                          "style": pa.array(style[order].tolist(), pa.string())})
        pq.write_table(truth, out / "truth.parquet")
        counts["truth"] = truth.num_rows
        del truth
        # payments
        pa_acc = np.concatenate(self.pay_acc)
        pa_card = np.concatenate(self.pay_card)
        pa_t = np.concatenate(self.pay_t)
        key = pa_acc * (self.cards.n + 1) + pa_card
        _, first = np.unique(key, return_index=True)
        first = np.sort(first)
        pa_acc, pa_card, pa_t = pa_acc[first], pa_card[first], pa_t[first]
        pa_t = np.maximum(pa_t, self.created[pa_acc])
        o = np.argsort(pa_t, kind="stable")
        pa_acc, pa_card, pa_t = pa_acc[o], pa_card[o], pa_t[o]
        cbin = np.concatenate(self.cards.bin)[pa_card]
        fp = pc.utf8_slice_codeunits(_b62(_mix(pa_card, salt + 6), 6), 0, 16)
        nb = cbin < 0
        bins = _with_nulls(_take(pa.array(BIN["bin"].tolist(), pa.string()), np.maximum(cbin, 0)),
                           nb | (rng.random(len(cbin)) < .02))
        ccty = _take(pa.array(BIN["cc"].tolist(), pa.string()), np.maximum(cbin, 0))
        ccty = pc.if_else(pa.array(nb), pa.scalar("US"), ccty)
        fund = _take(pa.array(BIN["fund"].tolist(), pa.string()), np.maximum(cbin, 0))
        fund = _with_nulls(pc.if_else(pa.array(nb), pa.scalar("unknown"), fund), rng.random(len(cbin)) < .03)
        post = pa.array(self.cards.postal, pa.string())
        post = _with_nulls(_take(post, pa_card), rng.random(len(cbin)) < .05)
        payments = pa.table({"account_id": acc_str.take(pa.array(pa_acc)), "card_fingerprint": fp,
                             "card_bin": bins, "card_country": ccty, "funding": fund,
                             "billing_postal_code": post, "created_at": tsa(pa_t)})
        pq.write_table(payments, out / "payments.parquet")
        counts["payments"] = payments.num_rows
        self.card_fp_of = lambda cid: pc.utf8_slice_codeunits(_b62(_mix(np.array([cid]), salt + 6), 6), 0, 16)[0].as_py()
        del payments
        if not quiet:
            print(f"  accounts/truth/payments written ({time.time() - t0:.1f}s)", file=sys.stderr)
        # requests and ip events, account chunk by account chunk
        counts.update(self._write_activity(out, quiet, ua_tab, tsa))
        self._allowlist(out, dev_str)
        counts["allowlist"] = len(self.allow)
        return counts

    def _write_activity(self, out: Path, quiet: bool, ua_tab: pa.Array, tsa) -> dict:
        cfg, N = self.cfg, self.N
        ts_type = pa.timestamp("us", tz="UTC")
        req_schema = pa.schema([("account_id", pa.string()), ("ts", ts_type), ("count", pa.int64()),
                                ("api_key_id", pa.string()), ("ip", pa.string()), ("prompt_fingerprint", pa.string()),
                                ("capability", pa.string()), ("input_tokens", pa.int64()), ("output_tokens", pa.int64())])
        ev_schema = pa.schema([("account_id", pa.string()), ("ip", pa.string()), ("seen_at", ts_type),
                               ("event", pa.string()), ("asn", pa.int64()), ("asn_org", pa.string()),
                               ("user_agent", pa.string())])
        rw = pq.ParquetWriter(out / "requests.parquet", req_schema, compression="zstd")
        ew = pq.ParquetWriter(out / "ip_events.parquet", ev_schema, compression="zstd")
        H = np.array(self.sched_h)
        Hc = _cum(H)
        Hflat = (Hc + np.arange(len(H))[:, None]).ravel()
        D = np.array(self.sched_d)
        Dn = D / D.max(1, keepdims=True)
        self.Hflat, self.Dn = Hflat, Dn
        self.row_counter = 0
        n_req = n_ev = 0
        ex_total = 0
        big = np.zeros(N, bool)
        for r in self.rings:
            if r["campaign"] == "tidewater":
                big[r["idx"]] = True
        big_ex = 0
        order = self.rng.permutation(N)
        buf_r: list[pa.Table] = []
        buf_n = 0
        t0 = time.time()
        for c0 in range(0, N, cfg.chunk_accounts):
            chunk = np.sort(order[c0:c0 + cfg.chunk_accounts])
            req, api = self._requests(chunk)
            ev = self._events(chunk, api)
            if req is not None:
                n_req += req.num_rows
                cnt = pc.fill_null(req.column("count"), 1)
                ex_total += pc.sum(cnt).as_py() or 0
                bm = pa.array(big[self._last_rows_acc])
                big_ex += pc.sum(pc.filter(cnt, bm)).as_py() or 0
                buf_r.append(req)
                buf_n += req.num_rows
                if buf_n >= cfg.row_group_rows:
                    rw.write_table(pa.concat_tables(buf_r), row_group_size=cfg.row_group_rows)
                    buf_r, buf_n = [], 0
            ew.write_table(ev, row_group_size=cfg.row_group_rows)
            n_ev += ev.num_rows
            if not quiet:
                print(f"  activity {min(N, c0 + cfg.chunk_accounts)}/{N} accounts: {n_req} request rows, "
                      f"{n_ev} ip events ({time.time() - t0:.0f}s)", file=sys.stderr)
        if buf_r:
            rw.write_table(pa.concat_tables(buf_r), row_group_size=cfg.row_group_rows)
        rw.close()
        ew.close()
        self.stats["exchanges"] = int(ex_total)
        self.stats["big_op_exchanges"] = int(big_ex)
        return {"requests": n_req, "ip_events": n_ev}

    def _requests(self, chunk: np.ndarray):
        rng, cfg = self.rng, self.cfg
        salt = cfg.seed * 1_000_003
        acc = chunk[self.E[chunk] > 0]
        if len(acc) == 0:
            self._last_rows_acc = np.zeros(0, np.int64)
            return None, (np.zeros(0, np.int64),) * 4
        Ea = self.E[acc]
        rawa = self.raw[acc] & ((Ea <= cfg.raw_max_exchanges) | ((self.cron[acc] >= 0) & (Ea <= 2000)))
        R = np.where(rawa, Ea, np.clip(np.ceil(Ea / self.crow[acc]), 1, Ea)).astype(np.int64)
        nrow = int(R.sum())
        ra = np.repeat(np.arange(len(acc)), R)
        A = acc[ra]
        starts = np.cumsum(R) - R
        # exact split of each account's exchanges over its rows
        w = rng.exponential(1.0, nrow)
        cs = np.cumsum(w)
        base = np.concatenate([[0.0], cs])[starts]
        tot = cs[starts + R - 1] - base
        frac = (cs - base[ra]) / tot[ra]
        extra = (Ea - R)[ra]
        ce = np.floor(frac * extra + 1e-7).astype(np.int64)
        ce = np.minimum(ce, extra)
        ce[starts + R - 1] = (Ea - R)
        prev = np.empty_like(ce)
        prev[1:] = ce[:-1]
        prev[starts] = 0
        cnt = 1 + ce - prev
        agg = ~rawa[ra]
        # days: own or group day sets, weekday preference
        a0 = self.a0[A].astype(np.int64)
        a1 = np.maximum(self.a1[A].astype(np.int64), a0)
        span = (a1 - a0 + 1).astype(np.uint64)
        nd = np.minimum(self.ndays[A].astype(np.int64), a1 - a0 + 1)
        nd = np.maximum(nd, 1)
        own = _mix(A.astype(np.uint64), salt + 7)
        gs = self.gseed[A]
        pg = self.pgrp[A]
        sch = self.sched[A].astype(np.int64)

        def draw_day(m):
            k = (rng.random(m.sum()) * nd[m]).astype(np.uint64)
            dd = a0[m] + (_mix(own[m] + k, 11) % span[m]).astype(np.int64)
            ug = rng.random(m.sum()) < pg[m]
            gd = (_mix(gs[m] + k, 13) % np.uint64(W_DAYS)).astype(np.int64)
            okg = ug & (gd >= a0[m]) & (gd <= a1[m])
            return np.where(okg, gd, dd)
        allm = np.ones(nrow, bool)
        day = draw_day(allm)
        for _ in range(3):
            dow = (day + DOW_W0) % 7
            rej = rng.random(nrow) >= self.Dn[sch, dow]
            if not rej.any():
                break
            day[rej] = draw_day(rej)
        h = np.searchsorted(self.Hflat, rng.random(nrow) + sch, side="right") - sch * 24
        h = np.clip(h, 0, 23)
        tzs = (self.tz[A].astype(np.float64) * HOUR).astype(np.int64)
        ts = day * DAY + h * HOUR - tzs
        ts = T_W0 + ts % (W_DAYS * DAY)
        cr = self.cron[A]
        isc = cr >= 0
        ts = np.where(agg, ts - ts % HOUR, ts - ts % HOUR + np.where(isc, cr.astype(np.int64) * 60 + rng.integers(0, 25, nrow),
                                                                     rng.integers(0, HOUR, nrow)))
        c = self.created[A]
        fix = ts < c
        if fix.any():
            t2 = c[fix] + rng.integers(60, 4 * HOUR, int(fix.sum()))
            t2 = np.where(agg[fix], (t2 + HOUR - 1) // HOUR * HOUR, t2)
            t2 = np.where(t2 >= T_W1, np.minimum(c[fix] + 1, T_W1 - 1), t2)
            ts[fix] = t2
        # capability, template, key, ip
        capi = (rng.random(nrow)[:, None] > self.cap[A]).sum(1)
        capi = np.minimum(capi, 4)
        slot = (rng.random(nrow)[:, None] >= self.tplc[A]).sum(1)
        fp = self.tpl[A, np.minimum(slot, 3)]
        pers = slot >= 4
        npers = self.npers[A].astype(np.int64)
        fp = np.where(pers & (npers > 0), TPL_PERSONAL + A * 8 + (rng.random(nrow) * np.maximum(npers, 1)).astype(np.int64), fp)
        uq = pers & (npers < 0)
        fp = np.where(uq, TPL_UNIQUE + self.row_counter + np.arange(nrow), fp)
        self.row_counter += nrow
        fp = np.where(pers & (npers == 0), -1, fp)
        u = rng.random(nrow)
        pn = self.pnokey[A]
        ks = self.kshared[A]
        key = 1 + A * 4 + (rng.random(nrow) * self.nkeys[A]).astype(np.int64)
        key = np.where((u >= pn) & (u < pn + self.pshared[A]) & (ks >= 0), ks, key)
        key = np.where(u < pn, -1, key)
        u = rng.random(nrow)
        ipa = np.where(self.ipa[A] >= 0, self.ipa[A], self.signup_ip[A])
        ipb = np.where(self.ipb[A] >= 0, self.ipb[A], ipa)
        pn_ = self.pool_n[A].astype(np.int64)
        stk = self.stick[A].astype(np.int64)
        rnd_off = np.floor(pn_ * rng.random(nrow) ** self.pool_k[A]).astype(np.int64)
        sticky = (_mix(own + (day // np.maximum(stk, 1)).astype(np.uint64) * np.uint64(2)
                       + (rng.random(nrow) < .3).astype(np.uint64), 29) % np.maximum(pn_, 1).astype(np.uint64))
        pool = self.pool_s[A] + np.where(stk > 0, sticky.astype(np.int64), rnd_off)
        ip = np.where(u < self.pa_[A], ipa, np.where(u < self.pb_[A], ipb, np.where(pn_ > 0, pool, ipa)))
        # merge duplicate aggregated keys
        if agg.any():
            k = (_mix(A, 21) ^ _mix(ts, 22) ^ _mix(ip, 23) ^ _mix(fp, 24) ^ _mix(capi, 25) ^ _mix(key, 26))
            k = np.where(agg, k, _mix(np.arange(nrow), 27))
            uk, first, inv = np.unique(k, return_index=True, return_inverse=True)
            if len(uk) < nrow:
                cnt = np.bincount(inv, weights=cnt).astype(np.int64)
                sel = first
                A, ts, fp, key, ip, capi, agg = A[sel], ts[sel], fp[sel], key[sel], ip[sel], capi[sel], agg[sel]
                nrow = len(sel)
        # tokens
        s = np.sqrt(cnt)
        tin = cnt * TOK_IN[capi] * np.exp(self.tin[A] + rng.normal(0, .9, nrow) / s + .4)
        tout = cnt * TOK_OUT[capi] * np.exp(self.tout[A] + rng.normal(0, .9, nrow) / s + .4)
        tnull = rng.random(nrow) < .015
        o = np.argsort(ts, kind="stable")
        A, ts, fp, key, ip, capi, agg, cnt, tin, tout, tnull = (x[o] for x in (A, ts, fp, key, ip, capi, agg, cnt, tin,
                                                                               tout, tnull))
        ipnull = (rng.random(nrow) < .003) | (ip < 0)
        capnull = rng.random(nrow) < .005
        fpnull = (fp < 0) | (rng.random(nrow) < .01)
        cnull = ~agg & self.nullcount[A]
        ufp, ifp = np.unique(np.maximum(fp, 0), return_inverse=True)
        fps = _with_nulls(_take(_hex(_mix(ufp, salt + 8), 4), ifp), fpnull)
        uky, iky = np.unique(np.maximum(key, 0), return_inverse=True)
        kys = pc.binary_join_element_wise("kk_", _b62(_mix(uky, salt + 9), 4), "")
        kys = _with_nulls(_take(kys, iky), key < 0)
        table = pa.table({
            "account_id": _take(self.acc_str, A),
            "ts": pa.array(ts * 1_000_000, pa.timestamp("us", tz="UTC")),
            "count": pa.array(cnt, pa.int64(), mask=cnull),
            "api_key_id": kys,
            "ip": _with_nulls(_take(self.ip_str, np.maximum(ip, 0)), ipnull),
            "prompt_fingerprint": fps,
            "capability": _with_nulls(_take(pa.array(CAPS), capi), capnull),
            "input_tokens": pa.array(np.round(tin).astype(np.int64), pa.int64(), mask=tnull),
            "output_tokens": pa.array(np.round(tout).astype(np.int64), pa.int64(), mask=tnull),
        })
        self._last_rows_acc = A
        # one api / session event per account, IP and day
        ok = ~ipnull
        k2 = (A[ok] << 36) + (ip[ok] << 6) + (ts[ok] - T_W0) // (15 * DAY)
        _, fi = np.unique(k2, return_index=True)
        sel = np.flatnonzero(ok)[fi]
        et = np.minimum(ts[sel] + rng.integers(0, 600, len(sel)), T_W1 - 1)
        return table, (A[sel], ip[sel], et, (key[sel] >= 0).astype(np.int64))

    def _events(self, chunk: np.ndarray, api) -> pa.Table:
        rng = self.rng
        n = len(chunk)
        cr = self.created[chunk]
        # logins over the life of the account
        act = self.E[chunk] > 0
        life_end = np.where(act, T_W1 - 1, np.minimum(T_W1 - 1, cr + rng.exponential(40 * DAY, n).astype(np.int64)))
        days = np.maximum(1, (life_end - cr) / DAY)
        lam = np.minimum(25, days / 15) * self.login_rate[chunk]
        nl = rng.poisson(lam)
        nl = np.where(self.dormant[chunk], rng.integers(2, 6, n) + act * rng.integers(2, 8, n), nl)
        ra = np.repeat(np.arange(n), nl)
        A = chunk[ra]
        m = len(A)
        t = cr[ra] + (rng.random(m) * (life_end[ra] - cr[ra])).astype(np.int64)
        dm = self.dormant[A]
        if dm.any():
            early = rng.random(m) < .5
            win0 = T_W0 + self.a0[A].astype(np.int64) * DAY
            te = cr[ra] + (rng.random(m) * 20 * DAY).astype(np.int64)
            tw = win0 + (rng.random(m) * np.maximum(HOUR, T_W1 - 1 - win0)).astype(np.int64)
            t = np.where(dm, np.where(early | ~act[ra], te, tw), t)
        t = np.clip(t, cr[ra] + 30, T_W1 - 1)
        u = rng.random(m)
        v = rng.random(m)
        home = np.where(self.ip_home[A] >= 0, self.ip_home[A], self.signup_ip[A])
        alt = np.where(self.ip_alt[A] >= 0, self.ip_alt[A], home)
        lp = self.lp_s[A] + (rng.random(m) * self.lp_n[A]).astype(np.int64)
        ip = np.where(v < .3, self.signup_ip[A], np.where(v < .85, home, alt))
        ip = np.where((u < self.p_lp[A]) & (self.lp_n[A] > 0), lp, ip)
        sw = self.switch[A] & (t >= T_W0 + self.a0[A].astype(np.int64) * DAY)
        if sw.any():
            pool = self.pool_s[A] + (rng.random(m) * self.pool_n[A]).astype(np.int64)
            ip = np.where(sw, np.where(rng.random(m) < .5, self.ipa[A], pool), ip)
        ip = np.where(ip < 0, self.signup_ip[A], ip)
        sA, sip, st, skey = api
        sig = chunk[self.signup_ip[chunk] >= 0]
        accs = np.concatenate([sig, A, sA])
        ips = np.concatenate([self.signup_ip[sig], ip, sip])
        tt = np.concatenate([self.created[sig], t, st])
        kind = np.concatenate([np.zeros(len(sig), np.int64), np.ones(m, np.int64), 2 + (1 - skey)])
        ua = np.where(kind == 2, len(self.ua_list) + self.sdk[accs], self.ua[accs])
        o = np.argsort(tt, kind="stable")
        accs, ips, tt, kind, ua = accs[o], ips[o], tt[o], kind[o], ua[o]
        an = self.asn_null[ips]
        ev = pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)),
                                            pa.array(["signup", "login", "api", "session"])).cast(pa.string())
        return pa.table({
            "account_id": _take(self.acc_str, accs),
            "ip": _take(self.ip_str, ips),
            "seen_at": pa.array(tt * 1_000_000, pa.timestamp("us", tz="UTC")),
            "event": ev,
            "asn": pa.array(self.asn_num[ips], pa.int64(), mask=an),
            "asn_org": _with_nulls(_take(self.asn_org, ips), an),
            "user_agent": _with_nulls(_take(self.ua_tab, np.maximum(ua, 0)), (ua < 0) | (rng.random(len(ua)) < .01)),
        })

    def _allowlist(self, out: Path, dev_str: pa.Array) -> None:
        q = self.qa_info
        rows = [("account_id", self.acc_str[int(a)].as_py(), "internal QA / load-test account") for a in q["acc"]]
        rows += [("account_id", self.acc_str[int(a)].as_py(), "enterprise VIP - review only") for a in self.vips]
        rows += [("ip", ip, "Kodama office egress (SF / Tokyo)") for ip in q["ips"]]
        rows += [("cidr", q["cidr"], "Kodama internal CI runners"),
                 ("email_domain", "kodama.dev", "Kodama staff and test accounts"),
                 ("org_id", "org_" + _b62(_mix(np.array([q["org"]]), self.cfg.seed * 1_000_003 + 5), 4)[0].as_py(),
                  "Kodama internal QA org"),
                 ("asn", "36183", "iCloud Private Relay egress (Akamai)")]
        rows += [("device_id", dev_str[int(np.flatnonzero(self.device == d)[0])].as_py() or "", "QA test rig")
                 for d in q["devices"] if (self.device == d).any()]
        rows = [r for r in rows if r[1]]
        rows.append(("card_fingerprint", self.card_fp_of(int(self.mkt_cards[0])), "AWS Marketplace settlement instrument"))
        rows.append(("card_fingerprint", self.card_fp_of(q["card"]), "Kodama corporate card (QA)"))
        if self.reseller_cards:
            cc, cid, k = max(self.reseller_cards, key=lambda x: x[2])
            rows.append(("card_fingerprint", self.card_fp_of(cid), f"authorised reseller partner ({cc})"))
        self.allow = rows
        pd.DataFrame(rows, columns=["kind", "value", "note"]).to_csv(out / "allowlist.csv", index=False)


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------
def generate(out: str | Path, cfg: WorldConfig, quiet: bool = False) -> dict:
    """Build world E into directory ``out``; returns row counts per file."""
    t0 = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    w = _World(cfg)
    fraud = w.plan_fraud()
    is_f = np.zeros(w.N, bool)
    is_f[fraud] = True
    legit = w.rng.permutation(np.flatnonzero(~is_f))
    w.legit(legit)
    w.legit_traffic(legit)
    w.fraud()
    w.finalize_people()
    w.ua_tab = pa.array(w.ua_list + SDK_UA, pa.string())
    if not quiet:
        print(f"  world built: {len(fraud)} fraud accounts in {len(w.rings)} rings ({time.time() - t0:.1f}s)",
              file=sys.stderr)
    counts = w.write(out, quiet)
    if not quiet:
        print(f"  done in {time.time() - t0:.1f}s; exchanges {w.stats['exchanges']}, "
              f"big operator {w.stats['big_op_exchanges']}", file=sys.stderr)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.independent_e", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write world E into DIR")
    g.add_argument("dir")
    g.add_argument("--accounts", type=int, default=WorldConfig.accounts)
    g.add_argument("--seed", type=int, default=WorldConfig.seed)
    g.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    cfg = WorldConfig(accounts=a.accounts, seed=a.seed)
    counts = generate(a.dir, cfg, quiet=a.quiet)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
