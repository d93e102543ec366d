"""Institutions recognised from the data: a university's or company's members share a lab PC,
a class's sign-up hour or a device image, and that is what explains their links."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ringdata import T0, background, make_ds

from linker.detect.links import PairSet, adopt_institution, established, org_codes
from linker.detect.rings import find_rings
from linker.detect.timing import signup_minutes
from linker.ingest.normalize import normalize_dataset
from linker.settings import RingParams


def _university(n: int = 60, classmates: int = 30) -> tuple[list[dict], list[str]]:
    """A university whose members sign up all year on its domain (two thirds under its
    org_id), and a class that signs up in one hour from the campus IP on three lab PCs;
    a fifth of the class uses a private mailbox and no org."""
    people = []
    for i in range(n):
        people.append(dict(account_id=f"s{i:03d}", created_at=T0 + pd.Timedelta(days=5 * i, hours=i % 9),
                           email=f"s{i}@stoneu.ac.uk", org_id="org-stoneu" if i % 3 else None,
                           signup_ip=f"10.200.{i}.{i + 1}", device_id=f"own-{i}"))
    cls = []
    for i in range(classmates):
        private = i % 5 == 0
        cls.append(dict(account_id=f"c{i:03d}", created_at=T0 + pd.Timedelta(days=200, minutes=10 + i),
                        email=f"c{i}@{'gmail.com' if private else 'stoneu.ac.uk'}",
                        org_id=None if private or i % 2 else "org-stoneu",
                        signup_ip="130.88.1.1", device_id=f"lab-pc{i % 3}"))
    return people + cls, [c["account_id"] for c in cls]


def test_class_on_lab_pcs_of_an_established_university_is_not_flagged():
    acc, cls = _university()
    ds = make_ds(background(300) + acc)
    flagged = set(find_rings(ds).members["account_id"])
    assert not flagged & set(cls)
    # the same class, its university not recognised, is what a device farm looks like to the
    # rule that flags a device shared in a burst (off by default: a lab is no farm either)
    off = RingParams(institution_min_accounts=0, device_burst_alone=True)
    assert set(cls) & set(find_rings(ds, params=off).members["account_id"])


def test_a_campaign_domain_signed_up_in_two_waves_is_no_institution():
    p = RingParams()
    waves = pd.Series(np.r_[np.full(15, 100.0), np.full(40, 250.0)] + np.linspace(0, 0.5, 55))
    all_year = pd.Series(np.arange(60) * 5.0)
    small = pd.Series(np.arange(10) * 30.0)
    g = pd.Series(["waves"] * 55 + ["all-year"] * 60 + ["small"] * 10)
    est = established(g, pd.concat([waves, all_year, small], ignore_index=True), p)
    assert est.to_dict() == {"waves": False, "all-year": True, "small": False}


def test_university_domain_joins_its_org_and_a_fresh_org_is_not_established():
    acc, _ = _university()
    fresh = [dict(account_id=f"f{i:02d}", created_at=T0 + pd.Timedelta(days=150, minutes=i),
                  email=f"f{i}@fresh-startup.io", org_id="org-fresh") for i in range(30)]
    ds = make_ds(acc + fresh)
    ids = pd.Index(sorted(a["account_id"] for a in acc + fresh))
    codes, drop = org_codes(ds, ids, None, RingParams(), signup_minutes(ds, ids))
    pos = ids.get_indexer(["s000", "s001", "c001", "c005", "f00"])
    # s000 has no org_id, c001 none either: the domain makes both the university's
    assert codes[pos[0]] == codes[pos[1]] == codes[pos[2]] >= 0
    assert drop[pos[0]] and drop[pos[2]]
    assert codes[pos[3]] == -1  # a private mailbox and no org: not on its own
    assert codes[pos[4]] >= 0 and not drop[pos[4]]  # 30 seats signed up in one hour


def test_an_outsider_whose_links_mostly_lead_into_one_institution_joins_it():
    org = np.array([0, 0, 0, -1, -1, -1, 1])
    drop = np.array([True, True, True, False, False, False, False])
    # 3: links to 0, 1 (institution) and a light one to 4; 4: one institution link only;
    # 5: mostly linked to 6, an org that is not established
    ps = PairSet(np.array([0, 1, 3, 2, 5, 5]), np.array([3, 3, 4, 4, 6, 0]),
                 np.array([2.0, 2.0, 0.5, 1.0, 3.0, 1.0]), np.zeros(6, np.uint32))
    out, out_drop = adopt_institution(ps, org, drop, 0.5)
    assert out[3] == 0 and out_drop[3]
    assert out[4] == -1  # one member only
    assert out[5] == -1 and not out_drop[5]
    assert (out[:3] == 0).all() and out[6] == 1


def test_a_company_seat_without_its_org_id_is_the_companys():
    """A young company (30 seats over two months, not yet an established institution), three
    of whose seats were opened without its org_id: on the company's domain they are its
    organisation's (`rings.domain_org_share`: 26 of the domain's 29 accounts are in it), so
    the company card and device image they share with colleagues are explained by it. A
    private mailbox gets no org that way, nor does a domain a third of whose accounts stand
    outside its org."""
    seats = [dict(account_id=f"k{i:02d}", created_at=T0 + pd.Timedelta(days=2 * i, hours=i % 7),
                  email=f"k{i}@{'gmail.com' if i == 7 else 'kestrelworks.dev'}",
                  org_id=None if i % 10 == 0 or i == 7 else "org-kestrel",
                  signup_ip=f"10.77.{i}.9", device_id=f"golden-{i % 3}") for i in range(30)]
    ds = make_ds(background(300) + seats)
    ids = pd.Index(sorted(a["account_id"] for a in background(300) + seats))
    pos = ids.get_indexer(["k00", "k01", "k10", "k07"])
    codes, drop = org_codes(ds, ids, None, RingParams(), signup_minutes(ds, ids))
    assert codes[pos[0]] == codes[pos[1]] == codes[pos[2]] >= 0 and not drop[pos[0]]
    assert codes[pos[3]] == -1
    off = RingParams(domain_org_share=0)
    codes, _ = org_codes(ds, ids, None, off, signup_minutes(ds, ids))
    assert codes[pos[0]] == codes[pos[2]] == -1 and codes[pos[1]] >= 0
    # an operator's domain, a third of its accounts outside its org
    loose = [dict(s, org_id=None if i % 3 == 0 else s["org_id"]) for i, s in enumerate(seats)]
    ds = make_ds(background(300) + loose)
    codes, _ = org_codes(ds, ids, None, RingParams(), signup_minutes(ds, ids))
    assert codes[pos[0]] == -1 and codes[pos[1]] >= 0


def test_a_template_family_shared_outside_any_org_is_no_orgs_own():
    """Seats of a template family used by 20 or more accounts outside any organisation (an
    operator's kit, run through its fake organisation and its rings alike) lose their
    organisation for the link discount; a company's own family, used by its seats alone,
    and seats outside any family keep theirs."""
    from linker.detect.links import release_family_seats

    org = np.array([0] * 5 + [1] * 5 + [-1] * 25)
    drop = np.array([False] * 5 + [True] * 5 + [False] * 25)
    family = np.array([0, 0, 0, -1, -1] + [1] * 5 + [0] * 20 + [1] * 5)
    out, out_drop = release_family_seats(org, drop, family, 20)
    assert out.tolist()[:10] == [-1, -1, -1, 0, 0, 1, 1, 1, 1, 1]
    assert out_drop.tolist()[:10] == [False] * 5 + [True] * 5
    same, _ = release_family_seats(org, drop, family, 0)
    assert same is org


def test_seats_provisioned_at_one_instant_stay_with_their_organisation():
    """Three or more seats of one organisation opened at the very same instant were
    provisioned by its single sign-on: a shared template family does not release them from
    their organisation. Seats opened one by one (a script's minutes apart), fewer than three
    at one instant, or the same instant in two organisations are released as before."""
    from linker.detect.links import provisioned_seats, release_family_seats

    org = np.array([0, 0, 0, 1, 1, 1, 2, 2, -1, -1])
    created = np.array([5.0, 5.0, 5.0, 5.0, 6.0, 7.0, 9.0, 9.0, 5.0, 5.0])
    kept = provisioned_seats(org, created, 3)
    assert kept.tolist() == [True] * 3 + [False] * 7
    assert not provisioned_seats(org, created, 0).any()
    family = np.zeros(10, dtype=np.int64)
    drop = np.zeros(10, dtype=bool)
    out, _ = release_family_seats(org, drop, family, 2, kept)
    assert out.tolist() == [0, 0, 0, -1, -1, -1, -1, -1, -1, -1]


def test_a_campus_is_its_students_domain_all_year_on_its_networks():
    """A university whose students sign up with no org_id, all year, from its campus NAT is
    a campus (`campus_domains`); an unlisted public mailbox signing up from everywhere, a
    domain under an organisation's org_id, and a domain signed up in two waves are not."""
    from linker.detect.links import campus_domains

    def people(dom, n, ip, days=5.0, org=None, start=0.0):
        return [dict(account_id=f"{dom[:4]}{i:03d}", email=f"p{i}@{dom}", org_id=org,
                     created_at=T0 + pd.Timedelta(days=start + days * i), signup_ip=ip(i))
                for i in range(n)]

    acc = (people("u-stone.ac.uk", 60, lambda i: f"130.88.{i % 3}.{i + 1}")
           + people("mailbox.example", 60, lambda i: f"77.{i}.{i}.{i + 1}")
           + people("tenant.example", 60, lambda i: f"131.88.{i % 3}.{i + 1}", org="org-t")
           + people("waves.example", 60, lambda i: f"132.88.{i % 3}.{i + 1}", days=0.01,
                    start=100.0))
    ds = normalize_dataset(make_ds(acc))
    ids = pd.Index(sorted(a["account_id"] for a in acc))
    campus = campus_domains(ds, ids, signup_minutes(ds, ids), RingParams())
    on = pd.Series(campus, index=ids)
    assert (on[on.index.str.startswith("u-st")] >= 0).all()
    assert (on[~on.index.str.startswith("u-st")] == -1).all()
    off = campus_domains(ds, ids, signup_minutes(ds, ids), RingParams(campus_network_share=0))
    assert (off == -1).all()
