"""Settings: every knob of a run in one typed object, loaded from TOML and recorded whole
in run.json, so that a run can be replayed (`linker run --config OUT/run.json`).

Defaults live here (identifier kinds' defaults in `linker.kinds`); the trailing comment of
each field is its documentation (`linker config show` prints them). `load_settings` checks
every key, type and range and raises `SettingsError` (exit code 2) naming the key.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import re
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linker import kinds
from linker.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class SettingsError(InputError):
    """A settings file or option that cannot be used (unknown key, wrong type, out of range)."""


def _campaign_strong() -> dict[str, float]:
    return kinds.campaign_weights(strong=True)


def _campaign_weak() -> dict[str, float]:
    # signup_wave (same sign-up hour) and capability (dominant capability) are behaviour
    # features of campaigns, not identifiers
    return {**kinds.campaign_weights(strong=False), "signup_wave": 0.3, "capability": 0.3}




# reason codes (linker.detect.reasons) of how an operator runs accounts, as opposed to what
# innocent groups share: bursts of sign-ups, one scheduler, load balancing, a proxy pool
_OPERATOR_PATTERNS = ("SIGNUP_BURST", "LOCKSTEP_HOURS", "RING_SCHEDULE", "LOAD_BALANCED_VOLUME", "PROXY_IP_POOL",
                      "IP_ROTATION",
                      "SHARED_PROMPT_TEMPLATE")  # a rare template: public ones link nothing


@dataclass
class RingParams:
    """Ring detection: links, timing, communities, scoring."""

    # identifier links
    kind_weight: dict[str, float] = field(default_factory=kinds.default_link_weights)  # weight of a value shared by 2 accounts (linker.kinds)
    hub_cap: dict[str, int] = field(default_factory=kinds.default_hub_caps)  # values shared by more accounts link nothing
    # many shared identifiers of one kind add up to this × the kind weight (default 2): IPs
    # and networks are capped low, a proxy pool must not outweigh behaviour
    kind_cap_mult: dict[str, float] = field(default_factory=lambda: {"ip": 1.0, "subnet": 1.0})
    hub_band_mult: float = 10.0         # hubs up to this × cap are linked through a band only
    hub_band_k: int = 4                 # ... of this many neighbours per account
    hub_band_kinds: tuple[str, ...] = field(default_factory=kinds.banded_kinds)  # kinds linked through a band
    rare_domain_max: int = 25           # e-mail domain is evidence only if ≤ this many accounts
    phone_block_min_numbers: int = 5    # a block of 100 phone numbers is evidence only if ≥ this many of its numbers sign up (0: off)
    phone_block_rehome: bool = True     # a run of dense phone blocks with ≥ min_ring_size accounts in one component is one ring (a SIM farm's purchase): its accounts move to the community holding most of them
    proxy_pool_min: int = 3             # ≥ this many shared rare IPs → PROXY_IP_POOL
    # an operator's rotating proxy exits look like egress one by one (accounts arrive at each
    # spread over weeks), but its accounts meet on many of them: two accounts sharing ≥ this
    # many IPs of ≤ pool_wide_cap accounts each, egress or not, are a proxy pool (0: off)
    pool_wide_min: int = 8
    pool_wide_cap: int = 100
    # ... and accounts that each use pool_wide_min IPs of at most pool_closed_cap accounts
    # each, meeting there on pool_closed_share of all the IPs either uses, connect from one
    # closed pool, on addresses pool_closed_owner_share of whose users connect from crowded
    # addresses and little else (links._closed_pool; share 0: off)
    pool_closed_cap: int = 1000
    pool_closed_share: float = 0.8
    pool_closed_owner_share: float = 0.95
    # a proxy pool's accounts meet on at least one address some account signed up or logged
    # in from: addresses seen only in API traffic are a backend's servers (an app calling
    # on its end users' behalf), shared but no proxy pool (links.identifier_pairs)
    pool_needs_interactive: bool = True
    # one exact sign-up instant shared by accounts from this many sign-up /24s is a
    # placeholder (an export clamping times, a migration's backfill): those accounts' sign-up
    # times are unknown to bursts, families and organisations (timing.placeholder_instants; 0: off)
    placeholder_min_networks: int = 10
    interactive_events: tuple[str, ...] = ("signup", "login")  # ip_events kinds a person makes (without any: the rule above is off)
    # a ring's own pool: an address used by at least ring_pool_min_users of one ring's
    # members, and with them ring_pool_owner_share of everyone who uses it, is the ring's; a member
    # using pool_wide_min of them is on its proxy pool however crowded each exit is (the
    # operator's own accounts crowd it: strangers on a cloud or carrier exit do not belong
    # to one ring). Organisation members excepted: an office owns its egress (0: off)
    ring_pool_min_users: int = 20
    ring_pool_owner_share: float = 0.75
    # ... counting as owners the members of every ring that uses the address that many
    # times (a big operation that community detection cut into pieces owns its exits
    # together; False: one ring's members only)
    ring_pool_pieces: bool = True
    # an account whose own IP events come from at least this many distinct ASNs rotates
    # through a proxy (IP_ROTATION, 0: off): people move between a home ISP, a carrier and an
    # office, an operator's residential proxy hops across networks. Unlike the pool above it
    # does not depend on how many accounts meet on one exit, so it holds at any scale; and
    # for clustering, a rotating account's schedule neighbours count only if they rotate too
    # (and vice versa; timing.same_infrastructure)
    rotation_min_asns: int = 5
    egress_kinds: tuple[str, ...] = ("signup_ip", "ip")  # kinds checked for shared egress
    egress_min_accounts: int = 3        # an IP shared by this many accounts ...
    egress_median_gap_hours: float = 24.0  # ... arriving this far apart (median) is egress: no link
    # kinds whose values link nothing when their users signed up like an institution's
    # (`links.established_values`, with the institution_* thresholds below): an API key
    # that accounts join all year long is an app's or a company's, called through by
    # strangers or colleagues (world G's apps: 2-13 % of their
    # end users reviewed without it); an operator's resold keys go to accounts opened in a
    # campaign's waves (world E: 166-211 accounts each, within 80-120 days)
    established_kinds: tuple[str, ...] = ("api_key",)
    org_discount: float = 0.05          # links inside one organisation are scaled by this
    # an institution recognised from the data (links.established, links.institution_domains):
    # an org or non-public e-mail domain of this many accounts, signed up over this many
    # days (10th-90th percentile); a domain this share of whose org-holding accounts are in
    # one org counts as that org. An institution's internal links are dropped
    institution_min_accounts: int = 20  # 0: off
    institution_min_span_days: float = 120.0
    institution_min_days: int = 8      # ... on this many distinct days
    institution_org_share: float = 0.5
    institution_adopt_share: float = 0.5  # an outsider whose links mostly lead into one joins it
    # an e-mail domain is a campus's own (`links.campus_domains`) when it is established and
    # at least this share of its accounts signed up from its three busiest /24 networks:
    # what two of its accounts share (a lab PC) is no operator toolkit's slip (0: off)
    campus_network_share: float = 0.6
    # an account without an org_id joins the org this share of its company e-mail domain's
    # accounts are in (`links.domain_orgs`; 0: off)
    domain_org_share: float = 0.8
    # a template family this many of whose accounts are in no organisation is no
    # organisation's own: its seats' links are not discounted (`links.release_family_seats`; 0: off)
    family_outside_min: int = 20
    # ... but a seat opened at the very instant as at least this many colleagues was
    # provisioned by its organisation (SSO/SCIM: world G's companies, ~12k seats per 200k;
    # no fraud seat on any tuning world shares an instant with two colleagues), and its
    # organisation keeps explaining what it shares (0: released all the same)
    provisioned_min_seats: int = 3
    # ... yet colleagues meeting on their office's egress addresses are no proxy pool,
    # released or not (`links.office_egress`)
    office_owns_egress: bool = True
    min_link_weight: float = 0.25       # weaker pairs are dropped before clustering
    # sign-up bursts
    burst_window_minutes: float = 30.0
    burst_min: int = 4
    burst_z: float = 5.0
    burst_k: int = 10
    burst_weight: dict[str, float] = field(default_factory=kinds.burst_weights)  # per kind of shared value a burst is measured on
    # lockstep hours
    lockstep_min_hours: int = 6
    lockstep_min_overlap: float = 0.55   # shared hours / hours of the less active account
    lockstep_min_jaccard: float = 0.2
    # an account whose busiest 12 hours of the UTC day hold less than this share of its
    # active hours (an hourly cron job, an agent loop) has no schedule: its hours hold
    # everyone's, so its lockstep hours and schedule neighbours are no evidence (0: off).
    # On tuning E/11 legit in review 1.83 -> 0.65 %, fraud flagged 0.721 -> 0.719
    schedule_min_busy_share: float = 0.6
    # an account sending at least this share of its IP volume (events and exchanges) through
    # backend addresses (nobody signs up or logs in there, 3+ accounts use them:
    # `evidence.behind_backend`) calls through an app's servers or a CI runner pool, on
    # their clock: it counts towards no toolkit's shift (0: off) and, with
    # `backend_clock_no_evidence`, its lockstep hours and schedule are no evidence, as a
    # round-the-clock account's (world G's CI users: a 384-account "ring" of strangers on
    # one runner pool's cron). On all seven worlds' tuning seeds only world G's account
    # takeovers and key relays are fraud this far behind a backend; an operator sending
    # every exchange from servers nobody logs in from keeps only its other evidence
    backend_min_share: float = 0.9
    backend_clock_no_evidence: bool = True
    # ... and with this, clustering still sees them: they hold their own kind (a CI runner
    # pool) together. Without it they leave clustering too, which on held-out B/42 cut its
    # big campaign apart (a tenth of its flagged fraud lost)
    round_the_clock_clusters: bool = True
    lockstep_min_days: int = 5           # shared hours on at least this many days (schedule neighbours too): one event (a hackathon, a class week) is no schedule
    lockstep_bands: int = 16
    lockstep_rows: int = 3
    lockstep_bucket_cap: int = 200
    lockstep_k: int = 6
    lockstep_weight: float = 1.0
    # schedule neighbours (clustering only): each account's most similar hour sets in its component
    schedule_k: int = 10                 # neighbours kept per account (0: off)
    schedule_bands: int = 32
    schedule_rows: int = 3
    schedule_bucket_k: int = 8
    schedule_min_jaccard: float = 0.1
    schedule_cluster_weight: float = 30.0  # clustering weight of a neighbour = this × Jaccard (0: flags only)
    ring_schedule_mates: int = 3         # RING_SCHEDULE: this many schedule neighbours in the ring ...
    ring_schedule_min_jaccard: float = 0.15  # ... each at least this similar
    ring_schedule_majority: float = 0.0  # ... and at least this share of its close neighbours (0: off)
    ring_schedule_ring_share: float = 0.1  # RING_SCHEDULE flags only in rings whose other evidence flags this share
    ring_schedule_value: float = 0.4     # evidence score of RING_SCHEDULE
    # operator template families (linker.detect.families): templates one operation's accounts use together
    family_min_users: int = 20           # accounts using both templates (0: off)
    family_min_overlap: float = 0.8      # ... of the less used template's users
    family_min_lift: float = 10.0        # ... this many times more often than independent choice
    family_k: int = 4                    # each family account linked to its next k by sign-up time
    family_weight: float = 0.5           # weight of those links (a pattern: review, never identity)
    # clustering by each ring's own template set: a family split where two templates' users
    # are more alike than this (Jaccard), not tied by the base template all its rings share
    # (0: off)
    family_split_jaccard: float = 0.5
    template_set_k: int = 3              # ... each account linked to its set's next k ...
    template_set_orders: int = 4         # ... in each of this many scrambled orders ...
    template_set_weight: float = 2.0     # ... with this weight (clustering only: links nothing)
    template_set_scale: bool = True      # ... times the component's resolution multiplier for sets of resolution_ref_nodes+ accounts (a 25,000-account operation's rings, cut apart by the raised resolution, stay whole) ...
    template_set_scale_share: float = 0.5  # ... that hold at most this share of their template family (a set that is nearly its whole family is the operation's kit, shared by its rings)
    template_set_merge_share: float = 0.6  # communities this much of one set are one ring (0: off) ...
    template_set_merge_link: float = 0.3   # ... when linked by this × the lighter one's inner weight
    cohort_min_users: int = 20           # low-and-slow cohorts (linker.detect.cohorts): a (template, card BIN) pair of this many accounts (0: off) ...
    cohort_min_lift: float = 10.0        # ... this many times more than independent choice ...
    cohort_card_share: float = 0.8       # ... paying with this many different cards per account
    family_schedule: bool = True         # RING_SCHEDULE also from schedule neighbours in the account's ring's family; with it and targeting, flags for review
    family_ring_share: float = 0.5       # a ring whose members are this share of one family: its members share the family's templates (0: off)
    ring_schedule_targeting: bool = True  # RING_SCHEDULE + the ring's own template + a network link also flag in a ring targeting capabilities
    # communities
    community_backend: str = "auto"     # auto | louvain | leiden
    cluster: str = "python"              # where communities are split: python (community_backend) | gds (GDS Leiden in Neo4j, --store neo4j)
    gds_max_levels: int = 10             # gds: Leiden levels at most
    gds_tolerance: float = 1e-7          # gds: Leiden stops when modularity gains less than this between levels
    resolution: float = 1.0              # modularity resolution (see the resolution study, bench.quality)
    resolution_ref_nodes: int = 500      # >0: resolution × sqrt(component nodes / this)
    resolution_max_mult: float = 16.0    # ... at most this many times
    strong_merge_frac: float = 0.5      # merge communities tied by this many strong links
    lockstep_cluster_boost: float = 10.0  # × weight of lockstep links for clustering only (a schedule is one ring's; addresses span the operator)
    rehome_lockstep_only: bool = True   # an account held in its community by lockstep links alone moves to its template family's community (two operators on one shift)
    strong_cluster_boost: float = 10.0  # × weight of strong identity links (card, device, phone, e-mail, key), for clustering only
    cluster_weight_cap: float = 1.5     # link weights are capped at this for clustering only
    network_cluster_factor: float = 0.1  # × weight of links made only of shared IPs / networks, for clustering only
    louvain_max_edges: int = 100_000
    seed: int = 7
    min_ring_size: int = 3
    # scoring
    min_attach: float = 0.5             # members with less internal link weight are pruned
    attach_ref: float = 3.0             # link weight at which attachment counts fully in the score
    attach_floor: float = 0.7           # score share an account keeps however weakly attached
    strong_value: float = 1.2           # evidence score of each own strong identity reason
    medium_value: float = 0.5           # ... of each own network / billing reason
    weak_value: float = 0.3             # ... of each own weak pattern (subnet, template, pool)
    timing_value: float = 0.6           # ... of own sign-up bursts and lockstep hours
    load_balance_value: float = 0.7     # ... of taking part in the ring's even split
    targeting_value: float = 0.55       # ... of the ring's capability targeting
    score_evidence_cap: float = 4.0     # score = (1 - e^-min(evidence, cap)) x attachment
    capability_margin: float = 0.2      # targeting: share must beat non-ring accounts' by this
    ring_template_share: float = 0.5     # a template used by this share of a ring ...
    ring_template_owner_share: float = 0.5  # ... whose users are mostly in rings is the operator's (0 share: off)
    core_min_size: int = 3
    suspend_min_kinds: int = 2           # suspend on identity + a sign-up burst only with this many strong kinds shared
    farm_min_kinds: int = 3              # suspend without own timing: this many strong kinds shared (0: off) ...
    farm_core_min: int = 5               # ... inside a strong core of at least this many accounts
    # a strong core of at most this many accounts that all share one e-mail address or one
    # phone number is one person's accounts (free-tier cycling, work and personal): flagged
    # for review, never suspended as a ring core or farm (0: off)
    person_max_accounts: int = 6
    # suspend without own timing: a strong core of at least this many accounts, most of them
    # (core_behaviour_share) hopping across proxy exits, the account itself too (0: off)
    proxy_core_min: int = 7
    # suspend inside an organisation (ORGANISATION_FARM): an account that shares a card,
    # device, phone, e-mail or key with two or more of its organisation, signs up in bursts,
    # works in lockstep or on its ring's schedule or was opened in one sitting with its
    # organisation (links.org_sitting), and uses a ring template that at least
    # this many of the ring's organisations use: independent companies do not share a
    # private template, an operator's fake startups do (0: off)
    org_farm_min_orgs: int = 5
    # ... with no timing of its own when at least this many of the ring's organisations use
    # that private template: a vendor's template is public, a company's stays inside it,
    # and ten or more small organisations on one ring's private kit are one operator's
    # batch, whatever hours its seats keep (0: off)
    org_farm_untimed_min_orgs: int = 10
    # ... counting only organisations of at most this many accounts, and only their seats
    # (0: any size): an operator's fake companies are small (1-30 seats on worlds C, F
    # and G); a real company of hundreds of seats on one laptop image and a popular CI
    # template is explained by the company (world G), and keeps the timed test
    org_farm_untimed_max_seats: int = 50
    # the seat's card, device, phone, e-mail or key is shared with two or more of its
    # organisation's seats in any ring (False: in its own ring only). An operator's fake
    # company spans several of its rings, each on its own kit; one company card is still
    # the organisation's whichever ring clustering put each seat in
    org_farm_org_wide: bool = True
    # suspend on an operator's private kit (PRIVATE_KIT): an account that sends a rare or
    # its ring's own prompt template through proxy exits it shares with ring-mates (a pool,
    # or the ring's own exits), in a ring where at least kit_min_members accounts, and
    # kit_min_share of its members, outside any organisation or rare e-mail domain do the
    # same. One stranger may share a template or an exit with a ring; hundreds sharing both
    # are one operator's tooling (0: off)
    kit_min_members: int = 20
    kit_min_share: float = 0.5
    # ... and that keeps its operator's clock: a burst, lockstep hours, an even split, the
    # ring's schedule or its toolkit's quiet hours (OPERATOR_TOOLKIT). An app's end users
    # reach the platform through the app's few servers with the app's templates too, but
    # from their own countries on their own hours (world E's apps: 374 legit suspended at
    # 200k without it)
    kit_needs_timing: bool = True
    kit_value: float = 1.2               # evidence score of PRIVATE_KIT (a strong reason's)
    # suspend the same kit beside a suspended core (CORE_KIT): an account that sends a rare
    # or its ring's own template, hops across networks or the ring's proxy pool and has the
    # ring's timing (burst, lockstep, schedule or even split), in a ring whose strong core
    # has at least core_kit_min_core suspended accounts and where kit_min_members accounts
    # do the same (0: off)
    core_kit_min_core: int = 5
    # ... and an account its ring's toolkit flags (OPERATOR_TOOLKIT) whose template family,
    # or one of whose templates, at least core_kit_min_core accounts of a suspended core
    # send, this share or more of its users (CORE_KIT too; 0: off). Its camouflaged
    # accounts keep their own cards and carrier IPs, not their own templates
    toolkit_core_share: float = 0.1
    # ... where a card added at least card_wave_min_age_days after sign-up, in an unusual
    # burst of such late cards of one BIN (CARD_WAVE: bought accounts switched on
    # together), counts as that timing (0: off)
    card_wave_min_age_days: float = 30.0
    # an account outside every ring that connects through at least sleeper_min_exits IPs
    # of one flagged ring's private exits (IPs with exits_min_ring or more of that ring's
    # accounts, no other ring's, and at most exits_max_other_share of their accounts
    # outside it), which are at least sleeper_min_exit_share of its IPs, is reviewed with
    # that ring (RING_EXITS): an account its operator opened and holds in reserve. One exit
    # is a home the operator's residential proxy exits through; the resident shares nothing
    # else. A SIM farm exits through its carrier's NAT: the carrier's customers meet a few
    # of its addresses among the rest of the carrier's pool, and use the platform; an
    # account that sent nothing in the window needs half of its IPs on the exits (0: off)
    sleeper_min_exits: int = 2
    sleeper_min_exit_share: float = 0.85
    sleeper_quiet_exit_share: float = 0.5  # ... for an account that sent nothing in the window
    exits_min_ring: int = 5
    exits_max_other_share: float = 0.1
    exits_value: float = 0.5             # review score of such an account: 1 - exp(-value)
    core_behaviour_share: float = 0.5    # share of the strong core with bursts / lockstep
    min_behaviour: float = 0.3           # behaviour evidence needed before any suspension
    identity_only_min_size: int = 10     # smaller communities without behaviour are no ring
    # ... and identity alone flags only with this many kinds shared, or a rare address,
    # template or proxy too: one card paying for many strangers is a payment reseller's
    # (1: any one kind)
    identity_only_min_kinds: int = 2
    # an operator's toolkit: review the members of a ring's own template family when at
    # least this many of them slip and share a card, device, phone or e-mail that no
    # organisation explains, and most of them are no class on its lab's PCs (0: slips open
    # nothing)
    toolkit_min_slips: int = 3
    # ... and at least this share of them (0: any family size): in an app's community of
    # thousands of end users on its template, a few households sharing a card or a device
    # are what any crowd that size holds, not an operator's reuse
    toolkit_min_slip_share: float = 0.01
    # ... counting no identifier two students of one campus share (`campus_network_share`:
    # a university's lab PCs, shared by students of a course whose templates other campuses
    # use too). Not an organisation's: world D's operator hides seats in a real school's
    # tenant, and its device slips there are what gives it away (False: off)
    toolkit_campus_explains: bool = True
    # ... and its students' shared hours, for the toolkit's shift (a class keeps its
    # timetable; before, only an organisation's members were explained there)
    toolkit_campus_shift: bool = True
    # ... nor a device (a device only: a card or phone is no lab's) two members of one
    # established organisation share: a university under its org_id has lab PCs too
    toolkit_institution_devices: bool = True
    # ... or when at least this many of them (0: off), nearly all outside any organisation
    # or company domain, work one shift: their share of work outside their busiest
    # `toolkit_shift_hours` of the UTC day (the other hours: when they all go quiet) at most
    # `toolkit_shift_ratio` times the platform's share in those hours (strangers keep their
    # own clocks)
    toolkit_shift_min: int = 20
    # (0.9 until the tenth session: once company seats provisioned at one instant stay with
    # their organisation, more of a camouflaged ring's public-template neighbours are
    # colleagues, and G/14's biggest camouflaged ring sat at 0.88; a company's own ring is
    # nearly all organisation. At 0.8 G/11 +255 camouflaged reviewed, G/12 +160, G/14
    # +334 kept, legit +84 to +139; the seven other worlds' tuning seeds identical)
    toolkit_shift_unexplained: float = 0.8
    toolkit_shift_hours: int = 19
    # (0.25 until the fifth session: world E's camouflaged families, 45 % of their traffic on
    # the operator's shift, score 0.38-0.39; 0.5 until the ninth: world G's camouflaged
    # rings sit at 0.48-0.52, so a few strangers clustered in tipped them over. At 0.6,
    # G/11 451 camouflaged accounts more reviewed, 88 legit (public-template users in their
    # rings); tuning seeds A/22, B/54, C/72, D/91, E/11, E/12, F/11 identical)
    toolkit_shift_ratio: float = 0.6
    # ... counting no member that calls through a backend (`backend_min_share`): an app's
    # end users keep their app's clock, an operator's camouflaged accounts send from their
    # own carrier IPs (world G: every legit member of a shift ring 1.0, camouflage 0.0)
    # a member of a toolkit ring's template family that signed up in a burst on a device it
    # shares with ring-mates (what a class on its lab's PCs looks like, one account at a
    # time) is the toolkit's like the others, when its ring as a whole is no class (fewer
    # than half its family members look so): a promo farm's few phones (False: never)
    toolkit_lab_members: bool = True
    # a ring whose template family members call through a backend at least this share
    # (`backend_min_share`: an app's servers, IPs nobody signs up or logs in from) is an
    # app's user base: the app's servers send its templates, and a few households and
    # multi-account people among hundreds of its users are no operator's slips (0: off).
    # World G at 1M accounts (tuning seed 11): 37 rings of toolkit-flagged members at
    # 0.2-1.0, all legit (1,716 app users); every fraud ring at 0.0-0.11
    toolkit_backend_share: float = 0.3
    # a member is flagged by its ring's toolkit only if it sends one of the ring's own
    # templates: one that at least `min_ring_size` of its members send and whose users are
    # rings' members, at least this share of them (0: off). A camouflaged operator mixes
    # public templates into its private ones, which pulls public-template users into its
    # family; what they send is everybody's, what its accounts send is its own (and is
    # sent across its campaign's rings: counted per ring, B/54 lost 515 camouflaged
    # accounts). With the backend rule above, legit flagged on G's tuning seeds 754 → 321,
    # 660 → 251, 545 → 360, 682 → 279 (fraud −0, −1, −0, −5); G/11 at 1M 0.541 → 0.234 %
    # of legit accounts; the seven other worlds' tuning seeds identical
    toolkit_own_template_share: float = 0.5
    # a device shared in a sign-up burst (a computer lab's class, a café) flags with a second
    # strong kind or a proxy only; True: device and burst alone flag, as before
    device_burst_alone: bool = False
    domain_explains_identity: bool = True  # ... and identity shared inside one rare e-mail domain or org is no farm on its own
    suspend_score: float = 0.75         # an account's own score needed for automatic suspension
    review_limit: int = 0               # cap on the review queue: the highest-scoring N (0: no cap)
    load_balance_cv: float = 0.10        # coefficient of variation of per-account volume
    load_balance_min_size: int = 6       # fewer accounts look even by chance
    load_balance_min_mean: float = 20.0
    load_balance_member_band: float = 0.35  # an account is part of the even split within this share of the median
    capability_share: float = 0.8



@dataclass
class CampaignParams:
    """Knobs of the ring → campaign grouping."""

    min_purity: float = 0.5        # a value must be used mostly by ring accounts to count
    public_unflagged: int = 10     # ... and is public (ties no rings) when this many unflagged accounts use it (0: off) ...
    public_ratio: float = 0.3      # ... more than this × its flagged users (a public agent template: 0.46 on C/71; an operator's template missed on some of its accounts: ≤ 0.18)
    threshold: float = 0.25        # ring-pair affinity needed to join two rings (one operator's rings chain up at ≥ 0.3, two operators' rings ≤ 0.06 on the tuning worlds)
    min_strong: float = 0.25       # ... of which at least this much from strong kinds
    # ... and from a kind that is no network (a /24 two operators rent from one residential-
    # proxy provider adds to a tie, never makes one alone): a shared value of such a kind on
    # at least this share (the overlap a reason is spelled at; 0: off)
    min_identity_overlap: float = 0.1
    weak_cap: float = 0.5          # weak kinds add at most this much
    # a value is in a ring when at least this many of the ring's accounts use it: one stray
    # account elsewhere using a ring's own templates neither ties nor dilutes (1: any use)
    ring_value_min_users: int = 2
    # the overlap of r with s is the share of r's values' mass on values s uses or, if
    # higher, the share of r's accounts using a private value (of at least this weight) s
    # uses: a ring cut in pieces shares its own templates between them, which would dilute
    # its operator's private base template (0: the mass share only)
    private_value_weight: float = 0.9
    # ... or the larger direction's share, when it is at least this: one ring wholly on the
    # other's private values (0: off, the default: on A/22 it merged two operators)
    private_contained: float = 0.0
    # a ring that alone joins two groups of rings through different accounts holds two
    # operators' accounts: it stays with the group most of its accounts tie to (at most
    # mixed_max_overlap of the smaller set of tying accounts, on private values, in common)
    split_mixed_rings: bool = True
    mixed_max_overlap: float = 0.1
    # ... unless most of both its sets of accounts pay from one card BIN of at least this
    # weight (0.5: three quarters of its users in rings): the operator's own supply, which
    # strangers do not share (0: a BIN never keeps a ring whole)
    private_supply_weight: float = 0.5
    dominant_capability: float = 0.5  # share of an account's exchanges to call it targeted
    top_n: int = 5                 # infrastructure values listed per kind and campaign
    strong_kinds: dict[str, float] = field(default_factory=_campaign_strong)  # can tie rings alone
    weak_kinds: dict[str, float] = field(default_factory=_campaign_weak)  # only add to strong ties
    # which rings are campaigns: operator evidence, read from the members' actions and reasons
    operator_patterns: tuple[str, ...] = _OPERATOR_PATTERNS  # reason codes of operator behaviour
    pattern_min: int = 2           # a reviewed account shows operator behaviour with this many of them
    # ... counting these as one: lockstep pairs and the ring's schedule both read the
    # account's hours (three cron jobs on one schedule show one behaviour, not two)
    one_pattern: tuple[str, ...] = ("LOCKSTEP_HOURS", "RING_SCHEDULE")
    min_core: int = 3              # a ring with this many suspended or patterned accounts is a campaign's
    review_min_core: int = 5       # ... with nobody suspended: this many patterned accounts
    # a ring with fewer suspended accounts than this is judged as review-only (the rule
    # above): one suspension in an office that keeps its hours in lockstep and rotates
    # across its gateway's networks is the detector's slip, not an operation (1: any)
    suspended_min: int = 2
    review_needs_targeting: bool = True  # ... and CAPABILITY_TARGETING (a distillation campaign's traffic)
    proxy_pattern_min: int = 3     # ... or that many accounts behind proxies with this many patterns (0: off)
    cohort_is_operator: bool = True  # ... or that many patterned accounts of a low-and-slow cohort (CARD_BIN_COHORT)
    toolkit_is_operator: bool = True  # ... or that many accounts of an operator's toolkit (OPERATOR_TOOLKIT), which are patterned too
    org_members_join: bool = True  # a campaign ring's organisation accounts with operator patterns are campaign accounts too
    pattern_confidence: float = 0.7  # campaign confidence of a patterned (not suspended) account
    evidence_members: bool = True  # a campaign's accounts: its rings' suspended or patterned members only



@dataclass
class SharingParams:
    """Which campaign indicators are worth sharing (STIX); the rest stay in the report as weak."""

    min_accounts: int = 2           # campaign accounts that must use a value to make it an indicator
    public_unflagged: int = 10      # used by this many unflagged accounts: public (mail, cloud/mobile ASN, template) ...
    public_ratio: float = 0.1       # ... when they are also more than this share of its flagged users (a 25,000-account campaign's template, missed on a few of its accounts, is its own)
    outside_min: int = 2            # specific: at most max(outside_min, outside_ratio × campaign
    outside_ratio: float = 0.1      # ... accounts using it) accounts outside the campaign use it
    min_confidence: float = 0.5     # confidence (source or campaign confidence × purity) to share
    # a campaign nobody in which was suspended (its confidence is `pattern_confidence`, 0.7:
    # review only) shares nothing until a reviewer's verdicts confirm it: its indicators stay
    # in the report, weak (world G's review-only campaigns of companies and public-template
    # users exported their templates; 0: any campaign shares)
    min_campaign_confidence: float = 0.75
    never_kinds: tuple[str, ...] = ("asn",)  # whole providers: an ASN is never an operator's indicator
    private_kinds: tuple[str, ...] = ("email_domain",)  # shared only when no unflagged account uses them


@dataclass
class AttributionParams:
    """Naming a campaign's operator from the indicators."""

    threshold: float = 0.5          # confidence needed to name an operator
    full_share: float = 0.2         # a match covering this share of accounts counts fully
    min_factor: float = 0.5         # ... one covering a single account counts this much
    weak_factor: float = 0.25       # weak matches count this much (and only beside strong ones)
    outside_min: int = 2            # value "common outside" when more than this many outsiders
    outside_ratio: float = 0.5      # ... and more than this × the campaign's matched accounts
    default_confidence: float = 1.0
    max_evidence: int = 100         # evidence entries kept per campaign



@dataclass
class HistoryParams:
    """Stable ids across runs: matching this run's rings and campaigns to the last run's."""

    match_jaccard: float = 0.3          # a (current, previous) pair matches at this Jaccard ...
    match_share_of_smaller: float = 0.5  # ... or sharing this share of the smaller side
    match_min_overlap: int = 2          # ... and at least this many accounts
    merge_share: float = 0.5            # a merge holds this share of each of two previous clusters
    split_share: float = 0.15           # a split part holds this share of the previous cluster ...
    split_min_part: int = 3             # ... and at least this many accounts
    part_majority: float = 0.5          # ... or most of the current ring


@dataclass
class ReviewParams:
    """What review packets show per ring page (the full lists are CSVs beside each page)."""

    member_rows: int = 200              # member rows in a ring page
    identifier_rows: int = 100          # shared-identifier rows in a ring page
    link_rows: int = 25                 # strongest links shown in a ring page
    rendered_rings: int = 50            # ring pages and pictures rendered by default, highest scores first (0: all; `linker review OUT --all`)
    index_reasons: int = 3              # reason codes shown per ring in the index (its most carried ones)


@dataclass
class OutputParams:
    """The campaign report's size."""

    top_chart: int = 8                  # campaigns drawn in the report's charts
    top_sections: int = 50              # campaigns with a full section
    top_table: int = 200                # campaigns listed in the summary table
    list_limit: int = 20                # items shown per list in the changes section


@dataclass
class FeedbackParams:
    """Review verdicts: how the fraud team's decisions shape the next run (linker/feedback)."""

    enabled: bool = True                # apply stored verdicts in every run
    confirmed_link_boost: float = 0.5   # an account sharing a confirmed account's strong identifier: score = 1-(1-score)(1-this)
    seed_max_accounts: int = 20         # a confirmed identifier used by more accounts than this seeds nothing (a hub)
    confirmed_link_suspend: bool = False  # accounts linked to a confirmed identifier may be suspended by their own evidence only when true
    # calibrated review filter, written by `linker calibrate` (off while review_min_probability is 0):
    # p = 1/(1+e^-(model_intercept + Σ model_weights[code] × has code + model_weights["score"] × score))
    model_intercept: float = 0.0        # logistic intercept (may be negative)
    model_weights: dict[str, float] = field(default_factory=dict)  # per reason code (and "score"); may be negative
    review_min_probability: float = 0.0  # review accounts below this fitted probability leave the queue (0: off)


@dataclass
class Settings:
    """Every knob of a run."""

    rings: RingParams = field(default_factory=lambda: RingParams())
    campaigns: CampaignParams = field(default_factory=lambda: CampaignParams())
    attribution: AttributionParams = field(default_factory=lambda: AttributionParams())
    sharing: SharingParams = field(default_factory=SharingParams)
    history: HistoryParams = field(default_factory=HistoryParams)
    review: ReviewParams = field(default_factory=ReviewParams)
    outputs: OutputParams = field(default_factory=OutputParams)
    feedback: FeedbackParams = field(default_factory=FeedbackParams)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def replace(self, section: str, **values: Any) -> Settings:
        """A copy with some values of one section changed (validated like a file)."""
        data = self.to_dict()
        data[section].update(values)
        return settings_from_dict(data, source="options")


# ---- loading and checking ------------------------------------------------------------------

# fields whose value is a share (0..1); every other number must be ≥ 0
_FRACTIONS = re.compile(r"(share|frac|purity|overlap|jaccard|majority|min_behaviour|"
                        r"suspend_score|capability_share|dominant_capability|discount|"
                        r"threshold|min_factor|weak_factor|ratio|confidence|confirmed_link_boost|probability)$")


# fitted model coefficients may be negative (a reason that predicts "cleared")
_SIGNED = re.compile(r"^feedback\.model_")


def _check(path: str, tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if tp is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{path}: expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{path}: expected a whole number, got {value!r}")
        if value < 0:
            raise SettingsError(f"{path}: must be ≥ 0, got {value}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SettingsError(f"{path}: expected a number, got {value!r}")
        if value < 0 and not _SIGNED.match(path):
            raise SettingsError(f"{path}: must be ≥ 0, got {value}")
        if _FRACTIONS.search(path.rsplit(".", 1)[-1]) and value > 1:
            raise SettingsError(f"{path}: must be between 0 and 1, got {value}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise SettingsError(f"{path}: expected text, got {value!r}")
        return value
    if origin is dict:
        _, vt = typing.get_args(tp)
        if not isinstance(value, dict):
            raise SettingsError(f"{path}: expected a table of values, got {value!r}")
        return {str(k): _check(f"{path}.{k}", vt, v) for k, v in value.items()}
    if origin is tuple:
        (et, _) = typing.get_args(tp)
        if not isinstance(value, (list, tuple)):
            raise SettingsError(f"{path}: expected a list, got {value!r}")
        return tuple(_check(f"{path}[{i}]", et, v) for i, v in enumerate(value))
    raise SettingsError(f"{path}: unsupported setting type {tp!r}")  # pragma: no cover


_CHOICES = {"rings.community_backend": ("auto", "louvain", "leiden"),
            "rings.cluster": ("python", "gds")}


def _build(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a table, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        where = f"{path}." if path else ""
        raise SettingsError(f"unknown setting {where}{unknown[0]} (known: {', '.join(sorted(names))})")
    values = {}
    for name, value in data.items():
        p = f"{path}.{name}" if path else name
        tp = hints[name]
        if dataclasses.is_dataclass(tp):
            values[name] = _build(tp, value, p)
            continue
        values[name] = _check(p, tp, value)
        if p in _CHOICES and values[name] not in _CHOICES[p]:
            raise SettingsError(f"{p}: must be one of {', '.join(_CHOICES[p])}, got {value!r}")
    return cls(**values)


def settings_from_dict(data: dict[str, Any], source: str = "settings") -> Settings:
    """Settings from a nested dict (a TOML document or run.json's `settings`); missing keys
    keep their defaults."""
    try:
        return _build(Settings, data, "")
    except SettingsError as e:
        raise SettingsError(f"{source}: {e}") from None


def load_settings(path: Path | None) -> Settings:
    """Defaults, or a TOML settings file, or a run.json (its recorded settings: a replay)."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise SettingsError(f"cannot read settings file: {e.strerror}", file=str(path)) from None
    if path.suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise SettingsError(f"not valid JSON: {e}", file=str(path)) from None
        if not isinstance(doc, dict) or "settings" not in doc:
            raise SettingsError("no 'settings' in this run.json (written by an older linker?)",
                                file=str(path))
        return settings_from_dict(doc["settings"], source=path.name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"not valid TOML: {e}", file=str(path)) from None
    return settings_from_dict(doc, source=path.name)


def _field_docs(cls: type) -> dict[str, str]:
    """Trailing comments of a dataclass's fields, from its source (they document them)."""
    docs: dict[str, str] = {}
    try:
        src = inspect.getsource(cls)
    except (OSError, TypeError):  # pragma: no cover
        return docs
    for m in re.finditer(r"^\s+(\w+):[^\n#]*#\s*(.+)$", src, re.M):
        docs[m.group(1)] = m.group(2).strip()
    return docs


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return repr(v)


def to_toml(settings: Settings | None = None, comments: bool = True) -> str:
    """The settings as a TOML document (with each knob's meaning as a comment)."""
    settings = settings or Settings()
    lines = ["# linker settings: `linker run --config THIS_FILE`; every key is optional", ""]
    for section in dataclasses.fields(Settings):
        obj = getattr(settings, section.name)
        cls = type(obj)
        docs = _field_docs(cls)
        if comments and cls.__doc__:
            lines.append(f"# {cls.__doc__.strip().splitlines()[0]}")
        lines.append(f"[{section.name}]")
        for f in dataclasses.fields(cls):
            line = f"{f.name} = {_toml_value(getattr(obj, f.name))}"
            if comments and f.name in docs:
                line += f"  # {docs[f.name]}"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)




def recorded(run: dict[str, Any] | None, section: str) -> Any:
    """One section of the settings recorded in a run.json (defaults where absent), so that
    re-rendering an OUT_DIR uses the settings of the run that wrote it."""
    data = ((run or {}).get("settings") or {}).get(section) or {}
    cls = typing.get_type_hints(Settings)[section]
    try:
        return _build(cls, data, section)
    except SettingsError:
        return cls()
