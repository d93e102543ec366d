"""Pictures for review packets: the ring as accounts and the identifiers that tie them, and a
timeline of sign-ups and daily activity.

A ring can hold 25,000 accounts; drawing them all gives an unreadable hairball and a slow
page. So the picture is a bounded sample: the top identifiers of the ring (by how many
members share them, weighted by rarity) and a deterministic sample of accounts, preferring
accounts that touch those identifiers. Selection (`sample_ring_graph`) is pure and
testable; drawing (`ring_svg`, `timeline_svg`) writes inline SVG by hand: a few
milliseconds per ring instead of half a second with matplotlib, crisp at any zoom, with
hover titles, and nothing for a browser to fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import networkx as nx
import numpy as np
import pandas as pd

# Broad identifiers describe a ring's infrastructure (its ASN, its e-mail provider, its
# /24) rather than tie its accounts together.
CONTEXT_KINDS = frozenset({"email_domain", "asn", "subnet"})
ACTION_COLOURS = {"suspend": "#c0392b", "review": "#e67e22"}
KIND_COLOUR = "#2c6fbb"
LINK_COLOUR = "#9aa5b1"


@dataclass
class RingGraph:
    """The sampled picture graph and what it leaves out (said on the page)."""

    graph: nx.Graph
    total_accounts: int
    shown_accounts: int
    total_identifiers: int
    shown_identifiers: int


def sample_ring_graph(
    members: pd.DataFrame,
    evidence: pd.DataFrame,
    identifiers: pd.DataFrame,
    links: pd.DataFrame,
    *,
    max_accounts: int = 150,
    max_identifiers: int = 15,
    seed: int = 0,
) -> RingGraph:
    """Bounded account × identifier graph of one ring.

    members: account_id, action. evidence: account_id, kind, value (ring members only).
    identifiers: kind, value, label, in_ring, weight (shared identifiers of the ring, ranked
    by the caller's `weight`). links: a, b, weight (links inside the ring).
    """
    # Variety first: the best identifier of each kind, then the second of each kind, ... so
    # that a proxy pool of 40 IPs does not hide the ring's cards and devices. Broad
    # infrastructure (domain, ASN, /24) comes last.
    ids = identifiers.sort_values(["weight", "in_ring"], ascending=False, kind="stable")
    ids = ids.assign(_rank=ids.groupby("kind", sort=False).cumcount(),
                     _context=ids["kind"].isin(CONTEXT_KINDS))
    ids = ids.sort_values(["_context", "_rank", "weight"], ascending=[True, True, False], kind="stable")
    ids = ids.head(max_identifiers).reset_index(drop=True)
    ids = ids.assign(node=["i:" + str(i) for i in range(len(ids))])
    ev = evidence[["account_id", "kind", "value"]].merge(
        ids[["kind", "value", "node"]], on=["kind", "value"], how="inner"
    )
    accounts = members["account_id"].astype(str)
    if len(accounts) <= max_accounts:
        chosen = accounts.to_numpy()
    else:
        # Accounts that touch a shown identifier first (they make the ties visible), then a
        # random fill; the seed keeps the picture stable between renders.
        rng = np.random.default_rng(seed)
        touching = np.asarray(ev["account_id"].astype(str).unique(), dtype=object)
        rng.shuffle(touching)
        take = touching[: max_accounts * 4 // 5]
        rest = np.setdiff1d(accounts.to_numpy(dtype=object), take)
        rng.shuffle(rest)
        chosen = np.concatenate([take, rest[: max_accounts - len(take)]])
    chosen_set = pd.Index(chosen)
    actions = members.assign(account_id=accounts).set_index("account_id")["action"]

    g = nx.Graph()
    for acc in chosen:
        g.add_node(str(acc), kind="account", action=str(actions.get(acc, "review")))
    for row in ids.itertuples(index=False):  # at most max_identifiers rows
        g.add_node(row.node, kind="identifier", label=str(row.label), in_ring=int(row.in_ring))
    ev = ev[ev["account_id"].astype(str).isin(chosen_set)]
    g.add_edges_from(zip(ev["account_id"].astype(str), ev["node"], strict=True), kind="uses")
    if len(links):
        lk = links[links["a"].astype(str).isin(chosen_set) & links["b"].astype(str).isin(chosen_set)]
        lk = lk.nlargest(min(len(lk), 2 * len(chosen)), "weight")  # a hint of the mesh, not a hairball
        g.add_edges_from(zip(lk["a"].astype(str), lk["b"].astype(str), strict=True), kind="link")
    return RingGraph(g, len(accounts), len(chosen), len(identifiers), len(ids))


def _layout(g: nx.Graph, seed: int) -> dict[str, np.ndarray]:
    """Spring layout that keeps the pieces of a sampled ring together: a hidden hub tied
    weakly to every node (gravity) stops the layout from pushing them to the corners."""
    h = nx.Graph()
    h.add_nodes_from(g.nodes)
    h.add_edges_from(g.edges, weight=1.0)
    hub = "\0hub"
    if nx.number_connected_components(g) > 1:  # gravity towards the centre for every node
        h.add_edges_from(((hub, n) for n in g.nodes), weight=0.05)
    k = 1.2 / np.sqrt(max(h.number_of_nodes(), 1))
    pos = nx.spring_layout(h, seed=seed, k=k, iterations=80, weight="weight")
    pos.pop(hub, None)
    return pos


def _f(v: float) -> str:
    return f"{v:.1f}"


def ring_svg(
    rg: RingGraph, *, seed: int = 0, width: int = 900, height: int = 600, max_labels: int = 10
) -> str:
    """The sampled ring as inline SVG: red/orange dots are accounts (suspend/review), blue
    squares the shared identifiers (size = ring members sharing it), grey lines the links
    between accounts, blue lines account → identifier. Hover shows ids and labels."""
    g = rg.graph
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ring-pic" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="ring picture" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>']
    if g.number_of_nodes() == 0:
        out.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle">no accounts</text></svg>')
        return "".join(out)
    pos = _layout(g, seed)
    nodes = list(g.nodes)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    margin = 40.0
    xy = margin + (xy - lo) / span * (np.array([width, height]) - 2 * margin)
    at = {n: (xy[i, 0], xy[i, 1]) for i, n in enumerate(nodes)}

    def path(edges: list[tuple[str, str]]) -> str:
        return "".join(f"M{_f(at[u][0])} {_f(at[u][1])}L{_f(at[v][0])} {_f(at[v][1])}" for u, v in edges)

    links = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "link"]
    uses = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "uses"]
    if links:
        out.append(f'<path d="{path(links)}" stroke="{LINK_COLOUR}" stroke-width="0.7" stroke-opacity="0.6" fill="none"/>')
    if uses:
        out.append(f'<path d="{path(uses)}" stroke="{KIND_COLOUR}" stroke-width="0.7" stroke-opacity="0.35" fill="none"/>')
    accounts = [n for n in nodes if g.nodes[n]["kind"] == "account"]
    idents = [n for n in nodes if g.nodes[n]["kind"] == "identifier"]
    r = 3.0 if len(accounts) > 60 else 4.5
    rects: list[str] = []
    labels: list[str] = []
    if idents:
        counts = np.array([g.nodes[n]["in_ring"] for n in idents], dtype=float)
        sides = 7 + 17 * np.sqrt(counts / max(counts.max(), 1.0))
        for i, (n, side) in enumerate(zip(idents, sides, strict=True)):
            x, y, label = at[n][0], at[n][1], escape(g.nodes[n]["label"])
            rects.append(f'<rect x="{_f(x - side / 2)}" y="{_f(y - side / 2)}" width="{_f(side)}" '
                         f'height="{_f(side)}" fill="{KIND_COLOUR}" fill-opacity="0.85"><title>{label}: '
                         f'{g.nodes[n]["in_ring"]:,} ring members</title></rect>')
            if i < max_labels:
                anchor = "end" if x > width * 0.8 else "start"
                dx = -side / 2 - 3 if anchor == "end" else side / 2 + 3
                labels.append(f'<text x="{_f(x + dx)}" y="{_f(y + 4)}" font-size="11" text-anchor="{anchor}" '
                              f'paint-order="stroke" stroke="#fff" stroke-width="3">{label}</text>')
    # identifiers under accounts (a dot on a square stays visible), labels on top
    out.extend(rects)
    for n in accounts:
        action = g.nodes[n]["action"]
        out.append(f'<circle cx="{_f(at[n][0])}" cy="{_f(at[n][1])}" r="{r}" '
                   f'fill="{ACTION_COLOURS.get(action, "#7f8c8d")}" stroke="#fff" stroke-width="0.8">'
                   f'<title>{escape(str(n))} ({escape(action)})</title></circle>')
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)


def _bucket(span: pd.Timedelta) -> tuple[str, str]:
    """Bucket width for a sign-up histogram: a burst of an hour needs minutes, a year days."""
    for limit, freq, name in ((pd.Timedelta(hours=3), "5min", "5 minutes"),
                              (pd.Timedelta(days=3), "h", "hour"),
                              (pd.Timedelta(days=400), "D", "day")):
        if span <= limit:
            return freq, name
    return "7D", "week"


def _histogram(times: pd.Series, freq: str, min_buckets: int = 12) -> pd.Series:
    """Counts per bucket over a gap-free range of at least `min_buckets` buckets (so a
    one-bucket burst is a narrow bar, not the whole chart)."""
    floored = times.dt.tz_convert(None).dt.floor(freq)
    counts = floored.value_counts()
    start = counts.index.min()
    end = max(counts.index.max(), start + (min_buckets - 1) * pd.Timedelta(pd.tseries.frequencies.to_offset(freq)))
    return counts.reindex(pd.date_range(start, end, freq=freq), fill_value=0)


def _bars(
    x0: float, y0: float, w: float, h: float, labels: list[str], values: np.ndarray, colour: str,
    title: str, unit: str,
) -> list[str]:
    """One bar panel: bars with hover titles, a max gridline and up to 8 x labels."""
    out = [f'<text x="{_f(x0)}" y="{_f(y0 - 8)}" font-size="12" font-weight="600">{escape(title)}</text>',
           f'<line x1="{_f(x0)}" y1="{_f(y0 + h)}" x2="{_f(x0 + w)}" y2="{_f(y0 + h)}" stroke="#9aa5b1"/>']
    if len(values) == 0:
        out.append(f'<text x="{_f(x0 + w / 2)}" y="{_f(y0 + h / 2)}" text-anchor="middle" fill="#616e7c">none</text>')
        return out
    top = float(values.max()) or 1.0
    step = w / len(values)
    bw = max(step * 0.85, 0.8)
    out.append(f'<line x1="{_f(x0)}" y1="{_f(y0)}" x2="{_f(x0 + w)}" y2="{_f(y0)}" stroke="#e4e7eb"/>'
               f'<text x="{_f(x0 - 4)}" y="{_f(y0 + 4)}" font-size="10" text-anchor="end">{top:,.0f}</text>'
               f'<text x="{_f(x0 - 4)}" y="{_f(y0 + h + 4)}" font-size="10" text-anchor="end">0</text>')
    heights = values / top * h
    out.extend(
        f'<rect x="{_f(x0 + i * step)}" y="{_f(y0 + h - bh)}" width="{_f(bw)}" height="{_f(bh)}" '
        f'fill="{colour}"><title>{escape(lbl)}: {v:,.0f} {unit}</title></rect>'
        for i, (lbl, v, bh) in enumerate(zip(labels, values, heights, strict=True))
    )
    ticks = np.unique(np.linspace(0, len(values) - 1, min(8, len(values))).round().astype(int))
    out.extend(
        f'<text x="{_f(x0 + (i + 0.5) * step)}" y="{_f(y0 + h + 14)}" font-size="10" '
        f'text-anchor="middle">{escape(labels[i])}</text>' for i in ticks
    )
    return out


def timeline_svg(created_at: pd.Series, daily: pd.DataFrame, *, width: int = 900) -> str:
    """Sign-ups per hour (bursts), day or week on top; the ring's exchanges per day below,
    with the number of active accounts as a line. daily: day, exchanges, accounts."""
    height, left, pw = 330, 60.0, width - 110.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="timeline" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>']
    created = pd.to_datetime(created_at, utc=True, errors="coerce").dropna()
    if len(created):
        freq, name = _bucket(created.max() - created.min())
        per = _histogram(created, freq)
        fmt = {"5min": "%m-%d %H:%M", "h": "%m-%d %H:00"}.get(freq, "%Y-%m-%d")
        labels = [t.strftime(fmt) for t in per.index]
        values = per.to_numpy(dtype=float)
    else:
        name, labels, values = "day", [], np.array([])
    out += _bars(left, 30, pw, 100, labels, values, "#8e44ad", f"sign-ups per {name} (UTC)", "sign-ups")
    if len(daily):
        per_day = daily.set_index("day")[["exchanges", "accounts"]].sort_index()
        per_day = per_day.reindex(pd.date_range(per_day.index.min(), per_day.index.max(), freq="D"),
                                  fill_value=0)
        labels = [d.strftime("%Y-%m-%d") for d in per_day.index]
        values = per_day["exchanges"].to_numpy(dtype=float)
        active = per_day["accounts"].to_numpy(dtype=float)
    else:
        labels, values, active = [], np.array([]), np.array([])
    y0, h = 190.0, 100.0
    out += _bars(left, y0, pw, h, labels, values, "#16a085",
                 "exchanges per day (bars) and active accounts (line)", "exchanges")
    if len(active):
        step = pw / len(active)
        top = max(float(active.max()), 1.0)
        pts = " ".join(f"{_f(left + (i + 0.5) * step)},{_f(y0 + h - a / top * h)}" for i, a in enumerate(active))
        out.append(f'<polyline points="{pts}" fill="none" stroke="#2c3e50" stroke-width="1.5"/>'
                   f'<text x="{_f(left + pw + 4)}" y="{_f(y0 + 4)}" font-size="10">{top:,.0f} acc.</text>')
    out.append("</svg>")
    return "".join(out)
