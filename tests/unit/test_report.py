"""The report: contract outputs through export.write_outputs with the report and STIX writers,
a self-contained report.html (no network references, images inlined), the changes section."""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import re
from pathlib import Path

import pandas as pd
from test_campaigns import two_operations_world

from linker.campaigns.grouping import build_campaigns
from linker.contract import CAMPAIGN_KEYS, CLUSTERS_COLUMNS
from linker.model import Findings
from linker.outputs.export import write_outputs
from linker.outputs.findings import read_findings
from linker.outputs.report import render_report, write_report
from linker.outputs.stix import STIX_FILE, write_stix

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def small_findings(changes: dict | None = None) -> Findings:
    """Findings for the two-operation world, mapped to ids the way the pipeline does."""
    return dataclasses.replace(_small_findings(), changes=changes)


@functools.lru_cache(maxsize=1)
def _small_findings() -> Findings:
    ds, rings = two_operations_world()
    ind = pd.DataFrame([("Op Alpha", "prompt_fingerprint", "tpl-A", 0.9, "https://intel.example/feed"),
                        ("Cloud Gang", "asn", "16509", 1.0, None)],
                       columns=["operator", "kind", "value", "confidence", "source"])
    out = build_campaigns(ds, rings, indicators=ind)
    cl_id = {r: f"R-{r:03d}" for r in out.ring_campaign["ring"]}
    ca_id = {c: f"C-{c:03d}" for c in out.ring_campaign["campaign"]}
    members = rings.members.merge(out.ring_campaign, on="ring")
    members["cluster_id"] = members["ring"].map(cl_id)
    members["campaign_id"] = members["campaign"].map(ca_id)
    clusters = out.clusters.assign(cluster_id=out.clusters["ring"].map(cl_id),
                                   campaign_id=out.clusters["campaign"].map(ca_id))
    clusters = clusters.drop(columns=["ring", "campaign"])
    campaigns = []
    for c in out.campaigns:
        c = dict(c)
        c["campaign_id"] = ca_id[c.pop("campaign")]
        c["clusters"] = [cl_id[r] for r in c["clusters"]]
        campaigns.append(c)
    hourly = ds.requests.hourly
    activity = (hourly.assign(day=hourly["hour"].dt.floor("D"))
                .groupby(["account_id", "day"], as_index=False, observed=True)["exchanges"].sum())
    return Findings(
        run={"run_id": "20260301T000000Z-abc123", "started_at": "2026-03-01T00:00:00Z",
             "software": {"name": "linker", "version": "test"}, "settings": {"rings": {"seed": 1}},
             "counts": {"accounts": len(ds.accounts), "flagged": len(members),
                        "clusters": len(clusters), "campaigns": len(campaigns)},
             "timings": {"rings": 0.5, "campaigns": 0.1}},
        suspensions=members[["account_id", "action", "score", "cluster_id", "campaign_id", "reasons"]],
        members=members[["account_id", "cluster_id", "campaign_id"]],
        clusters=clusters, campaigns=campaigns,
        activity=activity[activity["account_id"].isin(members["account_id"])].reset_index(drop=True),
    )


def test_outputs_match_the_contract(tmp_path: Path) -> None:
    out = write_outputs(small_findings(), tmp_path / "out", writers=[write_report, write_stix])
    header = (out / "clusters.csv").read_text().splitlines()[0].split(",")
    assert header[: len(CLUSTERS_COLUMNS)] == CLUSTERS_COLUMNS
    clusters = pd.read_csv(out / "clusters.csv")
    assert clusters["first_seen"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    campaigns = json.loads((out / "campaigns.json").read_text())
    assert len(campaigns) == 2
    for c in campaigns:
        assert sorted(c) == sorted(CAMPAIGN_KEYS)
        assert c["first_seen"].endswith("Z") and isinstance(c["accounts"], int)
    alpha = next(c for c in campaigns if c["operator"])
    assert alpha["operator"] == "Op Alpha" and alpha["clusters"] == ["R-000", "R-001", "R-002", "R-003"]
    assert clusters.groupby("campaign_id")["exchanges"].sum()[alpha["campaign_id"]] == alpha["exchanges"]
    for name in ("report.md", "report.html", STIX_FILE, "report_files/ring_sizes.png"):
        assert (out / name).stat().st_size > 0


def test_report_html_is_self_contained(tmp_path: Path) -> None:
    write_report(small_findings(), tmp_path)
    html = (tmp_path / "report.html").read_text()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html, flags=re.I)
    assert refs and not [r for r in refs if not (r.startswith("data:") or r.startswith("#"))]
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, flags=re.I)
    assert "<script" not in html and "@import" not in html and "url(" not in html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 3
    for b64 in images:
        png = base64.b64decode(b64)
        assert png.startswith(PNG_MAGIC) and len(png) > 2000
    # anchors point at sections that exist
    for target in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{target}"' in html
    # the source URL of an indicator is shown as text, never as a link
    assert "https://intel.example/feed" in html


def test_report_shows_campaign_facts() -> None:
    f = small_findings()
    md, html, pictures = render_report(f)
    alpha = next(c for c in f.campaigns if c["operator"])
    for text in (alpha["campaign_id"], "Op Alpha", alpha["first_seen"], alpha["last_seen"],
                 "agentic_reasoning", "tpl-A", "AS16509 AMAZON-02", "411111"):
        assert text in md and text in html
    assert f"{alpha['exchanges']:,}" in md and f"{alpha['exchanges']:,}" in html
    assert "report_files/exchanges_over_time.png" in md
    assert set(pictures) == {"exchanges_over_time.png", "capability_mix.png", "ring_sizes.png"}
    assert "Changes since the last run" not in md        # no history → no section
    # each indicator's row says whether the match is weak: the ASN yes, the template no
    rows = [ln for ln in md.splitlines() if ln.startswith("| Cloud Gang |") or ln.startswith("| Op Alpha |")]
    assert any("| 16509 |" in ln and ln.rstrip().endswith("| yes |") for ln in rows), rows
    assert any("| tpl-A |" in ln and ln.rstrip().endswith("| no |") for ln in rows), rows


def test_changes_section_renders_whatever_history_reports() -> None:
    changes = {
        "run_id": "r2", "previous_run_id": "r1", "first_run": False,
        "counts": {"new_clusters": 1, "newly_flagged": 25, "no_longer_flagged": 3, "new_exchanges": 1234},
        "new_clusters": ["R-009"],
        "grown_clusters": [{"cluster_id": "R-001", "before": 20, "after": 25}],
        "newly_flagged": [f"acct-{i}" for i in range(25)],
        "campaign_exchanges": [{"campaign_id": "C-000", "before": 10, "after": 30, "new_exchanges": 20}],
        "something_new": {"nested": {"deep": 1}},
    }
    md, html, _ = render_report(small_findings(changes))
    for doc in (md, html):
        assert "Changes since the last run" in doc and "r1" in doc
        assert "R-009" in doc and "1,234" in doc and "new exchanges" in doc.lower()
        assert "acct-19" in doc and "acct-20" not in doc and "5 more" in doc
        assert "deep" in doc
    assert "<td>R-001</td><td>20</td><td>25</td>" in html


def test_report_renders_an_empty_run(tmp_path: Path) -> None:
    f = small_findings()
    empty = Findings(run={"run_id": "x"}, suspensions=f.suspensions.iloc[:0], members=f.members.iloc[:0],
                     clusters=f.clusters.iloc[:0], campaigns=[])
    write_report(empty, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and "0</div><div class=\"k\">campaigns" in html


def test_report_from_an_output_directory(tmp_path: Path) -> None:
    out = write_outputs(small_findings(), tmp_path / "out")
    again = tmp_path / "again"
    again.mkdir()
    write_report(read_findings(out), again)
    html = (again / "report.html").read_text()
    assert "Op Alpha" in html and html.count("data:image/png;base64,") == 3
