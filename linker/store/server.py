"""A real Neo4j Community 5.26 server without Docker: fetched from Maven Central with Maven,
cached, and run on Java 17 (or 21) bound to 127.0.0.1.

Why: integration tests and people without a Docker engine still need the graph of record. The
server jars and the open-source Graph Data Science library (GDS, for Louvain in the database)
are plain Maven artifacts, so `mvn dependency:copy-dependencies` on a generated pom gives a
runnable classpath; `org.neo4j.server.CommunityEntryPoint` is the class the `neo4j` script
starts.

Layout:

- cache (``$LINKER_CACHE`` or ``~/.cache/linker``): ``neo4j-<version>/lib`` (server jars),
  ``gds-<version>/plugins`` (GDS jars with procedures) and ``gds-<version>/lib`` (their
  third-party libraries, classpath only); each directory is filled once, atomically.
- home (a temp dir for tests, ``~/.local/share/linker/neo4j`` for ``linker neo4j start``):
  ``conf/neo4j.conf``, ``data/``, ``logs/``, ``password`` (mode 0600) and ``server.json``
  (pid, uri, user, database: the state file that ``linker neo4j status|stop`` and the neo4j
  store read).

Auth is enabled with a generated password (set over Bolt on first start with a parameterised
``ALTER CURRENT USER``), kept in ``home/password`` and never printed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linker.errors import StoreError
from linker.store.lock import pid_alive

# Newest 5.26 LTS patch and the GDS line that supports it, as found on Maven Central on
# 2026-11-26 (maven resolved the ranges [5.26.0,5.27.0) and [2.13.0,2.14.0)). Pinned so that
# every start uses the same cached jars; override with LINKER_NEO4J_VERSION / LINKER_GDS_VERSION.
NEO4J_VERSION = "5.26.30"
GDS_VERSION = "2.13.9"

STATE_FILE = "server.json"
PASSWORD_FILE = "password"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"

_JVM_OPTS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


# ---- locating tools -------------------------------------------------------------------


def cache_dir() -> Path:
    """Where fetched jars live (shared by all homes)."""
    return Path(os.environ.get("LINKER_CACHE") or Path.home() / ".cache" / "linker")


def default_home() -> Path:
    """Home of the server that `linker neo4j start` manages."""
    base = os.environ.get("LINKER_NEO4J_HOME")
    if base:
        return Path(base)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "linker" / "neo4j"


def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def find_java() -> Path:
    """A Java 17 (preferred) or 21 runtime: Neo4j 5.26 supports nothing newer, and the newest
    JDK on the PATH is often newer, so look for 17 explicitly."""
    candidates: list[Path] = []
    for env in ("LINKER_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(env):
            candidates.append(Path(os.environ[env]) / "bin" / "java")
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        dirs = sorted(jvm.iterdir())
        candidates += [d / "bin" / "java" for d in dirs if "17" in d.name]
        candidates += [d / "bin" / "java" for d in dirs if "21" in d.name]
    which = shutil.which("java")
    if which:
        candidates.append(Path(which))
    seen: set[Path] = set()
    for c in candidates:
        if c in seen or not c.exists():
            continue
        seen.add(c)
        if _java_major(c) in (17, 21):
            return c
    raise StoreError(
        "no Java 17 or 21 runtime found for Neo4j 5.26 (install openjdk-17-jre-headless or set "
        "LINKER_JAVA_HOME), or point NEO4J_URI at an existing server"
    )


def _find_mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise StoreError(
            "Maven (mvn) is needed once to fetch Neo4j from Maven Central (apt-get install "
            "maven), or point NEO4J_URI at an existing server"
        )
    return mvn


# ---- fetching jars ----------------------------------------------------------------------

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>linker.local</groupId><artifactId>fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""


def _mvn_copy(group: str, artifact: str, version: str, out: Path, work: Path) -> None:
    """Copy an artifact and its runtime dependencies into `out` (file names prefixed with
    the group id, so that conflicts between two dependency trees can be found by name)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "pom.xml").write_text(
        _POM.format(group=group, artifact=artifact, version=version), encoding="utf-8"
    )
    cmd = [
        _find_mvn(), "-B", "-q", "-f", str(work / "pom.xml"),
        "dependency:copy-dependencies", f"-DoutputDirectory={out}",
        "-DincludeScope=runtime", "-Dmdep.prependGroupId=true",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise StoreError(f"could not fetch {group}:{artifact}:{version} with Maven:\n{tail}")


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive file lock, so that parallel test sessions fetch the jars only once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _artifact_key(jar_name: str) -> str:
    """`org.slf4j.slf4j-api-1.7.32.jar` → `org.slf4j.slf4j-api` (group.artifact)."""
    return re.sub(r"-\d[0-9A-Za-z.\-_]*\.jar$", "", jar_name)


def _cached(root: Path, fill: Callable[[Path], None]) -> Path:
    """`root`, filled once by `fill(tmp)` in a temporary sibling that is renamed into place
    when complete, under a lock, so parallel sessions fetch once and a failed fetch leaves
    nothing behind."""
    if (root / ".complete").exists():
        return root
    with _locked(cache_dir() / ".fetch.lock"):
        if (root / ".complete").exists():
            return root
        tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=cache_dir()))
        try:
            fill(tmp)
            shutil.rmtree(tmp / "build", ignore_errors=True)
            (tmp / ".complete").write_text(root.name, encoding="utf-8")
            shutil.rmtree(root, ignore_errors=True)
            tmp.rename(root)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return root


def ensure_neo4j(version: str | None = None) -> Path:
    """The directory of Neo4j server jars, fetched once with Maven and cached."""
    version = version or os.environ.get("LINKER_NEO4J_VERSION") or NEO4J_VERSION

    def fill(tmp: Path) -> None:
        _mvn_copy("org.neo4j", "neo4j", version, tmp / "lib", tmp / "build")
        if not any(p.name.startswith("org.neo4j.neo4j-" + version) for p in (tmp / "lib").iterdir()):
            raise StoreError(f"Maven did not deliver org.neo4j:neo4j:{version}")

    return _cached(cache_dir() / f"neo4j-{version}", fill) / "lib"


def ensure_gds(neo4j_lib: Path, version: str | None = None) -> tuple[Path, Path]:
    """GDS jars split into (plugins, lib): org.neo4j.gds jars go to the plugins directory
    (Neo4j scans it for procedures), their third-party libraries only onto the classpath
    (scanning them is slow and some fail to load), and anything the server already ships
    is dropped (two versions of one library in two class loaders break loading)."""
    version = version or os.environ.get("LINKER_GDS_VERSION") or GDS_VERSION

    def fill(tmp: Path) -> None:
        _mvn_copy("org.neo4j.gds", "opengds-extension", version, tmp / "all", tmp / "build")
        server = {_artifact_key(p.name) for p in neo4j_lib.glob("*.jar")}
        (tmp / "plugins").mkdir()
        (tmp / "lib").mkdir()
        for jar in sorted((tmp / "all").glob("*.jar")):
            if _artifact_key(jar.name) in server:
                continue
            dest = "plugins" if jar.name.startswith("org.neo4j.gds.") else "lib"
            jar.rename(tmp / dest / jar.name)
        shutil.rmtree(tmp / "all", ignore_errors=True)

    root = _cached(cache_dir() / f"gds-{version}", fill)
    return root / "plugins", root / "lib"


# ---- running ----------------------------------------------------------------------------


def free_port() -> int:
    """A port free right now on 127.0.0.1 (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerHandle:
    """A running server: connection details, and stop() (also on leaving a `with` block)."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    home: Path
    pid: int
    http_uri: str = ""
    gds: bool = False
    version: str = NEO4J_VERSION
    heap: str = "1g"
    pagecache: str = "256m"
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _cleanup: bool = field(default=False, repr=False)

    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    def driver(self) -> Any:
        from neo4j import GraphDatabase

        return GraphDatabase.driver(self.uri, auth=self.auth())

    def running(self) -> bool:
        if self._proc is not None:
            return self._proc.poll() is None
        return pid_alive(self.pid)

    def stop(self, timeout: float = 60.0) -> None:
        """Terminate (Neo4j shuts down cleanly on SIGTERM), wait, then kill."""
        _terminate(self.pid, self._proc, timeout)
        with contextlib.suppress(FileNotFoundError):
            (self.home / STATE_FILE).unlink()
        if self._cleanup:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _terminate(pid: int, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    if proc is not None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(30)
        return
    if not pid_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.25)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _write_conf(
    home: Path, bolt_port: int, http_port: int, heap: str, pagecache: str, gds: bool
) -> None:
    lines = [
        "# written by linker.store.server: a local server for linker",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.http.listen_address=127.0.0.1:{http_port}",
        "server.https.enabled=false",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={pagecache}",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "server.directories.data=data",
        "server.directories.logs=logs",
        "server.directories.plugins=plugins",
        "server.directories.import=import",
        "db.tx_log.rotation.retention_policy=2 files",
    ]
    if gds:
        lines += [
            "dbms.security.procedures.unrestricted=gds.*",
        ]
    (home / "conf").mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_secret(home / "conf" / "neo4j.conf", "\n".join(lines) + "\n")


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def _log_tail(home: Path, n: int = 20) -> str:
    for name in ("logs/neo4j.log", "logs/console.log"):
        p = home / name
        if p.exists():
            lines = [
                ln for ln in p.read_text(errors="replace").splitlines()
                if not ln.lstrip().startswith("at ")
            ]
            if lines:
                return "\n".join(lines[-n:])
    return "(no log)"


def start_server(
    home: Path | str | None = None,
    *,
    gds: bool = True,
    heap: str = "1g",
    pagecache: str = "256m",
    bolt_port: int | None = None,
    http_port: int | None = None,
    timeout: float = 180.0,
    detach: bool = False,
    keep_import: bool = False,
) -> ServerHandle:
    """Start Neo4j 5.26 Community (with GDS unless gds=False) and wait until Bolt answers.

    `home=None` makes a throw-away home (removed by stop()); a given home keeps its data and
    its password across starts. `detach=True` starts the JVM in its own session (for the CLI:
    it outlives this process). Raises StoreError with the end of the server log on failure.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    cleanup = home is None
    home_p = Path(tempfile.mkdtemp(prefix="linker-neo4j-")) if home is None else Path(home)
    # The home holds the graph (personal data), logs and the password: owner only.
    home_p.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(home_p, 0o700)
    old = read_state(home_p)
    if old and pid_alive(int(old["pid"])):
        raise StoreError(f"a server from {home_p} is already running (pid {old['pid']})")

    if not keep_import:
        _discard_unfinished_import(home_p)
    java = find_java()
    lib = ensure_neo4j()
    classpath = [str(lib / "*")]
    plugins_dir = home_p / "plugins"
    if plugins_dir.is_symlink() or plugins_dir.is_file():
        plugins_dir.unlink()
    elif plugins_dir.is_dir():
        shutil.rmtree(plugins_dir)
    if gds:
        gds_plugins, gds_lib = ensure_gds(lib)
        plugins_dir.symlink_to(gds_plugins, target_is_directory=True)
        classpath += [str(gds_plugins / "*"), str(gds_lib / "*")]
    else:
        plugins_dir.mkdir()

    bolt_port = bolt_port or free_port()
    http_port = http_port or free_port()
    _write_conf(home_p, bolt_port, http_port, heap, pagecache, gds)
    (home_p / "logs").mkdir(mode=0o700, exist_ok=True)

    pw_file = home_p / PASSWORD_FILE
    fresh = not pw_file.exists()
    password = secrets.token_urlsafe(24) if fresh else pw_file.read_text().strip()
    if fresh and (home_p / "data" / "databases").exists():
        raise StoreError(
            f"{home_p} holds a database but no '{PASSWORD_FILE}' file: restore that file, or "
            f"remove {home_p / 'data'} to start empty"
        )

    cmd = [
        str(java), f"-Xms{heap}", f"-Xmx{heap}", *_JVM_OPTS,
        "-cp", os.pathsep.join(classpath),
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={home_p}", f"--config-dir={home_p / 'conf'}",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["NEO4J_HOME"] = str(home_p)
    env["NEO4J_CONF"] = str(home_p / "conf")
    console = os.fdopen(os.open(home_p / "logs" / "console.log",
                                os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
    try:
        proc = subprocess.Popen(
            cmd, cwd=home_p, stdout=console, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=env, start_new_session=detach,
            umask=0o077,  # the server's data, logs and config: owner only
        )
    finally:
        console.close()

    uri = f"bolt://127.0.0.1:{bolt_port}"
    handle = ServerHandle(
        uri=uri, user=DEFAULT_USER, password=password, database=DEFAULT_DATABASE,
        home=home_p, pid=proc.pid, http_uri=f"http://127.0.0.1:{http_port}", gds=gds,
        version=lib.parent.name.removeprefix("neo4j-"), heap=heap, pagecache=pagecache,
        _proc=None if detach else proc, _cleanup=cleanup,
    )
    try:
        deadline = time.monotonic() + timeout
        # First start: the built-in user still has the default password and must change it.
        auth = (DEFAULT_USER, "neo4j") if fresh else (DEFAULT_USER, password)
        while True:
            if proc.poll() is not None:
                raise StoreError(
                    f"Neo4j exited with code {proc.returncode} during start-up:\n"
                    + _log_tail(home_p)
                )
            if time.monotonic() > deadline:
                raise StoreError(
                    f"Neo4j did not answer on {uri} within {timeout:.0f}s:\n" + _log_tail(home_p)
                )
            try:
                with GraphDatabase.driver(uri, auth=auth, connection_timeout=5) as drv:
                    drv.verify_connectivity()
                    if fresh:
                        drv.execute_query(
                            "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                            old="neo4j", new=password, database_="system",
                        )
                        _write_secret(pw_file, password)
                break
            except (ServiceUnavailable, OSError):
                time.sleep(0.5)
            except AuthError as e:
                raise StoreError(f"the local Neo4j in {home_p} refused the stored password") from e
        with GraphDatabase.driver(uri, auth=handle.auth()) as drv:
            drv.verify_connectivity()
    except BaseException:
        _terminate(proc.pid, proc, 30)
        if cleanup:
            shutil.rmtree(home_p, ignore_errors=True)
        raise
    _write_state(handle)
    return handle


def _write_state(h: ServerHandle) -> None:
    state = {
        "pid": h.pid, "uri": h.uri, "http_uri": h.http_uri, "user": h.user,
        "database": h.database, "home": str(h.home), "gds": h.gds, "version": h.version,
        "password_file": str(h.home / PASSWORD_FILE), "started_at": time.time(),
        "heap": h.heap, "pagecache": h.pagecache,
    }
    _write_secret(h.home / STATE_FILE, json.dumps(state, indent=2))


def read_state(home: Path | str | None = None) -> dict[str, Any] | None:
    """The state file of a server started in `home` (default home), or None."""
    p = Path(home or default_home()) / STATE_FILE
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def attach(home: Path | str | None = None) -> ServerHandle | None:
    """A handle on a server still running from `home` (its password read from the home),
    or None when none runs there."""
    state = read_state(home)
    if not state or not pid_alive(int(state["pid"])):
        return None
    home_p = Path(state["home"])
    password = (home_p / PASSWORD_FILE).read_text().strip()
    return ServerHandle(
        uri=state["uri"], user=state["user"], password=password, database=state["database"],
        home=home_p, pid=int(state["pid"]), http_uri=state.get("http_uri", ""),
        gds=bool(state.get("gds")), version=state.get("version", NEO4J_VERSION),
        heap=state.get("heap", "1g"), pagecache=state.get("pagecache", "256m"),
    )


def stop_server(home: Path | str | None = None, timeout: float = 60.0) -> bool:
    """Stop the server running from `home`; False when none was running."""
    h = attach(home)
    if h is None:
        with contextlib.suppress(FileNotFoundError):
            (Path(home or default_home()) / STATE_FILE).unlink()
        return False
    h.stop(timeout)
    return True


# ---- offline bulk import (neo4j-admin) ------------------------------------------------------

IMPORT_MARKER = "import-in-progress.json"


def admin_command(home: Path | str, heap: str = "1g") -> tuple[list[str], dict[str, str]]:
    """`neo4j-admin` of the cached server jars (org.neo4j.cli.AdminTool) for `home`: the
    command prefix and its environment."""
    home_p = Path(home)
    java = find_java()
    lib = ensure_neo4j()
    cmd = [str(java), f"-Xmx{heap}", *_JVM_OPTS, "-cp", str(lib / "*"),
           "org.neo4j.cli.AdminTool"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["NEO4J_HOME"] = str(home_p)
    env["NEO4J_CONF"] = str(home_p / "conf")
    return cmd, env


def managed_home(uri: str) -> Path | None:
    """The home of the server linker manages when it (or an import interrupted on it) is the
    one at `uri` ($LINKER_NEO4J_HOME or the default home); None for any other server."""
    home = default_home()
    state = read_state(home)
    if state and state.get("uri") == uri and pid_alive(int(state["pid"])):
        return home
    try:
        marker = json.loads((home / IMPORT_MARKER).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return home if marker.get("uri") == uri else None


def _discard_unfinished_import(home: Path) -> bool:
    """An import that never finished (killed while the server was down for it) leaves a
    marker: the database was empty before it, so it goes back to empty (the next load imports
    again). True when something was discarded."""
    marker_p = home / IMPORT_MARKER
    try:
        marker = json.loads(marker_p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    db = marker.get("database", DEFAULT_DATABASE)
    for sub in ("databases", "transactions"):
        shutil.rmtree(home / "data" / sub / db, ignore_errors=True)
    marker_p.unlink(missing_ok=True)
    return True


def resume_interrupted_import(home: Path) -> ServerHandle | None:
    """When a bulk import was interrupted with the server stopped, start the server again
    (empty database, same ports and memory); None when there is nothing to resume."""
    try:
        marker = json.loads((home / IMPORT_MARKER).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if attach(home) is not None:  # killed after the server came back: the import is whole
        (home / IMPORT_MARKER).unlink(missing_ok=True)
        return None
    return start_server(home, gds=bool(marker.get("gds")), heap=marker.get("heap", "1g"),
                        pagecache=marker.get("pagecache", "256m"),
                        bolt_port=int(marker["bolt_port"]), http_port=int(marker["http_port"]),
                        detach=True, timeout=600)


def offline_import(home: Path | str, args: list[str], *, admin_heap: str = "1g",
                   timeout: float = 3600.0) -> ServerHandle:
    """The managed server's import cycle: stop it, run `neo4j-admin` with `args`, start it
    again (same ports, memory and password; detached). A marker in the home lets a later start
    discard an import that was killed halfway (the database was empty before it)."""
    from urllib.parse import urlsplit

    from linker.crashpoints import crash_point

    home_p = Path(home)
    h = attach(home_p)
    if h is None:
        raise StoreError(f"the local Neo4j in {home_p} is not running")
    marker = {"uri": h.uri, "database": h.database, "gds": h.gds, "heap": h.heap,
              "pagecache": h.pagecache, "bolt_port": urlsplit(h.uri).port,
              "http_port": urlsplit(h.http_uri).port if h.http_uri else free_port()}
    _write_secret(home_p / IMPORT_MARKER, json.dumps(marker))
    h.stop(timeout=120)
    crash_point("neo4j-import-stopped")
    cmd, env = admin_command(home_p, admin_heap)
    log = home_p / "logs" / "import.log"
    with open(log, "wb") as fh:
        proc = subprocess.run([*cmd, *args], cwd=home_p, env=env, stdout=fh,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              timeout=timeout, check=False)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        _discard_unfinished_import(home_p)
        start_server(home_p, gds=h.gds, heap=h.heap, pagecache=h.pagecache,
                     bolt_port=marker["bolt_port"], http_port=marker["http_port"], detach=True)
        raise StoreError(f"neo4j-admin import failed (exit {proc.returncode}):\n{tail}")
    crash_point("neo4j-imported")
    started = start_server(home_p, gds=h.gds, heap=h.heap, pagecache=h.pagecache,
                           bolt_port=marker["bolt_port"], http_port=marker["http_port"],
                           detach=True, timeout=600, keep_import=True)
    (home_p / IMPORT_MARKER).unlink(missing_ok=True)
    return started
