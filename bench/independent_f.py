"""Synthetic world generator "independent_f": the Yoldash assistant platform.

Platform
--------
Yoldash (yoldash.ai) is a consumer + SMB AI assistant, run from Istanbul and popular
in Turkey, Europe (DE GB FR ES IT PL NL), the Gulf (SA AE), Egypt, South Asia
(PK IN BD) and Latin America (BR MX CO AR).  Channels (knobs mobile/web/bot/api_share):
mobile app (55 %), web app (25 %), WhatsApp/Telegram bot integration (12 %, sign-up
and requests arrive from the platform's own gateway servers in AWS), and an API for
small businesses (8 %).  Sign-ups run 2025-04-05 .. 2026-06-05 (growing, with three
marketing-launch waves); requests exist only in the window 2026-04-22 .. 2026-06-05.

Tables: accounts, payments, ip_events, requests (mix of raw rows with count=1 and
hourly aggregated rows with count>1; token columns of aggregated rows are totals),
allowlist.csv, truth.parquet (account_id, is_fraud, ring_id, campaign_id, style).
Optional cells are empty a few % of the time (missing_share), phone ~20 %.

Innocent patterns (truth.style of legit accounts = "+"-joined list, else "plain")
-------------------------------------------------------------------------------
cgnat          cgnat_share_of_mobile=0.30 of mobile users sign up / log in on a carrier
               CGNAT IPv4 pool; users per address ~5-50 heavy tailed, hot addresses hold
               hundreds.  ipv6_mobile: ipv6_share_of_mobile=0.35 of the rest use
               per-device IPv6 of carriers that run v6.
vpn            vpn_share=0.04 sign up / use the product through VPN or private-relay exits
               (M247, Datacamp, Cloudflare WARP, iCloud Private Relay, Proton, Mullvad).
campus         campus_share=0.025 university NAT (national research networks), 20-400
               students per address, often a university e-mail domain.
office         office_share=0.03 corporate NAT, 10-200 per address.
household      household_share=0.10 in homes of 2-5: shared home IP, same last name,
               household_card_share=0.35 share one card; family_tablet (0.25 of homes)
               share a device id and user agent.
multi_account  multi_account_share=0.025 people with 2-4 accounts: gmail dot/+tag
               variants or other providers, same device (60 %), card (50 %), phone (30 %).
event_burst    event_burst_share=0.01 classes / hackathons: 15-80 sign-ups in 2 hours from
               one venue IP, then the same class prompt template.
launch_wave    launch_wave_share=0.08 sign-ups bunched on 3 launch days.
smb_team       smb_team_share=0.06 SMB teams of 2-40 in an org_id, custom e-mail domain,
               office IP, company server IP for API calls, company card on all seats
               (smb_company_card_share=0.6), shared templates, some share an API key.
reseller_card  reseller_card_share=0.012 payment agents in PK/BD/EG/IN put one card on
               10-200 customers' accounts (some sign up in the agent's shop).
bot_integration  bot users: sign-up IP, requests IP and api_key_id are the gateway's
               (thousands share them); device id mostly empty.
public_template  public_template_share=0.45 of legit rows use Zipf-popular public
               templates (thousands of users per template).
internet_cafe  internet_cafe_share=0.01 (PK/BD/EG/IN/TR) 5-60 users share a café IP and
               3-10 PC device ids.
dormant_return dormant_return_share=0.05 of old accounts: activity at sign-up, nothing for
               months, then usage in the window.
staff_qa       staff_share=0.0008 platform staff / QA: yoldash.ai mail, internal org,
               office IPs of the platform ASN, 3 shared test cards, 10 test devices, heavy
               agentic/coding eval traffic.  allowlist.csv lists ~60 % of them plus
               some of the infrastructure (office cidr, WhatsApp gateway cidr, internal
               org, mail domain, platform ASN, 2 of 3 test cards, some QA devices).

Fraud (truth.is_fraud, ring_id, campaign_id, style)
--------------------------------------------------
Operator "distill" (campaigns C-DIST-1 farm/stealth/smb, C-DIST-2 aged/camouflage):
exactly 25,000 accounts and 28,800,000 exchanges (sum of count) when accounts>=500k,
otherwise round(big_op_share*N) accounts and 1,152 exchanges per account in total.
Targets agentic_reasoning/coding/planning with long tokens.  Styles:
  distill_device_farm      28 %  rings 80-250; 4-12 emulator devices, prepaid cards on
                                 ~6 accounts each, hosting IPs (Hetzner/OVH/Contabo/DO),
                                 created in 1-3 day bursts, 24/7 heavy hourly rows.
  distill_resproxy_stealth 24 %  rings 150-500; every account unique residential-proxy IP
                                 (fresh per login / request), unique device, fresh virtual
                                 card from 3 fintech BINs, diverse mail providers; tied by
                                 templates, synchronised 12-hour block, BINs.
  distill_aged_accounts    16 %  bought accounts created 4-13 months ago by real people,
                                 dormant, then new card (shared by 3-5) and logins/requests
                                 from the operator's VPN/datacenter ranges.
  distill_camouflage_consumer 16 % look like TR/IN mobile users on carrier CGNAT, app UA
                                 from a narrow model set, SIM-farm phone blocks, 30 % chat
                                 through public templates, consumer hours.
  distill_fake_smb_seats   16 %  fake orgs of 5-30 seats, one virtual company card per
                                 org, custom domains, cloud IPs, business hours.
Smaller operators:
  low_and_slow    (C-QUIET)  low_slow_share=0.0006: each account its own residential IP,
                  card, device; only one card BIN, two templates and synchronised
                  night hours (Tue/Thu 01-03 UTC) in common; ~90 raw exchanges each.
  promo_farm      (C-PROMO)  promo_share=0.003: new-user credit abuse in bursts, gmail
                  dot/+tag variants of a few mailboxes and disposable domains, a few
                  devices, mobile-proxy IPs, no card, burn ~60 exchanges in 2 days.
  api_key_reseller (C-RESELL) reseller_share=0.0004: stolen cards (US/GB/CA BINs),
                  3-8 API keys each, requests relayed from a few VPS IPs, very diverse
                  prompts (customers' traffic), ~800 exchanges each.
  sms_content_mill (C-MILL)  content_mill_share=0.0015: phones from SMS-activation blocks
                  reused by 2-3 accounts, random-string outlook/hotmail mail, hosting IPs,
                  each account used ~7-10 days then replaced (relay chain), steady
                  24/7 article-writing cadence with per-site templates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def _t(s):
    return int(np.datetime64(s, "s").astype(np.int64))


W0, W1, S0 = _t("2026-04-22T00:00:00"), _t("2026-06-06T00:00:00"), _t("2025-04-05T00:00:00")
DAY, HOUR = 86400, 3600


@dataclass
class WorldConfig:
    accounts: int = 200_000
    seed: int = 1
    mobile_share: float = 0.55
    web_share: float = 0.25
    bot_share: float = 0.12
    api_share: float = 0.08
    cgnat_share_of_mobile: float = 0.30
    cgnat_mean_users_per_ip: float = 15.0
    ipv6_share_of_mobile: float = 0.35
    vpn_share: float = 0.04
    campus_share: float = 0.025
    office_share: float = 0.03
    household_share: float = 0.10
    household_card_share: float = 0.35
    family_tablet_share: float = 0.25
    multi_account_share: float = 0.025
    event_burst_share: float = 0.01
    launch_wave_share: float = 0.08
    smb_team_share: float = 0.06
    smb_company_card_share: float = 0.6
    reseller_card_share: float = 0.012
    internet_cafe_share: float = 0.01
    dormant_return_share: float = 0.05
    staff_share: float = 0.0008
    public_template_share: float = 0.45
    active_share: float = 0.5
    paid_share: float = 0.22
    missing_share: float = 0.03
    big_op_share: float = 0.025
    big_op_accounts_cap: int = 25_000
    big_op_exchanges_per_account: int = 1152
    low_slow_share: float = 0.0006
    promo_share: float = 0.003
    reseller_share: float = 0.0004
    content_mill_share: float = 0.0015


# ----------------------------------------------------------------------------- reference data
# (asn, name, kind, country, has_ipv6)
ASNS = [
    (16135, "Turkcell Iletisim Hizmetleri A.S.", "mobile", "TR", 1),
    (15897, "Vodafone Turkiye", "mobile", "TR", 0),
    (34984, "Superonline Iletisim Hizmetleri A.S.", "isp", "TR", 0),
    (9121, "Turk Telekomunikasyon A.S.", "isp", "TR", 0),
    (8517, "ULAKBIM", "edu", "TR", 0),
    (3320, "Deutsche Telekom AG", "isp", "DE", 1),
    (3209, "Vodafone GmbH", "mobile", "DE", 1),
    (6805, "Telefonica Germany GmbH & Co.OHG", "mobile", "DE", 1),
    (8881, "1&1 Versatel Deutschland GmbH", "isp", "DE", 0),
    (680, "Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.", "edu", "DE", 0),
    (2856, "British Telecommunications PLC", "isp", "GB", 1),
    (12576, "EE Limited", "mobile", "GB", 1),
    (25135, "Vodafone Limited", "mobile", "GB", 0),
    (5089, "Virgin Media Limited", "isp", "GB", 0),
    (786, "Jisc Services Limited", "edu", "GB", 0),
    (3215, "Orange S.A.", "mobile", "FR", 1),
    (12322, "Free SAS", "isp", "FR", 1),
    (15557, "Societe Francaise du Radiotelephone - SFR SA", "mobile", "FR", 0),
    (5410, "Bouygues Telecom SA", "isp", "FR", 1),
    (2200, "Renater", "edu", "FR", 0),
    (3352, "Telefonica de Espana S.A.U.", "isp", "ES", 0),
    (12430, "Vodafone Espana S.A.U.", "mobile", "ES", 0),
    (12479, "Orange Espagne SA", "mobile", "ES", 1),
    (766, "Entidad Publica Empresarial Red.es", "edu", "ES", 0),
    (3269, "Telecom Italia S.p.A.", "isp", "IT", 0),
    (30722, "Vodafone Italia S.p.A.", "mobile", "IT", 0),
    (1267, "Wind Tre S.p.A.", "mobile", "IT", 0),
    (12874, "Fastweb SpA", "isp", "IT", 1),
    (137, "Consortium GARR", "edu", "IT", 0),
    (5617, "Orange Polska Spolka Akcyjna", "isp", "PL", 0),
    (39603, "P4 Sp. z o.o.", "mobile", "PL", 0),
    (12912, "T-Mobile Polska S.A.", "mobile", "PL", 1),
    (8374, "Polkomtel Sp. z o.o.", "mobile", "PL", 0),
    (8501, "PIONIER", "edu", "PL", 0),
    (1136, "KPN B.V.", "isp", "NL", 1),
    (33915, "Vodafone Libertel B.V.", "isp", "NL", 0),
    (31615, "T-Mobile Netherlands bv.", "mobile", "NL", 1),
    (1103, "SURF B.V.", "edu", "NL", 0),
    (39891, "Saudi Telecom Company JSC (Al Jawwal)", "mobile", "SA", 0),
    (35819, "Etihad Etisalat Company (Mobily)", "mobile", "SA", 0),
    (43766, "Zain Saudi Arabia", "mobile", "SA", 0),
    (25019, "Saudi Telecom Company JSC", "isp", "SA", 0),
    (5384, "Emirates Telecommunications Group Company (Etisalat Group) PJSC", "isp", "AE", 0),
    (15802, "Emirates Integrated Telecommunications Company PJSC (du)", "mobile", "AE", 0),
    (8452, "TE Data", "isp", "EG", 0),
    (24835, "Vodafone Data", "mobile", "EG", 0),
    (36992, "Etisalat Misr", "mobile", "EG", 0),
    (24863, "Link Egypt (Orange)", "mobile", "EG", 0),
    (17557, "Pakistan Telecommunication Company Limited", "isp", "PK", 0),
    (45669, "Mobilink (Jazz)", "mobile", "PK", 0),
    (59257, "China Mobile Pakistan (Zong)", "mobile", "PK", 0),
    (24499, "Telenor Pakistan", "mobile", "PK", 0),
    (55836, "Reliance Jio Infocomm Limited", "mobile", "IN", 1),
    (45609, "Bharti Airtel Ltd. AS for GPRS Service", "mobile", "IN", 1),
    (24560, "Bharti Airtel Ltd., Telemedia Services", "isp", "IN", 0),
    (38266, "Vodafone Idea Ltd", "mobile", "IN", 0),
    (9829, "National Internet Backbone (BSNL)", "isp", "IN", 0),
    (2697, "ERNET India", "edu", "IN", 0),
    (24389, "Grameenphone Ltd.", "mobile", "BD", 0),
    (24432, "Robi Axiata Limited", "mobile", "BD", 0),
    (45245, "Banglalink Digital Communications Ltd", "mobile", "BD", 0),
    (58717, "Summit Communications Limited", "isp", "BD", 0),
    (28573, "Claro NXT Telecomunicacoes Ltda", "isp", "BR", 1),
    (26599, "Telefonica Brasil S.A", "mobile", "BR", 1),
    (26615, "TIM S/A", "mobile", "BR", 0),
    (18881, "Telefonica Brasil S.A (Vivo Fibra)", "isp", "BR", 1),
    (1916, "Rede Nacional de Ensino e Pesquisa", "edu", "BR", 0),
    (8151, "Uninet S.A. de C.V.", "isp", "MX", 0),
    (28403, "Radiomovil Dipsa, S.A. de C.V.", "mobile", "MX", 0),
    (11172, "Alestra, S. de R.L. de C.V.", "mobile", "MX", 0),
    (13999, "Mega Cable, S.A. de C.V.", "isp", "MX", 0),
    (10620, "Telmex Colombia S.A.", "mobile", "CO", 0),
    (13489, "EPM Telecomunicaciones S.A. E.S.P.", "isp", "CO", 0),
    (3816, "Colombia Telecomunicaciones S.A. ESP", "mobile", "CO", 0),
    (7303, "Telecom Argentina S.A.", "isp", "AR", 0),
    (22927, "Telefonica de Argentina", "isp", "AR", 0),
    (11664, "Techtel LMDS Comunicaciones Interactivas S.A.", "mobile", "AR", 0),
    (16509, "Amazon.com, Inc.", "cloud", "US", 0),
    (15169, "Google LLC", "cloud", "US", 0),
    (396982, "Google LLC", "cloud", "US", 0),
    (8075, "Microsoft Corporation", "cloud", "US", 0),
    (14061, "DigitalOcean, LLC", "hosting", "US", 0),
    (24940, "Hetzner Online GmbH", "hosting", "DE", 0),
    (16276, "OVH SAS", "hosting", "FR", 0),
    (51167, "Contabo GmbH", "hosting", "DE", 0),
    (20473, "The Constant Company, LLC", "hosting", "US", 0),
    (63949, "Akamai Connected Cloud", "hosting", "US", 0),
    (9009, "M247 Europe SRL", "vpn", "RO", 0),
    (60068, "Datacamp Limited", "vpn", "GB", 0),
    (13335, "Cloudflare, Inc.", "vpn", "US", 1),
    (36183, "Akamai Technologies, Inc.", "vpn", "US", 1),
    (62371, "Proton AG", "vpn", "CH", 0),
    (39351, "31173 Services AB", "vpn", "SE", 0),
    (211984, "Yoldash Teknoloji A.S.", "platform", "TR", 0),
]
A_ASN = np.array([a[0] for a in ASNS], np.int64)
A_NAME = [a[1] for a in ASNS]
A_KIND = np.array([a[2] for a in ASNS])
A_CTRY = np.array([a[3] for a in ASNS])
A_V6 = np.array([a[4] for a in ASNS], bool)

# code, weight, tz, phone cc, nsn_len, mobile prefixes, trunk, mail domains+weights, postal, names
COUNTRIES = [
    (
        "TR",
        0.12,
        3,
        "90",
        10,
        ["50", "53", "54", "55"],
        "0",
        {"gmail.com": 0.55, "hotmail.com": 0.25, "outlook.com": 0.1, "yandex.com.tr": 0.1},
        "d5",
        "tr",
    ),
    (
        "DE",
        0.07,
        2,
        "49",
        11,
        ["151", "152", "157", "160", "170", "176"],
        "0",
        {"gmail.com": 0.35, "gmx.de": 0.25, "web.de": 0.25, "t-online.de": 0.15},
        "d5",
        "eu",
    ),
    (
        "GB",
        0.06,
        1,
        "44",
        10,
        ["74", "75", "77", "78", "79"],
        "0",
        {
            "gmail.com": 0.45,
            "hotmail.co.uk": 0.2,
            "outlook.com": 0.15,
            "yahoo.co.uk": 0.1,
            "btinternet.com": 0.1,
        },
        "gb",
        "eu",
    ),
    (
        "FR",
        0.05,
        2,
        "33",
        9,
        ["6", "7"],
        "0",
        {
            "gmail.com": 0.4,
            "orange.fr": 0.2,
            "hotmail.fr": 0.15,
            "free.fr": 0.15,
            "laposte.net": 0.1,
        },
        "d5",
        "eu",
    ),
    (
        "ES",
        0.05,
        2,
        "34",
        9,
        ["6", "7"],
        "",
        {"gmail.com": 0.55, "hotmail.es": 0.25, "yahoo.es": 0.1, "outlook.es": 0.1},
        "d5",
        "la",
    ),
    (
        "IT",
        0.05,
        2,
        "39",
        10,
        ["32", "33", "34", "35", "38", "39"],
        "",
        {
            "gmail.com": 0.45,
            "libero.it": 0.2,
            "hotmail.it": 0.15,
            "virgilio.it": 0.1,
            "alice.it": 0.1,
        },
        "d5",
        "eu",
    ),
    (
        "PL",
        0.04,
        2,
        "48",
        9,
        ["50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"],
        "",
        {"gmail.com": 0.35, "wp.pl": 0.25, "o2.pl": 0.2, "onet.pl": 0.1, "interia.pl": 0.1},
        "pl",
        "eu",
    ),
    (
        "NL",
        0.03,
        2,
        "31",
        9,
        ["6"],
        "0",
        {
            "gmail.com": 0.5,
            "outlook.com": 0.2,
            "hotmail.nl": 0.1,
            "ziggo.nl": 0.1,
            "kpnmail.nl": 0.1,
        },
        "nl",
        "eu",
    ),
    (
        "SA",
        0.05,
        3,
        "966",
        9,
        ["50", "53", "54", "55", "56", "58", "59"],
        "0",
        {"gmail.com": 0.5, "hotmail.com": 0.3, "outlook.sa": 0.1, "yahoo.com": 0.1},
        "d5",
        "ar",
    ),
    (
        "AE",
        0.03,
        4,
        "971",
        9,
        ["50", "52", "54", "55", "56", "58"],
        "0",
        {"gmail.com": 0.55, "hotmail.com": 0.2, "outlook.com": 0.15, "yahoo.com": 0.1},
        "none",
        "ar",
    ),
    (
        "EG",
        0.05,
        3,
        "20",
        10,
        ["10", "11", "12", "15"],
        "0",
        {"gmail.com": 0.6, "yahoo.com": 0.2, "hotmail.com": 0.2},
        "d5",
        "ar",
    ),
    (
        "PK",
        0.06,
        5,
        "92",
        10,
        ["30", "31", "32", "33", "34"],
        "0",
        {"gmail.com": 0.7, "yahoo.com": 0.2, "hotmail.com": 0.1},
        "d5",
        "sa",
    ),
    (
        "IN",
        0.11,
        5,
        "91",
        10,
        ["6", "7", "8", "9"],
        "0",
        {"gmail.com": 0.75, "yahoo.co.in": 0.1, "rediffmail.com": 0.05, "outlook.com": 0.1},
        "d6",
        "sa",
    ),
    (
        "BD",
        0.04,
        6,
        "880",
        10,
        ["13", "14", "15", "16", "17", "18", "19"],
        "0",
        {"gmail.com": 0.75, "yahoo.com": 0.15, "hotmail.com": 0.1},
        "d4",
        "sa",
    ),
    (
        "BR",
        0.08,
        -3,
        "55",
        11,
        ["119", "219", "319", "419", "519", "619", "719", "819"],
        "0",
        {
            "gmail.com": 0.55,
            "hotmail.com": 0.2,
            "outlook.com": 0.1,
            "yahoo.com.br": 0.1,
            "uol.com.br": 0.05,
        },
        "br",
        "la",
    ),
    (
        "MX",
        0.05,
        -6,
        "52",
        10,
        ["55", "33", "81", "22", "66"],
        "",
        {"gmail.com": 0.5, "hotmail.com": 0.3, "outlook.com": 0.1, "yahoo.com.mx": 0.1},
        "d5",
        "la",
    ),
    (
        "CO",
        0.03,
        -5,
        "57",
        10,
        ["30", "31", "32", "35"],
        "",
        {"gmail.com": 0.6, "hotmail.com": 0.3, "outlook.com": 0.1},
        "d6",
        "la",
    ),
    (
        "AR",
        0.03,
        -3,
        "54",
        11,
        ["911", "351", "341"],
        "0",
        {"gmail.com": 0.5, "hotmail.com": 0.3, "yahoo.com.ar": 0.2},
        "d4",
        "la",
    ),
]
C_CODE = [c[0] for c in COUNTRIES]
C_IDX = {c: i for i, c in enumerate(C_CODE)}
C_W = np.array([c[1] for c in COUNTRIES])
C_W = C_W / C_W.sum()
C_TZ = np.array([c[2] for c in COUNTRIES])
NAMES = {
    "tr": (
        [
            "mehmet",
            "ahmet",
            "mustafa",
            "ayse",
            "fatma",
            "zeynep",
            "emre",
            "burak",
            "elif",
            "can",
            "merve",
            "hakan",
            "ozan",
            "selin",
            "deniz",
            "murat",
        ],
        [
            "yilmaz",
            "kaya",
            "demir",
            "sahin",
            "celik",
            "yildiz",
            "aydin",
            "ozturk",
            "arslan",
            "dogan",
            "kilic",
            "aslan",
            "cetin",
            "kara",
            "koc",
            "kurt",
        ],
    ),
    "eu": (
        [
            "lukas",
            "anna",
            "max",
            "sophie",
            "james",
            "emma",
            "oliver",
            "lea",
            "hugo",
            "chloe",
            "marco",
            "giulia",
            "jakub",
            "zuzanna",
            "daan",
            "sanne",
        ],
        [
            "muller",
            "schmidt",
            "smith",
            "jones",
            "martin",
            "bernard",
            "rossi",
            "russo",
            "nowak",
            "kowalski",
            "dejong",
            "jansen",
            "weber",
            "taylor",
            "dubois",
            "bianchi",
        ],
    ),
    "ar": (
        [
            "mohammed",
            "ahmed",
            "abdullah",
            "fatima",
            "noura",
            "omar",
            "khalid",
            "sara",
            "youssef",
            "mariam",
            "hassan",
            "aisha",
            "ali",
            "layla",
            "tarek",
            "mona",
        ],
        [
            "alharbi",
            "alqahtani",
            "alotaibi",
            "hassan",
            "ibrahim",
            "mahmoud",
            "saleh",
            "mostafa",
            "abdelaziz",
            "alshamsi",
            "almansouri",
            "elsayed",
            "khalil",
            "nasser",
            "farouk",
            "salem",
        ],
    ),
    "sa": (
        [
            "rahul",
            "priya",
            "amit",
            "sneha",
            "arjun",
            "ananya",
            "imran",
            "ayesha",
            "bilal",
            "fatima",
            "rafiq",
            "nusrat",
            "vikram",
            "pooja",
            "usman",
            "sana",
        ],
        [
            "sharma",
            "patel",
            "singh",
            "kumar",
            "gupta",
            "khan",
            "ahmed",
            "hossain",
            "rahman",
            "iqbal",
            "reddy",
            "das",
            "chowdhury",
            "malik",
            "verma",
            "islam",
        ],
    ),
    "la": (
        [
            "joao",
            "maria",
            "pedro",
            "ana",
            "lucas",
            "juliana",
            "carlos",
            "sofia",
            "diego",
            "valentina",
            "mateo",
            "camila",
            "jose",
            "gabriela",
            "luis",
            "fernanda",
        ],
        [
            "silva",
            "santos",
            "oliveira",
            "souza",
            "rodriguez",
            "gonzalez",
            "hernandez",
            "lopez",
            "martinez",
            "perez",
            "gomez",
            "diaz",
            "ferreira",
            "costa",
            "ramirez",
            "torres",
        ],
    ),
}
REGIONS = list(NAMES)
FIRST = [f for r in REGIONS for f in NAMES[r][0]]
LAST = [s for r in REGIONS for s in NAMES[r][1]]
C_REGION = np.array([REGIONS.index(c[9]) for c in COUNTRIES])
EXTRA_DOMAINS = [
    "yoldash.ai",
    "proton.me",
    "tutanota.com",
    "mailinator.com",
    "yopmail.com",
    "10minutemail.net",
    "guerrillamail.com",
    "outlook.com",
    "hotmail.com",
]
DOMAINS = sorted({d for c in COUNTRIES for d in c[7]} | set(EXTRA_DOMAINS))
D_IDX = {d: i for i, d in enumerate(DOMAINS)}
FINTECH_BINS = [
    ("535522", "LT", "prepaid"),
    ("404138", "GB", "debit"),
    ("428837", "EE", "prepaid"),
    ("516732", "US", "prepaid"),
]
STOLEN_BINS = [
    ("414720", "US", "credit"),
    ("426684", "US", "credit"),
    ("475129", "GB", "credit"),
    ("450644", "CA", "credit"),
    ("552433", "US", "credit"),
]
CAPS = ["chat", "coding", "agentic_reasoning", "planning", "translation", "other"]
UAS = [
    # 0-7 mobile app
    "Yoldash/5.9.1 (Android 14; SM-A546E) okhttp/4.12.0",
    "Yoldash/5.9.1 (Android 13; Redmi Note 12) okhttp/4.12.0",
    "Yoldash/5.8.4 (Android 12; CPH2387) okhttp/4.11.0",
    "Yoldash/5.9.0 (Android 14; Pixel 7a) okhttp/4.12.0",
    "Yoldash/5.9.1 (iPhone15,3; iOS 17.5) CFNetwork/1496.0.7 Darwin/23.5.0",
    "Yoldash/5.9.0 (iPhone14,5; iOS 17.4.1) CFNetwork/1494.0.7 Darwin/23.4.0",
    "Yoldash/5.8.4 (iPhone12,1; iOS 16.7.8) CFNetwork/1410.1 Darwin/22.6.0",
    "Yoldash/5.9.1 (Android 11; vivo 1906) okhttp/4.12.0",
    # 8-15 web
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    # 16-17 bot gateways
    "Yoldash-WA-Gateway/2.3 (+https://yoldash.ai/whatsapp)",
    "Yoldash-TG-Gateway/1.7 (+https://yoldash.ai/telegram)",
    # 18-21 api / sdk
    "yoldash-python/1.4.0 python/3.11",
    "yoldash-node/0.9.2 node/20.12.2",
    "python-requests/2.31.0",
    "curl/8.5.0",
    # 22-24 fraud-ish
    "Yoldash/5.8.0 (Android 11; sdk_gphone_x86_64) okhttp/4.11.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
    "python-httpx/0.27.0",
]
TAGS = ["", "+yd", "+ai", "+2", "+work", "+test", "+1", "+promo"]
PAT = [
    "cgnat",
    "ipv6_mobile",
    "vpn",
    "campus",
    "office",
    "household",
    "family_tablet",
    "multi_account",
    "event_burst",
    "launch_wave",
    "smb_team",
    "reseller_card",
    "bot_integration",
    "public_template",
    "internet_cafe",
    "dormant_return",
    "staff_qa",
]
PB = {p: 1 << i for i, p in enumerate(PAT)}
# behaviour codes for IP selection
HOME, MPOOL, GATE, SERVER, VPN, RESPROXY, RPOOL, MUNIQ = range(8)

# ----------------------------------------------------------------------------- helpers
_HEX4 = None


def hex4():
    global _HEX4
    if _HEX4 is None:
        _HEX4 = pa.array([format(i, "04x") for i in range(65536)])
    return _HEX4


def mix(x):
    with np.errstate(over="ignore"):
        x = np.asarray(x).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def hexs(x, nchar=16, prefix=""):
    x = np.asarray(x).astype(np.uint64)
    h = hex4()
    parts = []
    y = x
    for k in range((nchar + 3) // 4):
        if k and k % 4 == 0:
            y = mix(y ^ np.uint64(0x5DEECE66D))
        parts.append(
            h.take(pa.array(((y >> np.uint64(16 * (k % 4))) & np.uint64(0xFFFF)).astype(np.int64)))
        )
    s = pc.binary_join_element_wise(*parts, "")
    if nchar % 4:
        s = pc.utf8_slice_codeunits(s, 0, nchar)
    return pc.binary_join_element_wise(prefix, s, "") if prefix else s


def nums(x, width=0):
    s = pc.cast(pa.array(np.asarray(x, np.int64)), pa.string())
    return pc.utf8_lpad(s, width, "0") if width else s


def vocab(v, idx):
    return pa.array(list(v), pa.string()).take(pa.array(np.asarray(idx, np.int64)))


def null_where(arr, mask):
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.scalar(None, arr.type), arr)


def groups(rng, idx, lo, hi, a=1.5):
    """Split idx into groups with heavy-tailed sizes in [lo,hi]; return members, gid, leader."""
    idx = rng.permutation(idx)
    n = len(idx)
    if n == 0:
        e = np.zeros(0, np.int64)
        return e, e, e
    sizes = np.clip(lo + np.floor(rng.pareto(a, n // max(lo, 1) + 2) * lo).astype(np.int64), lo, hi)
    cs = np.cumsum(sizes)
    k = int(np.searchsorted(cs, n)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= cs[k - 1] - n
    gid = np.repeat(np.arange(k), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return idx, gid, idx[starts][gid]


def split_counts(rng, T, R, burst=0.6):
    """Rows per account R (>=1), exchanges T (>=R): returns (owner position, count) summing exactly to T."""
    T = np.asarray(T, np.int64)
    R = np.minimum(np.maximum(np.asarray(R, np.int64), 1), np.maximum(T, 1))
    own = np.repeat(np.arange(len(T)), R)
    w = rng.lognormal(0, burst, len(own))
    ws = np.bincount(own, weights=w, minlength=len(T))
    c = 1 + np.floor(w / ws[own] * (T - R)[own]).astype(np.int64)
    left = T - np.bincount(own, weights=c, minlength=len(T)).astype(np.int64)
    first = np.r_[0, np.cumsum(R)[:-1]]
    c[first] += left
    return own, c


def zipf_idx(rng, n, k, a=1.1):
    r = rng.zipf(a, n) - 1
    return np.where(r < k, r, rng.integers(0, k, n))


# ----------------------------------------------------------------------------- generator
def generate(out, cfg: WorldConfig, quiet: bool = False) -> dict:
    t0 = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([cfg.seed, cfg.accounts, 7741])
    N = cfg.accounts
    log = (
        (lambda *a: None)
        if quiet
        else (lambda *a: print(f"[{time.time() - t0:6.1f}s]", *a, file=sys.stderr))
    )

    # --- ASN address blocks: each ASN gets a unique /12
    nA = len(ASNS)
    octs = np.array(
        [
            5,
            31,
            37,
            41,
            46,
            49,
            77,
            78,
            81,
            85,
            88,
            91,
            94,
            95,
            103,
            105,
            110,
            115,
            117,
            139,
            154,
            156,
            176,
            177,
            178,
            179,
            181,
            185,
            186,
            187,
            188,
            189,
            190,
            191,
            196,
            197,
            200,
            201,
            212,
            213,
            217,
        ]
    )
    blk = np.random.default_rng(99).choice(len(octs) * 16, nA, replace=False)
    A_BASE = (octs[blk // 16].astype(np.int64) << 24) | ((blk % 16).astype(np.int64) << 20)
    A_V6P = [
        f"2a0{i % 10}:{(0x1000 + 37 * i) & 0xFFFF:x}:{(0x2B00 + 911 * i) & 0xFFFF:x}"
        for i in range(nA)
    ]
    asn_of_kind = {k: np.flatnonzero(A_KIND == k) for k in set(A_KIND)}
    c_mob = [np.flatnonzero((A_CTRY == c) & (A_KIND == "mobile")) for c in C_CODE]
    c_isp = [np.flatnonzero((A_CTRY == c) & (A_KIND == "isp")) for c in C_CODE]
    c_edu = [np.flatnonzero((A_CTRY == c) & (A_KIND == "edu")) for c in C_CODE]
    all_isp = asn_of_kind["isp"]

    def key(asn_i, host, v6=False):
        return (
            (np.asarray(asn_i, np.int64) << 44)
            | (np.int64(1 << 43) if v6 else np.int64(0))
            | np.asarray(host, np.int64)
        )

    def rand_ip(asn_i, v6=None):
        asn_i = np.asarray(asn_i, np.int64)
        n = len(asn_i)
        v4 = key(asn_i, rng.integers(1 << 16, 1 << 20, n))
        if v6 is None:
            return v4
        v6k = key(asn_i, rng.integers(0, 1 << 40, n), True)
        return np.where(v6, v6k, v4)

    def pick(lists, ci):
        """vectorised choice of one element of lists[ci[k]]."""
        out_ = np.empty(len(ci), np.int64)
        for c in np.unique(ci):
            m = ci == c
            out_[m] = rng.choice(lists[c], m.sum())
        return out_

    # --- fraud sizes
    n_big = cfg.big_op_accounts_cap if N >= 500_000 else int(round(cfg.big_op_share * N))
    big_total = n_big * cfg.big_op_exchanges_per_account
    n_low = max(12, int(round(cfg.low_slow_share * N)))
    n_promo = max(20, int(round(cfg.promo_share * N)))
    n_res = max(8, int(round(cfg.reseller_share * N)))
    n_mill = max(15, int(round(cfg.content_mill_share * N)))
    n_fraud = n_big + n_low + n_promo + n_res + n_mill
    nL = N - n_fraud
    log(f"accounts={N} legit={nL} fraud={n_fraud} big={n_big}")

    # --- base attributes (everyone, later overridden)
    country = rng.choice(len(COUNTRIES), N, p=C_W)
    ch = rng.choice(
        4,
        N,
        p=np.array([cfg.mobile_share, cfg.web_share, cfg.bot_share, cfg.api_share])
        / (cfg.mobile_share + cfg.web_share + cfg.bot_share + cfg.api_share),
    )
    # growing sign-up curve: density ~ linear ramp
    created = S0 + ((W1 - DAY - S0) * np.sqrt(rng.random(N))).astype(np.int64)
    ltz = C_TZ[country]
    hr = rng.choice(24, N, p=_diurnal())
    created = (created // DAY) * DAY + ((hr - ltz) % 24) * HOUR + rng.integers(0, HOUR, N)
    created = np.minimum(created, W1 - 60)
    pats = np.zeros(N, np.int64)
    # names / email
    reg = C_REGION[country]
    first = reg * 16 + rng.integers(0, 16, N)
    last = reg * 16 + rng.integers(0, 16, N)
    digits = np.where(rng.random(N) < 0.45, rng.integers(1965, 2008, N), rng.integers(0, 100000, N))
    sep = rng.choice(3, N, p=[0.5, 0.35, 0.15])
    tag = np.zeros(N, np.int64)
    rand_local = np.zeros(N, bool)

    def gen_dom(cn):
        d_ = np.empty(len(cn), np.int64)
        for ci in np.unique(cn):
            c = COUNTRIES[ci]
            m = cn == ci
            ds = list(c[7])
            w = np.array([c[7][d] for d in ds])
            d_[m] = np.array([D_IDX[d] for d in ds])[rng.choice(len(ds), m.sum(), p=w / w.sum())]
        return d_

    def gen_nsn(cn):
        v_ = np.empty(len(cn), np.int64)
        for ci in np.unique(cn):
            c = COUNTRIES[ci]
            m = np.flatnonzero(cn == ci)
            pre = rng.choice(c[5], len(m))
            pl = np.array([len(p) for p in pre])
            pv = np.array([int(p) for p in pre], np.int64)
            rest = c[4] - pl
            v_[m] = pv * 10**rest + (rng.random(len(m)) * 10.0**rest).astype(np.int64)
        return v_

    dom = gen_dom(country)
    custom_dom = np.full(N, -1, np.int64)  # index into custom domain list
    custom_domains: list[str] = []
    # phones
    nsn = gen_nsn(country)
    phone_ctry = country.copy()
    phone_fmt = rng.choice(5, N, p=[0.4, 0.2, 0.2, 0.05, 0.15])
    phone_missing = rng.random(N) < 0.2
    # devices, UA
    device = mix(rng.integers(0, 2**62, N)).astype(np.int64)
    device_missing = np.zeros(N, bool)
    ua = np.where(
        ch == 0,
        rng.integers(0, 8, N),
        np.where(
            ch == 1,
            rng.integers(8, 16, N),
            np.where(ch == 2, 16 + (rng.random(N) < 0.3), rng.integers(8, 16, N)),
        ),
    )
    sdk_ua = rng.integers(18, 22, N)
    org = np.full(N, -1, np.int64)
    org_names: list[str] = []
    # network
    carrier = pick(c_mob, country)
    home_asn = pick(c_isp, country)
    home_v6 = A_V6[home_asn] & (rng.random(N) < 0.25)
    home = rand_ip(home_asn, home_v6)
    country0 = country.copy()

    def regen(idx, keep_last=False):
        """re-derive country-dependent identity (names, mail, phone, carrier, home ISP) after a country change."""
        idx = np.asarray(idx)
        idx = idx[country[idx] != country0[idx]]
        if not len(idx):
            return
        c = country[idx]
        n = len(idx)
        reg[idx] = C_REGION[c]
        first[idx] = reg[idx] * 16 + rng.integers(0, 16, n)
        if not keep_last:
            last[idx] = reg[idx] * 16 + rng.integers(0, 16, n)
        dom[idx] = gen_dom(c)
        nsn[idx] = gen_nsn(c)
        phone_ctry[idx] = c
        carrier[idx] = pick(c_mob, c)
        home_asn[idx] = pick(c_isp, c)
        home[idx] = rand_ip(home_asn[idx], A_V6[home_asn[idx]] & (rng.random(n) < 0.25))
        country0[idx] = c

    mob_cgnat = rng.random(N) < cfg.cgnat_share_of_mobile
    mob_v6 = (~mob_cgnat) & A_V6[carrier] & (rng.random(N) < cfg.ipv6_share_of_mobile / 0.5)
    # carrier CGNAT pool sizes (per ASN)
    ncg = np.bincount(carrier[mob_cgnat & (ch == 0)], minlength=nA)
    pool_M = np.maximum(3, (ncg / cfg.cgnat_mean_users_per_ip * 1.0).astype(np.int64))
    vpn_asns = asn_of_kind["vpn"]
    vpn_M = max(8, N // 3000)
    server = rand_ip(rng.choice(np.r_[asn_of_kind["cloud"], asn_of_kind["hosting"]], N))
    gate_wa = key(
        np.full(5, np.flatnonzero(A_ASN == 16509)[0]), np.arange(5) + 0x3A10
    )  # 5 IPs in one /28
    gate_tg = key(np.full(3, np.flatnonzero(A_ASN == 16509)[0]), np.arange(3) + 0x7C40)
    pool_start = np.zeros(N, np.int64)
    pool_len = np.zeros(N, np.int64)
    ring_ips: list[np.ndarray] = [np.zeros(1, np.int64)]
    ring_ip_n = [1]

    def add_pool(ips):
        s = ring_ip_n[0]
        ring_ips.append(np.asarray(ips, np.int64))
        ring_ip_n[0] += len(ips)
        return s, len(ips)

    def draw_ips(acc, beh):
        """IP keys for events/rows of accounts acc with behaviour beh."""
        n = len(acc)
        k = np.zeros(n, np.int64)
        m = beh == HOME
        k[m] = home[acc[m]]
        m = beh == MPOOL
        if m.any():
            c = carrier[acc[m]]
            k[m] = key(c, 1000 + np.floor(pool_M[c] * rng.random(m.sum()) ** 2.2))
        m = beh == MUNIQ
        if m.any():
            c = carrier[acc[m]]
            k[m] = rand_ip(c, A_V6[c] & (rng.random(m.sum()) < 0.5))
        m = beh == GATE
        if m.any():
            g = ua[acc[m]] == 17
            k[m] = np.where(
                g, gate_tg[rng.integers(0, 3, m.sum())], gate_wa[rng.integers(0, 5, m.sum())]
            )
        m = beh == SERVER
        k[m] = server[acc[m]]
        m = beh == VPN
        if m.any():
            k[m] = key(
                rng.choice(vpn_asns, m.sum()), 3000 + np.floor(vpn_M * rng.random(m.sum()) ** 1.5)
            )
        m = beh == RESPROXY
        if m.any():
            k[m] = rand_ip(rng.choice(all_isp, m.sum()))
        m = beh == RPOOL
        if m.any():
            a = acc[m]
            k[m] = RIP[pool_start[a] + (rng.random(m.sum()) * pool_len[a]).astype(np.int64)]
        return k

    # default behaviours: (primary, secondary, p_primary) for requests and logins
    b1 = np.select(
        [ch == 0, ch == 1, ch == 2, ch == 3],
        [np.where(mob_cgnat, MPOOL, MUNIQ), HOME, GATE, SERVER],
    ).astype(np.int64)
    b2 = np.select(
        [ch == 0, ch == 1, ch == 2, ch == 3], [HOME, np.where(mob_cgnat, MPOOL, MUNIQ), HOME, HOME]
    ).astype(np.int64)
    p1 = np.select([ch == 0, ch == 1, ch == 2, ch == 3], [0.6, 0.85, 0.9, 0.9])
    pats[(ch == 0) & mob_cgnat] |= PB["cgnat"]
    pats[(ch == 0) & mob_v6] |= PB["ipv6_mobile"]
    pats[ch == 2] |= PB["bot_integration"]
    device_missing[(ch == 2) & (rng.random(N) < 0.8)] = True
    RIP = None  # set after pools are built

    # --- legit exclusive groups
    L = np.arange(nL)
    perm = rng.permutation(L)
    shares = [
        ("staff_qa", cfg.staff_share),
        ("household", cfg.household_share),
        ("campus", cfg.campus_share),
        ("office", cfg.office_share),
        ("smb_team", cfg.smb_team_share),
        ("event_burst", cfg.event_burst_share),
        ("multi_account", cfg.multi_account_share),
    ]
    seg = {}
    pos = 0
    for name, s in shares:
        k = max(2, int(round(s * nL)))
        seg[name] = perm[pos : pos + k]
        pos += k
    rest = perm[pos:]
    cafe_ok = np.isin(country[rest], [C_IDX[c] for c in ("PK", "BD", "EG", "IN", "TR")])
    cafe_c = rest[cafe_ok]
    k1 = min(len(cafe_c) // 2, int(round(cfg.internet_cafe_share * nL)))
    k2 = min(len(cafe_c) - k1, int(round(cfg.reseller_card_share * nL)))
    cafe_ok2 = np.isin(country[cafe_c[k1:]], [C_IDX[c] for c in ("PK", "BD", "EG", "IN")])
    seg["internet_cafe"] = cafe_c[:k1]
    seg["reseller_card"] = cafe_c[k1:][cafe_ok2][:k2]
    for nm in seg:
        pats[seg[nm]] |= PB[nm]

    paid = rng.random(N) < np.select([ch == 0, ch == 1, ch == 2, ch == 3], [0.15, 0.25, 0.05, 0.75])
    card = np.where(paid, np.arange(N), -1)  # card id = owner index for base cards
    card_added = created + rng.integers(60, 40 * DAY, N)
    tmpl = np.full(N, -1, np.int64)  # group template key index (legit)

    # household
    m_, g_, l_ = groups(rng, seg["household"], 2, 5, 2.0)
    country[m_] = country[l_]
    regen(m_, True)
    last[m_] = last[l_]
    home[m_] = home[l_]
    home_asn[m_] = home_asn[l_]
    carrier[m_] = carrier[l_]
    ng = g_.max() + 1 if len(g_) else 0
    gshare = rng.random(ng) < cfg.household_card_share
    s = gshare[g_]
    paid[l_[s]] = True
    card[l_[s]] = l_[s]
    card[m_[s]] = l_[s]
    paid[m_[s]] = True
    tab = rng.random(ng) < cfg.family_tablet_share
    s = tab[g_]
    device[m_[s]] = device[l_[s]]
    ua[m_[s]] = ua[l_[s]]
    device_missing[m_[s]] = False
    pats[m_[s]] |= PB["family_tablet"]
    # campus
    m_, g_, l_ = groups(rng, seg["campus"], 20, 400, 1.2)
    country[m_] = country[l_]
    regen(m_)
    el = [e if len(e) else c_isp[i] for i, e in enumerate(c_edu)]
    edu = (
        np.array([el[c][g % len(el[c])] for c, g in zip(country[l_], g_, strict=False)], np.int64)
        if len(m_)
        else np.zeros(0, np.int64)
    )
    cip = key(edu, (mix(g_ + 17) % np.uint64(1 << 16)).astype(np.int64) + 100)
    home[m_] = cip
    ng = g_.max() + 1 if len(g_) else 0
    for gi in range(ng):
        custom_domains.append(f"std.uni{gi}-{C_CODE[country[l_[g_ == gi][0]]].lower()}.edu")
    use = rng.random(len(m_)) < 0.5
    custom_dom[m_[use]] = len(custom_domains) - ng + g_[use]
    sem = np.where(rng.random(len(m_)) < 0.5, _t("2025-09-22T00:00:00"), _t("2026-02-16T00:00:00"))
    created[m_] = np.where(
        rng.random(len(m_)) < 0.6, sem + rng.integers(0, 21 * DAY, len(m_)), created[m_]
    )
    # office
    m_, g_, l_ = groups(rng, seg["office"], 10, 200, 1.3)
    country[m_] = country[l_]
    regen(m_)
    home[m_] = key(home_asn[l_], (mix(g_ + 991) % np.uint64(1 << 16)).astype(np.int64) + 200)
    # smb teams
    m_, g_, l_ = groups(rng, seg["smb_team"], 2, 40, 1.3)
    ng = g_.max() + 1 if len(g_) else 0
    o0 = len(org_names)
    words = [
        "anka",
        "deniz",
        "nova",
        "atlas",
        "kervan",
        "pixel",
        "bulut",
        "sahra",
        "verde",
        "luma",
        "orbit",
        "zeytin",
        "palmera",
        "indus",
    ]
    for gi in range(ng):
        org_names.append(f"org_{int(mix(gi + 5000 + cfg.seed) % np.uint64(16**10)):010x}")
        custom_domains.append(
            f"{words[gi % len(words)]}{words[(gi * 7 + 3) % len(words)]}{gi}.{['com', 'com.tr', 'de', 'co.uk', 'com.br', 'ae', 'in', 'io'][gi % 8]}"
        )
    org[m_] = o0 + g_
    custom_dom[m_] = len(custom_domains) - ng + g_
    country[m_] = country[l_]
    regen(m_)
    home[m_] = home[l_]
    server[m_] = server[l_]
    ch[m_] = np.where(rng.random(len(m_)) < 0.6, 3, 1)
    created[m_] = np.maximum(created[m_], created[l_]) + np.where(
        m_ == l_, 0, rng.integers(0, 60 * DAY, len(m_))
    )
    cc = (rng.random(ng) < cfg.smb_company_card_share)[g_]
    paid[l_[cc]] = True
    card[l_[cc]] = l_[cc]
    card[m_[cc]] = l_[cc]
    paid[m_[cc]] = True
    tmpl[m_] = 1_000_000 + g_
    smb_sharekey = (rng.random(ng) < 0.3)[g_]
    smb_leader = np.full(N, -1, np.int64)
    smb_leader[m_] = np.where(smb_sharekey, l_, m_)
    # event bursts
    m_, g_, l_ = groups(rng, seg["event_burst"], 15, 80, 2.0)
    country[m_] = country[l_]
    regen(m_)
    ev_m = m_
    venue_ip = key(home_asn[l_], (mix(g_ + 4242) % np.uint64(1 << 16)).astype(np.int64) + 300)
    created[m_] = created[l_] + rng.integers(0, 2 * HOUR, len(m_))
    tmpl[m_] = 2_000_000 + g_
    # multi-account persons
    m_, g_, l_ = groups(rng, seg["multi_account"], 2, 4, 2.5)
    for arr in (country, first, last, digits, dom, reg, home, home_asn, carrier):
        arr[m_] = arr[l_]
    chg = m_[phone_ctry[m_] != country[m_]]
    nsn[chg] = gen_nsn(country[chg])
    phone_ctry[chg] = country[chg]
    country0[m_] = country[m_]
    ism = m_ != l_
    gm = dom[m_] == D_IDX["gmail.com"]
    v = rng.random(len(m_))
    sep[m_[ism & gm & (v < 0.5)]] = (sep[l_[ism & gm & (v < 0.5)]] + 1) % 2
    tag[m_[ism & gm & (v >= 0.5)]] = rng.integers(1, 7, (ism & gm & (v >= 0.5)).sum())
    alt = ism & ~gm
    dom[m_[alt]] = np.where(rng.random(alt.sum()) < 0.7, D_IDX["gmail.com"], D_IDX["outlook.com"])
    sd = ism & (rng.random(len(m_)) < 0.6)
    device[m_[sd]] = device[l_[sd]]
    device_missing[m_[sd]] = device_missing[l_[sd]]
    sc = ism & (rng.random(len(m_)) < 0.5) & paid[l_]
    card[m_[sc]] = card[l_[sc]]
    paid[m_[sc]] = True
    sp = ism & (rng.random(len(m_)) < 0.3)
    nsn[m_[sp]] = nsn[l_[sp]]
    phone_ctry[m_[sp]] = phone_ctry[l_[sp]]
    created[m_[ism]] = np.minimum(
        created[l_[ism]] + rng.integers(DAY, 200 * DAY, ism.sum()), W1 - 3600
    )
    # internet cafes
    m_, g_, l_ = groups(rng, seg["internet_cafe"], 5, 60, 1.5)
    country[m_] = country[l_]
    regen(m_)
    cafe_m = m_
    cafe_ip = key(home_asn[l_], (mix(g_ + 777) % np.uint64(1 << 16)).astype(np.int64) + 400)
    device[m_] = mix(g_ * 16 + rng.integers(0, 3 + (g_ % 8), len(m_)) + 88_000_000).astype(np.int64)
    ua[m_] = 8
    ch[m_] = 1
    device_missing[m_] = False
    # resellers / payment agents
    m_, g_, l_ = groups(rng, seg["reseller_card"], 10, 200, 1.2)
    paid[m_] = True
    card[m_] = l_
    paid[l_] = True
    card[l_] = l_
    shop = rng.random(len(m_)) < 0.3
    shop_ip = key(home_asn[l_], (mix(g_ + 555) % np.uint64(1 << 16)).astype(np.int64) + 500)[shop]
    shop_m = m_[shop]
    # staff / QA
    st = seg["staff_qa"]
    plat = np.flatnonzero(A_KIND == "platform")[0]
    office_ips = key(np.full(16, plat), np.arange(16) + 0x0100)
    country[st] = C_IDX["TR"]
    regen(st)
    dom[st] = D_IDX["yoldash.ai"]
    custom_dom[st] = -1
    org_names.append("org_yoldash_internal")
    org[st] = len(org_names) - 1
    home[st] = office_ips[rng.integers(0, 16, len(st))]
    ch[st] = 3
    qa_dev = mix(np.arange(10) + 31337).astype(np.int64)
    device[st] = qa_dev[rng.integers(0, 10, len(st))]
    device_missing[st] = False
    paid[st] = True
    card[st] = N + rng.integers(0, 3, len(st))  # 3 test cards, ids N..N+2
    tag[st] = np.where(rng.random(len(st)) < 0.5, 5, 0)
    server[st] = key(
        np.full(len(st), np.flatnonzero(A_ASN == 16509)[0]), 0x9000 + rng.integers(0, 8, len(st))
    )
    # overlays: vpn, launch waves, dormant
    vpn_u = np.zeros(N, bool)
    vpn_u[L] = rng.random(nL) < cfg.vpn_share
    vpn_u[st] = False
    pats[vpn_u] |= PB["vpn"]
    lw = np.zeros(N, bool)
    lw[rest] = rng.random(len(rest)) < cfg.launch_wave_share
    waves = np.array(
        [_t("2025-09-15T07:00:00"), _t("2026-01-20T06:00:00"), _t("2026-04-28T09:00:00")]
    )
    wv = rng.integers(0, 3, lw.sum())
    created[lw] = (
        waves[wv] + (rng.exponential(0.8 * DAY, lw.sum())).astype(np.int64) - ltz[lw] * HOUR
    )
    pats[lw] |= PB["launch_wave"]
    old = np.zeros(N, bool)
    old[L] = created[L] < W0 - 120 * DAY
    dorm = old & (rng.random(N) < cfg.dormant_return_share / 0.3)
    pats[dorm] |= PB["dormant_return"]
    pats &= ~(PB["cgnat"] | PB["ipv6_mobile"] | PB["bot_integration"])
    # recompute channel-dependent behaviour for changed channels
    b1 = np.select(
        [ch == 0, ch == 1, ch == 2, ch == 3],
        [np.where(mob_cgnat, MPOOL, MUNIQ), HOME, GATE, SERVER],
    ).astype(np.int64)
    b2 = np.select(
        [ch == 0, ch == 1, ch == 2, ch == 3], [HOME, np.where(mob_cgnat, MPOOL, MUNIQ), HOME, HOME]
    ).astype(np.int64)
    b2[vpn_u] = VPN
    b1[vpn_u & (ch < 2)] = VPN
    p1 = np.select([ch == 0, ch == 1, ch == 2, ch == 3], [0.6, 0.85, 0.9, 0.9])
    pats[(ch == 0) & mob_cgnat] |= PB["cgnat"]
    pats[(ch == 0) & mob_v6] |= PB["ipv6_mobile"]
    pats[ch == 2] |= PB["bot_integration"]
    # legit signup ip
    signup = draw_ips(
        np.arange(N),
        np.where(ch == 0, np.where(mob_cgnat, MPOOL, MUNIQ), np.where(ch == 2, GATE, HOME)),
    )
    signup[vpn_u] = draw_ips(np.flatnonzero(vpn_u), np.full(vpn_u.sum(), VPN))
    cm = pats & (PB["campus"] | PB["office"]) != 0
    cmm = np.flatnonzero(cm)
    cmm = cmm[rng.random(len(cmm)) < 0.7]
    signup[cmm] = home[cmm]
    signup[ev_m] = venue_ip
    signup[cafe_m] = cafe_ip
    home[cafe_m] = np.where(rng.random(len(cafe_m)) < 0.5, cafe_ip, home[cafe_m])
    signup[shop_m] = shop_ip
    signup[st] = home[st]
    # event venue / cafe / shop IPs

    # ------------------------------------------------------------------ fraud
    F0 = nL
    fid = np.arange(F0, N)
    is_fraud = np.zeros(N, bool)
    is_fraud[F0:] = True
    style = np.empty(N, object)
    ring = np.empty(N, object)
    camp = np.empty(N, object)
    big = fid[:n_big]
    o = n_big
    low = fid[o : o + n_low]
    o += n_low
    promo = fid[o : o + n_promo]
    o += n_promo
    resl = fid[o : o + n_res]
    o += n_res
    mill = fid[o : o + n_mill]
    pats[F0:] = 0
    # assign big op styles
    bst = [
        "distill_device_farm",
        "distill_resproxy_stealth",
        "distill_aged_accounts",
        "distill_camouflage_consumer",
        "distill_fake_smb_seats",
    ]
    bfr = np.array([0.28, 0.24, 0.16, 0.16, 0.16])
    bcnt = np.floor(bfr * n_big).astype(np.int64)
    bcnt[0] += n_big - bcnt.sum()
    bsplit = np.split(big, np.cumsum(bcnt)[:-1])
    ring_idx = np.full(N, -1, np.int64)
    rlist = []

    def add_rings(members, lo, hi, a, stname, prefix, campaign):
        m_, g_, l_ = groups(rng, members, lo, hi, a)
        base = len(rlist)
        for gi in range(g_.max() + 1 if len(g_) else 0):
            rlist.append((stname, f"{prefix}-{base + gi + 1:03d}", campaign))
        ring_idx[m_] = base + g_
        return m_, g_, base

    farm_m, farm_g, _ = add_rings(bsplit[0], 80, 250, 1.5, bst[0], "R-DF", "C-DIST-1")
    stl_m, stl_g, _ = add_rings(bsplit[1], 150, 500, 1.5, bst[1], "R-RS", "C-DIST-1")
    aged_m, aged_g, _ = add_rings(bsplit[2], 50, 150, 1.5, bst[2], "R-AG", "C-DIST-2")
    cam_m, cam_g, _ = add_rings(bsplit[3], 100, 300, 1.5, bst[3], "R-CC", "C-DIST-2")
    smb_m, smb_g, _ = add_rings(bsplit[4], 40, 200, 1.5, bst[4], "R-FS", "C-DIST-1")
    low_m, low_g, _ = add_rings(low, 10**9, 10**9, 1.5, "low_and_slow", "R-LS", "C-QUIET")
    pro_m, pro_g, _ = add_rings(promo, 50, 200, 1.5, "promo_farm", "R-PF", "C-PROMO")
    res_m, res_g, _ = add_rings(
        resl, max(4, n_res // 2), n_res, 1.5, "api_key_reseller", "R-KR", "C-RESELL"
    )
    mil_m, mil_g, _ = add_rings(mill, 60, 300, 1.5, "sms_content_mill", "R-CM", "C-MILL")
    nR = len(rlist)
    R_STYLE = np.array([r[0] for r in rlist], object)
    style[F0:] = R_STYLE[ring_idx[F0:]]
    ring[F0:] = np.array([r[1] for r in rlist], object)[ring_idx[F0:]]
    camp[F0:] = np.array([r[2] for r in rlist], object)[ring_idx[F0:]]
    # ring parameters
    r_d0 = rng.integers(0, 30, nR)
    r_d1 = np.minimum(45, r_d0 + rng.integers(10, 35, nR))
    r_h0 = rng.integers(0, 24, nR)
    r_hl = np.full(nR, 24)
    rng.choice(C_TZ, nR)
    fstyle = np.array(style[F0:], dtype=str)
    ri = ring_idx

    def sty(name):
        return np.flatnonzero(fstyle == name) + F0

    paid[F0:] = False
    card[F0:] = -1
    device_missing[F0:] = False
    tag[F0:] = 0
    custom_dom[F0:] = -1
    org[F0:] = -1
    rand_local[F0:] = False
    tmpl[F0:] = -1
    next_card = [N + 10]

    def new_cards(n):
        s = next_card[0]
        next_card[0] += n
        return np.arange(s, s + n)

    CM_BIN, _CM_CTRY, _CM_FUND, _CM_POST = [], [], [], []

    def meta(ids, bins, ctry, fund, post):
        CM_BIN.append(
            (
                ids,
                np.asarray(bins, object),
                np.asarray(ctry, object),
                np.asarray(fund, object),
                np.asarray(post, object),
            )
        )

    # farm
    a = sty(bst[0])
    r = ri[a]
    country[a] = rng.choice([C_IDX[c] for c in ("IN", "PK", "BD", "TR", "EG")], len(a))
    regen(a)
    ch[a] = 0
    ua[a] = np.where(rng.random(len(a)) < 0.7, 22, rng.integers(0, 8, len(a)))
    device[a] = mix(r * 1000 + rng.integers(0, 4 + r % 9, len(a)) + 7_000_000).astype(np.int64)
    for rr in np.unique(r):
        mm = a[r == rr]
        pool_start[mm], pool_len[mm] = add_pool(
            rand_ip(
                rng.choice(asn_of_kind["hosting"], 1 + rr % 3).repeat(1 + rng.integers(2, 8) // 2)
            )
        )
        nc = max(1, len(mm) // 6)
        ids = new_cards(nc)
        card[mm] = ids[rng.integers(0, nc, len(mm))]
        fb = FINTECH_BINS[rr % 4]
        meta(ids, [fb[0]] * nc, [fb[1]] * nc, [fb[2]] * nc, [None] * nc)
        created[mm] = (
            W0 + r_d0[rr] * DAY - rng.integers(5, 30) * DAY + rng.integers(0, 3 * DAY, len(mm))
        )
    paid[a] = True
    card_added[a] = created[a] + rng.integers(300, 3 * HOUR, len(a))
    b1[a] = RPOOL
    b2[a] = RPOOL
    p1[a] = 1
    # stealth
    a = sty(bst[1])
    r = ri[a]
    country[a] = rng.choice(
        [C_IDX[c] for c in ("DE", "GB", "FR", "ES", "IT", "NL", "PL", "BR", "MX")], len(a)
    )
    regen(a)
    ch[a] = 1
    ua[a] = rng.integers(8, 16, len(a))
    dom[a] = np.array(
        [
            D_IDX[d]
            for d in (
                "gmail.com",
                "outlook.com",
                "proton.me",
                "gmx.de",
                "hotmail.com",
                "tutanota.com",
            )
        ]
    )[rng.integers(0, 6, len(a))]
    created[a] = W0 - 60 * DAY + rng.integers(0, 80 * DAY, len(a))
    created[a] = np.minimum(created[a], W0 + r_d0[r] * DAY - DAY)
    ids = new_cards(len(a))
    card[a] = ids
    paid[a] = True
    card_added[a] = created[a] + rng.integers(120, 1800, len(a))
    fb = np.array(FINTECH_BINS, object)[(r % 3)]
    meta(
        ids,
        fb[:, 0],
        fb[:, 1],
        np.where(rng.random(len(a)) < 0.7, "prepaid", "debit"),
        [None] * len(a),
    )
    b1[a] = RESPROXY
    b2[a] = RESPROXY
    p1[a] = 1
    r_hl[np.unique(r)] = 12
    # aged (keep base legit-looking identity; created long ago)
    a = sty(bst[2])
    r = ri[a]
    created[a] = W0 - rng.integers(120, 370, len(a)) * DAY + rng.integers(0, DAY, len(a))
    for rr in np.unique(r):
        mm = a[r == rr]
        pool_start[mm], pool_len[mm] = add_pool(
            key(
                np.full(20, rng.choice(np.r_[asn_of_kind["vpn"][:2], asn_of_kind["hosting"]])),
                rng.integers(0, 4096) * 256 + rng.integers(1, 255, 20),
            )
        )
        nc = max(1, len(mm) // 4)
        ids = new_cards(nc)
        card[mm] = ids[rng.integers(0, nc, len(mm))]
        sb = STOLEN_BINS[rr % len(STOLEN_BINS)]
        meta(ids, [sb[0]] * nc, [sb[1]] * nc, ["prepaid"] * nc, ["10001"] * nc)
        card_added[mm] = W0 + r_d0[rr] * DAY - rng.integers(1, 5 * DAY, len(mm))
    paid[a] = True
    b1[a] = RPOOL
    b2[a] = RPOOL
    p1[a] = 1
    r_hl[np.unique(r)] = 18
    aged_a = a
    # camouflage consumer
    a = sty(bst[3])
    r = ri[a]
    country[a] = np.where(rng.random(len(a)) < 0.5, C_IDX["TR"], C_IDX["IN"])
    ch[a] = 0
    ua[a] = rng.choice([1, 3, 7], len(a))
    carrier[a] = pick(c_mob, country[a])
    mob_cgnat[a] = True
    dom[a] = D_IDX["gmail.com"]
    reg[a] = C_REGION[country[a]]
    first[a] = reg[a] * 16 + rng.integers(0, 16, len(a))
    last[a] = reg[a] * 16 + rng.integers(0, 16, len(a))
    phone_ctry[a] = country[a]
    phone_missing[a] = False
    blockbase = np.where(country[a] == C_IDX["TR"], 5_530_000_000, 9_870_000_000) + r * 7919 * 13
    nsn[a] = blockbase + rng.integers(0, 5000, len(a))
    created[a] = W0 - 60 * DAY + rng.integers(0, 75 * DAY, len(a))
    ids = new_cards(len(a))
    card[a] = ids
    paid[a] = True
    card_added[a] = created[a] + rng.integers(DAY, 5 * DAY, len(a))
    meta(
        ids,
        np.where(country[a] == C_IDX["TR"], "979216", "652150"),
        np.where(country[a] == C_IDX["TR"], "TR", "IN"),
        ["debit"] * len(a),
        np.array(["34710", "34394", "560034", "400053"], object)[r % 4],
    )
    b1[a] = MPOOL
    b2[a] = HOME
    p1[a] = 0.8
    # fake smb seats
    a = sty(bst[4])
    r = ri[a]
    m_, g_, l_ = groups(rng, a, 5, 30, 1.5)
    ng = g_.max() + 1
    o0 = len(org_names)
    d0 = len(custom_domains)
    fake_words = ["nexa", "quant", "synth", "cortex", "vertex", "lumen", "axon", "helix"]
    for gi in range(ng):
        org_names.append(f"org_{int(mix(gi + 9_000_000 + cfg.seed) % np.uint64(16**10)):010x}")
        custom_domains.append(
            f"{fake_words[gi % 8]}{['labs', 'ai', 'soft', 'data'][gi % 4]}{gi % 97}.{['io', 'co', 'com', 'dev'][gi % 4]}"
        )
    org[m_] = o0 + g_
    custom_dom[m_] = d0 + g_
    ch[m_] = 3
    country[m_] = country[l_]
    regen(m_)
    server[m_] = server[l_]
    home[m_] = server[m_]
    ids = new_cards(ng)
    card[m_] = ids[g_]
    paid[m_] = True
    meta(
        ids,
        np.array([FINTECH_BINS[i % 4][0] for i in range(ng)], object),
        np.array([FINTECH_BINS[i % 4][1] for i in range(ng)], object),
        ["prepaid"] * ng,
        [None] * ng,
    )
    created[m_] = (
        W0
        + r_d0[ri[l_]] * DAY
        - rng.integers(3, 20, len(m_)) * DAY
        + rng.integers(0, 2 * DAY, len(m_))
    )
    card_added[m_] = created[l_] + HOUR
    b1[m_] = SERVER
    b2[m_] = SERVER
    p1[m_] = 1
    sf = np.unique(r)
    r_h0[sf] = 6
    r_hl[sf] = 10
    # low and slow
    a = sty("low_and_slow")
    country[a] = rng.choice([C_IDX[c] for c in ("DE", "NL", "PL", "GB")], len(a))
    regen(a)
    ch[a] = 1
    ua[a] = rng.integers(8, 16, len(a))
    home_asn[a] = pick(c_isp, country[a])
    home[a] = rand_ip(home_asn[a])
    created[a] = W0 - 180 * DAY + rng.integers(0, 170 * DAY, len(a))
    ids = new_cards(len(a))
    card[a] = ids
    paid[a] = True
    card_added[a] = created[a] + rng.integers(DAY, 20 * DAY, len(a))
    meta(ids, ["537410"] * len(a), ["PL"] * len(a), ["debit"] * len(a), [None] * len(a))
    b1[a] = HOME
    b2[a] = HOME
    p1[a] = 1
    # promo farm
    a = sty("promo_farm")
    r = ri[a]
    country[a] = rng.choice([C_IDX[c] for c in ("TR", "BR", "EG", "IN")], len(a))
    regen(a)
    ch[a] = 0
    ua[a] = rng.integers(0, 8, len(a))
    base_person = rng.integers(0, 20, len(a)) + 20 * (r % 5)
    disp = rng.random(len(a)) < 0.35
    dom[a] = np.where(
        disp,
        np.array(
            [
                D_IDX[d]
                for d in ("mailinator.com", "yopmail.com", "10minutemail.net", "guerrillamail.com")
            ]
        )[rng.integers(0, 4, len(a))],
        D_IDX["gmail.com"],
    )
    first[a] = base_person % len(FIRST)
    last[a] = (base_person * 7) % len(LAST)
    digits[a] = 1000 + base_person
    sep[a] = rng.integers(0, 2, len(a))
    tag[a] = np.where(disp, 0, rng.integers(0, len(TAGS), len(a)))
    rand_local[a[disp]] = True
    device[a] = np.where(
        rng.random(len(a)) < 0.5,
        mix(r * 100 + rng.integers(0, 6, len(a)) + 5_000_000).astype(np.int64),
        device[a],
    )
    carrier[a] = pick(c_mob, country[a])
    keep = [x[a].copy() for x in (first, last, dom, digits, sep, tag)]
    for rr in np.unique(r):
        mm = a[r == rr]
        c0 = carrier[mm[0]]
        carrier[mm] = c0
        country[mm] = C_IDX[A_CTRY[c0]]
        regen(mm)
        carrier[mm] = c0
        pool_start[mm], pool_len[mm] = add_pool(
            key(np.full(4, c0), 1000 + rng.integers(0, max(1, pool_M[c0]), 4))
        )
        created[mm] = (
            waves[rr % 3] + rng.integers(0, 6 * HOUR, len(mm))
            if rr % 2
            else W0 + r_d0[rr] * DAY + rng.integers(0, 3 * HOUR, len(mm))
        )
    for x, kv in zip((first, last, dom, digits, sep, tag), keep, strict=False):
        x[a] = kv
    phone_missing[a] = rng.random(len(a)) < 0.5
    nsn[a] = 5_000_000_000 + r * 100_000 + np.arange(len(a)) % 1000
    b1[a] = RPOOL
    b2[a] = RPOOL
    p1[a] = 1
    # api key reseller
    a = sty("api_key_reseller")
    r = ri[a]
    ch[a] = 3
    ua[a] = rng.integers(8, 16, len(a))
    created[a] = W0 - rng.integers(10, 90, len(a)) * DAY + rng.integers(0, DAY, len(a))
    ids = new_cards(len(a))
    card[a] = ids
    paid[a] = True
    card_added[a] = created[a] + rng.integers(60, 600, len(a))
    sb = np.array(STOLEN_BINS, object)[rng.integers(0, len(STOLEN_BINS), len(a))]
    meta(
        ids,
        sb[:, 0],
        sb[:, 1],
        sb[:, 2],
        rng.choice(["10001", "94103", "M5V 3L9", "SW1A 1AA", "60614"], len(a)),
    )
    for rr in np.unique(r):
        mm = a[r == rr]
        pool_start[mm], pool_len[mm] = add_pool(
            rand_ip(rng.choice(np.flatnonzero(np.isin(A_ASN, [20473, 14061])), 4))
        )
    b1[a] = RPOOL
    b2[a] = RESPROXY
    p1[a] = 0.95
    # content mill
    a = sty("sms_content_mill")
    r = ri[a]
    ch[a] = 1
    ua[a] = rng.choice([8, 15, 23], len(a))
    dom[a] = np.where(rng.random(len(a)) < 0.5, D_IDX["outlook.com"], D_IDX["hotmail.com"])
    rand_local[a] = True
    pc_ = rng.choice([C_IDX[c] for c in ("GB", "PL", "BR", "IN")], len(a))
    phone_ctry[a] = pc_
    phone_missing[a] = False
    nsn[a] = np.where(
        pc_ == C_IDX["GB"],
        7_700_900_000,
        np.where(
            pc_ == C_IDX["PL"],
            729_000_000,
            np.where(pc_ == C_IDX["BR"], 11_970_000_000, 9_390_000_000),
        ),
    ) + rng.integers(0, max(10, len(a) // 2), len(a))
    for rr in np.unique(r):
        mm = a[r == rr]
        pool_start[mm], pool_len[mm] = add_pool(
            rand_ip(rng.choice(np.flatnonzero(np.isin(A_ASN, [16276, 24940])), 6))
        )
        k = len(mm)
        life0 = np.sort(rng.integers(0, 38 * DAY, k))
        created[mm] = W0 + life0
    b1[a] = RPOOL
    b2[a] = RPOOL
    p1[a] = 1
    np.zeros(N, np.int64)
    RIP = np.concatenate(ring_ips)
    # fraud signup IPs / misc
    fr = np.arange(F0, N)
    signup[fr] = draw_ips(fr, b1[fr])
    ag = aged_a
    signup[ag] = home[ag]
    cama = sty(bst[3])
    signup[cama] = draw_ips(cama, np.full(len(cama), MPOOL))
    pats[fr] = 0
    created = np.clip(created, S0, W1 - 60)
    card_added = np.clip(np.maximum(card_added, created + 30), None, W1 - 30)
    if len(seg["event_burst"]):
        pass
    log("attributes done")

    # ------------------------------------------------------------------ accounts table
    perm_id = rng.permutation(N)
    acc_id = pc.binary_join_element_wise("u", nums(perm_id + 1_000_000, 0), "")
    fn = vocab(FIRST, first)
    ln = vocab(LAST, last)
    sp = vocab(["", ".", "_"], sep)
    dg = pc.if_else(pa.array(digits >= 0), nums(digits), pa.scalar(""))
    local = pc.binary_join_element_wise(fn, sp, ln, dg, "")
    local = pc.if_else(pa.array(rand_local), hexs(mix(np.arange(N) + 12345 * cfg.seed), 9), local)
    local = pc.binary_join_element_wise(local, vocab(TAGS, tag), "")
    domain = vocab(DOMAINS, dom)
    if custom_domains:
        domain = pc.if_else(
            pa.array(custom_dom >= 0), vocab(custom_domains, np.maximum(custom_dom, 0)), domain
        )
    email = pc.binary_join_element_wise(local, domain, "@")
    import pandas as pd

    dup = pd.Series(email.to_numpy(zero_copy_only=False)).duplicated().to_numpy()
    for _ in range(4):  # platform enforces unique e-mail: colliding strangers get extra digits
        if not dup.any():
            break
        local = pc.if_else(
            pa.array(dup),
            pc.binary_join_element_wise(local, nums(rng.integers(10, 999, N)), ""),
            local,
        )
        email = pc.binary_join_element_wise(local, domain, "@")
        dup = pd.Series(email.to_numpy(zero_copy_only=False)).duplicated().to_numpy()
    # phone
    cc = vocab([c[3] for c in COUNTRIES], phone_ctry)
    tr_ = vocab([c[6] for c in COUNTRIES], phone_ctry)
    np.array([c[4] for c in COUNTRIES])[phone_ctry]
    ns = nums(nsn)
    ns = pc.utf8_lpad(ns, 9, "0")
    h3 = pc.utf8_slice_codeunits(ns, 0, 3)
    t3 = pc.utf8_slice_codeunits(ns, 3, 20)
    f = [
        pc.binary_join_element_wise("+", cc, ns, ""),
        pc.binary_join_element_wise("+", cc, " ", h3, " ", t3, ""),
        pc.binary_join_element_wise(tr_, ns, ""),
        pc.binary_join_element_wise("00", cc, ns, ""),
        pc.binary_join_element_wise(tr_, h3, "-", t3, ""),
    ]
    phone = f[0]
    for k in range(1, 5):
        phone = pc.if_else(pa.array(phone_fmt == k), f[k], phone)

    def ipstr(k):
        k = np.asarray(k, np.int64)
        ai = (k >> 44) & 0xFFFF
        v6 = (k >> 43) & 1
        host = k & ((1 << 43) - 1)
        v4 = A_BASE[ai] + (host & ((1 << 20) - 1))
        o_ = [nums((v4 >> s) & 255) for s in (24, 16, 8, 0)]
        s4 = pc.binary_join_element_wise(*o_, ".")
        if v6.any():
            hx = hex4()
            g = [hx.take(pa.array((host >> s) & 0xFFFF)) for s in (32, 16, 0)]
            g = [pc.utf8_ltrim(x, "0") for x in g]
            g = [pc.if_else(pc.equal(x, ""), pa.scalar("0"), x) for x in g]
            s6 = pc.binary_join_element_wise(vocab(A_V6P, ai), g[0], g[1], g[2], ":")
            s6 = pc.binary_join_element_wise(s6, "::1", "")
            return pc.if_else(pa.array(v6 == 1), s6, s4), ai
        return s4, ai

    sip, _ = ipstr(signup)
    dev = hexs(device.view(np.uint64) if device.dtype == np.int64 else device, 32)
    ms = cfg.missing_share
    acc_tbl = pa.table(
        {
            "account_id": acc_id,
            "created_at": pa.array(created, pa.timestamp("s", tz="UTC")),
            "email": null_where(email, rng.random(N) < ms * 0.5),
            "phone": null_where(phone, phone_missing),
            "signup_ip": null_where(sip, rng.random(N) < ms * 0.5),
            "device_id": null_where(dev, device_missing | (rng.random(N) < ms)),
            "user_agent": null_where(vocab(UAS, ua), rng.random(N) < ms),
            "country": null_where(vocab(C_CODE, country), rng.random(N) < ms),
            "org_id": null_where(vocab(org_names or ["x"], np.maximum(org, 0)), org < 0),
        }
    )
    order = np.argsort(created, kind="stable")
    pq.write_table(acc_tbl.take(pa.array(order)), out / "accounts.parquet")
    counts = {"accounts": N}
    log("accounts written")

    # ------------------------------------------------------------------ payments
    pa_acc = np.flatnonzero(paid & (card >= 0))
    pcard = card[pa_acc]
    padd = card_added[pa_acc]
    # second card for some legit payers
    sc = pa_acc[(pa_acc < F0) & (rng.random(len(pa_acc)) < 0.08)]
    pa_acc = np.r_[pa_acc, sc]
    pcard = np.r_[pcard, N + 100_000_000 + sc]
    padd = np.r_[padd, np.minimum(card_added[sc] + rng.integers(DAY, 90 * DAY, len(sc)), W1 - 60)]
    # legit meta
    nP = len(pa_acc)
    owner = np.where(
        pcard < N, pcard, np.where(pcard >= N + 100_000_000, pcard - N - 100_000_000, -1)
    )
    oc = np.where(owner >= 0, country[np.maximum(owner, 0)], C_IDX["TR"])
    binr = np.random.default_rng(4242)
    bins_c = [
        [f"{d}{binr.integers(10000, 99999)}" for d in binr.choice([4, 5], 6)] for _ in COUNTRIES
    ]
    binpick = (mix(pcard) % np.uint64(6)).astype(np.int64)
    binv = np.array([b for c in bins_c for b in c], object)
    pbin = binv[oc * 6 + binpick]
    pcty = np.array(C_CODE, object)[oc]
    pfund = np.array(["debit", "credit", "prepaid", "unknown"], object)[
        (mix(pcard + 7) % np.uint64(100)).astype(np.int64) // 35 % 4
    ]
    np.full(nP, None, object)
    post_all = _postal(rng, oc)
    # staff test cards
    stc = (pcard >= N) & (pcard < N + 3)
    pbin[stc] = "424242"
    pcty[stc] = "TR"
    pfund[stc] = "credit"
    post_all[stc] = "34394"
    # fraud meta overrides
    if CM_BIN:
        ids = np.concatenate([m[0] for m in CM_BIN])
        mb = np.concatenate([m[1] for m in CM_BIN])
        mc = np.concatenate([m[2] for m in CM_BIN])
        mf = np.concatenate([m[3] for m in CM_BIN])
        mp = np.concatenate([m[4] for m in CM_BIN])
        srt = np.argsort(ids)
        ids = ids[srt]
        pos_ = np.searchsorted(ids, pcard)
        pos_ = np.minimum(pos_, len(ids) - 1)
        hit = ids[pos_] == pcard
        j = srt[pos_[hit]]
        pbin[hit] = mb[j]
        pcty[hit] = mc[j]
        pfund[hit] = mf[j]
        fp_post = mp[j]
        has = np.array([x is not None for x in fp_post], bool)
        hp = np.flatnonzero(hit)
        post_all[hp[has]] = fp_post[has]
        nohas = hp[~has]
        post_all[nohas] = _postal(rng, np.full(len(nohas), C_IDX["GB"]))
    cfp = hexs(mix(pcard * 31 + 7), 16)
    pay_tbl = pa.table(
        {
            "account_id": acc_id.take(pa.array(pa_acc)),
            "card_fingerprint": cfp,
            "card_bin": null_where(pa.array(pbin, pa.string()), rng.random(nP) < ms * 0.5),
            "card_country": null_where(pa.array(pcty, pa.string()), rng.random(nP) < ms * 0.5),
            "funding": pa.array(pfund, pa.string()),
            "billing_postal_code": null_where(
                pa.array(post_all, pa.string()), rng.random(nP) < ms * 2
            ),
            "created_at": pa.array(padd, pa.timestamp("s", tz="UTC")),
        }
    )
    pq.write_table(pay_tbl, out / "payments.parquet")
    counts["payments"] = nP
    log("payments written")

    # ------------------------------------------------------------------ ip events
    active = np.zeros(N, bool)
    active[:F0] = (
        (rng.random(F0) < cfg.active_share)
        | dorm[:F0]
        | (pats[:F0] & (PB["staff_qa"] | PB["smb_team"]) != 0)
    )
    active[F0:] = True
    # mill: active only during life (7-10 days)
    act_s = np.maximum(created, W0)
    act_e = np.full(N, W1, np.int64)
    a = sty("sms_content_mill")
    act_e[a] = np.minimum(W1, created[a] + rng.integers(7, 11, len(a)) * DAY)
    a = sty("promo_farm")
    act_e[a] = np.minimum(W1, created[a] + 2 * DAY)
    fr_r = ri[F0:]
    rs = np.maximum(W0 + r_d0[fr_r] * DAY, created[F0:] + HOUR)
    re_ = np.maximum(rs + DAY, W0 + r_d1[fr_r] * DAY)
    big_mask = np.zeros(N, bool)
    big_mask[big] = True
    act_s[F0:] = np.where(big_mask[F0:], rs, act_s[F0:])
    act_e[F0:] = np.where(big_mask[F0:], np.minimum(re_, W1), act_e[F0:])
    act_s[dorm] = np.maximum(act_s[dorm], W0 + rng.integers(0, 30, dorm.sum()) * DAY)
    nev = rng.poisson(np.where(active, 6, 1.5)).astype(np.int64)
    nev[F0:] = rng.poisson(10, n_fraud)
    ev_acc = np.repeat(np.arange(N), nev)
    n_e = len(ev_acc)
    inwin = active[ev_acc] & (rng.random(n_e) < 0.7)
    lo = np.where(inwin, act_s[ev_acc], created[ev_acc])
    hi = np.where(inwin, act_e[ev_acc], W1)
    # dormant: only early or in window
    dd = dorm[ev_acc] & ~inwin
    hi = np.where(dd, np.minimum(created[ev_acc] + 30 * DAY, W1), hi)
    ev_ts = lo + (rng.random(n_e) * np.maximum(hi - lo, 60)).astype(np.int64)
    ev_ts = np.minimum(ev_ts, W1 - 1)
    beh = np.where(rng.random(n_e) < p1[ev_acc], b1[ev_acc], b2[ev_acc])
    # aged accounts: old events from original home
    agm = np.isin(ev_acc, aged_a) & (ev_ts < W0)
    beh[agm] = HOME
    ev_ip = draw_ips(ev_acc, beh)
    kind = np.where(ch[ev_acc] == 3, 2, np.where(ch[ev_acc] == 2, 3, 1))
    evua = np.where(kind == 2, sdk_ua[ev_acc], ua[ev_acc])
    a = sty(bst[2])
    agn = np.isin(ev_acc, a) & (ev_ts >= W0)
    evua[agn] = 23 + (rng.random(agn.sum()) < 0.5)
    # signup events
    ev_acc = np.r_[np.arange(N), ev_acc]
    ev_ts = np.r_[created, ev_ts]
    ev_ip = np.r_[signup, ev_ip]
    kind = np.r_[np.zeros(N, np.int64), kind]
    evua = np.r_[ua, evua]
    o_ = np.argsort(ev_ts, kind="stable")
    ev_acc, ev_ts, ev_ip, kind, evua = ev_acc[o_], ev_ts[o_], ev_ip[o_], kind[o_], evua[o_]
    ne = len(ev_acc)
    ips, ai = ipstr(ev_ip)
    ev_tbl = pa.table(
        {
            "account_id": acc_id.take(pa.array(ev_acc)),
            "ip": ips,
            "seen_at": pa.array(ev_ts, pa.timestamp("s", tz="UTC")),
            "event": vocab(["signup", "login", "api", "bot_session"], kind),
            "asn": null_where(pa.array(A_ASN[ai]), rng.random(ne) < ms),
            "asn_org": null_where(vocab(A_NAME, ai), rng.random(ne) < ms),
            "user_agent": null_where(vocab(UAS, evua), rng.random(ne) < ms * 1.5),
        }
    )
    pq.write_table(ev_tbl, out / "ip_events.parquet")
    counts["ip_events"] = ne
    del ev_tbl, ips
    log("ip_events written")

    # ------------------------------------------------------------------ requests
    # legit exchanges
    la = np.flatnonzero(active[:F0])
    T = np.ceil(rng.lognormal(np.log(12), 1.25, len(la))).astype(np.int64)
    T = T * np.where(ch[la] == 3, 4, 1) * np.where(pats[la] & PB["staff_qa"], 15, 1)
    dur = (act_e[la] - act_s[la]) / (45 * DAY)
    T = np.maximum(1, (T * np.clip(dur, 0.05, 1)).astype(np.int64))
    raw = T <= 25
    R = np.where(raw, T, np.ceil(T / rng.uniform(3, 10, len(la)))).astype(np.int64)
    own, cnt = split_counts(rng, T, np.where(raw, T, R))
    racc = la[own]
    # fraud exchanges
    segs_acc = [racc]
    segs_cnt = [cnt]
    wts = np.select(
        [fstyle == bst[0], fstyle == bst[1], fstyle == bst[2], fstyle == bst[3], fstyle == bst[4]],
        [1.3, 0.8, 1.0, 0.7, 1.3],
        0.0,
    )
    bw = wts[:n_big] * rng.lognormal(0, 0.35, n_big)
    Tb = np.floor(bw / bw.sum() * big_total).astype(np.int64)
    rem = big_total - Tb.sum()
    Tb[rng.choice(n_big, rem, replace=False)] += 1
    per = np.select([fstyle[:n_big] == bst[i] for i in range(5)], [40, 6, 18, 5, 25])
    own, cnt = split_counts(rng, Tb, np.ceil(Tb / per), 0.5)
    segs_acc.append(big[own])
    segs_cnt.append(cnt)
    for nm, mean, per_, burst in (
        ("low_and_slow", 90, 1, 0),
        ("promo_farm", 60, 6, 0.3),
        ("api_key_reseller", 800, 15, 0.6),
        ("sms_content_mill", 150, 8, 0.1),
    ):
        a = sty(nm)
        Tm = np.maximum(1, rng.poisson(mean, len(a)))
        own, cnt = split_counts(rng, Tm, np.ceil(Tm / per_), max(burst, 0.01))
        segs_acc.append(a[own])
        segs_cnt.append(cnt)
    racc = np.concatenate(segs_acc)
    cnt = np.concatenate(segs_cnt)
    del segs_acc, segs_cnt
    nr = len(racc)
    isF = racc >= F0
    rr = ri[racc]
    rsty = np.where(
        isF,
        np.searchsorted(
            np.array(sorted(set(R_STYLE.tolist()))), R_STYLE[np.maximum(rr, 0)].astype(str)
        ),
        -1,
    )
    SN = sorted(set(R_STYLE.tolist()))
    sid = {s: i for i, s in enumerate(SN)}
    # timestamps
    s_ = act_s[racc]
    e_ = np.maximum(act_e[racc], s_ + HOUR)
    t = s_ + (rng.random(nr) * (e_ - s_)).astype(np.int64)
    day = t // DAY * DAY
    lh = rng.choice(24, nr, p=_diurnal())
    hr_legit = (lh - C_TZ[country[racc]]) % 24
    fh = (
        r_h0[np.maximum(rr, 0)] + (rng.random(nr) * r_hl[np.maximum(rr, 0)]).astype(np.int64)
    ) % 24
    cam = isF & (rsty == sid.get(bst[3], -9))
    fh = np.where(cam, hr_legit, fh)
    ls = isF & (rsty == sid.get("low_and_slow", -9))
    dls = (day // DAY + 3) % 7  # 0 = Monday
    day = np.where(ls, day - ((dls - np.where(dls < 3, 1, 3)) % 7) * DAY, day)
    fh = np.where(ls, 1 + rng.integers(0, 2, nr), fh)
    hour = np.where(isF, fh, hr_legit)
    ts = day + hour * HOUR
    agg = cnt > 1
    ts = np.where(agg, ts, ts + rng.integers(0, HOUR, nr))
    ts = np.clip(ts, np.maximum(created[racc] + 60, W0), W1 - 1)
    ts = np.where(agg, ts // HOUR * HOUR, ts)
    # capability
    u = rng.random(nr)
    legit_cap = np.searchsorted(np.cumsum([0.5, 0.14, 0.05, 0.06, 0.12, 0.13]), u)
    dev_cap = np.searchsorted(np.cumsum([0.2, 0.45, 0.15, 0.08, 0.02, 0.10]), u)
    dis_cap = np.searchsorted(np.cumsum([0.03, 0.30, 0.42, 0.20, 0.0, 0.05]), u)
    cap = np.where((ch[racc] == 3) | (pats[racc] & PB["staff_qa"] != 0), dev_cap, legit_cap)
    bigr = isF & np.isin(rsty, [sid.get(b, -9) for b in bst])
    cap = np.where(bigr, dis_cap, cap)
    camchat = cam & (rng.random(nr) < 0.3)
    cap = np.where(camchat, 0, cap)
    cap = np.where(isF & (rsty == sid.get("low_and_slow", -9)), np.where(u < 0.5, 1, 2), cap)
    cap = np.where(isF & (rsty == sid.get("sms_content_mill", -9)), np.where(u < 0.8, 5, 0), cap)
    cap = np.where(isF & (rsty == sid.get("promo_farm", -9)), np.where(u < 0.6, 5, 4), cap)
    cap = np.where(isF & (rsty == sid.get("api_key_reseller", -9)), dev_cap, cap)
    cap = np.minimum(cap, 5)
    # prompt fingerprints
    v = rng.random(nr)
    pub = zipf_idx(rng, nr, 3000, 1.15)
    fpk = np.where(
        v < cfg.public_template_share,
        10_000 + pub,
        mix(
            racc.astype(np.uint64) * np.uint64(8) + (v * 4).astype(np.uint64) % np.uint64(3)
        ).astype(np.int64)
        % (1 << 60)
        + (1 << 60),
    )
    fpk = np.where(v > 0.9, rng.integers(1 << 61, 1 << 62, nr), fpk)
    gt = tmpl[racc]
    fpk = np.where((gt >= 0) & (v < 0.5), gt, fpk)
    botr = (ch[racc] == 2) & (v < 0.75)
    fpk = np.where(botr, 500 + (ua[racc] == 17), fpk)
    stq = (pats[racc] & PB["staff_qa"] != 0) & (v < 0.7)
    fpk = np.where(stq, 600 + (v * 1000).astype(np.int64) % 25, fpk)
    opw = 3_000_000 + rng.integers(0, 40, nr)  # operator-wide agentic task templates
    rspec = 4_000_000 + np.maximum(rr, 0) * 100 + rng.integers(0, 12, nr)  # ring-specific
    ffp = np.where(v < 0.35, opw, rspec)
    st_r = isF & (rsty == sid.get(bst[1], -9))
    ffp = np.where(st_r & (v < 0.6), rng.integers(1 << 61, 1 << 62, nr), ffp)
    ffp = np.where(camchat, 10_000 + pub, ffp)
    ffp = np.where(ls, 5_000_000 + (v < 0.5), ffp)
    ffp = np.where(
        isF & (rsty == sid.get("api_key_reseller", -9)),
        np.where(v < 0.85, rng.integers(1 << 61, 1 << 62, nr), 10_000 + pub),
        ffp,
    )
    ffp = np.where(
        isF & (rsty == sid.get("promo_farm", -9)),
        6_000_000 + np.maximum(rr, 0) * 10 + (v * 3).astype(np.int64),
        ffp,
    )
    ffp = np.where(
        isF & (rsty == sid.get("sms_content_mill", -9)),
        7_000_000
        + np.maximum(rr, 0) * 50
        + (mix(racc) % np.uint64(8)).astype(np.int64)
        + (v * 3).astype(np.int64),
        ffp,
    )
    fpk = np.where(isF, ffp, fpk)
    # api keys: -1 null
    kidx = rng.integers(0, 3, nr)
    kk = np.full(nr, -1, np.int64)
    apiu = ch[racc] == 3
    kowner = np.where(smb_leader[racc] >= 0, smb_leader[racc], racc)
    kk = np.where(apiu, kowner * 8 + kidx % np.where(isF, 1, 2), kk)
    kk = np.where(ch[racc] == 2, 17 + (ua[racc] == 17), kk)  # integration keys
    resm = isF & (rsty == sid.get("api_key_reseller", -9))
    kk = np.where(resm, racc * 8 + rng.integers(0, 8, nr), kk)
    kk = np.where(bigr & (ch[racc] != 3), np.where(rng.random(nr) < 0.6, racc * 8, -1), kk)
    kk = np.where(ls, racc * 8, kk)
    # ips
    beh = np.where(rng.random(nr) < p1[racc], b1[racc], b2[racc])
    # tokens
    cap_in = np.array([600, 2500, 7000, 4000, 900, 1200])
    cap_out = np.array([350, 900, 2200, 1500, 500, 1100])
    tin = (cap_in[cap] * rng.lognormal(0, 0.7, nr) * cnt).astype(np.int64)
    tout = (cap_out[cap] * rng.lognormal(0, 0.6, nr) * cnt).astype(np.int64)
    tin = np.where(bigr, tin * 2, tin)
    log(f"requests computed rows={nr}")
    o_ = np.argsort(ts, kind="stable")
    arrs = dict(racc=racc, ts=ts, cnt=cnt, kk=kk, beh=beh, fpk=fpk, cap=cap, tin=tin, tout=tout)
    arrs = {k: v[o_] for k, v in arrs.items()}
    del racc, ts, cnt, kk, beh, fpk, cap, tin, tout, o_
    writer = None
    CH = 2_000_000
    total_ex = 0
    for s0 in range(0, nr, CH):
        sl = {k: v[s0 : s0 + CH] for k, v in arrs.items()}
        n = len(sl["ts"])
        ipk = draw_ips(sl["racc"], sl["beh"])
        ips, _ = ipstr(ipk)
        keys = hexs(mix(sl["kk"] + 99 * cfg.seed), 24, "yk_")
        keys = null_where(keys, sl["kk"] < 0)
        fps = hexs(mix(sl["fpk"]), 16)
        tb = pa.table(
            {
                "account_id": acc_id.take(pa.array(sl["racc"])),
                "ts": pa.array(sl["ts"], pa.timestamp("s", tz="UTC")),
                "count": pa.array(sl["cnt"], pa.int64()),
                "api_key_id": keys,
                "ip": null_where(ips, rng.random(n) < ms),
                "prompt_fingerprint": null_where(fps, rng.random(n) < ms * 0.5),
                "capability": null_where(vocab(CAPS, sl["cap"]), rng.random(n) < ms * 0.5),
                "input_tokens": null_where(pa.array(sl["tin"]), rng.random(n) < ms * 0.3),
                "output_tokens": null_where(pa.array(sl["tout"]), rng.random(n) < ms * 0.3),
            }
        )
        total_ex += int(sl["cnt"].sum())
        if writer is None:
            writer = pq.ParquetWriter(out / "requests.parquet", tb.schema)
        writer.write_table(tb)
    writer.close()
    counts["requests"] = nr
    counts["exchanges"] = total_ex
    log("requests written")

    # ------------------------------------------------------------------ truth
    pu = np.unique(arrs["racc"][(arrs["fpk"] >= 10_000) & (arrs["fpk"] < 13_000)])
    pats[pu[pu < F0]] |= PB["public_template"]
    lstyle = np.full(N, "plain", object)
    up, inv = np.unique(pats, return_inverse=True)
    names = np.array(["+".join(p for p in PAT if x & PB[p]) or "plain" for x in up], object)
    lstyle = names[inv]
    pub_users = np.zeros(N, bool)
    pub_users[la] = True
    lstyle = np.where(is_fraud, style, lstyle)
    truth = pa.table(
        {
            "account_id": acc_id,
            "is_fraud": pa.array(is_fraud),
            "ring_id": pa.array(np.where(is_fraud, ring, None), pa.string()),
            "campaign_id": pa.array(np.where(is_fraud, camp, None), pa.string()),
            "style": pa.array(lstyle, pa.string()),
        }
    )
    pq.write_table(truth, out / "truth.parquet")
    counts["truth"] = N
    # ------------------------------------------------------------------ allowlist
    rows = [("kind", "value", "note")]
    stl = np.sort(st)
    for a in stl[rng.random(len(stl)) < 0.6]:
        rows.append(("account_id", acc_id[int(a)].as_py(), "Yoldash staff / QA account"))
    rows.append(("email_domain", "yoldash.ai", "platform staff mail"))
    rows.append(("org_id", "org_yoldash_internal", "internal workspace"))
    b_ = A_BASE[plat] + 0x0100
    rows.append(
        (
            "cidr",
            f"{b_ >> 24 & 255}.{b_ >> 16 & 255}.{b_ >> 8 & 255}.0/24",
            "Istanbul office egress",
        )
    )
    g_ = A_BASE[np.flatnonzero(A_ASN == 16509)[0]] + 0x3A10
    rows.append(
        (
            "cidr",
            f"{g_ >> 24 & 255}.{g_ >> 16 & 255}.{g_ >> 8 & 255}.{g_ & 255 & 0xF0}/28",
            "WhatsApp bot gateway (eu-central-1)",
        )
    )
    rows.append(("asn", "211984", "Yoldash own network"))
    for cid in (N, N + 1):
        rows.append(
            (
                "card_fingerprint",
                hexs(mix(np.array([cid * 31 + 7])), 16)[0].as_py(),
                "corporate QA test card",
            )
        )
    for dv in qa_dev[:6]:
        rows.append(
            ("device_id", hexs(np.array([dv]).view(np.uint64), 32)[0].as_py(), "QA lab device")
        )
    import csv

    with open(out / "allowlist.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    counts["allowlist"] = len(rows) - 1
    log(f"done {counts}")
    return counts


def _diurnal():
    w = np.array(
        [
            2,
            1.2,
            0.8,
            0.5,
            0.4,
            0.5,
            1,
            2,
            3.5,
            4.5,
            5,
            5.2,
            5,
            5,
            5.2,
            5.3,
            5.2,
            5,
            5,
            5.5,
            6,
            6,
            5,
            3.5,
        ]
    )
    return w / w.sum()


def _postal(rng, ci):
    ci = np.asarray(ci)
    n = len(ci)
    out = np.empty(n, object)
    for c in np.unique(ci):
        m = np.flatnonzero(ci == c)
        k = len(m)
        f = COUNTRIES[c][8]
        if f == "d5":
            v = [f"{x:05d}" for x in rng.integers(1000, 99999, k)]
        elif f == "d6":
            v = [f"{x:06d}" for x in rng.integers(100000, 999999, k)]
        elif f == "d4":
            v = [f"{x:04d}" for x in rng.integers(1000, 9999, k)]
        elif f == "gb":
            v = [
                f"{a}{b} {c_}{d}{e}"
                for a, b, c_, d, e in zip(
                    rng.choice(["SW", "E", "N", "M", "B", "LS", "G", "EH", "BS", "CF"], k),
                    rng.integers(1, 20, k),
                    rng.integers(1, 9, k),
                    rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), k),
                    rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), k), strict=False,
                )
            ]
        elif f == "nl":
            v = [
                f"{x} {a}{b}"
                for x, a, b in zip(
                    rng.integers(1000, 9999, k),
                    rng.choice(list("ABCDEGHJKLMNPRST"), k),
                    rng.choice(list("ABCDEGHJKLMNPRST"), k), strict=False,
                )
            ]
        elif f == "pl":
            v = [
                f"{x:02d}-{y:03d}" for x, y in zip(rng.integers(0, 99, k), rng.integers(0, 999, k), strict=False)
            ]
        elif f == "br":
            v = [
                f"{x:05d}-{y:03d}"
                for x, y in zip(rng.integers(1000, 99999, k), rng.integers(0, 999, k), strict=False)
            ]
        else:
            v = [None] * k
        out[m] = v
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--accounts", type=int, default=200_000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    counts = generate(a.out, WorldConfig(accounts=a.accounts, seed=a.seed), quiet=a.quiet)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
