"""Independent benchmark world C: an API-first platform in Asia-Pacific, Latin America, US and EU.

A third synthetic world for measuring the linker, written without knowledge of how the
detector works, from the input data contract only.

The platform
------------
An API-first model provider. Most sign-ups come from India, Indonesia, the Philippines,
Vietnam, Brazil, Mexico and the rest of Latin America (mobile first, prepaid and virtual
cards, cyber cafés), plus the US, Japan, Korea, Australia and western Europe. Sign-ups run
over the year before the data window (with growth); request data covers a ~6-week window
(default 2026-04-22 .. 2026-06-05, inclusive). Requests are partly raw (count 1) and mostly
pre-aggregated per account and hour (``count`` > 1); cron jobs are one row per run.
Roughly half of the legit accounts have no traffic in the window (dormant or churned);
some dormant ones come back in the window ("returning").

Innocent sharing (``truth.style`` for legit accounts is a "+"-joined list of these, or "plain")
------------------------------------------------------------------------------------------
- ``cgnat``: mobile-carrier users; public IPv4s come from per-carrier CGNAT pools, so one IP
  carries hundreds of strangers (heavy-tailed); ~45% also get per-device IPv6 /64s.
- ``vpn``: commercial VPN / privacy-relay exits (M247, Datacamp, WARP, iCloud Private Relay...).
- ``university``: campus NAT egress on the national research network, edu domains, edu orgs.
- ``company``: seats of a company org (heavy-tailed 2..3000 seats): one org_id, company e-mail
  domain, a handful of egress IPs (own AS, cloud NAT or business ISP), internal prompt
  templates, business hours. ``corp_card``: one corporate card attached to every seat.
  ``device_image``: VDI / golden image, the same device fingerprint and user agent on all seats.
- ``household``: 2-5 people at one address: one home IP, shared card / family computer /
  postal code, sometimes a parent's phone.
- ``cafe``: cyber cafés and co-working spaces: one IP and a few PCs used by many strangers.
- ``multi``: one person with 2-6 accounts (personal/work, free-tier cycling): same device,
  card, phone, gmail dot/+tag variants.
- ``class``: classes and hackathons: 15-400 accounts sign up within one hour from one IP (lab
  PCs for some), often with one event org, and run one starter template on the same days.
- ``popular_template``: agent-framework users whose traffic is dominated by a public agent /
  coding-tool system prompt shared by thousands (coding / agentic heavy, like fraud).
- ``automation``: CI pipelines and cron jobs at fixed UTC minutes every day (lockstep). Many run
  on a shared hosted-runner pool (one cloud AS, shared IPs) with a public code-review template;
  company service accounts run the same job at the same minute from the company NAT.
- ``prepaid_bin``: pays with a popular local prepaid/fintech BIN or a global virtual-card BIN
  (the same BINs some fraud uses).
- ``reseller``: customers of a payment reseller: one reseller card on 10-300 unrelated
  accounts, some signed up at the reseller's shop IP.
- ``returning``: signed up long ago, dormant for months, active again in the window.
- ``internal_test``: the platform's QA accounts (allow-listed): one device, office IP, test card.

Fraud (``truth.style`` is the style; one campaign per operator, several rings each)
-----------------------------------------------------------------------------------
Shares are of all accounts; at 1M accounts campaign ``hydra`` is ~25,000 accounts with
~28.8 M exchanges; fraud is ~2.95% of accounts overall. Traffic is coding / agentic /
planning heavy with long outputs. Every campaign reuses some infrastructure across its rings
(proxy provider pool, card BINs, a campaign base template, admin devices / a datacenter IP
that slip in now and then).

- ``hydra`` (2.5%, 10 rings, ~1150 exchanges/account): operator in UTC+8 working 01-17 UTC,
  7 days. Rings of styles
  ``stealth`` (residential-proxy exits, fresh virtual cards on 3 global BINs added minutes
  after sign-up, anti-detect browser = unique devices with common UAs, ring template
  variants, waves of sign-ups in shift hours; one ring uses *mobile* proxies, i.e. carrier
  CGNAT IPs shared with thousands of legit users),
  ``aged`` (bought accounts signed up months earlier by unrelated-looking people, dormant,
  switched on in a 2-day wave in the window with new cards and the operator's templates), and
  ``orgs`` (spread over many small fake orgs of 3-8 seats, each with its own domain, card and
  cloud egress IP, like a startup).
- ``bulkfarm`` (0.1%, 3 rings, ``clear``): careless farm: bursts of sign-ups from a few
  adjacent datacenter IPs, scripted UAs, a few shared devices / cards / VoIP phones, gmail
  dot/+tag variants of a few base addresses, constant 24/7 traffic.
- ``nocturne`` (0.12%, 3 rings, ``nightshift``): claims BR/MX/CO/AR via LatAm residential and
  mobile proxies and popular local prepaid BINs, but works 01-10 UTC (night in the claimed
  country), mostly on weekdays; emulator device farms (one fingerprint per ~12 accounts).
- ``drip`` (0.08%, 4 rings, ``lowslow``): US/CA identities signed up a few a day over
  six months, a few exchanges a day on weekdays in US business hours, unique cards on 2 common
  US debit BINs, many template variants. Hardest.
- ``attic`` (0.15%, 3 rings, ``aged`` x2 + ``orgs``): an account broker's stock switched on
  together, from a hosting provider, with one new-card BIN.

Usage: ``python -m bench.independent_c generate DIR --accounts N --seed S [--quiet]``
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600


@dataclass
class WorldConfig:
    accounts: int = 200_000  # total accounts (legit + fraud)
    seed: int = 61
    window_start: str = "2026-04-22"  # first day of request data (UTC)
    window_end: str = "2026-06-05"  # last day of request data (inclusive)
    signup_start: str = "2025-04-22"  # earliest sign-up of the legit population
    signup_growth: float = 3.0  # sign-up rate at the end of the year / at its start
    # --- legit activity -------------------------------------------------------------------
    active_casual: float = 0.42  # share of casual (chat) users with traffic in the window
    active_dev: float = 0.70  # developers
    active_agent: float = 0.90  # agent-framework users
    active_worker: float = 0.75  # company seats
    active_student: float = 0.50  # students
    returning_share: float = 0.035  # legit accounts dormant for months, active again in window
    exch_casual: float = 18.0  # median exchanges in the window per active casual user
    exch_dev: float = 110.0  # ... developer
    exch_agent: float = 350.0  # ... agent-framework user
    exch_worker: float = 45.0  # ... company seat
    exch_student: float = 30.0  # ... student
    exch_sigma: float = 1.3  # log-normal spread of per-account volume (heavy tail)
    persona_dev: float = 0.27  # personal accounts that are developers
    persona_agent: float = 0.08  # personal accounts that mostly run a public agent tool
    persona_automation: float = 0.01  # personal accounts that are CI / cron jobs
    hosted_runner_share: float = 0.55  # automation on the shared hosted-runner pool
    paid_casual: float = 0.22  # share with a payment method
    paid_dev: float = 0.55
    paid_agent: float = 0.85
    paid_student: float = 0.10
    second_card: float = 0.10  # paying accounts with a second card
    phone_given: float = 0.55  # legit accounts that give a phone number
    personal_org_share: float = 0.85  # personal accounts with a personal workspace org_id
    # --- innocent sharing -----------------------------------------------------------------
    company_share: float = 0.12  # accounts that are company seats
    company_size_max: int = 3000
    company_shared_card: float = 0.55  # companies paying all seats with one corporate card
    company_device_image: float = 0.20  # companies with a VDI / golden device image
    company_automation: float = 0.03  # seats that are CI service accounts
    university_share: float = 0.05  # students of a university (campus NAT)
    household_share: float = 0.06  # accounts living in a 2-5 person household
    household_card: float = 0.5  # households sharing one card
    household_device: float = 0.4  # households sharing a family computer
    multi_share: float = 0.03  # accounts owned by a person with 2-6 accounts
    cafe_share: float = 0.02  # share (scaled by local café culture) using a café / co-working
    class_share: float = 0.6  # share of university students who are in a class event
    hackathon_share: float = 0.004  # accounts signed up at a hackathon
    vpn_share: float = 0.06  # accounts that often use a VPN / privacy relay
    ipv6_mobile: float = 0.45  # mobile users that also get IPv6
    cgnat_users_per_ip: float = 80.0  # mean accounts per carrier CGNAT public IP
    reseller_share: float = 0.01  # accounts paid through a payment reseller
    internal_test_accounts: int = 20  # platform QA accounts (allow-listed)
    # --- fraud ----------------------------------------------------------------------------
    fraud_scale: float = 1.0  # multiplies every fraud share below
    hydra_share: float = 0.025  # the big distillation campaign
    hydra_exchanges_per_account: float = 1152.0  # 28.8M exchanges / 25k accounts
    bulkfarm_share: float = 0.001
    nocturne_share: float = 0.0012
    drip_share: float = 0.0008
    attic_share: float = 0.0015
    slip_rate: float = 0.01  # fraud accounts that slip (admin device, operator DC IP, card reuse)
    # --- output ---------------------------------------------------------------------------
    api_event_rate: float = 0.25  # share of request rows also logged as an "api" ip_event
    raw_null_count: float = 0.5  # count-1 rows written with an empty count (= 1)


# ------------------------------------------------------------------------------ static tables
# cc, weight, UTC offset (min, in the window), tz spread (h), mobile share, phone cc,
# national digits, postal pattern (D digit, L letter), café culture, prepaid/virtual popularity
COUNTRIES = [
    ("US", 0.150, -240, 3, 0.20, "1", 10, "DDDDD", 0.00, 0.04),
    ("IN", 0.100, 330, 0, 0.70, "91", 10, "DDDDDD", 0.30, 0.10),
    ("BR", 0.085, -180, 1, 0.55, "55", 11, "DDDDD-DDD", 0.15, 0.30),
    ("ID", 0.060, 420, 0, 0.75, "62", 11, "DDDDD", 0.40, 0.25),
    ("MX", 0.050, -360, 1, 0.55, "52", 10, "DDDDD", 0.20, 0.30),
    ("PH", 0.045, 480, 0, 0.75, "63", 10, "DDDD", 0.40, 0.25),
    ("VN", 0.035, 420, 0, 0.70, "84", 9, "DDDDDD", 0.40, 0.20),
    ("JP", 0.040, 540, 0, 0.30, "81", 10, "DDD-DDDD", 0.10, 0.05),
    ("KR", 0.035, 540, 0, 0.35, "82", 10, "DDDDD", 0.20, 0.05),
    ("GB", 0.035, 60, 0, 0.25, "44", 10, "LLD DLL", 0.00, 0.06),
    ("DE", 0.030, 120, 0, 0.20, "49", 11, "DDDDD", 0.00, 0.05),
    ("FR", 0.020, 120, 0, 0.25, "33", 9, "DDDDD", 0.00, 0.05),
    ("ES", 0.018, 120, 0, 0.30, "34", 9, "DDDDD", 0.05, 0.08),
    ("PL", 0.012, 120, 0, 0.30, "48", 9, "DD-DDD", 0.05, 0.08),
    ("CO", 0.025, -300, 0, 0.55, "57", 10, "DDDDDD", 0.15, 0.30),
    ("AR", 0.022, -180, 0, 0.50, "54", 10, "DDDD", 0.10, 0.35),
    ("CL", 0.014, -240, 0, 0.45, "56", 9, "DDDDDDD", 0.05, 0.25),
    ("PE", 0.014, -300, 0, 0.60, "51", 9, "DDDDD", 0.20, 0.25),
    ("AU", 0.020, 600, 2, 0.25, "61", 9, "DDDD", 0.00, 0.05),
    ("SG", 0.015, 480, 0, 0.30, "65", 8, "DDDDDD", 0.00, 0.05),
    ("TH", 0.022, 420, 0, 0.65, "66", 9, "DDDDD", 0.20, 0.15),
    ("MY", 0.018, 480, 0, 0.60, "60", 9, "DDDDD", 0.20, 0.15),
    ("TW", 0.018, 480, 0, 0.35, "886", 9, "DDDDD", 0.10, 0.05),
    ("NG", 0.022, 60, 0, 0.80, "234", 10, "DDDDDD", 0.30, 0.40),
    ("CA", 0.022, -240, 3, 0.20, "1", 10, "LDL DLD", 0.00, 0.04),
    ("PK", 0.015, 300, 0, 0.75, "92", 10, "DDDDD", 0.30, 0.30),
    ("EG", 0.010, 180, 0, 0.70, "20", 10, "DDDDD", 0.30, 0.30),
]
CC = np.array([c[0] for c in COUNTRIES])
CIDX = {c: i for i, c in enumerate(CC)}
NC = len(CC)

# mobile carriers (CGNAT) and residential ISPs per country: (AS org name, ASN)
CARRIERS = {
    "US": [("T-Mobile USA, Inc.", 21928), ("Cellco Partnership DBA Verizon Wireless", 6167)],
    "IN": [("Reliance Jio Infocomm Limited", 55836), ("Bharti Airtel Ltd.", 45609)],
    "BR": [("TELEFONICA BRASIL S.A", 26599), ("Claro NXT Telecomunicacoes Ltda", 28573)],
    "ID": [("Telekomunikasi Selular", 23693), ("PT Indosat Tbk", 4761)],
    "MX": [("Radiomovil Dipsa, S.A. de C.V.", 28403), ("AT&T COMUNICACIONES DIGITALES", 32098)],
    "PH": [("Globe Telecom Inc.", 132199), ("Smart Communications Inc.", 10139)],
    "VN": [("Viettel Group", 7552), ("VNPT Corp", 45899)],
    "JP": [("NTT DOCOMO, INC.", 9605), ("SoftBank Corp.", 17676)],
    "KR": [("SK Telecom", 9644), ("LG UPLUS", 17858)],
    "GB": [("EE Limited", 12576), ("Vodafone Limited", 25135)],
    "DE": [("Telefonica Germany GmbH & Co.OHG", 6805), ("Vodafone GmbH", 3209)],
    "FR": [("Orange S.A.", 3215), ("Free Mobile SAS", 51207)],
    "ES": [("Telefonica Moviles Espana", 12430), ("Orange Espagne SA", 12479)],
    "PL": [("Polkomtel Sp. z o.o.", 8374), ("P4 Sp. z o.o.", 39603)],
    "CO": [("COMCEL S.A.", 26611), ("Colombia Movil", 27831)],
    "AR": [("Telecom Argentina S.A.", 7303), ("AMX Argentina S.A.", 27747)],
    "CL": [("Entel PCS Telecomunicaciones S.A.", 27651), ("Claro Chile S.A.", 27995)],
    "PE": [("America Movil Peru S.A.C.", 12252), ("Telefonica del Peru S.A.A.", 6147)],
    "AU": [("Telstra Limited", 1221), ("Optus Mobile Pty Ltd", 4804)],
    "SG": [("Singtel Mobile Singapore", 9506), ("StarHub Mobile Pte Ltd", 55430)],
    "TH": [("True Move H Universal Communication", 24378), ("Advanced Wireless Network", 131445)],
    "MY": [("Celcom Axiata Berhad", 10030), ("Maxis Broadband Sdn Bhd", 9534)],
    "TW": [("Chunghwa Telecom Co., Ltd.", 3462), ("Taiwan Mobile Co., Ltd.", 24158)],
    "NG": [("MTN NIGERIA Communication limited", 29465), ("Airtel Networks Limited", 36873)],
    "CA": [("Rogers Communications Canada Inc.", 812), ("Bell Mobility", 36522)],
    "PK": [("Pakistan Mobile Communication Limited", 45669), ("Telenor Pakistan", 24499)],
    "EG": [("Vodafone Data", 36935), ("Orange Egypt", 37069)],
}
ISPS = {
    "US": [
        ("Comcast Cable Communications, LLC", 7922),
        ("Charter Communications Inc", 20115),
        ("AT&T Services, Inc.", 7018),
    ],
    "IN": [("Atria Convergence Technologies Ltd.", 24309), ("Bharat Sanchar Nigam Ltd", 9829)],
    "BR": [("Brasil Telecom / Oi", 8167), ("Claro S.A. (NET Virtua)", 28573)],
    "ID": [
        ("PT Telekomunikasi Indonesia (IndiHome)", 7713),
        ("PT. Eka Mas Republik (MyRepublic)", 63859),
    ],
    "MX": [("Uninet S.A. de C.V. (Telmex)", 8151), ("Total Play Telecomunicaciones", 22884)],
    "PH": [
        ("Philippine Long Distance Telephone Co.", 9299),
        ("Converge ICT Solutions Inc.", 17639),
    ],
    "VN": [("FPT Telecom Company", 18403), ("Viettel Fixed Broadband", 7552)],
    "JP": [("NTT Communications Corporation (OCN)", 4713), ("KDDI CORPORATION", 2516)],
    "KR": [("Korea Telecom", 4766), ("SK Broadband Co Ltd", 9318)],
    "GB": [("British Telecommunications PLC", 2856), ("Virgin Media Limited", 5089)],
    "DE": [("Deutsche Telekom AG", 3320), ("Vodafone Kabel Deutschland", 31334)],
    "FR": [("Free SAS", 12322), ("SFR SA", 15557)],
    "ES": [("Telefonica de Espana SAU", 3352), ("Vodafone Ono, S.A.", 6739)],
    "PL": [("Orange Polska Spolka Akcyjna", 5617), ("UPC Polska Sp. z o.o.", 6830)],
    "CO": [("Telmex Colombia S.A.", 10620), ("EPM Telecomunicaciones S.A. E.S.P.", 13489)],
    "AR": [("Telefonica de Argentina", 22927), ("Cablevision S.A.", 10318)],
    "CL": [("VTR BANDA ANCHA S.A.", 22047), ("Telefonica Chile S.A.", 7418)],
    "PE": [("Telefonica del Peru S.A.A. (Movistar Fijo)", 6147), ("Win Empresas S.A.C.", 269823)],
    "AU": [("TPG Telecom Limited", 7545), ("Telstra Internet", 1221)],
    "SG": [("M1 Limited", 4773), ("MyRepublic Ltd.", 56300)],
    "TH": [("TOT Public Company Limited", 23969), ("Triple T Broadband", 45758)],
    "MY": [("TM Net, Internet Service Provider", 4788), ("TIME dotCom Berhad", 9930)],
    "TW": [("HiNet (Chunghwa Telecom Data)", 3462), ("Taiwan Fixed Network", 9924)],
    "NG": [("Spectranet Limited", 37340), ("MainOne Cable Company", 37282)],
    "CA": [("Shaw Communications Inc.", 6327), ("Bell Canada", 577)],
    "PK": [("PTCL (Pakistan Telecommuication company limited)", 17557), ("Nayatel", 23674)],
    "EG": [("TE Data", 8452), ("Link Egypt", 24863)],
}
# global networks: (org, asn, kind, country, v4 size log2)
GLOBAL_NETS = [
    ("AMAZON-02", 16509, "cloud", "US", 20),
    ("AMAZON-AES", 14618, "cloud", "US", 19),
    ("GOOGLE-CLOUD-PLATFORM", 396982, "cloud", "US", 19),
    ("MICROSOFT-CORP-MSN-AS-BLOCK", 8075, "cloud", "US", 20),
    ("DIGITALOCEAN-ASN", 14061, "hosting", "US", 18),
    ("Hetzner Online GmbH", 24940, "hosting", "DE", 18),
    ("OVH SAS", 16276, "hosting", "FR", 18),
    ("Akamai Connected Cloud", 63949, "hosting", "US", 17),
    ("AS-VULTR", 20473, "hosting", "US", 17),
    ("ORACLE-BMC-31898", 31898, "cloud", "US", 17),
    ("M247 Europe SRL", 9009, "vpn", "RO", 16),
    ("Datacamp Limited", 60068, "vpn", "GB", 16),
    ("CLOUDFLARENET", 13335, "vpn", "US", 16),
    ("AKAMAI-AS (iCloud Private Relay)", 36183, "vpn", "US", 16),
    ("Proton AG", 62371, "vpn", "CH", 14),
    ("Packethub S.A.", 147049, "vpn", "PA", 14),
    ("Platform Corp (internal)", 401234, "internal", "US", 10),
]
CLOUD_AWS, CLOUD_AWS2, CLOUD_GCP, CLOUD_AZURE, H_DO, H_HETZNER, H_OVH, H_LINODE, H_VULTR = range(9)
VPN_NETS = [10, 11, 12, 13, 14, 15]
NET_INTERNAL = 16
NREN = {
    "US": ("Internet2", 11537),
    "GB": ("Jisc Services Limited", 786),
    "DE": ("DFN-Verein", 680),
    "FR": ("RENATER", 2200),
    "JP": ("SINET", 2907),
    "KR": ("KREONET", 1237),
    "AU": ("AARNet", 7575),
    "IN": ("ERNET India", 2697),
    "BR": ("RNP", 1916),
    "MX": ("CUDI", 18592),
    "ES": ("RedIRIS", 766),
    "CO": ("RENATA", 27817),
    "CL": ("REUNA", 27790),
    "SG": ("SingAREN", 23855),
    "TW": ("TANet", 1659),
    "ID": ("IDREN", 4795),
    "PH": ("PREGINET", 9821),
    "VN": ("VinaREN", 24176),
    "TH": ("UniNet", 4621),
    "MY": ("MYREN", 24514),
    "PL": ("NASK / PIONIER", 8501),
    "AR": ("InnovaRed", 4270),
    "PE": ("RAAP", 27855),
    "NG": ("NgREN", 37675),
    "CA": ("CANARIE", 6509),
    "PK": ("PERN", 45773),
    "EG": ("EUN", 2561),
}

WEBMAIL = np.array(
    ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me"]
)
WEBMAIL_P = np.array([0.64, 0.09, 0.08, 0.07, 0.06, 0.02])
WEBMAIL_P = WEBMAIL_P / WEBMAIL_P.sum()
LOCAL_MAIL = {
    "JP": ["yahoo.co.jp", "docomo.ne.jp"],
    "KR": ["naver.com", "daum.net"],
    "BR": ["uol.com.br", "bol.com.br"],
    "IN": ["yahoo.co.in", "rediffmail.com"],
    "DE": ["gmx.de", "web.de"],
    "FR": ["orange.fr", "free.fr"],
    "GB": ["btinternet.com"],
    "MX": ["prodigy.net.mx"],
    "AR": ["fibertel.com.ar"],
    "PL": ["wp.pl", "o2.pl"],
    "AU": ["bigpond.com"],
    "TW": ["yahoo.com.tw"],
    "VN": ["yahoo.com.vn"],
}
DISPOSABLE = np.array(["tmpbox.net", "quickinbox.org", "maildrop.cc", "mailpoof.com"])
EDU_SUFFIX = {
    "US": "edu",
    "GB": "ac.uk",
    "JP": "ac.jp",
    "KR": "ac.kr",
    "AU": "edu.au",
    "IN": "ac.in",
    "BR": "edu.br",
    "MX": "edu.mx",
    "ID": "ac.id",
    "PH": "edu.ph",
    "VN": "edu.vn",
    "TH": "ac.th",
    "MY": "edu.my",
    "TW": "edu.tw",
    "SG": "edu.sg",
    "CO": "edu.co",
    "AR": "edu.ar",
    "CL": "cl",
    "PE": "edu.pe",
    "NG": "edu.ng",
    "CA": "ca",
    "PK": "edu.pk",
    "EG": "edu.eg",
    "DE": "de",
    "FR": "fr",
    "ES": "es",
    "PL": "edu.pl",
}

FIRST = np.array(
    """james mary john linda wei li ana maria jose juan carlos luis pedro lucas gabriel rafael
 sofia camila valentina isabella mateus thiago priya rahul amit anjali arjun rohan sneha vikram deepak
 pooja budi siti agus dewi rizky putri nguyen minh anh linh tuan thu hiroshi yuki haruto sakura kenji
 minjun seoyeon jiwoo hyun oliver emma noah mia lukas lena hugo chloe pablo lucia kamil zofia david sarah
 michael jessica daniel emily chinedu ngozi tunde amaka ahmed fatima omar ali hassan ayesha mohamed nour
 somchai nattaya ahmad nurul chen yating jia ethan liam olivia mark grace joshua angel paolo kristine""".split()
)
LAST = np.array(
    """smith johnson williams brown garcia martinez rodriguez lopez gonzalez perez sanchez silva
 santos oliveira souza costa pereira ferreira alves lima gomes sharma patel singh kumar gupta reddy iyer
 nair das wijaya santoso pratama saputra hidayat nguyen tran le pham hoang vu tanaka suzuki takahashi sato
 watanabe kim lee park choi jung muller schmidt schneider fischer martin bernard dubois moreau fernandez
 kowalski nowak wisniewski taylor wilson davies evans okafor adeyemi okonkwo bello khan ahmed hussain
 malik hassan ibrahim mahmoud wong tan lim ng chua reyes cruz bautista ocampo mendoza ramos torres flores
 chaiyaporn srisuk wang zhang liu chen huang""".split()
)
WORDS = np.array(
    """blue north peak river stone cloud bright swift iron oak pixel nova quantum delta apex
 summit harbor lumen vertex orbit cedar maple falcon tiger lotus coral ember atlas zenith prime vector
 spark forge craft labs works data logic byte stack flow mint sage arc beam core grid hive loop node""".split()
)

_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
_WK = "AppleWebKit/537.36 (KHTML, like Gecko) "
_SAF = "AppleWebKit/605.1.15 (KHTML, like Gecko) "
_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS "
_AND = "Mozilla/5.0 (Linux; Android "
BROWSER_UA = np.array(
    [
        _WIN + _WK + "Chrome/124.0.0.0 Safari/537.36",
        _WIN + _WK + "Chrome/125.0.0.0 Safari/537.36",
        _WIN + _WK + "Chrome/123.0.0.0 Safari/537.36",
        _MAC + _WK + "Chrome/125.0.0.0 Safari/537.36",
        _MAC + _SAF + "Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
        _WIN + _WK + "Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
        "Mozilla/5.0 (X11; Linux x86_64) " + _WK + "Chrome/124.0.0.0 Safari/537.36",
        _IOS + "17_4 like Mac OS X) " + _SAF + "Version/17.4 Mobile/15E148 Safari/604.1",
        _IOS + "17_5 like Mac OS X) " + _SAF + "Version/17.5 Mobile/15E148 Safari/604.1",
        _AND + "14; SM-S918B) " + _WK + "Chrome/125.0.0.0 Mobile Safari/537.36",
        _AND + "13; SM-A536E) " + _WK + "Chrome/124.0.0.0 Mobile Safari/537.36",
        _AND + "12; Redmi Note 11) " + _WK + "Chrome/123.0.0.0 Mobile Safari/537.36",
        _AND + "14; Pixel 8) " + _WK + "Chrome/125.0.0.0 Mobile Safari/537.36",
        "python-requests/2.31.0",
        "Mozilla/5.0 (X11; Linux x86_64) " + _WK + "HeadlessChrome/124.0.0.0 Safari/537.36",
    ]
)
UA_DESKTOP_P = np.array(
    [0.22, 0.20, 0.06, 0.13, 0.10, 0.08, 0.10, 0.06, 0, 0, 0, 0, 0, 0, 0.03, 0.02]
)
UA_MOBILE_P = np.array(
    [0.03, 0.03, 0, 0.01, 0.02, 0, 0, 0, 0.16, 0.14, 0.20, 0.18, 0.16, 0.07, 0, 0]
)
UA_ANTIDETECT = np.array([0, 1, 2, 3])  # what anti-detect browsers present: common desktop Chromes
SDK_UA = np.array(
    [
        "python-httpx/0.27.0",
        "python-httpx/0.26.0",
        "node-fetch/3.3.2",
        "axios/1.7.2",
        "Go-http-client/2.0",
        "curl/8.5.0",
        "okhttp/4.12.0",
        "aiohttp/3.9.5",
        "langchain-python/0.2.1",
        "Java-http-client/17.0.11",
        "ruby/3.3 faraday/2.9",
    ]
)
SDK_P = np.array([0.30, 0.12, 0.14, 0.10, 0.07, 0.06, 0.06, 0.05, 0.05, 0.03, 0.02])

# mobile numbering: national length and leading digits per country
PHONE = {
    "US": (10, "2125 4155 6465 3105 3125 3055 2065 5125 6175 4045 7135 2147"),
    "CA": (10, "4165 6045 5145 4035 6135 9055"),
    "IN": (10, "98 99 97 70 81 63 90 88"),
    "BR": (11, "119 219 319 419 619 819 719 519 859"),
    "ID": (11, "812 813 821 852 857 878 895 811"),
    "MX": (10, "55 33 81 22 66 99"),
    "PH": (10, "905 917 918 927 939 995 926 915"),
    "VN": (9, "91 90 98 97 86 33 70 93"),
    "JP": (10, "90 80 70"),
    "KR": (10, "10"),
    "GB": (10, "74 75 77 78 79"),
    "DE": (11, "151 152 157 160 170 171 176 162"),
    "FR": (9, "61 62 65 67 68 75 76 77 78"),
    "ES": (9, "60 61 62 63 64 65 66 67 68 69 71 72"),
    "PL": (9, "50 51 53 57 60 66 69 72 73 78 79 88"),
    "CO": (10, "300 301 310 311 312 313 315 316 317 318 320 321 350"),
    "AR": (11, "9115 9116 9113 9114"),
    "CL": (9, "92 93 94 95 96 97 98 99"),
    "PE": (9, "91 92 93 94 95 96 97 98 99"),
    "AU": (9, "40 41 42 43 46 48"),
    "SG": (8, "81 82 83 84 85 86 87 88 89 90 91 92 93 94 96 97 98"),
    "TH": (9, "81 82 83 84 85 86 87 89 90 91 92 93 94 95 96 97 98 99 61 62 63 64 65"),
    "MY": (9, "12 13 16 17 19"),
    "TW": (9, "91 92 93 95 96 97 98"),
    "NG": (10, "80 81 70 90"),
    "PK": (10, "30 31 32 33 34"),
    "EG": (10, "10 11 12 15"),
}
PHONE_LOCAL0 = {
    "IN",
    "ID",
    "PH",
    "VN",
    "JP",
    "KR",
    "GB",
    "DE",
    "FR",
    "CO",
    "PE",
    "AU",
    "TH",
    "MY",
    "TW",
    "NG",
    "PK",
    "EG",
}  # countries where people write the national number with a leading 0

CAPS = np.array(["chat", "coding", "agentic_reasoning", "planning", "other"])
# capability mixes: chat, coding, agentic_reasoning, planning, other
CAP_MIX = np.array(
    [
        [0.72, 0.08, 0.03, 0.04, 0.13],  # 0 casual
        [0.25, 0.45, 0.12, 0.06, 0.12],  # 1 developer
        [0.05, 0.50, 0.35, 0.07, 0.03],  # 2 agent-framework user
        [0.02, 0.45, 0.10, 0.03, 0.40],  # 3 automation
        [0.55, 0.15, 0.05, 0.10, 0.15],  # 4 company worker
        [0.45, 0.35, 0.05, 0.05, 0.10],  # 5 student
        [0.06, 0.42, 0.32, 0.15, 0.05],  # 6 fraud distillation
        [0.12, 0.30, 0.28, 0.25, 0.05],  # 7 fraud low-and-slow
        [0.08, 0.50, 0.25, 0.12, 0.05],  # 8 fraud night shift
    ]
)
# per-exchange token medians (input, output) per capability
TOK_IN = np.array([400, 2500, 9000, 3000, 1200], dtype=float)
TOK_OUT = np.array([350, 900, 1200, 1500, 300], dtype=float)

# local-hour activity profiles
HOUR_PROFILES = np.array(
    [
        [
            2,
            1.2,
            0.8,
            0.5,
            0.4,
            0.4,
            0.6,
            1,
            1.6,
            2,
            2.4,
            2.6,
            2.6,
            2.5,
            2.4,
            2.4,
            2.5,
            2.8,
            3.2,
            3.6,
            4,
            4,
            3.6,
            2.8,
        ],
        [
            1,
            0.6,
            0.4,
            0.3,
            0.3,
            0.3,
            0.5,
            1,
            2,
            3.2,
            3.8,
            3.8,
            3,
            3.4,
            3.8,
            3.8,
            3.4,
            2.8,
            2.2,
            2.2,
            2.4,
            2.4,
            2,
            1.5,
        ],
        [
            0.2,
            0.1,
            0.1,
            0.1,
            0.1,
            0.2,
            0.4,
            1,
            2.5,
            4,
            4.2,
            4,
            2.8,
            3.6,
            4,
            3.8,
            3.2,
            2,
            1,
            0.7,
            0.6,
            0.5,
            0.4,
            0.3,
        ],
    ]
)
P_CASUAL, P_DEV, P_BUSINESS = 0, 1, 2
M_LOCAL, M_CRON, M_SHIFT, M_CONST = 0, 1, 2, 3

LEGIT_FLAGS = [
    "cgnat",
    "vpn",
    "university",
    "company",
    "corp_card",
    "device_image",
    "household",
    "cafe",
    "multi",
    "class",
    "popular_template",
    "automation",
    "prepaid_bin",
    "reseller",
    "returning",
    "internal_test",
]
FL = {f: 1 << i for i, f in enumerate(LEGIT_FLAGS)}

N_PUBLIC = (
    400  # public prompt templates: 12 trivial, 20 agent frameworks, 5 CI actions, rest general
)
PUB_AGENT = np.arange(12, 32)
PUB_CI = np.arange(32, 37)

# fraud operators: name, config share attribute, ring plan [(style, share of the campaign)],
# exchanges per account, shift start (UTC h), shift length (h), weekend weight, claimed countries
OPERATORS = [
    (
        "hydra",
        "hydra_share",
        [
            ("stealth", 0.20),
            ("stealth", 0.15),
            ("aged", 0.13),
            ("orgs", 0.11),
            ("stealth", 0.10),
            ("stealth_mobile", 0.09),
            ("aged", 0.07),
            ("orgs", 0.06),
            ("stealth", 0.05),
            ("stealth", 0.04),
        ],
        None,
        1,
        16,
        1.0,
        {
            "US": 0.3,
            "GB": 0.1,
            "SG": 0.1,
            "JP": 0.08,
            "KR": 0.08,
            "DE": 0.08,
            "AU": 0.06,
            "CA": 0.06,
            "TW": 0.07,
            "FR": 0.07,
        },
    ),
    (
        "bulkfarm",
        "bulkfarm_share",
        [("clear", 0.5), ("clear", 0.3), ("clear", 0.2)],
        700.0,
        0,
        24,
        1.0,
        {"US": 0.4, "IN": 0.3, "ID": 0.3},
    ),
    (
        "nocturne",
        "nocturne_share",
        [("nightshift", 0.45), ("nightshift", 0.35), ("nightshift", 0.20)],
        800.0,
        1,
        9,
        0.15,
        {"BR": 0.45, "MX": 0.3, "CO": 0.15, "AR": 0.10},
    ),
    (
        "drip",
        "drip_share",
        [("lowslow", 0.3), ("lowslow", 0.3), ("lowslow", 0.2), ("lowslow", 0.2)],
        110.0,
        14,
        8,
        0.05,
        {"US": 0.85, "CA": 0.15},
    ),
    (
        "attic",
        "attic_share",
        [("aged", 0.45), ("aged", 0.3), ("orgs", 0.25)],
        900.0,
        6,
        14,
        1.0,
        {"US": 0.25, "GB": 0.15, "DE": 0.15, "FR": 0.1, "PL": 0.15, "ES": 0.1, "CA": 0.1},
    ),
]


# ------------------------------------------------------------------------------ helpers
def _epoch(day: str) -> int:
    return int(np.datetime64(day, "s").astype(np.int64))


def _hex(rng: np.random.Generator, n: int, nbytes: int = 8) -> np.ndarray:
    b = rng.integers(0, 256, size=(max(n, 0), nbytes), dtype=np.uint8)
    return np.frombuffer(b.tobytes().hex().encode(), dtype=f"S{2 * nbytes}").astype(
        f"U{2 * nbytes}"
    )


def _ids(rng: np.random.Generator, n: int, prefix: str, nbytes: int = 8) -> np.ndarray:
    return np.char.add(prefix, _hex(rng, n, nbytes)) if n else np.zeros(0, dtype="U1")


def _sizes(rng: np.random.Generator, total: int, smin: int, smax: int, alpha: float) -> np.ndarray:
    """Heavy-tailed (discrete power-law) group sizes summing to about ``total``."""
    if total < smin:
        return np.zeros(0, dtype=np.int64)
    est = int(total / smin) + 16
    s = np.floor(smin * (1.0 - rng.random(est)) ** (-1.0 / (alpha - 1.0)))
    s = np.clip(s, smin, smax).astype(np.int64)
    cs = np.cumsum(s)
    k = int(np.searchsorted(cs, total)) + 1
    s = s[:k].copy()
    over = int(s.sum()) - total
    if over > 0:
        s[-1] -= over
    return s[s > 0]


def _zipf_pick(rng: np.random.Generator, n: int, k: int, a: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** a
    return np.searchsorted(np.cumsum(w) / w.sum(), rng.random(n)).clip(0, k - 1)


def _pattern(rng: np.random.Generator, pat: str, n: int) -> np.ndarray:
    """Random strings following ``pat`` (D digit, L upper-case letter, anything else literal)."""
    m = np.empty((n, len(pat)), dtype="U1")
    digits = np.array(list("0123456789"))
    letters = np.array(list("ABCDEFGHJKLMNPRSTUVWXY"))
    for j, ch in enumerate(pat):
        if ch == "D":
            m[:, j] = digits[rng.integers(0, 10, n)]
        elif ch == "L":
            m[:, j] = letters[rng.integers(0, len(letters), n)]
        else:
            m[:, j] = ch
    return np.ascontiguousarray(m).view(f"U{len(pat)}").ravel()


def _zpad(a: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Left-pad digit strings with zeros to per-element widths."""
    zeros = np.array(["0" * i for i in range(20)])
    return zeros[np.maximum(width - np.char.str_len(a), 0)] + a


def _tail(a: np.ndarray, k: int) -> np.ndarray:
    """Drop the first k characters of each string."""
    n = a.dtype.itemsize // 4
    m = np.ascontiguousarray(a.astype(f"U{n}")).view("U1").reshape(len(a), n)[:, k:]
    return np.ascontiguousarray(m).view(f"U{n - k}").ravel()


def _cumrows(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.cumsum(p / p.sum(axis=-1, keepdims=True), axis=-1)


# ------------------------------------------------------------------------------ IP space
class _Net:
    """Networks (AS, org, kind, country) with synthetic IPv4 ranges and IPv6 /32s.

    IP keys are int64: < 2**32 is an IPv4 address; otherwise (v6 /32 << 32) | 32-bit /64 suffix.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        bad = {0, 10, 100, 127, 169, 172, 192, 198, 203}
        firsts = np.array([a for a in range(1, 224) if a not in bad], dtype=np.int64)
        slots = (firsts[:, None] << 24) + (np.arange(16, dtype=np.int64)[None, :] << 20)
        self._slots = rng.permutation(slots.ravel())  # one random /12 per network
        self.org: list[str] = []
        self.asn: list[int] = []
        self.kind: list[str] = []
        self.cc: list[str] = []
        self.v4s: list[int] = []
        self.v4n: list[int] = []

    def add(self, org: str, asn: int, kind: str, cc: str, log2: int) -> int:
        n = 1 << min(log2, 20)
        start = int(self._slots[len(self.org)])
        self.org.append(org)
        self.asn.append(asn)
        self.kind.append(kind)
        self.cc.append(cc)
        self.v4s.append(start)
        self.v4n.append(n)
        return len(self.org) - 1

    def freeze(self) -> None:
        self.V4S = np.array(self.v4s, dtype=np.int64)
        self.V4N = np.array(self.v4n, dtype=np.int64)
        self._o4 = np.argsort(self.V4S)
        k = len(self.org)
        self.V6B = (0x24000000 + np.arange(k, dtype=np.int64) * 0x00013000 + 0x0400).astype(
            np.int64
        )
        self.ASN = np.array(self.asn, dtype=np.int64)
        self.ORG = np.array(self.org)

    def v4(self, rng: np.random.Generator, nets: np.ndarray) -> np.ndarray:
        nets = np.asarray(nets)
        off = np.floor(rng.random(nets.shape) * self.V4N[nets]).astype(np.int64)
        # avoid .0 and .255 host parts
        off = off - (off & 0xFF) + 1 + (off & 0xFF) % 253
        return self.V4S[nets] + np.minimum(off, self.V4N[nets] - 2)

    def v6(self, rng: np.random.Generator, nets: np.ndarray) -> np.ndarray:
        nets = np.asarray(nets)
        return (self.V6B[nets] << 32) | rng.integers(0, 1 << 32, size=nets.shape, dtype=np.int64)

    def block(self, rng: np.random.Generator, net: int, n: int) -> np.ndarray:
        """n adjacent addresses (a small routed block) in one network."""
        base = int(self.V4S[net] + (rng.integers(0, max(1, (self.V4N[net] >> 8) - 1)) << 8) + 2)
        start = base + int(rng.integers(0, 200 - min(n, 199)))
        return np.arange(start, start + n, dtype=np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        v6 = keys >= (1 << 32)
        out = self._o4[np.searchsorted(self.V4S[self._o4], keys, side="right") - 1]
        out[v6] = np.searchsorted(self.V6B, keys[v6] >> 32, side="right") - 1
        return out

    @staticmethod
    def render(keys: np.ndarray) -> pa.Array:
        keys = np.asarray(keys, dtype=np.int64)
        dec = pa.array([str(i) for i in range(256)])
        hx = pa.array([format(i, "x") for i in range(1 << 16)])
        v6 = keys >= (1 << 32)
        out = np.empty(len(keys), dtype=object)
        k4 = keys[~v6]
        if len(k4):
            parts = [dec.take(pa.array((k4 >> s) & 0xFF)) for s in (24, 16, 8, 0)]
            out[~v6] = pc.binary_join_element_wise(*parts, ".").to_numpy(zero_copy_only=False)
        k6 = keys[v6]
        if len(k6):
            iid = ((k6 * 2654435761) >> 7) & 0xFFFF | 1
            parts = [hx.take(pa.array((k6 >> s) & 0xFFFF)) for s in (48, 32, 16, 0)]
            parts.append(pa.array(np.full(len(k6), "")))
            parts.append(hx.take(pa.array(iid)))
            out[v6] = pc.binary_join_element_wise(*parts, ":").to_numpy(zero_copy_only=False)
        return pa.array(out, type=pa.string())


class _Pools:
    """IP pools: each account draws its IPs from up to 3 pools (skewed toward the pool's head)."""

    def __init__(self) -> None:
        self.flat: list[np.ndarray] = []
        self.sizes: list[np.ndarray] = []
        self.alpha: list[np.ndarray] = []
        self.n = 0

    def add(
        self, keys: np.ndarray, sizes: np.ndarray | None = None, alpha: float = 1.0
    ) -> np.ndarray:
        keys = np.asarray(keys, dtype=np.int64)
        sizes = np.array([len(keys)]) if sizes is None else np.asarray(sizes, dtype=np.int64)
        self.flat.append(keys)
        self.sizes.append(sizes)
        self.alpha.append(np.full(len(sizes), alpha))
        ids = np.arange(self.n, self.n + len(sizes))
        self.n += len(sizes)
        return ids

    def one(self, keys: np.ndarray, alpha: float = 1.0) -> int:
        return int(self.add(keys, None, alpha)[0])

    def freeze(self) -> None:
        self.F = np.concatenate(self.flat)
        self.S = np.concatenate(self.sizes)
        self.A = np.concatenate(self.alpha)
        self.O = np.concatenate([[0], np.cumsum(self.S)[:-1]]).astype(np.int64)

    def draw(self, rng: np.random.Generator, pid: np.ndarray) -> np.ndarray:
        idx = np.floor(self.S[pid] * rng.random(len(pid)) ** self.A[pid]).astype(np.int64)
        return self.F[self.O[pid] + np.minimum(idx, self.S[pid] - 1)]

    def keys_of(self, pid: int) -> np.ndarray:
        return self.F[self.O[pid] : self.O[pid] + self.S[pid]]


# ------------------------------------------------------------------------------ the world
class _World:
    def __init__(self, cfg: WorldConfig, quiet: bool) -> None:
        self.cfg = cfg
        self.quiet = quiet
        self.rng = np.random.default_rng(cfg.seed)
        self.t0 = time.time()
        self.ws = _epoch(cfg.window_start)
        self.we = _epoch(cfg.window_end) + DAY
        self.ndays = (self.we - self.ws) // DAY
        self.ss = _epoch(cfg.signup_start)
        self.scale = cfg.accounts / 1_000_000

    def log(self, msg: str) -> None:
        if not self.quiet:
            print(f"[{time.time() - self.t0:7.1f}s] {msg}", flush=True)

    # ---------------------------------------------------------------- plan and arrays
    def plan_fraud(self) -> None:
        cfg = self.cfg
        rings = []
        for ci, (op, attr, plan, exch, sh0, shl, wk, ctry) in enumerate(OPERATORS):
            total = getattr(cfg, attr) * cfg.fraud_scale * cfg.accounts
            for ri, (style, frac) in enumerate(plan):
                n = int(round(total * frac))
                if total > 0 and n < 8:
                    n = 8
                if n <= 0:
                    continue
                e = cfg.hydra_exchanges_per_account if exch is None else exch
                rings.append(
                    dict(
                        campaign=ci,
                        op=op,
                        ring=f"{op}-r{ri + 1:02d}",
                        style=style,
                        n=n,
                        exch=e,
                        sh0=sh0,
                        shl=shl,
                        wk=wk,
                        ctry=ctry,
                    )
                )
        self.rings = rings
        self.nF = sum(r["n"] for r in rings)
        self.nL = self.cfg.accounts - self.nF
        if self.nL < 1000:
            raise ValueError("too few accounts for this world (need at least a few thousand)")

    def alloc(self) -> None:
        N = self.cfg.accounts
        self.N = N
        z = np.zeros
        self.country = z(N, np.int16)
        self.tz = z(N, np.int16)
        self.created = z(N, np.int64)
        self.email = np.empty(N, dtype=object)
        self.phone = np.empty(N, dtype=object)
        self.device = np.empty(N, dtype=object)
        self.org = np.empty(N, dtype=object)
        self.ua = z(N, np.int16)
        self.sdk = z(N, np.int16)
        self.signup_key = z(N, np.int64)
        self.signup_pool = np.full(N, -1, np.int64)
        self.pools = np.full((N, 3), -1, np.int64)
        self.pool_cum = np.ones((N, 3), np.float32)
        self.active = z(N, bool)
        self.exch = z(N, np.float64)
        self.mode = z(N, np.int8)
        self.prof = z(N, np.int8)
        self.p1 = z(N, np.int16)
        self.p2 = z(N, np.int16)
        self.runs = np.ones(N, np.int16)
        self.wk = np.ones(N, np.float32)
        self.d0 = z(N, np.int16)
        self.d1 = np.full(N, self.ndays - 1, np.int16)
        self.capmix = z(N, np.int8)
        self.src = np.tile(np.array([0.45, 0.20, 0.33, 0.02, 0, 0], np.float32), (N, 1))
        self.n_pers = np.ones(N, np.int16)
        self.agent_tpl = np.full(N, 12, np.int64)
        self.grp_off = np.full(N, -1, np.int64)
        self.grp_cnt = z(N, np.int32)
        self.grp2 = np.full(N, -1, np.int64)
        self.out_mult = np.ones(N, np.float32)
        self.in_mult = np.ones(N, np.float32)
        self.n_keys = np.ones(N, np.int16)
        self.early_span = np.full(N, 30 * DAY, np.int64)
        self.early_n = z(N, np.int16)
        self.late_n = z(N, np.int16)
        self.flags = z(N, np.int32)
        self.ring = np.full(N, -1, np.int32)
        self.n_tpl = N_PUBLIC
        self.pay_acct: list[np.ndarray] = []
        self.pay_card: list[np.ndarray] = []
        self.pay_ts: list[np.ndarray] = []
        self.card_bin: list[np.ndarray] = []
        self.card_postal: list[np.ndarray] = []
        self.n_cards = 0
        self.allow: list[tuple[str, str, str]] = []

    def tpl(self, n: int) -> int:
        start = self.n_tpl
        self.n_tpl += n
        return start

    # ---------------------------------------------------------------- reference data
    def build_refs(self) -> None:
        rng = self.rng
        # BINs: per country 2 credit, 1 debit, 1 local prepaid/fintech, 1 corporate; 4 global virtual
        bins, bcc, bfund, bkind = [], [], [], []
        used: set[str] = set()

        def newbin(first: str, n8: bool) -> str:
            while True:
                b = first + "".join(rng.choice(list("0123456789"), 7 if n8 else 5))
                if b not in used:
                    used.add(b)
                    return b

        for cc in CC:
            for kind, fund in (
                ("credit", "credit"),
                ("credit", "credit"),
                ("debit", "debit"),
                ("prepaid_local", "prepaid"),
                ("corporate", "credit"),
            ):
                bins.append(newbin(str(rng.choice(["4", "5"])), bool(rng.random() < 0.4)))
                bcc.append(cc)
                bfund.append(fund)
                bkind.append(kind)
        for cc, fund in (("US", "prepaid"), ("US", "debit"), ("GB", "debit"), ("LT", "prepaid")):
            bins.append(newbin(str(rng.choice(["4", "5"])), True))
            bcc.append(cc)
            bfund.append(fund)
            bkind.append("virtual_global")
        self.BIN = np.array(bins)
        self.BIN_CC = np.array(bcc)
        self.BIN_FUND = np.array(bfund)
        self.BIN_KIND = np.array(bkind)
        self.BIN_GLOBAL = np.where(self.BIN_KIND == "virtual_global")[0]
        self.BIN_PREPAIDISH = np.isin(self.BIN_KIND, ["prepaid_local", "virtual_global"])
        # postal universes (popular codes repeat)
        self.postal_u = [_pattern(rng, c[7], 4000) for c in COUNTRIES]
        # public templates and their weights (trivial prompts dominate)
        w = 1.0 / np.arange(1, N_PUBLIC + 1) ** 1.05
        w[PUB_AGENT] = 0
        w[PUB_CI] = 0
        self.pub_cum = np.cumsum(w / w.sum())

    def postal(self, cidx: np.ndarray) -> np.ndarray:
        out = np.empty(len(cidx), dtype=object)
        for c in np.unique(cidx):
            m = cidx == c
            out[m] = self.postal_u[c][_zipf_pick(self.rng, int(m.sum()), 4000, 0.9)]
        return out

    def pick_bin(self, cidx: np.ndarray, kind_w: dict[str, float] | None = None) -> np.ndarray:
        """A card BIN per account, from its country's mix (prepaid popularity) or a global virtual."""
        rng = self.rng
        out = np.zeros(len(cidx), np.int64)
        for c in np.unique(cidx):
            m = np.where(cidx == c)[0]
            pre = COUNTRIES[c][9]
            if kind_w is None:
                p = np.array([0.36, 0.22, 0.30, pre, 0.02, 0.02 + pre * 0.15])
            else:
                p = np.array(
                    [
                        kind_w.get(k, 0)
                        for k in (
                            "credit",
                            "credit2",
                            "debit",
                            "prepaid_local",
                            "corporate",
                            "virtual_global",
                        )
                    ]
                )
            k = rng.choice(6, len(m), p=p / p.sum())
            base = c * 5
            b = base + np.minimum(k, 4)
            g = k == 5
            b[g] = self.BIN_GLOBAL[rng.integers(0, len(self.BIN_GLOBAL), int(g.sum()))]
            out[m] = b
        return out

    def add_cards(self, bins: np.ndarray, postal: np.ndarray) -> np.ndarray:
        ids = np.arange(self.n_cards, self.n_cards + len(bins))
        self.n_cards += len(bins)
        self.card_bin.append(np.asarray(bins, np.int64))
        self.card_postal.append(np.asarray(postal, dtype=object))
        return ids

    def pay(self, acct: np.ndarray, card: np.ndarray, ts: np.ndarray) -> None:
        self.pay_acct.append(np.asarray(acct, np.int64))
        self.pay_card.append(np.asarray(card, np.int64))
        self.pay_ts.append(np.asarray(ts, np.int64))

    def locals_(self, n: int) -> np.ndarray:
        rng = self.rng
        f = FIRST[rng.integers(0, len(FIRST), n)]
        last = LAST[rng.integers(0, len(LAST), n)]
        pat = rng.choice(6, n, p=[0.18, 0.22, 0.08, 0.2, 0.17, 0.15])
        d2 = rng.integers(1, 100, n).astype("U")
        yr = rng.integers(1975, 2009, n).astype("U")
        d3 = rng.integers(100, 1000, n).astype("U")
        w1 = WORDS[rng.integers(0, len(WORDS), n)]
        init = np.array([s[0] for s in FIRST])[rng.integers(0, len(FIRST), n)]
        out = np.where(
            pat == 0,
            f + "." + last,
            np.where(
                pat == 1,
                f + last + d2,
                np.where(
                    pat == 2,
                    f + "_" + last,
                    np.where(pat == 3, f + yr, np.where(pat == 4, init + last + d3, w1 + f + d2)),
                ),
            ),
        )
        return out

    def emails(self, cidx: np.ndarray) -> np.ndarray:
        rng = self.rng
        n = len(cidx)
        dom = WEBMAIL[rng.choice(len(WEBMAIL), n, p=WEBMAIL_P)].astype(object)
        for c in np.unique(cidx):
            loc = LOCAL_MAIL.get(CC[c])
            if not loc:
                continue
            m = np.where((cidx == c) & (rng.random(n) < 0.18))[0]
            dom[m] = np.array(loc)[rng.integers(0, len(loc), len(m))]
        return self.locals_(n) + "@" + dom.astype("U")

    def phones(self, cidx: np.ndarray) -> np.ndarray:
        rng = self.rng
        out = np.empty(len(cidx), dtype=object)
        for c in np.unique(cidx):
            m = np.where(cidx == c)[0]
            k = len(m)
            cc = str(CC[c])
            pcc = COUNTRIES[c][5]
            L, prefs = PHONE[cc]
            pref = np.array(prefs.split())[rng.integers(0, len(prefs.split()), k)]
            nrest = L - np.char.str_len(pref)
            rest = np.floor(rng.random(k) * 10.0**nrest).astype(np.int64).astype("U")
            nat = pref + _zpad(rest, nrest)
            fmt = rng.choice(5, k, p=[0.5, 0.25, 0.15, 0.05, 0.05])
            spaced = "+" + pcc + " " + nat.astype("U3") + " " + _tail(nat, 3)
            if pcc == "1":
                local = (
                    "(" + nat.astype("U3") + ") " + _tail(nat, 3).astype("U3") + "-" + _tail(nat, 6)
                )
            elif cc in PHONE_LOCAL0:
                local = "0" + nat
            else:
                local = "+" + pcc + nat
            out[m] = np.where(
                fmt == 0,
                "+" + pcc + nat,
                np.where(
                    fmt == 1,
                    spaced,
                    np.where(fmt == 2, local, np.where(fmt == 3, pcc + nat, "00" + pcc + nat)),
                ),
            )
        return out

    def uas(self, n: int, mobile_p: np.ndarray | float) -> np.ndarray:
        rng = self.rng
        mob = rng.random(n) < mobile_p
        out = rng.choice(len(BROWSER_UA), n, p=UA_DESKTOP_P / UA_DESKTOP_P.sum())
        out[mob] = rng.choice(len(BROWSER_UA), int(mob.sum()), p=UA_MOBILE_P / UA_MOBILE_P.sum())
        return out

    def signup_times(
        self, n: int, lo: int, hi: int, tz: np.ndarray, growth: float = 1.0
    ) -> np.ndarray:
        """Sign-up times in [lo, hi) with growth and a local diurnal cycle."""
        rng = self.rng
        u = rng.random(n)
        if growth != 1.0:
            u = np.log1p(u * (growth - 1.0)) / np.log(growth)
        day = lo + np.floor(u * (hi - lo) / DAY).astype(np.int64) * DAY
        cum = np.cumsum(HOUR_PROFILES[P_CASUAL]) / HOUR_PROFILES[P_CASUAL].sum()
        hr = np.searchsorted(cum, rng.random(n))
        t = day + hr * HOUR + rng.integers(0, HOUR, n) - tz.astype(np.int64) * 60
        return np.clip(t, lo, hi - 1)

    # ---------------------------------------------------------------- legit population
    def legit(self) -> None:
        cfg, rng = self.cfg, self.rng
        nL = self.nL
        L = np.arange(nL)
        w = np.array([c[1] for c in COUNTRIES])
        self.country[:nL] = rng.choice(NC, nL, p=w / w.sum())
        persona = np.zeros(
            nL, np.int8
        )  # 0 casual, 1 dev, 2 agent, 3 automation, 4 worker, 5 student
        group_free = np.ones(nL, bool)

        # companies
        sizes = _sizes(rng, int(cfg.company_share * nL), 2, cfg.company_size_max, 1.9)
        members = rng.permutation(L)[: sizes.sum()]
        self.comp_of = np.full(nL, -1, np.int64)
        self.comp_of[members] = np.repeat(np.arange(len(sizes)), sizes)
        self.comp_sizes = sizes
        nCo = len(sizes)
        comp_cc = rng.choice(NC, nCo, p=w / w.sum())
        inco = self.comp_of >= 0
        keep = rng.random(nL) < 0.85
        self.country[:nL][inco & keep] = comp_cc[self.comp_of[inco & keep]]
        group_free &= ~inco
        persona[inco] = rng.choice([4, 1, 2], int(inco.sum()), p=[0.55, 0.35, 0.10])
        persona[inco & (rng.random(nL) < cfg.company_automation)] = 3
        self.flags[:nL][inco] |= FL["company"]

        # universities
        free = np.where(group_free)[0]
        sizes = _sizes(rng, int(cfg.university_share * nL), 25, 3000, 1.8)
        members = rng.permutation(free)[: sizes.sum()]
        self.uni_of = np.full(nL, -1, np.int64)
        self.uni_of[members] = np.repeat(np.arange(len(sizes)), sizes)
        self.uni_sizes = sizes
        uni_cc = rng.choice(NC, len(sizes), p=w / w.sum())
        inu = self.uni_of >= 0
        self.country[:nL][inu] = uni_cc[self.uni_of[inu]]
        persona[inu] = 5
        group_free &= ~inu
        self.flags[:nL][inu] |= FL["university"]

        # personal personas
        pers = np.where(persona == 0)[0]
        pp = rng.random(len(pers))
        persona[pers[pp < cfg.persona_dev]] = 1
        persona[pers[(pp >= cfg.persona_dev) & (pp < cfg.persona_dev + cfg.persona_agent)]] = 2
        persona[pers[pp >= 1 - cfg.persona_automation]] = 3

        # households and multi-account people ("home units")
        unit = np.arange(nL)
        free = np.where(~inco)[0]
        hs = _sizes(rng, int(cfg.household_share * nL), 2, 5, 2.6)
        hm = rng.permutation(free)[: hs.sum()]
        hh_of = np.full(nL, -1, np.int64)
        hh_of[hm] = np.repeat(np.arange(len(hs)), hs)
        unit[hm] = hm[np.repeat(np.cumsum(hs) - hs, hs)]
        self.flags[:nL][hm] |= FL["household"]
        free = np.where(~inco & (hh_of < 0) & ~inu)[0]
        ms = _sizes(rng, int(cfg.multi_share * nL), 2, 6, 2.4)
        mm = rng.permutation(free)[: ms.sum()]
        multi_of = np.full(nL, -1, np.int64)
        multi_of[mm] = np.repeat(np.arange(len(ms)), ms)
        unit[mm] = mm[np.repeat(np.cumsum(ms) - ms, ms)]
        self.flags[:nL][mm] |= FL["multi"]
        self.country[:nL] = self.country[:nL][unit]
        # one person's accounts: same persona mostly
        persona[mm] = np.where(rng.random(len(mm)) < 0.7, persona[unit[mm]], persona[mm])

        cidx = self.country[:nL].astype(np.int64)
        spread = np.array([c[3] for c in COUNTRIES])[cidx]
        self.tz[:nL] = np.array([c[2] for c in COUNTRIES])[cidx] - np.round(
            (rng.random(nL) * (spread + 1)) - 0.5
        ).astype(np.int64) * 60 * (spread > 0)
        self.tz[:nL] = self.tz[:nL][unit]

        # sign-up times
        self.created[:nL] = self.signup_times(nL, self.ss, self.we, self.tz[:nL], cfg.signup_growth)
        # company seats onboard in waves; multi accounts of one person spread; class later
        cstart = self.signup_times(
            nCo, self.ss, self.we - 20 * DAY, np.zeros(nCo, np.int16), cfg.signup_growth
        )
        ci = np.where(inco)[0]
        wave = rng.random(len(ci)) < 0.6
        off = np.where(
            wave,
            rng.integers(0, 6 * HOUR, len(ci)),
            rng.exponential(60 * DAY, len(ci)).astype(np.int64),
        )
        self.created[ci] = np.minimum(cstart[self.comp_of[ci]] + off, self.we - 1)

        self.persona = persona
        self.inco, self.inu, self.unit, self.hh_of, self.multi_of = inco, inu, unit, hh_of, multi_of
        self.comp_cc, self.uni_cc = comp_cc, uni_cc
        self.log(
            f"legit population: {nL} accounts, {nCo} companies, {len(self.uni_sizes)} universities, "
            f"{len(hs)} households, {len(ms)} multi-account people"
        )

    def build_net(self) -> None:
        """All networks, then IP pools for carriers, VPNs, hosted runners, companies, universities."""
        rng, cfg = self.rng, self.cfg
        net = _Net(rng)
        for org, asn, kind, cc, lg in GLOBAL_NETS:
            net.add(org, asn, kind, cc, lg)
        self.carrier_nets = np.zeros((NC, 2), np.int64)
        self.isp_nets: list[np.ndarray] = []
        self.nren = np.zeros(NC, np.int64)
        for c, cc in enumerate(CC):
            for j, (org, asn) in enumerate(CARRIERS[cc]):
                self.carrier_nets[c, j] = net.add(org, asn, "mobile", cc, 18)
            self.isp_nets.append(np.array([net.add(o, a, "res", cc, 21) for o, a in ISPS[cc]]))
            self.nren[c] = net.add(NREN[cc][0], NREN[cc][1], "edu", cc, 16)
        # big companies have their own AS
        big = np.where(self.comp_sizes >= 300)[0]
        self.comp_name = self.company_names(len(self.comp_sizes))
        self.comp_own_net = np.full(len(self.comp_sizes), -1, np.int64)
        for k, b in enumerate(big):
            self.comp_own_net[b] = net.add(
                f"{self.comp_name[b].upper()}-CORP", 395000 + 7 * k, "corp", CC[self.comp_cc[b]], 12
            )
        net.freeze()
        self.net = net
        self.P = _Pools()
        P = self.P
        # carrier CGNAT pools, sized by expected users
        nL = self.nL
        cidx = self.country[:nL].astype(np.int64)
        mob_share = np.array([c[4] for c in COUNTRIES])
        users = np.bincount(cidx, minlength=NC) * mob_share
        self.cgnat_pool = np.zeros((NC, 2), np.int64)
        self.cgnat_keys: dict[tuple[int, int], np.ndarray] = {}
        for c in range(NC):
            for j, share in enumerate((0.6, 0.4)):
                k = int(max(12, users[c] * share / cfg.cgnat_users_per_ip))
                keys = np.unique(net.v4(rng, np.full(k, self.carrier_nets[c, j])))
                self.cgnat_pool[c, j] = P.one(keys, alpha=1.6)
                self.cgnat_keys[c, j] = keys
        # VPN / relay providers
        vsize = np.array([300, 200, 600, 900, 120, 150]) * max(self.scale, 0.05)
        self.vpn_pool = np.array(
            [
                P.one(np.unique(net.v4(rng, np.full(int(max(20, s)), n))), alpha=1.4)
                for n, s in zip(VPN_NETS, vsize, strict=True)
            ]
        )
        # hosted CI runner pool (shared by thousands of unrelated repos)
        self.runner_pool = P.one(
            np.unique(net.v4(rng, np.full(int(max(40, 1500 * self.scale)), CLOUD_AZURE))), alpha=1.2
        )
        # company egress: own AS, cloud NAT or business line; 1-8 adjacent IPs
        nCo = len(self.comp_sizes)
        n_eg = np.clip(1 + np.floor(np.log2(self.comp_sizes) / 1.5).astype(np.int64), 1, 8)
        where = rng.choice(3, nCo, p=[0.0, 0.45, 0.55])
        where[self.comp_own_net >= 0] = 0
        cloud_choice = rng.choice(
            [CLOUD_AWS, CLOUD_GCP, CLOUD_AZURE, CLOUD_AWS2], nCo, p=[0.45, 0.25, 0.2, 0.1]
        )
        keys = []
        for b in range(nCo):  # loop over companies (groups), a few thousand at most
            if where[b] == 0:
                n_ = int(self.comp_own_net[b])
            elif where[b] == 1:
                n_ = int(cloud_choice[b])
            else:
                isp = self.isp_nets[self.comp_cc[b]]
                n_ = int(isp[rng.integers(0, len(isp))])
            keys.append(net.block(rng, n_, int(n_eg[b])))
        self.comp_pool = P.add(np.concatenate(keys), n_eg, alpha=1.3)
        self.comp_cloud = where == 1
        # university campus NAT: 1-4 adjacent IPs on the country's research network
        nU = len(self.uni_sizes)
        n_u = np.clip(1 + self.uni_sizes // 700, 1, 4)
        ukeys = [net.block(rng, int(self.nren[self.uni_cc[u]]), int(n_u[u])) for u in range(nU)]
        self.uni_pool = P.add(np.concatenate(ukeys), n_u, alpha=1.0)
        self.log(f"networks: {len(net.org)} ASes")

    def company_names(self, n: int) -> np.ndarray:
        rng = self.rng
        a = WORDS[rng.integers(0, len(WORDS), n)]
        b = WORDS[rng.integers(0, len(WORDS), n)]
        name = (a + b).astype(object)
        dup = np.zeros(n, bool)
        _, first = np.unique(name, return_index=True)
        dup[np.setdiff1d(np.arange(n), first)] = True
        name[dup] = name[dup] + np.arange(int(dup.sum())).astype("U")
        return name.astype("U")

    def home_pools(
        self, idx: np.ndarray, cidx: np.ndarray, mobile: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per-account home pool: own residential IP (1-2, dynamic) or the carrier CGNAT pool; + IPv6 pool."""
        rng, net, P = self.rng, self.net, self.P
        n = len(idx)
        home = np.zeros(n, np.int64)
        res = np.where(~mobile)[0]
        nets = np.zeros(len(res), np.int64)
        for c in np.unique(cidx[res]):
            m = cidx[res] == c
            isp = self.isp_nets[c]
            nets[m] = isp[rng.integers(0, len(isp), int(m.sum()))]
        cnt = 1 + (rng.random(len(res)) < 0.35)
        keys = net.v4(rng, np.repeat(nets, cnt))
        home[res] = P.add(keys, cnt, alpha=2.0)
        mob = np.where(mobile)[0]
        carrier = (rng.random(len(mob)) < 0.4).astype(np.int64)
        home[mob] = self.cgnat_pool[cidx[mob], carrier]
        v6 = np.full(n, -1, np.int64)
        mv6 = mob[rng.random(len(mob)) < self.cfg.ipv6_mobile]
        cnt6 = 1 + (rng.random(len(mv6)) < 0.5)
        carr6 = self.carrier_nets[cidx[mv6], (rng.random(len(mv6)) < 0.4).astype(np.int64)]
        v6[mv6] = P.add(net.v6(rng, np.repeat(carr6, cnt6)), cnt6, alpha=1.0)
        return home, v6

    def legit_identity(self) -> None:
        """Networks, devices, e-mails, phones, orgs, payments and activity of legit accounts."""
        cfg, rng, net, P = self.cfg, self.rng, self.net, self.P
        nL = self.nL
        L = np.arange(nL)
        cidx = self.country[:nL].astype(np.int64)
        unit, inco, inu = self.unit, self.inco, self.inu
        persona = self.persona
        # ---- home networks per unit (household / person share)
        is_unit_head = unit == L
        heads = np.where(is_unit_head)[0]
        mob_share = np.array([c[4] for c in COUNTRIES])
        mobile_h = rng.random(len(heads)) < mob_share[cidx[heads]]
        home_h, v6_h = self.home_pools(heads, cidx[heads], mobile_h)
        pos = np.zeros(nL, np.int64)
        pos[heads] = np.arange(len(heads))
        hp = pos[unit]
        home = home_h[hp]
        v6 = v6_h[hp]
        mobile = mobile_h[hp]
        self.flags[:nL][mobile] |= FL["cgnat"]
        vpn = rng.random(nL) < cfg.vpn_share
        vprov = self.vpn_pool[_zipf_pick(rng, nL, len(self.vpn_pool), 0.8)]
        self.flags[:nL][vpn] |= FL["vpn"]

        # ---- request pools: slot0 main, slot1 secondary, slot2 vpn/v6
        p = self.pools[:nL]
        W = np.zeros((nL, 3))
        p[:, 0] = home
        W[:, 0] = 1.0
        has6 = v6 >= 0
        p[has6, 1] = v6[has6]
        W[has6, 1] = 0.8
        p[vpn, 2] = vprov[vpn]
        W[vpn, 2] = 0.7
        # company seats: company egress main, home secondary (remote work)
        ci = np.where(inco)[0]
        p[ci, 1] = home[ci]
        p[ci, 0] = self.comp_pool[self.comp_of[ci]]
        W[ci, 0] = 0.72
        W[ci, 1] = 0.2
        W[ci, 2] *= 0.1
        # students: campus NAT main, home secondary
        ui = np.where(inu)[0]
        p[ui, 1] = home[ui]
        p[ui, 0] = self.uni_pool[self.uni_of[ui]]
        W[ui, 0] = 0.55
        W[ui, 1] = 0.4
        W[ui, 2] *= 0.1
        sp = p[:, 0].copy()  # sign-up pool

        # ---- devices and user agents
        dev = _ids(rng, nL, "", 16).astype(object)
        self.ua[:nL] = self.uas(nL, np.where(mobile, 0.75, 0.15))
        share_dev = ((self.hh_of >= 0) & (rng.random(nL) < cfg.household_device)) | (
            (self.multi_of >= 0) & (rng.random(nL) < 0.8)
        )
        dev[share_dev] = dev[unit[share_dev]]
        self.ua[:nL][share_dev] = self.ua[:nL][unit[share_dev]]
        nCo = len(self.comp_sizes)
        image = rng.random(nCo) < cfg.company_device_image
        image[self.comp_sizes < 5] = False
        img_dev = _ids(rng, nCo, "", 16)
        img_ua = rng.choice([0, 1, 6], nCo)
        im = np.where(inco & image[np.maximum(self.comp_of, 0)])[0]
        dev[im] = img_dev[self.comp_of[im]]
        self.ua[im] = img_ua[self.comp_of[im]]
        self.flags[im] |= FL["device_image"]

        # ---- e-mails
        em = self.emails(cidx).astype(object)
        dom_co = np.char.add(self.comp_name, np.where(rng.random(nCo) < 0.7, ".com", ".io"))
        work = inco & (rng.random(nL) < 0.92)
        em[work] = self.locals_(int(work.sum())) + "@" + dom_co[self.comp_of[work]]
        nU = len(self.uni_sizes)
        uni_name = np.char.add(WORDS[rng.integers(0, len(WORDS), nU)], "u")
        uni_dom = uni_name + "." + np.array([EDU_SUFFIX[CC[c]] for c in self.uni_cc])
        edu = inu & (rng.random(nL) < 0.75)
        em[edu] = self.locals_(int(edu.sum())) + "@" + uni_dom[self.uni_of[edu]]
        # a person's several accounts: the same mailbox with +tags / dots, or numbered
        mi = np.where((self.multi_of >= 0) & ~is_unit_head)[0]
        head_mail = em[unit[mi]].astype("U")
        lp = np.char.partition(head_mail, "@")
        kind = rng.choice(3, len(mi), p=[0.4, 0.25, 0.35])
        tag = np.array(["work", "dev", "test", "api", "2", "alt"])[rng.integers(0, 6, len(mi))]
        alt_dom = WEBMAIL[rng.choice(len(WEBMAIL), len(mi), p=WEBMAIL_P)]
        em[mi] = np.where(
            kind == 0,
            lp[:, 0] + "+" + tag + "@" + lp[:, 2],
            np.where(
                kind == 1,
                lp[:, 0] + rng.integers(2, 9, len(mi)).astype("U") + "@" + lp[:, 2],
                lp[:, 0] + "@" + alt_dom,
            ),
        )
        disp = rng.random(nL) < 0.003
        em[disp] = (
            self.locals_(int(disp.sum()))
            + "@"
            + DISPOSABLE[rng.integers(0, len(DISPOSABLE), int(disp.sum()))]
        )
        self.email[:nL] = em

        # ---- phones
        ph = self.phones(cidx)
        given = rng.random(nL) < cfg.phone_given
        ph[~given] = None
        share_ph = ((self.multi_of >= 0) & (rng.random(nL) < 0.7)) | (
            (self.hh_of >= 0) & (rng.random(nL) < 0.2)
        )
        ph[share_ph] = ph[unit[share_ph]]
        sw = inco & (rng.random(nL) < 0.08)
        ph_co = self.phones(self.comp_cc)
        ph[sw] = ph_co[self.comp_of[sw]]
        self.phone[:nL] = ph

        # ---- orgs
        org = np.where(
            rng.random(nL) < cfg.personal_org_share, np.char.add("org-", _hex(rng, nL, 10)), None
        )
        org = org.astype(object)
        comp_org = np.char.add("org-", _hex(rng, nCo, 10))
        org[ci] = comp_org[self.comp_of[ci]]
        uni_org = np.char.add("org-", _hex(rng, nU, 10))
        uo = inu & (rng.random(nL) < 0.6)
        org[uo] = uni_org[self.uni_of[uo]]
        self.org[:nL] = org
        self.comp_org, self.uni_org, self.uni_dom, self.dom_co = comp_org, uni_org, uni_dom, dom_co

        # ---- cafés / co-working (per country), classes and hackathons, resellers
        cafe_cult = np.array([c[8] for c in COUNTRIES])
        ncafe_m = 0
        for c in range(NC):
            cand = np.where((cidx == c) & ~inco)[0]
            tot = int(cfg.cafe_share * (cafe_cult[c] / 0.25) * len(cand))
            sz = _sizes(rng, tot, 10, 400, 1.9)
            if not len(sz):
                continue
            mem = rng.permutation(cand)[: sz.sum()]
            gid = np.repeat(np.arange(len(sz)), sz)
            isp = self.isp_nets[c]
            ip = net.v4(rng, isp[rng.integers(0, len(isp), len(sz))])
            pid = P.add(ip, np.ones(len(sz), np.int64))
            npc = np.clip(sz // 8, 2, 30)
            pcs = _ids(rng, int(npc.sum()), "", 16)
            pc_off = np.cumsum(npc) - npc
            p[mem, 2] = pid[gid]
            W[mem, 2] = 0.5
            at = rng.random(len(mem)) < 0.5
            sp[mem[at]] = pid[gid[at]]
            dev[mem[at]] = pcs[pc_off[gid[at]] + rng.integers(0, npc[gid[at]])]
            self.flags[mem] |= FL["cafe"]
            ncafe_m += len(mem)
        self.email[:nL] = em
        # classes: inside each university, plus hackathons anywhere
        cls_of = np.full(nL, -1, np.int64)
        cls_list = []  # (members, country)
        for u in range(nU):  # loop over universities
            mem_u = np.where(self.uni_of == u)[0]
            sz = _sizes(rng, int(cfg.class_share * len(mem_u)), 15, 300, 2.0)
            if not len(sz):
                continue
            mem = rng.permutation(mem_u)[: sz.sum()]
            for g, part in enumerate(np.split(mem, np.cumsum(sz)[:-1])):
                cls_list.append((part, int(self.uni_cc[u]), int(self.uni_pool[u]), g % 3 == 0))
        hk = _sizes(rng, int(cfg.hackathon_share * nL), 30, 500, 1.8)
        cand = np.where(~inco & (cls_of < 0) & (self.multi_of < 0))[0]
        hm = rng.permutation(cand)[: hk.sum()]
        for part in np.split(hm, np.cumsum(hk)[:-1]):
            hcc = int(cidx[part[0]])
            isp = self.isp_nets[hcc]
            pid = P.one(net.block(rng, int(isp[0]), 2))
            cls_list.append((part, hcc, pid, True))
        ncls = len(cls_list)
        cls_tpl = self.tpl(2 * max(ncls, 1))
        hack_org = np.char.add("org-", _hex(rng, max(ncls, 1), 10))
        cls_inwin = np.zeros(nL, bool)
        for g, (part, hcc, pid, lab) in enumerate(cls_list):  # loop over class events
            cls_of[part] = g
            in_window = rng.random() < 0.35
            cls_inwin[part] = in_window
            t0 = (
                self.ws + int(rng.integers(0, self.ndays - 1)) * DAY
                if in_window
                else self.ss + int(rng.integers(0, (self.ws - self.ss) // DAY)) * DAY
            )
            t0 += int((10 + rng.integers(0, 8)) * HOUR - COUNTRIES[hcc][2] * 60)
            self.country[part] = hcc
            self.created[part] = t0 + rng.integers(0, 50 * 60, len(part))
            sp[part] = pid
            p[part, 2] = pid
            W[part, 2] = 0.6
            self.tz[part] = COUNTRIES[hcc][2]
            if lab:
                labs = _ids(rng, max(2, len(part) // 10), "", 16)
                dev[part] = labs[rng.integers(0, len(labs), len(part))]
            hack = self.uni_of[part[0]] < 0
            if hack and rng.random() < 0.5:
                org[part] = hack_org[g]
            self.grp_off[part] = cls_tpl + 2 * g
            self.grp_cnt[part] = 1 + int(hack)
            day = (t0 - self.ws) // DAY
            if in_window:
                self.d0[part] = day
                self.d1[part] = np.minimum(
                    day + rng.exponential(3, len(part)).astype(np.int64), self.ndays - 1
                )
                self.active[part] = rng.random(len(part)) < 0.85
        self.flags[:nL][cls_of >= 0] |= FL["class"]
        self.org[:nL] = org
        self.cls_of, self.cls_inwin = cls_of, cls_inwin
        self.pool_cum[:nL] = np.cumsum(W / W.sum(1, keepdims=True), axis=1)
        # resellers: one reseller card paying for strangers' accounts
        res_of = np.full(nL, -1, np.int64)
        res_cards = []
        nres = 0
        for c in [CIDX[x] for x in ("NG", "PK", "EG", "VN", "ID", "PH", "IN", "BR")]:
            cand = np.where((cidx == c) & ~inco & ~inu & (self.hh_of < 0) & (self.multi_of < 0))[0]
            sz = _sizes(rng, int(cfg.reseller_share * 3 * len(cand)), 10, 300, 1.9)
            if not len(sz):
                continue
            mem = rng.permutation(cand)[: sz.sum()]
            gid = np.repeat(np.arange(len(sz)), sz) + nres
            res_of[mem] = gid
            nres += len(sz)
            isp = self.isp_nets[c]
            shop = P.add(
                net.v4(rng, isp[rng.integers(0, len(isp), len(sz))]), np.ones(len(sz), np.int64)
            )
            at = rng.random(len(mem)) < 0.4
            sp[mem[at]] = shop[gid[at] - gid.min()]
            b = self.BIN_GLOBAL[rng.integers(0, len(self.BIN_GLOBAL), len(sz))]
            b = np.where(rng.random(len(sz)) < 0.5, c * 5 + 3, b)
            res_cards.append(self.add_cards(b, self.postal(np.full(len(sz), c))))
        self.flags[:nL][res_of >= 0] |= FL["reseller"]
        self.device[:nL] = dev
        self.signup_pool[:nL] = sp
        self.res_of = res_of

        # ---- payments
        paid_p = np.array(
            [cfg.paid_casual, cfg.paid_dev, cfg.paid_agent, 0.7, 0, cfg.paid_student]
        )[persona]
        paid = rng.random(nL) < paid_p
        card = np.full(nL, -1, np.int64)
        # corporate: shared corporate card, or one corporate card per seat
        shared = rng.random(nCo) < cfg.company_shared_card
        cc_bin = np.array([c * 5 + 4 for c in self.comp_cc])
        co_card = self.add_cards(cc_bin, self.postal(self.comp_cc))
        sc = np.where(inco & shared[np.maximum(self.comp_of, 0)])[0]
        card[sc] = co_card[self.comp_of[sc]]
        self.flags[sc] |= FL["corp_card"]
        own = np.where(inco & ~shared[np.maximum(self.comp_of, 0)] & (rng.random(nL) < 0.6))[0]
        card[own] = self.add_cards(
            np.array([c * 5 + 4 for c in self.comp_cc[self.comp_of[own]]]), self.postal(cidx[own])
        )
        # personal cards; household / one person share
        pi = np.where(~inco & paid & (res_of < 0))[0]
        bins = self.pick_bin(cidx[pi])
        card[pi] = self.add_cards(bins, self.postal(cidx[pi]))
        hh_share = (self.hh_of >= 0) & (rng.random(nL) < cfg.household_card) & paid
        mul_share = (self.multi_of >= 0) & (rng.random(nL) < 0.75) & paid
        sh = np.where((hh_share | mul_share) & (card[unit] >= 0))[0]
        card[sh] = card[unit[sh]]
        ri = np.where(res_of >= 0)[0]
        if len(ri):
            rc = np.concatenate(res_cards)
            card[ri] = rc[res_of[ri]]
        qa = np.where(card >= 0)[0]
        delay = np.where(
            inco[qa],
            rng.integers(0, 2 * HOUR, len(qa)),
            rng.exponential(6 * DAY, len(qa)).astype(np.int64),
        )
        self.pay(qa, card[qa], np.minimum(self.created[qa] + delay, self.we - 1))
        sec = qa[(rng.random(len(qa)) < cfg.second_card) & ~inco[qa]]
        c2 = self.add_cards(self.pick_bin(cidx[sec]), self.postal(cidx[sec]))
        self.pay(
            sec,
            c2,
            np.minimum(
                self.created[sec] + rng.exponential(60 * DAY, len(sec)).astype(np.int64),
                self.we - 1,
            ),
        )
        allbins = np.concatenate(self.card_bin)
        pre_acct = np.zeros(nL, bool)
        pre_acct[qa] = self.BIN_PREPAIDISH[allbins[card[qa]]]
        pre_acct[sec] |= self.BIN_PREPAIDISH[allbins[c2]]
        self.flags[:nL][pre_acct] |= FL["prepaid_bin"]

        # ---- activity
        self.legit_activity()
        self.log(f"legit identities done (cafés {ncafe_m}, classes {ncls}, resellers {nres})")

    def legit_activity(self) -> None:
        cfg, rng, P = self.cfg, self.rng, self.P
        nL = self.nL
        persona = self.persona
        act_p = np.array(
            [
                cfg.active_casual,
                cfg.active_dev,
                cfg.active_agent,
                0.95,
                cfg.active_worker,
                cfg.active_student,
            ]
        )[persona]
        self.active[:nL] |= rng.random(nL) < act_p
        med = np.array(
            [cfg.exch_casual, cfg.exch_dev, cfg.exch_agent, 1, cfg.exch_worker, cfg.exch_student]
        )
        self.exch[:nL] = med[persona] * np.exp(rng.normal(0, cfg.exch_sigma, nL))
        self.capmix[:nL] = np.array([0, 1, 2, 3, 4, 5])[persona]
        self.prof[:nL] = np.array([P_CASUAL, P_DEV, P_DEV, P_DEV, P_BUSINESS, P_CASUAL])[persona]
        self.wk[:nL] = np.array([0.9, 0.5, 0.6, 1, 0.15, 0.6])[persona]
        src = np.array(
            [
                [0.45, 0.20, 0.33, 0.02, 0, 0],
                [0.20, 0.45, 0.25, 0.10, 0, 0],
                [0.05, 0.15, 0.10, 0.70, 0, 0],
                [0, 0.30, 0, 0, 0, 0.70],
                [0.25, 0.20, 0.20, 0.05, 0.30, 0],
                [0.25, 0.25, 0.30, 0.05, 0.15, 0],
            ],
            np.float32,
        )
        self.src[:nL] = src[persona]
        cm = np.where(self.cls_of >= 0)[0]
        self.src[cm] = np.array([0.15, 0.2, 0.2, 0.05, 0.4, 0], np.float32)
        self.n_pers[:nL] = rng.integers(1, 4, nL)
        self.agent_tpl[:nL] = PUB_AGENT[_zipf_pick(rng, nL, len(PUB_AGENT), 1.2)]
        self.flags[:nL][persona == 2] |= FL["popular_template"]
        self.n_keys[:nL] = 1 + (rng.random(nL) < 0.3) + (rng.random(nL) < 0.1)
        self.sdk[:nL] = rng.choice(len(SDK_UA), nL, p=SDK_P)
        # company templates: 1-5 shared internal prompts, company CI template
        nCo = len(self.comp_sizes)
        ntc = rng.integers(1, 6, nCo)
        toff = self.tpl(int(ntc.sum())) + np.cumsum(ntc) - ntc
        ci_tpl = self.tpl(nCo) + np.arange(nCo)
        ci = np.where(self.inco)[0]
        self.grp_off[ci] = toff[self.comp_of[ci]]
        self.grp_cnt[ci] = ntc[self.comp_of[ci]]
        # active span
        full_p = np.array([0.35, 0.6, 0.7, 0.9, 0.8, 0.3])[persona]
        cday = np.clip((self.created[:nL] - self.ws) // DAY, 0, None)
        part = (rng.random(nL) >= full_p) & ~self.cls_inwin
        d0 = np.where(part, rng.integers(0, self.ndays, nL), 0)
        ln = 1 + rng.exponential(10, nL).astype(np.int64)
        d1 = np.where(part, np.minimum(d0 + ln, self.ndays - 1), self.ndays - 1)
        keep = self.cls_inwin
        d0 = np.where(keep, self.d0[:nL], d0)
        d1 = np.where(keep, self.d1[:nL], d1)
        d0 = np.maximum(d0, cday)
        late = cday >= self.ndays
        self.active[:nL][late] = False
        self.d0[:nL] = np.minimum(d0, self.ndays - 1)
        self.d1[:nL] = np.maximum(d1, self.d0[:nL])
        # automation: cron at fixed minutes; hosted runners share IPs and a public CI template
        au = np.where(persona == 3)[0]
        self.mode[au] = M_CRON
        self.flags[au] |= FL["automation"]
        self.runs[au] = rng.choice([1, 2, 4, 24], len(au), p=[0.6, 0.15, 0.15, 0.1])
        hr = rng.choice([0, 2, 3, 6, 9, 12, 18], len(au), p=[0.35, 0.15, 0.1, 0.15, 0.1, 0.1, 0.05])
        local9 = rng.random(len(au)) < 0.2
        hr = np.where(local9, (9 - self.tz[au] // 60) % 24, hr)
        self.p1[au] = hr
        self.p2[au] = rng.choice([0, 30, 15, 45, 5], len(au), p=[0.6, 0.15, 0.1, 0.05, 0.1])
        calls = np.maximum(1, np.round(12 * np.exp(rng.normal(0, 1.0, len(au)))))
        self.exch[au] = calls  # per run
        self.d0[au] = np.minimum(
            np.maximum(cday[au], rng.integers(0, 10, len(au)) * (rng.random(len(au)) < 0.3)),
            self.ndays - 1,
        )
        self.d1[au] = self.ndays - 1
        co_au = au[self.inco[au]]
        self.grp2[co_au] = ci_tpl[self.comp_of[co_au]]
        self.src[co_au] = np.array([0, 0.1, 0, 0, 0.2, 0.7], np.float32)
        self.p1[co_au] = (
            2 + self.comp_of[co_au] % 3
        )  # the company's nightly job, same minute for all
        self.p2[co_au] = 0
        pa_ = au[~self.inco[au]]
        runner = pa_[rng.random(len(pa_)) < self.cfg.hosted_runner_share]
        self.grp2[pa_] = PUB_CI[_zipf_pick(rng, len(pa_), len(PUB_CI), 1.0)]
        self.flags[pa_] |= FL["popular_template"]
        self.pools[runner, 0] = self.runner_pool
        self.pool_cum[runner] = np.array([1, 1, 1], np.float32)
        ded = np.setdiff1d(pa_, runner)
        cl = rng.choice(
            [CLOUD_AWS, CLOUD_GCP, H_DO, H_HETZNER, H_LINODE],
            len(ded),
            p=[0.4, 0.2, 0.15, 0.15, 0.1],
        )
        self.pools[ded, 1] = P.add(self.net.v4(rng, cl), np.ones(len(ded), np.int64))
        self.pool_cum[ded] = np.array([0.05, 1, 1], np.float32)
        # returning users: old sign-up, dormant, active again in the window
        old = np.where(
            (self.created[:nL] < self.ws - 150 * DAY) & self.active[:nL] & (persona != 3)
        )[0]
        ret = old[rng.random(len(old)) < cfg.returning_share / max(len(old) / nL, 1e-9)]
        self.flags[ret] |= FL["returning"]
        self.early_span[:nL] = np.maximum(self.ws - self.created[:nL], 0)
        self.early_span[ret] = 25 * DAY
        dormant = ~self.active[:nL]
        self.early_span[:nL][dormant] = np.minimum(self.early_span[:nL][dormant], 40 * DAY)
        self.early_n[:nL] = rng.poisson(np.where(dormant, 1.5, 3.0))
        self.late_n[:nL] = np.where(
            self.active[:nL], rng.poisson(np.array([3, 4, 2, 0.3, 6, 3])[persona]), 0
        )

    def internal_tests(self) -> None:
        """Platform QA accounts: allow-listed, share an office IP, a device image and a test card."""
        rng, P, net = self.rng, self.P, self.net
        k = min(self.cfg.internal_test_accounts, self.nL // 100)
        idx = rng.choice(
            np.where((self.flags[: self.nL] == 0) | (self.flags[: self.nL] == FL["cgnat"]))[0],
            k,
            replace=False,
        )
        self.flags[idx] = FL["internal_test"]
        office = net.block(rng, NET_INTERNAL, 4)
        pid = P.one(office)
        self.pools[idx] = -1
        self.pools[idx, 0] = pid
        self.pool_cum[idx] = 1.0
        self.signup_pool[idx] = pid
        qa_dev = _hex(rng, 1, 16)[0]
        self.device[idx] = qa_dev
        self.country[idx] = CIDX["US"]
        self.tz[idx] = -420
        self.email[idx] = np.char.add(
            np.char.add("qa-bot", np.arange(k).astype("U")), "@platform-qa.dev"
        )
        self.org[idx] = "org-platformqa0001"
        self.phone[idx] = None
        card = self.add_cards(np.array([self.BIN_GLOBAL[1]]), np.array(["94107"], dtype=object))
        self.pay(idx, np.repeat(card, k), self.created[idx] + HOUR)
        self.active[idx] = True
        self.mode[idx] = M_CRON
        self.runs[idx] = 4
        self.p1[idx] = 1
        self.p2[idx] = 0
        self.exch[idx] = 30
        self.capmix[idx] = 3
        self.src[idx] = np.array([0, 0, 0.5, 0.5, 0, 0], np.float32)
        self.d0[idx] = 0
        self.d1[idx] = self.ndays - 1
        self.allow += [
            ("account_id", f"#{i}", "platform QA / synthetic monitoring account") for i in idx
        ]
        self.allow += [
            ("ip", f"@{int(office[0])}", "platform office egress"),
            ("device_id", qa_dev, "QA test-runner image"),
            ("org_id", "org-platformqa0001", "platform QA workspace"),
            ("card_fingerprint", f"%{int(card[0])}", "platform QA test card"),
            ("asn", str(GLOBAL_NETS[NET_INTERNAL][1]), "platform corporate network"),
        ]

    # ---------------------------------------------------------------- fraud
    def fraud(self) -> None:
        cfg, rng = self.cfg, self.rng
        lo = self.nL
        self.ring_names: list[str] = []
        self.ring_style: list[str] = []
        self.ring_camp: list[int] = []
        camp_state: dict[int, dict] = {}
        for ri, r in enumerate(self.rings):  # loop over rings
            n = r["n"]
            idx = np.arange(lo, lo + n)
            lo += n
            ci = r["campaign"]
            st = r["style"]
            self.ring[idx] = ri
            self.ring_names.append(r["ring"])
            self.ring_style.append("stealth" if st == "stealth_mobile" else st)
            self.ring_camp.append(ci)
            if ci not in camp_state:
                camp_state[ci] = self.campaign_infra(r)
            cs = camp_state[ci]
            ctry_k = list(r["ctry"])
            ctry_p = np.array([r["ctry"][k] for k in ctry_k])
            cidx = np.array([CIDX[k] for k in ctry_k])[
                rng.choice(len(ctry_k), n, p=ctry_p / ctry_p.sum())
            ]
            self.country[idx] = cidx
            self.tz[idx] = np.array([c[2] for c in COUNTRIES])[cidx]
            # ring start day (staggered waves), possible early retirement
            start = int(rng.integers(0, 18)) if st not in ("lowslow",) else int(rng.integers(0, 5))
            end = (
                self.ndays - 1 if rng.random() < 0.7 else int(rng.integers(start + 15, self.ndays))
            )
            self.active[idx] = True
            self.mode[idx] = M_SHIFT if r["shl"] < 24 else M_CONST
            self.p1[idx] = (r["sh0"] + rng.integers(-1, 2)) % 24
            self.p2[idx] = r["shl"]
            self.wk[idx] = r["wk"]
            self.capmix[idx] = {"lowslow": 7, "nightshift": 8}.get(st, 6)
            self.out_mult[idx] = 1.6
            self.in_mult[idx] = 0.8
            e = r["exch"] * rng.lognormal(-0.1, 0.45, n)
            self.exch[idx] = e
            # ring templates (variants), campaign base template, a public agent tool sometimes
            ntpl = {
                "stealth": 12,
                "stealth_mobile": 8,
                "clear": 3,
                "aged": 8,
                "orgs": 10,
                "nightshift": 5,
                "lowslow": 30,
            }[st]
            self.grp_off[idx] = self.tpl(ntpl)
            self.grp_cnt[idx] = ntpl
            self.grp2[idx] = cs["base_tpl"]
            self.agent_tpl[idx] = cs["agent_tpl"]
            self.src[idx] = np.array(
                {
                    "stealth": [0.02, 0, 0.08, 0.15, 0.65, 0.10],
                    "stealth_mobile": [0.02, 0, 0.08, 0.15, 0.65, 0.10],
                    "aged": [0.05, 0, 0.05, 0.10, 0.65, 0.15],
                    "orgs": [0, 0, 0.05, 0.2, 0.6, 0.15],
                    "clear": [0, 0, 0.05, 0, 0.9, 0.05],
                    "nightshift": [0.05, 0, 0.1, 0.1, 0.65, 0.1],
                    "lowslow": [0.1, 0.1, 0.15, 0.15, 0.45, 0.05],
                }[st],
                np.float32,
            )
            self.n_pers[idx] = 1
            self.n_keys[idx] = 1 + (rng.random(n) < 0.2)
            self.sdk[idx] = cs["sdk"][rng.integers(0, len(cs["sdk"]), n)]
            self.early_n[idx] = rng.poisson(0.5, n)
            self.late_n[idx] = rng.poisson(2, n)
            self.early_span[idx] = 3 * DAY
            # identities
            self.email[idx] = self.emails(cidx)
            self.phone[idx] = None
            self.device[idx] = _ids(rng, n, "", 16)
            self.ua[idx] = UA_ANTIDETECT[rng.integers(0, len(UA_ANTIDETECT), n)]
            self.org[idx] = np.where(
                rng.random(n) < 0.85, np.char.add("org-", _hex(rng, n, 10)), None
            )
            getattr(self, "ring_" + ("stealth" if st == "stealth_mobile" else st))(
                idx, r, cs, start, end, cidx
            )
            # slips: admin device, operator DC IP at sign-up, card reused from another ring
            slip = idx[rng.random(n) < cfg.slip_rate]
            if len(slip) and st not in ("clear",):
                kind = rng.integers(0, 3, len(slip))
                a = slip[kind == 0]
                self.device[a] = cs["admin_dev"][rng.integers(0, len(cs["admin_dev"]), len(a))]
                b = slip[kind == 1]
                self.signup_pool[b] = cs["dc_pool"]
                c = slip[kind == 2]
                self.pay(
                    c,
                    cs["reuse_cards"][rng.integers(0, len(cs["reuse_cards"]), len(c))],
                    self.created[c] + rng.integers(60, 3 * HOUR, len(c)),
                )
            self.d0[idx] = np.clip(
                np.maximum(self.d0[idx], (self.created[idx] - self.ws) // DAY), 0, self.ndays - 1
            )
            self.d1[idx] = np.maximum(self.d1[idx], self.d0[idx])
        self.camp_state = camp_state

    def campaign_infra(self, r: dict) -> dict:
        """What an operator reuses across its rings."""
        rng, net, P = self.rng, self.net, self.P
        op = r["op"]
        cs: dict = {}
        cs["base_tpl"] = self.tpl(1)
        cs["agent_tpl"] = int(PUB_AGENT[rng.integers(0, 6)])
        cs["sdk"] = rng.choice(len(SDK_UA), 2, replace=False, p=SDK_P)
        cs["admin_dev"] = _hex(rng, 3, 16)
        dc_net = {
            "hydra": H_HETZNER,
            "bulkfarm": H_DO,
            "nocturne": H_VULTR,
            "drip": H_LINODE,
            "attic": H_OVH,
        }[op]
        cs["dc_net"] = dc_net
        cs["dc_pool"] = P.one(net.block(rng, dc_net, 4))
        # residential proxy provider: exits on residential (and some mobile) networks of target countries
        tot = max(400, int(sum(x["n"] for x in self.rings if x["op"] == op) * 1.5))
        cs["proxy_keys"] = self.proxy_exits(tot, list(r["ctry"]) + ["US", "BR", "IN", "ID", "DE"])
        cs["bins"] = {
            "hydra": self.BIN_GLOBAL[[0, 1, 3]],
            "bulkfarm": self.BIN_GLOBAL[[0]],
            "nocturne": np.array([CIDX[c] * 5 + 3 for c in ("BR", "MX", "CO", "AR")]),
            "drip": np.array([CIDX["US"] * 5 + 2, CIDX["US"] * 5 + 0]),
            "attic": self.BIN_GLOBAL[[2, 3]],
        }[op]
        cs["postals"] = np.array(["10001", "94105", "60601", "33101"], dtype=object)
        cs["reuse_cards"] = self.add_cards(
            cs["bins"][rng.integers(0, len(cs["bins"]), 5)],
            np.array(rng.choice(cs["postals"], 5), dtype=object),
        )
        cs["voip"] = self.phones(np.full(max(20, int(tot / 8)), CIDX["US"]))
        return cs

    def proxy_exits(self, n: int, ccs: list[str]) -> np.ndarray:
        rng = self.rng
        cidx = np.array([CIDX[c] for c in ccs if c in CIDX])[rng.integers(0, len(ccs), n)]
        nets = np.zeros(n, np.int64)
        mob = rng.random(n) < 0.15
        for c in np.unique(cidx):
            m = cidx == c
            isp = self.isp_nets[c]
            nets[m] = isp[rng.integers(0, len(isp), int(m.sum()))]
            mm = m & mob
            nets[mm] = self.carrier_nets[c, rng.integers(0, 2, int(mm.sum()))]
        return np.unique(self.net.v4(rng, nets))

    def fresh_cards(
        self,
        idx: np.ndarray,
        bins: np.ndarray,
        postals: np.ndarray,
        t: np.ndarray,
        op_postal: float = 0.35,
    ) -> None:
        rng = self.rng
        n = len(idx)
        pst = self.postal(self.country[idx].astype(np.int64))
        o = rng.random(n) < op_postal
        pst[o] = postals[rng.integers(0, len(postals), int(o.sum()))]
        c = self.add_cards(bins[rng.integers(0, len(bins), n)], pst)
        self.pay(idx, c, t)

    def shift_times(self, n: int, lo: int, hi: int, sh0: int, shl: int) -> np.ndarray:
        rng = self.rng
        day = lo + np.floor(rng.random(n) * max(hi - lo, DAY) / DAY).astype(np.int64) * DAY
        hr = (sh0 + np.floor(rng.random(n) * shl).astype(np.int64)) % 24
        return day + hr * HOUR + rng.integers(0, HOUR, n)

    def ring_stealth(self, idx, r, cs, start, end, cidx) -> None:
        rng, P = self.rng, self.P
        n = len(idx)
        # sign-ups paced over the weeks before the ring starts, in shift hours
        self.created[idx] = np.sort(
            self.shift_times(
                n, self.ws + (start - 40) * DAY, self.ws + start * DAY, r["sh0"], r["shl"]
            )
        )
        self.d0[idx] = start + rng.integers(0, 3, n)
        self.d1[idx] = end
        if r["style"] == "stealth_mobile":
            cc = [CIDX[c] for c in ("ID", "PH", "IN", "BR")]
            keys = np.concatenate([self.cgnat_keys[c, j] for c in cc for j in (0, 1)])
            pool = P.one(rng.permutation(keys), alpha=1.2)
        else:
            pk = cs["proxy_keys"]
            pool = P.one(
                rng.choice(pk, max(50, int(n * 0.8)), replace=len(pk) < n * 0.8), alpha=1.1
            )
        self.pools[idx, 0] = pool
        self.pools[idx, 1] = cs["dc_pool"]
        self.pool_cum[idx] = np.array([0.997, 1, 1], np.float32)
        self.signup_pool[idx] = pool
        # fresh virtual cards on the campaign BINs, added minutes after sign-up
        paid = idx[rng.random(n) < 0.92]
        self.fresh_cards(
            paid,
            cs["bins"],
            cs["postals"],
            self.created[paid] + rng.integers(60, 25 * 60, len(paid)),
        )
        # phones from an SMS-activation service (numbers recycled a few times)
        ph = idx[rng.random(n) < 0.4]
        self.phone[ph] = cs["voip"][rng.integers(0, len(cs["voip"]), len(ph))]
        # some rings register a catch-all domain
        if rng.random() < 0.5:
            doms = np.char.add(
                WORDS[rng.integers(0, len(WORDS), 2)], np.array(["mail.com", "box.net"])
            )
            cat = idx[rng.random(n) < 0.6]
            self.email[cat] = self.locals_(len(cat)) + "@" + doms[rng.integers(0, 2, len(cat))]

    def ring_aged(self, idx, r, cs, start, end, cidx) -> None:
        """Bought accounts: ordinary sign-ups months ago, dormant, switched on together."""
        rng, P = self.rng, self.P
        n = len(idx)
        # the original owners: diverse countries, ordinary networks, devices, UAs, mail
        w = np.array([c[1] for c in COUNTRIES])
        oc = rng.choice(NC, n, p=w / w.sum())
        self.country[idx] = oc
        self.tz[idx] = np.array([c[2] for c in COUNTRIES])[oc]
        self.created[idx] = self.signup_times(
            n, self.ss + 10 * DAY, self.ws - 140 * DAY, self.tz[idx]
        )
        mob = rng.random(n) < np.array([c[4] for c in COUNTRIES])[oc]
        home, _ = self.home_pools(idx, oc, mob)
        self.signup_pool[idx] = home
        self.ua[idx] = self.uas(n, np.where(mob, 0.75, 0.15))
        self.email[idx] = self.emails(oc)
        ph = rng.random(n) < 0.5
        self.phone[idx[ph]] = self.phones(oc[ph])
        self.early_n[idx] = rng.poisson(2.0, n)
        self.early_span[idx] = 20 * DAY
        old = idx[rng.random(n) < 0.2]
        self.pay(
            old,
            self.add_cards(
                self.pick_bin(self.country[old].astype(np.int64)),
                self.postal(self.country[old].astype(np.int64)),
            ),
            self.created[old] + rng.exponential(3 * DAY, len(old)).astype(np.int64),
        )
        # activation wave: 2 days; the operator's proxies / hosting, new cards
        self.d0[idx] = start + rng.integers(0, 2, n)
        self.d1[idx] = end
        if r["op"] == "attic":
            pool = P.one(
                np.unique(self.net.v4(rng, np.full(max(30, n // 15), cs["dc_net"]))), alpha=1.3
            )
        else:
            pk = cs["proxy_keys"]
            pool = P.one(
                rng.choice(pk, max(50, int(n * 0.8)), replace=len(pk) < n * 0.8), alpha=1.1
            )
        self.pools[idx, 0] = pool
        self.pools[idx, 1] = cs["dc_pool"]
        self.pool_cum[idx] = np.array([0.995, 1, 1], np.float32)
        self.late_n[idx] = 1 + rng.poisson(2, n)
        t = (
            self.ws
            + self.d0[idx].astype(np.int64) * DAY
            + (r["sh0"] + rng.integers(0, r["shl"], n)) * HOUR
        )
        paid = rng.random(n) < 0.85
        self.fresh_cards(idx[paid], cs["bins"], cs["postals"], t[paid], op_postal=0.2)

    def ring_orgs(self, idx, r, cs, start, end, cidx) -> None:
        """Spread over many small fake orgs: own domain, card and cloud egress IP per org."""
        rng, P, net = self.rng, self.P, self.net
        n = len(idx)
        sz = _sizes(rng, n, 3, 8, 2.5)
        no = len(sz)
        g = np.repeat(np.arange(no), sz)
        g = rng.permutation(g)
        o_t = self.shift_times(
            no, self.ws + (start - 21) * DAY, self.ws + start * DAY, r["sh0"], r["shl"]
        )
        self.created[idx] = o_t[g] + rng.integers(0, 40 * 60, n)
        names = self.company_names(no)
        doms = np.char.add(names, np.array([".io", ".dev", ".ai", ".tech"])[rng.integers(0, 4, no)])
        self.email[idx] = self.locals_(n) + "@" + doms[g]
        self.org[idx] = np.char.add("org-", _hex(rng, no, 10))[g]
        cl = rng.choice([CLOUD_AWS, CLOUD_GCP, CLOUD_AWS2], no)
        eg = P.add(net.v4(rng, cl), np.ones(no, np.int64))
        pk = cs["proxy_keys"]
        pool = P.one(rng.choice(pk, max(50, n // 2), replace=len(pk) < n // 2), alpha=1.1)
        self.pools[idx, 0] = eg[g]
        self.pools[idx, 1] = pool
        self.pools[idx, 2] = cs["dc_pool"]
        self.pool_cum[idx] = np.array([0.85, 0.997, 1], np.float32)
        self.signup_pool[idx] = eg[g]
        card = self.add_cards(
            cs["bins"][rng.integers(0, len(cs["bins"]), no)], self.postal(np.full(no, CIDX["US"]))
        )
        self.pay(idx, card[g], self.created[idx] + rng.integers(5 * 60, 2 * HOUR, n))
        ph = idx[rng.random(n) < 0.3]
        self.phone[ph] = self.phones(self.country[ph].astype(np.int64))
        self.d0[idx] = start + rng.integers(0, 4, n)
        self.d1[idx] = end
        first = np.zeros(no, np.int64)
        first[g[::-1]] = idx[::-1]
        self.country[idx] = self.country[first[g]]
        self.tz[idx] = self.tz[first[g]]

    def ring_clear(self, idx, r, cs, start, end, cidx) -> None:
        """Careless farm: bursts from adjacent DC IPs, shared devices/cards/phones, gmail variants."""
        rng, P, net = self.rng, self.P, self.net
        n = len(idx)
        days = start - rng.integers(1, 6, 3)
        bday = days[rng.integers(0, 3, n)]
        self.created[idx] = np.sort(
            self.ws
            + bday * DAY
            + rng.integers(0, 3, n) * HOUR
            + int(rng.integers(0, 20)) * HOUR
            + rng.integers(0, HOUR, n)
        )
        dc = net.block(rng, cs["dc_net"], int(rng.integers(5, 20)))
        pid = P.one(dc, alpha=1.5)
        self.pools[idx, 0] = pid
        self.pool_cum[idx] = 1.0
        self.signup_pool[idx] = pid
        devs = _hex(rng, int(rng.integers(6, 15)), 16)
        self.device[idx] = devs[rng.integers(0, len(devs), n)]
        self.ua[idx] = rng.choice([14, 15], n, p=[0.4, 0.6])
        ph = self.phones(np.full(int(rng.integers(10, 30)), cidx[0]))
        self.phone[idx] = ph[rng.integers(0, len(ph), n)]
        nc = int(rng.integers(6, 12))
        cards = self.add_cards(np.repeat(cs["bins"][0], nc), self.postal(np.full(nc, cidx[0])))
        self.pay(idx, cards[rng.integers(0, nc, n)], self.created[idx] + rng.integers(30, 600, n))
        # gmail dot / +tag variants of a few base addresses, and disposable domains
        base = (
            FIRST[rng.integers(0, len(FIRST), 15)] + LAST[rng.integers(0, len(LAST), 15)]
        ).astype("S24")
        b = base[rng.integers(0, 15, n)]
        m = np.frombuffer(b.tobytes(), dtype=np.uint8).reshape(n, 24)
        ln = (m > 0).sum(1)
        pos = 1 + np.floor(rng.random(n) * (ln - 1)).astype(np.int64)
        j = np.arange(25)[None, :]
        src = np.where(j < pos[:, None], j, j - 1).clip(0, 23)
        out = np.take_along_axis(m, src, axis=1)
        out[j == pos[:, None]] = ord(".")
        dotted = np.ascontiguousarray(out).view("S25").ravel().astype("U25")
        tag = rng.random(n) < 0.4
        dotted = np.where(tag, dotted + "+" + rng.integers(1, 999, n).astype("U"), dotted)
        em = dotted + "@gmail.com"
        dsp = rng.random(n) < 0.3
        em[dsp] = (
            self.locals_(int(dsp.sum()))
            + "@"
            + DISPOSABLE[rng.integers(0, len(DISPOSABLE), int(dsp.sum()))]
        )
        self.email[idx] = em
        self.d0[idx] = start
        self.d1[idx] = end
        self.late_n[idx] = rng.poisson(1, n)

    def ring_nightshift(self, idx, r, cs, start, end, cidx) -> None:
        """Claims LatAm; works 01-10 UTC (night there); emulator farms; local prepaid BINs."""
        rng, P = self.rng, self.P
        n = len(idx)
        self.created[idx] = np.sort(
            self.shift_times(
                n, self.ws + (start - 25) * DAY, self.ws + start * DAY, r["sh0"], r["shl"]
            )
        )
        latam = self.proxy_exits(max(100, n), ["BR", "MX", "CO", "AR"])
        pool = P.one(latam, alpha=1.1)
        self.pools[idx, 0] = pool
        self.pools[idx, 1] = cs["dc_pool"]
        self.pool_cum[idx] = np.array([0.998, 1, 1], np.float32)
        self.signup_pool[idx] = pool
        farms = _hex(rng, max(2, n // 12), 16)
        self.device[idx] = farms[rng.integers(0, len(farms), n)]
        self.ua[idx] = rng.choice([10, 11, 12, 13], n)
        ph = idx[rng.random(n) < 0.7]
        pool_ph = self.phones(cidx[rng.integers(0, n, max(10, n // 2))])
        self.phone[ph] = pool_ph[rng.integers(0, len(pool_ph), len(ph))]
        paid = idx[rng.random(n) < 0.85]
        bins = np.array([c * 5 + 3 for c in self.country[paid].astype(np.int64)])
        pst = self.postal(self.country[paid].astype(np.int64))
        cards = self.add_cards(bins, pst)
        re = rng.random(len(paid)) < 0.1
        cards[re] = cards[rng.integers(0, len(cards), int(re.sum()))]
        self.pay(paid, cards, self.created[paid] + rng.integers(120, 6 * HOUR, len(paid)))
        self.d0[idx] = start + rng.integers(0, 5, n)
        self.d1[idx] = end

    def ring_lowslow(self, idx, r, cs, start, end, cidx) -> None:
        """Low and slow: identities accrue over months; weekday US-hours trickle; unique cards."""
        rng, P = self.rng, self.P
        n = len(idx)
        self.created[idx] = np.sort(
            self.shift_times(n, self.ws - 180 * DAY, self.ws + 20 * DAY, r["sh0"], r["shl"])
        )
        pool = P.one(self.proxy_exits(max(200, 3 * n), ["US", "CA"]), alpha=1.0)
        self.pools[idx, 0] = pool
        self.pools[idx, 1] = cs["dc_pool"]
        self.pool_cum[idx] = np.array([0.999, 1, 1], np.float32)
        self.signup_pool[idx] = pool
        self.ua[idx] = self.uas(n, 0.2)
        ph = idx[rng.random(n) < 0.5]
        self.phone[ph] = self.phones(self.country[ph].astype(np.int64))
        paid = idx[rng.random(n) < 0.9]
        self.fresh_cards(
            paid,
            cs["bins"],
            cs["postals"],
            self.created[paid] + rng.exponential(2 * DAY, len(paid)).astype(np.int64),
            op_postal=0.0,
        )
        self.d0[idx] = start + rng.integers(0, 10, n)
        self.d1[idx] = end
        self.late_n[idx] = rng.poisson(5, n)
        self.early_n[idx] = rng.poisson(2, n)
        self.early_span[idx] = 60 * DAY

    # ---------------------------------------------------------------- time sampling
    def sample_ts(self, acct: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Timestamps (epoch s) for rows of the given accounts, by each account's timing mode."""
        rng = self.rng
        R = len(acct)
        d0 = self.d0[acct].astype(np.int64)
        d1 = self.d1[acct].astype(np.int64)
        mode = self.mode[acct]
        day = d0 + np.floor(rng.random(R) * (d1 - d0 + 1)).astype(np.int64)
        dow = (2 + day) % 7  # window starts on a Wednesday
        we = (dow >= 5) & (rng.random(R) > self.wk[acct])
        back = day - (dow - 4)
        day = np.where(we, np.where(back >= d0, back, np.minimum(day + (7 - dow), d1)), day)
        sec = np.zeros(R, np.int64)
        loc = mode == M_LOCAL
        for p in range(len(HOUR_PROFILES)):
            m = loc & (self.prof[acct] == p)
            cum = np.cumsum(HOUR_PROFILES[p]) / HOUR_PROFILES[p].sum()
            hr = np.searchsorted(cum, rng.random(int(m.sum())))
            sec[m] = (
                hr * HOUR
                + rng.integers(0, HOUR, int(m.sum()))
                - self.tz[acct[m]].astype(np.int64) * 60
            )
        m = mode == M_SHIFT
        a = acct[m]
        fuzz = np.where(rng.random(len(a)) < 0.08, rng.integers(-1, 2, len(a)), 0)
        hr = (self.p1[a] + np.floor(rng.random(len(a)) * self.p2[a]).astype(np.int64) + fuzz) % 24
        sec[m] = hr * HOUR + rng.integers(0, HOUR, len(a))
        m = mode == M_CONST
        sec[m] = rng.integers(0, DAY, int(m.sum()))
        m = mode == M_CRON
        a = acct[m]
        runs = self.runs[a].astype(np.int64)
        kk = k[m]
        day[m] = np.minimum(d0[m] + kk // runs, d1[m])
        hr = (self.p1[a] + (kk % runs) * (24 // runs)) % 24
        sec[m] = hr * HOUR + self.p2[a].astype(np.int64) * 60 + rng.integers(0, 25, len(a))
        ts = np.maximum(self.ws + day * DAY + sec, self.created[acct] + 60)
        return np.clip(ts, self.ws, self.we - 1)

    # ---------------------------------------------------------------- tables
    def requests(self) -> tuple[pa.Table, np.ndarray, np.ndarray, np.ndarray]:
        cfg, rng, P = self.cfg, self.rng, self.P
        act = np.where(self.active)[0]
        cron = self.mode[act] == M_CRON
        span = (self.d1[act] - self.d0[act] + 1).astype(np.int64)
        e = np.maximum(1, np.round(self.exch[act]))
        rows = np.minimum(e, np.clip(np.round(e**0.62), 1, 600)).astype(np.int64)
        rows = np.where(cron, span * self.runs[act], rows)
        acct = np.repeat(act, rows)
        R = len(acct)
        starts = np.cumsum(rows) - rows
        k = np.arange(R) - np.repeat(starts, rows)
        self.log(f"requests: {R:,} rows")
        ts = self.sample_ts(acct, k)
        # counts: split each account's volume over its rows
        wgt = rng.exponential(1.0, R)
        wsum = np.bincount(acct, wgt, minlength=self.N)
        cnt = np.maximum(1, np.round(self.exch[acct] * wgt / wsum[acct]))
        cron_r = self.mode[acct] == M_CRON
        cnt[cron_r] = np.maximum(1, rng.poisson(self.exch[acct[cron_r]]))
        cnt = cnt.astype(np.int64)
        del wgt, wsum
        agg = (cnt > 1) & ~cron_r
        ts[agg] -= ts[agg] % HOUR
        # prompt template
        cum = _cumrows(self.src).astype(np.float32)[acct]
        u = rng.random(R)
        srcr = np.minimum((u[:, None] > cum).sum(1), 5)
        del cum
        fp = np.full(R, -1, np.int64)
        m = srcr == 1
        self.pers_off = self.tpl(0)
        pers_base = self.tpl(int(self.n_pers.sum())) + np.cumsum(self.n_pers) - self.n_pers
        fp[m] = pers_base[acct[m]] + np.floor(
            rng.random(int(m.sum())) * self.n_pers[acct[m]]
        ).astype(np.int64)
        m = srcr == 2
        fp[m] = np.searchsorted(self.pub_cum, rng.random(int(m.sum())))
        m = srcr == 3
        fp[m] = self.agent_tpl[acct[m]]
        m = (srcr == 4) & (self.grp_cnt[acct] > 0)
        fp[m] = self.grp_off[acct[m]] + np.floor(
            rng.random(int(m.sum())) * self.grp_cnt[acct[m]]
        ).astype(np.int64)
        m = (srcr == 4) & (self.grp_cnt[acct] == 0)
        fp[m] = pers_base[acct[m]]
        m = srcr == 5
        fp[m] = np.where(self.grp2[acct[m]] >= 0, self.grp2[acct[m]], pers_base[acct[m]])
        # capability
        mix = self.capmix[acct].astype(np.int64)
        mix[(srcr == 3) & (mix < 6)] = 2
        cap = np.zeros(R, np.int8)
        for mi in range(len(CAP_MIX)):
            mm = np.where(mix == mi)[0]
            cap[mm] = np.searchsorted(np.cumsum(CAP_MIX[mi]), rng.random(len(mm))).clip(0, 4)
        del mix, srcr
        # tokens
        tin = (
            TOK_IN[cap]
            * self.in_mult[acct]
            * rng.lognormal(0, 1.0, R)
            * (1 + (cnt - 1) * rng.uniform(0.8, 1.2, R))
        )
        tout = (
            TOK_OUT[cap]
            * self.out_mult[acct]
            * rng.lognormal(0, 0.7, R)
            * (1 + (cnt - 1) * rng.uniform(0.8, 1.2, R))
        )
        # IP
        pc_ = self.pool_cum[acct]
        u = rng.random(R)
        slot = (u[:, None] > pc_).sum(1).clip(0, 2)
        pid = self.pools[acct, slot]
        bad = pid < 0
        pid[bad] = self.pools[acct[bad], 0]
        ipk = P.draw(rng, pid)
        del pc_, slot, pid
        key = self.key_base[acct] + np.floor(rng.random(R) * self.n_keys[acct]).astype(np.int64)
        # order by time
        o = np.argsort(ts, kind="stable")
        acct, ts, cnt, fp, cap, ipk, key = acct[o], ts[o], cnt[o], fp[o], cap[o], ipk[o], key[o]
        tin, tout = tin[o], tout[o]
        cnull = (cnt == 1) & (rng.random(R) < cfg.raw_null_count)
        ip_u, ip_inv = np.unique(ipk, return_inverse=True)
        fp_u, fp_inv = np.unique(fp, return_inverse=True)
        k_u, k_inv = np.unique(key, return_inverse=True)
        fp_str = pa.array(self.tpl_hex[np.maximum(fp_u, 0)])
        self.exch_by_acct = np.bincount(acct, cnt, minlength=self.N)
        tbl = pa.table(
            {
                "account_id": pa.DictionaryArray.from_arrays(
                    pa.array(acct.astype(np.int32)), self.acct_ids
                ),
                "ts": pa.array(ts * 1_000_000, type=pa.timestamp("us", tz="UTC")),
                "count": pa.array(cnt, mask=cnull, type=pa.int64()),
                "api_key_id": pa.DictionaryArray.from_arrays(
                    pa.array(k_inv.astype(np.int32)), pa.array(self.key_ids[k_u])
                ),
                "ip": pa.DictionaryArray.from_arrays(
                    pa.array(ip_inv.astype(np.int32)), _Net.render(ip_u)
                ),
                "prompt_fingerprint": pa.DictionaryArray.from_arrays(
                    pa.array(fp_inv.astype(np.int32), mask=fp < 0), fp_str
                ),
                "capability": pa.DictionaryArray.from_arrays(
                    pa.array(cap.astype(np.int32)), pa.array(CAPS)
                ),
                "input_tokens": pa.array(np.round(tin).astype(np.int64)),
                "output_tokens": pa.array(np.round(tout).astype(np.int64)),
            }
        )
        # sample rows for api ip_events
        s = rng.random(R) < cfg.api_event_rate
        return tbl, acct[s], ts[s], ipk[s]

    def ip_events(self, api_acct: np.ndarray, api_ts: np.ndarray, api_ip: np.ndarray) -> pa.Table:
        rng, P = self.rng, self.P
        N = self.N
        A = np.arange(N)
        # sign-ups
        parts_a, parts_t, parts_ip, parts_ev, parts_ua = (
            [A],
            [self.created],
            [self.signup_key],
            [],
            [],
        )
        parts_ev.append(np.zeros(N, np.int8))
        parts_ua.append(self.ua.astype(np.int64))
        # early logins (from the sign-up networks)
        ea = np.repeat(A, self.early_n)
        et = self.created[ea] + np.floor(
            rng.random(len(ea)) * np.maximum(self.early_span[ea], 1)
        ).astype(np.int64)
        et = np.minimum(et, self.we - 1)
        parts_a.append(ea)
        parts_t.append(et)
        parts_ip.append(P.draw(rng, self.signup_pool[ea]))
        parts_ev.append(np.ones(len(ea), np.int8))
        parts_ua.append(self.ua[ea].astype(np.int64))
        # in-window logins (from the request networks)
        la = np.repeat(A, np.where(self.active, self.late_n, 0))
        lt = self.sample_ts(la, rng.integers(0, 40, len(la)))
        slot = (rng.random(len(la))[:, None] > self.pool_cum[la]).sum(1).clip(0, 2)
        pid = self.pools[la, slot]
        pid = np.where(pid < 0, self.pools[la, 0], pid)
        parts_a.append(la)
        parts_t.append(lt)
        parts_ip.append(P.draw(rng, pid))
        parts_ev.append(np.ones(len(la), np.int8))
        parts_ua.append(self.ua[la].astype(np.int64))
        # api connections
        parts_a.append(api_acct)
        parts_t.append(np.minimum(api_ts + rng.integers(0, 120, len(api_ts)), self.we - 1))
        parts_ip.append(api_ip)
        parts_ev.append(np.full(len(api_acct), 2, np.int8))
        parts_ua.append(len(BROWSER_UA) + self.sdk[api_acct].astype(np.int64))
        a = np.concatenate(parts_a)
        t = np.concatenate(parts_t)
        ip = np.concatenate(parts_ip)
        ev = np.concatenate(parts_ev)
        ua = np.concatenate(parts_ua)
        o = np.argsort(t, kind="stable")
        a, t, ip, ev, ua = a[o], t[o], ip[o], ev[o], ua[o]
        ip_u, ip_inv = np.unique(ip, return_inverse=True)
        nets = self.net.lookup(ip_u)
        asn_u = self.net.ASN[nets]
        unk = rng.random(len(ip_u)) < 0.02
        asn = asn_u[ip_inv]
        all_ua = np.concatenate([BROWSER_UA, SDK_UA])
        return pa.table(
            {
                "account_id": pa.DictionaryArray.from_arrays(
                    pa.array(a.astype(np.int32)), self.acct_ids
                ),
                "ip": pa.DictionaryArray.from_arrays(
                    pa.array(ip_inv.astype(np.int32)), _Net.render(ip_u)
                ),
                "seen_at": pa.array(t * 1_000_000, type=pa.timestamp("us", tz="UTC")),
                "event": pa.DictionaryArray.from_arrays(
                    pa.array(ev.astype(np.int32)), pa.array(["signup", "login", "api"])
                ),
                "asn": pa.array(asn, mask=unk[ip_inv], type=pa.int64()),
                "asn_org": pa.DictionaryArray.from_arrays(
                    pa.array(nets[ip_inv].astype(np.int32), mask=unk[ip_inv]),
                    pa.array(self.net.ORG),
                ),
                "user_agent": pa.DictionaryArray.from_arrays(
                    pa.array(ua.astype(np.int32)), pa.array(all_ua)
                ),
            }
        )

    # ---------------------------------------------------------------- run
    def run(self, out: Path) -> dict:
        cfg, rng = self.cfg, self.rng
        self.plan_fraud()
        self.alloc()
        self.build_refs()
        self.legit()
        self.build_net()
        self.legit_identity()
        self.internal_tests()
        self.fraud()
        self.log(f"fraud: {self.nF} accounts in {len(self.rings)} rings")
        self.P.freeze()
        N = self.N
        self.dedupe_emails()
        # sign-up IPs
        self.signup_key = self.P.draw(rng, self.signup_pool)
        # ids
        ids = _ids(rng, N, "acct_", 8)
        while len(np.unique(ids)) < N:  # pragma: no cover - 64-bit collisions
            ids = _ids(rng, N, "acct_", 8)
        self.acct_ids = pa.array(ids)
        self.key_base = np.cumsum(self.n_keys.astype(np.int64)) - self.n_keys
        self.key_ids = _ids(rng, int(self.n_keys.sum()), "key_", 12)
        self.tpl_hex = _hex(rng, self.n_tpl + int(self.n_pers.sum()) + 8, 16)
        out.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {}
        # requests first (sets exch_by_acct), then ip_events
        req, aa, at, ai = self.requests()
        pq.write_table(req, out / "requests.parquet", row_group_size=1_000_000)
        counts["requests"] = req.num_rows
        counts["exchanges"] = int(self.exch_by_acct.sum())
        del req
        self.log("requests written")
        ev = self.ip_events(aa, at, ai)
        pq.write_table(ev, out / "ip_events.parquet", row_group_size=1_000_000)
        counts["ip_events"] = ev.num_rows
        del ev, aa, at, ai
        self.log("ip_events written")
        # accounts (ordered by sign-up)
        order = np.argsort(self.created, kind="stable")
        uas = BROWSER_UA[self.ua]
        acc = pa.table(
            {
                "account_id": pa.array(ids[order]),
                "created_at": pa.array(
                    self.created[order] * 1_000_000, type=pa.timestamp("us", tz="UTC")
                ),
                "email": pa.array(self.email[order], type=pa.string()),
                "phone": pa.array(self.phone[order], type=pa.string()),
                "signup_ip": _Net.render(self.signup_key[order]),
                "device_id": pa.array(self.device[order], type=pa.string()),
                "user_agent": pa.array(uas[order]),
                "country": pa.array(CC[self.country[order]]),
                "org_id": pa.array(self.org[order], type=pa.string()),
            }
        )
        pq.write_table(acc, out / "accounts.parquet")
        counts["accounts"] = acc.num_rows
        # payments
        pa_a = np.concatenate(self.pay_acct)
        pa_c = np.concatenate(self.pay_card)
        pa_t = np.minimum(np.concatenate(self.pay_ts), self.we - 1)
        o = np.argsort(pa_t, kind="stable")
        pa_a, pa_c, pa_t = pa_a[o], pa_c[o], pa_t[o]
        cb = np.concatenate(self.card_bin)
        cpost = np.concatenate(self.card_postal)
        cfp = np.char.add("card_", _hex(rng, self.n_cards, 10))
        fund = self.BIN_FUND[cb].astype(object)
        fund[rng.random(self.n_cards) < 0.03] = "unknown"
        pnull = rng.random(self.n_cards) < 0.12
        cpost = np.where(pnull, None, cpost)
        pay = pa.table(
            {
                "account_id": pa.array(ids[pa_a]),
                "card_fingerprint": pa.array(cfp[pa_c]),
                "card_bin": pa.array(self.BIN[cb[pa_c]]),
                "card_country": pa.array(self.BIN_CC[cb[pa_c]]),
                "funding": pa.array(fund[pa_c], type=pa.string()),
                "billing_postal_code": pa.array(cpost[pa_c], type=pa.string()),
                "created_at": pa.array(pa_t * 1_000_000, type=pa.timestamp("us", tz="UTC")),
            }
        )
        pq.write_table(pay, out / "payments.parquet")
        counts["payments"] = pay.num_rows
        # truth
        is_f = self.ring >= 0
        rn = np.array(self.ring_names + [None], dtype=object)
        rs = np.array(self.ring_style + [None], dtype=object)
        camp = np.array([OPERATORS[c][0] for c in self.ring_camp] + [None], dtype=object)
        ridx = np.where(is_f, self.ring, len(self.ring_names))
        um, inv = np.unique(self.flags, return_inverse=True)
        names = np.array(
            ["+".join(f for f in LEGIT_FLAGS if m & FL[f]) or "plain" for m in um], dtype=object
        )
        style = np.where(is_f, rs[ridx], names[inv])
        truth = pa.table(
            {
                "account_id": pa.array(ids),
                "is_fraud": pa.array(is_f),
                "ring_id": pa.array(rn[ridx], type=pa.string()),
                "campaign_id": pa.array(camp[ridx], type=pa.string()),
                "style": pa.array(style, type=pa.string()),
            }
        )
        pq.write_table(truth, out / "truth.parquet")
        counts["truth"] = truth.num_rows
        self.write_allowlist(out, ids, cfp)
        summary = self.summary(is_f, ridx, rn, camp)
        info = {
            "config": asdict(cfg),
            "rows": counts,
            "window": [cfg.window_start, cfg.window_end],
            "summary": summary,
            "seconds": round(time.time() - self.t0, 1),
        }
        (out / "world.json").write_text(json.dumps(info, indent=2, default=str))
        self.log(f"done: {counts}")
        if not self.quiet:
            print(json.dumps(summary, indent=1))
        return counts

    def dedupe_emails(self) -> None:
        """Sign-up e-mails are unique on a platform: number the rare exact duplicates."""
        rng = self.rng
        for _ in range(5):
            em = self.email.astype("U")
            _, first, inv, cnt = np.unique(
                em, return_index=True, return_inverse=True, return_counts=True
            )
            dup = cnt[inv] > 1
            dup[first] = False
            if not dup.any():
                return
            parts = np.char.partition(em[dup], "@")
            self.email[dup] = (
                parts[:, 0] + rng.integers(10, 1000, int(dup.sum())).astype("U") + "@" + parts[:, 2]
            )

    def write_allowlist(self, out: Path, ids: np.ndarray, cfp: np.ndarray) -> None:
        rows = []
        for kind, val, note in self.allow:
            if val.startswith("#"):
                val = str(ids[int(val[1:])])
            elif val.startswith("@"):
                val = _Net.render(np.array([int(val[1:])]))[0].as_py()
            elif val.startswith("%"):
                val = str(cfp[int(val[1:])])
            rows.append((kind, val, note))
        # the largest companies: org ids, e-mail domains, egress IPs / VPN range, corporate card
        big = np.argsort(-self.comp_sizes)[:3]
        for b in big:
            rows.append(
                ("org_id", str(self.comp_org[b]), f"enterprise customer {self.comp_name[b]}")
            )
            rows.append(
                ("email_domain", str(self.dom_co[b]), f"enterprise customer {self.comp_name[b]}")
            )
        keys = self.P.keys_of(int(self.comp_pool[big[0]]))
        base = int(keys[0]) & ~0xF
        cidr = f"{_Net.render(np.array([base]))[0].as_py()}/28"
        rows.append(("cidr", cidr, f"{self.comp_name[big[0]]} corporate VPN / egress range"))
        for b in big[1:]:
            for kk in self.P.keys_of(int(self.comp_pool[b]))[:2]:
                rows.append(
                    (
                        "ip",
                        _Net.render(np.array([int(kk)]))[0].as_py(),
                        f"{self.comp_name[b]} egress",
                    )
                )
        ub = int(np.argmax(self.uni_sizes))
        rows.append(("email_domain", str(self.uni_dom[ub]), "university partner programme"))
        with open(out / "allowlist.csv", "w") as f:
            f.write("kind,value,note\n")
            for kind, val, note in rows:
                f.write(f'{kind},{val},"{note}"\n')

    def summary(self, is_f, ridx, rn, camp) -> dict:
        ex = self.exch_by_acct
        s: dict = {
            "fraud_accounts": int(is_f.sum()),
            "fraud_share": round(float(is_f.mean()), 4),
            "exchanges_total": int(ex.sum()),
            "exchanges_fraud": int(ex[is_f].sum()),
            "campaigns": {},
        }
        for ci in sorted(set(self.ring_camp)):
            rr = [i for i, c in enumerate(self.ring_camp) if c == ci]
            m = np.isin(self.ring, rr)
            s["campaigns"][OPERATORS[ci][0]] = {
                "accounts": int(m.sum()),
                "rings": len(rr),
                "exchanges": int(ex[m].sum()),
                "styles": {
                    st: int(
                        np.isin(self.ring[m], [i for i in rr if self.ring_style[i] == st]).sum()
                    )
                    for st in sorted({self.ring_style[i] for i in rr})
                },
            }
        nL = ~is_f
        s["legit_accounts"] = int(nL.sum())
        s["legit_patterns"] = {f: int(((self.flags & FL[f]) > 0)[nL].sum()) for f in LEGIT_FLAGS}
        s["legit_active"] = int((self.active & nL).sum())
        return s


def generate(out: str | Path, cfg: WorldConfig, quiet: bool = False) -> dict:
    """Write the world's tables, allow-list, truth and world.json into ``out``; return row counts."""
    return _World(cfg, quiet).run(Path(out))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m bench.independent_c", description=__doc__.split("\n")[0]
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
