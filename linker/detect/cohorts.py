"""Low-and-slow cohorts: many accounts paying with different cards of one BIN and sending one
prompt template, far more of them than independent choice predicts.

A patient operator gives every account its own IP, device and card, so no identifier links
them; what it does not vary is where it buys its cards (one virtual-card BIN) and the system
prompt its automation sends. Either alone is common: a fintech BIN is used by hundreds of
people, a public template by thousands, and the two meet by chance about `n_tpl × n_bin / N`
times. A (template, BIN) pair shared by at least `cohort_min_users` accounts and
`cohort_min_lift` times that expectation, paid with different cards (colleagues on one
company card are one card, linked as such), is a cohort. Its accounts are linked like a
template family's (`families.group_pairs`), as SHARED_PROMPT_TEMPLATE, a pattern: it flags an account
only together with synchronised hours (`scoring.schedule_flags`), never suspends on its own
(beside a suspended core it is a kit account's timing: `scoring.kit_beside_core`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from linker.detect.evidence import account_codes
from linker.detect.families import distinct_rows

if TYPE_CHECKING:
    from linker.model import Dataset
    from linker.settings import RingParams


def cohort_of(tpl_acct: np.ndarray, tpl_val: np.ndarray, ds: Dataset, accounts: pd.Index,
              params: RingParams) -> np.ndarray:
    """Cohort id per account code (-1: in none; an account in several keeps its biggest).
    `tpl_acct`/`tpl_val`: (account code, prompt template code) rows."""
    n = len(accounts)
    out = np.full(n, -1, dtype=np.int64)
    pay = ds.payments
    if params.cohort_min_users <= 0 or tpl_acct.size == 0 or not len(pay) or "card_bin" not in pay:
        return out
    acct = account_codes(accounts, pay["account_id"])
    bins = pay["card_bin"].astype("string").str.strip()
    ok = (acct >= 0) & bins.notna().to_numpy() & (bins != "").fillna(False).to_numpy()
    if not ok.any():
        return out
    bcode = pd.factorize(bins[ok])[0].astype(np.int64)
    cards = pay.get("card_fingerprint")
    ccode = (pd.factorize(cards[ok].astype("string"))[0].astype(np.int64) if cards is not None
             else np.arange(int(ok.sum()), dtype=np.int64))  # no fingerprints: every card own
    b_acct, b_val = distinct_rows(acct[ok], bcode)
    t_acct, t_val = distinct_rows(tpl_acct, tpl_val)
    # the population at risk: accounts with both a template and a BIN
    both = np.intersect1d(np.unique(b_acct), np.unique(t_acct), assume_unique=True)
    if both.size < params.cohort_min_users:
        return out
    keep_t, keep_b = np.isin(t_acct, both), np.isin(b_acct, both)
    t_acct, t_val, b_acct, b_val = t_acct[keep_t], t_val[keep_t], b_acct[keep_b], b_val[keep_b]
    n_tpl = np.bincount(t_val)
    n_bin = np.bincount(b_val)
    pairs = pd.DataFrame({"acct": t_acct, "tpl": t_val}).merge(
        pd.DataFrame({"acct": b_acct, "bin": b_val}), on="acct")
    width = int(b_val.max()) + 1
    key = pairs["tpl"].to_numpy(np.int64) * width + pairs["bin"].to_numpy(np.int64)
    uk, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    expected = n_tpl[uk // width].astype(np.float64) * n_bin[uk % width] / both.size
    good = (cnt >= params.cohort_min_users) & (cnt >= params.cohort_min_lift * expected)
    if not good.any():
        return out
    # paid with different cards: distinct (cohort, card) over the cohort's accounts
    card_key = pd.DataFrame({"acct": acct[ok], "bin": bcode, "card": ccode}).drop_duplicates()
    sel = good[inv]
    members = pd.DataFrame({"acct": pairs["acct"].to_numpy()[sel], "bin": pairs["bin"].to_numpy()[sel],
                            "cohort": inv[sel]})
    cc = members.merge(card_key, on=["acct", "bin"]).drop_duplicates(["cohort", "card"])
    n_cards = np.bincount(cc["cohort"].to_numpy(), minlength=uk.size)
    good &= n_cards >= params.cohort_card_share * cnt
    sel = good[inv]
    if not sel.any():
        return out
    a, c = pairs["acct"].to_numpy()[sel], inv[sel]
    # each account in its biggest cohort (ties: the smaller cohort code)
    order = np.lexsort((c, -cnt[c], a))
    a, c = a[order], c[order]
    first = np.r_[True, a[1:] != a[:-1]]
    out[a[first]] = c[first]
    return out

