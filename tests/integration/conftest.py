"""A live Neo4j for the integration tests, one per test session.

Where it comes from, in order: NEO4J_URI (with NEO4J_USERNAME / NEO4J_PASSWORD /
NEO4J_DATABASE) when set; a testcontainers Neo4jContainer when a Docker engine answers;
otherwise a real Neo4j 5.26 started from Maven Central jars by linker.store.server (first run
fetches them; later runs start from the cache). Integration tests must run, not skip: when no
server can be had the session fails loudly, unless LINKER_SKIP_NEO4J=1 is set explicitly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

NEO4J_IMAGE = "neo4j:5.26.30-community"


@dataclass
class Neo4jTarget:
    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"
    source: str = "env"
    gds: bool = False
    home: object = None  # the server home when linker manages the server (bulk import)

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a `linker` process on this server (LINKER_NEO4J_HOME when linker
        manages it, so the first load of an empty database may use the bulk import)."""
        out = {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.user,
               "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}
        if self.home is not None:
            out["LINKER_NEO4J_HOME"] = str(self.home)
        return {**out, **extra}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/integration needs the server: mark it so `-m "not integration"`
    deselects it even if a module forgot its pytestmark."""
    for item in items:
        if "tests/integration/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.integration)


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _has_gds(t: Neo4jTarget) -> bool:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(t.uri, auth=(t.user, t.password)) as d:
        try:
            d.execute_query("RETURN gds.version() AS v", database_=t.database)
            return True
        except Exception:
            return False


@pytest.fixture(scope="session")
def neo4j_target() -> Iterator[Neo4jTarget]:
    """Connection details of the session's server (see the module docstring for the order)."""
    if os.environ.get("LINKER_SKIP_NEO4J") == "1":
        pytest.skip("LINKER_SKIP_NEO4J=1: integration tests skipped on request")
    if os.environ.get("NEO4J_URI"):
        t = Neo4jTarget(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            source="env",
        )
        t.gds = _has_gds(t)
        yield t
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer(NEO4J_IMAGE).with_env(
            "NEO4J_PLUGINS", '["graph-data-science"]'
        ).with_env("NEO4J_dbms_security_procedures_unrestricted", "gds.*")
        with container as c:
            t = Neo4jTarget(
                uri=c.get_connection_url(), user="neo4j", password=c.password, source="docker"
            )
            t.gds = _has_gds(t)
            yield t
        return
    from linker.store.server import start_server, stop_server

    try:
        handle = start_server(gds=os.environ.get("LINKER_NEO4J_GDS", "1") != "0", timeout=600)
    except Exception as e:  # noqa: BLE001  (any failure: say so loudly, never skip)
        pytest.fail(
            f"no Neo4j for the integration tests: set NEO4J_URI, start Docker, or fix the local "
            f"server ({type(e).__name__}: {e}); LINKER_SKIP_NEO4J=1 skips them on purpose",
            pytrace=False,
        )
    try:
        yield Neo4jTarget(
            uri=handle.uri, user=handle.user, password=handle.password,
            database=handle.database, source="maven", gds=handle.gds, home=handle.home,
        )
    finally:
        stop_server(handle.home)  # a bulk import restarts the server (detached, new pid)
        handle.stop()


@contextmanager
def open_driver(target: Neo4jTarget) -> Iterator:
    """A connected driver to the test server (closed on exit)."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(target.uri, auth=(target.user, target.password)) as d:
        d.verify_connectivity()
        yield d


@pytest.fixture()
def neo4j_driver(neo4j_target: Neo4jTarget):
    """A driver per test: a driver's bookmarks outlive a database that a bulk import replaced
    (its transaction ids start again lower), and a later query waiting for the old bookmark
    fails with BookmarkTimeout."""
    with open_driver(neo4j_target) as d:
        yield d


def wipe(driver, database: str) -> None:
    """Delete every node and relationship (schema stays: the store recreates it idempotently)."""
    with driver.session(database=database) as s:
        s.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        try:
            from linker.store.neo4j import GDS_GRAPH

            s.run("CALL gds.graph.drop($g, false) YIELD graphName", g=GDS_GRAPH).consume()
        except Exception:  # noqa: BLE001  (no GDS, or no such graph)
            pass


@pytest.fixture
def clean_db(neo4j_driver, neo4j_target: Neo4jTarget) -> Iterator[Neo4jTarget]:
    """An empty database for one test (tests share the session's server)."""
    wipe(neo4j_driver, neo4j_target.database)
    yield neo4j_target
