"""World profiles: each knob of innocent sharing and each fraud tier does what it says, the
legacy profiles keep the old world, and the truth says who shares what."""

from __future__ import annotations

import filecmp
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linker.demo import PROFILES, REALISTIC_PROFILES, generate_world
from linker.demo.profiles import Cgnat, Fraud, resolve_profile
from linker.demo.world import KIND_MOBILE, LEGIT_PATTERNS, build_world

N = 5_000


def _read(d: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("baseline")
    truth = generate_world(d, accounts=N, seed=3, profile="baseline")
    return d, truth


def test_profiles_family() -> None:
    assert len(REALISTIC_PROFILES) >= 6 and "baseline" in REALISTIC_PROFILES
    assert {"legacy", "legacy_easy", "legacy_hard"} <= set(PROFILES)
    assert resolve_profile(None, "hard").name == "legacy_hard"
    with pytest.raises(ValueError):
        resolve_profile("nope")


def test_same_seed_same_bytes(base, tmp_path: Path) -> None:
    d, _ = base
    generate_world(tmp_path, accounts=N, seed=3, profile="baseline")
    files = [str(p.relative_to(d)) for p in d.rglob("*.csv")]
    _, mismatch, errors = filecmp.cmpfiles(d, tmp_path, files, shallow=False)
    assert not mismatch and not errors


def test_truth_columns_and_tiers(base) -> None:
    d, truth = base
    ta = _read(d / "truth", "accounts")
    assert list(ta.columns) == ["account_id", "is_fraud", "ring_id", "campaign_id", "operator", "evidence",
                                "allowlisted", "legit_group"]
    fraud = ta["is_fraud"] == "True"
    assert ta.loc[fraud, "legit_group"].isna().all() and ta.loc[~fraud, "legit_group"].notna().all()
    pats = set(ta.loc[~fraud, "legit_group"].str.split(";").explode())
    assert pats <= set(LEGIT_PATTERNS) | {"none"}
    assert {"cgnat", "household", "multi_account", "event", "app_owner", "launch_wave", "public_template",
            "privacy_relay", "none"} <= pats
    assert {"clear", "stealth", "low_and_slow"} <= set(ta.loc[fraud, "evidence"])
    camp = truth.campaigns.set_index("campaign_id")
    assert abs(camp.loc["camp_01", "accounts"] - 0.025 * N) <= 1
    assert 900 <= camp.loc["camp_01", "exchanges"] / camp.loc["camp_01", "accounts"] <= 1500


def test_small_group_cgnat_share_and_sizes() -> None:
    w = build_world(20_000, 5, profile="baseline")
    la = w.legit
    mob = la["kind"] == KIND_MOBILE
    share = (la["small_group"][mob] >= 0).mean()
    assert 0.25 <= share <= 0.35, share  # configured 0.30 of phone users
    sizes = np.bincount(la["small_group"][la["small_group"] >= 0])
    assert sizes.min() >= 5 and sizes.max() <= 54
    assert np.median(sizes) <= 12 and sizes.max() >= 30  # heavy-tailed: many small groups, a few large
    # a sign-up IP of a small group is shared by several strangers
    su = pd.Series(la["signup_ip"][mob & (la["small_group"] >= 0)]).value_counts()
    assert (su >= 3).mean() > 0.5
    # the knob moves it
    off = build_world(20_000, 5, profile=replace(PROFILES["baseline"], cgnat=Cgnat(mobile=0.45, shared=0.0, hub=0.05)))
    assert (off.legit["small_group"] >= 0).sum() == 0
    heavy = build_world(20_000, 5, profile="heavy_cgnat")
    assert (heavy.legit["small_group"] >= 0).mean() > 1.3 * (la["small_group"] >= 0).mean()


def test_low_and_slow_accounts_share_nothing_strong(tmp_path: Path) -> None:
    prof = replace(PROFILES["baseline"], fraud=Fraud(low_and_slow=0.02))
    truth = generate_world(tmp_path, accounts=N, seed=4, profile=prof)
    ta = truth.accounts
    ls = set(ta.loc[ta["evidence"] == "low_and_slow", "account_id"])
    assert len(ls) == round(0.02 * N)
    acc = _read(tmp_path, "accounts")
    a = acc[acc["account_id"].isin(ls)]
    assert a["signup_ip"].is_unique and a["device_id"].is_unique
    pay = _read(tmp_path, "payments")
    p = pay[pay["account_id"].isin(ls)]
    assert p["card_fingerprint"].is_unique and p["card_bin"].nunique() == 1
    assert pay.loc[~pay["account_id"].isin(ls) & (pay["card_bin"] == p["card_bin"].iloc[0])].shape[0] >= 0
    req = _read(tmp_path, "requests")
    r = req[req["account_id"].isin(ls)]
    assert r["prompt_fingerprint"].value_counts(normalize=True).iloc[0] > 0.85  # one template
    assert pd.to_datetime(r["ts"]).dt.hour.nunique() <= 2  # the same hours every day
    created = pd.to_datetime(a["created_at"])
    assert (created.max() - created.min()).days >= 21  # sign-ups trickle in over weeks
    assert created.dt.floor("h").value_counts().max() <= 10


def test_camouflaged_rings_blend_in(tmp_path: Path) -> None:
    truth = generate_world(tmp_path, accounts=20_000, seed=2, profile="camouflaged")
    ta = truth.accounts
    cam = set(ta.loc[ta["evidence"] == "camouflaged", "account_id"])
    assert cam
    acc = _read(tmp_path, "accounts")
    a = acc[acc["account_id"].isin(cam)]
    assert (a["email"].str.endswith("@gmail.com")).mean() > 0.9
    legit = set(ta.loc[~ta["is_fraud"], "account_id"])
    ev = _read(tmp_path, "ip_events")
    legit_ips = set(ev.loc[ev["account_id"].isin(legit), "ip"])
    assert a["signup_ip"].isin(legit_ips).mean() > 0.3  # carrier NAT addresses real people use


def test_events_and_multi_accounts(base) -> None:
    d, truth = base
    ta = truth.accounts.set_index("account_id")
    acc = _read(d, "accounts").set_index("account_id")
    lg = ta["legit_group"].fillna("")
    ev = acc[lg.reindex(acc.index).str.contains("event")]
    per_venue = pd.to_datetime(ev["created_at"]).groupby(ev["signup_ip"]).agg(["size", "min", "max"])
    assert (per_venue["size"] >= 20).all()  # dozens per venue address ...
    assert ((per_venue["max"] - per_venue["min"]) <= pd.Timedelta(hours=1)).all()  # ... within one hour
    multi = acc[lg.reindex(acc.index).str.contains("multi_account")]
    assert multi["device_id"].duplicated().sum() > 0.2 * len(multi) / 2


def test_launch_wave_and_knobs_off(tmp_path: Path) -> None:
    truth = generate_world(tmp_path, accounts=N, seed=6, profile="launch_day")
    acc = _read(tmp_path, "accounts")
    per_day = pd.to_datetime(acc["created_at"]).dt.floor("D").value_counts()
    assert per_day.iloc[0] >= 0.04 * N  # one day with thousands (at 1M) of sign-ups
    lg = truth.accounts["legit_group"].dropna()
    assert lg.str.contains("launch_wave").mean() > 0.1
    legacy = generate_world(tmp_path / "old", accounts=N, seed=6, profile="legacy")
    pats = set(legacy.accounts["legit_group"].dropna().str.split(";").explode())
    assert not pats & {"cgnat", "multi_account", "event", "app_owner", "launch_wave", "privacy_relay"}
    assert set(legacy.accounts["evidence"].dropna()) == {"clear", "stealth"}
