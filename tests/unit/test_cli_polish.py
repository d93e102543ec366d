"""What a new user sees: usage lines, readable summaries, plurals, progress per stage,
`explain` of an unknown account, the demo's headline and output list (issue 13)."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.commands.run import OUTPUT_FILES, truth_lines
from linker.commands.validate import table_lines
from linker.demo import generate_world
from linker.progress import LineReporter, Reporter, plural

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("polish")
    generate_world(d, accounts=1000, seed=5)
    return d


@pytest.fixture(scope="module")
def ran(world: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run without --json or --quiet (stderr is not a terminal here: summary lines)."""
    base = tmp_path_factory.mktemp("ran")
    res = runner.invoke(app, ["run", str(world), "--out", str(base / "out"),
                              "--workspace", str(base / "ws")])
    assert res.exit_code == 0, res.output
    return {"res": res, "out": base / "out", "ws": base / "ws"}


def test_usage_lines_name_arguments_and_flags_have_no_bool_metavar() -> None:
    for cmd, arg in ((["run"], "DATA_DIR"), (["validate"], "DATA_DIR"), (["load"], "DATA_DIR"),
                     (["explain"], "ACCOUNT_ID"), (["diff"], "RUN_A RUN_B"),
                     (["generate"], "OUT_DIR")):
        text = runner.invoke(app, [*cmd, "--help"], terminal_width=120).stdout
        assert re.search(rf"Usage: linker {cmd[0]} \[OPTIONS\] {arg}\b", text), text[:300]
        assert "{" not in text.split("\n\n")[0] + text.splitlines()[1]
        assert "<bool>" not in text
    assert "<bool>" not in runner.invoke(app, ["--help"]).stdout
    assert "<bool>" not in runner.invoke(app, ["neo4j", "start", "--help"]).stdout


def test_plural() -> None:
    assert plural(1, "row") == "1 row"
    assert plural(0, "row") == "0 rows"
    assert plural(1234, "account") == "1,234 accounts"
    assert plural(1, "community", "communities") == "1 community"
    assert plural(2, "community", "communities") == "2 communities"


def test_validate_says_1_row_and_aligns_ignored_columns(world: Path, tmp_path: Path) -> None:
    d = tmp_path / "one"
    shutil.copytree(world, d)
    pay = pd.read_csv(d / "payments.csv", dtype=str).head(1)
    pay["shoe_size"] = "44"
    pay.to_csv(d / "payments.csv", index=False)
    res = runner.invoke(app, ["validate", str(d), "--quiet"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    pay_line = next(x for x in lines if x.strip().startswith("payments"))
    assert re.search(r"\b1 row\b", pay_line) and not re.search(r"\b1 rows", res.stdout)
    ignored = next(x for x in lines if "ignored columns" in x)
    # the note starts exactly under the file name of the line above
    assert ignored.index("ignored columns") == pay_line.index("payments.csv")
    assert "shoe_size" in ignored


def test_table_lines_align_for_any_width() -> None:
    summary = {"tables": {
        "accounts": {"rows": 1, "path": "/x/accounts.csv", "unknown_accounts": 0,
                     "extra_columns": ["a"]},
        "requests": {"rows": 123_456_789, "path": "/x/requests.csv", "unknown_accounts": 1,
                     "extra_columns": ["b"]}}}
    lines = table_lines(summary)
    assert lines[0].index("accounts.csv") == lines[1].index("ignored") == \
        lines[2].index("requests.csv") == lines[3].index("ignored")
    assert "(1 row of unknown accounts dropped)" in lines[2]


def test_load_prints_a_readable_line(world: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = runner.invoke(app, ["load", str(world), "--workspace", str(ws), "--quiet"])
    assert first.exit_code == 0, first.output
    assert "{" not in first.stdout and "added 1,000 accounts" in first.stdout
    again = runner.invoke(app, ["load", str(world), "--workspace", str(ws), "--quiet"])
    assert again.exit_code == 0
    assert "{" not in again.stdout
    assert "nothing new; 4 files already loaded" in again.stdout


def test_run_reports_every_stage_once_and_times_outputs(ran: dict) -> None:
    res = ran["res"]
    err = res.stderr
    for stage in ("read: accounts", "read: requests", "normalise", "load", "fetch",
                  "rings: evidence", "rings: links", "rings: communities", "rings: scoring",
                  "campaigns", "outputs: tables", "outputs: report", "outputs: review_packet",
                  "outputs: stix", "outputs"):
        hits = [x for x in err.splitlines() if re.match(rf"{re.escape(stage)}\s{{2,}}", x)]
        assert len(hits) == 1, (stage, err)
        assert re.search(r"\d+\.\d s$", hits[0])
    assert re.search(r"^read: accounts\s+1,000 accounts", err, re.M)
    timings = json.loads((ran["out"] / "run.json").read_text())["timings"]
    for stage in ("read", "load", "rings", "rings: links", "campaigns", "outputs",
                  "outputs: report"):
        assert stage in timings, timings
    assert timings["outputs"] >= timings["outputs: report"] > 0


def test_json_prints_only_json_and_quiet_prints_nothing(world: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["run", str(world), "--out", str(tmp_path / "o1"),
                              "--workspace", str(tmp_path / "w1"), "--json"])
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    assert json.loads(res.stdout)["ok"] is True
    quiet = runner.invoke(app, ["run", str(world), "--out", str(tmp_path / "o2"),
                                "--workspace", str(tmp_path / "w2"), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert quiet.stdout.startswith("run ")


def test_outputs_line_names_every_file(ran: dict) -> None:
    line = next(x for x in ran["res"].stdout.splitlines() if x.startswith("outputs in"))
    for name in ("report.md", "changes.json", "campaigns.stix.json", "suspensions.csv",
                 "review/index.html"):
        assert name in line, line
        assert name in OUTPUT_FILES
    assert re.search(r"\b1 ring\b|\b\d+ rings\b", ran["res"].stdout)


def test_generate_shows_progress(tmp_path: Path) -> None:
    res = runner.invoke(app, ["generate", str(tmp_path / "g"), "--accounts", "1000"])
    assert res.exit_code == 0, res.output
    for stage in ("generate: draw", "generate: assemble", "generate: write"):
        assert re.search(rf"^{stage}\s+.*\d s$", res.stderr, re.M), res.stderr
    assert " 1 rings" not in res.stdout and "1 rings" not in res.stdout
    quiet = runner.invoke(app, ["generate", str(tmp_path / "q"), "--accounts", "1000", "-q"])
    assert quiet.stderr == ""


def test_explain_unknown_account_differs_from_unflagged(ran: dict, world: Path) -> None:
    out = ran["out"]
    flagged = set(pd.read_csv(out / "suspensions.csv", dtype=str)["account_id"])
    accounts = pd.read_csv(world / "accounts.csv", dtype=str)["account_id"]
    quiet_one = next(a for a in accounts if a not in flagged)
    unknown = runner.invoke(app, ["explain", "nosuch", "--out", str(out)])
    assert unknown.exit_code == 2
    assert "unknown account 'nosuch'" in unknown.output
    real = runner.invoke(app, ["explain", quiet_one, "--out", str(out)])
    assert real.exit_code == 0, real.output
    assert "is not flagged" in real.stdout and "unknown" not in real.stdout
    as_json = runner.invoke(app, ["explain", quiet_one, "--out", str(out), "--json"])
    assert json.loads(as_json.stdout)["flagged"] is False


def test_capability_targeting_text_names_no_capability_it_may_not_target() -> None:
    from linker.detect.reasons import explain
    from linker.detect.scoring import TARGET_CAPABILITIES

    text = explain("CAPABILITY_TARGETING").replace(" ", "_")
    assert not [c for c in TARGET_CAPABILITIES if c in text]


def test_demo_headline_is_counts_not_a_bare_ratio() -> None:
    t = {"fraud": 740, "suspended_fraud": 583, "flagged_fraud": 730,
         "suspend_precision": 1.0, "suspend_recall": 0.7875, "suspend_recall_clear": 0.9,
         "flagged_recall": 0.986, "legit_suspended": 0, "allowlisted_suspended": 0}
    text = "\n".join(truth_lines(t))
    assert "recall 0.7875" not in text and "0.7875" not in text
    assert "740 fraud accounts planted" in text
    assert "suspended automatically: 583 of them (78.8%" in text
    assert "flagged for suspension or review: 730 (98.6%)" in text


def test_readme_output_table_and_gitignore() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| file | content |"):]
    table = table[:table.index("\n\n")]
    assert "`report_files/`" in table
    clusters = next(x for x in table.splitlines() if x.startswith("| `clusters.csv`"))
    assert "density" in clusters and "strong_share" in clusters
    assert "/linker-demo/" in (ROOT / ".gitignore").read_text().split()


def test_line_reporter_times_failed_stages_without_a_line() -> None:
    buf = io.StringIO()
    rep = LineReporter(buf)
    with rep.stage("good") as s:
        s.note("3 things")
    with pytest.raises(RuntimeError), rep.stage("bad"):
        raise RuntimeError("x")
    assert buf.getvalue().startswith("good ") and "3 things" in buf.getvalue()
    assert "bad" not in buf.getvalue() and set(rep.seconds) == {"good", "bad"}
    silent = Reporter()
    with silent.stage("x"):
        pass
    assert "x" in silent.seconds


def test_demo_sh_says_it_is_installing() -> None:
    text = (ROOT / "scripts" / "demo.sh").read_text()
    install = text.index("pip install")
    assert "echo" in text[:install] and "installing linker" in text[:install]
