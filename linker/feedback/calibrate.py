"""Learning from verdicts (`linker calibrate`): which reasons do reviewers actually confirm?

One row per account with a confirmed or cleared verdict (its latest; unsure is left out):
features are the account's reason codes and score *as the reviewer saw them* (the verdict's
basis), the label is confirmed (1) or cleared (0). A regularised (L2) logistic regression,
its strength chosen by cross-validation (scikit-learn's LogisticRegressionCV,
Newton-Cholesky: few features, many accounts), gives one
weight per reason code and for the score. The review filter keeps an account in the queue
when its fitted probability reaches a threshold: the highest one that keeps `min_recall` of
the confirmed accounts.

Held-out figures are honest: each of `folds` stratified folds is predicted by a model (and a
threshold) fitted on the other folds only, and the queue's precision / recall with and
without the filter are computed on those held-out predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linker.detect.reasons import BIT, encode_series
from linker.errors import InputError
from linker.feedback.verdicts import latest_per_account

# codes that record a verdict or a rule, not evidence: never features
NOT_FEATURES = frozenset({"CONFIRMED_BY_REVIEW", "NEW_EVIDENCE_SINCE_CLEARED", "ALLOWLISTED"})


@dataclass
class Calibration:
    intercept: float
    weights: dict[str, float]            # reason code (and "score") → coefficient
    threshold: float                     # review_min_probability
    c: float                             # chosen inverse regularisation strength
    n: int
    confirmed: int
    per_reason: list[dict[str, Any]] = field(default_factory=list)
    heldout: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "weights": self.weights,
                "review_min_probability": self.threshold, "C": self.c, "verdicts": self.n,
                "confirmed": self.confirmed, "per_reason": self.per_reason,
                "heldout": self.heldout}


def training_table(verdicts: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """(features, labels, feature names) from stored verdict rows."""
    latest = latest_per_account(verdicts)
    latest = latest[latest["verdict"].isin(["confirmed", "cleared"])].reset_index(drop=True)
    masks = encode_series(latest["basis_reasons"].fillna(""))
    codes = [c for c in BIT if c not in NOT_FEATURES and ((masks & BIT[c]) > 0).any()]
    x = pd.DataFrame({c: ((masks & BIT[c]) > 0).astype(np.float64) for c in codes})
    x["score"] = pd.to_numeric(latest["basis_score"], errors="coerce").fillna(0.0).to_numpy()
    y = latest["verdict"].eq("confirmed").to_numpy(np.int64)
    return x, y, [*codes, "score"]


def _threshold(p: np.ndarray, y: np.ndarray, min_recall: float) -> float:
    """The highest probability threshold keeping at least `min_recall` of the confirmed."""
    pos = np.sort(p[y == 1])[::-1]
    if pos.size == 0:
        return 0.0
    k = int(np.ceil(min_recall * pos.size)) - 1
    return float(pos[max(k, 0)])


def _pr(keep: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tp = int((keep & (y == 1)).sum())
    return {"queue": int(keep.sum()), "precision": round(tp / max(int(keep.sum()), 1), 4),
            "recall": round(tp / max(int((y == 1).sum()), 1), 4)}


def calibrate(verdicts: pd.DataFrame, *, folds: int = 5, min_recall: float = 0.95,
              seed: int = 0) -> Calibration:
    """Fit the reason weights and the review threshold from stored verdicts (see module)."""
    import warnings

    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold

    warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")
    x, y, names = training_table(verdicts)
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if min(n_pos, n_neg) < folds:
        raise InputError(f"calibration needs at least {folds} confirmed and {folds} cleared "
                         f"accounts (one per fold); the store has {n_pos} confirmed and "
                         f"{n_neg} cleared")
    cs = np.logspace(-3, 3, 13)

    def model() -> Any:
        inner = min(folds, max(2, min(n_pos, n_neg) // 2))
        return LogisticRegressionCV(Cs=cs, cv=StratifiedKFold(inner, shuffle=True,
                                                              random_state=seed),
                                    scoring="neg_log_loss", solver="newton-cholesky",
                                    max_iter=200)

    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # tiny problems: BLAS threads only contend
        return _fit(x, y, names, model, folds, min_recall, seed, n_pos)


def _fit(x: pd.DataFrame, y: np.ndarray, names: list[str], model: Any, folds: int,
         min_recall: float, seed: int, n_pos: int) -> Calibration:
    from sklearn.model_selection import StratifiedKFold

    xv = x.to_numpy()
    oof = np.zeros(len(y))
    keep = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(xv, y):
        m = model().fit(xv[train], y[train])
        thr = _threshold(m.predict_proba(xv[train])[:, 1], y[train], min_recall)
        oof[test] = m.predict_proba(xv[test])[:, 1]
        keep[test] = oof[test] >= thr
    final = model().fit(xv, y)
    p_all = final.predict_proba(xv)[:, 1]
    thr = _threshold(p_all, y, min_recall)
    weights = {n: round(float(w), 6) for n, w in zip(names, final.coef_[0], strict=True)}
    per_reason = []
    for c in names[:-1]:
        has = xv[:, names.index(c)] > 0
        per_reason.append({"code": c, "accounts": int(has.sum()),
                           "confirmed": int((has & (y == 1)).sum()),
                           "confirmed_share": round(float(y[has].mean()), 4) if has.any() else None,
                           "weight": weights[c]})
    per_reason.sort(key=lambda r: (-r["accounts"], r["code"]))
    everything = np.ones(len(y), dtype=bool)
    return Calibration(
        intercept=round(float(final.intercept_[0]), 6), weights=weights,
        threshold=round(max(thr - 1e-6, 0.0), 6), c=float(final.C_[0]), n=int(len(y)),
        confirmed=n_pos, per_reason=per_reason,
        heldout={"folds": folds, "min_recall": min_recall, "before": _pr(everything, y),
                 "after": _pr(keep, y)},
    )


def report_lines(cal: Calibration) -> list[str]:
    """The calibration as text: per reason how often reviewers confirmed it, and the
    held-out change of the review queue."""
    h = cal.heldout
    lines = [f"{cal.n} verdicts ({cal.confirmed} confirmed); L2 logistic regression, C={cal.c:g} "
             f"by {h['folds']}-fold cross-validation",
             f"{'reason':<28} {'accounts':>8} {'confirmed':>9} {'share':>6} {'weight':>8}"]
    for r in cal.per_reason:
        share = "-" if r["confirmed_share"] is None else f"{r['confirmed_share']:.2f}"
        lines.append(f"{r['code']:<28} {r['accounts']:>8} {r['confirmed']:>9} {share:>6} "
                     f"{r['weight']:>8.3f}")
    lines.append(f"{'score':<28} {'':>8} {'':>9} {'':>6} {cal.weights['score']:>8.3f}")
    b, a = h["before"], h["after"]
    lines.append(f"held-out verdicts: queue {b['queue']} → {a['queue']}, precision "
                 f"{b['precision']:.3f} → {a['precision']:.3f}, recall {b['recall']:.3f} → "
                 f"{a['recall']:.3f} (filter at p ≥ {cal.threshold:.3f}, target recall "
                 f"{h['min_recall']})")
    return lines
