"""`linker explain`: why an account was flagged, read from an output directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from sample_findings import sample_findings
from typer.testing import CliRunner

from linker.cli import app
from linker.errors import InputError
from linker.model import Findings
from linker.outputs.export import write_outputs
from linker.outputs.review import explain_account, format_explanation


def planted() -> Findings:
    """A 60-account background ring from the sample generator plus a planted ring P: p1..p4
    share card 'card-PLANT' (p1-p3) and device 'dev-PLANT' (p2-p4); p1 also uses an IP that a
    member of the background ring uses."""
    f = sample_findings([60], seed=5)
    t = pd.Timestamp("2026-11-02 03:00", tz="UTC")
    ids = ["p1", "p2", "p3", "p4"]
    acc = pd.DataFrame({
        "account_id": ids, "created_at": [t + pd.Timedelta(minutes=m) for m in (0, 2, 3, 9)],
        "email": [f"{i}@plant.example" for i in ids], "phone": ["+15550000001"] * 4,
        "signup_ip": ["198.51.100.9"] * 4, "device_id": ["d1", "dev-PLANT", "dev-PLANT", "dev-PLANT"],
        "country": "US", "org_id": pd.NA,
    })
    ev = pd.DataFrame(
        [("p1", "card", "card-PLANT"), ("p2", "card", "card-PLANT"), ("p3", "card", "card-PLANT"),
         ("p2", "device", "dev-PLANT"), ("p3", "device", "dev-PLANT"), ("p4", "device", "dev-PLANT"),
         ("p1", "ip", "10.0.0.1"), ("r0-000001", "ip", "10.0.0.1"), ("p1", "device", "d1"),
         ("p1", "email", "p1@plant.example")],
        columns=["account_id", "kind", "value"],
    ).assign(first_seen=t, last_seen=t, count=1)
    links = pd.DataFrame({"a": ["p1", "p1", "p2", "p3", "p1"], "b": ["p2", "p3", "p3", "p4", "r0-000001"],
                          "weight": [4.0, 3.5, 5.0, 2.0, 0.3],
                          "reasons": ["SHARED_CARD", "SHARED_CARD", "SHARED_CARD;SHARED_DEVICE",
                                      "SHARED_DEVICE", "SHARED_IP"]})
    act = pd.DataFrame({"account_id": ["p1", "p1", "p1", "p2"],
                        "day": pd.to_datetime(["2026-11-02", "2026-11-03", "2026-11-05", "2026-11-02"], utc=True),
                        "exchanges": [100, 700, 50, 10]})
    sus = pd.DataFrame({"account_id": ids, "action": ["suspend", "suspend", "suspend", "review"],
                        "score": [0.97, 0.95, 0.96, 0.61], "cluster_id": "PLANT", "campaign_id": "KP",
                        "reasons": ["SHARED_CARD", "SHARED_CARD;SHARED_DEVICE", "SHARED_CARD;SHARED_DEVICE",
                                    "SHARED_DEVICE"]})
    clusters = pd.DataFrame({"cluster_id": ["PLANT"], "campaign_id": ["KP"], "size": [4], "score": [0.93],
                             "first_seen": [t], "last_seen": [t + pd.Timedelta("3D")], "exchanges": [860],
                             "reasons": ["SHARED_CARD;SHARED_DEVICE"]})
    return Findings(
        run={**f.run, "run_id": "run-explain"},
        suspensions=pd.concat([f.suspensions, sus], ignore_index=True),
        members=pd.concat([f.members, sus[["account_id", "cluster_id", "campaign_id"]]], ignore_index=True),
        clusters=pd.concat([f.clusters, clusters], ignore_index=True),
        campaigns=[*f.campaigns, {"campaign_id": "KP", "operator": "Plant Op", "confidence": 0.7}],
        links=pd.concat([f.links, links], ignore_index=True),
        evidence=pd.concat([f.evidence, ev], ignore_index=True),
        activity=pd.concat([f.activity, act], ignore_index=True),
        accounts=pd.concat([f.accounts, acc], ignore_index=True),
    )


def test_explain_names_shared_identifiers_of_planted_member() -> None:
    e = explain_account(planted(), "p2")
    assert (e["cluster_id"], e["campaign_id"], e["operator"], e["action"]) == ("PLANT", "KP", "Plant Op", "suspend")
    assert e["score"] == pytest.approx(0.95)
    shared = {(s["kind"], s["value"]): s["ring_members_sharing"] for s in e["shared_identifiers"]}
    assert shared == {("card", "card-PLANT"): 3, ("device", "dev-PLANT"): 3}
    assert [r["code"] for r in e["reasons"]] == ["SHARED_CARD", "SHARED_DEVICE"]
    assert "payment card" in e["reasons"][0]["explanation"]
    assert e["ring"]["size"] == 4 and e["ring"]["suspend"] == 3
    assert e["strongest_links"][0] == {"account_id": "p3", "weight": 5.0,
                                       "reasons": "SHARED_CARD;SHARED_DEVICE", "same_ring": True}
    assert e["timing"]["created_at"] == "2026-11-02T03:02:00Z"
    assert e["timing"]["signup_rank_in_ring"] == 2


def test_explain_counts_sharing_outside_the_ring_and_timing() -> None:
    e = explain_account(planted(), "p1")
    shared = {(s["kind"], s["value"]): s for s in e["shared_identifiers"]}
    # the IP is shared with a member of another ring only: not a ring tie
    assert ("ip", "10.0.0.1") not in shared
    assert ("device", "d1") not in shared   # used by p1 alone
    assert shared[("card", "card-PLANT")]["flagged_accounts_sharing"] == 3
    other = [x for x in e["strongest_links"] if not x["same_ring"]]
    assert [x["account_id"] for x in other] == ["r0-000001"]
    t = e["timing"]
    assert (t["active_days"], t["exchanges"], t["first_active_day"], t["last_active_day"]) == (
        3, 850, "2026-11-02", "2026-11-05")
    assert t["busiest_day"] == {"day": "2026-11-03", "exchanges": 700}
    text = format_explanation(e)
    assert "card-PLANT" in text and "SHARED_CARD" in text and "Plant Op" in text


def test_explain_unflagged_account_is_a_clear_exit_2_error() -> None:
    with pytest.raises(InputError, match="not flagged in run run-explain") as err:
        explain_account(planted(), "nobody")
    assert err.value.exit_code == 2


def test_explain_redacted_hides_personal_data() -> None:
    e = explain_account(planted(), "p1", redact=True)
    blob = json.dumps(e)
    assert "p1@plant.example" not in blob and "198.51.100.9" not in blob and "15550000001" not in blob
    assert "card-PLANT" in blob and e["redacted"] is True


def test_cli_explain_and_review(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(planted(), out)
    runner = CliRunner()
    ok = runner.invoke(app, ["explain", "p3", "--out", str(out), "--json"])
    assert ok.exit_code == 0, ok.output
    e = json.loads(ok.stdout)
    assert e["cluster_id"] == "PLANT" and e["run_id"] == "run-explain"
    assert {s["value"] for s in e["shared_identifiers"]} == {"card-PLANT", "dev-PLANT"}
    text = runner.invoke(app, ["explain", "p3", "--out", str(out)])
    assert text.exit_code == 0 and "dev-PLANT" in text.stdout
    missing = runner.invoke(app, ["explain", "ghost", "--out", str(out)])
    assert missing.exit_code == 2
    assert "not flagged in run run-explain" in missing.output
    not_out = runner.invoke(app, ["explain", "p3", "--out", str(tmp_path / "nothing")])
    assert not_out.exit_code == 2
    rev = runner.invoke(app, ["review", str(out), "--redact", "--json"])
    assert rev.exit_code == 0, rev.output
    summary = json.loads(rev.stdout)
    assert summary["rings"] == 2 and summary["redacted"] is True
    page = (out / "review" / "rings" / "PLANT.html").read_text()
    assert "dev-PLANT" in page and "p1@plant.example" not in page


def _email_token(explained: dict) -> str:
    """The masked e-mail of the explained account (its ~tag included)."""
    blob = json.dumps(explained)
    found = re.findall(r"p\*\*\*@p\*\*\*\.example~[0-9a-f]{8}", blob)
    assert found, blob[:500]
    return found[0]


def test_redaction_tokens_are_stable_per_home_and_match_the_packet(tmp_path: Path) -> None:
    """Issue 16: the same e-mail masks the same way in every `explain --redact` and in the
    redacted packet, via an HMAC key created 0600 in OUT_DIR (no workspace) and kept across
    runs; another home has another key."""
    out = tmp_path / "out"
    write_outputs(planted(), out)
    runner = CliRunner()
    first = json.loads(runner.invoke(app, ["explain", "p1", "--out", str(out), "--redact", "--json"]).stdout)
    key = out / "redaction.key"
    assert key.stat().st_mode & 0o777 == 0o600
    again = json.loads(runner.invoke(app, ["explain", "p1", "--out", str(out), "--redact", "--json"]).stdout)
    assert _email_token(first) == _email_token(again)
    assert runner.invoke(app, ["review", str(out), "--redact"]).exit_code == 0
    page = "".join(p.read_text() for p in (out / "review" / "rings").glob("*.html"))
    assert _email_token(first) in page
    write_outputs(planted(), out)  # the next run keeps the key
    after = json.loads(runner.invoke(app, ["explain", "p1", "--out", str(out), "--redact", "--json"]).stdout)
    assert _email_token(after) == _email_token(first)
    ws = tmp_path / "ws"
    other = json.loads(runner.invoke(app, ["explain", "p1", "--out", str(out), "--redact", "--json",
                                           "--workspace", str(ws)]).stdout)
    assert (ws / "redaction.key").exists() and _email_token(other) != _email_token(first)


def test_redaction_key_lives_in_the_runs_workspace(tmp_path: Path) -> None:
    from linker.commands.review import key_home

    ws = tmp_path / "ws"
    ws.mkdir()
    run = {"inputs": {"workspace": str(ws)}}
    assert key_home(tmp_path / "out", None, run) == ws
    assert key_home(tmp_path / "out", None, {"inputs": {"workspace": str(tmp_path / "gone")}}) \
        == tmp_path / "out"
