"""Ring detection, end to end: evidence → links → communities → scores.

`find_rings` is the one entry point the pipeline calls. Every stage below it is a pure
function over arrays; this module only wires them and owns the tunable parameters.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from linker.detect import cohorts, communities, evidence, families, links, scoring, timing
from linker.memory import release as release_memory
from linker.progress import LineReporter, Reporter, Stage, plural
from linker.settings import RingParams

if TYPE_CHECKING:
    from collections.abc import Callable

    from linker.model import Dataset


@dataclass
class RingOutput:
    """What ring detection hands to campaigns, exports and review packets.

    `evidence` and `links` are restricted to ring members (links among members) so that
    they stay small at any scale; `allowlisted_evidence` lists the members' allow-listed
    identifiers (they linked nothing) for review packets."""

    evidence: pd.DataFrame
    links: pd.DataFrame
    members: pd.DataFrame
    rings: pd.DataFrame
    allowlisted_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    stats: dict[str, Any] = field(default_factory=dict)
    # the whole integer-coded evidence table (every account, allow-listed values excluded):
    # review feedback finds the accounts sharing a confirmed account's identifiers in it
    table: evidence.EvidenceTable | None = None


def _interactive(ds: Dataset, ev: evidence.EvidenceTable, params: RingParams,
                 allowed: evidence.EvidenceTable | None = None) -> np.ndarray | None:
    """`evidence.interactive_ips` when proxy pools need it (`pool_needs_interactive`), with
    the allow-listed evidence's addresses looked up too (an allow-listed office is where its
    staff log in; a partner app's servers are not: `evidence.behind_backend`)."""
    return (evidence.interactive_ips(ds, ev, params.interactive_events, also=allowed)
            if params.pool_needs_interactive else None)


def build_links(ev: evidence.EvidenceTable, ds: Dataset, allowlist: pd.DataFrame | None,
                params: RingParams, family: np.ndarray | None = None,
                cohort: np.ndarray | None = None) -> links.PairSet:
    """All links (identifiers + timing), org-discounted and filtered by `min_link_weight`.
    `family`: each account's template family (`families.family_of`), if already known;
    `cohort`: each account's low-and-slow cohort (`cohorts.cohort_of`), if any."""
    return links_and_orgs(ev, ds, allowlist, params, family, cohort,
                          interactive=_interactive(ds, ev, params)).pairs


class LinksAndOrgs(NamedTuple):
    """What `links_and_orgs` gives the scoring, per account code where an array."""

    pairs: links.PairSet      # `build_links`
    org: np.ndarray           # organisation code (-1: none, or its internal links dropped)
    sitting: np.ndarray       # signed up in one sitting with its organisation
    affiliation: np.ndarray   # organisation code whatever links it explains (-1: none)
    campus: np.ndarray        # campus code (-1: none; `links.campus_domains`)


class Clock(NamedTuple):
    """The evidence of time alone (`clock_evidence`), per account code where an array."""

    created: np.ndarray                 # `timing.signup_minutes`
    active: timing.ActiveHours | None   # `timing.active_hours`
    card_wave: np.ndarray               # `timing.card_waves`
    pairs: links.PairSet                # `timing.timing_pairs`


def clock_evidence(ds: Dataset, accounts: pd.Index, params: RingParams) -> Clock:
    """Sign-up minutes, active hours, card waves and timing links: what ring detection reads
    from the clock. It needs no identifier evidence, so `find_rings` builds it on a second
    thread beside the evidence table (numpy and Arrow release the GIL in their kernels)."""
    created = timing.signup_minutes(ds, accounts, params.placeholder_min_networks)
    active = timing.active_hours(ds, accounts)  # lockstep, schedules, round-the-clock
    card_wave = timing.card_waves(ds, accounts, params)
    return Clock(created, active, card_wave,
                 timing.timing_pairs(ds, accounts, params, created, active))


def links_and_orgs(ev: evidence.EvidenceTable, ds: Dataset, allowlist: pd.DataFrame | None,
                   params: RingParams, family: np.ndarray | None = None,
                   cohort: np.ndarray | None = None, active: timing.ActiveHours | None = None,
                   interactive: np.ndarray | None = None, clock: Clock | None = None,
                   pool: Executor | None = None) -> LinksAndOrgs:
    """`build_links`, each account's organisation code (-1: none, or one whose internal
    links are dropped: allow-listed or established), whether it signed up in one sitting
    with its organisation (`links.org_sitting`), for the scoring of fake startups, and its
    organisation code whatever links it explains (-1: none), for `scoring.toolkit_flags`,
    and its campus (-1: none; `links.campus_domains`), which explains what its students
    share with each other to the toolkit rule.
    `interactive`: `evidence.interactive_ips`, for proxy pools (None: no such rule).
    `clock`: `clock_evidence` of `ev.accounts`, if already built (`active` is then unused);
    `pool`: threads for the identifier kinds (`links.identifier_pairs`)."""
    # one parse for bursts, families and established keys
    if clock is None:
        created = timing.signup_minutes(ds, ev.accounts, params.placeholder_min_networks)
        tpairs = timing.timing_pairs(ds, ev.accounts, params, created, active)
    else:
        created, tpairs = clock.created, clock.pairs
    ident = links.identifier_pairs(ev, params, interactive, created, pool)
    if family is None:
        prompt = ev.kind == evidence.KIND_CODE["prompt"]
        family = families.family_of(ev.acct[prompt], ev.vcode[prompt], len(ev.accounts), params)
    parts = [ident, tpairs, families.group_pairs(family, created, params)]
    if cohort is not None:
        parts.append(families.group_pairs(cohort, created, params))
    ps = links.combine(parts)
    org, org_drop = links.org_codes(ds, ev.accounts, allowlist, params, created)
    org, org_drop = links.adopt_institution(ps, org, org_drop, params.institution_adopt_share)
    # a shared template family's seats are still their organisation's for scoring (a fake
    # startup's seat is judged as one), but the organisation no longer discounts their links
    provisioned = links.provisioned_seats(org, created, params.provisioned_min_seats)
    explains, explains_drop = links.release_family_seats(org, org_drop, family,
                                                         params.family_outside_min, provisioned)
    ps = links.apply_org_discount(ps, explains, explains_drop, params.org_discount)
    if params.office_owns_egress:
        ps = links.office_egress(ps, org)
    affiliation = org
    org = np.where(org_drop, -1, org)
    sitting = links.org_sitting(org, created, params.burst_window_minutes,
                                params.core_min_size - 1)
    return LinksAndOrgs(ps.take(ps.w >= params.min_link_weight), org, sitting, affiliation,
                        links.campus_domains(ds, ev.accounts, created, params))


def find_rings(
    ds: Dataset,
    allowlist: pd.DataFrame | None = None,
    params: RingParams | None = None,
    progress: bool = False,
    reporter: Reporter | None = None,
    cluster: communities.Clusterer | None = None,
    beside: Callable[[], object] | None = None,
) -> RingOutput:
    """Find rings of accounts run by one operator, with scores, actions and reasons.
    Each sub-stage (normalise, evidence, links, communities, scoring, output) is timed and
    shown by `reporter` (a line per sub-stage on stderr with `progress` and no reporter).
    `cluster` splits the link graph's components instead of the Python backends (the
    store's GDS Leiden with `rings.cluster = "gds"`); everything around it is the same.
    `beside` is called once the links are built, when ring detection's busiest stretch (two
    or three threads) is over: the pipeline starts work there that needs no rings, on its own
    thread, to fill the second core while the rings are clustered and scored."""
    params = params or RingParams()
    if reporter is None:
        reporter = LineReporter() if progress else Reporter()
    timings: dict[str, float] = {}

    def step(name: str) -> Stage:
        return reporter.stage(f"rings: {name}")

    def lap(stage: Stage, name: str, note: str = "") -> None:
        if note:
            stage.note(note)
        timings[name] = round(stage.elapsed, 3)

    with step("normalise") as s:
        ds = evidence.ensure_normalised(ds)
        accounts = evidence.account_index(ds)
        lap(s, "normalise", plural(len(ds.accounts), "account"))
    # the clock's evidence on one thread, beside the identifiers', whose kinds are aggregated
    # and linked on two more (same results: each task is a pure function of its inputs)
    with ThreadPoolExecutor(3, thread_name_prefix="linker-rings") as side:
        pending = side.submit(clock_evidence, ds, accounts, params)
        try:
            with step("evidence") as s:
                ev, ev_allowed = evidence.build_evidence_table(
                    ds, allowlist, params.rare_domain_max, params.phone_block_min_numbers,
                    accounts, side)
                rotating = evidence.ip_rotation(ev, params)
                interactive = _interactive(ds, ev, params, ev_allowed)
                lap(s, "evidence", plural(len(ev), "evidence row"))
            release_memory()  # the combine's temporaries, before links allocate theirs
            with step("links") as s:
                prompt = ev.kind == evidence.KIND_CODE["prompt"]
                family, sets = families.family_and_sets(ev.acct[prompt], ev.vcode[prompt],
                                                        len(accounts), params)
                if params.family_split_jaccard <= 0:
                    sets = None
                own_sets = (families.own_set_members(family, sets, params.template_set_scale_share)
                            if sets is not None else None)
                cohort = cohorts.cohort_of(ev.acct[prompt], ev.vcode[prompt], ds, accounts, params)
                clock = pending.result()
                ps, org, sitting, affiliation, campus = links_and_orgs(
                    ev, ds, allowlist, params, family, cohort, interactive=interactive,
                    clock=clock, pool=side)
                lap(s, "links", plural(len(ps), "link"))
        finally:
            pending.cancel()
    card_wave, active = clock.card_wave, clock.active
    del clock
    if beside is not None:
        beside()
    with step("communities") as s:
        partitioner = None
        if cluster is not None:
            def partitioner(comps: list[communities.Component]) -> list[np.ndarray]:
                return cluster(accounts, comps, params)
        extra = schedule = None
        if params.schedule_k > 0:
            comp, eligible = communities.components(ps, len(accounts), params.min_ring_size)
            with ThreadPoolExecutor(2, thread_name_prefix="linker-rings") as pool:
                schedule = timing.schedule_neighbours(ds, accounts, comp, eligible, params,
                                                      active, pool)
            # clustering follows one kind of infrastructure; RING_SCHEDULE still counts every
            # close schedule (an operator's consumer-looking accounts keep their ring-mates)
            extra = timing.same_infrastructure(schedule, rotating)
        # each ring's own template set weighs where a component is cut, and the pieces of
        # one set that a raised resolution cut apart are one ring again
        set_links = families.set_pairs(sets, params) if sets is not None else None
        blk = ev.take(ev.kind == evidence.KIND_CODE["phone_block"])
        blocks = (blk.acct.astype(np.int64), blk.vcode)
        run = links.block_run_of(blocks, ev.values, len(accounts))
        labels = communities.detect(ps, len(accounts), params, partitioner, extra, sets,
                                    set_links, own_sets, family, run)
        n_comm = int(np.unique(labels[labels >= 0]).size) if len(labels) else 0
        lap(s, "communities", plural(n_comm, "community", "communities"))
    with step("scoring") as s:
        allowed_ids = evidence.allowlisted_accounts(allowlist)
        allowed = accounts.isin(allowed_ids) if allowed_ids else np.zeros(len(accounts), dtype=bool)
        # round-the-clock accounts' timing is no evidence (out of clustering too, they
        # already gave no lockstep or schedule pairs: nothing to strip)
        sleepless = (timing.round_the_clock(active, params)
                     if params.round_the_clock_clusters else None)
        # an account calling through a backend (an app's servers, a CI runner pool) keeps
        # the backend's clock: its hours are no evidence either
        backend = evidence.behind_backend(ev, interactive, params.backend_min_share,
                                          allowed=ev_allowed)
        if backend is not None and params.backend_clock_no_evidence:
            sleepless = backend if sleepless is None else sleepless | backend
        if sleepless is not None:
            ps, schedule = timing.without_clock(ps, schedule, sleepless)
        del active
        tpl = ev.take(ev.kind == evidence.KIND_CODE["prompt"])
        ip = ev.take(ev.kind == evidence.KIND_CODE["ip"])
        result, ring = scoring.score_rings(ps, labels, accounts, ds, np.asarray(allowed), params,
                                           templates=(tpl.acct.astype(np.int64), tpl.vcode),
                                           schedule=schedule, family=family, cohort=cohort,
                                           rotating=rotating,
                                           ips=(ip.acct.astype(np.int64), ip.vcode),
                                           interactive=interactive,
                                           org=org, strong=_strong_rows(ev),
                                           org_sitting=sitting, card_wave=card_wave,
                                           phone_blocks=blocks,
                                           clock=timing.daily_clock(ds, accounts, family >= 0),
                                           affiliation=affiliation, campus=campus,
                                           backend=backend)
        lap(s, "scoring", f"{plural(len(result.rings), 'ring')}, "
                          f"{plural(len(result.members), 'member')}")

    with step("output") as s:
        member_codes = np.flatnonzero(ring > 0)
        inside = (ring[ps.a] > 0) & (ring[ps.a] == ring[ps.b])
        out = RingOutput(
            evidence=ev.to_frame(member_codes),
            links=links.to_frame(ps.take(inside), accounts),
            members=result.members,
            rings=result.rings,
            allowlisted_evidence=ev_allowed.to_frame(member_codes),
        )
        out, left_out = cap_review_queue(out, params.review_limit)
        out.table = ev
        lap(s, "output", plural(len(out.members), "flagged account"))
    out.stats = {
        "accounts": int(len(accounts)),
        "evidence_rows": int(len(ev)),
        "links": int(len(ps)),
        "rings": int(len(out.rings)),
        "members": int(len(out.members)),
        "suspend": int((out.members["action"] == "suspend").sum()),
        "review": int((out.members["action"] == "review").sum()),
        "review_left_out": left_out,
        "timings": timings,
    }
    return out


def _strong_rows(ev: evidence.EvidenceTable) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (account code, value key) rows of the strong identifier kinds (card, device,
    phone, e-mail, API key); the key tells kinds apart."""
    m = evidence.STRONG_KIND[ev.kind]
    return (ev.acct[m].astype(np.int64),
            ev.vcode[m].astype(np.int64) * len(evidence.KINDS) + ev.kind[m])


def cap_review_queue(out: RingOutput, limit: int) -> tuple[RingOutput, int]:
    """Keep the `limit` highest-scoring review accounts (ties: account id); 0 keeps all.
    Suspensions are never dropped. Returns the output and how many reviews were left out."""
    m = out.members
    review = m[m["action"] == "review"]
    if limit <= 0 or len(review) <= limit:
        return out, 0
    ranked = review.sort_values(["score", "account_id"], ascending=[False, True], kind="stable")
    drop = set(ranked["account_id"].iloc[limit:])
    members = m[~m["account_id"].isin(drop)].reset_index(drop=True)
    keep = set(members["account_id"])
    rings = out.rings[out.rings["ring"].isin(members["ring"])].reset_index(drop=True)
    sizes = members.groupby("ring").size()
    rings = rings.assign(size=rings["ring"].map(sizes).astype("int64"))
    return RingOutput(
        evidence=out.evidence[out.evidence["account_id"].isin(keep)].reset_index(drop=True),
        links=out.links[out.links["a"].isin(keep) & out.links["b"].isin(keep)].reset_index(drop=True),
        members=members, rings=rings,
        allowlisted_evidence=out.allowlisted_evidence[
            out.allowlisted_evidence["account_id"].isin(keep)].reset_index(drop=True)
        if len(out.allowlisted_evidence) else out.allowlisted_evidence,
        stats=out.stats,
    ), len(drop)
