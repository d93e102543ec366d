"""`linker neo4j start|stop|status`: a local Neo4j 5.26 (fetched with Maven, no Docker) for
`linker run DATA --store neo4j`. The store finds it through the state file in the server
home when NEO4J_URI is not set; the password stays in a 0600 file and is never printed."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from linker.commands.base import LinkerTyper, app, fail
from linker.errors import StoreError

neo4j_app = LinkerTyper(
    help="Run a local Neo4j 5.26 server (fetched from Maven Central, no Docker needed).",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

_HOME = typer.Option(
    None, "--home", help="Server home (default: $LINKER_NEO4J_HOME or ~/.local/share/linker/neo4j)."
)
_JSON = typer.Option(False, "--json", help="Print JSON.")


def _public(h: object) -> dict:
    """What may be shown about a server: never the password."""
    return {
        "uri": h.uri, "http_uri": h.http_uri, "user": h.user, "database": h.database,
        "pid": h.pid, "home": str(h.home), "gds": h.gds, "version": h.version,
    }


@neo4j_app.command("start")
def start(
    home: Path | None = _HOME,
    gds: bool = typer.Option(True, "--gds/--no-gds", help="Load Graph Data Science (Louvain in the database)."),
    heap: str = typer.Option("1g", "--heap", help="JVM heap, e.g. 1g, 4g."),
    pagecache: str = typer.Option("512m", "--pagecache", help="Page cache size."),
    bolt_port: int = typer.Option(0, "--bolt-port", help="Bolt port (0: a free one)."),
    timeout: float = typer.Option(300.0, "--timeout", help="Seconds to wait for Bolt."),
    as_json: bool = _JSON,
) -> None:
    """Start the server in the background (first start fetches ~150 MB of jars with Maven)."""
    from linker.store import server as ns

    home = home or ns.default_home()
    running = ns.attach(home)
    if running is not None:
        info = {"ok": True, "already_running": True, **_public(running)}
    else:
        try:
            h = ns.start_server(
                home, gds=gds, heap=heap, pagecache=pagecache, bolt_port=bolt_port or None,
                timeout=timeout, detach=True,
            )
        except StoreError as e:
            fail(e, as_json)
        info = {"ok": True, "already_running": False, **_public(h)}
    if as_json:
        typer.echo(json.dumps(info))
        return
    verb = "already running" if info["already_running"] else "started"
    typer.echo(f"Neo4j {info['version']} {verb}: {info['uri']} (browser {info['http_uri']}), "
               f"user {info['user']}, gds={'on' if info['gds'] else 'off'}")
    typer.echo(f"password in {Path(info['home']) / ns.PASSWORD_FILE}; "
               "`linker run DATA --store neo4j` connects to this server when NEO4J_URI is unset")


@neo4j_app.command("stop")
def stop(home: Path | None = _HOME, as_json: bool = _JSON) -> None:
    """Stop the server started by `linker neo4j start` (its data stays in the home)."""
    from linker.store import server as ns

    stopped = ns.stop_server(home)
    if as_json:
        typer.echo(json.dumps({"ok": True, "stopped": stopped}))
    else:
        typer.echo("stopped" if stopped else "no server was running")


@neo4j_app.command("status")
def status(home: Path | None = _HOME, as_json: bool = _JSON) -> None:
    """Say whether the local server runs and where; exit 1 when it does not."""
    from linker.store import server as ns

    h = ns.attach(home)
    if h is None:
        if as_json:
            typer.echo(json.dumps({"ok": True, "running": False}))
        else:
            typer.echo("not running")
        raise typer.Exit(1)
    info = {"ok": True, "running": True, **_public(h)}
    if as_json:
        typer.echo(json.dumps(info))
    else:
        typer.echo(f"running: {h.uri} (pid {h.pid}, home {h.home}, gds={'on' if h.gds else 'off'})")


@neo4j_app.command("import-files")
def import_files(
    data: Path = typer.Argument(..., help="Input directory (the first batch of the platform)."),
    out: Path = typer.Argument(..., help="Directory for the importer's CSV files (replaced)."),
    database: str = typer.Option("neo4j", "--database", help="Target database name."),
    as_json: bool = _JSON,
) -> None:
    """Write DATA as `neo4j-admin database import full` files for a server linker does not
    manage, and print the command its administrator runs (server stopped, database empty).
    Then `linker run DATA --store neo4j` creates the constraints and skips the loaded batch."""
    import shlex

    from linker.errors import LinkerError
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_dataset
    from linker.store.bulk import write_import_files

    try:
        ds = normalize_dataset(read_dataset(data, progress=False))
        files = write_import_files(ds, out, committed=True)
    except LinkerError as e:
        fail(e, as_json)
    command = ["neo4j-admin", *files.admin_args(database)]
    text = shlex.join(command)
    if as_json:
        typer.echo(json.dumps({"ok": True, "out": str(out), "command": command,
                               "nodes": len(files.nodes), "relationships": len(files.relationships),
                               "added": files.added}))
        return
    typer.echo(f"wrote {len(files.nodes)} node and {len(files.relationships)} relationship "
               f"files to {out}")
    typer.echo("with the server stopped (this replaces the database), run as its owner:")
    typer.echo(f"  {text}")
    typer.echo(f"then start it and run `linker run {shlex.quote(str(data))} --store neo4j`")
