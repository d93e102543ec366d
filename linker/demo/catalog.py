"""Static catalogue of the demo world: countries, autonomous systems, user agents, names.

Values look like production metadata (real-looking ASNs, prefixes, BINs, phone and postcode
formats) but every person, card and organisation built from them is synthetic.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    tz: int  # UTC offset in hours (rounded), drives the diurnal pattern
    residential: tuple[int, ...]  # ASNs of home ISPs
    mobile: tuple[int, ...]  # ASNs of mobile carriers (CGNAT)
    mail: tuple[tuple[str, float], ...]  # local e-mail providers besides the global ones


COUNTRIES: tuple[Country, ...] = (
    Country("US", 0.34, -6, (7922, 20115, 7018), (21928, 22394), (("comcast.net", 0.02),)),
    Country("IN", 0.12, 5, (24560,), (55836,), (("rediffmail.com", 0.02),)),
    Country("GB", 0.08, 0, (2856, 5089), (12576, 25135), (("btinternet.com", 0.03),)),
    Country("DE", 0.08, 1, (3320,), (6805,), (("gmx.de", 0.12), ("web.de", 0.10))),
    Country("FR", 0.06, 1, (3215, 12322), (51207,), (("orange.fr", 0.08), ("free.fr", 0.05))),
    Country("BR", 0.07, -3, (28573,), (26599,), (("uol.com.br", 0.05), ("bol.com.br", 0.03))),
    Country("JP", 0.06, 9, (4713,), (2516,), (("yahoo.co.jp", 0.15), ("docomo.ne.jp", 0.04))),
    Country("CA", 0.06, -5, (812,), (577,), (("rogers.com", 0.03),)),
    Country("NL", 0.05, 1, (1136,), (33915,), (("ziggo.nl", 0.04),)),
    Country("AU", 0.08, 10, (1221,), (4804,), (("bigpond.com", 0.05),)),
)

# Global providers every country uses (share of the rest after local providers).
GLOBAL_MAIL: tuple[tuple[str, float], ...] = (
    ("gmail.com", 0.56),
    ("outlook.com", 0.10),
    ("hotmail.com", 0.09),
    ("yahoo.com", 0.09),
    ("icloud.com", 0.10),
    ("proton.me", 0.03),
    ("aol.com", 0.03),
)


@dataclass(frozen=True)
class AS:
    asn: int
    org: str
    kind: str  # residential, mobile, cloud, hosting, vpn, academic, business
    v4: tuple[str, ...]
    v6: str | None = None  # first two hextets of the /32 the AS announces


ASES: tuple[AS, ...] = (
    # residential ISPs
    AS(7922, "COMCAST-7922", "residential", ("73.0.0.0/10", "98.192.0.0/11"), "2601:0140"),
    AS(20115, "CHARTER-20115", "residential", ("24.160.0.0/12", "97.64.0.0/12"), "2600:6c40"),
    AS(7018, "ATT-INTERNET4", "residential", ("99.0.0.0/11", "108.192.0.0/11"), "2600:1700"),
    AS(24560, "AIRTELBROADBAND-AS-AP Bharti Airtel Ltd.", "residential", ("122.160.0.0/12",)),
    AS(2856, "BT-UK-AS BTnet UK Regional network", "residential", ("86.128.0.0/11",), "2a00:23c4"),
    AS(5089, "NTL Virgin Media Limited", "residential", ("82.0.0.0/13",), "2a02:c7c0"),
    AS(3320, "DTAG Deutsche Telekom AG", "residential", ("79.192.0.0/10", "91.0.0.0/12"), "2003:00e0"),
    AS(3215, "Orange S.A.", "residential", ("90.0.0.0/10",), "2a01:0cb0"),
    AS(12322, "PROXAD Free SAS", "residential", ("88.160.0.0/11",), "2a01:0e0a"),
    AS(28573, "Claro NXT Telecomunicacoes Ltda", "residential", ("177.0.0.0/12",)),
    AS(4713, "OCN NTT Communications Corporation", "residential", ("153.128.0.0/10",), "2400:4050"),
    AS(812, "ROGERS-COMMUNICATIONS", "residential", ("99.224.0.0/11",), "2607:fea8"),
    AS(1136, "KPN B.V.", "residential", ("77.160.0.0/12",), "2a02:a440"),
    AS(1221, "ASN-TELSTRA Telstra Limited", "residential", ("101.160.0.0/11",), "2001:8003"),
    # mobile carriers (carrier-grade NAT: thousands of strangers behind few addresses)
    AS(21928, "T-MOBILE-AS21928", "mobile", ("172.56.0.0/14",), "2607:fb90"),
    AS(22394, "CELLCO-PART Verizon Wireless", "mobile", ("174.192.0.0/11",)),
    AS(55836, "RELIANCEJIO-IN Reliance Jio Infocomm Limited", "mobile", ("49.32.0.0/11",), "2409:4040"),
    AS(12576, "EE-AS EE Limited", "mobile", ("31.94.0.0/16",)),
    AS(25135, "VODAFONE_UK-ASN", "mobile", ("148.252.0.0/16",)),
    AS(6805, "TDDE-ASN1 Telefonica Germany GmbH", "mobile", ("176.0.0.0/13",)),
    AS(51207, "FREEM Free Mobile SAS", "mobile", ("37.160.0.0/13",)),
    AS(26599, "TELEFONICA BRASIL S.A", "mobile", ("191.0.0.0/12",)),
    AS(2516, "KDDI KDDI CORPORATION", "mobile", ("106.128.0.0/11",)),
    AS(577, "BACOM Bell Canada", "mobile", ("142.112.0.0/12",)),
    AS(33915, "TNF-AS Vodafone Libertel B.V.", "mobile", ("84.241.128.0/17",)),
    AS(4804, "MPX-AS Microplex PTY LTD (Optus)", "mobile", ("49.176.0.0/12",)),
    # big clouds (many honest developers call the API from them)
    AS(16509, "AMAZON-02", "cloud", ("3.0.0.0/9", "52.0.0.0/10", "18.128.0.0/9")),
    AS(396982, "GOOGLE-CLOUD-PLATFORM", "cloud", ("34.64.0.0/10", "35.184.0.0/13")),
    AS(8075, "MICROSOFT-CORP-MSN-AS-BLOCK", "cloud", ("20.0.0.0/11", "40.64.0.0/10")),
    AS(14061, "DIGITALOCEAN-ASN", "cloud", ("159.65.0.0/16", "167.99.0.0/16", "138.68.0.0/16")),
    # hosting / datacenter (fraud proxy pools)
    AS(24940, "HETZNER-AS Hetzner Online GmbH", "hosting", ("88.198.0.0/16", "5.9.0.0/16", "65.108.0.0/15")),
    AS(16276, "OVH OVH SAS", "hosting", ("51.68.0.0/16", "54.36.0.0/16")),
    AS(63949, "AKAMAI-LINODE-AP Akamai Connected Cloud", "hosting", ("172.104.0.0/15",)),
    AS(20473, "AS-CHOOPA The Constant Company (Vultr)", "hosting", ("45.76.0.0/15", "149.28.0.0/16")),
    AS(51167, "CONTABO Contabo GmbH", "hosting", ("161.97.0.0/16", "173.212.192.0/18")),
    AS(9009, "M247 M247 Europe SRL", "vpn", ("37.120.128.0/17", "185.156.172.0/22")),
    AS(60068, "CDN77 Datacamp Limited", "vpn", ("89.187.160.0/19", "156.146.32.0/19")),
    AS(212238, "CDNEXT Datacamp Limited", "vpn", ("138.199.0.0/18",)),
    # business lines (organisation egress) and academia
    AS(701, "UUNET Verizon Business", "business", ("65.192.0.0/11",)),
    AS(3356, "LEVEL3 Lumen", "business", ("4.0.0.0/9",)),
    AS(174, "COGENT-174 Cogent Communications", "business", ("38.0.0.0/9",)),
    AS(11537, "INTERNET2-RESEARCH-EDU", "academic", ("128.32.0.0/16", "171.64.0.0/14")),
    AS(786, "JANET Jisc Services Limited", "academic", ("128.232.0.0/16", "131.111.0.0/16")),
    AS(680, "DFN Verein zur Foerderung eines Deutschen Forschungsnetzes", "academic", ("141.20.0.0/14",)),
    # privacy relays (iCloud Private Relay / WARP egress): many unrelated users per exit
    AS(13335, "CLOUDFLARENET", "relay", ("104.28.0.0/16", "172.64.0.0/13"), "2a09:bac0"),
    AS(36183, "AKAMAI-AS", "relay", ("172.224.0.0/12",), "2a02:26f7"),
)
AS_INDEX: dict[int, int] = {a.asn: i for i, a in enumerate(ASES)}


def prefixes(a: AS) -> list[tuple[int, int]]:
    """(first address, size) of each IPv4 prefix of an AS."""
    out = []
    for p in a.v4:
        net = ipaddress.ip_network(p)
        out.append((int(net.network_address), net.num_addresses))
    return out


BROWSER_UAS: tuple[str, ...] = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
)
BROWSER_UA_WEIGHTS = (0.24, 0.10, 0.12, 0.10, 0.06, 0.04, 0.16, 0.09, 0.06, 0.03)
API_UAS: tuple[str, ...] = (
    "python-httpx/0.27.0",
    "python-requests/2.31.0",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "curl/8.5.0",
    "Go-http-client/2.0",
)
HEADLESS_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36"
)

FIRST_NAMES: tuple[str, ...] = (
    "james", "mary", "john", "linda", "robert", "sarah", "michael", "emma", "david", "olivia",
    "daniel", "sofia", "thomas", "anna", "lucas", "laura", "mateo", "julia", "noah", "chloe",
    "arjun", "priya", "rahul", "ananya", "vikram", "kavya", "hiroshi", "yuki", "haruto", "sakura",
    "kenji", "aiko", "lukas", "lea", "felix", "hannah", "jonas", "marie", "pierre", "camille",
    "louis", "manon", "gabriel", "ines", "pedro", "beatriz", "rafael", "mariana", "liam", "ava",
    "oliver", "isla", "jack", "grace", "william", "zoe", "ethan", "mia", "sam", "nina",
    "omar", "layla", "chen", "mei", "wei", "lin", "ivan", "olga", "diego", "carmen",
)
LAST_NAMES: tuple[str, ...] = (
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "martin", "lee",
    "walker", "hall", "allen", "young", "king", "wright", "scott", "green", "baker", "adams",
    "sharma", "patel", "singh", "kumar", "gupta", "reddy", "iyer", "sato", "suzuki", "takahashi",
    "tanaka", "watanabe", "ito", "muller", "schmidt", "schneider", "fischer", "weber", "meyer",
    "wagner", "dubois", "durand", "lefebvre", "moreau", "laurent", "silva", "santos", "oliveira",
    "souza", "costa", "pereira", "devries", "jansen", "bakker", "visser", "wilson", "taylor",
    "thomas", "moore", "clark", "lewis", "robinson", "nguyen", "tran", "kim", "park", "choi",
    "rossi", "russo", "novak", "kowalski", "ivanov", "hernandez", "lopez", "gonzalez", "perez",
)
ORG_WORDS_A: tuple[str, ...] = (
    "acme", "nimbus", "blue", "north", "bright", "vertex", "quantum", "harbor", "pioneer", "atlas",
    "cedar", "orbit", "summit", "crimson", "silver", "lumen", "nova", "polar", "delta", "granite",
)
ORG_WORDS_B: tuple[str, ...] = (
    "labs", "robotics", "analytics", "health", "capital", "systems", "logistics", "media", "bio",
    "energy", "software", "foods", "insurance", "legal", "games", "security", "retail", "motors",
)
UNIVERSITIES: tuple[tuple[str, str, int], ...] = (
    ("state-university.edu", "US", 11537),
    ("tech-institute.edu", "US", 11537),
    ("cam-college.ac.uk", "GB", 786),
    ("tu-nord.de", "DE", 680),
    ("northern-polytechnic.ac.uk", "GB", 786),
    ("westcoast-university.edu", "US", 11537),
)

CAPABILITIES: tuple[str, ...] = ("agentic_reasoning", "coding", "planning", "chat", "other")
LEGIT_CAPABILITY_MIX = (0.05, 0.18, 0.05, 0.47, 0.25)
# Popular public agent/system-prompt templates used by many unrelated people.
PUBLIC_TEMPLATES: tuple[str, ...] = (
    "tmpl_pub_autogpt_v5", "tmpl_pub_langchain_react", "tmpl_pub_cursor_rules",
    "tmpl_pub_crewai_planner", "tmpl_pub_openhands_agent", "tmpl_pub_tutor_socratic",
    "tmpl_pub_sql_helper", "tmpl_pub_translator",
)
