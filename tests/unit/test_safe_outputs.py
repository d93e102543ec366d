"""Issue 16, safe outputs: formula cells neutralised in every CSV linker writes (and read back
exactly), no raw HTML from input data in report.md or report.html."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.outputs.csvsafe import neutralise, restore
from linker.outputs.findings import read_findings

RING_IDS = ['=HYPERLINK("http://x","a")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "=1+1", "acc8"]
OPERATOR = "<script>alert('op')</script>[x](http://evil)"


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=x", "''=x"),
    ("+14155550100", "+14155550100"), ("-3", "-3"), ("-2.5e3", "-2.5e3"), ("plain", "plain"),
    ("a=b", "a=b"),
])
def test_neutralise_rule_and_exact_round_trip(value, expected):
    s = pd.Series([value, None], dtype="string")
    out = neutralise(s)
    assert out.iloc[0] == expected and pd.isna(out.iloc[1])
    assert restore(out).iloc[0] == value


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory) -> Path:
    """One run on a tiny platform whose only ring carries formula and HTML payloads in ids,
    device ids, card fingerprints, prompt templates, capabilities and the operator's name."""
    d = tmp_path_factory.mktemp("payloads")
    data = d / "data"
    data.mkdir()

    def write(name: str, header: list[str], rows: list[list[object]]) -> None:
        with open(data / name, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    legit = [[f"legit{i}", f"2024-0{1 + i % 5}-1{i % 9}T10:00:00Z", f"l{i}@gmail.com", "",
              f"198.51.{i}.7", f"dev{i}", "ua", "GB"] for i in range(30)]
    write("accounts.csv", ["account_id", "created_at", "email", "phone", "signup_ip", "device_id",
                           "user_agent", "country"],
          [[a, f"2024-05-01T10:0{i}:00Z", f"u{i}@evil.example", "+14155550100",
            f"203.0.113.{i + 1}", '=HYPERLINK("http://evil")', "<script>ua</script>", "US"]
           for i, a in enumerate(RING_IDS)] + legit)
    write("payments.csv", ["account_id", "card_fingerprint", "card_bin"],
          [[a, "@fp<b>1</b>", "411111"] for a in RING_IDS])
    write("requests.csv", ["account_id", "ts", "count", "api_key_id", "prompt_fingerprint", "capability"],
          [[a, f"2024-05-02T{10 + h}:00:00Z", 50, "=key", "<b>tpl</b>", "<img src=x onerror=alert(2)>"]
           for a in RING_IDS for h in range(5)])
    write("indicators.csv", ["operator", "kind", "value", "confidence", "source"],
          [[OPERATOR, "prompt_fingerprint", "<b>tpl</b>", 0.9, "<img src=x onerror=alert(3)>"]])
    out = d / "out"
    res = CliRunner().invoke(app, ["run", str(data), "--out", str(out), "--workspace", str(d / "ws"),
                                   "--indicators", str(data / "indicators.csv")])
    assert res.exit_code == 0, res.output
    return out


def _cells(path: Path) -> list[str]:
    with open(path, newline="") as f:
        return [c for row in csv.reader(f) for c in row]


def test_every_csv_cell_is_formula_safe(ring_run: Path) -> None:
    files = [ring_run / "suspensions.csv", ring_run / "members.csv", ring_run / "clusters.csv",
             *sorted((ring_run / "review" / "rings").glob("*.csv"))]
    assert len(files) >= 4
    for path in files:
        cells = _cells(path)
        risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                 and not re.fullmatch(r"[+-]?[0-9.eE+-]+|\+[0-9]{6,15}", c)]
        assert not risky, (path.name, risky)
    members = _cells(ring_run / "suspensions.csv")
    assert "'=HYPERLINK(\"http://x\",\"a\")" in members and "'-2+3" in members
    packet = [c for p in (ring_run / "review" / "rings").glob("*.csv") for c in _cells(p)]
    assert "+14155550100" in packet  # a real phone number is not touched


def test_outputs_read_back_with_the_original_ids(ring_run: Path) -> None:
    f = read_findings(ring_run)
    assert set(RING_IDS) <= set(f.suspensions["account_id"])
    res = CliRunner().invoke(app, ["explain", RING_IDS[0], "--out", str(ring_run), "--json"])
    assert res.exit_code == 0, res.output


def test_report_md_has_no_raw_html_or_links_from_data(ring_run: Path) -> None:
    md = (ring_run / "report.md").read_text()
    assert "&lt;script&gt;" in md  # the operator's name is there, as text
    for raw in ("<script", "<img", "<b>"):
        assert raw not in md, raw
    assert "\\[x\\](http://evil)" in md and not re.search(r"(?<!\\)\[x(?<!\\)\]\(", md)
    html = (ring_run / "report.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
