"""The application service: one run of the whole job, called by the CLI and by tests alike.

`execute` reads and validates a batch, loads it into the store, runs the pipeline on
everything loaded so far with the given `Settings`, writes the outputs with the given
writers and records the run. It knows nothing of the command line; the CLI picks the store,
the settings and the writers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from linker.crashpoints import crash_point
from linker.errors import InputError
from linker.model import Dataset, Findings, LoadStats
from linker.pipeline import run_pipeline
from linker.progress import Reporter, plural, reporter_for
from linker.settings import Settings
from linker.store.base import Store

if TYPE_CHECKING:
    from linker.detect.communities import Clusterer

Writer = Callable[[Findings, Path], None]


def open_store(kind: str, workspace: Path | None) -> Store:
    """The store named on the command line; Neo4j settings come from NEO4J_* variables."""
    if kind == "embedded":
        from linker.store.embedded import EmbeddedStore

        return EmbeddedStore(workspace)
    if kind == "neo4j":
        from linker.store.neo4j import Neo4jStore

        return Neo4jStore.from_env()
    raise InputError(f"unknown store '{kind}' (use embedded or neo4j)")


def read_side_inputs(
    allowlist: Path | None, indicators: Path | None
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    from linker.ingest.read import read_allowlist, read_indicators

    allow = read_allowlist(allowlist) if allowlist else None
    ind = read_indicators(indicators) if indicators else None
    return allow, ind


def read_batch(data_dir: Path, store: Store, progress: bool = False,
               reporter: Reporter | None = None) -> Dataset:
    """Read, validate and normalise one input directory (raises InputError before any write).
    Rows of an incremental batch may point at accounts the store already holds."""
    from linker.ingest.normalize import normalize_dataset
    from linker.ingest.read import read_dataset

    reporter = reporter or _reporter(progress)
    ds = read_dataset(Path(data_dir), known_accounts=store.account_ids(), reporter=reporter)
    with reporter.stage("normalise") as stage:
        ds = normalize_dataset(ds)
        stage.note(f"{plural(len(ds.accounts), 'account')}, "
                   f"{plural(len(ds.ip_events), 'IP event')}")
    return ds


def _reporter(progress: bool) -> Reporter:
    return reporter_for() if progress else Reporter()


def load_note(stats: LoadStats) -> str:
    """`added 518 accounts, 1,234 payments; 1 file already loaded`, or `nothing new`."""
    added = ", ".join(plural(n, TABLE_NOUNS.get(t, t + " row")) for t, n in stats.added.items())
    skipped = len(stats.skipped_files)
    text = f"added {added}" if added else "nothing new"
    if skipped:
        text += f"; {plural(skipped, 'file')} already loaded"
    return text


TABLE_NOUNS = {"accounts": "account", "payments": "payment", "ip_events": "IP event",
               "requests": "request row"}


def default_writers() -> list[Writer]:
    """The writers beyond the contract's tables: report, review packet, STIX bundle."""
    from linker.outputs.report import write_report
    from linker.outputs.review import write_review_packet
    from linker.outputs.stix import write_stix

    return [write_report, write_review_packet, write_stix]


def execute(
    data_dir: Path,
    out: Path,
    *,
    settings: Settings,
    store: Store,
    writers: list[Writer] | None = None,
    allowlist: Path | None = None,
    indicators: Path | None = None,
    verdicts: Path | None = None,
    progress: bool = False,
    wait: bool = False,
    notify: Callable[[str], None] | None = None,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Validate → load → link → cluster → campaigns → ids → outputs → record the run, holding
    the store's lock throughout; the load is committed only once the run is recorded, and
    rolled back if anything after it fails (the next attempt loads the batch again).

    `writers=None` means the default writers; `[]` writes only the contract's tables.
    `notify` receives one line per piece of housekeeping (recovery, leftovers removed).
    `reporter` times every stage (run.json `timings`) and shows progress; `progress` without
    one picks the default reporter for stderr."""
    from linker.memory import release as release_memory
    from linker.outputs.export import check_out_dir, clean_out_leftovers

    timer = reporter or _reporter(progress)
    check_out_dir(out)
    cluster = cluster_for(store, settings)  # before anything is read or written
    allow, ind = read_side_inputs(allowlist, indicators)
    verdict_file = None
    if verdicts is not None:
        from linker.feedback.verdicts import read_verdicts

        verdict_file = read_verdicts(verdicts)  # bad rows stop the run before any write
    with store.lock(wait=wait) as cleaned:
        cleaned = cleaned + clean_out_leftovers(out)
        for note in cleaned:
            if notify:
                notify(note)
        with timer.stage("read") as stage:
            batch = read_batch(data_dir, store, reporter=timer)
            stage.note(plural(len(batch.accounts), "account"))
        with timer.stage("load") as stage:
            stats = store.load(batch, commit=False)
            stage.note(load_note(stats))
        batch_files = batch.info.files
        del batch  # the store now holds it: keeping this copy too doubled the peak memory
        release_memory()  # and hand it back: the allocators kept 3 GB of it at 1M accounts
        crash_point("loaded")
        try:
            findings = _run_loaded(store, settings, batch_files, stats, data_dir, allow, ind,
                                   allowlist, indicators, timer, out,
                                   default_writers() if writers is None else writers,
                                   verdict_file, cluster)
        except BaseException:
            store.rollback()
            raise
        store.commit()
    return {
        "ok": True,
        "run_id": findings.run_id,
        "out": str(out),
        "counts": findings.run["counts"],
        "timings": timer.seconds,
        "changes": (findings.changes or {}).get("counts", {}),
        "cleaned_up": cleaned,
    }


def _run_loaded(store: Store, settings: Settings, batch_files: dict[str, Any], stats: Any,
                data_dir: Path,
                allow: pd.DataFrame | None, ind: pd.DataFrame | None, allowlist: Path | None,
                indicators: Path | None, timer: Reporter, out: Path,
                writers: list[Writer], verdict_file: tuple[Any, pd.DataFrame] | None = None,
                cluster: Clusterer | None = None) -> Findings:
    """Everything after the load: fetch, pipeline, outputs, record the run (and the
    verdicts given with it, stored only once the run is recorded)."""
    from linker.model import without_unread
    from linker.outputs.export import write_outputs

    with timer.stage("fetch") as stage:
        ds = without_unread(store.dataset())
        previous = store.previous_run()
        stage.note(plural(len(ds.accounts), "account"))
    stored, new_verdicts = stored_verdicts(store), None
    if verdict_file is not None:
        from linker.feedback.verdicts import merge_verdicts, resolve

        new_verdicts = resolve(verdict_file[0], verdict_file[1], ds.accounts["account_id"],
                               previous)
        stored = merge_verdicts(stored, new_verdicts)
    findings = run_pipeline(
        ds, settings=settings, allowlist=allow, indicators=ind, previous=previous,
        verdicts=stored, store=store.name, timer=timer, cluster=cluster,
    )
    crash_point("pipeline")
    findings.run["inputs"] = {
        "data_dir": str(data_dir), "files": batch_files,
        "loaded": {"skipped_files": stats.skipped_files, "rows_per_second": {
            k: round(v) for k, v in stats.rows_per_second().items()}},
        "store": ds.info.files,
        # where `review --redact` / `explain --redact` find the redaction key
        "workspace": str(Path(store.root).resolve()) if hasattr(store, "root") else None,
        "allowlist": str(allowlist) if allowlist else None,
        "indicators": str(indicators) if indicators else None,
    }
    with timer.stage("outputs") as stage:
        write_outputs(findings, out, writers=writers, reporter=timer)
        stage.note(f"{out}")
    store.write_results(findings)
    if new_verdicts is not None and len(new_verdicts):
        store.add_verdicts(new_verdicts)
    crash_point("recorded")
    return findings


def cluster_for(store: Store, settings: Settings) -> Clusterer | None:
    """The store's community detection when `rings.cluster = "gds"` (None: the Python path).
    GDS needs the Neo4j store with the Graph Data Science plugin: anything else is refused
    before the run reads or writes anything."""
    if settings.rings.cluster != "gds":
        return None
    gds_leiden = getattr(store, "gds_leiden", None)
    if gds_leiden is None:
        raise InputError(f'rings.cluster = "gds" (--cluster gds) needs --store neo4j, not '
                         f"the {store.name} store")
    store.require_gds()  # type: ignore[attr-defined]
    return gds_leiden  # type: ignore[no-any-return]


def stored_verdicts(store: Store) -> pd.DataFrame | None:
    """The store's verdicts (None for a store without them, e.g. a test double)."""
    get = getattr(store, "verdicts", None)
    return get() if get is not None else None


def add_verdicts(path: Path, store: Store, *, wait: bool = False) -> dict[str, Any]:
    """`linker verdicts add`: check the file, resolve its subjects against the store and the
    latest run, store the verdicts. Bad rows: InputError (exit 2), nothing stored."""
    from linker.feedback.verdicts import read_verdicts, resolve

    src, df = read_verdicts(path)
    with store.lock(wait=wait):
        rows = resolve(src, df, store.account_ids(), store.previous_run())
        store.add_verdicts(rows)
    return {"ok": True, "verdicts": int(len(df)), "accounts": int(rows["account_id"].nunique()),
            "by_verdict": {str(k): int(v) for k, v in df["verdict"].value_counts().items()}}


def run_once(
    data_dir: Path,
    out: Path,
    *,
    store_kind: str = "embedded",
    workspace: Path | None = None,
    settings: Settings | None = None,
    writers: list[Writer] | None = None,
    allowlist: Path | None = None,
    indicators: Path | None = None,
    verdicts: Path | None = None,
    progress: bool = False,
    wait: bool = False,
    notify: Callable[[str], None] | None = None,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """`execute` on a store opened (and closed) here: what `linker run` does."""
    store = open_store(store_kind, workspace)
    try:
        return execute(data_dir, out, settings=settings or Settings(), store=store,
                       writers=writers, allowlist=allowlist, indicators=indicators,
                       verdicts=verdicts, progress=progress, wait=wait, notify=notify,
                       reporter=reporter)
    finally:
        store.close()
