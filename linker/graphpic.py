"""Pictures for review packets: the ring as accounts and the identifiers that tie them, and a
timeline of sign-ups and daily activity.

A ring can hold 25,000 accounts; drawing them all gives an unreadable hairball and a slow
page. So the picture is a bounded sample: the top identifiers of the ring (by how many
members share them, weighted by rarity) and a deterministic sample of accounts, preferring
accounts that touch those identifiers. Selection (`sample_ring_graph`) is pure and
testable; drawing (`draw_ring`, `timeline_png`) renders PNG bytes with matplotlib's
object API (no pyplot global state, no display needed).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

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
    ids = identifiers.sort_values(["weight", "in_ring"], ascending=False, kind="stable")
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
        lk = lk.nlargest(min(len(lk), 4 * max_accounts), "weight")
        g.add_edges_from(zip(lk["a"].astype(str), lk["b"].astype(str), strict=True), kind="link")
    return RingGraph(g, len(accounts), len(chosen), len(identifiers), len(ids))


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)  # type: ignore[attr-defined]
    return buf.getvalue()


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


def draw_ring(
    rg: RingGraph, *, seed: int = 0, size: tuple[float, float] = (9.0, 6.5), max_labels: int = 10
) -> bytes:
    """PNG of the sampled ring: red/orange dots are accounts (suspend/review), blue squares
    the shared identifiers (size = ring members sharing it), grey lines the links."""
    from matplotlib.figure import Figure

    g = rg.graph
    fig = Figure(figsize=size)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no accounts", ha="center", va="center")
        return _png(fig)
    # A larger optimal distance than the default spreads each tie group out, so the labels of
    # neighbouring identifiers do not sit on top of each other.
    pos = _layout(g, seed)
    accounts = [n for n, d in g.nodes(data=True) if d["kind"] == "account"]
    idents = [n for n, d in g.nodes(data=True) if d["kind"] == "identifier"]
    links = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "link"]
    uses = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "uses"]
    nx.draw_networkx_edges(g, pos, edgelist=links, ax=ax, edge_color=LINK_COLOUR, width=0.5, alpha=0.5)
    nx.draw_networkx_edges(g, pos, edgelist=uses, ax=ax, edge_color=KIND_COLOUR, width=0.6, alpha=0.35)
    nx.draw_networkx_nodes(
        g, pos, nodelist=accounts, ax=ax, node_size=18 if len(accounts) > 60 else 40,
        node_color=[ACTION_COLOURS.get(g.nodes[n]["action"], "#7f8c8d") for n in accounts],
        linewidths=0,
    )
    if idents:
        counts = np.array([g.nodes[n]["in_ring"] for n in idents], dtype=float)
        sizes = 40 + 260 * np.sqrt(counts / max(counts.max(), 1.0))
        nx.draw_networkx_nodes(
            g, pos, nodelist=idents, ax=ax, node_shape="s", node_size=sizes,
            node_color=KIND_COLOUR, alpha=0.9, linewidths=0,
        )
        nx.draw_networkx_labels(
            g, pos, labels={n: g.nodes[n]["label"] for n in idents[:max_labels]}, ax=ax, font_size=7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.margins(0.08)
    return _png(fig)


def _buckets(times: pd.Series) -> str:
    span = times.max() - times.min() if len(times) else pd.Timedelta(0)
    return "h" if span <= pd.Timedelta(days=3) else "D"


def timeline_png(
    created_at: pd.Series, activity: pd.DataFrame, *, size: tuple[float, float] = (9.0, 4.2)
) -> bytes:
    """PNG with sign-ups per hour (short bursts) or day on top, and the ring's daily
    exchanges (bars) and active accounts (line) below."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    ax1, ax2 = fig.subplots(2, 1)
    created = pd.to_datetime(created_at, utc=True).dropna()
    if len(created):
        unit = _buckets(created)
        per = created.dt.floor(unit).value_counts().sort_index()
        width = (1 / 24 if unit == "h" else 1.0) * 0.9
        ax1.bar(per.index.tz_localize(None), per.to_numpy(), width=width, color="#8e44ad")
        ax1.set_title(f"sign-ups per {'hour' if unit == 'h' else 'day'} (UTC)", fontsize=9, loc="left")
    else:
        ax1.text(0.5, 0.5, "no sign-up times", ha="center", va="center", transform=ax1.transAxes)
    if len(activity):
        day = pd.to_datetime(activity["day"], utc=True).dt.floor("D").dt.tz_localize(None)
        per_day = activity.assign(day=day).groupby("day").agg(
            exchanges=("exchanges", "sum"), accounts=("account_id", "nunique")
        )
        ax2.bar(per_day.index, per_day["exchanges"].to_numpy(), width=0.9, color="#16a085")
        ax2.set_title("exchanges per day (bars) and active accounts (line)", fontsize=9, loc="left")
        twin = ax2.twinx()
        twin.plot(per_day.index, per_day["accounts"].to_numpy(), color="#2c3e50", linewidth=1)
        twin.tick_params(labelsize=7)
    else:
        ax2.text(0.5, 0.5, "no request activity", ha="center", va="center", transform=ax2.transAxes)
    for ax in (ax1, ax2):
        ax.tick_params(labelsize=7)
        for label in ax.get_xticklabels():
            label.set_rotation(20)
    return _png(fig)
