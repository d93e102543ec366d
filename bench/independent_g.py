"""World G: "Forgeline", a coding-agent platform for developers, teams and universities in Asia,
Africa and the US, with a marketplace of third-party apps; built from the data contract alone.

Written 2026-12-07 by a helper that read only docs' data contract (not the detector, the README or
the other worlds' generators), so that linker can be measured on a platform it was never tuned on.

    python -m bench.independent_g generate OUT --accounts 200000 --seed 1

The platform
------------
Forgeline (HQ Singapore) sells a coding agent (CLI, IDE plugins, web) and its API. Channels:
* team workspaces (``team_share``): companies in JP/KR/ID/VN/PH/TH/SG/MY/IN/NG/KE/US/DE/GB with
  SSO (org_id, company e-mail domain), office egress NAT, internal agent templates; some pay with
  one corporate card on many seats, some laptops come from one device image, small firms sit in
  coworking spaces, and in JP/KR/ID/VN many small firms buy through resellers who pay with the
  reseller's own card for all their clients.
* university licences (``edu_share``): students sign up in class bursts (a whole lecture hall in
  one hour from one campus IP), campus NAT, shared lab machines (one device image per lab),
  course/autograder templates; April semester starts in JP/KR.
* self-serve consumers (the rest): households (shared home IP, often card and device), people with
  several accounts (same device and card, gmail plus-tags), mobile-first users behind carrier-grade
  NAT (ID/PH/VN/IN/NG/KE above all; some on IPv6), VPN and privacy-relay users, hide-my-e-mail
  addresses, hackathon/meet-up sign-up bursts, marketing-launch sign-up waves.
* marketplace apps (``app_user_share``): third-party apps (code-review bots, chat integrations,
  IDE forks) whose end users sign in with OAuth; their exchanges come from the app's servers
  (shared cloud IPs, the app's API keys, the app's prompt template), thousands per big app.
* CI/cron users (``ci_share``): round-the-clock agent runs from GitHub-hosted-runner-like IP pools
  shared by every customer, usually on a public CI template.
* public agent templates (``public_template_share``): a Zipf-popular catalogue used by thousands.
* staff/QA: internal org and domain, office /24, Stripe-style test cards, QA lab devices, load
  tests round the clock; part of it is in allowlist.csv (account_id, cidr, asn, org_id,
  email_domain, card_fingerprint, device_id, plus the server IPs of three verified partner apps).

Legit ``style`` in truth.parquet is the "+"-joined list of these patterns (cgnat, ipv6_mobile, vpn,
campus, lab_machine, class_burst, office, coworking, sso_tenant, corp_card, reseller_card,
device_image, team_template, household, multi_account, event_burst, launch_wave, app_user,
app_owner, public_template, ci, privacy_email, staff), or "plain".

Fraud (about 2.9 % of accounts)
-------------------------------
* g_hydra, the big distillation operation: 25,000 accounts and 28,800,000 exchanges at >= 1M
  accounts (scaled by accounts/1M below that), 2026-04-22..2026-06-05, rings of heavy-tailed
  sizes in five styles (``hydra_styles``): "clear" (gmail dot/plus variants of a few names, reused
  VoIP phones, devices and cards, datacenter IPs, one template, sign-ups in bursts); "stealth"
  (rotating residential proxies, fresh prepaid cards on one BIN, random devices, private
  templates, the operator's shift hours); "camouflage" (sticky residential proxy per account, old
  accounts, ~30 % consumer-looking chat on public templates in local evening hours, the rest
  operator traffic); "low_and_slow" (a few exchanges a day, every identifier unique, tied only
  by a rare BIN, one template and two synchronised ten-minute slots a day); "aged" (bought
  accounts signed up 12-16 months ago from ordinary homes, dormant, new prepaid card and a cloud
  IP pool at a ring-wide activation day).
* g_trialfarm: free-trial credit farming, "trial_farm": disposable e-mail domains, reused
  receive-SMS numbers, mobile proxies (the same carrier CGNAT pools as honest users), accounts
  burnt in one or two days after using the trial quota; no payment.
* g_relay: API-key resale, "key_relay": a few paid accounts with stolen cards of many countries
  whose keys are driven round the clock by relay servers in HK/SG clouds, huge volume, prompts of
  thousands of downstream customers (no shared template).
* g_ato: account takeover, "ato": real users' old accounts (ordinary homes, devices, cards)
  whose owners keep using them; after a password reset from a proxy the operator adds a key and
  distils in its shift hours. Rings are credential-stuffing waves. The victims are real people.
* g_shell: fake companies, "shell_company": SSO tenants with fresh .ai/.dev/.io domains, 5-40
  seats invited in bulk, one virtual business card each on one issuer BIN, a VPS as office IP,
  the operator's harness template in all of them; each fake company is a ring.

Sizes at 200k accounts (seed 11): 5,860 fraud accounts (2.9 %) in ~110 rings (g_hydra 5,000 in
~60 rings of 5-600, 5.76M exchanges; trial farm 360; relay 40; ATO 160; shell companies 300 in
~28 fake firms). Innocent: ~5.7k companies (median 3 seats, largest ~3k), 64k SSO seats, 18k
seats on corporate cards, reseller cards on up to ~1k accounts of many firms, device images on
up to ~250 laptops, ~290 same-IP same-hour sign-up bursts of 20-240 (lecture halls,
hackathons), campus/office/coworking NAT IPs with 1-2k accounts, 70k accounts behind CGNAT
(p99 58 accounts per IP), 35k in shared households, 8k multi-account people, 27k app end users
behind ~65 apps (top app keys shared by ~2.6k accounts), public templates used by up to ~14k
accounts, 5k CI users on one runner pool, 10k launch-wave sign-ups, the fintech virtual BIN of
the stealth rings on ~1.9k honest cards, the low-and-slow rare BIN on ~10.

Some fraud accounts look innocent on purpose (ATO victims' own traffic, aged accounts' sign-up
data, low-and-slow accounts one by one, relay accounts' identities); that is part of the world.
Requests are hourly aggregates (``count``) or single exchanges, only in 2026-04-22..2026-06-05;
sign-ups run from 2025-01-15.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DAY, HOUR = 86_400, 3_600


def _ts(s: str) -> int:
    return int(np.datetime64(s, "s").astype(np.int64))


W0 = _ts("2026-04-22T00:00:00")  # first day of requests
NDAYS = 45  # 2026-04-22 .. 2026-06-05 inclusive
W1 = W0 + NDAYS * DAY
S0 = _ts("2025-01-15T00:00:00")  # first sign-up


@dataclass
class WorldConfig:
    accounts: int = 200_000
    seed: int = 1
    # --- legit channels (shares of legit accounts; consumers are the rest) ---
    team_share: float = 0.33  # seats of company workspaces (SSO tenants)
    edu_share: float = 0.12  # students/staff on university licences
    app_user_share: float = 0.14  # end users of marketplace apps (OAuth sign-in)
    staff_share: float = 0.0008  # Forgeline staff and QA accounts (min 20)
    staff_allowlisted: float = 0.5  # share of staff accounts listed by account_id
    # --- legit behaviour knobs ---
    active_share: float = 0.55  # accounts with any request in the window (recent sign-ups more)
    org_pareto_alpha: float = 1.1  # company size tail (seats >= 2)
    org_max_seats: int = 4000
    uni_pareto_alpha: float = 1.2  # university size tail (>= 30)
    uni_max_size: int = 8000
    corp_card_share: float = 0.30  # companies (3-300 seats) paying all seats with one card
    device_image_share: float = 0.25  # companies (>= 10 seats) whose laptops share one image
    coworking_share: float = 0.20  # small companies (<= 15 seats) in shared coworking spaces
    reseller_share: float = 0.35  # small JP/KR/ID/VN companies paying via a reseller's card
    wfh_share: float = 0.40  # team members working from home instead of the office NAT
    class_burst_share: float = 0.40  # students signing up in a lecture-hall burst
    lab_share: float = 0.30  # students using lab machines (shared device image)
    household_sizes: tuple = (0.72, 0.14, 0.07, 0.04, 0.03)  # 1, 2, 3, 4, 5-8 people
    household_card_share: float = 0.5  # multi-person households sharing one card
    household_device_share: float = 0.3  # ... sharing one device
    multi_account_share: float = 0.25  # share of 2-4 person "households" that are one person
    vpn_share: float = 0.07  # consumers mostly behind a VPN / privacy relay
    ipv6_share: float = 0.30  # mobile users of IPv6 carriers (Jio, T-Mobile, docomo) on IPv6
    event_burst_share: float = 0.02  # consumers signing up at a hackathon/meet-up
    launch_wave_share: float = 0.06  # sign-ups pulled into marketing-launch waves
    privacy_email_share: float = 0.04  # consumers with hide-my-e-mail / duck addresses
    ci_share: float = 0.05  # team/consumer developers with round-the-clock CI agent runs
    public_template_share: float = 0.25  # accounts using public agent templates
    accounts_per_app: int = 3000  # marketplace apps = legit / this (min 20)
    # --- fraud ---
    hydra_accounts_per_m: int = 25_000  # big operation's accounts at 1M accounts
    hydra_exchanges_per_m: int = 28_800_000  # its exchanges (sum of request count) at 1M
    hydra_styles: dict = field(default_factory=lambda: {
        "clear": 0.15, "stealth": 0.30, "camouflage": 0.20, "low_and_slow": 0.15, "aged": 0.20})
    hydra_style_weight: dict = field(default_factory=lambda: {  # exchanges per account, relative
        "clear": 1.0, "stealth": 1.3, "camouflage": 0.9, "low_and_slow": 0.12, "aged": 1.2})
    camouflage_cover: float = 0.30  # share of a camouflage account's exchanges that look consumer
    trialfarm_rate: float = 0.0018  # trial-farm accounts per account
    trial_quota: int = 150  # exchanges in the free trial
    relay_rate: float = 0.0002  # key-resale accounts per account (min 6)
    ato_rate: float = 0.0008  # taken-over accounts per account
    shell_rate: float = 0.0015  # fake-company seats per account


# ----------------------------------------------------------------------------- catalogues
# code, weight, utc offset (hours), calling code, mobile-first share, email providers
COUNTRIES = [
    ("JP", .16, 9, "81", .20, ["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com",
                               "outlook.jp"]),
    ("KR", .10, 9, "82", .25, ["naver.com", "gmail.com", "daum.net", "kakao.com"]),
    ("ID", .10, 7, "62", .55, ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com"]),
    ("VN", .06, 7, "84", .45, ["gmail.com", "yahoo.com", "outlook.com"]),
    ("PH", .06, 8, "63", .55, ["gmail.com", "yahoo.com", "outlook.com"]),
    ("TH", .04, 7, "66", .40, ["gmail.com", "hotmail.com", "outlook.co.th"]),
    ("SG", .04, 8, "65", .20, ["gmail.com", "outlook.com", "icloud.com", "yahoo.com.sg"]),
    ("MY", .03, 8, "60", .35, ["gmail.com", "yahoo.com", "outlook.com"]),
    ("IN", .14, 5, "91", .50, ["gmail.com", "outlook.com", "rediffmail.com", "yahoo.co.in"]),
    ("NG", .05, 1, "234", .65, ["gmail.com", "yahoo.com", "outlook.com"]),
    ("KE", .04, 3, "254", .70, ["gmail.com", "yahoo.com", "outlook.com"]),
    ("US", .14, -6, "1", .20, ["gmail.com", "outlook.com", "icloud.com", "yahoo.com",
                               "proton.me", "hotmail.com"]),
    ("DE", .02, 1, "49", .20, ["gmail.com", "gmx.de", "web.de", "outlook.de"]),
    ("GB", .02, 0, "44", .20, ["gmail.com", "outlook.com", "icloud.com", "btinternet.com"]),
]
CC = [c[0] for c in COUNTRIES]
CW = np.array([c[1] for c in COUNTRIES])
CW = CW / CW.sum()
CTZ = np.array([c[2] for c in COUNTRIES])
CTLD = {"JP": ".co.jp", "KR": ".co.kr", "ID": ".co.id", "VN": ".com.vn", "PH": ".com.ph",
        "TH": ".co.th", "SG": ".com.sg", "MY": ".com.my", "IN": ".in", "NG": ".com.ng",
        "KE": ".co.ke", "US": ".com", "DE": ".de", "GB": ".co.uk"}
UTLD = {"JP": ".ac.jp", "KR": ".ac.kr", "ID": ".ac.id", "VN": ".edu.vn", "PH": ".edu.ph",
        "TH": ".ac.th", "SG": ".edu.sg", "MY": ".edu.my", "IN": ".ac.in", "NG": ".edu.ng",
        "KE": ".ac.ke", "US": ".edu", "DE": ".de", "GB": ".ac.uk"}
# asn, org, kind (res/mob/v6/uni/biz/cloud/vpn/own), country ("" = global)
ASNS = [
    (4713, "NTT Communications (OCN)", "res", "JP"), (2516, "KDDI Corporation", "res", "JP"),
    (17676, "SoftBank Corp.", "res", "JP"), (9605, "NTT DOCOMO, INC.", "mob", "JP"),
    (138384, "Rakuten Mobile, Inc.", "mob", "JP"), (9605, "NTT DOCOMO, INC.", "v6", "JP"),
    (4766, "Korea Telecom", "res", "KR"), (9318, "SK Broadband Co Ltd", "res", "KR"),
    (9644, "SK Telecom", "mob", "KR"), (17858, "LG POWERCOMM", "mob", "KR"),
    (7713, "PT Telekomunikasi Indonesia", "res", "ID"), (17451, "BIZNET NETWORKS", "res", "ID"),
    (23693, "PT. Telekomunikasi Selular", "mob", "ID"), (24203, "PT XL Axiata", "mob", "ID"),
    (45899, "VNPT Corp", "res", "VN"), (18403, "FPT Telecom Company", "res", "VN"),
    (7552, "Viettel Group", "mob", "VN"),
    (9299, "Philippine Long Distance Telephone", "res", "PH"),
    (132199, "Globe Telecom Inc.", "mob", "PH"), (10139, "Smart Broadband, Inc.", "mob", "PH"),
    (7470, "TRUE INTERNET Co.,Ltd.", "res", "TH"), (45430, "Advanced Wireless Network", "mob", "TH"),
    (7473, "Singapore Telecommunications Ltd", "res", "SG"), (4657, "StarHub Ltd", "mob", "SG"),
    (4788, "TM Net, Internet Service Provider", "res", "MY"), (9534, "Maxis Broadband", "mob", "MY"),
    (24560, "Bharti Airtel Ltd.", "res", "IN"), (24309, "Atria Convergence Technologies", "res", "IN"),
    (55836, "Reliance Jio Infocomm Limited", "mob", "IN"),
    (55836, "Reliance Jio Infocomm Limited", "v6", "IN"),
    (37340, "Spectranet Limited", "res", "NG"), (29465, "MTN NIGERIA", "mob", "NG"),
    (36873, "Airtel Networks Limited", "mob", "NG"),
    (15808, "ACCESSKENYA GROUP LTD", "res", "KE"), (33771, "Safaricom Limited", "mob", "KE"),
    (7922, "Comcast Cable Communications, LLC", "res", "US"), (20115, "Charter Communications", "res", "US"),
    (7018, "AT&T Services, Inc.", "res", "US"), (21928, "T-Mobile USA, Inc.", "mob", "US"),
    (22394, "Verizon Business", "mob", "US"), (21928, "T-Mobile USA, Inc.", "v6", "US"),
    (3320, "Deutsche Telekom AG", "res", "DE"), (3209, "Vodafone GmbH", "mob", "DE"),
    (2856, "British Telecommunications PLC", "res", "GB"), (25135, "Vodafone Limited", "mob", "GB"),
    (2907, "SINET (Research Org. of Information and Systems)", "uni", "JP"),
    (1237, "KREONET", "uni", "KR"), (4796, "Institut Teknologi Bandung", "uni", "ID"),
    (131373, "Vietnam National University", "uni", "VN"), (9821, "DOST-ASTI PREGINET", "uni", "PH"),
    (4621, "UNINET (Thailand)", "uni", "TH"), (7610, "National University of Singapore", "uni", "SG"),
    (17551, "MYREN", "uni", "MY"), (2697, "ERNET India", "uni", "IN"),
    (37282, "Nigerian Research and Education Network", "uni", "NG"),
    (36914, "KENET", "uni", "KE"), (11537, "Internet2", "uni", "US"), (680, "DFN", "uni", "DE"),
    (786, "Jisc Services Limited", "uni", "GB"),
    (2914, "NTT America / NTT Com business", "biz", "JP"), (3786, "LG DACOM Corporation", "biz", "KR"),
    (4800, "Lintasarta", "biz", "ID"), (131429, "MOBIFONE Corporation", "biz", "VN"),
    (9658, "Eastern Telecoms Philippines", "biz", "PH"), (38040, "TOT / NT business", "biz", "TH"),
    (3758, "SingNet business", "biz", "SG"), (38322, "TIME dotCom", "biz", "MY"),
    (9498, "BHARTI Airtel business", "biz", "IN"), (37148, "Globacom business", "biz", "NG"),
    (37061, "Safaricom business", "biz", "KE"), (701, "Verizon Business (UUNET)", "biz", "US"),
    (8881, "1&1 Versatel Deutschland GmbH", "biz", "DE"), (5400, "BT business", "biz", "GB"),
    (16509, "AMAZON-02", "cloud", ""), (15169, "GOOGLE", "cloud", ""),
    (8075, "MICROSOFT-CORP-MSN-AS-BLOCK", "cloud", ""), (14061, "DIGITALOCEAN-ASN", "cloud", ""),
    (24940, "Hetzner Online GmbH", "cloud", ""), (16276, "OVH SAS", "cloud", ""),
    (63949, "Akamai Connected Cloud", "cloud", ""), (45102, "Alibaba (US) Technology Co., Ltd.", "cloud", ""),
    (132203, "Tencent Building, Kejizhongyi Avenue", "cloud", ""), (20473, "The Constant Company (Vultr)", "cloud", ""),
    (9009, "M247 Europe SRL", "vpn", ""), (60068, "Datacamp Limited", "vpn", ""),
    (13335, "CLOUDFLARENET (WARP)", "vpn", ""), (36183, "Akamai (iCloud Private Relay)", "vpn", ""),
    (212238, "Datacamp / CDN77", "vpn", ""), (150372, "Forgeline Pte Ltd", "own", "SG"),
]
A_ASN = np.array([a[0] for a in ASNS])
A_ORG = np.array([a[1] for a in ASNS], dtype=object)
A_KIND = np.array([a[2] for a in ASNS])
A_CC = np.array([a[3] for a in ASNS])


def asn_of(kind: str, cc: str | None = None, org: str | None = None) -> np.ndarray:
    m = A_KIND == kind
    if cc is not None:
        m &= A_CC == cc
    if org is not None:
        m &= np.array([org in o for o in A_ORG])
    return np.flatnonzero(m)


CLOUD = {n: int(asn_of("cloud", org=n)[0]) for n in
         ("AMAZON", "GOOGLE", "MICROSOFT", "DIGITALOCEAN", "Hetzner", "OVH", "Akamai Connected",
          "Alibaba", "Tencent", "Vultr")}

FIRST = np.array("yuki haruto sora ren aoi minjun seoyeon jiho budi siti agus dewi minh linh anh "
                 "juan maria jose mark somchai nok wei jun aisha arjun priya rahul ananya chidi "
                 "ngozi emeka amina wanjiru kamau otieno james emily michael sarah david jessica "
                 "lukas anna oliver amelia".split())
LAST = np.array("tanaka suzuki sato takahashi kim lee park choi santoso wijaya pratama nguyen tran "
                "le pham reyes santos cruz garcia srisuk wong tan lim sharma patel singh kumar "
                "okafor adeyemi eze mwangi ochieng kariuki smith johnson brown miller davis "
                "mueller schmidt jones taylor".split())
WORDS = np.array("byte neon code pixel async rust lambda delta cobalt ember quartz orbit nimbus "
                 "vector kite maple lotus tiger panda falcon mango cedar river swift atlas nova "
                 "zen koi echo".split())
CO1 = np.array("sakura hana blue green north east bright kumo daichi hanbit maju sinar viet "
               "lotus maharlika siam merlion harimau bharat lagos savanna prairie rhein thames "
               "apex core nexus prime summit tera".split())
CO2 = np.array("soft tech systems labs digital works solutions data cloud logic net studio "
               "dynamics analytics".split())
FRESH = np.array("qubit tensor synth forge vertex flux helix kern graph prompt agent loop "
                 "stack shard".split())
DISPOSABLE = np.array(["mailpoof.net", "tmpbox.org", "inboxkitten.io", "qxmail.site",
                       "fakemailr.com", "trashmail.top", "10minbox.xyz", "burnermail.cc",
                       "dropjar.email", "nowmail.shop", "mailsac.fun", "tempr.dev", "yopbox.club",
                       "kukumail.online", "zmailer.icu", "sharklasers.info", "getnada.site",
                       "mohmal.pro", "emlhub.store", "spamgourd.buzz", "vmani.tech",
                       "linshi.cyou", "haribu.lol", "tmail.rest", "fexbox.click"])
UAS = np.array([
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.6312.118 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/122.0.0.0 Safari/537.36",  # 9: automation
    "forgeline-cli/2.4.1 (darwin; arm64) node/20.12.2",  # 10
    "forgeline-cli/2.4.1 (linux; x64) node/20.12.2",  # 11
    "forgeline-vscode/1.19.3 (win32; x64)",  # 12
    "forgeline-jetbrains/1.7.0 (IntelliJ IDEA 2024.1)",  # 13
    "forgeline-python/0.31.0 python/3.11.9",  # 14
    "python-httpx/0.27.0",  # 15
    "forgeline-action/1.3.2 (github-actions; ubuntu-22.04)",  # 16
    "okhttp/4.12.0",  # 17
    "Go-http-client/2.0",  # 18
])
UA_BROWSER = np.arange(9)
UA_SDK = np.array([10, 11, 12, 13, 14])
CAPS = np.array(["coding", "agentic_reasoning", "planning", "chat", "other"])
# capability mixes: (probabilities over CAPS), mean input tokens, mean output tokens
MIXES = {
    "dev": ([.62, .14, .08, .10, .06], 2600, 700),
    "student": ([.50, .05, .05, .35, .05], 900, 500),
    "consumer": ([.20, .04, .06, .62, .08], 500, 400),
    "app": ([.45, .10, .05, .30, .10], 1800, 450),
    "ci": ([.80, .12, .04, .00, .04], 5200, 900),
    "qa": ([.40, .15, .10, .15, .20], 1500, 300),
    "distill": ([.30, .45, .20, .03, .02], 1700, 2600),
    "relay": ([.35, .20, .07, .33, .05], 1400, 900),
}
MIX_NAMES = list(MIXES)
MIX_CUM = np.cumsum(np.array([MIXES[m][0] for m in MIX_NAMES]), axis=1)
MIX_CUM[:, -1] = 1.0
MIX_IN = np.array([MIXES[m][1] for m in MIX_NAMES], dtype=float)
MIX_OUT = np.array([MIXES[m][2] for m in MIX_NAMES], dtype=float)
MIX = {m: i for i, m in enumerate(MIX_NAMES)}

PATTERNS = ["staff", "cgnat", "ipv6_mobile", "vpn", "campus", "lab_machine", "class_burst",
            "office", "coworking", "sso_tenant", "corp_card", "reseller_card", "device_image",
            "team_template", "household", "multi_account", "event_burst", "launch_wave",
            "app_user", "app_owner", "public_template", "ci", "privacy_email"]
P = {p: np.uint32(1 << i) for i, p in enumerate(PATTERNS)}

# ----------------------------------------------------------------------------- helpers
_HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")


def mix64(x) -> np.ndarray:
    """splitmix64 finaliser (a bijection on uint64)."""
    with np.errstate(over="ignore"):
        z = np.asarray(x).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hex16(h: np.ndarray) -> np.ndarray:
    b = np.ascontiguousarray(np.asarray(h, dtype=np.uint64).astype(">u8")).view(np.uint8)
    return _HEX[b.reshape(-1, 8)].view("S16").ravel().astype("U16")


def code_str(prefix: str, codes: np.ndarray, salt: int, n: int = 16) -> np.ndarray:
    """prefix + hash hex of integer codes; -1 -> None (object array)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), None, dtype=object)
    m = codes >= 0
    if m.any():
        h = hex16(mix64(codes[m].astype(np.uint64) ^ np.uint64(salt)))
        if n < 16:
            h = h.astype(f"U{n}")
        out[m] = np.char.add(prefix, h)
    return out


def s(a) -> np.ndarray:
    return np.asarray(a).astype(str)


def cat(*parts) -> np.ndarray:
    out = s(parts[0])
    for p in parts[1:]:
        out = np.char.add(out, s(p))
    return out


def ipv4_str(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    return cat(x >> 24, ".", (x >> 16) & 255, ".", (x >> 8) & 255, ".", x & 255)


def pareto_sizes(rng, n_total: int, xmin: int, alpha: float, xmax: int) -> np.ndarray:
    """Group sizes (truncated Pareto, heavy tailed) summing exactly to n_total; a remainder
    smaller than xmin is merged into the previous group."""
    if n_total <= 0:
        return np.zeros(0, dtype=np.int64)
    k = max(8, int(n_total / xmin) + 8)
    umax = 1 - (xmin / max(xmax, xmin)) ** alpha
    sz = np.floor(xmin * (1 - umax * rng.random(k)) ** (-1 / alpha)).astype(np.int64)
    cs = np.cumsum(sz)
    while cs[-1] < n_total:
        sz = np.concatenate([sz, sz])
        cs = np.cumsum(sz)
    j = int(np.searchsorted(cs, n_total))
    sz = sz[: j + 1].copy()
    sz[-1] -= cs[j] - n_total
    if len(sz) > 1 and sz[-1] < xmin:
        sz[-2] += sz[-1]
        sz = sz[:-1]
    return sz[sz > 0]


def group_ids(sizes: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(sizes)), sizes)


def pick(rng, n: int, probs) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def zipf_idx(rng, n: int, size: int, skew: float) -> np.ndarray:
    return np.minimum((size * rng.random(n) ** skew).astype(np.int64), size - 1)


class Reg:
    """Entity registry: contiguous ids with attribute arrays."""

    def __init__(self):
        self.n = 0
        self.parts: dict[str, list] = {}

    def add(self, k: int, **attrs) -> int:
        start = self.n
        self.n += int(k)
        for key, v in attrs.items():
            self.parts.setdefault(key, []).append(np.broadcast_to(np.asarray(v), (int(k),)).copy())
        return start

    def col(self, key: str) -> np.ndarray:
        return np.concatenate(self.parts[key]) if self.parts.get(key) else np.zeros(0)


class IPReg(Reg):
    def __init__(self, rng):
        super().__init__()
        self.rng = rng
        self.next = np.zeros(len(ASNS), dtype=np.int64)

    def v4(self, a: int, k: int, sequential: bool = True, gap: int = 4) -> int:
        """k addresses in the AS's /12 (sequential like real assignments, or scattered)."""
        k = int(k)
        if sequential:
            offs = self.next[a] + np.cumsum(self.rng.integers(1, gap + 1, k))
            if k:
                self.next[a] = offs[-1] + 1
        else:
            offs = self.rng.integers(256, 1 << 20, k)
        ip = (36 << 24) + a * (1 << 20) + (offs % (1 << 20))
        low = ip & 255
        ip = ip + (low == 0) - (low == 255)
        return self.add(k, s=ipv4_str(ip), a=a)

    def v6(self, a: int, k: int) -> int:
        k = int(k)
        h = mix64(self.rng.integers(0, 1 << 62, k))
        hx = hex16(h)
        q = np.ascontiguousarray(hx.astype("U16")).view("U4").reshape(-1, 4)
        parts = [np.char.lstrip(q[:, i], "0") for i in range(4)]
        hi, *parts = [np.where(p == "", "0", p) for p in parts]
        pre = {55836: "2409:40c0", 21928: "2607:fb90", 9605: "2400:2410"}.get(int(A_ASN[a]),
                                                                            "2400:4050")
        st = cat(pre, ":", hi, ":", parts[0], "::", parts[1], ":", parts[2])
        return self.add(k, s=st, a=a)


# ----------------------------------------------------------------------------- the world
class World:
    def __init__(self, cfg: WorldConfig):
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed * 7919 + 17)
        n = cfg.accounts
        self.n = n
        self.country = np.zeros(n, np.int64)
        self.created = np.zeros(n, np.int64)
        self.email = np.full(n, None, dtype=object)
        self.phone = np.full(n, -1, np.int64)
        self.sip = np.full(n, -1, np.int64)
        self.device = np.full(n, -1, np.int64)
        self.ua = np.zeros(n, np.int64)
        self.org = np.full(n, -1, np.int64)
        self.card1 = np.full(n, -1, np.int64)
        self.card2 = np.full(n, -1, np.int64)
        self.card2_t = np.zeros(n, np.int64)
        self.pat = np.zeros(n, np.uint32)
        self.ring = np.full(n, -1, np.int64)
        self.camp = np.full(n, -1, np.int64)
        self.fstyle = np.full(n, -1, np.int64)
        # login pools (home, alternative)
        self.hs = np.full(n, -1, np.int64)
        self.hn = np.ones(n, np.int64)
        self.hk = np.ones(n)
        self.as_ = np.full(n, -1, np.int64)
        self.an = np.ones(n, np.int64)
        self.ak = np.ones(n)
        self.ap = np.zeros(n)
        self.nlogin = np.zeros(n, np.int64)
        self.ld0 = np.full(n, -1, np.int64)  # first login day when not the sign-up day
        self.login_prof = np.zeros(n, np.int64)
        self.ips = IPReg(self.rng)
        self.fps = Reg()
        self.keys = Reg()
        self.cards = Reg()
        self.bins = Reg()
        self.n_org = 0
        self.streams: list[dict] = []
        self.extra_events: list[dict] = []
        self.allow: list[tuple[str, str, str]] = []
        self.rings: list[tuple[str, str]] = []  # (ring_id, style)
        self.camps: list[str] = []
        self.styles: list[str] = []
        self.phone_n = 0
        self.dev_n = 0
        # hour profiles (local hours), weekend factor, minute window
        self.prof_h: list[np.ndarray] = []
        self.prof_w: list[float] = []
        self.prof_m: list[tuple[int, int]] = []
        h = np.arange(24)
        self.P_OFFICE = self.profile(np.exp(-0.5 * ((h - 14) / 3.2) ** 2) + .03, 0.25)
        self.P_EVENING = self.profile(np.exp(-0.5 * ((h - 21) / 2.5) ** 2)
                                      + .4 * np.exp(-0.5 * ((h - 12.5) / 1.2) ** 2) + .04, 1.0)
        self.P_STUDENT = self.profile(np.exp(-0.5 * (((h - 16) % 24 - 0) / 4.5) ** 2)
                                      + .5 * np.exp(-0.5 * ((h - 23) / 1.5) ** 2) + .05, 0.8)
        self.P_FLAT = self.profile(np.ones(24) + .15 * np.sin(h / 24 * 2 * np.pi), 1.0)
        self.P_CRON = self.profile(np.where(h % 6 == 2, 4.0, .5), 1.0)
        self.P_SHIFT = self.profile(np.where((h >= 1) & (h < 10), 1.0, np.where(
            (h >= 12) & (h < 19), .7, .02)), 0.55)  # operator shifts (UTC)

    # --- small helpers
    def profile(self, hours, weekend: float, minutes=(0, 60)) -> int:
        self.prof_h.append(np.cumsum(hours / np.sum(hours)))
        self.prof_w.append(weekend)
        self.prof_m.append(minutes)
        return len(self.prof_h) - 1

    def new_phones(self, k: int) -> np.ndarray:
        self.phone_n += k
        return np.arange(self.phone_n - k, self.phone_n)

    def new_devices(self, k: int) -> np.ndarray:
        self.dev_n += k
        return np.arange(self.dev_n - k, self.dev_n)

    def new_orgs(self, k: int) -> np.ndarray:
        self.n_org += k
        return np.arange(self.n_org - k, self.n_org)

    def new_cards(self, bins: np.ndarray) -> np.ndarray:
        bins = np.asarray(bins, dtype=np.int64)
        postal = self.rng.integers(10000, 99999, len(bins))
        st = self.cards.add(len(bins), bin=bins, postal=postal)
        return np.arange(st, st + len(bins))

    def new_fps(self, k: int) -> int:
        return self.fps.add(k, x=0)

    def new_keys(self, k: int) -> int:
        return self.keys.add(k, x=0)

    def stream(self, acc, E, prof, tz, d0, d1, ip, fp, key, mix, tok=1.0, per_row=6.0,
               ua=14, api_events=True):
        """A block of request streams; ip/fp/key are (start, size, skew) arrays or scalars."""
        acc = np.asarray(acc, dtype=np.int64)
        k = len(acc)
        if k == 0:
            return

        def b(v, dt=np.int64):
            return np.broadcast_to(np.asarray(v, dtype=dt), (k,)).copy()

        self.streams.append(dict(
            acc=acc, E=b(E), prof=b(prof), tz=b(tz), d0=b(d0), d1=b(d1),
            ips=b(ip[0]), ipn=b(ip[1]), ipk=b(ip[2], float),
            fps=b(fp[0]), fpn=b(fp[1]), fpk=b(fp[2], float),
            keys=b(key[0]), keyn=b(key[1]), mix=b(mix), tok=b(tok, float),
            per=b(per_row, float), ua=b(ua), apiev=b(api_events, bool)))

    def own_keys(self, acc: np.ndarray, lo=1, hi=3):
        k = self.rng.integers(lo, hi + 1, len(acc))
        st = self.keys.add(int(k.sum()), x=0)
        starts = st + np.concatenate([[0], np.cumsum(k)[:-1]])
        return starts, k

    def own_fps(self, acc: np.ndarray, lo=1, hi=4):
        k = self.rng.integers(lo, hi + 1, len(acc))
        st = self.fps.add(int(k.sum()), x=0)
        starts = st + np.concatenate([[0], np.cumsum(k)[:-1]])
        return starts, k

    def cday(self, acc) -> np.ndarray:
        return np.clip((self.created[acc] - W0) // DAY, 0, NDAYS - 1)

    def legit_E(self, k: int, med: float, sigma: float = 1.4, cap: int = 30000) -> np.ndarray:
        return np.clip(np.round(med * np.exp(sigma * self.rng.standard_normal(k))), 1, cap
                       ).astype(np.int64)

    # ------------------------------------------------------------------ shared infrastructure
    def build_infra(self, L: int):
        rng = self.rng
        cw = CW
        # card BINs: per country 30 issuers' BINs, Zipf popularity
        self.bin_start = {}
        for ci in range(len(COUNTRIES)):
            k = 30
            fund = pick(rng, k, [.55, .35, .10])
            st = self.bins.add(k, num=rng.integers(400000, 559999, k) * 100 + rng.integers(0, 99, k),
                               cc=ci, fund=fund)
            self.bin_start[ci] = st
        us = CC.index("US")
        self.BIN_VIRTUAL = self.bins.add(1, num=np.array([53211407]), cc=us, fund=2)  # fintech
        self.BIN_BIZ = self.bins.add(1, num=np.array([55994122]), cc=us, fund=0)  # business virt.
        self.BIN_RARE = self.bins.add(1, num=np.array([41695733]), cc=len(CC), fund=0)  # EE bank
        self.BIN_PREP = self.bins.add(3, num=np.array([43212855, 51873300, 40399211]), cc=us,
                                      fund=2)
        self.BIN_TEST = self.bins.add(1, num=np.array([42424242]), cc=us, fund=0)
        # carrier CGNAT pools: per mobile AS, users/30 addresses
        self.cgnat = {}
        for ci, cc in enumerate(CC):
            mob = asn_of("mob", cc)
            users = L * cw[ci] * 0.4
            for a in mob:
                k = max(6, int(users / len(mob) / 30))
                self.cgnat.setdefault(ci, []).append((self.ips.v4(a, k, gap=2), k))
        # VPN / privacy-relay exits
        self.vpn = [(self.ips.v4(a, max(20, L // 800), gap=3), max(20, L // 800))
                    for a in asn_of("vpn")]
        # CI runner pool (hosted runners in one cloud, shared by everyone)
        kci = max(50, L // 150)
        self.ci_pool = (self.ips.v4(CLOUD["MICROSOFT"], kci, gap=1), kci)
        # coworking spaces: per country 4 spaces x 2 IPs
        self.cowork = {}
        for ci, cc in enumerate(CC):
            a = asn_of("biz", cc)[0]
            self.cowork[ci] = self.ips.v4(a, 8, gap=60)
        # public templates (Zipf) and public CI templates
        self.pub_fp = (self.new_fps(400), 400)
        self.ci_fp = (self.new_fps(30), 30)

    def cards_for(self, ci: np.ndarray) -> np.ndarray:
        """New legit cards on the country's BINs (Zipf-popular issuers)."""
        ci = np.asarray(ci, dtype=np.int64)
        st = np.array([self.bin_start[c] for c in range(len(CC))])
        b = st[ci] + zipf_idx(self.rng, len(ci), 30, 2.2)
        u = self.rng.random(len(ci))
        b = np.where(u < 0.03, self.BIN_VIRTUAL, b)  # the popular fintech virtual card
        b = np.where((u > 0.9997) & ~np.isin(ci, [0, 1]), self.BIN_RARE, b)  # a few expats
        return self.new_cards(b)

    def homes(self, ci: np.ndarray) -> np.ndarray:
        """A residential IP per household (sequential in a home ISP of the country)."""
        out = np.zeros(len(ci), np.int64)
        for c in np.unique(ci):
            m = np.flatnonzero(ci == c)
            res = asn_of("res", CC[c])
            which = self.rng.integers(0, len(res), len(m))
            for j, a in enumerate(res):
                mm = m[which == j]
                if len(mm):
                    st = self.ips.v4(a, len(mm) * 2, gap=3)
                    out[mm] = st + 2 * np.arange(len(mm))
        return out

    def mobile_pool(self, acc: np.ndarray, as_home: bool):
        """Carrier CGNAT (or IPv6 on IPv6 carriers) for these accounts."""
        rng = self.rng
        for c in np.unique(self.country[acc]):
            m = acc[self.country[acc] == c]
            pools = self.cgnat[c]
            which = rng.integers(0, len(pools), len(m))
            st = np.array([p[0] for p in pools])[which]
            nn = np.array([p[1] for p in pools])[which]
            v6a = asn_of("v6", CC[c])
            if len(v6a):
                isv6 = rng.random(len(m)) < self.cfg.ipv6_share
                m6 = m[isv6]
                if len(m6):
                    base = self.ips.v6(v6a[0], 3 * len(m6))
                    st6 = base + 3 * np.arange(len(m6))
                    self.pat[m6] |= P["ipv6_mobile"]
                    st[isv6] = st6
                    nn[isv6] = 3
            if as_home:
                self.hs[m], self.hn[m], self.hk[m] = st, nn, 1.6
            else:
                self.as_[m], self.an[m], self.ak[m] = st, nn, 1.6
            self.pat[m[nn > 3]] |= P["cgnat"]

    def emails_person(self, acc: np.ndarray, domains: np.ndarray, style: str = "mixed"):
        rng = self.rng
        k = len(acc)
        f = FIRST[rng.integers(0, len(FIRST), k)]
        la = LAST[rng.integers(0, len(LAST), k)]
        num = rng.integers(1, 9999, k)
        kind = rng.integers(0, 4, k) if style == "mixed" else np.zeros(k, np.int64)
        loc = np.where(kind == 0, cat(f, ".", la), np.where(
            kind == 1, cat(f, la, num), np.where(
                kind == 2, cat(f, "_", la, num % 100), cat(WORDS[rng.integers(0, len(WORDS), k)],
                                                           f, num))))
        self.email[acc] = np.char.add(np.char.add(loc, "@"), s(domains)).astype(object)

    def provider_domains(self, acc: np.ndarray) -> np.ndarray:
        out = np.empty(len(acc), dtype=object)
        ci = self.country[acc]
        for c in np.unique(ci):
            m = ci == c
            provs = COUNTRIES[c][5]
            w = np.array([3.0] + [1.0] * (len(provs) - 1))
            out[m] = np.array(provs, dtype=object)[pick(self.rng, int(m.sum()), w)]
        return out

    def signup_times(self, k: int, lo: int = S0, hi: int = W1 - 600) -> np.ndarray:
        u = self.rng.random(k) ** 0.75  # growth: more recent sign-ups
        return (lo + (hi - lo) * u).astype(np.int64)

    # ------------------------------------------------------------------ legit population
    def build_legit(self, L: int):
        cfg, rng = self.cfg, self.rng
        acc_all = np.arange(L)
        n_staff = max(20, int(L * cfg.staff_share))
        n_team = int(L * cfg.team_share)
        n_edu = int(L * cfg.edu_share)
        n_app = int(L * cfg.app_user_share)
        i0 = 0
        staff = acc_all[i0:i0 + n_staff]
        i0 += n_staff
        team = acc_all[i0:i0 + n_team]
        i0 += n_team
        edu = acc_all[i0:i0 + n_edu]
        i0 += n_edu
        app = acc_all[i0:i0 + n_app]
        i0 += n_app
        cons = acc_all[i0:L]
        self.country[:L] = pick(rng, L, CW)
        self.created[:L] = self.signup_times(L)
        self.ua[:L] = rng.choice(UA_BROWSER[:9], L, p=[.2, .3, .06, .08, .06, .12, .1, .05, .03])
        self.hk[:L] = 1.0
        self.build_staff(staff)
        self.build_team(team)
        self.build_edu(edu)
        self.build_consumers(cons)
        self.build_apps(app, np.concatenate([team, cons]))
        # launch waves: pull some sign-ups (not bursts/staff) into 4 launch windows
        launches = [(_ts("2025-06-10T01:00:00"), None), (_ts("2025-11-18T00:00:00"), "JP"),
                    (_ts("2026-02-03T15:00:00"), None), (_ts("2026-04-28T01:00:00"), "KR")]
        cand = np.flatnonzero((self.pat[:L] & (P["class_burst"] | P["event_burst"]
                                                | P["staff"])) == 0)
        wave = rng.choice(cand, int(L * cfg.launch_wave_share), replace=False)
        which = rng.integers(0, len(launches), len(wave))
        for j, (t, cc) in enumerate(launches):
            m = wave[which == j]
            if cc is not None:
                m = m[rng.random(len(m)) < 0.7]
                self.country[m] = CC.index(cc)
            self.created[m] = t + (rng.exponential(3.5 * HOUR, len(m))).astype(np.int64)
            self.pat[m] |= P["launch_wave"]
        # public templates and CI for a share of active devs
        self.legit_streams(L)

    def build_staff(self, acc):
        rng, k = self.rng, len(acc)
        sg = CC.index("SG")
        self.country[acc] = sg
        self.pat[acc] |= P["staff"]
        org = self.new_orgs(1)[0]
        self.staff_org = org
        self.org[acc] = org
        own = asn_of("own")[0]
        office = self.ips.v4(own, 40, gap=1)  # within one /24
        self.staff_office = office
        self.hs[acc], self.hn[acc], self.hk[acc] = office, 40, 1.3
        self.sip[acc] = office + rng.integers(0, 40, k)
        self.emails_person(acc, np.full(k, "forgeline.io"), style="plain")
        self.created[acc] = self.signup_times(k, S0 - 200 * DAY, W1 - DAY)
        self.device[acc] = self.new_devices(k)
        qa = rng.random(k) < 0.45
        qa_acc = acc[qa]
        qa_dev = self.new_devices(10)
        self.device[qa_acc] = rng.choice(qa_dev, len(qa_acc))
        test_cards = self.new_cards(np.full(5, self.BIN_TEST))
        self.card1[qa_acc] = rng.choice(test_cards, len(qa_acc))
        self.card1[acc[~qa]] = self.cards_for(self.country[acc[~qa]])
        keys = self.own_keys(acc)
        fp = self.own_fps(acc)
        self.stream(acc, self.legit_E(k, 120), self.P_OFFICE, 8, self.cday(acc), NDAYS - 1,
                    (office, 40, 1.3), (fp[0], fp[1], 1.0), keys, MIX["dev"], per_row=5, ua=10)
        qa_key = self.new_keys(3)
        qa_fp = self.new_fps(4)
        self.stream(qa_acc, self.legit_E(len(qa_acc), 3000, 0.8, 60000), self.P_FLAT, 0,
                    self.cday(qa_acc), NDAYS - 1, (self.ci_pool[0], self.ci_pool[1], 1.0),
                    (qa_fp, 4, 1.5), (qa_key, 3), MIX["qa"], tok=0.6, per_row=40, ua=14)
        self.nlogin[acc] = rng.poisson(12, k)
        self.staff_test_cards = test_cards
        self.staff_qa_dev = qa_dev
        self.staff_acc = acc
        self.staff_qa = qa_acc

    def build_team(self, acc):
        cfg, rng = self.cfg, self.rng
        sizes = pareto_sizes(rng, len(acc), 2, cfg.org_pareto_alpha,
                             min(cfg.org_max_seats, max(200, len(acc) // 15)))
        g = group_ids(sizes)
        no = len(sizes)
        orgs = self.new_orgs(no)
        oc = pick(rng, no, CW)
        self.country[acc] = np.where(rng.random(len(acc)) < 0.93, oc[g], self.country[acc])
        self.org[acc] = orgs[g]
        self.pat[acc] |= P["sso_tenant"]
        # domains
        dom = cat(CO1[rng.integers(0, len(CO1), no)], CO2[rng.integers(0, len(CO2), no)],
                  np.where(rng.random(no) < .5, "", s(rng.integers(1, 99, no))),
                  np.array([CTLD[c] for c in CC])[oc])
        self.emails_person(acc, dom[g], style="plain")
        # created: org founding + member joins
        ot = self.signup_times(no, S0, W1 - 5 * DAY)
        self.created[acc] = np.minimum(ot[g] + rng.exponential(40 * DAY, len(acc)).astype(np.int64)
                                       * (rng.random(len(acc)) < .8), W1 - 600)
        # office pools: 1-3 IPs in a business ISP; small orgs maybe in coworking spaces
        nip = np.where(sizes > 50, 3, np.where(sizes > 10, 2, 1))
        ost = np.zeros(no, np.int64)
        for c in np.unique(oc):
            m = np.flatnonzero(oc == c)
            st = self.ips.v4(asn_of("biz", CC[c])[0], int(nip[m].sum()) * 1, gap=40)
            ost[m] = st + np.concatenate([[0], np.cumsum(nip[m])[:-1]])
        cow = (sizes <= 15) & (rng.random(no) < cfg.coworking_share)
        cs = np.array([self.cowork[c] for c in range(len(CC))])[oc]
        ost = np.where(cow, cs + 2 * rng.integers(0, 4, no), ost)
        nip = np.where(cow, 2, nip)
        office_member = rng.random(len(acc)) >= cfg.wfh_share
        om = acc[office_member]
        self.hs[om], self.hn[om], self.hk[om] = ost[g[office_member]], nip[g[office_member]], 1.0
        self.pat[om] |= P["office"]
        self.pat[om[cow[g[office_member]]]] |= P["coworking"]
        wfh = acc[~office_member]
        self.hs[wfh] = self.homes(self.country[wfh])
        self.hn[wfh] = 2
        mob = acc[rng.random(len(acc)) < 0.3]
        self.mobile_pool(mob, as_home=False)
        self.ap[mob] = 0.25
        # wfh people log in from the office sometimes
        self.as_[wfh] = ost[g[~office_member]]
        self.an[wfh], self.ap[wfh] = nip[g[~office_member]], 0.3
        self.sip[acc] = self.hs[acc] + rng.integers(0, 2, len(acc)) % self.hn[acc]
        self.ua[acc] = rng.choice([0, 1, 3, 4, 8], len(acc))
        # devices: own, or a device image shared by many seats
        self.device[acc] = self.new_devices(len(acc))
        img = (sizes >= 10) & (rng.random(no) < cfg.device_image_share)
        img_dev = self.new_devices(no * 3).reshape(no, 3)
        use_img = img[g] & (rng.random(len(acc)) < 0.6)
        self.device[acc[use_img]] = img_dev[g[use_img], rng.integers(0, 3, int(use_img.sum()))]
        self.pat[acc[use_img]] |= P["device_image"]
        # payment: admin card (60%), one corporate card on every seat (corp_card), reseller card
        corp = (sizes >= 3) & (sizes <= 300) & (rng.random(no) < cfg.corp_card_share)
        ocard = self.cards_for(oc)
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        admin = np.zeros(len(acc), bool)
        admin[first] = True
        resell_c = np.array([CC.index(c) for c in ("JP", "KR", "ID", "VN")])
        resold = np.isin(oc, resell_c) & (sizes <= 30) & (rng.random(no) < cfg.reseller_share)
        # resellers: 4 per country, each one card for all its clients' seats
        rcard = {c: self.cards_for(np.full(4, c)) for c in resell_c}
        for c in resell_c:
            m = np.flatnonzero(resold & (oc == c))
            ocard[m] = rcard[c][zipf_idx(rng, len(m), 4, 1.8)]
        has = (admin & (rng.random(len(acc)) < 0.6)) | corp[g] | resold[g]
        self.card1[acc[has]] = ocard[g[has]]
        self.pat[acc[corp[g] & ~resold[g]]] |= P["corp_card"]
        self.pat[acc[resold[g]]] |= P["reseller_card"]
        own = (~has) & (rng.random(len(acc)) < 0.1)
        self.card1[acc[own]] = self.cards_for(self.country[acc[own]])
        self.phone[acc[rng.random(len(acc)) < 0.3]] = -2  # assigned later
        # traffic: own work stream and internal templates
        act = self.active(acc)
        a = acc[act]
        E = self.legit_E(len(a), 90)
        keys = self.own_keys(a)
        fp = self.own_fps(a)
        tz = CTZ[self.country[a]]
        ipsrc = (self.hs[a], self.hn[a], 1.0)
        tpl = rng.random(len(a)) < 0.45
        ofp = self.new_fps(no * 4)
        ofs = ofp + 4 * g[act]
        Et = np.where(tpl, (E * rng.uniform(.2, .6, len(a))).astype(np.int64), 0)
        self.stream(a, E - Et, self.P_OFFICE, tz, self.cday(a), NDAYS - 1, ipsrc,
                    (fp[0], fp[1], 1.0), keys, MIX["dev"], per_row=rng.uniform(2, 10, len(a)),
                    ua=rng.choice(UA_SDK, len(a)))
        t = tpl & (Et > 0)
        self.stream(a[t], Et[t], self.P_OFFICE, tz[t], self.cday(a[t]), NDAYS - 1,
                    (ipsrc[0][t], ipsrc[1][t], 1.0), (ofs[t], 4, 1.7), (keys[0][t], keys[1][t]),
                    MIX["dev"], per_row=6, ua=12)
        self.pat[a[t]] |= P["team_template"]
        self.team_ost, self.team_orgs, self.team_sizes = ost, orgs, sizes

    def active(self, acc) -> np.ndarray:
        rec = np.clip((self.created[acc] - (W0 - 120 * DAY)) / (120 * DAY), 0, 1)
        p = np.clip(self.cfg.active_share - 0.15 + 0.35 * rec, 0, 0.95)
        return self.rng.random(len(acc)) < p

    def build_edu(self, acc):
        cfg, rng = self.cfg, self.rng
        sizes = pareto_sizes(rng, len(acc), 30, cfg.uni_pareto_alpha,
                             min(cfg.uni_max_size, max(300, len(acc) // 8)))
        g = group_ids(sizes)
        nu = len(sizes)
        uc = pick(rng, nu, CW)
        self.country[acc] = np.where(rng.random(len(acc)) < 0.95, uc[g], self.country[acc])
        orgs = self.new_orgs(nu)
        lic = rng.random(nu) < 0.8  # on a university licence (org) or individual sign-ups
        self.org[acc] = np.where(lic[g], orgs[g], -1)
        dom = cat("u-", CO1[rng.integers(0, len(CO1), nu)], np.where(
            rng.random(nu) < .5, "", s(rng.integers(1, 20, nu))), np.array([UTLD[c] for c in CC])[uc])
        sid = rng.integers(10_000_000, 99_999_999, len(acc))
        self.email[acc] = cat(np.where(rng.random(len(acc)) < .7, "s", "m"), sid, "@", dom[g]
                              ).astype(object)
        nip = np.clip(sizes // 400 + 2, 2, 8)
        ust = np.zeros(nu, np.int64)
        for c in np.unique(uc):
            m = np.flatnonzero(uc == c)
            st = self.ips.v4(asn_of("uni", CC[c])[0], int(nip[m].sum()), gap=2)
            ust[m] = st + np.concatenate([[0], np.cumsum(nip[m])[:-1]])
        self.hs[acc], self.hn[acc], self.hk[acc] = ust[g], nip[g], 1.2
        self.pat[acc] |= P["campus"]
        # students off campus: home broadband or mobile CGNAT
        off = acc[rng.random(len(acc)) < 0.5]
        mobile_first = np.array([c[4] for c in COUNTRIES])[self.country[off]]
        mob = off[rng.random(len(off)) < mobile_first + .1]
        self.mobile_pool(mob, as_home=False)
        home = np.setdiff1d(off, mob)
        self.as_[home] = self.homes(self.country[home])
        self.an[home] = 2
        self.ap[off] = 0.5
        # created: semester starts (April in JP/KR, Sept elsewhere, Jan/Feb) + noise
        sem = np.where(np.isin(uc[g], [CC.index("JP"), CC.index("KR")]),
                       np.where(rng.random(len(acc)) < .6, _ts("2025-04-08T00:00:00"),
                                _ts("2026-04-07T00:00:00")),
                       np.where(rng.random(len(acc)) < .5, _ts("2025-09-02T00:00:00"),
                                _ts("2026-01-13T00:00:00")))
        self.created[acc] = sem + rng.exponential(25 * DAY, len(acc)).astype(np.int64)
        # class bursts: a lecture hall of 15-300 signs up within one hour from one campus IP
        burst = acc[rng.random(len(acc)) < cfg.class_burst_share]
        gb = g[np.searchsorted(acc, burst)]
        order = np.argsort(gb, kind="stable")
        burst, gb = burst[order], gb[order]
        cls = np.zeros(len(burst), np.int64)
        for u in np.unique(gb):  # per university (a few thousand at most)
            m = np.flatnonzero(gb == u)
            cs = pareto_sizes(rng, len(m), 15, 1.5, 300)
            cls[m] = group_ids(cs)
        key = gb * 10_000 + cls
        uk, inv = np.unique(key, return_inverse=True)
        ct = sem[np.searchsorted(acc, burst)][np.unique(inv, return_index=True)[1]] \
            + rng.integers(0, 60, len(uk)) * DAY + rng.integers(1, 8, len(uk)) * 3600 + 9 * 3600
        self.created[burst] = ct[inv] + rng.integers(0, 3300, len(burst))
        ip = ust[gb] + (uk[inv] % nip[gb])
        self.sip[burst] = ip
        self.pat[burst] |= P["class_burst"]
        rest = np.setdiff1d(acc, burst)
        self.sip[rest] = self.hs[rest] + rng.integers(0, 8, len(rest)) % self.hn[rest]
        self.created[acc] = np.clip(self.created[acc], S0, W1 - 600)
        # devices: own laptop/phone, or a lab machine image
        self.device[acc] = self.new_devices(len(acc))
        lab = rng.random(len(acc)) < cfg.lab_share
        labdev = self.new_devices(nu * 4).reshape(nu, 4)
        self.device[acc[lab]] = labdev[g[lab], rng.integers(0, 4, int(lab.sum()))]
        self.pat[acc[lab]] |= P["lab_machine"]
        cardm = rng.random(len(acc)) < 0.15
        self.card1[acc[cardm]] = self.cards_for(self.country[acc[cardm]])
        self.ua[acc] = rng.choice(UA_BROWSER[:9], len(acc))
        # traffic: own + course/autograder templates
        act = self.active(acc)
        a = acc[act]
        E = self.legit_E(len(a), 30, 1.3)
        keys = self.own_keys(a, 1, 2)
        fp = self.own_fps(a)
        tz = CTZ[self.country[a]]
        ufp = self.new_fps(nu * 6)
        tpl = rng.random(len(a)) < 0.5
        Et = np.where(tpl, (E * rng.uniform(.3, .8, len(a))).astype(np.int64), 0)
        self.stream(a, E - Et, self.P_STUDENT, tz, self.cday(a), NDAYS - 1,
                    (self.hs[a], self.hn[a], 1.2), (fp[0], fp[1], 1.0), keys, MIX["student"],
                    per_row=rng.uniform(1.5, 6, len(a)), ua=rng.choice(UA_SDK, len(a)))
        t = tpl & (Et > 0)
        self.stream(a[t], Et[t], self.P_STUDENT, tz[t], self.cday(a[t]), NDAYS - 1,
                    (self.hs[a[t]], self.hn[a[t]], 1.2), (ufp + 6 * g[act][t], 6, 2.0),
                    (keys[0][t], keys[1][t]), MIX["student"], per_row=3, ua=12)

    def build_consumers(self, acc):
        cfg, rng = self.cfg, self.rng
        hs = np.array(cfg.household_sizes, dtype=float)
        n = len(acc)
        k = int(n / 1.5) + 10
        sz = np.array([1, 2, 3, 4, 0])[pick(rng, k, hs)]
        sz = np.where(sz == 0, rng.integers(5, 9, k), sz)
        cs = np.cumsum(sz)
        j = int(np.searchsorted(cs, n))
        sz = sz[: j + 1]
        sz[-1] -= cs[j] - n
        sz = sz[sz > 0]
        g = group_ids(sz)
        nh = len(sz)
        hc = pick(rng, nh, CW)
        self.country[acc] = hc[g]
        multi = (sz >= 2) & (sz <= 4) & (rng.random(nh) < cfg.multi_account_share)
        fam = (sz >= 2) & ~multi
        self.pat[acc[fam[g]]] |= P["household"]
        self.pat[acc[multi[g]]] |= P["multi_account"]
        # home IP (household), mobile-first people on CGNAT as home
        hip = self.homes(hc)
        self.hs[acc], self.hn[acc], self.hk[acc] = hip[g], 2, 1.0
        mf = np.array([c[4] for c in COUNTRIES])[self.country[acc]]
        mobfirst = acc[(rng.random(n) < mf) & ~multi[g]]
        self.mobile_pool(mobfirst, as_home=True)
        self.as_[mobfirst], self.an[mobfirst], self.ap[mobfirst] = hip[g[np.searchsorted(
            acc, mobfirst)]], 2, 0.15
        rest = np.setdiff1d(acc, mobfirst)
        some = rest[rng.random(len(rest)) < 0.35]
        self.mobile_pool(some, as_home=False)
        self.ap[some] = 0.3
        vpn = acc[rng.random(n) < cfg.vpn_share]
        vw = rng.integers(0, len(self.vpn), len(vpn))
        self.as_[vpn] = np.array([v[0] for v in self.vpn])[vw]
        self.an[vpn] = np.array([v[1] for v in self.vpn])[vw]
        self.ak[vpn], self.ap[vpn] = 1.3, 0.75
        self.pat[vpn] |= P["vpn"]
        # sign-up IP: home or mobile or VPN
        useA = (self.as_[acc] >= 0) & (rng.random(n) < self.ap[acc])
        sh = self.hs[acc] + (self.hn[acc] * rng.random(n) ** self.hk[acc]).astype(np.int64)
        sa = self.as_[acc] + (self.an[acc] * rng.random(n) ** self.ak[acc]).astype(np.int64)
        self.sip[acc] = np.where(useA, sa, sh)
        # e-mail: providers; multi-account people: plus-tags / other providers of one name
        dom = self.provider_domains(acc)
        priv = (rng.random(n) < cfg.privacy_email_share) & np.isin(
            self.country[acc], [CC.index(c) for c in ("US", "JP", "GB", "DE", "SG")])
        dom[priv] = np.where(rng.random(int(priv.sum())) < .7, "privaterelay.appleid.com",
                             "duck.com")
        self.pat[acc[priv]] |= P["privacy_email"]
        self.emails_person(acc, dom)
        pr = acc[priv]
        self.email[pr] = cat(hex16(mix64(pr + 99)).astype("U10"), "@", dom[priv]).astype(object)
        mm = np.flatnonzero(multi[g])
        if len(mm):
            first = np.concatenate([[0], np.cumsum(sz)[:-1]])
            base_local = np.char.partition(self.email[acc[first[g[mm]]]].astype(str), "@")[:, 0]
            plus = rng.random(len(mm)) < 0.5
            tag = np.array(["work", "dev", "test", "side", "2", "api"])[rng.integers(0, 6, len(mm))]
            loc = np.where(plus, cat(base_local, "+", tag), cat(base_local, rng.integers(1, 99,
                                                                                       len(mm))))
            d2 = np.where(plus, "gmail.com", self.provider_domains(acc[mm]).astype(str))
            self.email[acc[mm]] = np.where(np.arange(len(mm)) == np.searchsorted(
                mm, first[g[mm]]), self.email[acc[mm]], cat(loc, "@", d2).astype(object))
        # devices, cards, phones
        dev = self.new_devices(n)
        hdev = self.new_devices(nh)
        shared_dev = (fam & (rng.random(nh) < cfg.household_device_share)) | multi
        use = shared_dev[g] & (rng.random(n) < np.where(multi[g], .9, .7))
        self.device[acc] = np.where(use, hdev[g], dev)
        hcard = self.cards_for(hc)
        shared_card = (fam & (rng.random(nh) < cfg.household_card_share)) | (
            multi & (rng.random(nh) < .7))
        pay = rng.random(n) < 0.45
        own = self.cards_for(self.country[acc])
        self.card1[acc] = np.where(shared_card[g] & (rng.random(n) < .8), hcard[g],
                                   np.where(pay, own, -1))
        ph = self.new_phones(nh)
        self.phone[acc[rng.random(n) < 0.4]] = -2
        mp = acc[multi[g] & (rng.random(n) < 0.5)]
        self.phone[mp] = ph[g[np.searchsorted(acc, mp)]]
        # hackathon / meet-up bursts: 20-400 sign-ups in one hour from one venue IP
        ev = acc[rng.random(n) < cfg.event_burst_share]
        es = pareto_sizes(rng, len(ev), 20, 1.3, 400)
        eg = group_ids(es)
        ne = len(es)
        ec = pick(rng, ne, CW)
        vip = np.zeros(ne, np.int64)
        for c in np.unique(ec):
            m = np.flatnonzero(ec == c)
            vip[m] = self.ips.v4(asn_of("biz", CC[c])[0], len(m), gap=80)
        self.country[ev] = ec[eg]
        et = self.signup_times(ne, S0, W1 - DAY) // HOUR * HOUR + 2 * HOUR
        self.created[ev] = et[eg] + rng.integers(0, 3400, len(ev))
        self.sip[ev] = vip[eg]
        self.pat[ev] |= P["event_burst"]
        # traffic
        act = self.active(acc)
        a = acc[act]
        E = self.legit_E(len(a), 25, 1.5)
        keys = self.own_keys(a, 1, 2)
        fp = self.own_fps(a, 1, 3)
        tz = CTZ[self.country[a]]
        # mostly from home/mobile; a share through the VPN/alt pool
        alt = (self.as_[a] >= 0) & (rng.random(len(a)) < self.ap[a])
        ips = np.where(alt, self.as_[a], self.hs[a])
        ipn = np.where(alt, self.an[a], self.hn[a])
        ipk = np.where(alt, self.ak[a], self.hk[a])
        self.stream(a, E, self.P_EVENING, tz, self.cday(a), NDAYS - 1, (ips, ipn, ipk),
                    (fp[0], fp[1], 1.0), keys, MIX["consumer"], per_row=rng.uniform(1.5, 8, len(a)),
                    ua=rng.choice(UA_SDK, len(a)))

    def build_apps(self, acc, devpool):
        cfg, rng = self.cfg, self.rng
        na = max(20, self.n_legit // cfg.accounts_per_app)
        # app owners: existing team/consumer accounts
        owners = rng.choice(devpool, na, replace=False)
        self.pat[owners] |= P["app_owner"]
        w = 1.0 / np.arange(1, na + 1) ** 1.1
        ag = pick(rng, len(acc), w)
        nsrv = np.clip(1 + (np.bincount(ag, minlength=na) // 800), 1, 8)
        clouds = [CLOUD[c] for c in ("AMAZON", "GOOGLE", "MICROSOFT", "DIGITALOCEAN", "Hetzner")]
        srv = np.zeros(na, np.int64)
        for i in range(na):
            srv[i] = self.ips.v4(clouds[i % 5], int(nsrv[i]), gap=1)
        self.app_srv, self.app_nsrv = srv, nsrv
        akey = self.new_keys(na * 4)
        afp = self.new_fps(na * 3)
        self.pat[acc] |= P["app_user"]
        self.country[acc] = pick(rng, len(acc), CW)
        # end users sign up in the app's OAuth flow from home or mobile
        hip = self.homes(self.country[acc])
        self.hs[acc], self.hn[acc] = hip, 2
        mob = acc[rng.random(len(acc)) < np.array([c[4] for c in COUNTRIES])[self.country[acc]]]
        self.mobile_pool(mob, as_home=True)
        self.sip[acc] = self.hs[acc] + (self.hn[acc] * rng.random(len(acc)) ** self.hk[acc]
                                        ).astype(np.int64)
        self.emails_person(acc, self.provider_domains(acc))
        self.device[acc] = self.new_devices(len(acc))
        self.ua[acc] = rng.choice([5, 6, 7, 0, 1], len(acc))
        pay = acc[rng.random(len(acc)) < 0.1]
        self.card1[pay] = self.cards_for(self.country[pay])
        act = self.active(acc)
        a = acc[act]
        E = self.legit_E(len(a), 30, 1.5)
        tz = CTZ[self.country[a]]
        self.stream(a, E, self.P_EVENING, tz, self.cday(a), NDAYS - 1,
                    (srv[ag[act]], nsrv[ag[act]], 1.0), (afp + 3 * ag[act], 3, 1.5),
                    (akey + 4 * ag[act], 4), MIX["app"], per_row=rng.uniform(1.5, 6, len(a)),
                    ua=rng.choice([17, 18, 15], len(a)))
        # owners: their own dev traffic from the app servers too
        E2 = self.legit_E(na, 400, 1.0)
        own_k = self.own_keys(owners)
        self.stream(owners, E2, self.P_OFFICE, CTZ[self.country[owners]], self.cday(owners),
                    NDAYS - 1, (srv, nsrv, 1.0), (afp + 3 * np.arange(na), 3, 1.0), own_k,
                    MIX["dev"], per_row=8, ua=14)

    def legit_streams(self, L: int):
        cfg, rng = self.cfg, self.rng
        base = np.flatnonzero((self.pat[:L] & (P["staff"] | P["app_user"])) == 0)
        act = base[self.active(base)]
        pub = act[rng.random(len(act)) < cfg.public_template_share]
        keys = self.own_keys(pub, 1, 1)
        ips = np.where(self.hs[pub] >= 0, self.hs[pub], 0)
        self.stream(pub, self.legit_E(len(pub), 20, 1.3), self.P_EVENING,
                    CTZ[self.country[pub]], self.cday(pub), NDAYS - 1,
                    (ips, self.hn[pub], self.hk[pub]), (self.pub_fp[0], self.pub_fp[1], 3.0),
                    keys, MIX["dev"], per_row=3, ua=12)
        self.pat[pub] |= P["public_template"]
        devs = base[(self.pat[base] & (P["sso_tenant"] | P["household"] | P["multi_account"])) > 0]
        ci = devs[rng.random(len(devs)) < cfg.ci_share]
        keys = self.own_keys(ci, 1, 1)
        own_tpl = rng.random(len(ci)) < 0.3
        ofp = self.own_fps(ci, 1, 2)
        fps = np.where(own_tpl, ofp[0], self.ci_fp[0])
        fpn = np.where(own_tpl, ofp[1], self.ci_fp[1])
        prof = np.where(rng.random(len(ci)) < .6, self.P_FLAT, self.P_CRON)
        self.stream(ci, self.legit_E(len(ci), 700, 1.1, 40000), prof, 0,
                    self.cday(ci), NDAYS - 1, (self.ci_pool[0], self.ci_pool[1], 1.0),
                    (fps, fpn, 2.0), keys, MIX["ci"], per_row=10, ua=16)
        self.pat[ci] |= P["ci"]
        # logins
        self.nlogin[:L] += rng.poisson(3, L)

    # ------------------------------------------------------------------ fraud
    def new_ring(self, camp: int, style: str, acc: np.ndarray) -> int:
        rid = len(self.rings)
        self.rings.append((f"{self.camps[camp]}_r{rid:03d}", style))
        if style not in self.styles:
            self.styles.append(style)
        self.ring[acc] = rid
        self.camp[acc] = camp
        self.fstyle[acc] = self.styles.index(style)
        return rid

    def res_proxies(self, k: int, ccs=("US", "JP", "KR", "GB", "DE")) -> int:
        """k residential-proxy exits scattered in home ISPs (may hit honest users' IPs)."""
        st = None
        per = np.bincount(self.rng.integers(0, len(ccs), k), minlength=len(ccs))
        for c, m in zip(ccs, per, strict=True):
            res = asn_of("res", c)
            for a, mm in zip(res, np.bincount(self.rng.integers(0, len(res), m),
                                              minlength=len(res)), strict=True):
                x = self.ips.v4(a, int(mm), sequential=False)
                st = x if st is None else st
        return st if st is not None else self.ips.v4(asn_of("res", "US")[0], 1)

    def fraud_identity(self, acc, ccs=("US", "JP", "KR", "GB", "DE")):
        rng = self.rng
        k = len(acc)
        self.country[acc] = np.array([CC.index(c) for c in ccs])[rng.integers(0, len(ccs), k)]
        self.emails_person(acc, self.provider_domains(acc))
        self.device[acc] = self.new_devices(k)
        self.ua[acc] = rng.choice(UA_BROWSER[:9], k)

    def build_fraud(self, L: int):
        cfg = self.cfg
        n = self.n
        scale = min(1.0, n / 1_000_000)
        n_h = int(round(cfg.hydra_accounts_per_m * scale))
        x_h = int(round(cfg.hydra_exchanges_per_m * scale))
        n_tf = max(10, int(n * cfg.trialfarm_rate))
        n_rl = max(6, int(n * cfg.relay_rate))
        n_ato = max(10, int(n * cfg.ato_rate))
        n_sh = max(10, int(n * cfg.shell_rate))
        i = L
        blocks = {}
        for name, k in (("hydra", n_h), ("trial", n_tf), ("relay", n_rl), ("ato", n_ato),
                        ("shell", n_sh)):
            blocks[name] = np.arange(i, i + k)
            i += k
        assert i == n, (i, n)
        self.build_hydra(blocks["hydra"], x_h)
        self.build_trialfarm(blocks["trial"])
        self.build_relay(blocks["relay"])
        self.build_ato(blocks["ato"])
        self.build_shell(blocks["shell"])

    def build_hydra(self, acc, total_x):
        cfg, rng = self.cfg, self.rng
        self.camps.append("g_hydra")
        camp = len(self.camps) - 1
        styles = list(cfg.hydra_styles)
        frac = np.array([cfg.hydra_styles[s_] for s_ in styles])
        cnt = np.floor(frac / frac.sum() * len(acc)).astype(np.int64)
        cnt[0] += len(acc) - cnt.sum()
        med = {"clear": 80, "stealth": 300, "camouflage": 150, "low_and_slow": 40, "aged": 100}
        mx = {"clear": 600, "stealth": 2500, "camouflage": 800, "low_and_slow": 300, "aged": 500}
        harness = self.new_fps(8)  # the operator's agent harness templates
        wts = np.zeros(len(acc))
        plans = []
        i0 = 0
        for st_, c in zip(styles, cnt, strict=True):
            sizes = pareto_sizes(rng, int(c), max(5, med[st_] // 3), 1.3, mx[st_])
            for z in sizes:
                plans.append((st_, acc[i0:i0 + z]))
                wts[i0:i0 + z] = cfg.hydra_style_weight[st_] * rng.lognormal(0, 0.5, z)
                i0 += z
        # exact exchange totals
        E = np.floor(wts / wts.sum() * total_x).astype(np.int64)
        rem = total_x - E.sum()
        E[rng.choice(len(E), int(rem), replace=False)] += 1
        for st_, a in plans:
            self.new_ring(camp, st_, a)
            getattr(self, f"hydra_{st_}")(a, E[a - acc[0]], harness)

    def _proxy_pool(self, k, ccs=("US", "JP", "KR", "GB", "DE")):
        st = self.res_proxies(k, ccs)
        return st, k

    def hydra_clear(self, a, E, harness):
        rng = self.rng
        k = len(a)
        t0 = rng.integers(W0 - 40 * DAY, W0 + 15 * DAY)
        self.created[a] = t0 + np.sort(rng.integers(0, max(1, k // 40 + 2) * DAY, k))
        self.country[a] = rng.choice([CC.index(c) for c in ("US", "SG", "GB")], k)
        nb = max(1, k // 25)
        base = cat(FIRST[rng.integers(0, len(FIRST), nb)], LAST[rng.integers(0, len(LAST), nb)],
                   rng.integers(10, 99, nb))
        bi = rng.integers(0, nb, k)
        loc = base[bi]
        ln = np.char.str_len(loc)
        Lw = 32
        ch = loc.astype(f"U{Lw}").view("U1").reshape(-1, Lw)
        pos = 1 + (rng.random(k) * (ln - 2)).astype(np.int64)
        col = np.arange(Lw + 1)[None, :]
        src = np.clip(np.where(col < pos[:, None], col, col - 1), 0, Lw - 1)
        out = np.take_along_axis(ch, src, 1)
        out = np.where(col == pos[:, None], ".", out)
        dotted = np.ascontiguousarray(out).view(f"U{Lw + 1}").ravel()
        kind = rng.integers(0, 3, k)
        loc2 = np.where(kind == 0, dotted, np.where(kind == 1, cat(loc, "+", rng.integers(
            1, 999, k)), cat(dotted, "+", WORDS[rng.integers(0, len(WORDS), k)])))
        self.email[a] = cat(loc2, "@gmail.com").astype(object)
        ph = self.new_phones(max(1, k // 6))
        hasp = rng.random(k) < 0.7
        self.phone[a[hasp]] = rng.choice(ph, int(hasp.sum()))
        dv = self.new_devices(max(1, k // 12))
        self.device[a] = rng.choice(dv, k)
        cards = self.new_cards(rng.choice(self.BIN_PREP + np.arange(2), max(1, k // 15)))
        pay = rng.random(k) < 0.8
        self.card1[a[pay]] = rng.choice(cards, int(pay.sum()))
        dc = rng.choice([CLOUD["Hetzner"], CLOUD["OVH"], CLOUD["DIGITALOCEAN"]])
        nip = int(rng.integers(3, 13))
        ip = self.ips.v4(dc, nip, gap=1)
        self.hs[a], self.hn[a] = ip, nip
        self.sip[a] = ip + rng.integers(0, nip, k)
        self.ua[a] = 9
        fp = harness + rng.integers(0, 8)
        keys = self.own_keys(a, 1, 1)
        prof = self.P_FLAT if rng.random() < .5 else self.P_SHIFT
        self.stream(a, E, prof, 0, self.cday(a), NDAYS - 1, (ip, nip, 1.3), (fp, 1, 1.0),
                    keys, MIX["distill"], per_row=12, ua=15)
        self.nlogin[a] = rng.poisson(4, k)

    def hydra_stealth(self, a, E, harness):
        rng = self.rng
        k = len(a)
        self.fraud_identity(a)
        self.created[a] = rng.integers(W0 - 60 * DAY, W0 + 25 * DAY, k) // HOUR * HOUR + \
            rng.choice([2, 3, 4, 5, 6, 7, 8, 13, 14, 15], k) * HOUR + rng.integers(0, 3600, k)
        self.created[a] = np.minimum(self.created[a], W1 - HOUR)
        hasp = rng.random(k) < 0.5
        self.phone[a[hasp]] = -2
        pay = rng.random(k) < 0.9
        self.card1[a[pay]] = self.new_cards(np.full(int(pay.sum()), self.BIN_VIRTUAL))
        st, npx = self._proxy_pool(k * 8)
        self.hs[a], self.hn[a] = st, npx
        self.sip[a] = st + rng.integers(0, npx, k)
        fp = self.new_fps(int(rng.integers(2, 5)))
        nf = int(self.fps.n - fp)
        keys = self.own_keys(a, 1, 2)
        self.stream(a, E, self.P_SHIFT, 0, self.cday(a), NDAYS - 1, (st, npx, 1.0),
                    (fp, nf, 1.2), keys, MIX["distill"], per_row=10,
                    ua=rng.choice(UA_SDK, k))
        self.nlogin[a] = rng.poisson(5, k)

    def hydra_camouflage(self, a, E, harness):
        rng, cfg = self.rng, self.cfg
        k = len(a)
        self.fraud_identity(a, ("US", "GB", "JP", "SG", "IN"))
        self.created[a] = rng.integers(S0 + 100 * DAY, W0, k)
        pay = rng.random(k) < 0.7
        self.card1[a[pay]] = self.cards_for(self.country[a[pay]])
        st = self.res_proxies(2 * k, ("US", "GB", "JP", "SG", "IN"))
        sticky = st + 2 * np.arange(k)
        self.hs[a], self.hn[a], self.hk[a] = sticky, 2, 2.0
        self.sip[a] = sticky
        self.phone[a[rng.random(k) < .4]] = -2
        Ec = (E * cfg.camouflage_cover * rng.uniform(.7, 1.3, k)).astype(np.int64)
        Ec = np.minimum(Ec, E)
        keys = self.own_keys(a, 1, 2)
        tz = CTZ[self.country[a]]
        self.stream(a, Ec, self.P_EVENING, tz, self.cday(a), NDAYS - 1, (sticky, 2, 2.0),
                    (self.pub_fp[0], self.pub_fp[1], 3.0), keys, MIX["consumer"],
                    per_row=rng.uniform(2, 6, k), ua=12)
        fp = self.new_fps(2)
        self.stream(a, E - Ec, self.P_SHIFT, 0, self.cday(a), NDAYS - 1, (sticky, 2, 2.0),
                    (fp, 2, 1.0), keys, MIX["distill"], per_row=8, ua=rng.choice(UA_SDK, k))
        self.nlogin[a] = rng.poisson(6, k)

    def hydra_low_and_slow(self, a, E, harness):
        rng = self.rng
        k = len(a)
        self.fraud_identity(a, ("US", "GB", "DE", "JP", "KR", "SG", "IN"))
        self.created[a] = rng.integers(S0 + 30 * DAY, W0 + 10 * DAY, k)
        self.card1[a] = self.new_cards(np.full(k, self.BIN_RARE))
        st = self.res_proxies(k, ("US", "GB", "DE", "JP", "KR", "SG", "IN"))
        self.hs[a], self.hn[a] = st + np.arange(k), 1
        self.sip[a] = self.hs[a]
        self.phone[a[rng.random(k) < .5]] = -2
        h = np.zeros(24)
        h[rng.choice(24, 2, replace=False)] = 1.0
        m0 = int(rng.integers(0, 50))
        prof = self.profile(h, 1.0, (m0, 10))
        fp = harness + rng.integers(0, 8)
        keys = self.own_keys(a, 1, 1)
        self.stream(a, E, prof, 0, self.cday(a), NDAYS - 1, (self.hs[a], 1, 1.0), (fp, 1, 1.0),
                    keys, MIX["distill"], per_row=2, ua=14)
        self.nlogin[a] = rng.poisson(2, k)

    def hydra_aged(self, a, E, harness):
        rng = self.rng
        k = len(a)
        self.country[a] = pick(rng, k, CW)
        self.emails_person(a, self.provider_domains(a))
        self.device[a] = self.new_devices(k)
        self.ua[a] = rng.choice(UA_BROWSER[:9], k)
        self.created[a] = rng.integers(S0, S0 + 120 * DAY, k)
        hip = self.homes(self.country[a])
        self.sip[a] = hip
        old = rng.random(k) < 0.5
        self.card1[a[old]] = self.cards_for(self.country[a[old]])
        act_day = int(rng.integers(3, 21))
        new = rng.random(k) < 0.6
        self.card2[a[new]] = self.new_cards(rng.choice(self.BIN_PREP + np.arange(3), int(new.sum())))
        self.card2_t[a] = W0 + act_day * DAY + rng.integers(0, 2 * DAY, k)
        cl = rng.choice([CLOUD["Alibaba"], CLOUD["Tencent"], CLOUD["Vultr"]])
        nip = int(rng.integers(10, 41))
        ip = self.ips.v4(cl, nip, gap=2)
        self.hs[a], self.hn[a] = ip, nip
        fp = self.new_fps(1)
        keys = self.own_keys(a, 1, 1)
        d0 = act_day + rng.integers(0, 2, k)
        self.stream(a, E, self.P_SHIFT, 0, d0, NDAYS - 1, (ip, nip, 1.0),
                    (np.where(rng.random(k) < .5, fp, harness + rng.integers(0, 8)), 1, 1.0),
                    keys, MIX["distill"], per_row=10, ua=15)
        self.nlogin[a] = rng.poisson(3, k)
        self.ld0[a] = d0  # dormant until activation

    def build_trialfarm(self, acc):
        rng, cfg = self.rng, self.cfg
        self.camps.append("g_trialfarm")
        camp = len(self.camps) - 1
        tpl = self.new_fps(3)
        sizes = pareto_sizes(rng, len(acc), 50, 1.4, 300)
        i0 = 0
        for z in sizes:
            a = acc[i0:i0 + z]
            i0 += z
            self.new_ring(camp, "trial_farm", a)
            cc = rng.choice([CC.index(c) for c in ("ID", "VN", "PH", "IN")])
            self.country[a] = cc
            doms = DISPOSABLE[rng.choice(len(DISPOSABLE), 4, replace=False)]
            self.email[a] = cat(hex16(mix64(a * 31 + 7)).astype("U10"), "@",
                                doms[rng.integers(0, 4, z)]).astype(object)
            d0 = int(rng.integers(0, NDAYS - 8))
            self.created[a] = W0 + d0 * DAY + np.sort(rng.integers(0, 8 * DAY, z))
            ph = self.new_phones(max(1, z // 20))
            hp = rng.random(z) < 0.4
            self.phone[a[hp]] = rng.choice(ph, int(hp.sum()))
            self.device[a] = self.new_devices(z)
            self.ua[a] = rng.choice([6, 7, 5], z)
            pools = self.cgnat[cc]
            p = pools[int(rng.integers(0, len(pools)))]
            self.hs[a], self.hn[a], self.hk[a] = p[0], p[1], 1.0
            self.sip[a] = p[0] + rng.integers(0, p[1], z)
            E = np.maximum(1, cfg.trial_quota - rng.integers(0, 25, z))
            d = self.cday(a)
            keys = self.own_keys(a, 1, 1)
            self.stream(a, E, self.P_FLAT, 0, d, np.minimum(d + 1, NDAYS - 1), (p[0], p[1], 1.0),
                        (tpl + int(rng.integers(0, 3)), 1, 1.0), keys, MIX["distill"],
                        per_row=6, ua=15)
            self.nlogin[a] = 1

    def build_relay(self, acc):
        rng = self.rng
        self.camps.append("g_relay")
        camp = len(self.camps) - 1
        sizes = pareto_sizes(rng, len(acc), 3, 1.5, 15)
        i0 = 0
        dfp = self.new_fps(50_000)  # downstream customers' prompts
        for z in sizes:
            a = acc[i0:i0 + z]
            i0 += z
            self.new_ring(camp, "key_relay", a)
            self.fraud_identity(a, ("US", "SG", "GB", "DE", "JP"))
            self.created[a] = rng.integers(S0 + 60 * DAY, W0 + 5 * DAY, z)
            self.card1[a] = self.cards_for(pick(rng, z, CW))  # stolen cards, many countries
            hip = self.res_proxies(z, ("US", "SG", "GB", "DE", "JP"))
            self.sip[a] = hip + np.arange(z)
            self.hs[a], self.hn[a] = self.sip[a], 1
            cl = rng.choice([CLOUD["Alibaba"], CLOUD["Tencent"], CLOUD["Akamai Connected"]])
            nip = int(rng.integers(2, 7))
            ip = self.ips.v4(cl, nip, gap=1)
            keys = self.own_keys(a, 2, 5)
            E = rng.integers(15_000, 60_000, z) * max(0.2, min(1.0, self.n / 1e6))
            self.stream(a, E.astype(np.int64), self.P_FLAT, 0, self.cday(a), NDAYS - 1,
                        (ip, nip, 1.0), (dfp, 50_000, 1.0), keys, MIX["relay"], per_row=60,
                        ua=15)
            self.nlogin[a] = rng.poisson(3, z)

    def build_ato(self, acc):
        rng = self.rng
        self.camps.append("g_ato")
        camp = len(self.camps) - 1
        self.country[acc] = pick(rng, len(acc), CW)
        self.emails_person(acc, self.provider_domains(acc))
        self.device[acc] = self.new_devices(len(acc))
        self.ua[acc] = rng.choice(UA_BROWSER[:9], len(acc))
        self.created[acc] = rng.integers(S0, W0 - 60 * DAY, len(acc))
        hip = self.homes(self.country[acc])
        self.hs[acc], self.hn[acc], self.sip[acc] = hip, 2, hip
        pay = rng.random(len(acc)) < 0.6
        self.card1[acc[pay]] = self.cards_for(self.country[acc[pay]])
        self.phone[acc[rng.random(len(acc)) < .5]] = -2
        pst, pn = self._proxy_pool(max(50, len(acc) * 3), ("US", "GB", "DE", "NG", "VN"))
        fp = self.new_fps(3)
        sizes = pareto_sizes(rng, len(acc), 20, 1.6, 80)
        i0 = 0
        for z in sizes:
            a = acc[i0:i0 + z]
            i0 += z
            self.new_ring(camp, "ato", a)
            td = int(rng.integers(4, NDAYS - 6))
            t = td + rng.integers(0, 2, z)
            tz = CTZ[self.country[a]]
            ok = self.own_keys(a, 1, 2)
            ofp = self.own_fps(a)
            self.stream(a, self.legit_E(z, 30, 1.2), self.P_EVENING, tz, 0, NDAYS - 1,
                        (hip[a - acc[0]], 2, 1.0), (ofp[0], ofp[1], 1.0), ok, MIX["consumer"],
                        per_row=3, ua=rng.choice(UA_SDK, z))
            nk = self.own_keys(a, 1, 1)
            self.stream(a, rng.integers(300, 1500, z), self.P_SHIFT, 0, t, NDAYS - 1,
                        (pst, pn, 1.0), (fp + int(rng.integers(0, 3)), 1, 1.0), nk,
                        MIX["distill"], per_row=10, ua=15)
            ev_t = W0 + t * DAY + rng.integers(1, 9, z) * HOUR + rng.integers(0, 3600, z)
            self.extra_events.append(dict(acc=a, t=ev_t, ip=pst + rng.integers(0, pn, z),
                                          event="password_reset", ua=1))
            self.nlogin[a] = rng.poisson(6, z)

    def build_shell(self, acc):
        rng = self.rng
        self.camps.append("g_shell")
        camp = len(self.camps) - 1
        harness = self.new_fps(2)
        sizes = pareto_sizes(rng, len(acc), 5, 1.6, 40)
        i0 = 0
        for z in sizes:
            a = acc[i0:i0 + z]
            i0 += z
            self.new_ring(camp, "shell_company", a)
            org = self.new_orgs(1)[0]
            self.org[a] = org
            cc = rng.choice([CC.index(c) for c in ("US", "SG", "GB", "DE")])
            self.country[a] = cc
            dom = (FRESH[rng.integers(0, len(FRESH))] + FRESH[rng.integers(0, len(FRESH))]
                   + str(rng.choice(["", "hq", "labs", "ai"])) + str(rng.choice([".ai", ".dev",
                                                                                ".io"])))
            self.emails_person(a, np.full(z, dom), style="plain")
            t0 = int(rng.integers(W0 - 60 * DAY, W0 + 20 * DAY))
            self.created[a] = t0 + np.sort(rng.integers(0, int(rng.integers(1, 4)) * DAY, z))
            card = self.new_cards(np.array([self.BIN_BIZ]))[0]
            on = rng.random(z) < 0.3
            on[0] = True
            self.card1[a[on]] = card
            cl = rng.choice([CLOUD["AMAZON"], CLOUD["GOOGLE"], CLOUD["DIGITALOCEAN"],
                             CLOUD["Vultr"]])
            nip = int(rng.integers(1, 3))
            ip = self.ips.v4(cl, nip, gap=1)
            self.hs[a], self.hn[a] = ip, nip
            self.sip[a] = ip + rng.integers(0, nip, z)
            self.device[a] = self.new_devices(z)
            self.ua[a] = rng.choice([0, 3], z)
            keys = self.own_keys(a, 1, 2)
            ofp = self.new_fps(1)
            E = rng.integers(500, 2500, z)
            use_h = rng.random(z) < 0.7
            self.stream(a, E, self.P_SHIFT, 0, self.cday(a), NDAYS - 1, (ip, nip, 1.0),
                        (np.where(use_h, harness, ofp), np.where(use_h, 2, 1), 1.0), keys,
                        MIX["distill"], per_row=10, ua=14)
            self.nlogin[a] = rng.poisson(5, z)

    # ------------------------------------------------------------------ finish identities
    def finish(self):
        rng = self.rng
        m = self.phone == -2
        self.phone[m] = self.new_phones(int(m.sum()))
        # make e-mails unique (a platform enforces it)
        em = self.email.astype(str)
        _u, inv, cnt = np.unique(em, return_inverse=True, return_counts=True)
        dup = np.flatnonzero(cnt[inv] > 1)
        if len(dup):
            first = np.unique(inv[dup], return_index=True)[1]
            fix = np.setdiff1d(dup, dup[first])
            parts = np.char.partition(em[fix], "@")
            self.email[fix] = cat(parts[:, 0], rng.integers(100, 999, len(fix)), "@",
                                  parts[:, 2]).astype(object)
        self.created = np.clip(self.created, S0, W1 - 600)

    # ------------------------------------------------------------------ row expansion
    def expand(self, S: dict, R: np.ndarray, rng, exact_ts=False):
        """Rows for streams S (dict of arrays) with R rows each: idx, ts, ip, fp, key."""
        idx = np.repeat(np.arange(len(R)), R)
        nr = len(idx)
        d0, d1 = S["d0"][idx], S["d1"][idx]
        span = np.maximum(d1 - d0 + 1, 1)
        day = d0 + (rng.random(nr) * span).astype(np.int64)
        prof = S["prof"][idx]
        wf = np.array(self.prof_w)[prof]
        dow = (day + 2) % 7
        redo = (dow >= 5) & (rng.random(nr) > wf)
        day = np.where(redo, d0 + (rng.random(nr) * span).astype(np.int64), day)
        hour = np.zeros(nr, np.int64)
        mins = np.zeros(nr, np.int64)
        u = rng.random(nr)
        for p in np.unique(prof):
            m = prof == p
            hour[m] = np.searchsorted(self.prof_h[p], u[m])
            m0, mw = self.prof_m[p]
            mins[m] = m0 + rng.integers(0, mw, int(m.sum()))
        hour = np.minimum(hour, 23)
        t = W0 + day * DAY + (hour - S["tz"][idx]) * HOUR + mins * 60 + rng.integers(0, 60, nr)
        acc = S["acc"][idx]
        t = np.maximum(t, self.created[acc] + 60)
        t = np.clip(t, W0, W1 - 1)
        ip = S["ips"][idx] + (S["ipn"][idx] * rng.random(nr) ** S["ipk"][idx]).astype(np.int64)
        ip = np.minimum(ip, S["ips"][idx] + S["ipn"][idx] - 1)
        fpn = S["fpn"][idx]
        fp = np.where(fpn > 0, S["fps"][idx] + np.minimum(
            (fpn * rng.random(nr) ** S["fpk"][idx]).astype(np.int64), fpn - 1), -1)
        kn = S["keyn"][idx]
        key = S["keys"][idx] + np.minimum((kn * rng.random(nr)).astype(np.int64), kn - 1)
        return idx, acc, t, ip, fp, key

    # ------------------------------------------------------------------ writing
    def write(self, out: Path, quiet: bool) -> dict:
        rng = np.random.default_rng(self.cfg.seed * 104729 + 3)
        n = self.n
        perm = rng.permutation(n)
        acc_str = code_str("acct_", perm, 0xACC7).astype(str)
        acc_pa = pa.array(acc_str, type=pa.string())
        counts = {}
        # ---------------- ip table
        ip_s = self.ips.col("s")
        ip_a = self.ips.col("a").astype(np.int64)
        ip_pa = pa.array(ip_s, type=pa.string())
        asn_pa = pa.array(A_ASN[ip_a], type=pa.int64())
        asnorg_pa = pa.array(A_ORG[ip_a].astype(str), type=pa.string())
        # ---------------- accounts
        ts_type = pa.timestamp("s", tz="UTC")
        cc = np.array(CC + ["EE"])
        ph_cc = np.array([c[3] for c in COUNTRIES] + ["372"])
        pm = self.phone >= 0
        ndig = np.array([8, 8, 8, 7, 7, 7, 7, 7, 8, 7, 6, 7, 8, 6])[self.country]
        pv = (mix64(np.maximum(self.phone, 0).astype(np.uint64) ^ np.uint64(0x9E37))
              % np.uint64(10 ** 8)).astype(np.int64) % (10 ** ndig)
        pre = np.array(["90", "10", "812", "90", "917", "81", "8", "12", "98", "803", "712",
                        "415", "151", "7700"])[self.country]
        fmt = (mix64(np.maximum(self.phone, 0) + 5) % np.uint64(20)).astype(np.int64)
        num = np.zeros(n, dtype="U8")
        half = ndig // 2
        a_ = np.zeros(n, dtype="U8")
        b_ = np.zeros(n, dtype="U8")
        for d in np.unique(ndig):
            m = ndig == d
            num[m] = np.char.zfill(s(pv[m]), int(d))
            h = int(d) // 2
            a_[m] = np.char.zfill(s(pv[m] // 10 ** (d - h)), h)
            b_[m] = np.char.zfill(s(pv[m] % 10 ** (d - h)), int(d) - h)
        del half
        cc_ = ph_cc[self.country]
        p1 = cat("+", cc_, pre, num)
        p2 = cat("+", cc_, " ", pre, " ", a_, " ", b_)
        us = self.country == CC.index("US")
        p3 = np.where(us, cat("(", pre, ") ", a_, "-", b_), cat("0", pre, "-", a_, "-", b_))
        phone = np.where(fmt < 10, p1, np.where(fmt < 17, p2, p3)).astype(object)
        phone[~pm] = None
        orgs = code_str("org_", self.org, 0x0126, 12)
        devs = code_str("dv_", self.device, 0xDE71CE)
        sip = np.full(n, None, dtype=object)
        sm = self.sip >= 0
        sip[sm] = ip_s[self.sip[sm]]
        accounts = pa.table({
            "account_id": acc_pa,
            "created_at": pa.array(self.created, type=ts_type),
            "email": pa.array(self.email, type=pa.string()),
            "phone": pa.array(phone, type=pa.string()),
            "signup_ip": pa.array(sip, type=pa.string()),
            "device_id": pa.array(devs, type=pa.string()),
            "user_agent": pa.array(UAS[self.ua], type=pa.string()),
            "country": pa.array(cc[self.country], type=pa.string()),
            "org_id": pa.array(orgs, type=pa.string()),
        })
        out.mkdir(parents=True, exist_ok=True)
        pq.write_table(accounts, out / "accounts.parquet")
        counts["accounts"] = n
        # ---------------- payments
        bnum = self.bins.col("num").astype(np.int64)
        bcc = self.bins.col("cc").astype(np.int64)
        bfund = self.bins.col("fund").astype(np.int64)
        cbin = self.cards.col("bin").astype(np.int64)
        cpost = self.cards.col("postal").astype(np.int64)
        a1 = np.flatnonzero(self.card1 >= 0)
        a2 = np.flatnonzero(self.card2 >= 0)
        pacc = np.concatenate([a1, a2])
        pcard = np.concatenate([self.card1[a1], self.card2[a2]])
        pt = np.concatenate([self.created[a1] + rng.integers(0, 3 * DAY, len(a1)),
                             self.card2_t[a2]])
        pt = np.clip(pt, S0, W1 - 1)
        b = cbin[pcard]
        six = rng.random(len(b)) < 0.5
        bstr = np.where(six, s(bnum[b] // 100), s(bnum[b]))
        payments = pa.table({
            "account_id": acc_pa.take(pa.array(pacc)),
            "card_fingerprint": pa.array(code_str("fp_", pcard, 0xCA4D).astype(str)),
            "card_bin": pa.array(bstr),
            "card_country": pa.array(cc[bcc[b]]),
            "funding": pa.array(np.array(["credit", "debit", "prepaid", "unknown"])[bfund[b]]),
            "billing_postal_code": pa.array(np.char.zfill(s(cpost[pcard]), 5)),
            "created_at": pa.array(pt, type=ts_type),
        })
        pq.write_table(payments, out / "payments.parquet")
        counts["payments"] = len(pacc)
        # ---------------- requests
        S = {k: np.concatenate([b_[k] for b_ in self.streams]) for k in self.streams[0]}
        E = S["E"]
        keep = E > 0
        S = {k: v[keep] for k, v in S.items()}
        E = S["E"]
        span = S["d1"] - S["d0"] + 1
        slots = np.maximum(span, 1) * 24
        R = np.minimum(np.ceil(E / np.maximum(S["per"], 1)).astype(np.int64), slots)
        R = np.maximum(np.minimum(R, E), 1)
        fp_pa = pa.array(code_str("pf_", np.arange(self.fps.n), 0xF00D).astype(str))
        key_pa = pa.array(code_str("key_", np.arange(self.keys.n), 0x4E1, 20).astype(str))
        cap_pa = pa.array(CAPS)
        schema = pa.schema([("account_id", pa.string()), ("ts", ts_type), ("count", pa.int32()),
                            ("api_key_id", pa.string()), ("ip", pa.string()),
                            ("prompt_fingerprint", pa.string()), ("capability", pa.string()),
                            ("input_tokens", pa.int64()), ("output_tokens", pa.int64())])
        writer = pq.ParquetWriter(out / "requests.parquet", schema)
        csR = np.cumsum(R)
        chunk = 2_000_000
        lo = 0
        nrows = 0
        total = 0
        while lo < len(R):
            base = csR[lo - 1] if lo else 0
            hi = int(np.searchsorted(csR, base + chunk, side="right"))
            hi = max(hi, lo + 1)
            sl = slice(lo, hi)
            Sc = {k: v[sl] for k, v in S.items()}
            Rc = R[sl]
            idx, acc, t, ip, fp, key = self.expand(Sc, Rc, rng)
            Ec = Sc["E"]
            w = rng.exponential(1.0, len(idx))
            starts = np.concatenate([[0], np.cumsum(Rc)[:-1]])
            ws = np.add.reduceat(w, starts)
            extra = (Ec - Rc)[idx] * w / ws[idx]
            cnt = 1 + np.floor(extra).astype(np.int64)
            short = Ec - np.add.reduceat(cnt, starts)
            cnt[starts] += short
            tf = t // HOUR * HOUR
            t = np.where((cnt > 1) & (tf >= self.created[acc]), tf, t)
            t = np.maximum(t, W0)
            mix = Sc["mix"][idx]
            u = rng.random(len(idx))
            cap = (MIX_CUM[mix] < u[:, None]).sum(1)
            tok = Sc["tok"][idx]
            itok = (cnt * MIX_IN[mix] * tok * rng.lognormal(-0.3, 0.75, len(idx))).astype(np.int64)
            otok = (cnt * MIX_OUT[mix] * tok * rng.lognormal(-0.2, 0.6, len(idx))).astype(np.int64)
            order = np.argsort(t, kind="stable")
            tbl = pa.table({
                "account_id": acc_pa.take(pa.array(acc[order])),
                "ts": pa.array(t[order], type=ts_type),
                "count": pa.array(cnt[order].astype(np.int32)),
                "api_key_id": key_pa.take(pa.array(key[order])),
                "ip": ip_pa.take(pa.array(ip[order])),
                "prompt_fingerprint": fp_pa.take(pa.array(fp[order], mask=fp[order] < 0)),
                "capability": cap_pa.take(pa.array(cap[order])),
                "input_tokens": pa.array(np.maximum(itok[order], 1)),
                "output_tokens": pa.array(np.maximum(otok[order], 1)),
            }, schema=schema)
            writer.write_table(tbl)
            nrows += len(idx)
            total += int(cnt.sum())
            if not quiet:
                print(f"  requests: {nrows:,} rows, {total:,} exchanges", flush=True)
            lo = hi
        writer.close()
        counts["requests"] = nrows
        counts["exchanges"] = total
        # ---------------- ip_events
        ev_schema = pa.schema([("account_id", pa.string()), ("ip", pa.string()),
                               ("seen_at", ts_type), ("event", pa.string()),
                               ("asn", pa.int64()), ("asn_org", pa.string()),
                               ("user_agent", pa.string())])
        ew = pq.ParquetWriter(out / "ip_events.parquet", ev_schema)
        nev = 0

        def write_ev(acc, ip, t, event, ua):
            nonlocal nev
            ip = np.asarray(ip, dtype=np.int64)
            order = np.argsort(t, kind="stable")
            ipo = pa.array(ip[order])
            ew.write_table(pa.table({
                "account_id": acc_pa.take(pa.array(acc[order])),
                "ip": ip_pa.take(ipo),
                "seen_at": pa.array(np.asarray(t)[order], type=ts_type),
                "event": pa.array(np.broadcast_to(np.asarray(event), (len(acc),))[order]
                                  .astype(str)),
                "asn": asn_pa.take(ipo),
                "asn_org": asnorg_pa.take(ipo),
                "user_agent": pa.array(UAS[np.broadcast_to(ua, (len(acc),))[order]]),
            }, schema=ev_schema))
            nev += len(acc)

        a = np.flatnonzero(self.sip >= 0)
        write_ev(a, self.sip[a], self.created[a], "signup", self.ua[a])
        # logins: home pool, sometimes the alternative pool
        a = np.flatnonzero((self.nlogin > 0) & (self.hs >= 0))
        Lg = {"acc": a, "d0": np.where(self.ld0[a] >= 0, self.ld0[a], self.cday(a)), "d1": np.full(len(a), NDAYS - 1),
              "prof": np.where(self.fstyle[a] >= 0, self.P_SHIFT, self.P_EVENING),
              "tz": np.where(self.fstyle[a] >= 0, 0, CTZ[np.minimum(self.country[a],
                                                                    len(CC) - 1)]),
              "ips": self.hs[a], "ipn": self.hn[a], "ipk": self.hk[a],
              "fps": np.zeros(len(a), np.int64), "fpn": np.zeros(len(a), np.int64),
              "fpk": np.ones(len(a)), "keys": np.zeros(len(a), np.int64),
              "keyn": np.ones(len(a), np.int64)}
        for lo in range(0, len(a), 200_000):
            sl = slice(lo, lo + 200_000)
            Sc = {k: v[sl] for k, v in Lg.items()}
            idx, acc, t, ip, _fp, _k = self.expand(Sc, self.nlogin[a[sl]], rng)
            alt = (self.as_[acc] >= 0) & (rng.random(len(acc)) < self.ap[acc])
            aip = self.as_[acc] + np.minimum((self.an[acc] * rng.random(len(acc)) ** self.ak[acc]
                                              ).astype(np.int64), self.an[acc] - 1)
            ip = np.where(alt, aip, ip)
            write_ev(acc, ip, t, "login", self.ua[acc])
        # aged accounts: logins only after activation -> drop nothing, they were placed by cday;
        # api connections per request stream
        Rapi = np.where(S["apiev"], np.minimum(1 + R // 8, 25), 0)
        for lo in range(0, len(R), 300_000):
            sl = slice(lo, lo + 300_000)
            Sc = {k: v[sl] for k, v in S.items()}
            Rc = Rapi[sl]
            m = Rc > 0
            Sc = {k: v[m] for k, v in Sc.items()}
            idx, acc, t, ip, _fp, _k = self.expand(Sc, Rc[m], rng)
            write_ev(acc, ip, t, "api", Sc["ua"][idx])
        for x in self.extra_events:
            write_ev(x["acc"], x["ip"], x["t"], x["event"], x["ua"])
        ew.close()
        counts["ip_events"] = nev
        # ---------------- allowlist
        self.allowlist(out, acc_str, ip_s, devs)
        # ---------------- truth
        fraud = self.ring >= 0
        ring_ids = np.array([r[0] for r in self.rings] + [""], dtype=object)
        styles = np.array(self.styles + [""], dtype=object)
        camps = np.array(self.camps + [""], dtype=object)
        ring = np.where(fraud, ring_ids[self.ring], None)
        camp = np.where(fraud, camps[self.camp], None)
        up, inv = np.unique(self.pat, return_inverse=True)
        names = np.array(["+".join(p for p in PATTERNS if int(v) & int(P[p])) or "plain"
                          for v in up], dtype=object)
        style = np.where(fraud, styles[self.fstyle], names[inv])
        truth = pa.table({"account_id": acc_pa, "is_fraud": pa.array(fraud),
                          "ring_id": pa.array(ring, type=pa.string()),
                          "campaign_id": pa.array(camp, type=pa.string()),
                          "style": pa.array(style, type=pa.string())})
        pq.write_table(truth, out / "truth.parquet")
        counts["fraud_accounts"] = int(fraud.sum())
        counts["rings"] = len(self.rings)
        return counts

    def allowlist(self, out: Path, acc_str, ip_s, devs):
        rows = [("org_id", code_str("org_", np.array([self.staff_org]), 0x0126, 12)[0],
                 "Forgeline internal org"),
                ("email_domain", "forgeline.io", "Forgeline staff"),
                ("asn", str(A_ASN[asn_of("own")[0]]), "Forgeline corporate AS")]
        o = ip_s[self.staff_office].rsplit(".", 1)[0] + ".0/24"
        rows.append(("cidr", o, "Forgeline HQ office"))
        for c in code_str("fp_", self.staff_test_cards, 0xCA4D):
            rows.append(("card_fingerprint", c, "QA test card"))
        for d in code_str("dv_", self.staff_qa_dev, 0xDE71CE):
            rows.append(("device_id", d, "QA lab device"))
        for i in range(3):  # verified marketplace partners' servers
            for j in range(int(self.app_nsrv[i])):
                rows.append(("ip", ip_s[self.app_srv[i] + j], f"verified partner app {i + 1}"))
        rng = np.random.default_rng(self.cfg.seed + 5)
        lst = self.staff_acc[rng.random(len(self.staff_acc)) < self.cfg.staff_allowlisted]
        lst = np.union1d(lst, self.staff_qa[: max(1, len(self.staff_qa) // 2)])
        rows += [("account_id", a, "staff / QA") for a in acc_str[lst]]
        pa_tbl = pa.table({"kind": [r[0] for r in rows], "value": [r[1] for r in rows],
                           "note": [r[2] for r in rows]})
        import pyarrow.csv as pcsv

        pcsv.write_csv(pa_tbl, out / "allowlist.csv")


def generate(out, cfg: WorldConfig, quiet: bool = False) -> dict:
    t0 = time.perf_counter()
    out = Path(out)
    w = World(cfg)
    n = cfg.accounts
    scale = min(1.0, n / 1_000_000)
    n_fraud = (int(round(cfg.hydra_accounts_per_m * scale)) + max(10, int(n * cfg.trialfarm_rate))
               + max(6, int(n * cfg.relay_rate)) + max(10, int(n * cfg.ato_rate))
               + max(10, int(n * cfg.shell_rate)))
    L = n - n_fraud
    if L < 1000:
        raise ValueError("world G needs at least ~2000 accounts")
    w.n_legit = L
    w.build_infra(L)
    w.build_legit(L)
    if not quiet:
        print(f"legit built ({time.perf_counter() - t0:.1f}s)", flush=True)
    w.build_fraud(L)
    w.finish()
    if not quiet:
        print(f"fraud built ({time.perf_counter() - t0:.1f}s)", flush=True)
    counts = w.write(out, quiet)
    if not quiet:
        print(f"done in {time.perf_counter() - t0:.1f}s: {counts}", flush=True)
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.independent_g",
                                 description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--accounts", type=int, default=200_000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    generate(args.out, WorldConfig(accounts=args.accounts, seed=args.seed), quiet=args.quiet)


if __name__ == "__main__":
    main()
