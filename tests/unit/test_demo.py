"""The demo world: deterministic, on contract, with consistent ground truth, innocent sharing
and planted rings that the linker must separate."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np
import pandas as pd
import phonenumbers
import pytest
from typer.testing import CliRunner

from linker import contract
from linker.demo import generate_world
from linker.demo.world import WINDOW_START, build_world
from linker.demo.write import assemble, write_tables

N = 3_000


def _read(d: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("world")
    truth = generate_world(d, accounts=N, seed=11)
    tables = {t: _read(d, t) for t in contract.TABLES}
    return d, truth, tables


def test_same_seed_same_bytes_other_seed_differs(world, tmp_path: Path) -> None:
    d, _, _ = world
    again = tmp_path / "again"
    generate_world(again, accounts=N, seed=11)
    files = sorted(p.relative_to(d) for p in d.rglob("*.csv"))
    assert len(files) == 4 + 2 + 3
    match, mismatch, errors = filecmp.cmpfiles(d, again, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors and len(match) == len(files)
    other = tmp_path / "other"
    generate_world(other, accounts=N, seed=12)
    assert (other / "accounts.csv").read_bytes() != (d / "accounts.csv").read_bytes()


def test_contract_columns_and_formats(world) -> None:
    _, _, t = world
    for name, spec in contract.TABLES.items():
        df = t[name]
        assert list(df.columns) == spec.column_names, name
        for col in spec.required_columns:
            assert df[col].notna().all(), (name, col)
        for c in spec.columns:
            if c.type == "timestamp":
                assert df[c.name].dropna().str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all(), (name, c.name)
                pd.to_datetime(df[c.name], utc=True)  # parses
    acc = t["accounts"]
    assert acc["account_id"].is_unique and len(acc) == N
    created = pd.to_datetime(acc.set_index("account_id")["created_at"])
    for name, col in [("payments", "created_at"), ("ip_events", "seen_at"), ("requests", "ts")]:
        when = pd.to_datetime(t[name][col])
        assert (when.to_numpy() >= created.reindex(t[name]["account_id"]).to_numpy()).all(), name  # never before sign-up
    ts = pd.to_datetime(t["requests"]["ts"])
    assert ts.min() >= pd.Timestamp("2026-04-22", tz="UTC") and ts.max() < pd.Timestamp("2026-06-06", tz="UTC")
    assert set(t["requests"]["account_id"]) <= set(acc["account_id"])
    assert set(t["payments"]["account_id"]) <= set(acc["account_id"])
    # IPv4 and some IPv6; 6-digit BINs; ASNs with names
    ips = t["ip_events"]["ip"]
    assert ips.str.contains(":").mean() > 0.01 and ips.str.fullmatch(r"(\d{1,3}\.){3}\d{1,3}").mean() > 0.7
    assert t["payments"]["card_bin"].str.fullmatch(r"\d{6}").all()
    ev = t["ip_events"].dropna(subset=["asn"])
    assert ev["asn_org"].notna().all() and ev["asn"].str.fullmatch(r"\d+").all()
    # e-mails: gmail dominant, with dots and +tags among them
    dom = acc["email"].dropna().str.split("@").str[1].str.lower()
    assert dom.value_counts().index[0] == "gmail.com"
    gmail = acc["email"].dropna()[dom.to_numpy() == "gmail.com"]
    assert gmail.str.contains(r"\.[^@]*@").any() and gmail.str.contains(r"\+").any()
    # phones: both national and E.164 forms, valid numbers for the claimed country
    ph = acc.dropna(subset=["phone"])
    assert ph["phone"].str.startswith("+").mean() > 0.2 and (~ph["phone"].str.startswith("+")).mean() > 0.2
    valid = [phonenumbers.is_valid_number(phonenumbers.parse(p, c)) for p, c in zip(ph["phone"], ph["country"], strict=True)]
    assert np.mean(valid) > 0.99
    # requests: aggregated rows and some raw rows (count empty)
    cnt = t["requests"]["count"]
    assert cnt.isna().any() and (cnt.dropna().astype(int) > 1).mean() > 0.5


def test_truth_is_consistent(world) -> None:
    d, truth, t = world
    ta = truth.accounts
    assert ta.equals(_read(d / "truth", "accounts").assign(
        is_fraud=lambda x: x["is_fraud"] == "True", allowlisted=lambda x: x["allowlisted"] == "True"))
    fraud = ta[ta["is_fraud"]]
    assert fraud["ring_id"].notna().all() and fraud["campaign_id"].notna().all()
    assert fraud["evidence"].isin(["clear", "stealth"]).all()
    assert ta.loc[~ta["is_fraud"], ["ring_id", "campaign_id", "operator"]].isna().all().all()
    assert 0.02 <= ta["is_fraud"].mean() <= 0.05
    req = t["requests"].assign(n=lambda x: x["count"].fillna("1").astype(int), ts=lambda x: pd.to_datetime(x["ts"]))
    req = req.merge(ta[["account_id", "campaign_id"]], on="account_id")
    per = req.dropna(subset=["campaign_id"]).groupby("campaign_id").agg(n=("n", "sum"), lo=("ts", "min"), hi=("ts", "max"))
    camps = truth.campaigns.set_index("campaign_id")
    assert (per["n"] == camps["exchanges"]).all()
    assert (per["lo"] == pd.to_datetime(camps["first_seen"])).all()
    assert (per["hi"] == pd.to_datetime(camps["last_seen"])).all()
    assert (fraud.groupby("campaign_id").size() == camps["accounts"]).all()
    assert (fraud.groupby("campaign_id")["ring_id"].nunique() == camps["rings"]).all()
    big = camps.loc["camp_01"]
    assert abs(big["accounts"] - 0.025 * N) <= 1 and big["rings"] >= 3
    assert big["first_seen"].startswith("2026-04-22") and big["last_seen"].startswith("2026-06-05")
    assert 900 <= big["exchanges"] / big["accounts"] <= 1500  # ~28.8M for 25,000 accounts
    assert camps["capabilities"].str.contains("agentic_reasoning").all()
    assert set(truth.rings["evidence"]) == {"clear", "stealth"}


def test_innocent_sharing_exists(world) -> None:
    _, truth, t = world
    legit = set(truth.accounts.loc[~truth.accounts["is_fraud"], "account_id"])
    ev = t["ip_events"][t["ip_events"]["account_id"].isin(legit)]
    assert ev.groupby("ip")["account_id"].nunique().max() > 200  # campus NAT / carrier NAT
    pay = t["payments"][t["payments"]["account_id"].isin(legit)]
    per_card = pay.groupby("card_fingerprint")["account_id"].nunique()
    assert ((per_card >= 2) & (per_card <= 4)).sum() >= 20  # households
    acc = t["accounts"][t["accounts"]["account_id"].isin(legit)]
    orgs = acc.groupby("org_id").size()
    assert (orgs >= 5).sum() >= 3
    assert acc.groupby("device_id").size().max() >= 5  # an organisation's device image
    req = t["requests"][t["requests"]["account_id"].isin(legit)]
    tmpl = req.groupby("prompt_fingerprint")["account_id"].nunique()
    assert tmpl.max() > 100  # a popular public agent template
    # a burst of honest sign-ups in one hour on one address (a class, an onboarding day)
    acc = acc.assign(hour=pd.to_datetime(acc["created_at"]).dt.floor("h"))
    assert acc.groupby(["signup_ip", "hour"]).size().max() >= 20


def test_rings_move_in_lockstep_and_share_identifiers(world) -> None:
    _, truth, t = world
    ta = truth.accounts
    req = t["requests"].merge(ta[["account_id", "ring_id", "evidence"]], on="account_id")
    req["hour"] = pd.to_datetime(req["ts"]).dt.floor("h")
    clear = ta[ta["evidence"] == "clear"]
    pay = t["payments"].merge(clear[["account_id", "ring_id"]], on="account_id")
    shared = pay.groupby(["ring_id", "card_fingerprint"])["account_id"].nunique()
    assert (shared.groupby("ring_id").max() >= 2).all()  # every clear ring shares a card
    for rid, sub in req.dropna(subset=["ring_id"]).groupby("ring_id"):
        # most of a member's active hours are hours in which most living ring members work too
        life = sub.groupby("account_id")["hour"].agg(["min", "max"])
        per_hour = sub.groupby("hour")["account_id"].nunique()
        h = per_hour.index.to_numpy()[:, None]
        alive = ((life["min"].to_numpy()[None, :] <= h) & (life["max"].to_numpy()[None, :] >= h)).sum(axis=1)
        busy = per_hour.to_numpy() >= 0.5 * alive
        assert per_hour.to_numpy()[busy].sum() / per_hour.sum() > 0.6, rid  # member-hours in shared hours
    legit = req[req["ring_id"].isna()]
    tot = lambda x: x.assign(n=x["count"].fillna("1").astype(int)).groupby("account_id")["n"].sum()  # noqa: E731
    ring = req[req["ring_id"] == truth.rings["ring_id"].iloc[0]]
    cv_ring = tot(ring).std() / tot(ring).mean()
    cv_legit = tot(legit).std() / tot(legit).mean()
    assert cv_ring < cv_legit / 2  # load-balanced volume


def test_indicators_and_allowlist(world) -> None:
    d, truth, _ = world
    ind = _read(d, "indicators")
    allow = _read(d, "allowlist")
    assert list(ind.columns) == contract.INDICATORS.column_names
    assert ind["kind"].isin(contract.INDICATOR_KINDS).all() and allow["kind"].isin(contract.ALLOWLIST_KINDS).all()
    camps = truth.campaigns
    known = set(camps["operator"].dropna())
    assert camps["operator"].isna().any()  # one campaign is nobody's (and must stay so)
    assert known <= set(ind["operator"])
    strong = {"card_bin", "prompt_fingerprint", "device_id", "cidr", "ip"}
    assert strong <= set(ind["kind"])
    weak = ind[ind["kind"].isin(["asn", "email_domain"])]
    assert "gmail.com" in set(weak["value"]) and "16509" in set(weak["value"])
    assert (weak["confidence"].astype(float) < 0.5).all()
    ids = allow.loc[allow["kind"] == "account_id", "value"]
    ta = truth.accounts.set_index("account_id")
    assert len(ids) >= 1 and ta.loc[ids, "is_fraud"].all() and ta.loc[ids, "allowlisted"].all()
    assert ta["allowlisted"].sum() == len(ids)
    assert {"ip", "cidr", "org_id"} <= set(allow["kind"])


def test_two_operations_share_only_gmail(world) -> None:
    _, truth, t = world
    ta = truth.accounts
    a = set(ta.loc[ta["campaign_id"] == "camp_02", "account_id"])
    b = set(ta.loc[ta["campaign_id"] == "camp_03", "account_id"])

    def ids(table: str, col: str, who: set[str]) -> set[str]:
        df = t[table]
        return set(df.loc[df["account_id"].isin(who), col].dropna())

    for table, col in [("payments", "card_fingerprint"), ("payments", "card_bin"), ("accounts", "device_id"),
                       ("ip_events", "ip"), ("ip_events", "asn"), ("requests", "api_key_id"),
                       ("requests", "prompt_fingerprint"), ("requests", "ip")]:
        assert not ids(table, col, a) & ids(table, col, b), (table, col)
    dom = lambda who: set(t["accounts"].loc[t["accounts"]["account_id"].isin(who), "email"].str.split("@").str[1])  # noqa: E731
    assert dom(a) & dom(b) == {"gmail.com"}


def test_weeks_union_is_the_whole_world(tmp_path: Path) -> None:
    n, weeks = 2_000, 3
    truth = generate_world(tmp_path / "w", accounts=n, seed=5, weeks=weeks)
    full = tmp_path / "full"
    w = build_world(n, 5, "default", weeks)
    tables, _ = assemble(w)
    write_tables(tables, full, "csv", 1, w)
    seen: set[str] = set()
    for k in range(1, weeks + 1):
        wk = tmp_path / "w" / f"week{k}"
        acc = _read(wk, "accounts")
        seen |= set(acc["account_id"])
        lo = WINDOW_START + (k - 1) * 7 * 86400 if k > 1 else -np.inf
        hi = WINDOW_START + k * 7 * 86400 if k < weeks else np.inf
        for name, col in [("accounts", "created_at"), ("requests", "ts"), ("ip_events", "seen_at")]:
            s = (pd.to_datetime(_read(wk, name)[col], utc=True) - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
            assert ((s >= lo) & (s < hi)).all(), (k, name)
        for name in ("payments", "ip_events", "requests"):
            assert set(_read(wk, name)["account_id"]) <= seen, (k, name)  # only known accounts
    for name in contract.TABLES:
        parts = pd.concat([_read(tmp_path / "w" / f"week{k}", name) for k in range(1, weeks + 1)])
        whole = _read(full, name)
        key = list(whole.columns)
        assert parts.sort_values(key).reset_index(drop=True).equals(whole.sort_values(key).reset_index(drop=True))
    # planted rings grow across weeks; older accounts keep sending requests in later weeks
    w1 = set(_read(tmp_path / "w" / "week1", "accounts")["account_id"])
    fr = truth.accounts[truth.accounts["is_fraud"]]
    grown = fr.assign(w1=fr["account_id"].isin(w1)).groupby("ring_id")["w1"].agg(["any", "all"])
    assert (grown["any"] & ~grown["all"]).any()
    later = set(_read(tmp_path / "w" / f"week{weeks}", "requests")["account_id"])
    assert later & w1 & set(fr["account_id"])
    assert (tmp_path / "w" / "truth" / "campaigns.csv").exists() and (tmp_path / "w" / "indicators.csv").exists()


def test_parquet_matches_csv(world, tmp_path: Path) -> None:
    d, _, t = world
    generate_world(tmp_path, accounts=N, seed=11, fmt="parquet")
    for name in contract.TABLES:
        pq = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(pq.columns) == list(t[name].columns)
        assert len(pq) == len(t[name])
    acc = pd.read_parquet(tmp_path / "accounts.parquet")
    assert str(acc["created_at"].dt.tz) == "UTC"
    assert (acc["account_id"].to_numpy() == t["accounts"]["account_id"].to_numpy()).all()
    again = tmp_path / "again"
    generate_world(again, accounts=N, seed=11, fmt="parquet")
    for name in contract.TABLES:
        assert (again / f"{name}.parquet").read_bytes() == (tmp_path / f"{name}.parquet").read_bytes()


def test_tiny_example_is_on_contract() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    tables = {name: _read(root / "tiny", name) for name in contract.TABLES}
    ids = set(tables["accounts"]["account_id"])
    assert tables["accounts"]["account_id"].is_unique and len(ids) == 20
    for name, spec in contract.TABLES.items():
        assert list(tables[name].columns) == spec.column_names
        assert tables[name][spec.required_columns].notna().all().all()
        assert set(tables[name]["account_id"]) <= ids
    ind, allow = _read(root, "indicators"), _read(root, "allowlist")
    assert ind["kind"].isin(contract.INDICATOR_KINDS).all() and allow["kind"].isin(contract.ALLOWLIST_KINDS).all()
    assert set(allow.loc[allow["kind"] == "account_id", "value"]) <= ids
    ring = tables["payments"][tables["payments"]["account_id"].str.startswith("r")]
    assert ring.groupby("card_fingerprint").size().min() == 3  # two cards, three ring accounts each


def test_difficulty_changes_the_world(tmp_path: Path) -> None:
    easy = generate_world(tmp_path / "e", accounts=4_000, seed=3, difficulty="easy")
    hard = generate_world(tmp_path / "h", accounts=4_000, seed=3, difficulty="hard")
    stealth = lambda tr: (tr.accounts["evidence"] == "stealth").sum() / tr.accounts["is_fraud"].sum()  # noqa: E731
    assert stealth(hard) > stealth(easy)
    orgs = lambda d: _read(d, "accounts")["org_id"].notna().sum()  # noqa: E731
    assert orgs(tmp_path / "h") > orgs(tmp_path / "e")


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_world(tmp_path, accounts=2_000, difficulty="insane")
    with pytest.raises(ValueError):
        generate_world(tmp_path, accounts=2_000, fmt="xlsx")
    with pytest.raises(ValueError):
        generate_world(tmp_path, accounts=10)


def test_cli_generate(tmp_path: Path) -> None:
    from linker.cli import app

    res = CliRunner().invoke(app, ["generate", str(tmp_path / "g"), "--accounts", "1500", "--seed", "2",
                                   "--format", "parquet", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["ok"] and out["fraud_accounts"] > 0
    assert (tmp_path / "g" / "requests.parquet").exists() and (tmp_path / "g" / "truth" / "accounts.csv").exists()
    bad = CliRunner().invoke(app, ["generate", str(tmp_path / "x"), "--difficulty", "insane"])
    assert bad.exit_code == 2
    small = CliRunner().invoke(app, ["generate", str(tmp_path / "s"), "--accounts", "1000"])  # auto: csv
    assert small.exit_code == 0 and (tmp_path / "s" / "accounts.csv").exists()


@pytest.mark.parametrize("args,hint", [(["--accounts", "500"], "--accounts"),
                                       (["--profile", "extreme"], "--profile")])
def test_demo_validates_options_like_generate(tmp_path: Path, args: list[str], hint: str) -> None:
    """Bad options are a usage error (exit 2, no traceback, nothing written), as in generate."""
    from linker.cli import app

    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo"), *args])
    assert res.exit_code == 2 and hint in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "demo").exists()
