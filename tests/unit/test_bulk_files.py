"""The bulk importer's files (no server needed): typed headers, one file per label / type,
de-duplicated rows, timestamps, batches and the command `linker neo4j import-files` prints.
The graph they build is compared with the transactional load's in
tests/integration/test_store_neo4j.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.demo import generate_world
from linker.ingest.normalize import normalize_dataset
from linker.ingest.read import read_dataset
from linker.store.bulk import write_import_files


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bulkworld")
    generate_world(d, accounts=1000, seed=5, weeks=1)
    return d / "week1" if (d / "week1").exists() else d


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_files_have_typed_headers_and_one_row_per_entity(week: Path, tmp_path: Path) -> None:
    ds = normalize_dataset(read_dataset(week))
    files = write_import_files(ds, tmp_path / "imp", committed=False)
    by_label = {label: path for label, path in files.nodes}
    head, rows = _read(by_label["Account"])
    assert head[0] == "account_id:ID(Account)"
    assert "created_at:datetime" in head and "req_batches:string[]" in head
    assert len(rows) == ds.accounts["account_id"].nunique()
    rels = dict(files.relationships)
    head, rows = _read(rels["PAID_WITH"])
    assert head[:2] == [":START_ID(Account)", ":END_ID(Card)"]
    assert "row_key:long" in head and "seq:long" in head
    assert len(rows) == len(ds.payments.drop_duplicates())
    seq = [int(r[head.index("seq:long")]) for r in rows]
    assert seq == list(range(len(rows)))
    # IP nodes are distinct over sign-ups, events and requests
    _, ips = _read(by_label["IP"])
    assert len(ips) == len({r[0] for r in ips})
    # batches: uncommitted (the managed cycle commits them once the run is recorded)
    _, batches = _read(by_label["Batch"])
    assert {r[0] for r in batches} == {m["sha256"] for m in ds.info.files.values()}
    assert all(r[-1] == "false" for r in batches)
    args = files.admin_args("neo4j")
    assert args[:4] == ["database", "import", "full", "neo4j"]
    assert sum(a.startswith("--nodes=") for a in args) == len(files.nodes)


def test_timestamps_keep_fractions_and_hand_imported_batches_are_committed(
        tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    pd.DataFrame({"account_id": ["a1", "a2"],
                  "created_at": ["2024-01-01T00:00:00.5Z", "2024-01-02T00:00:00Z"]}
                 ).to_csv(d / "accounts.csv", index=False)
    ds = normalize_dataset(read_dataset(d))
    files = write_import_files(ds, tmp_path / "imp", committed=True)
    text = dict(files.nodes)["Account"].read_text()
    assert "2024-01-01T00:00:00.500000000Z" in text
    _, batches = _read(dict(files.nodes)["Batch"])
    assert batches[0][-1] == "true"


def test_import_files_command_prints_the_admin_command(week: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["neo4j", "import-files", str(week), str(tmp_path / "o"),
                                   "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["command"][:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert all(Path(a.split("=", 2)[2]).exists() for a in info["command"]
               if a.startswith(("--nodes=", "--relationships=")))
    bad = CliRunner().invoke(app, ["neo4j", "import-files", str(tmp_path / "none"),
                                   str(tmp_path / "o2"), "--json"])
    assert bad.exit_code == 2


def test_row_keys_are_the_keys_existing_graphs_hold() -> None:
    """Row keys made in Arrow hash exactly as the `astype(str)` keys already stored in graphs
    (a later load compares against them): text, integers, whole-second and fractional UTC
    times, floats and objects, each with missing values."""
    import numpy as np

    from linker.store.bulk import row_keys

    rng = np.random.default_rng(1)
    n = 5000
    base = pd.Timestamp("2024-01-01", tz="UTC")
    seconds = pd.Series(base + pd.to_timedelta(rng.integers(0, 10**8, n), unit="s"))
    seconds[::7] = pd.NaT
    df = pd.DataFrame({
        "text": pd.Series(rng.choice(["a", "b", None, "ü x"], n), dtype="string[pyarrow]"),
        "int": rng.integers(-5, 10**12, n),
        "nullable": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 99, n)),
                             dtype="Int64"),
        "seconds": seconds,
        "days": pd.Series(base + pd.to_timedelta(rng.integers(0, 100, n), unit="D")),
        "millis": pd.Series(base + pd.to_timedelta(rng.integers(0, 10**12, n), unit="ms")),
        "float": rng.random(n),
        "object": pd.Series(rng.choice(["x", None], n), dtype=object),
    })
    stored = pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy().view("int64")
    assert (row_keys(df) == stored).all()
    assert len(np.unique(stored)) > n * 0.99
