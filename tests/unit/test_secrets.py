"""Issue 16: no credentials in messages, owner-only Neo4j files, stable redaction tokens."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.errors import StoreError, redact_uri
from linker.store import server as ns
from linker.store.neo4j import Neo4jStore, connection_settings, split_credentials


@pytest.mark.parametrize("uri,clean,user,password", [
    ("neo4j://alice:s3cret@db.example:7687", "neo4j://db.example:7687", "alice", "s3cret"),
    ("bolt+s://bob:p%40ss@[::1]:7687/x", "bolt+s://[::1]:7687/x", "bob", "p@ss"),
    ("neo4j://db.example", "neo4j://db.example", None, None),
])
def test_credentials_are_split_off_the_uri(uri, clean, user, password):
    assert split_credentials(uri) == (clean, user, password)


def test_redact_uri_masks_userinfo_anywhere_in_a_message():
    msg = "cannot reach neo4j://alice:s3cret@db:7687 (via bolt://x:y@h)"
    assert redact_uri(msg) == "cannot reach neo4j://***@db:7687 (via bolt://***@h)"


def test_uri_credentials_become_auth_and_env_wins(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://alice:s3cret@db:7687")
    monkeypatch.delenv("NEO4J_USERNAME", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    s = connection_settings()
    assert (s["uri"], s["user"], s["password"]) == ("neo4j://db:7687", "alice", "s3cret")
    monkeypatch.setenv("NEO4J_PASSWORD", "other")
    assert connection_settings()["password"] == "other"


@pytest.mark.parametrize("uri", ["neo4j://alice:s3cret@127.0.0.1:1", "http://alice:s3cret@x",
                                 "bolt://alice:s3cret@nohost.invalid:7687"])
def test_no_password_in_any_error_message(tmp_path, monkeypatch, uri):
    monkeypatch.setenv("NEO4J_URI", uri)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "accounts.csv").write_text("account_id,created_at\na,2024-01-01\n")
    for as_json in ([], ["--json"]):
        res = CliRunner().invoke(app, ["run", str(tmp_path / "d"), "--store", "neo4j",
                                       "--out", str(tmp_path / "o"), *as_json])
        assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
        assert "s3cret" not in res.output and "error" in res.output
    with pytest.raises(StoreError) as info:
        Neo4jStore(uri, "u", "pw")
    assert "s3cret" not in str(info.value)


def test_neo4j_config_and_secrets_are_owner_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    ns._write_conf(home, 1, 2, "1g", "64m", gds=False)
    assert (home / "conf" / "neo4j.conf").stat().st_mode & 0o777 == 0o600
    assert (home / "conf").stat().st_mode & 0o777 == 0o700
    secret = home / "state.json"
    secret.write_text("{}")
    os.chmod(secret, 0o644)
    ns._write_secret(secret, json.dumps({"x": 1}))
    assert secret.stat().st_mode & 0o777 == 0o600
