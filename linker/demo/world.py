"""Build the demo world in memory: legit users who share innocently plus planted fraud rings.

Pure: no I/O. Everything is drawn from one ``numpy.random.Generator`` in a fixed order, so
a seed gives the same world byte for byte. Work is vectorised per population; the only
Python loops run per campaign, ring, carrier or country (never per account or per row).

Times are int64 seconds since the Unix epoch (UTC) until the writer formats them.
"""

from __future__ import annotations

import binascii
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linker.demo import catalog as cat
from linker.demo.profiles import DIFFICULTY_PROFILES, PROFILES, Fraud, Profile, resolve_profile

DAY = 86_400
HOUR = 3_600
WINDOW_START = int(pd.Timestamp("2026-04-22T00:00:00Z").timestamp())
LEGIT_SINCE = int(pd.Timestamp("2024-01-01T00:00:00Z").timestamp())
DEFAULT_DAYS = 45  # 2026-04-22 .. 2026-06-05, the reported case
EXCHANGES_PER_FRAUD_ACCOUNT = 1_152  # 25,000 accounts -> ~28.8M exchanges over 45 days


Difficulty = Fraud  # the old name of the fraud knobs
DIFFICULTIES: dict[str, Fraud] = {k: PROFILES[v].fraud for k, v in DIFFICULTY_PROFILES.items()}


@dataclass(frozen=True)
class CampaignSpec:
    """One operator's campaign; rings inherit its campaign-level infrastructure."""

    campaign_id: str
    operator: str | None  # None: nobody knows who runs it (and it is not in indicators)
    share: float  # of all accounts
    country: str
    hosting: tuple[int, ...]  # ASNs of the datacenter pools of clear rings
    proxy: tuple[int, ...]  # residential ASNs the stealth rings' proxies exit from
    email: str  # rare_domain | gmail_variants | gmail_random | proton
    shift: tuple[int, int]  # first UTC hour of the working shift, its length in hours
    caps: tuple[float, ...]  # capability mix, over catalog.CAPABILITIES
    start_day: int
    stealth_bias: float  # added to the difficulty's stealth share
    n_templates: int


CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec("camp_01", "Harbor Kraken", 0.025, "US", (24940, 16276, 51167), (7922, 20115, 7018),
                 "rare_domain", (1, 8), (0.45, 0.30, 0.20, 0.05, 0.0), 0, 0.0, 3),
    CampaignSpec("camp_02", "Velvet Mantis", 0.005, "GB", (20473, 63949), (2856, 5089),
                 "gmail_variants", (12, 6), (0.20, 0.55, 0.20, 0.0, 0.05), 2, -0.10, 2),
    CampaignSpec("camp_03", None, 0.004, "DE", (16509,), (3320, 3215, 1136),
                 "gmail_random", (18, 5), (0.40, 0.20, 0.40, 0.0, 0.0), 1, 0.35, 2),
    CampaignSpec("camp_04", "Quiet Heron", 0.002, "CA", (9009,), (812,),
                 "proton", (6, 6), (0.60, 0.40, 0.0, 0.0, 0.0), 3, -0.20, 1),
)
RARE_DOMAINS = ("inboxvault.net", "mailrelay.cc", "quickpost.email")
PREPAID_BINS_PER_CAMPAIGN = 2


# ---------------------------------------------------------------- small vectorised helpers
_ALNUM = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", np.uint8)
_LOWER = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", np.uint8)
_DIGITS = np.frombuffer(b"0123456789", np.uint8)


def _obj(a: np.ndarray | pd.Series) -> np.ndarray:
    return np.asarray(a, dtype=object)


def _hex(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    """n random lowercase hex strings of 2*nbytes characters."""
    if n == 0:
        return np.array([], dtype=object)
    raw = binascii.hexlify(rng.bytes(n * nbytes))
    return _obj(np.frombuffer(raw, dtype=f"S{2 * nbytes}").astype(f"U{2 * nbytes}"))


def _token(rng: np.random.Generator, n: int, length: int, alphabet: np.ndarray = _ALNUM) -> np.ndarray:
    if n == 0:
        return np.array([], dtype=object)
    idx = rng.integers(0, len(alphabet), size=(n, length))
    return _obj(np.ascontiguousarray(alphabet[idx]).view(f"S{length}").ravel().astype(f"U{length}"))


def _digits(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    return _token(rng, n, length, _DIGITS)


def _pa(x: object) -> pa.Array:
    if isinstance(x, pa.Array):
        return x
    if isinstance(x, pd.Series):
        x = x.to_numpy(dtype=object, na_value=None)
    return pa.array(np.asarray(x, dtype=object), type=pa.string(), from_pandas=True)


def _cat(*parts: object) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars (Arrow does it in C++);
    a missing part makes the result missing."""
    args = [_pa(p) if isinstance(p, (np.ndarray, pd.Series, pa.Array)) else pa.scalar(str(p)) for p in parts]
    if not any(isinstance(a, pa.Array) for a in args):
        raise ValueError("_cat needs at least one array")
    return _obj(pc.binary_join_element_wise(*args, "").to_numpy(zero_copy_only=False))


def _stable_hash(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def _fill_sizes(target: int, draws: np.ndarray) -> np.ndarray:
    """The longest prefix of ``draws`` whose sum stays within ``target``."""
    keep = np.cumsum(draws) <= target
    return draws[keep]


def _zipf_choice(rng: np.random.Generator, n: int, k: int, a: float = 0.9) -> np.ndarray:
    """n picks among k items with popularity 1/rank^a (a few very popular ones)."""
    w = 1.0 / np.arange(1, k + 1) ** a
    return rng.choice(k, size=n, p=w / w.sum())


def _pick(rng: np.random.Generator, n: int, probs: tuple[float, ...] | np.ndarray) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _v4_str(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    octets = [pc.cast(pa.array((x >> sh) & 255), pa.string()) for sh in (24, 16, 8, 0)]
    return _obj(pc.binary_join_element_wise(*octets, ".").to_numpy(zero_copy_only=False))


# ---------------------------------------------------------------- IP addresses
class IpRegistry:
    """Every IP the world uses, as a code into one string table with its AS."""

    def __init__(self) -> None:
        pref = [(i, b, s) for i, a in enumerate(cat.ASES) for b, s in cat.prefixes(a)]
        self.p_as = np.array([p[0] for p in pref])
        self.p_base = np.array([p[1] for p in pref], dtype=np.int64)
        self.p_size = np.array([p[2] for p in pref], dtype=np.int64)
        n_as = len(cat.ASES)
        self.first = np.searchsorted(self.p_as, np.arange(n_as))
        self.count = np.bincount(self.p_as, minlength=n_as)
        self.v6 = np.array([a.v6 or "" for a in cat.ASES], dtype=object)
        self._strs: list[np.ndarray] = []
        self._as: list[np.ndarray] = []
        self.n = 0

    def add(self, strs: np.ndarray, as_idx: np.ndarray | int) -> np.ndarray:
        strs = _obj(strs)
        self._strs.append(strs)
        self._as.append(np.broadcast_to(np.asarray(as_idx, dtype=np.int32), strs.shape).copy())
        codes = np.arange(self.n, self.n + len(strs), dtype=np.int64)
        self.n += len(strs)
        return codes

    def random_v4(self, rng: np.random.Generator, as_idx: np.ndarray) -> np.ndarray:
        n = len(as_idx)
        k = self.first[as_idx] + (rng.random(n) * self.count[as_idx]).astype(np.int64)
        addr = self.p_base[k] + (rng.random(n) * self.p_size[k]).astype(np.int64)
        return (addr & ~np.int64(0xFF)) | (1 + (addr & 0xFF) % 254)

    def new(self, rng: np.random.Generator, as_idx: np.ndarray, v6_share: float = 0.0) -> np.ndarray:
        """Fresh addresses (one per element) in the given ASes; some IPv6 where the AS has it."""
        as_idx = np.asarray(as_idx, dtype=np.int64)
        strs = _v4_str(self.random_v4(rng, as_idx))
        v6 = (rng.random(len(as_idx)) < v6_share) & (self.v6[as_idx] != "")
        if v6.any():
            h = pd.Series(_hex(rng, int(v6.sum()), 12))
            groups = [h.str[i * 4:(i + 1) * 4] for i in range(6)]
            s = pd.Series(self.v6[as_idx[v6]])
            for g in groups:
                s = s + ":" + g
            strs[v6] = _obj(s)
        return self.add(strs, as_idx)

    def subnet_pool(self, rng: np.random.Generator, as_idx: int, n: int) -> np.ndarray:
        """n addresses inside one random /24 of an AS (a rented block, an office range)."""
        base = self.random_v4(rng, np.array([as_idx]))[0] & ~np.int64(0xFF)
        hosts = rng.choice(np.arange(2, 254), size=min(n, 252), replace=False)
        return self.add(_v4_str(base + np.sort(hosts)), as_idx)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate(self._strs), np.concatenate(self._as)


def _as(asn: int) -> int:
    return cat.AS_INDEX[asn]


# ---------------------------------------------------------------- the world container
@dataclass
class World:
    """Columns as numpy arrays; string identifiers as codes into dictionaries."""

    n_legit: int
    days: int
    end: int  # exclusive end of the activity window (epoch s)
    ips: IpRegistry
    requests: list[dict[str, np.ndarray]] = field(default_factory=list)  # chunks
    pay_chunks: list[dict[str, np.ndarray]] = field(default_factory=list)
    login_chunks: list[dict[str, np.ndarray]] = field(default_factory=list)
    acct_chunks: list[dict[str, np.ndarray]] = field(default_factory=list)
    prompts: list[np.ndarray] = field(default_factory=list)  # prompt dictionary chunks
    keys: list[np.ndarray] = field(default_factory=list)  # api key dictionary chunks
    rings: list[dict] = field(default_factory=list)
    campaigns: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    allowlist: list[dict] = field(default_factory=list)
    cgnat_ips: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))  # small-group CGNAT
    hub_ips: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))  # CGNAT hubs
    public_all: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))  # public templates
    legit: dict[str, np.ndarray] = field(default_factory=dict)  # per legit account, for tests

    def add_prompts(self, values: np.ndarray) -> np.ndarray:
        start = sum(len(p) for p in self.prompts)
        self.prompts.append(_obj(values))
        return np.arange(start, start + len(values), dtype=np.int64)

    def add_keys(self, values: np.ndarray) -> np.ndarray:
        start = sum(len(p) for p in self.keys)
        self.keys.append(_obj(values))
        return np.arange(start, start + len(values), dtype=np.int64)


# ---------------------------------------------------------------- people
def _country_tables() -> dict[str, np.ndarray]:
    return {
        "code": np.array([c.code for c in cat.COUNTRIES], dtype=object),
        "weight": np.array([c.weight for c in cat.COUNTRIES]),
        "tz": np.array([c.tz for c in cat.COUNTRIES]),
    }


COUNTRY_INDEX = {c.code: i for i, c in enumerate(cat.COUNTRIES)}


def _phones(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """Valid-looking mobile numbers, 40% written E.164, the rest in national format."""
    n = len(country)
    out = np.full(n, None, dtype=object)
    e164 = rng.random(n) < 0.4
    for ci, c in enumerate(cat.COUNTRIES):
        m = country == ci
        k = int(m.sum())
        if k == 0:
            continue
        d = pd.Series(_digits(rng, k, 8))
        if c.code in ("US", "CA"):
            npa_list = ["212", "312", "415", "617", "206", "303", "512", "646"] if c.code == "US" \
                else ["416", "604", "514", "403"]
            npa = pd.Series(rng.choice(npa_list, k))
            nxx = pd.Series(rng.integers(2, 10, k).astype(str)) + d.str[0:2]
            line = d.str[2:6]
            intl = "+1" + npa + nxx + line
            nat = "(" + npa + ") " + nxx + "-" + line
        elif c.code == "GB":
            nsn = "7" + pd.Series(rng.choice(list("458"), k)) + d.str[0:8]
            intl, nat = "+44" + nsn, "0" + nsn.str[0:4] + " " + nsn.str[4:]
        elif c.code == "DE":
            nsn = pd.Series(rng.choice(["151", "152", "160", "170", "171", "176"], k)) + d.str[0:8]
            intl, nat = "+49" + nsn, "0" + nsn.str[0:3] + " " + nsn.str[3:]
        elif c.code == "FR":
            nsn = pd.Series(rng.choice(["61", "62", "64", "65", "73", "75", "76", "77", "78"], k)) + d.str[0:7]
            intl = "+33" + nsn
            nat = "0" + nsn.str[0] + " " + nsn.str[1:3] + " " + nsn.str[3:5] + " " + nsn.str[5:7] + " " + nsn.str[7:9]
        elif c.code == "IN":
            nsn = pd.Series(rng.choice(list("6789"), k)) + d.str[0:8] + pd.Series(rng.integers(0, 10, k).astype(str))
            intl, nat = "+91" + nsn, "0" + nsn
        elif c.code == "BR":
            nsn = pd.Series(rng.choice(["11", "21", "31"], k)) + "9" + d.str[0:8]
            intl, nat = "+55" + nsn, "(" + nsn.str[0:2] + ") " + nsn.str[2:7] + "-" + nsn.str[7:]
        elif c.code == "JP":
            nsn = "80" + d.str[0:8]
            intl, nat = "+81" + nsn, "0" + nsn.str[0:2] + "-" + nsn.str[2:6] + "-" + nsn.str[6:]
        elif c.code == "NL":
            nsn = "6" + pd.Series(rng.choice(list("12345"), k)) + d.str[0:7]
            intl, nat = "+31" + nsn, "06 " + nsn.str[1:]
        else:  # AU
            nsn = "4" + pd.Series(rng.choice(list("01236"), k)) + d.str[0:7]
            intl, nat = "+61" + nsn, "0" + nsn.str[0:3] + " " + nsn.str[3:6] + " " + nsn.str[6:]
        out[m] = np.where(e164[m], _obj(intl), _obj(nat))
    return out


def _postcodes(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    n = len(country)
    out = np.full(n, None, dtype=object)
    up = np.frombuffer(b"ABCEGHJKLMNPRSTVXY", np.uint8)
    for ci, c in enumerate(cat.COUNTRIES):
        m = country == ci
        k = int(m.sum())
        if k == 0:
            continue
        if c.code == "US":
            v = pd.Series(rng.integers(10001, 99950, k).astype(str)).str.zfill(5)
        elif c.code in ("DE", "FR"):
            v = pd.Series(rng.integers(1067, 95999, k).astype(str)).str.zfill(5)
        elif c.code == "IN":
            v = pd.Series(rng.integers(110001, 855999, k).astype(str))
        elif c.code == "BR":
            d = pd.Series(_digits(rng, k, 8))
            v = d.str[0:5] + "-" + d.str[5:]
        elif c.code == "JP":
            d = pd.Series(_digits(rng, k, 7))
            v = d.str[0:3] + "-" + d.str[3:]
        elif c.code == "NL":
            v = pd.Series(rng.integers(1000, 9999, k).astype(str)) + " " + pd.Series(_token(rng, k, 2, up))
        elif c.code == "AU":
            v = pd.Series(rng.integers(2000, 7999, k).astype(str))
        elif c.code == "CA":
            a, b = pd.Series(_token(rng, k, 3, up)), pd.Series(_digits(rng, k, 3))
            v = a.str[0] + b.str[0] + a.str[1] + " " + b.str[1] + a.str[2] + b.str[2]
        else:  # GB
            outward = pd.Series(rng.choice(["SW1A", "EC1A", "W1A", "M1", "B33", "LS1", "G1", "EH1", "CB2", "OX1", "BS1", "NE1"], k))
            v = outward + " " + pd.Series(rng.integers(1, 10, k).astype(str)) + pd.Series(_token(rng, k, 2, up))
        out[m] = _obj(v)
    return out


def _name_locals(rng: np.random.Generator, n: int, digits_p: float = 0.6) -> np.ndarray:
    first = rng.choice(np.array(cat.FIRST_NAMES, dtype=object), n)
    last = rng.choice(np.array(cat.LAST_NAMES, dtype=object), n)
    f, la = pd.Series(first), pd.Series(last)
    pattern = rng.integers(0, 6, n)
    forms = [f + "." + la, f + la, f.str[0] + la, f + "_" + la, la + "." + f, f + la.str[0]]
    local = pd.Series(np.select([pattern == i for i in range(6)], [_obj(x) for x in forms]))
    num = rng.integers(1, 9999, n)
    year = rng.integers(70, 106, n) % 100
    num = np.where(rng.random(n) < 0.5, num, year)
    with_num = rng.random(n) < digits_p
    local = local + pd.Series(np.where(with_num, pd.Series(num).astype(str).str.zfill(2), ""))
    return _obj(local)


def _norm_email(email: np.ndarray) -> pd.Series:
    """The linker's idea of the same mailbox: lowercase, no +tag, no dots at gmail."""
    low = pc.utf8_lower(_pa(email))
    parts = pc.split_pattern(pc.replace_substring_regex(low, r"\+[^@]*@", "@"), "@", max_splits=1)
    local, dom = pc.list_element(parts, 0), pc.list_element(parts, 1)
    gm = pc.is_in(dom, value_set=pa.array(["gmail.com", "googlemail.com"]))
    local = pc.if_else(gm, pc.replace_substring(local, ".", ""), local)
    return pd.Series(pc.binary_join_element_wise(local, dom, "@").to_numpy(zero_copy_only=False), dtype=object)


def _dedupe_locals(rng: np.random.Generator, local: np.ndarray, domain: np.ndarray,
                   frozen: np.ndarray | None = None) -> np.ndarray:
    """Append digits to mailboxes that would collide after normalisation (sign-up forbids it)."""
    local = local.copy()
    for _ in range(20):
        key = _norm_email(_cat(local, "@", domain))
        dup = key.duplicated(keep="first").to_numpy()
        if frozen is not None:
            dup &= ~frozen
        if not dup.any():
            break
        local[dup] = _cat(local[dup], _digits(rng, int(dup.sum()), 2))
    return local


def _email_domains(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    n = len(country)
    out = np.empty(n, dtype=object)
    gd = np.array([d for d, _ in cat.GLOBAL_MAIL], dtype=object)
    gw = np.array([w for _, w in cat.GLOBAL_MAIL])
    for ci, c in enumerate(cat.COUNTRIES):
        m = country == ci
        k = int(m.sum())
        if k == 0:
            continue
        ld = np.array([d for d, _ in c.mail], dtype=object)
        lw = np.array([w for _, w in c.mail])
        doms = np.concatenate([ld, gd])
        w = np.concatenate([lw, gw * (1 - lw.sum()) / gw.sum()])
        out[m] = doms[rng.choice(len(doms), k, p=w / w.sum())]
    return out


def _decorate_emails(rng: np.random.Generator, local: np.ndarray, domain: np.ndarray,
                     tag_p: float = 0.07) -> np.ndarray:
    """Real people use +tags and capitals; neither changes the mailbox."""
    n = len(local)
    loc = pd.Series(local)
    tag = rng.random(n) < tag_p
    tags = rng.choice(np.array(["+ai", "+work", "+news", "+chat", "+dev", "+signup"], dtype=object), n)
    loc = loc + pd.Series(np.where(tag, tags, ""))
    cap = rng.random(n) < 0.04
    loc = pd.Series(np.where(cap, _obj(loc.str.capitalize()), _obj(loc)))
    return _cat(_obj(loc), "@", domain)


def _bins(seed_text: str, n: int, first: str) -> np.ndarray:
    """n distinct-looking 6-digit BINs derived from a text (stable across seeds)."""
    out = []
    for i in range(n):
        h = int(_stable_hash(f"{seed_text}:{i}", 12), 16)
        out.append(first + f"{h % 100000:05d}")
    return np.array(out, dtype=object)


COUNTRY_BINS = {c.code: np.concatenate([_bins("bin" + c.code + "v", 20, "4"), _bins("bin" + c.code + "m", 16, "5")])
                for c in cat.COUNTRIES}
LEGIT_PREPAID_BINS = np.concatenate([_bins("prepaid-legit-v", 6, "4"), _bins("prepaid-legit-m", 4, "5")])
DIURNAL = np.array([1, .6, .4, .3, .3, .4, .8, 1.5, 2.5, 3.5, 4, 4, 3.8, 4, 4.2, 4, 3.8, 3.5, 3.5, 4, 4.2, 4, 3, 2])
WORKDAY = np.array([.1, .05, .05, .05, .05, .1, .3, 1, 4, 6, 6, 5.5, 4, 5.5, 6, 6, 5.5, 4, 1.5, .8, .6, .5, .3, .2])


# ---------------------------------------------------------------- legit population
SEG_SINGLE, SEG_HOUSEHOLD, SEG_ORG, SEG_UNIV = 0, 1, 2, 3
KIND_HOME, KIND_MOBILE, KIND_VPN, KIND_CLOUD = 0, 1, 2, 3


def _legit_accounts(rng: np.random.Generator, w: World, prof: Profile) -> dict[str, np.ndarray]:
    """Legit accounts with their innocent sharing: households, organisations, campuses,
    carrier NAT, VPN exits, cloud developers, gmail, popular templates."""
    L = w.n_legit
    ct = _country_tables()
    s = prof.sharing
    hh = _fill_sizes(int(prof.households.share * s * L), rng.choice([2, 3, 4], size=L // 2 + 1, p=[.55, .30, .15]))
    orgs = _fill_sizes(int(prof.organisations.share * s * L), np.clip((5 * (1 + rng.pareto(1.1, L // 5 + 1))).astype(int), 5, 300))
    if L >= 2400:
        uni_draw = np.clip(rng.normal(400, 150, L // 150 + 1), 150, 800).astype(int)
        uni_draw[0] = max(300, uni_draw[0])
        unis = _fill_sizes(max(int(prof.campus.share * s * L), int(uni_draw[0])), uni_draw)
    else:
        unis = np.array([max(L // 8, 2)])
    n_hh, n_org, n_uni = int(hh.sum()), int(orgs.sum()), int(unis.sum())
    seg = np.concatenate([np.full(n_hh, SEG_HOUSEHOLD), np.full(n_org, SEG_ORG), np.full(n_uni, SEG_UNIV),
                          np.full(L - n_hh - n_org - n_uni, SEG_SINGLE)])
    group = np.concatenate([np.repeat(np.arange(len(hh)), hh), np.repeat(np.arange(len(orgs)), orgs),
                            np.repeat(np.arange(len(unis)), unis), np.full(L - n_hh - n_org - n_uni, -1)])
    is_hh, is_org, is_uni, is_single = (seg == SEG_HOUSEHOLD), (seg == SEG_ORG), (seg == SEG_UNIV), (seg == SEG_SINGLE)

    # country: per group for households / orgs / campuses
    country = _pick(rng, L, ct["weight"])
    hh_c, org_c = _pick(rng, len(hh), ct["weight"]), _pick(rng, len(orgs), ct["weight"])
    uni_meta = [cat.UNIVERSITIES[i % len(cat.UNIVERSITIES)] for i in range(len(unis))]
    uni_c = np.array([COUNTRY_INDEX[u[1]] for u in uni_meta])
    country[is_hh], country[is_org], country[is_uni] = hh_c[group[is_hh]], org_c[group[is_org]], uni_c[group[is_uni]]

    # sign-up times: growth towards the window; orgs onboard in a burst, a class signs up together
    end = w.end - 2 * HOUR
    created = LEGIT_SINCE + ((end - LEGIT_SINCE) * rng.random(L) ** 0.5).astype(np.int64)
    org_burst = LEGIT_SINCE + ((end - LEGIT_SINCE) * rng.random(len(orgs)) ** 0.5).astype(np.int64)
    in_burst = is_org & (rng.random(L) < prof.organisations.onboarding)
    created[in_burst] = org_burst[group[in_burst]] + rng.integers(0, HOUR, int(in_burst.sum()))
    class_time = LEGIT_SINCE + ((end - LEGIT_SINCE) * rng.random(len(unis)) ** 0.5).astype(np.int64)
    first_member = np.full(L, -1)
    first_member[is_uni] = np.repeat(np.concatenate([[0], np.cumsum(unis)[:-1]]), unis)
    uni_rank = np.where(is_uni, np.arange(L) - n_hh - n_org - first_member, -1)
    in_class = is_uni & (uni_rank < np.minimum(120, (unis[np.where(is_uni, group, 0)] * 0.3).astype(int)))
    created[in_class] = class_time[group[in_class]] + rng.integers(0, HOUR, int(in_class.sum()))
    created = np.minimum(created, end)

    # network: home, carrier NAT, VPN exits, clouds, office egress, campus NAT
    kind = np.full(L, KIND_HOME)
    u = rng.random(L)
    mob, vpn = prof.cgnat.mobile, prof.vpn.share * s
    kind[is_single & (u < mob)] = KIND_MOBILE
    kind[is_single & (u >= mob) & (u < mob + vpn)] = KIND_VPN
    cloud_lo = max(0.25, mob + vpn)
    kind[is_single & (u >= cloud_lo) & (u < cloud_lo + 0.05)] = KIND_CLOUD
    mob_as = [[_as(a) for a in c.mobile] for c in cat.COUNTRIES]
    carrier = np.empty(L, dtype=np.int64)
    for ci in range(len(cat.COUNTRIES)):
        m = country == ci
        carrier[m] = np.array(mob_as[ci])[rng.integers(0, len(mob_as[ci]), int(m.sum()))]
    res_choice = np.empty(L, dtype=np.int64)
    for ci, c in enumerate(cat.COUNTRIES):
        m = country == ci
        res_choice[m] = np.array([_as(a) for a in c.residential])[rng.integers(0, len(c.residential), int(m.sum()))]
    home = w.ips.new(rng, res_choice, v6_share=0.15)
    hh_first = np.concatenate([[0], np.cumsum(hh)[:-1]]).astype(np.int64)
    hh_home = w.ips.new(rng, res_choice[hh_first], 0.15)
    home[is_hh] = hh_home[group[is_hh]]
    # carrier-grade NAT: a few addresses per carrier for thousands of people
    cgnat = np.empty(L, dtype=np.int64)
    cgnat2 = np.empty(L, dtype=np.int64)
    for a in np.unique(carrier):
        m = carrier == a
        k = int(m.sum())
        pool = w.ips.new(rng, np.full(max(2, k // 700), a))
        cgnat[m] = pool[_zipf_choice(rng, k, len(pool), 0.8)]
        cgnat2[m] = pool[_zipf_choice(rng, k, len(pool), 0.8)]
    vpn_m = kind == KIND_VPN
    vpn_as = np.array([_as(9009), _as(60068), _as(212238)])
    vpn_pool = w.ips.new(rng, vpn_as[rng.integers(0, 3, max(4, int(vpn_m.sum()) // prof.vpn.per_exit))])
    cloud_as = np.array([_as(16509), _as(396982), _as(8075), _as(14061)])
    cloud_m = kind == KIND_CLOUD
    # office egress: one address, or a few in one /24, on a business line or a cloud NAT
    egress_code = np.empty(len(orgs), dtype=object)
    egress_cidr = []
    for g in range(len(orgs)):
        a = _as(rng.choice([701, 3356, 174])) if rng.random() < 0.65 else int(cloud_as[rng.integers(0, 4)])
        pool = w.ips.subnet_pool(rng, a, 1 if rng.random() < 0.6 else int(rng.integers(2, 5)))
        egress_code[g] = pool
        egress_cidr.append(pool[0])
    uni_nat = []
    for g, meta in enumerate(uni_meta):
        n_nat = 2 if g == 0 else int(rng.integers(1, 4))
        uni_nat.append(w.ips.subnet_pool(rng, _as(meta[2]), n_nat))

    primary = home.copy()
    secondary = np.where(rng.random(L) < 0.5, cgnat, home)
    primary[kind == KIND_MOBILE] = cgnat[kind == KIND_MOBILE]
    secondary[kind == KIND_MOBILE] = cgnat2[kind == KIND_MOBILE]
    primary[vpn_m] = vpn_pool[_zipf_choice(rng, int(vpn_m.sum()), len(vpn_pool), 0.7)]
    secondary[vpn_m] = home[vpn_m]
    primary[cloud_m] = w.ips.new(rng, cloud_as[_pick(rng, int(cloud_m.sum()), (0.5, 0.2, 0.15, 0.15))])
    secondary[cloud_m] = home[cloud_m]
    oi = np.flatnonzero(is_org)
    if len(oi):
        eg_start = np.array([p[0] for p in egress_code], dtype=np.int64)
        eg_size = np.array([len(p) for p in egress_code], dtype=np.int64)
        pick = (rng.random(len(oi)) * eg_size[group[oi]]).astype(np.int64)
        primary[oi] = eg_start[group[oi]] + pick  # a pool's codes are contiguous
        secondary[oi] = home[oi]
    ui = np.flatnonzero(is_uni)
    if len(ui):
        starts = np.array([p[0] for p in uni_nat])[group[ui]]
        sizes = np.array([len(p) for p in uni_nat])[group[ui]]
        weights_pick = np.where(rng.random(len(ui)) < 0.8, 0, 1 + (rng.random(len(ui)) * np.maximum(sizes - 1, 1)).astype(int))
        primary[ui] = starts + np.minimum(weights_pick, sizes - 1)
        secondary[ui] = cgnat[ui]
    p_signup = np.select([kind == KIND_CLOUD, kind == KIND_VPN, is_org, is_uni], [0.0, 0.7, 0.7, 0.8], 0.8)
    p_signup = np.where(in_class | in_burst, 1.0, p_signup)
    signup_ip = np.where(rng.random(L) < p_signup, primary, secondary)

    # e-mail: gmail dominant, local providers, company and campus domains
    domain = _email_domains(rng, country)
    na, nb = len(cat.ORG_WORDS_A), len(cat.ORG_WORDS_B)
    oi_perm = rng.permutation(len(orgs))  # unique names: word pair, then a number
    suffix = pd.Series(oi_perm // (na * nb)).astype(str).where(oi_perm >= na * nb, "")
    org_names = _cat(np.array(cat.ORG_WORDS_A, dtype=object)[oi_perm % na], "-",
                     np.array(cat.ORG_WORDS_B, dtype=object)[(oi_perm // na) % nb], _obj(suffix))
    org_domain = _cat(org_names, ".com")
    use_work = is_org & (rng.random(L) < 0.8)
    domain[use_work] = org_domain[group[use_work]]
    uni_domain = np.array([m[0] if i < len(cat.UNIVERSITIES) else f"uni{i}-{m[0]}" for i, m in enumerate(uni_meta)], dtype=object)
    use_uni = is_uni & (rng.random(L) < 0.7)
    domain[use_uni] = uni_domain[group[use_uni]]
    local = _dedupe_locals(rng, _name_locals(rng, L), domain)
    email = _decorate_emails(rng, local, domain)
    email[rng.random(L) < 0.01] = None  # SSO sign-ups without an e-mail on file

    phone = _phones(rng, country)
    phone[rng.random(L) < np.where(is_org, 0.7, 0.45)] = None

    device = _hex(rng, L, 16)
    hh_dev = _hex(rng, len(hh), 16)
    hh_share = rng.random(max(len(hh), 1)) < prof.households.device
    shared_dev = is_hh & hh_share[np.where(is_hh, group, 0)]
    device[shared_dev] = hh_dev[group[shared_dev]]
    org_image = _hex(rng, len(orgs), 16)
    imaged = is_org & (rng.random(L) < prof.organisations.image)
    device[imaged] = org_image[group[imaged]]
    device[rng.random(L) < 0.02] = None

    uas = np.array(cat.BROWSER_UAS, dtype=object)
    ua = uas[_pick(rng, L, cat.BROWSER_UA_WEIGHTS)]
    org_ua = uas[rng.integers(0, 6, max(len(orgs), 1))]
    ua[imaged] = org_ua[group[imaged]]
    mob_ua = kind == KIND_MOBILE
    ua[mob_ua] = uas[6 + rng.integers(0, 3, int(mob_ua.sum()))]

    org_id = np.full(L, None, dtype=object)
    org_ids = _cat("org_", _hex(rng, len(orgs), 6))
    org_id[is_org] = org_ids[group[is_org]]

    org_tmpl = w.add_prompts(_cat("pf_", _hex(rng, len(orgs), 8)))
    personal = w.add_prompts(_cat("pf_", _hex(rng, L, 8)))
    api_user = (rng.random(L) < 0.35) | cloud_m | (is_org & (rng.random(L) < 0.6))
    keys = w.add_keys(_cat("key_", _token(rng, L, 20)))

    w.allowlist.extend([
        {"kind": "ip", "value": w.ips.table()[0][uni_nat[0][0]],
         "note": f"campus NAT of {uni_domain[0]} (hundreds of students)"},
    ])
    if len(orgs):
        big = int(np.argmax(orgs))
        ip0 = w.ips.table()[0][egress_cidr[big]]
        cidr = ".".join(ip0.split(".")[:3]) + ".0/24"
        w.allowlist.extend([
            {"kind": "cidr", "value": cidr, "note": f"office egress of {org_domain[big]}"},
            {"kind": "org_id", "value": org_ids[big], "note": f"enterprise workspace of {org_domain[big]}"},
        ])
    return {
        "created": created, "country": country, "email": email, "phone": phone, "signup_ip": signup_ip,
        "device": device, "ua": ua, "org_id": org_id, "seg": seg, "group": group, "kind": kind,
        "primary": primary, "secondary": secondary, "api_user": api_user, "key": keys,
        "personal": personal, "org_tmpl": (np.where(is_org, org_tmpl[np.maximum(group, 0) % len(orgs)], -1) if len(orgs)
                     else np.full(L, -1, dtype=np.int64)),
        "hh_sizes": hh, "org_sizes": orgs, "uni_sizes": unis, "carrier": carrier, "home": home,
        "cgnat": cgnat, "cgnat2": cgnat2, "in_class": in_class, "in_burst": in_burst,
    }


def _ceil_hour(t: np.ndarray) -> np.ndarray:
    return -(-np.asarray(t, dtype=np.int64) // HOUR) * HOUR


CAMPAIGN_BINS = {c.campaign_id: _bins("prepaid-" + c.campaign_id, PREPAID_BINS_PER_CAMPAIGN, "4")
                 for c in CAMPAIGNS}
_ALL_CAMPAIGN_BINS = np.concatenate(list(CAMPAIGN_BINS.values()))


def _new_cards(rng: np.random.Generator, country: np.ndarray, *, bins: np.ndarray | None = None,
               postal: np.ndarray | None = None, funding: str | None = None) -> dict[str, np.ndarray]:
    """Card attributes, one per element. Without ``bins``: a bank of the holder's country."""
    n = len(country)
    fp = _token(rng, n, 16)
    if bins is None:
        bin_ = np.empty(n, dtype=object)
        for ci, c in enumerate(cat.COUNTRIES):
            m = country == ci
            pool = COUNTRY_BINS[c.code]
            bin_[m] = pool[_zipf_choice(rng, int(m.sum()), len(pool), 0.7)]
        fund = np.array(["credit", "debit", "prepaid", "unknown"], dtype=object)[_pick(rng, n, (.55, .40, .03, .02))]
        prepaid = fund == "prepaid"
        k = int(prepaid.sum())
        pre = np.where(rng.random(k) < 0.2, _ALL_CAMPAIGN_BINS[rng.integers(0, len(_ALL_CAMPAIGN_BINS), k)],
                       LEGIT_PREPAID_BINS[rng.integers(0, len(LEGIT_PREPAID_BINS), k)])
        bin_[prepaid] = pre
    else:
        bin_ = bins[rng.integers(0, len(bins), n)]
        fund = np.full(n, funding or "prepaid", dtype=object)
    cc = np.array([c.code for c in cat.COUNTRIES], dtype=object)[country]
    return {"fp": fp, "bin": bin_, "card_country": cc, "funding": fund,
            "postal": _postcodes(rng, country) if postal is None else postal}


def _pay_rows(acct: np.ndarray, cards: dict[str, np.ndarray], card_idx: np.ndarray, created: np.ndarray) -> dict:
    return {"acct": np.asarray(acct, dtype=np.int64), "created": np.asarray(created, dtype=np.int64),
            **{k: v[card_idx] for k, v in cards.items()}}


def _legit_payments(rng: np.random.Generator, w: World, la: dict[str, np.ndarray], card_share: float = 0.8) -> None:
    L = w.n_legit
    seg, group, country, created = la["seg"], la["group"], la["country"], la["created"]
    n_hh, n_org = len(la["hh_sizes"]), len(la["org_sizes"])
    u = rng.random(L)
    personal = ((seg == SEG_SINGLE) & (u < 0.35)) | ((seg == SEG_ORG) & (u < 0.10)) | ((seg == SEG_UNIV) & (u < 0.20))
    second = personal & (rng.random(L) < 0.1)
    pi = np.concatenate([np.flatnonzero(personal), np.flatnonzero(second)])
    cards = _new_cards(rng, country[pi])
    delay = rng.exponential(3 * DAY, len(pi)).astype(np.int64)
    w.pay_chunks.append(_pay_rows(pi, cards, np.arange(len(pi)), np.minimum(created[pi] + delay, w.end - 60)))
    # households: one card on every member's account
    hh_first = np.concatenate([[0], np.cumsum(la["hh_sizes"])[:-1]]).astype(np.int64)
    hh_cards = _new_cards(rng, country[hh_first]) if n_hh else None
    share = rng.random(max(n_hh, 1)) < card_share
    m = (seg == SEG_HOUSEHOLD) & share[np.where(seg == SEG_HOUSEHOLD, group, 0)]
    hi = np.flatnonzero(m)
    if hh_cards is not None and len(hi):
        delay = rng.exponential(5 * DAY, len(hi)).astype(np.int64)
        w.pay_chunks.append(_pay_rows(hi, hh_cards, group[hi], np.minimum(created[hi] + delay, w.end - 60)))
    # organisations: the company card on its first one to three admin accounts
    if n_org:
        org_first = (n_hh and int(la["hh_sizes"].sum())) + np.concatenate([[0], np.cumsum(la["org_sizes"])[:-1]])
        org_cards = _new_cards(rng, country[org_first])
        rank = np.arange(L) - np.where(seg == SEG_ORG, org_first[np.where(seg == SEG_ORG, group, 0)], 0)
        admins = rng.integers(1, 4, n_org)
        oi = np.flatnonzero((seg == SEG_ORG) & (rank < admins[np.where(seg == SEG_ORG, group, 0)]))
        delay = rng.exponential(2 * DAY, len(oi)).astype(np.int64)
        w.pay_chunks.append(_pay_rows(oi, org_cards, group[oi], np.minimum(created[oi] + delay, w.end - 60)))


def _request_chunk(acct: np.ndarray, ts: np.ndarray, count: np.ndarray, key: np.ndarray, ip: np.ndarray,
                   prompt: np.ndarray, cap: np.ndarray, tin: np.ndarray, tout: np.ndarray) -> dict:
    return {"acct": acct.astype(np.int64), "ts": ts.astype(np.int64), "count": count.astype(np.int64),
            "key": key.astype(np.int64), "ip": ip.astype(np.int64), "prompt": prompt.astype(np.int64),
            "cap": cap.astype(np.int8), "tin": tin.astype(np.int64), "tout": tout.astype(np.int64)}


def _legit_activity(rng: np.random.Generator, w: World, la: dict[str, np.ndarray], public: np.ndarray,
                    prof: Profile) -> None:
    """Diurnal, heavy-tailed, mixed-capability use; logins from home and phone."""
    L = w.n_legit
    tz = _country_tables()["tz"]
    created, is_org = la["created"], la["seg"] == SEG_ORG
    start = np.maximum(WINDOW_START, _ceil_hour(created))
    active = (rng.random(L) < 0.85) & (start < w.end - HOUR)
    power = rng.random(L) < 0.02
    sess = 1 + np.floor(rng.lognormal(0.9, 1.1, L)).astype(np.int64)
    sess = np.where(power, sess * 4, sess)
    sess = np.where(is_org, (sess * 1.5).astype(np.int64), sess)
    frac = (w.end - start) / (w.end - WINDOW_START)
    sess = np.where(active, np.maximum(np.minimum(np.round(sess * frac), 250), 1), 0).astype(np.int64)
    acct = np.repeat(np.arange(L, dtype=np.int64), sess)
    n = len(acct)
    t0 = start[acct] + (rng.random(n) * (w.end - start[acct])).astype(np.int64)
    day = t0 // DAY * DAY
    local = np.where(is_org[acct], _pick(rng, n, WORKDAY), _pick(rng, n, DIURNAL))
    ts = day + ((local - tz[la["country"][acct]]) % 24) * HOUR
    ts = np.where(ts < start[acct], ts + DAY, ts)
    ts = np.where(ts >= w.end, start[acct], ts)
    cnt = 1 + np.floor(rng.lognormal(1.0, 1.1, n)).astype(np.int64)
    cnt = np.minimum(np.where(power[acct], cnt * 3, cnt), 3000)
    raw = (cnt == 1) & (rng.random(n) < 0.6)
    ts = np.where(raw, ts + rng.integers(0, HOUR, n), ts)
    dev = la["kind"][acct] == KIND_CLOUD
    cap = np.where(dev, _pick(rng, n, (0.10, 0.50, 0.10, 0.15, 0.15)), _pick(rng, n, cat.LEGIT_CAPABILITY_MIX))
    u = rng.random(n)
    pub_p = min(prof.templates.public_rows * prof.sharing, 0.4)
    prompt = np.where(u < 0.75, la["personal"][acct], -1)
    org_t = la["org_tmpl"][acct]
    prompt = np.where((u >= pub_p) & (u < pub_p + 0.45) & (org_t >= 0), org_t, prompt)
    prompt = np.where(u < pub_p, public[_zipf_choice(rng, n, len(public), 1.0)], prompt)
    key = np.where(la["api_user"][acct] & (rng.random(n) < 0.8), la["key"][acct], -1)
    ip = np.where(rng.random(n) < 0.8, la["primary"][acct], la["secondary"][acct])
    eff = np.maximum(cnt, 1)
    tin = eff * rng.lognormal(6.0, 0.9, n)
    tout = eff * rng.lognormal(5.8, 0.8, n)
    w.requests.append(_request_chunk(acct, ts, np.where(raw, -1, cnt), key, ip, prompt, cap, tin, tout))

    k = rng.poisson(1.5, L)
    la_acct = np.repeat(np.arange(L, dtype=np.int64), k)
    span = np.maximum(w.end - created[la_acct], 60)
    seen = created[la_acct] + (rng.random(len(la_acct)) * span).astype(np.int64)
    ip = np.where(rng.random(len(la_acct)) < 0.7, la["primary"][la_acct], la["secondary"][la_acct])
    w.login_chunks.append({"acct": la_acct, "ip": ip, "seen": seen, "event": np.full(len(la_acct), 1, np.int8)})


# ---------------------------------------------------------------- realistic innocent sharing
PRIVACY_RELAY_AS = (13335, 36183)  # Cloudflare WARP, Akamai (iCloud Private Relay egress)
VENUE_AS = (701, 3356, 174, 11537, 786, 680, 16509)  # conference centres, campuses, cloud Wi-Fi
CLOUD_AS = (16509, 396982, 8075, 14061)
PHONE_HUB, PHONE_SMALL, PHONE_OWN = 0, 1, 2
LEGIT_PATTERNS = ("household", "multi_account", "organisation", "university", "event", "app_owner",
                  "cgnat", "cgnat_hub", "vpn", "privacy_relay", "cloud", "launch_wave", "public_template")


def _pareto_sizes(rng: np.random.Generator, total: int, lo: int, hi: int, tail: float) -> np.ndarray:
    """Group sizes in [lo, hi] from a truncated Pareto that add up to ``total`` (>= lo)."""
    n = total // lo + 2
    u = rng.random(n)
    sizes = np.floor(lo * (1 - u * (1 - (lo / (hi + 1)) ** tail)) ** (-1 / tail)).astype(np.int64)
    sizes = np.clip(sizes, lo, hi)
    keep = sizes[np.cumsum(sizes) <= total]
    rest = total - int(keep.sum())
    if rest >= lo:
        keep = np.append(keep, rest)
    elif rest:
        order = np.argsort(keep, kind="stable")  # spread the remainder over the smallest
        np.add.at(keep, order[np.arange(rest) % len(order)], 1)
    return keep


def _replace_codes(x: np.ndarray, old: np.ndarray, new: np.ndarray, where: np.ndarray) -> np.ndarray:
    """x with x[i] == old[i] replaced by new[i] wherever ``where``."""
    m = where & (x == old)
    out = x.copy()
    out[m] = new[m]
    return out


def _realistic_sharing(rng: np.random.Generator, w: World, la: dict[str, np.ndarray], prof: Profile,
                       public: np.ndarray) -> dict[str, np.ndarray]:
    """Redraw / add the sharing real platforms have (own random stream): small-group CGNAT,
    privacy relays, people with several accounts, events, app owners, launch waves,
    favourite public templates. Mutates ``la``; returns masks for the truth labels."""
    L = w.n_legit
    seg, kind, country = la["seg"], la["kind"], la["country"]
    single = seg == SEG_SINGLE
    out: dict[str, np.ndarray] = {}

    # carrier NAT: hub / small group (5-50 strangers) / an address of one's own
    cg = prof.cgnat
    phone_cls = _pick(rng, L, (cg.hub, cg.shared, max(0.0, 1 - cg.hub - cg.shared)))
    on_phone = np.zeros(L, dtype=bool)  # only people who ever use their phone's network join a group
    for col in ("primary", "secondary", "signup_ip"):
        on_phone |= (la[col] == la["cgnat"]) | (la[col] == la["cgnat2"])
    phone_cls[~on_phone] = PHONE_HUB  # (their hub address is never used)
    phone = la["cgnat"].copy()
    phone2 = la["cgnat2"].copy()
    small_group = np.full(L, -1, dtype=np.int64)
    carrier = la["carrier"]
    n_groups = 0
    small_ips: list[np.ndarray] = []
    for a in np.unique(carrier):
        idx = np.flatnonzero((phone_cls == PHONE_SMALL) & (carrier == a))
        if len(idx) < cg.group_min:
            phone_cls[idx] = PHONE_OWN
            continue
        sizes = _pareto_sizes(rng, len(idx), cg.group_min, cg.group_max, cg.tail)
        ips = w.ips.new(rng, np.full(len(sizes), a), 0.0)
        small_ips.append(ips)
        g = np.repeat(np.arange(len(sizes)), sizes)
        members = idx[rng.permutation(len(idx))]
        small_group[members] = n_groups + g
        phone[members] = ips[g]
        roam = rng.random(len(idx)) < cg.roam
        phone2[members] = np.where(roam, ips[(g + 1) % len(sizes)], ips[g])
        n_groups += len(sizes)
    own = np.flatnonzero(phone_cls == PHONE_OWN)
    phone[own] = w.ips.new(rng, carrier[own], 0.3)
    phone2[own] = w.ips.new(rng, carrier[own], 0.3)
    not_hub = phone_cls != PHONE_HUB
    for col in ("primary", "secondary", "signup_ip"):
        la[col] = _replace_codes(la[col], la["cgnat"], phone, not_hub)
        la[col] = _replace_codes(la[col], la["cgnat2"], phone2, not_hub)
    la["small_group"] = small_group
    w.cgnat_ips = np.concatenate(small_ips) if small_ips else np.array([], dtype=np.int64)
    w.hub_ips = np.unique(la["cgnat"])
    uses = lambda ips: (la["primary"] == ips) | (la["secondary"] == ips) | (la["signup_ip"] == ips)  # noqa: E731
    out["cgnat"] = (phone_cls == PHONE_SMALL) & (uses(phone) | uses(phone2))
    out["cgnat_hub"] = (phone_cls == PHONE_HUB) & (uses(la["cgnat"]) | uses(la["cgnat2"]))
    ua_all = np.array(cat.BROWSER_UAS, dtype=object)
    mob = kind == KIND_MOBILE
    la["ua"][mob] = ua_all[6 + _pick(rng, int(mob.sum()), (0.55, 0.25, 0.15, 0.05))]  # iPhone, Pixel, Samsung, iPad

    # privacy relays: many unrelated users per egress address, hosting ASNs
    relay = single & (kind == KIND_HOME) & (rng.random(L) < prof.vpn.relay)
    out["privacy_relay"] = relay
    if relay.any():
        ras = np.array([_as(a) for a in PRIVACY_RELAY_AS])
        pool = w.ips.new(rng, ras[rng.integers(0, len(ras), max(2, int(relay.sum()) // prof.vpn.relay_per_exit))])
        pick = pool[_zipf_choice(rng, int(relay.sum()), len(pool), 0.5)]
        la["signup_ip"][relay] = np.where(la["signup_ip"][relay] == la["primary"][relay], pick, la["signup_ip"][relay])
        la["primary"][relay] = pick

    # disjoint slices of single users for the new groups
    free = rng.permutation(np.flatnonzero(single & ~relay & (kind != KIND_VPN)))
    used = 0

    def take(n: int) -> np.ndarray:
        nonlocal used
        n = max(0, min(n, len(free) - used))
        got = np.sort(free[used:used + n])
        used += n
        return got

    # people with several accounts (2-3), sharing device / card / phone / mailbox name / network
    mk = prof.multi
    sizes = _fill_sizes(int(mk.share * L), rng.choice([2, 3], size=int(mk.share * L) // 2 + 1, p=[0.7, 0.3]))
    mem = take(int(sizes.sum()))
    sizes = sizes[np.cumsum(sizes) <= len(mem)]
    mem = mem[:int(sizes.sum())]
    out["multi_account"] = np.zeros(L, dtype=bool)
    out["multi_account"][mem] = True
    if len(mem):
        gid = np.repeat(np.arange(len(sizes)), sizes)
        lead = mem[np.concatenate([[0], np.cumsum(sizes)[:-1]])][gid]
        other = mem != lead
        ng = len(sizes)
        flags = {k: (rng.random(ng) < getattr(mk, k))[gid] & other for k in ("device", "card", "phone", "email", "home")}
        country[mem] = country[lead]
        la["ua"][mem] = la["ua"][lead]
        d = flags["device"]
        la["device"][mem[d]] = la["device"][lead[d]]
        p = flags["phone"]
        la["phone"][mem[p]] = la["phone"][lead[p]]
        q = other & ~p
        la["phone"][mem[q]] = np.where(rng.random(int(q.sum())) < 0.5, None, _phones(rng, country[mem[q]]))
        h = flags["home"]
        for col in ("primary", "secondary", "signup_ip"):
            la[col][mem[h]] = la[col][lead[h]]
        e = flags["email"] & pd.notna(la["email"][lead])
        if e.any():
            local = pd.Series(la["email"][lead[e]]).str.split("@").str[0].str.replace(r"\+.*$", "", regex=True)
            dom = np.array(["outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.com"], dtype=object)
            nd = dom[rng.integers(0, len(dom), int(e.sum()))]
            lead_dom = pd.Series(la["email"][lead[e]]).str.split("@").str[1].str.lower().to_numpy()
            nd = np.where(nd == lead_dom, "gmx.com", nd)
            la["email"][mem[e]] = _cat(_obj(local), "@", nd)
        c = flags["card"]
        if c.any():
            lead_of = lead[c]
            uniq, inv = np.unique(lead_of, return_inverse=True)
            cards = _new_cards(rng, country[uniq])
            all_m = np.concatenate([uniq, mem[c]])
            idx = np.concatenate([np.arange(len(uniq)), inv])
            w.pay_chunks.append(_pay_rows(all_m, cards, idx, np.minimum(la["created"][all_m] + DAY, w.end - 60)))

    # events: dozens sign up within an hour from one venue address, then go home
    ev = prof.events
    n_ev = int(round(ev.per_100k * L / 100_000))
    ev_sizes = rng.integers(ev.size[0], ev.size[1] + 1, n_ev)
    ev_mem = take(int(ev_sizes.sum()))
    ev_sizes = ev_sizes[np.cumsum(ev_sizes) <= len(ev_mem)]
    ev_mem = ev_mem[:int(ev_sizes.sum())]
    out["event"] = np.zeros(L, dtype=bool)
    out["event"][ev_mem] = True
    end = w.end - 2 * HOUR
    if len(ev_mem):
        ne = len(ev_sizes)
        gid = np.repeat(np.arange(ne), ev_sizes)
        venue_as = np.array([_as(a) for a in VENUE_AS])
        venue = np.concatenate([w.ips.subnet_pool(rng, int(venue_as[rng.integers(0, len(venue_as))]), 1)
                                for _ in range(ne)])
        when = LEGIT_SINCE + ((end - LEGIT_SINCE) * rng.random(ne) ** 0.3).astype(np.int64)
        la["created"][ev_mem] = np.minimum(when[gid] + rng.integers(0, HOUR, len(ev_mem)), end)
        la["signup_ip"][ev_mem] = venue[gid]
        tmpl = w.add_prompts(_cat("pf_", _hex(rng, ne, 8)))
        t_use = rng.random(len(ev_mem)) < ev.template
        la["org_tmpl"][ev_mem[t_use]] = tmpl[gid[t_use]]

    # app owners: one developer's app accounts
    ap = prof.apps
    n_app = int(ap.share * L)
    ap_sizes = _fill_sizes(n_app, rng.integers(ap.size[0], ap.size[1] + 1, n_app // ap.size[0] + 1))
    ap_mem = take(int(ap_sizes.sum()))
    ap_sizes = ap_sizes[np.cumsum(ap_sizes) <= len(ap_mem)]
    ap_mem = ap_mem[:int(ap_sizes.sum())]
    out["app_owner"] = np.zeros(L, dtype=bool)
    out["app_owner"][ap_mem] = True
    la["app_group"] = np.full(L, -1, dtype=np.int64)
    if len(ap_mem):
        na = len(ap_sizes)
        gid = np.repeat(np.arange(na), ap_sizes)
        lead = ap_mem[np.concatenate([[0], np.cumsum(ap_sizes)[:-1]])][gid]
        cas = np.array([_as(a) for a in CLOUD_AS])
        ip = w.ips.new(rng, cas[rng.integers(0, len(cas), na)])
        country[ap_mem] = country[lead]
        la["primary"][ap_mem] = ip[gid]
        la["secondary"][ap_mem] = la["home"][lead]
        la["signup_ip"][ap_mem] = np.where(rng.random(len(ap_mem)) < 0.7, ip[gid], la["home"][lead])
        la["device"][ap_mem] = la["device"][lead]
        la["ua"][ap_mem] = la["ua"][lead]
        la["kind"][ap_mem] = KIND_CLOUD
        la["api_user"][ap_mem] = True
        prefix = _token(rng, na, 6)
        la["key"][ap_mem] = w.add_keys(_cat("key_", prefix[gid], "_", _token(rng, len(ap_mem), 14)))
        la["org_tmpl"][ap_mem] = w.add_prompts(_cat("pf_", _hex(rng, na, 8)))[gid]
        cards = _new_cards(rng, country[ap_mem[np.concatenate([[0], np.cumsum(ap_sizes)[:-1]])]])
        w.pay_chunks.append(_pay_rows(ap_mem, cards, gid, np.minimum(la["created"][ap_mem] + HOUR, w.end - 60)))
        la["app_group"][ap_mem] = gid
        la["app_hours"] = rng.integers(0, 24, (na, 3))

    # marketing launch waves: thousands sign up on one day, from everywhere
    out["launch_wave"] = np.zeros(L, dtype=bool)
    lw = prof.launches
    for _ in range(lw.waves):
        who = take(int(lw.share * L))
        if not len(who):
            break
        day = int(rng.integers(2, max(3, w.days - 3)))
        la["created"][who] = WINDOW_START + day * DAY + _pick(rng, len(who), DIURNAL) * HOUR + rng.integers(0, HOUR, len(who))
        out["launch_wave"][who] = True

    # favourite public templates (many more public templates than the catalogue's 8)
    tp = prof.templates
    extra = w.add_prompts(np.array(["pf_" + _stable_hash(f"tmpl_pub_extra_{i}") for i in range(tp.extra_public)],
                                   dtype=object)) if tp.extra_public else np.array([], dtype=np.int64)
    w.public_all = np.concatenate([public, extra])
    fav = (la["org_tmpl"] < 0) & (rng.random(L) < tp.users)
    la["org_tmpl"][fav] = w.public_all[_zipf_choice(rng, int(fav.sum()), len(w.public_all), 1.0)]
    out["public_template"] = fav
    return out


def _app_cron(rng: np.random.Generator, w: World, la: dict[str, np.ndarray], share: float) -> None:
    """App accounts call on the owner's fixed hours (a cron job), not on a human's day."""
    r = w.requests[-1]
    grp = la["app_group"][r["acct"]]
    m = (grp >= 0) & (r["count"] > 0) & (rng.random(len(grp)) < share)
    if not m.any():
        return
    hrs = la["app_hours"][grp[m], rng.integers(0, 3, int(m.sum()))]
    ts = r["ts"][m] // DAY * DAY + hrs * HOUR
    ok = (ts >= _ceil_hour(la["created"][r["acct"][m]])) & (ts >= WINDOW_START) & (ts < w.end)
    new = r["ts"].copy()
    new[np.flatnonzero(m)[ok]] = ts[ok]
    r["ts"] = new


def _legit_labels(la: dict[str, np.ndarray], extra: dict[str, np.ndarray]) -> np.ndarray:
    """Truth: the innocent-sharing patterns each legit account belongs to, ';'-joined
    (``none`` when it shares nothing beyond gmail and diurnal hours)."""
    L = len(la["seg"])
    masks = {
        "household": la["seg"] == SEG_HOUSEHOLD, "organisation": la["seg"] == SEG_ORG,
        "university": la["seg"] == SEG_UNIV, "vpn": la["kind"] == KIND_VPN, "cloud": la["kind"] == KIND_CLOUD,
        "cgnat_hub": ((la["primary"] == la["cgnat"]) | (la["secondary"] == la["cgnat"])
                      | (la["secondary"] == la["cgnat2"]) | (la["signup_ip"] == la["cgnat"])),
    }
    masks.update(extra)
    parts = [np.where(masks[p], p + ";", "") if p in masks else np.full(L, "", dtype=object) for p in LEGIT_PATTERNS]
    lab = pd.Series(_cat(*[_obj(x) for x in parts])).str.rstrip(";")
    return _obj(lab.where(lab != "", "none"))


# ---------------------------------------------------------------- planted fraud
def _ring_sizes(rng: np.random.Generator, total: int) -> np.ndarray:
    """Ring sizes from ~5 to a few hundred that add up to ``total``."""
    if total <= 12:
        return np.array([max(total, 1)])
    median = float(np.clip(total / 8, 6, 80))
    cap = max(5, min(400, total // 3))  # several rings, never one giant by chance
    draws = np.clip(rng.lognormal(np.log(median), 0.9, total // 5 + 2), 5, cap).astype(np.int64)
    sizes = _fill_sizes(total, draws)
    rest = total - int(sizes.sum())
    if rest >= 5 or len(sizes) == 0:
        sizes = np.append(sizes, rest)
    else:
        sizes[-1] += rest
    return sizes


def _gmail_variants(bases: np.ndarray, base_of: np.ndarray) -> np.ndarray:
    """Distinct addresses that all reach one gmail mailbox: a dot somewhere, then +tags."""
    b = pd.Series(bases[base_of])
    rank = pd.Series(base_of).groupby(base_of).cumcount().to_numpy()
    pos = np.where(rank == 0, 0, (rank - 1) % 5 + 1)
    dotted = np.select([pos == i for i in range(1, 6)], [_obj(b.str[:i] + "." + b.str[i:]) for i in range(1, 6)],
                       _obj(b))
    tag = np.where(rank >= 6, _cat("+", _obj(pd.Series(rank).astype(str))), "")
    return _cat(dotted, _obj(tag), "@gmail.com")


def _plant_campaign(rng: np.random.Generator, w: World, spec: CampaignSpec, diff: Fraud, public: np.ndarray,
                    n_accounts: int, base: int, n_campaign: int,
                    rng2: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Rings of one operator: shared campaign infrastructure, ring-level strong identifiers."""
    sizes = _ring_sizes(rng, n_accounts)
    p_stealth = float(np.clip(diff.stealth + spec.stealth_bias, 0.0, 0.9))
    # stealth rings (never the first ring) in random order until they hold ~p_stealth of accounts
    stealth = np.zeros(len(sizes), dtype=bool)
    order = 1 + rng.permutation(len(sizes) - 1)
    need = p_stealth * sizes.sum()
    before = np.concatenate([[0], np.cumsum(sizes[order])[:-1]]) if len(order) else np.array([])
    stealth[order[before + sizes[order] / 2 <= need]] = True
    if len(sizes) >= 3 and not stealth.any():
        stealth[-1] = True
    # camouflaged: stealth rings that blend in (their own random stream: legacy worlds have none)
    camo = stealth & (rng2.random(len(sizes)) < diff.camouflaged) if diff.camouflaged > 0 else np.zeros_like(stealth)
    templates = w.add_prompts(_cat("pf_", _hex(rng, spec.n_templates, 8)))
    bins = CAMPAIGN_BINS[spec.campaign_id]
    ci = COUNTRY_INDEX[spec.country]
    postal_pool = _postcodes(rng, np.full(3, ci))
    n_stealth = int(sizes[stealth].sum())
    proxy_as = np.array([_as(a) for a in spec.proxy])
    proxy_pool = w.ips.new(rng, proxy_as[rng.integers(0, len(proxy_as), max(30, 2 * n_stealth))], 0.1)
    shift = (spec.shift[0] + np.arange(spec.shift[1])) % 24
    ds = min(spec.start_day, w.days - 1)
    ring_rows: list[dict[str, np.ndarray]] = []
    accts: list[dict[str, np.ndarray]] = []
    uas = np.array(cat.BROWSER_UAS, dtype=object)
    offset = base
    for r, (k, st, cm) in enumerate(zip(sizes.tolist(), stealth.tolist(), camo.tolist(), strict=True)):
        ring_id = f"ring_{n_campaign:02d}_{r + 1:03d}"
        idx = np.arange(offset, offset + k, dtype=np.int64)
        offset += k
        # sign-up bursts: minutes apart, same /24 or proxy ASN, same BIN; later bursts grow the ring
        nb = 1 + min(3, max(1, k // 30))  # later bursts spread over the window: rings grow
        frac = (np.arange(nb) + rng.uniform(-0.4, 0.4, nb)) / nb
        burst_t = WINDOW_START + ((ds + frac * max(w.days - ds - 2, 1)) * DAY).astype(np.int64)
        burst_t[0] = WINDOW_START + ds * DAY - int(rng.integers(2 * HOUR, DAY))
        spread = int(rng.integers(*diff.burst_minutes)) * 60 * (4 if st else 1)
        b = np.where(rng.random(k) < 0.4, 0, rng.integers(0, nb, k))
        created = np.minimum(burst_t[b] + rng.integers(0, spread, k), w.end - 3 * HOUR)
        burned = rng.random(k) < 0.1
        stop = np.where(burned, created + ((w.end - created) * rng.uniform(0.3, 1.0, k)).astype(np.int64), w.end)
        country = np.full(k, ci) if not st else _pick(rng, k, _country_tables()["weight"])
        # network
        if st:
            signup_ip = proxy_pool[rng.integers(0, len(proxy_pool), k)]
            ip_pool = proxy_pool
        else:
            ip_pool = w.ips.subnet_pool(rng, _as(spec.hosting[r % len(spec.hosting)]), int(rng.integers(4, 13)))
            signup_ip = ip_pool[rng.integers(0, len(ip_pool), k)]
        if cm:  # carrier NAT addresses real people use, and residential proxies
            shared = np.concatenate([w.cgnat_ips, w.hub_ips])
            n_sh = int(0.6 * 2 * k) if len(shared) else 0
            res_as = np.array([_as(a) for c in cat.COUNTRIES for a in c.residential])
            ip_pool = np.concatenate([shared[rng.integers(0, max(len(shared), 1), n_sh)],
                                      w.ips.new(rng, res_as[rng.integers(0, len(res_as), 2 * k - n_sh)], 0.15)])
            signup_ip = ip_pool[rng.integers(0, len(ip_pool), k)]
        # e-mail
        if spec.email == "gmail_variants" and not st:
            nb_mail = max(1, k // 8)
            bases = _cat(_token(rng, nb_mail, 6, _LOWER), _digits(rng, nb_mail, 3))
            email = _gmail_variants(bases, rng.integers(0, nb_mail, k))
        elif spec.email in ("gmail_variants", "gmail_random") or cm:
            email = _cat(_name_locals(rng, k, 0.0), _digits(rng, k, 5), "@gmail.com")
        elif spec.email == "rare_domain" and not st:
            email = _cat(_token(rng, k, 10, _LOWER), "@", RARE_DOMAINS[r % len(RARE_DOMAINS)])
        elif spec.email == "rare_domain":
            email = _cat(_name_locals(rng, k, 0.0), _digits(rng, k, 6), "@",
                         rng.choice(np.array(["outlook.com", "hotmail.com"], dtype=object), k))
        else:
            email = _cat(_token(rng, k, 9, _LOWER), _digits(rng, k, 2), "@proton.me")
        # phone, device, agent
        phone = np.full(k, None, dtype=object)
        if st:
            has = rng.random(k) < 0.3
            phone[has] = _phones(rng, country[has])
        else:
            voip = _cat("+1", rng.choice(np.array(["332", "659", "564"], dtype=object), 2),
                        rng.integers(2, 10, 2).astype(str), _digits(rng, 2, 6))
            has = rng.random(k) < 0.4
            phone[has] = voip[rng.integers(0, 2, int(has.sum()))]
        if st:
            device = _hex(rng, k, 16)
            ua = uas[_pick(rng, k, cat.BROWSER_UA_WEIGHTS)]
        else:
            devs = _hex(rng, max(1, k // 12), 16)
            device = devs[rng.integers(0, len(devs), k)]
            ua = np.full(k, cat.HEADLESS_UA if rng.random() < 0.3 else uas[int(rng.integers(0, 6))], dtype=object)
        # payments: a shared card pool (clear) or a fresh prepaid card each (stealth), campaign BINs
        if st:
            payer = np.flatnonzero(rng.random(k) < 0.85)
            cards = _new_cards(rng, country[payer], bins=bins if diff.stealth_campaign_bin and not cm else None)
            w.pay_chunks.append(_pay_rows(idx[payer], cards, np.arange(len(payer)),
                                          created[payer] + rng.integers(120, 1800, len(payer))))
        else:
            n_cards = max(1, k // 6)
            cards = _new_cards(rng, np.full(n_cards, ci), bins=bins,
                               postal=postal_pool[rng.integers(0, 3, n_cards)])
            w.pay_chunks.append(_pay_rows(idx, cards, rng.integers(0, n_cards, k),
                                          created + rng.integers(120, 1800, k)))
        keys = w.add_keys(_cat("key_", _token(rng, k if st else max(1, k // 8), 20)))
        key_of = np.arange(k) if st else np.arange(k) % len(keys)
        # schedule: the ring works the same hours each day (lockstep), inside the campaign shift
        nd = w.days - ds
        nh = int(rng.integers(2, 4))
        hours = shift[np.argsort(rng.random((nd, len(shift))), axis=1)[:, :nh]]
        slots = (WINDOW_START + (ds + np.arange(nd))[:, None] * DAY + hours * HOUR).ravel()
        grid = np.broadcast_to(slots, (k, len(slots))).copy()
        jit = rng.random(grid.shape) < diff.jitter * (1.5 if st else 1.0)
        grid[jit] += rng.choice(np.array([-2, -1, 1, 2]) * HOUR, int(jit.sum()))
        valid = (grid >= _ceil_hour(created)[:, None]) & (grid >= WINDOW_START) & (grid < stop[:, None]) & (grid < w.end)
        valid &= rng.random(grid.shape) >= diff.dropout
        mi, si = np.nonzero(valid)
        n = len(mi)
        cap = _pick(rng, n, spec.caps)
        u = rng.random(n)
        on_campaign = (0.5 if cm else diff.stealth_template) if st else 0.92
        prompt = np.where(u < on_campaign, templates[cap % len(templates)], -1)
        if st:  # the rest copies popular public agent templates, like everyone else
            copied = u >= on_campaign + 0.3 * (1 - on_campaign)
            pub = w.public_all if cm and len(w.public_all) else public
            prompt = np.where(copied, pub[_zipf_choice(rng, n, len(pub), 1.0)], prompt)
        ring_rows.append({"acct": idx[mi], "ts": grid[mi, si], "key": keys[key_of[mi]],
                          "ip": ip_pool[rng.integers(0, len(ip_pool), n)], "prompt": prompt, "cap": cap,
                          "factor": np.full(n, rng.uniform(0.85, 1.15))})
        logins = created + rng.integers(300, 2 * HOUR, k)
        w.login_chunks.append({"acct": idx, "ip": signup_ip, "seen": np.minimum(logins, w.end - 1),
                               "event": np.full(k, 1, np.int8)})
        accts.append({"idx": idx, "created": created, "country": country, "email": email, "phone": phone,
                      "signup_ip": signup_ip, "device": device, "ua": ua,
                      "ring": np.full(k, len(w.rings)), "campaign": np.full(k, n_campaign - 1)})
        w.rings.append({"ring_id": ring_id, "campaign_id": spec.campaign_id,
                        "evidence": "camouflaged" if cm else "stealth" if st else "clear", "size": k,
                        "ip_pool": ip_pool, "devices": np.unique(device)[:4], "first": int(idx[0])})
    # load-balanced volume: one rate per campaign, near-equal per account
    total = sum(len(c["acct"]) for c in ring_rows)
    target = EXCHANGES_PER_FRAUD_ACCOUNT * n_accounts * w.days / DEFAULT_DAYS
    rate = max(target / max(total, 1), 1.0)
    for c in ring_rows:
        n = len(c["acct"])
        cnt = 1 + rng.poisson(np.maximum(rate * c["factor"] - 1, 0))
        tin = cnt * rng.uniform(900, 2600, n)
        tout = cnt * rng.uniform(1800, 4200, n)
        w.requests.append(_request_chunk(c["acct"], c["ts"], cnt, c["key"], c["ip"], c["prompt"], c["cap"],
                                         tin, tout))
    w.campaigns.append({"campaign_id": spec.campaign_id, "operator": spec.operator, "templates": templates,
                        "bins": bins, "rings": len(sizes)})
    out = {k: np.concatenate([a[k] for a in accts]) for k in accts[0]}
    return out


LOW_AND_SLOW = CampaignSpec("camp_05", None, 0.0, "US", (), (7922, 20115, 7018, 2856, 3320, 812, 1221),
                            "gmail_random", (14, 5), (0.60, 0.30, 0.10, 0.0, 0.0), 0, 0.0, 1)
LOW_AND_SLOW_RING = 300  # accounts per low-and-slow ring at most


def _plant_low_and_slow(rng: np.random.Generator, w: World, fr: Fraud, n_accounts: int, base: int,
                        n_campaign: int) -> dict[str, np.ndarray]:
    """Low-and-slow: each account has its own residential IP, card, device, key and mailbox;
    they have only a card BIN (a prepaid product legit people buy too), one prompt template
    and the same working hours in common, and sign up a few a day over weeks."""
    spec = LOW_AND_SLOW
    n_rings = max(1, -(-n_accounts // LOW_AND_SLOW_RING))
    sizes = np.full(n_rings, n_accounts // n_rings)
    sizes[: n_accounts - int(sizes.sum())] += 1
    template = w.add_prompts(_cat("pf_", _hex(rng, 1, 8)))
    the_bin = LEGIT_PREPAID_BINS[:1]
    res_as = np.array([_as(a) for a in spec.proxy])
    uas = np.array(cat.BROWSER_UAS, dtype=object)
    shift = (spec.shift[0] + np.arange(spec.shift[1])) % 24
    accts, offset = [], base
    for r, k in enumerate(sizes.tolist()):
        idx = np.arange(offset, offset + k, dtype=np.int64)
        offset += k
        span = fr.low_and_slow_weeks * 7 * DAY
        created = WINDOW_START - span // 3 + np.sort((rng.random(k) * span).astype(np.int64))
        created = np.minimum(created, w.end - 3 * DAY)
        country = np.full(k, COUNTRY_INDEX["US"])
        ip = w.ips.new(rng, res_as[rng.integers(0, len(res_as), k)], 0.1)
        email = _cat(_name_locals(rng, k, 0.5), "@gmail.com")
        phone = np.full(k, None, dtype=object)
        device = _hex(rng, k, 16)
        ua = uas[_pick(rng, k, cat.BROWSER_UA_WEIGHTS)]
        cards = _new_cards(rng, country, bins=the_bin)
        w.pay_chunks.append(_pay_rows(idx, cards, np.arange(k), created + rng.integers(DAY, 3 * DAY, k)))
        keys = w.add_keys(_cat("key_", _token(rng, k, 20)))
        hours = shift[rng.permutation(len(shift))[:2]]  # the ring's two hours, every day
        days = np.arange(w.days)
        slots = (WINDOW_START + days[:, None] * DAY + hours[None, :] * HOUR).ravel()
        grid = np.broadcast_to(slots, (k, len(slots)))
        valid = (grid >= _ceil_hour(created)[:, None]) & (rng.random(grid.shape) < 0.5)
        mi, si = np.nonzero(valid)
        n = len(mi)
        cap = _pick(rng, n, spec.caps)
        prompt = np.where(rng.random(n) < 0.9, template[0], -1)
        cnt = 1 + rng.poisson(15, n)
        w.requests.append(_request_chunk(idx[mi], grid[mi, si], cnt, keys[mi], ip[mi], prompt, cap,
                                         cnt * rng.uniform(900, 2600, n), cnt * rng.uniform(1800, 4200, n)))
        w.login_chunks.append({"acct": idx, "ip": ip, "seen": np.minimum(created + rng.integers(300, DAY, k), w.end - 1),
                               "event": np.full(k, 1, np.int8)})
        accts.append({"idx": idx, "created": created, "country": country, "email": email, "phone": phone,
                      "signup_ip": ip, "device": device, "ua": ua,
                      "ring": np.full(k, len(w.rings)), "campaign": np.full(k, n_campaign - 1)})
        w.rings.append({"ring_id": f"ring_{n_campaign:02d}_{r + 1:03d}", "campaign_id": spec.campaign_id,
                        "evidence": "low_and_slow", "size": k, "ip_pool": ip[:4], "devices": device[:4],
                        "first": int(idx[0])})
    w.campaigns.append({"campaign_id": spec.campaign_id, "operator": spec.operator, "templates": template,
                        "bins": the_bin, "rings": n_rings})
    return {c: np.concatenate([a[c] for a in accts]) for c in accts[0]}


# ---------------------------------------------------------------- the whole world
EVENTS = ("signup", "login", "api")


def account_ids(n: int, seed: int) -> np.ndarray:
    """Unique ids that reveal nothing: an odd multiplier mod 2^32 is a bijection."""
    k = (np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64((seed * 0x85EBCA6B) & 0xFFFFFFFF))
    k = (k & np.uint64(0xFFFFFFFF)).astype(">u4")
    raw = binascii.hexlify(k.tobytes())
    return _cat("acct_", _obj(np.frombuffer(raw, dtype="S8").astype("U8")))


def build_world(accounts: int, seed: int, difficulty: str | None = "default", weeks: int = 1,
                profile: str | Profile | None = None) -> World:
    """Draw the whole world in memory (see module docstring). ``profile`` names a world of
    ``linker.demo.profiles.PROFILES``; without one, ``difficulty`` names a legacy profile."""
    prof = resolve_profile(profile, difficulty)
    if accounts < 1_000:
        raise ValueError("the demo world needs at least 1,000 accounts")
    if weeks < 1:
        raise ValueError("weeks must be >= 1")
    fr = prof.fraud
    rng = np.random.default_rng(seed)
    rng2 = np.random.default_rng([seed, 0x5EED])  # realistic knobs only: legacy draws stay as they were
    days = DEFAULT_DAYS if weeks == 1 else 7 * weeks
    fraud_n = [max(6, round(spec.share * accounts)) for spec in CAMPAIGNS]
    n_ls = max(20, round(fr.low_and_slow * accounts)) if fr.low_and_slow > 0 and not prof.legacy else 0
    w = World(n_legit=accounts - sum(fraud_n) - n_ls, days=days, end=WINDOW_START + days * DAY, ips=IpRegistry())
    public = w.add_prompts(np.array(["pf_" + _stable_hash(t) for t in cat.PUBLIC_TEMPLATES], dtype=object))
    w.public_all = public
    la = _legit_accounts(rng, w, prof)
    extra = {} if prof.legacy else _realistic_sharing(rng2, w, la, prof, public)
    _legit_payments(rng, w, la, prof.households.card)
    _legit_activity(rng, w, la, public, prof)
    if not prof.legacy and prof.apps.share > 0:
        _app_cron(rng2, w, la, prof.apps.cron)
    L = w.n_legit
    la["group_name"] = _legit_labels(la, extra)
    w.legit = {k: v for k, v in la.items() if isinstance(v, np.ndarray) and len(v) == L}
    cols = ("created", "country", "email", "phone", "signup_ip", "device", "ua")
    acc = {c: [la[c]] for c in cols}
    acc["org_id"] = [la["org_id"]]
    acc["ring"] = [np.full(L, -1)]
    acc["campaign"] = [np.full(L, -1)]
    acc["group_name"] = [la["group_name"]]
    base = L
    for i, spec in enumerate(CAMPAIGNS):
        f = _plant_campaign(rng, w, spec, fr, public, fraud_n[i], base, i + 1, rng2)
        base += fraud_n[i]
        for c in cols + ("ring", "campaign"):
            acc[c].append(f[c])
        acc["org_id"].append(np.full(fraud_n[i], None, dtype=object))
        acc["group_name"].append(np.full(fraud_n[i], "fraud", dtype=object))
    if n_ls:
        f = _plant_low_and_slow(rng2, w, fr, n_ls, base, len(CAMPAIGNS) + 1)
        for c in cols + ("ring", "campaign"):
            acc[c].append(f[c])
        acc["org_id"].append(np.full(n_ls, None, dtype=object))
        acc["group_name"].append(np.full(n_ls, "fraud", dtype=object))
    a = {c: np.concatenate(v) for c, v in acc.items()}
    # a fraud mailbox must not collide with a real person's (sign-up would have refused it)
    legit_keys = set(_norm_email(a["email"][:L]).dropna())
    fk = np.arange(L, accounts)
    for _ in range(10):
        keys = _norm_email(a["email"][fk])
        clash = keys.isin(legit_keys).to_numpy()
        if not clash.any():
            break
        e = pd.Series(a["email"][fk[clash]])
        a["email"][fk[clash]] = _obj(e.str.replace("@", "7@", n=1, regex=False))
    a["id"] = account_ids(accounts, seed)
    w.acct_chunks.append(a)
    _side_inputs(w, a)
    return w


def _side_inputs(w: World, a: dict[str, np.ndarray]) -> None:
    """Indicators (strong for some operators, weak noise, none for one) and the allow-list."""
    ip_str, _ = w.ips.table()
    prompts = np.concatenate(w.prompts)
    rings = {r["campaign_id"]: [x for x in w.rings if x["campaign_id"] == r["campaign_id"]] for r in w.rings}
    camp = {c["campaign_id"]: c for c in w.campaigns}
    ind: list[dict] = []

    def add(op: str, kind: str, value: str, conf: float, src: str) -> None:
        ind.append({"operator": op, "kind": kind, "value": value, "confidence": conf, "source": src})

    c1, r1 = camp["camp_01"], rings["camp_01"][0]
    for b in c1["bins"]:
        add("Harbor Kraken", "card_bin", b, 0.9, "partner-intel-2026-05")
    add("Harbor Kraken", "prompt_fingerprint", prompts[c1["templates"][0]], 0.95, "partner-intel-2026-05")
    ip0 = ip_str[r1["ip_pool"][0]]
    add("Harbor Kraken", "cidr", ".".join(ip0.split(".")[:3]) + ".0/24", 0.85, "partner-intel-2026-05")
    r2 = rings["camp_02"][0]
    for d in r2["devices"][:2]:
        add("Velvet Mantis", "device_id", d, 0.9, "internal-case-4471")
    for code in r2["ip_pool"][:2]:
        add("Velvet Mantis", "ip", ip_str[code], 0.8, "internal-case-4471")
    add("Velvet Mantis", "asn", "16509", 0.3, "osint-blog")  # weak: a huge cloud
    c4 = camp["camp_04"]
    add("Quiet Heron", "prompt_fingerprint", prompts[c4["templates"][0]], 0.9, "isac-share")
    add("Quiet Heron", "card_bin", c4["bins"][0], 0.7, "isac-share")
    add("Paper Tiger", "email_domain", "gmail.com", 0.2, "forum-rumour")  # weak noise, no campaign
    add("Paper Tiger", "asn", "396982", 0.25, "forum-rumour")
    w.indicators = ind
    member = r1["first"] + 1
    w.allowlist.append({"kind": "account_id", "value": a["id"][member],
                        "note": "partner red-team account (known; review, never auto-suspend)"})
