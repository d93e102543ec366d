"""`linker calibrate`: weights learnt from verdicts point the right way, the held-out figures
are computed on folds the model never saw, and the settings file it writes is accepted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.feedback.apply import model_probability
from linker.feedback.calibrate import calibrate
from linker.settings import load_settings


def _verdicts(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Accounts with SHARED_CARD are fraud 90 % of the time, SHARED_SUBNET-only 10 %."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        card = rng.random() < 0.4
        fraud = rng.random() < (0.9 if card else 0.1)
        reasons = "SHARED_CARD;SHARED_SUBNET" if card else "SHARED_SUBNET"
        rows.append({"verdict_id": f"V-{i}", "subject": f"a{i}", "subject_type": "account",
                     "account_id": f"a{i}", "verdict": "confirmed" if fraud else "cleared",
                     "reviewer": "r", "decided_at": pd.Timestamp("2026-05-01", tz="UTC"),
                     "note": None, "basis_run_id": "run", "basis_reasons": reasons,
                     "basis_score": str(round(rng.random(), 3))})
    return pd.DataFrame(rows)


def test_weights_follow_what_reviewers_confirmed() -> None:
    cal = calibrate(_verdicts(), folds=5, min_recall=0.8)
    assert cal.weights["SHARED_CARD"] > 1.0
    per = {r["code"]: r for r in cal.per_reason}
    assert per["SHARED_CARD"]["confirmed_share"] > 0.8
    assert per["SHARED_SUBNET"]["accounts"] == 300
    h = cal.heldout
    assert h["after"]["precision"] > h["before"]["precision"] + 0.3
    assert h["after"]["recall"] >= 0.7
    assert h["before"]["recall"] == 1.0


def test_too_few_verdicts_is_exit_2_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    from linker.errors import InputError

    with pytest.raises(InputError, match="at least 5 confirmed"):
        calibrate(_verdicts(6), folds=5)
    res = CliRunner().invoke(app, ["calibrate", "--workspace", str(tmp_path / "ws"),
                                   "--out", str(tmp_path / "c.toml")])
    assert res.exit_code == 2 and not (tmp_path / "c.toml").exists()


def test_cli_writes_a_settings_file_run_accepts(tmp_path: Path) -> None:
    from linker.store.embedded import EmbeddedStore

    ws = tmp_path / "ws"
    EmbeddedStore(ws).add_verdicts(_verdicts())
    out = tmp_path / "calibrated.toml"
    res = CliRunner().invoke(app, ["calibrate", "--workspace", str(ws), "--out", str(out),
                                   "--min-recall", "0.8", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert CliRunner().invoke(app, ["config", "check", str(out)]).exit_code == 0
    s = load_settings(out)
    assert s.feedback.review_min_probability == pytest.approx(doc["review_min_probability"])
    assert s.feedback.model_weights["SHARED_CARD"] == pytest.approx(doc["weights"]["SHARED_CARD"])
    # the fitted filter keeps card sharers and drops subnet-only accounts
    p = model_probability(pd.Series(["SHARED_CARD;SHARED_SUBNET", "SHARED_SUBNET"]),
                          pd.Series([0.5, 0.5]), s.feedback)
    assert p[0] >= s.feedback.review_min_probability > p[1]
    # never overwrites silently
    again = CliRunner().invoke(app, ["calibrate", "--workspace", str(ws), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
