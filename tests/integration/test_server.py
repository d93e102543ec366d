"""The Maven-started Neo4j: auth on, password never in the state file, data and password
survive a restart, stop() really ends the process."""

from __future__ import annotations

import json
import os

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from linker.store import server as ns

pytestmark = pytest.mark.integration


def test_session_server_answers_and_enforces_auth(neo4j_target) -> None:
    with GraphDatabase.driver(neo4j_target.uri, auth=(neo4j_target.user, neo4j_target.password)) as d:
        rec = d.execute_query("RETURN 1 + 1 AS two", database_=neo4j_target.database).records
        assert rec[0]["two"] == 2
        agent = d.get_server_info().agent
        assert agent.startswith("Neo4j/5.26")
    with GraphDatabase.driver(neo4j_target.uri, auth=(neo4j_target.user, "wrong-password")) as d:
        with pytest.raises(AuthError):
            d.verify_connectivity()


def test_gds_loads_and_runs_louvain(neo4j_target, neo4j_driver) -> None:
    if neo4j_target.source == "maven" and os.environ.get("LINKER_NEO4J_GDS", "1") == "0":
        pytest.skip("GDS switched off with LINKER_NEO4J_GDS=0")
    if neo4j_target.source == "env" and not neo4j_target.gds:
        pytest.skip("the server given by NEO4J_URI has no GDS")
    assert neo4j_target.gds
    rec = neo4j_driver.execute_query("RETURN gds.version() AS v").records
    assert rec[0]["v"].startswith("2.13")


def test_restart_keeps_data_and_password(tmp_path, neo4j_target) -> None:
    if neo4j_target.source != "maven":
        pytest.skip("only meaningful for the Maven-started server")
    home = tmp_path / "home"
    h = ns.start_server(home, gds=False, heap="512m", pagecache="64m", timeout=600)
    try:
        state = json.loads((home / ns.STATE_FILE).read_text())
        assert state["pid"] == h.pid and state["uri"] == h.uri
        assert h.password not in (home / ns.STATE_FILE).read_text()
        assert oct((home / ns.PASSWORD_FILE).stat().st_mode & 0o777) == "0o600"
        assert ns.attach(home).uri == h.uri
        # Issue 16: the home (graph data, logs, config) is the owner's only.
        assert home.stat().st_mode & 0o777 == 0o700
        assert (home / "conf" / "neo4j.conf").stat().st_mode & 0o777 == 0o600
        exposed = [str(p) for sub in ("data", "logs", "conf") for p in (home / sub).rglob("*")
                   if not p.is_symlink() and p.stat().st_mode & 0o077]
        assert not exposed, exposed
        with h.driver() as d:
            d.execute_query("CREATE (:Probe {v: $v})", v=42)
        first_password = h.password
    finally:
        h.stop()
    assert not ns.pid_alive(h.pid)
    assert ns.attach(home) is None
    h2 = ns.start_server(home, gds=False, heap="512m", pagecache="64m", timeout=600)
    try:
        assert h2.password == first_password
        with h2.driver() as d:
            rec = d.execute_query("MATCH (p:Probe) RETURN p.v AS v").records
        assert [r["v"] for r in rec] == [42]
        with pytest.raises(Exception, match="already running"):
            ns.start_server(home, gds=False)
    finally:
        assert ns.stop_server(home) is True
    assert ns.stop_server(home) is False
    # A database without its password file is never wiped silently.
    (home / ns.PASSWORD_FILE).rename(home / "pw.bak")
    with pytest.raises(Exception, match="no 'password' file"):
        ns.start_server(home, gds=False)
    assert (home / "data" / "databases").is_dir()
