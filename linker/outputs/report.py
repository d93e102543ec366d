"""The campaign attribution report: report.md (pictures beside it in report_files/) and a
self-contained report.html (pictures inlined as base64 PNG, CSS inline, no scripts, fonts or
links to the network) so that it opens anywhere, offline, and can be attached to a ticket.

Pictures are drawn with matplotlib's object API on the Agg canvas (no pyplot global state,
no display needed). Everything shown comes from Findings, so `linker export` can re-render a
report from an output directory without the original data.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from linker.model import Findings
from linker.settings import recorded

FIG_DIR = "report_files"


# ---- pictures ------------------------------------------------------------------------------


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _figure(width: float = 8.0, height: float = 3.6) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_xticks([])
    ax.set_yticks([])


def _label(c: dict[str, Any]) -> str:
    op = c.get("operator")
    return f"{c.get('campaign_id')} ({op})" if op else str(c.get("campaign_id"))


def campaign_daily(findings: Findings) -> pd.DataFrame:
    """campaign_id, day, exchanges: daily exchanges per campaign from the ring members'
    activity."""
    act, mem = findings.activity, findings.members
    if act is None or act.empty or mem.empty or "day" not in act.columns:
        return pd.DataFrame({"campaign_id": pd.Series(dtype="string"),
                             "day": pd.Series(dtype="datetime64[ns, UTC]"),
                             "exchanges": pd.Series(dtype="int64")})
    m = act.merge(mem[["account_id", "campaign_id"]].astype({"account_id": "string"}),
                  on="account_id")
    m["day"] = pd.to_datetime(m["day"], utc=True)
    return m.groupby(["campaign_id", "day"], as_index=False, observed=True)["exchanges"].sum()


def chart_timeline(findings: Findings, campaigns: list[dict[str, Any]], top: int = 8) -> bytes:
    """Exchanges per day for the largest campaigns."""
    fig, ax = _figure()
    daily = campaign_daily(findings)
    shown = [c for c in campaigns[:top] if c.get("campaign_id") is not None]
    drawn = 0
    for c in shown:
        d = daily[daily["campaign_id"] == c["campaign_id"]].sort_values("day")
        if d.empty:
            continue
        ax.plot(d["day"].dt.tz_localize(None), d["exchanges"], marker="o", ms=2.5, lw=1.4,
                label=_label(c))
        drawn += 1
    if drawn:
        import matplotlib.dates as mdates

        days = daily["day"].dt.tz_localize(None)
        if days.nunique() < 3:  # a lone point needs room around it to read as a day
            ax.set_xlim(days.min() - pd.Timedelta("2D"), days.max() + pd.Timedelta("2D"))
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_ylim(bottom=0)
        ax.set_ylabel("exchanges per day")
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title("Exchanges over time (largest campaigns)", fontsize=10)
    else:
        _empty(ax, "no request activity among flagged accounts")
    return _png(fig)


def chart_capabilities(campaigns: list[dict[str, Any]], top: int = 8) -> bytes:
    """Capability mix (share of exchanges) per campaign as stacked bars."""
    shown = [c for c in campaigns[:top * 2] if c.get("capabilities")]
    fig, ax = _figure(8.0, max(2.4, 0.38 * len(shown) + 1.2))
    if not shown:
        _empty(ax, "no capability data")
        return _png(fig)
    caps = sorted({k for c in shown for k in c["capabilities"]},
                  key=lambda k: -sum(c["capabilities"].get(k, 0) for c in shown))
    y = np.arange(len(shown))
    left = np.zeros(len(shown))
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    for i, cap in enumerate(caps):
        share = np.array([c["capabilities"].get(cap, 0.0) for c in shown])
        ax.barh(y, share, left=left, color=cmap(i % 10), label=cap)
        left += share
    ax.set_yticks(y, [_label(c) for c in shown], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of exchanges")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Capability mix per campaign", fontsize=10)
    return _png(fig)


def chart_ring_sizes(clusters: pd.DataFrame) -> bytes:
    """Distribution of ring (cluster) sizes."""
    fig, ax = _figure(8.0, 3.0)
    sizes = pd.to_numeric(clusters.get("size", pd.Series(dtype=float)), errors="coerce").dropna()
    if sizes.empty:
        _empty(ax, "no rings")
        return _png(fig)
    from matplotlib.ticker import MaxNLocator

    lo, hi = max(1.0, float(sizes.min())), float(sizes.max())
    if hi - lo < 40:  # few distinct sizes: one bar per size
        vc = sizes.astype(int).value_counts().sort_index()
        ax.bar(vc.index, vc.to_numpy(), width=0.8, color="#4c72b0")
        ax.set_xlim(lo - 1.5, hi + 1.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    else:
        if hi / lo > 30:
            ax.set_xscale("log")
            bins: Any = np.geomspace(lo, hi + 1, 25)
        else:
            bins = 30
        ax.hist(sizes, bins=bins, color="#4c72b0", edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("accounts per ring")
    ax.set_ylabel("rings")
    ax.set_title(f"Ring sizes ({len(sizes)} rings)", fontsize=10)
    return _png(fig)


# ---- context ---------------------------------------------------------------------------------


def _fmt_num(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.3g}" if abs(v) < 1000 else f"{float(v):,.0f}"
    return str(v)


def _flatten_changes(changes: dict[str, Any], limit: int = 20) -> list[dict[str, Any]]:
    """Turn whatever the history stage reports into renderable blocks, without knowing its
    keys: scalars → facts, dict of scalars → key/value table, list of dicts → table, list of
    scalars → a short list. Long lists are cut to limit with a count of the rest."""
    facts: list[tuple[str, str]] = []
    blocks: list[dict[str, Any]] = []
    for key, val in changes.items():
        title = str(key).replace("_", " ")
        if isinstance(val, dict):
            if not val:
                continue
            if all(not isinstance(v, (dict, list)) for v in val.values()):
                blocks.append({"title": title, "kind": "kv",
                               "rows": [(str(k).replace("_", " "), _fmt_num(v)) for k, v in val.items()]})
            else:
                blocks.append({"title": title, "kind": "text",
                               "text": json.dumps(val, default=str)[:2000]})
        elif isinstance(val, list):
            if not val:
                continue
            more = max(0, len(val) - limit)
            head = val[:limit]
            if all(isinstance(v, dict) for v in head):
                cols = list(dict.fromkeys(k for v in head for k in v))
                rows = [[_fmt_cell(v.get(c)) for c in cols] for v in head]
                blocks.append({"title": title, "kind": "table", "columns": cols, "rows": rows,
                               "more": more, "total": len(val)})
            else:
                blocks.append({"title": title, "kind": "list", "entries": [_fmt_cell(v) for v in head],
                               "more": more, "total": len(val)})
        else:
            facts.append((title, _fmt_num(val)))
    if facts:
        blocks.insert(0, {"title": "", "kind": "kv", "rows": facts})
    return blocks


def _fmt_cell(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt_cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, default=str)
    return _fmt_num(v)


def _campaign_view(c: dict[str, Any]) -> dict[str, Any]:
    caps = sorted((c.get("capabilities") or {}).items(), key=lambda kv: -kv[1])
    infra = c.get("infrastructure") or {}
    return {
        "id": str(c.get("campaign_id")),
        "anchor": "campaign-" + "".join(ch if ch.isalnum() or ch in "-_" else "-"
                                        for ch in str(c.get("campaign_id"))),
        "operator": c.get("operator"),
        "confidence": c.get("confidence") or 0.0,
        "accounts": int(c.get("accounts") or 0),
        "clusters": list(c.get("clusters") or []),
        "exchanges": int(c.get("exchanges") or 0),
        "first_seen": c.get("first_seen") or "",
        "last_seen": c.get("last_seen") or "",
        "capabilities": [(k, float(v)) for k, v in caps],
        "top_capability": caps[0][0] if caps else "",
        "infrastructure": [
            (title, [{"value": (f"AS{e['asn']}" + (f" {e['org']}" if e.get("org") else ""))
                      if "asn" in e else str(e.get("value")),
                      "accounts": int(e.get("accounts") or 0), "outside": e.get("outside")}
                     for e in infra.get(key) or []])
            for key, title in (("asns", "ASNs"), ("card_bins", "Card BINs"),
                               ("email_domains", "E-mail domains"),
                               ("prompt_fingerprints", "Prompt templates"))
        ],
        "evidence": list(c.get("evidence") or []),
        "campaign_confidence": float(c.get("campaign_confidence") or 0.0),
        "basis": _basis_text(c.get("basis") or {}),
        "indicators": list(c.get("indicators") or []),
    }


def _basis_text(b: dict[str, Any]) -> str:
    """Why the rings are a campaign, in one line."""
    if not b:
        return ""
    parts = [f"{int(b.get('suspended') or 0)} account(s) suspended",
             f"{int(b.get('reviewed_with_patterns') or 0)} reviewed with operator patterns"]
    if int(b.get("reviewed_in_organisation") or 0):
        parts.append(f"{int(b['reviewed_in_organisation'])} reviewed inside organisations "
                     "on the same patterns")
    pats = ", ".join(f"{k} {v}" for k, v in (b.get("patterns") or {}).items())
    left = int(b.get("left_in_review") or 0)
    tail = f"; {left} ring member(s) without operator evidence left in review only" if left else ""
    return "; ".join(parts) + (f" ({pats})" if pats else "") + tail


def report_context(findings: Findings) -> dict[str, Any]:
    """Everything the templates show, already ordered and formatted."""
    lim = recorded(findings.run, "outputs")
    campaigns = sorted(findings.campaigns,
                       key=lambda c: (-(c.get("exchanges") or 0), -(c.get("accounts") or 0),
                                      str(c.get("campaign_id"))))
    run = findings.run or {}
    counts = run.get("counts") or {}
    attributed = sum(1 for c in campaigns if c.get("operator"))
    views = [_campaign_view(c) for c in campaigns]
    return {
        "run": run,
        "run_id": run.get("run_id", ""),
        "started_at": run.get("started_at", ""),
        "version": (run.get("software") or {}).get("version", ""),
        "counts": [(str(k).replace("_", " "), _fmt_num(v)) for k, v in counts.items()],
        "parameters": json.dumps(run.get("settings") or run.get("parameters") or {}, indent=2,
                                 default=str, sort_keys=True),
        "timings": [(k, f"{float(v):.2f} s") for k, v in (run.get("timings") or {}).items()
                    if isinstance(v, (int, float))],
        "n_campaigns": len(campaigns),
        "n_attributed": attributed,
        "n_clusters": int(len(findings.clusters)),
        "n_flagged": int(len(findings.suspensions)),
        "table": views[:lim.top_table],
        "table_more": max(0, len(views) - lim.top_table),
        "sections": views[:lim.top_sections],
        "sections_more": max(0, len(views) - lim.top_sections),
        "changes": _flatten_changes(findings.changes, lim.list_limit) if findings.changes else None,
        "previous_run_id": (findings.changes or {}).get("previous_run_id") or run.get("previous_run_id"),
        "feedback": _feedback_line(run.get("feedback") or {}),
    }


def _feedback_line(stats: dict[str, Any]) -> str:
    """What the review verdicts did in this run, in one sentence ("" when none applied)."""
    from linker.feedback.apply import describe

    if not stats or not (stats.get("verdicts_applied") or stats.get("below_model_probability")):
        return ""
    line = "Review verdicts: " + describe(stats)
    if stats.get("below_model_probability"):
        line += (f"; {stats['below_model_probability']:,} account(s) left the review queue "
                 "below the calibrated probability")
    return line + "."


def _env() -> Environment:
    env = Environment(loader=PackageLoader("linker.outputs", "templates"),
                      autoescape=select_autoescape(["html", "html.j2"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _fmt_num
    env.filters["pct"] = lambda v: f"{100 * float(v or 0):.1f}%"
    env.filters["conf"] = lambda v: f"{float(v or 0):.2f}"
    env.filters["md"] = md_text
    return env


_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def md_text(value: Any) -> str:
    """Data as inert Markdown text: HTML-escaped (`<script>`, `<img onerror>` from operator
    names, ids or indicator values show as text, never as HTML, in any Markdown viewer), and
    Markdown syntax (links, images, emphasis, code spans, table pipes) backslash-escaped, on
    one line."""
    text = html.escape(str(value if value is not None else ""), quote=True)
    text = " ".join(text.splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_report(findings: Findings) -> tuple[str, str, dict[str, bytes]]:
    """(markdown, html, pictures): the report as text, pure apart from rendering."""
    ctx = report_context(findings)
    lim = recorded(findings.run, "outputs")
    ordered = sorted(findings.campaigns, key=lambda c: (-(c.get("exchanges") or 0),
                                                         str(c.get("campaign_id"))))
    pictures = {
        "exchanges_over_time.png": chart_timeline(findings, ordered, lim.top_chart),
        "capability_mix.png": chart_capabilities(ordered, lim.top_chart),
        "ring_sizes.png": chart_ring_sizes(findings.clusters),
    }
    figs = [
        ("Exchanges over time", "exchanges_over_time.png"),
        ("Capability mix per campaign", "capability_mix.png"),
        ("Ring-size distribution", "ring_sizes.png"),
    ]
    env = _env()
    md = env.get_template("report.md.j2").render(
        **ctx, figures=[(t, f"{FIG_DIR}/{name}") for t, name in figs])
    html = env.get_template("report.html.j2").render(
        **ctx, figures=[(t, "data:image/png;base64," + base64.b64encode(pictures[name]).decode())
                        for t, name in figs])
    return md, html, pictures


def write_report(findings: Findings, target_dir: Path) -> None:
    """Writer for export.write_outputs: report.md, report_files/*.png and report.html."""
    target_dir = Path(target_dir)
    md, html, pictures = render_report(findings)
    figs = target_dir / FIG_DIR
    figs.mkdir(parents=True, exist_ok=True)
    for name, data in pictures.items():
        (figs / name).write_bytes(data)
    (target_dir / "report.md").write_text(md, encoding="utf-8")
    (target_dir / "report.html").write_text(html, encoding="utf-8")
