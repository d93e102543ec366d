"""World profiles: every kind of innocent sharing and every style of fraud is a knob.

A ``Profile`` is a bundle of small frozen dataclasses of rates. The realistic profiles
(``baseline`` and the stress variants) model what real AI platforms see: small-group
carrier NAT, VPN and privacy-relay exits, offices and campuses, households, people with
several accounts, event sign-up bursts, app owners, public agent templates, launch waves;
and fraud in four tiers (clear, stealth, camouflaged, low-and-slow).

The ``legacy*`` profiles reproduce the world of the old ``--difficulty`` levels byte for
byte (every realistic knob off): the realistic knobs draw from their own random stream,
so turning them off leaves the legacy draws untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Households:
    share: float = 0.12  # of legit accounts (times Profile.sharing)
    card: float = 0.8  # households whose members all attach one card
    device: float = 0.3  # households sharing a family computer


@dataclass(frozen=True)
class Organisations:
    share: float = 0.10  # of legit accounts (times Profile.sharing); office egress NAT, org_id
    onboarding: float = 0.4  # members who sign up in the onboarding hour
    image: float = 0.6  # members on the laptop image (one device id)


@dataclass(frozen=True)
class Campus:
    share: float = 0.03  # of legit accounts (times Profile.sharing); campus NAT, classes


@dataclass(frozen=True)
class Cgnat:
    """Carrier-grade NAT. ``mobile`` singles sign up from their phone; ``shared`` of the
    phone users sit behind an address shared with 5-50 strangers over the year (sizes from
    a truncated Pareto: many small groups, few large); ``hub`` sit behind a few Zipf-popular
    hub addresses per carrier (thousands per address at 1M); the rest get addresses of
    their own. ``roam``: share whose second address is a neighbouring group's."""

    mobile: float = 0.18
    shared: float = 0.0
    hub: float = 1.0
    group_min: int = 5
    group_max: int = 50
    tail: float = 1.3  # Pareto exponent of group sizes (smaller = heavier tail)
    roam: float = 0.3


@dataclass(frozen=True)
class Vpn:
    share: float = 0.035  # of single users on a commercial VPN (times Profile.sharing)
    per_exit: int = 150  # users per VPN exit address
    relay: float = 0.0  # of single users behind a privacy relay (iCloud Private Relay, WARP)
    relay_per_exit: int = 400


@dataclass(frozen=True)
class MultiAccount:
    """One person, 2-3 accounts (work + personal, a second trial)."""

    share: float = 0.0  # of legit accounts
    device: float = 0.6  # groups that share the device
    card: float = 0.5  # ... the card
    phone: float = 0.4  # ... the phone number
    email: float = 0.5  # ... the e-mail local part at another provider
    home: float = 0.8  # ... the home / phone network


@dataclass(frozen=True)
class Events:
    """Hackathons, classes, workshops: dozens sign up within an hour from one venue IP."""

    per_100k: float = 0.0  # events per 100,000 accounts
    size: tuple[int, int] = (20, 120)
    template: float = 0.6  # attendees who use the event's starter template


@dataclass(frozen=True)
class AppOwners:
    """A developer's app accounts: one cloud IP, one card, one laptop, key-name pattern,
    the app's system prompt, cron-like hours."""

    share: float = 0.0  # of legit accounts
    size: tuple[int, int] = (2, 8)
    cron: float = 0.7  # share of their traffic on the owner's fixed hours


@dataclass(frozen=True)
class Templates:
    public_rows: float = 0.18  # share of ordinary request rows on a public template (times sharing)
    extra_public: int = 0  # more public templates beyond the catalogue's 8
    users: float = 0.0  # legit users with a favourite public template (~45 % of their rows)


@dataclass(frozen=True)
class Launches:
    waves: int = 0  # marketing launch days inside the window
    share: float = 0.03  # of legit accounts signing up on each launch day


@dataclass(frozen=True)
class Fraud:
    stealth: float = 0.25  # share of fraud rings tied only by timing / templates / infrastructure
    jitter: float = 0.08  # share of a ring's activity slots moved off its schedule
    dropout: float = 0.08  # share of slots a member skips
    burst_minutes: tuple[int, int] = (5, 30)  # how long a fraud sign-up burst lasts
    stealth_template: float = 0.92  # share of a stealth ring's rows on the campaign's templates
    stealth_campaign_bin: bool = True  # stealth rings' fresh cards still come from the campaign BINs
    camouflaged: float = 0.0  # share of stealth rings that blend in (CGNAT IPs, gmail, public templates)
    low_and_slow: float = 0.0  # share of all accounts in a low-and-slow campaign (camp_05)
    low_and_slow_weeks: int = 6  # its sign-ups trickle in over this many weeks


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    sharing: float = 1.0  # legacy multiplier on households, orgs, campuses, VPN, templates
    households: Households = field(default_factory=Households)
    organisations: Organisations = field(default_factory=Organisations)
    campus: Campus = field(default_factory=Campus)
    cgnat: Cgnat = field(default_factory=Cgnat)
    vpn: Vpn = field(default_factory=Vpn)
    multi: MultiAccount = field(default_factory=MultiAccount)
    events: Events = field(default_factory=Events)
    apps: AppOwners = field(default_factory=AppOwners)
    templates: Templates = field(default_factory=Templates)
    launches: Launches = field(default_factory=Launches)
    fraud: Fraud = field(default_factory=Fraud)
    legacy: bool = False  # no realistic knobs at all (the old world, byte for byte)


_LEGACY_FRAUD = {
    "easy": Fraud(0.10, 0.0, 0.02, (3, 15)),
    "default": Fraud(0.25, 0.08, 0.08, (5, 30)),
    "hard": Fraud(0.45, 0.25, 0.20, (20, 180), 0.6, False),
}

BASELINE = Profile(
    "baseline",
    "realistic platform: small-group CGNAT for ~30 % of phone users, VPN and relay exits, "
    "offices, campuses, households, multi-accounts, events, app owners, public templates, a "
    "launch wave; fraud clear / stealth / camouflaged / low-and-slow",
    cgnat=Cgnat(mobile=0.45, shared=0.30, hub=0.05),
    vpn=Vpn(share=0.04, per_exit=150, relay=0.03),
    multi=MultiAccount(share=0.04),
    events=Events(per_100k=20),
    apps=AppOwners(share=0.01),
    templates=Templates(public_rows=0.18, extra_public=40, users=0.25),
    launches=Launches(waves=1, share=0.03),
    fraud=Fraud(camouflaged=0.25, low_and_slow=0.0003),
)

PROFILES: dict[str, Profile] = {
    "baseline": BASELINE,
    "heavy_cgnat": replace(
        BASELINE, name="heavy_cgnat",
        description="most users on phones; ~29 % of all individuals behind 5-50-stranger CGNAT addresses",
        cgnat=Cgnat(mobile=0.85, shared=0.34, hub=0.10)),
    "vpn_heavy": replace(
        BASELINE, name="vpn_heavy", description="privacy-minded users: 15 % VPN, 10 % privacy relay",
        vpn=Vpn(share=0.15, per_exit=150, relay=0.10)),
    "enterprise": replace(
        BASELINE, name="enterprise", description="B2B platform: 35 % of accounts in organisations, many app owners",
        organisations=Organisations(share=0.35), apps=AppOwners(share=0.04), multi=MultiAccount(share=0.08)),
    "campus": replace(
        BASELINE, name="campus", description="education-heavy: 15 % on campus NAT, many classes and hackathons",
        campus=Campus(share=0.15), events=Events(per_100k=80)),
    "launch_day": replace(
        BASELINE, name="launch_day", description="three marketing launches, 5 % of accounts each in one day",
        launches=Launches(waves=3, share=0.05), templates=Templates(0.25, 80, 0.4)),
    "stealthy_fraud": replace(
        BASELINE, name="stealthy_fraud",
        description="baseline sharing; 45 % stealth rings, noisy timing, ordinary BINs, 40 % of stealth camouflaged",
        fraud=Fraud(0.45, 0.25, 0.20, (20, 180), 0.6, False, camouflaged=0.4, low_and_slow=0.0003)),
    "camouflaged": replace(
        BASELINE, name="camouflaged", description="fraud hides behind CGNAT / residential IPs, gmail and public templates",
        fraud=Fraud(stealth=0.5, camouflaged=0.8, low_and_slow=0.0003)),
    "low_and_slow": replace(
        BASELINE, name="low_and_slow",
        description="a 0.2 % low-and-slow campaign: own IP / card / device each, one BIN, one template, same hours",
        fraud=Fraud(low_and_slow=0.002, low_and_slow_weeks=8)),
    # the old world (``--difficulty``), byte for byte
    "legacy_easy": Profile("legacy_easy", "old demo world, --difficulty easy", 0.7, fraud=_LEGACY_FRAUD["easy"],
                           legacy=True),
    "legacy": Profile("legacy", "old demo world, --difficulty default", 1.0, fraud=_LEGACY_FRAUD["default"],
                      legacy=True),
    "legacy_hard": Profile("legacy_hard", "old demo world, --difficulty hard", 1.5, fraud=_LEGACY_FRAUD["hard"],
                           legacy=True),
}
DEFAULT_PROFILE = "baseline"
REALISTIC_PROFILES = tuple(k for k, p in PROFILES.items() if not p.legacy)
# the old --difficulty levels (and generate_world's difficulty argument) name legacy profiles
DIFFICULTY_PROFILES = {"easy": "legacy_easy", "default": "legacy", "hard": "legacy_hard"}


def resolve_profile(profile: str | Profile | None, difficulty: str | None = "default") -> Profile:
    """A profile by name (or as given); without one, the legacy profile of ``difficulty``."""
    if isinstance(profile, Profile):
        return profile
    if profile is None:
        if difficulty not in DIFFICULTY_PROFILES:
            raise ValueError(f"difficulty must be one of {sorted(DIFFICULTY_PROFILES)}, not {difficulty!r}")
        return PROFILES[DIFFICULTY_PROFILES[difficulty]]
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, not {profile!r}")
    return PROFILES[profile]
