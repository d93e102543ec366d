"""Review packets with verdicts and for big rings (issue 15, items 4-5): past verdicts per
member and per ring, index sections and top reasons, rendering only the top rings unless
--all, the verdict template round trip, and the core/edge picture layout."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
from sample_findings import sample_findings
from typer.testing import CliRunner

from linker.cli import app
from linker.outputs.export import write_outputs
from linker.outputs.review import build_packet, verdict_template


def _with_verdicts(f):  # type: ignore[no-untyped-def]
    sus = f.suspensions
    first = sus[sus["cluster_id"] == "C0000"]["account_id"].astype(str).tolist()[:2]
    v = pd.DataFrame({"account_id": first, "verdict": ["cleared", "confirmed"],
                      "reviewer": ["ann", "bo"],
                      "decided_at": pd.to_datetime(["2026-10-05", "2026-10-06"], utc=True)})
    return dataclasses.replace(f, verdicts=v), first


def _rows(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-cluster.*?</tr>", body, flags=re.S)


def test_member_and_index_show_past_verdicts_and_sections() -> None:
    f, (a, b) = _with_verdicts(sample_findings([12, 30, 7], seed=1))
    # one fully suspended ring: every member of C0002 suspended
    sus = f.suspensions.copy()
    sus.loc[sus["cluster_id"] == "C0002", "action"] = "suspend"
    sus.loc[sus["cluster_id"] == "C0002", "reasons"] = (
        "SHARED_CARD;SHARED_DEVICE;SIGNUP_BURST;LOCKSTEP_HOURS;SHARED_PHONE;SHARED_IP")
    f = dataclasses.replace(f, suspensions=sus)
    files = build_packet(f, pictures=False)
    page = files["rings/C0000.html"]
    assert re.search(rf'<tr id="m-{a}">.*?cleared 2026-10-05 by ann', page, flags=re.S)
    assert re.search(rf'<tr id="m-{b}">.*?confirmed 2026-10-06 by bo', page, flags=re.S)
    index = files["index.html"]
    review = {r.split('data-cluster="')[1][:5] for r in _rows(index, "rings-review")}
    suspended = {r.split('data-cluster="')[1][:5] for r in _rows(index, "rings-suspended")}
    assert suspended == {"C0002"} and review == {"C0000", "C0001"}
    c0 = next(r for r in _rows(index, "rings-review") if 'data-cluster="C0000"' in r)
    assert "1 cleared" in c0 and "1 confirmed" in c0
    c2 = _rows(index, "rings-suspended")[0]
    assert c2.count('class="code"') == 3 and "+3 more" in c2  # top reasons only
    assert "Rings to review" in index and "Suspended rings" in index


def test_only_top_rings_rendered_unless_all(tmp_path: Path) -> None:
    f = sample_findings([5] * 8, seed=3)
    f.run.setdefault("settings", {})["review"] = {"rendered_rings": 3}
    files = build_packet(f, pictures=False)
    pages = [k for k in files if k.endswith(".html") and k.startswith("rings/")]
    assert len(pages) == 3
    top = f.clusters.sort_values(["score", "cluster_id"], ascending=[False, True])["cluster_id"][:3]
    assert {f"rings/{c}.html" for c in top} == set(pages)
    index = files["index.html"]
    assert index.count("<tr data-cluster") == 8  # the index lists every ring
    assert "linker review OUT_DIR --all" in index
    every = build_packet(f, pictures=False, all_rings=True)
    assert len([k for k in every if k.startswith("rings/") and k.endswith(".html")]) == 8

    out = tmp_path / "out"
    write_outputs(f, out, writers=[])
    res = CliRunner().invoke(app, ["review", str(out), "--all", "--json"])
    assert res.exit_code == 0, res.output
    assert len(list((out / "review" / "rings").glob("*.html"))) == 8


def test_verdict_template_round_trip(tmp_path: Path) -> None:
    from linker.feedback.verdicts import read_verdicts

    f, _ = _with_verdicts(sample_findings([6, 9], seed=4))
    f.suspensions.loc[f.suspensions.index[0], "reasons"] = "=HYPERLINK(\"x\")"
    t = verdict_template(f)
    n_review = int((f.suspensions["action"] == "review").sum())
    assert len(t) == n_review + f.suspensions.loc[f.suspensions["action"] == "review",
                                                  "cluster_id"].nunique()
    assert list(t.columns[:5]) == ["subject", "verdict", "reviewer", "decided_at", "note"]
    out = tmp_path / "out"
    write_outputs(f, out, writers=[])
    csv = tmp_path / "template.csv"
    res = CliRunner().invoke(app, ["review", str(out), "--export-verdict-template", str(csv)])
    assert res.exit_code == 0, res.output
    text = csv.read_text()
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text  # csvsafe
    filled = pd.read_csv(csv, dtype=str, keep_default_na=False).head(2)
    filled["verdict"], filled["reviewer"], filled["decided_at"] = "cleared", "me", "2026-11-01T00:00:00Z"
    filled.to_csv(csv, index=False)
    _, rows = read_verdicts(csv)  # the filled template is a valid verdict file
    assert list(rows["verdict"]) == ["cleared", "cleared"]


def test_picture_puts_core_inside_and_edge_outside() -> None:
    from linker.outputs.pictures import core_and_edge, ring_svg, sample_ring_graph
    from linker.outputs.review import prepare

    f = sample_findings([166], seed=5)
    p = prepare(f)
    members = p.sus
    rg = sample_ring_graph(members, p.ev, p.identifiers, p.links)
    from linker.outputs.pictures import _layout

    pos = core_and_edge(rg.graph, _layout(rg.graph, 0))
    g = rg.graph
    r = {n: float(np.hypot(*pos[n])) for n in g.nodes if g.nodes[n]["kind"] == "account"}
    core = [r[n] for n in r if g.nodes[n]["action"] == "suspend"]
    edge = [r[n] for n in r if g.nodes[n]["action"] != "suspend"]
    assert core and edge and max(core) < min(edge)
    svg = ring_svg(rg)
    dots = re.findall(r'<circle [^>]*data-account="([^"]+)"', svg)
    assert len(dots) == rg.shown_accounts and len(set(dots)) == len(dots)
    assert "strong core" in svg
    # labels stay inside the picture
    for x, anchor, label in re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="11" '
                                       r'text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg):
        w = 6.2 * len(label)
        left = float(x) - (w if anchor == "end" else 0)
        assert left >= 0 and left + w <= 900, label
