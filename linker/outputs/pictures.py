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

from linker import kinds

# Broad identifiers describe a ring's infrastructure (its ASN, its e-mail provider, its
# /24) rather than tie its accounts together.
CONTEXT_KINDS = kinds.context_kinds()
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
    # Plain numpy on small arrays: this runs once per ring, and thousands of rings make
    # per-call pandas overhead (merge, groupby) the main cost of a packet.
    kind = identifiers["kind"].astype(str).to_numpy(dtype=object)
    value = identifiers["value"].astype(str).to_numpy(dtype=object)
    weight = identifiers["weight"].to_numpy(dtype=float)
    in_ring = identifiers["in_ring"].to_numpy(dtype=np.int64)
    # Variety first: the best identifier of each kind, then the second of each kind, ... so
    # that a proxy pool of 40 IPs does not hide the ring's cards and devices. Broad
    # infrastructure (domain, ASN, /24) comes last.
    by_weight = np.lexsort((-in_ring, -weight))
    codes = pd.factorize(kind[by_weight])[0]
    rank = np.empty(len(codes), dtype=np.int64)
    grouped = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[grouped], codes[grouped], side="left")
    rank[grouped] = np.arange(len(codes)) - starts
    context = np.isin(kind[by_weight], list(CONTEXT_KINDS))
    top = by_weight[np.lexsort((-weight[by_weight], rank, context))][:max_identifiers]
    labels = identifiers["label"].to_numpy(dtype=object)[top]
    keys = kind[top] + "\x00" + value[top]

    ev_acc = evidence["account_id"].astype(str).to_numpy(dtype=object)
    ev_key = (evidence["kind"].astype(str).to_numpy(dtype=object) + "\x00"
              + evidence["value"].astype(str).to_numpy(dtype=object))
    hit = _isin(ev_key, keys) if len(keys) else np.zeros(len(ev_acc), dtype=bool)
    ev_acc, ev_node = ev_acc[hit], np.searchsorted(np.sort(keys), ev_key[hit])
    node_of_sorted = np.argsort(keys)  # position in sorted keys -> index in `top`
    ev_node = node_of_sorted[ev_node] if len(ev_node) else ev_node

    accounts = members["account_id"].astype(str).to_numpy(dtype=object)
    actions = members["action"].to_numpy(dtype=object)
    if len(accounts) <= max_accounts:
        chosen = accounts
    else:
        # Accounts that touch a shown identifier first (they make the ties visible), then a
        # random fill; the seed keeps the picture stable between renders.
        rng = np.random.default_rng(seed)
        touching = pd.unique(ev_acc)
        rng.shuffle(touching)
        take = touching[: max_accounts * 4 // 5]
        rest = accounts[~_isin(accounts, take)]
        rest = rest[rng.permutation(len(rest))]
        chosen = np.concatenate([take, rest[: max_accounts - len(take)]])
    action_of = dict(zip(chosen, actions[pd.Index(accounts).get_indexer(chosen)], strict=True))

    g = nx.Graph()
    g.add_nodes_from((str(a), {"kind": "account", "action": str(action_of.get(a, "review"))}) for a in chosen)
    g.add_nodes_from((f"i:{i}", {"kind": "identifier", "label": str(labels[i]), "in_ring": int(in_ring[t])})
                     for i, t in enumerate(top))
    keep = _isin(ev_acc, chosen)
    g.add_edges_from(((str(a), f"i:{n}") for a, n in zip(ev_acc[keep], ev_node[keep], strict=True)), kind="uses")
    if len(links):
        la, lb = links["a"].to_numpy(dtype=object), links["b"].to_numpy(dtype=object)
        inside = _isin(la, chosen) & _isin(lb, chosen)
        lw = links["weight"].to_numpy(dtype=float)[inside]
        n = min(int(inside.sum()), 2 * len(chosen))  # a hint of the mesh, not a hairball
        best = np.argsort(-lw, kind="stable")[:n]
        g.add_edges_from(zip(la[inside][best].astype(str), lb[inside][best].astype(str), strict=True), kind="link")
    return RingGraph(g, len(accounts), len(chosen), len(identifiers), len(top))


def _isin(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """`np.isin` for object (string) arrays by hashing: numpy sorts Python objects, seconds
    for the evidence of a 25,000-account ring."""
    return pd.Index(wanted).unique().get_indexer(values) >= 0 if len(wanted) else \
        np.zeros(len(values), dtype=bool)


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
    pos = nx.spring_layout(h, seed=seed, k=k, iterations=50, weight="weight")
    pos.pop(hub, None)
    return pos


def core_and_edge(g: nx.Graph, pos: dict[str, np.ndarray], split: float = 0.55
                  ) -> dict[str, np.ndarray]:
    """Radial re-placement that shows a ring's strong core and its edge: suspended accounts
    (the core) inside radius `split`, accounts to review on an outer band, identifiers in
    between; each node keeps its angle and its rank of distance from the centre, so the
    spring layout's neighbourhoods survive. Rings that are all core or all edge keep the
    spring layout."""
    accounts = [n for n in g.nodes if g.nodes[n]["kind"] == "account"]
    core = [n for n in accounts if g.nodes[n]["action"] == "suspend"]
    edge = [n for n in accounts if g.nodes[n]["action"] != "suspend"]
    if not core or not edge:
        return pos
    centre = np.mean([pos[n] for n in core], axis=0)
    idents = [n for n in g.nodes if g.nodes[n]["kind"] == "identifier"]
    out: dict[str, np.ndarray] = {}
    for group, lo, hi in ((core, 0.0, split * 0.9), (idents, split * 0.35, split * 1.05),
                          (edge, split * 1.15, 1.0)):
        if not group:
            continue
        d = np.array([pos[n] - centre for n in group], dtype=float)
        angle = np.arctan2(d[:, 1], d[:, 0])
        rank = np.argsort(np.argsort(np.hypot(d[:, 0], d[:, 1]), kind="stable"), kind="stable")
        radius = lo + (hi - lo) * np.sqrt((rank + 1) / len(group))
        for n, a, r in zip(group, angle, radius, strict=True):
            out[n] = np.array([r * np.cos(a), r * np.sin(a)])
    return out


def _f(v: float) -> str:
    return f"{v:.1f}"


def ring_svg(
    rg: RingGraph, *, seed: int = 0, width: int = 900, height: int = 600, max_labels: int = 10
) -> str:
    """The sampled ring as inline SVG: red/orange dots are accounts (suspend/review), blue
    squares the shared identifiers (size = ring members sharing it), grey lines the links
    between accounts, blue lines account → identifier. Hover shows ids and labels; a click
    on a dot names it and finds its row (review.js). When a ring has both, suspended
    accounts (its strong core) are drawn inside a disc and accounts to review around it."""
    g = rg.graph
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ring-pic" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="ring picture" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>']
    if g.number_of_nodes() == 0:
        out.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle">no accounts</text></svg>')
        return "".join(out)
    spring = _layout(g, seed)
    pos = core_and_edge(g, spring)
    radial = pos is not spring
    nodes = list(g.nodes)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    if radial:  # same scale on both axes, so the core stays a disc
        lo, hi = np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    else:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    margin = 40.0
    box = np.array([width, height]) - 2 * margin
    if radial:
        box = np.array([min(box), min(box)])
    offset = (np.array([width, height]) - box) / 2
    xy = offset + (xy - lo) / span * box
    at = {n: (xy[i, 0], xy[i, 1]) for i, n in enumerate(nodes)}

    def path(edges: list[tuple[str, str]]) -> str:
        return "".join(f"M{_f(at[u][0])} {_f(at[u][1])}L{_f(at[v][0])} {_f(at[v][1])}" for u, v in edges)

    links = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "link"]
    uses = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "uses"]
    if radial:
        cx, cy, rr = width / 2, height / 2, 0.55 * box[0] / 2 * 1.1
        out.append(f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(rr)}" fill="#fdf2f1" '
                   f'stroke="#e8b4ae" stroke-dasharray="4 3"/>'
                   f'<text x="{_f(cx)}" y="{_f(cy - rr - 6)}" font-size="11" text-anchor="middle" '
                   f'fill="#8a3b32">strong core (suspended)</text>'
                   f'<text x="12" y="{height - 12}" font-size="11" fill="#9a5b16">'
                   f'outer band: edge (accounts to review)</text>')
    if links:
        out.append(f'<path d="{path(links)}" stroke="{LINK_COLOUR}" stroke-width="0.7" stroke-opacity="0.6" fill="none"/>')
    if uses:
        out.append(f'<path d="{path(uses)}" stroke="{KIND_COLOUR}" stroke-width="0.7" stroke-opacity="0.35" fill="none"/>')
    accounts = [n for n in nodes if g.nodes[n]["kind"] == "account"]
    idents = [n for n in nodes if g.nodes[n]["kind"] == "identifier"]
    r = 3.0 if len(accounts) > 60 else 4.5
    rects: list[str] = []
    labels: list[str] = []
    placed: list[tuple[float, float, float, float]] = []
    if idents:
        counts = np.array([g.nodes[n]["in_ring"] for n in idents], dtype=float)
        sides = 7 + 17 * np.sqrt(counts / max(counts.max(), 1.0))
        for i, (n, side) in enumerate(zip(idents, sides, strict=True)):
            x, y, label = at[n][0], at[n][1], escape(g.nodes[n]["label"])
            rects.append(f'<rect x="{_f(x - side / 2)}" y="{_f(y - side / 2)}" width="{_f(side)}" '
                         f'height="{_f(side)}" fill="{KIND_COLOUR}" fill-opacity="0.85"><title>{label}: '
                         f'{g.nodes[n]["in_ring"]:,} ring members</title></rect>')
            if i < max_labels:
                anchor = "end" if x > width * 0.6 else "start"
                dx = -side / 2 - 3 if anchor == "end" else side / 2 + 3
                w = 6.2 * len(g.nodes[n]["label"])
                x0 = x + dx - (w if anchor == "end" else 0)
                box_ = (x0, y - 8, x0 + w, y + 6)
                if x0 < 2 or x0 + w > width - 2 or any(
                        box_[0] < b[2] and b[0] < box_[2] and box_[1] < b[3] and b[1] < box_[3]
                        for b in placed):
                    continue  # a label that would overlap another or leave the picture
                placed.append(box_)
                labels.append(f'<text x="{_f(x + dx)}" y="{_f(y + 4)}" font-size="11" text-anchor="{anchor}" '
                              f'paint-order="stroke" stroke="#fff" stroke-width="3">{label}</text>')
    # identifiers under accounts (a dot on a square stays visible), labels on top
    out.extend(rects)
    for n in accounts:
        action = g.nodes[n]["action"]
        out.append(f'<circle cx="{_f(at[n][0])}" cy="{_f(at[n][1])}" r="{r}" '
                   f'data-account="{escape(str(n))}" tabindex="0" '
                   f'fill="{ACTION_COLOURS.get(action, "#7f8c8d")}" stroke="#fff" stroke-width="0.8">'
                   f'<title>{escape(str(n))} ({escape(action)})</title></circle>')
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)


_MINUTE = 60 * 10**9
_BUCKETS = (  # (longest span, bucket width in ns, name, label format)
    (3 * 60 * _MINUTE, 5 * _MINUTE, "5 minutes", "%m-%d %H:%M"),
    (3 * 24 * 60 * _MINUTE, 60 * _MINUTE, "hour", "%m-%d %H:00"),
    (400 * 24 * 60 * _MINUTE, 24 * 60 * _MINUTE, "day", "%Y-%m-%d"),
)
_WEEK = (0, 7 * 24 * 60 * _MINUTE, "week", "%Y-%m-%d")


def _histogram(ns: np.ndarray, min_buckets: int = 12) -> tuple[str, list[str], np.ndarray]:
    """Sign-up counts per bucket (UTC-aligned) over a gap-free range of at least
    `min_buckets` buckets, so a one-bucket burst is a narrow bar, not the whole chart. The
    bucket width follows the span: a burst of an hour needs minutes, a year needs weeks."""
    span = int(ns.max() - ns.min())
    _, width, name, fmt = next((b for b in _BUCKETS if span <= b[0]), _WEEK)
    first = ns.min() // width * width
    counts = np.bincount((ns - first) // width, minlength=min_buckets)
    starts = pd.to_datetime(first + np.arange(len(counts), dtype=np.int64) * width)
    return name, list(starts.strftime(fmt)), counts.astype(float)


def _daily(daily: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Exchanges and active accounts per day over a gap-free range of days."""
    day_ns = 24 * 60 * _MINUTE
    days = pd.to_datetime(daily["day"]).to_numpy(dtype="datetime64[ns]").astype(np.int64) // day_ns
    idx = days - days.min()
    exchanges = np.bincount(idx, weights=daily["exchanges"].to_numpy(dtype=float))
    accounts = np.bincount(idx, weights=daily["accounts"].to_numpy(dtype=float))
    labels = pd.to_datetime((days.min() + np.arange(len(exchanges))) * day_ns).strftime("%Y-%m-%d")
    return list(labels), exchanges, accounts


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
        name, labels, values = _histogram(created.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
                                          .astype(np.int64))
    else:
        name, labels, values = "day", [], np.array([])
    out += _bars(left, 30, pw, 100, labels, values, "#8e44ad", f"sign-ups per {name} (UTC)", "sign-ups")
    if len(daily):
        labels, values, active = _daily(daily)
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
