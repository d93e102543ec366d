"""Operator template families: templates one operation's accounts use together."""

from __future__ import annotations

import numpy as np

from linker.detect.families import family_pairs, template_families
from linker.detect.reasons import BIT
from linker.settings import RingParams


def _world(rng: np.random.Generator, n_op: int = 40, n_public: int = 2000):
    """Accounts 0..n_op-1 run by one operator: each sends its three system prompts (10, 11,
    12). Everyone else picks one or two of 8 public templates (0..7) on their own, the
    popular ones used by hundreds."""
    acct, tpl = [], []
    for a in range(n_op):
        acct += [a] * 3
        tpl += [10, 11, 12]
    pop = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    for a in range(n_op, n_op + n_public):
        k = 1 + int(rng.random() < 0.5)
        for t in rng.choice(8, size=k, replace=False, p=pop):
            acct.append(a)
            tpl.append(int(t))
    return np.array(acct), np.array(tpl)


def test_an_operators_templates_form_a_family_and_public_ones_do_not() -> None:
    acct, tpl = _world(np.random.default_rng(1))
    members, fam = template_families(acct, tpl, RingParams())
    assert sorted(members.tolist()) == list(range(40))
    assert np.unique(fam).size == 1
    # one template alone, however popular, is no family
    one = tpl != 11
    drop = one & (tpl != 12)
    members, _ = template_families(acct[drop], tpl[drop], RingParams())
    assert members.size == 0


def test_too_few_shared_users_is_no_family() -> None:
    acct, tpl = _world(np.random.default_rng(2), n_op=12)
    members, _ = template_families(acct, tpl, RingParams(family_min_users=20))
    assert members.size == 0
    members, _ = template_families(acct, tpl, RingParams(family_min_users=10))
    assert sorted(members.tolist()) == list(range(12))


def test_family_links_are_bounded_and_a_pattern() -> None:
    acct, tpl = _world(np.random.default_rng(3))
    created = np.arange(2040, dtype=float)
    params = RingParams()
    ps = family_pairs(acct, tpl, created, params)
    assert len(ps) > 0 and (ps.bits == BIT["SHARED_PROMPT_TEMPLATE"]).all()
    assert set(np.r_[ps.a, ps.b]) <= set(range(40))
    per = np.bincount(np.r_[ps.a, ps.b])
    assert per.max() <= 2 * params.family_k
    assert (ps.w == params.family_weight).all()
    assert len(family_pairs(acct, tpl, created, RingParams(family_min_users=0))) == 0
