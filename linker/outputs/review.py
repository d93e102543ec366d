"""Review packets and account explanations for the fraud team.

`write_review_packet` writes OUT_DIR/review/: an index of rings sorted by score and one
self-contained HTML page per ring (members with decisions and reason codes, the identifiers
they share and how rare those are, a timeline, a picture of the ring, and the Cypher to open
the same ring in Neo4j Browser). Pages inline everything (CSS, SVG pictures): they open
from a laptop, an e-mail attachment or an air-gapped machine, with no network request.

`explain_account` answers "why was this account flagged?" from an output directory's
Findings alone. `redact_findings` masks e-mails, phones and IPs so that a packet can be
shared beyond the people allowed to see personal data.

Rendering is split into pure steps (`build_packet` returns {relative path: content}) and
one writer, so that tests and benchmarks need no file system.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import math
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linker import kinds
from linker.atomic import replaced_dir
from linker.errors import InputError
from linker.model import Findings
from linker.outputs.csvsafe import to_csv
from linker.outputs.findings import REDACTION_KEY_FILE
from linker.outputs.pictures import CONTEXT_KINDS  # listed in tables, drawn last in pictures
from linker.settings import ReviewParams, recorded

PACKET_DIR = "review"
# defaults of what a ring page shows (settings.ReviewParams; a run's own are in its run.json)
MEMBER_ROWS = ReviewParams.member_rows
IDENTIFIER_ROWS = ReviewParams.identifier_rows
LINK_ROWS = ReviewParams.link_rows
IP_KINDS = kinds.network_kinds()
MEMBER_COLUMNS = [
    "account_id", "action", "score", "reasons", "verdict", "created_at", "exchanges", "active_days",
    "email", "phone", "signup_ip", "device_id", "country", "org_id",
]


# ---- redaction -------------------------------------------------------------------------


KEY_FILE = REDACTION_KEY_FILE


def redaction_key(home: Path) -> bytes:
    """The redaction key kept in `home` (a workspace, or OUT_DIR without one): 32 random
    bytes created on first use, owner-only (0600), never rewritten. The same key makes the
    same value mask the same way in every packet and every `explain --redact` of that home;
    without it a tag cannot be reversed by trying all phone numbers."""
    path = Path(home) / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(os.urandom(32).hex() + "\n")
    try:
        os.link(tmp, path)  # atomic and never replaces a key another process created
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text().strip())


def _tags(values: pd.Series, key: bytes) -> pd.Series:
    """Short keyed hash per value (HMAC-SHA256, first 8 hex digits): equal values get equal
    tags, so reviewers can still see that two masked e-mails are the same. Computed once per
    distinct value."""
    codes, uniques = pd.factorize(values.astype("string").fillna(""))
    tags = np.array([hmac.new(key, str(u).encode(), hashlib.sha256).hexdigest()[:8]
                     for u in uniques] or [""], dtype=object)
    return pd.Series(tags[np.maximum(codes, 0)], index=values.index, dtype="string")


def mask_emails(values: pd.Series, key: bytes) -> pd.Series:
    """`alice@example.com` → `a***@e***.com~1f2e3d` (first letters, top-level domain, tag)."""
    s = values.astype("string")
    parts = s.str.extract(r"^\s*(?P<l>[^@\s])[^@]*@(?P<d>[^.@\s])[^@]*?(?P<t>\.[A-Za-z0-9-]+)?\s*$")
    masked = parts["l"] + "***@" + parts["d"] + "***" + parts["t"].fillna("")
    masked = masked.fillna("***")  # not an address: mask it all
    out = masked + "~" + _tags(s, key)
    return out.where(s.notna(), pd.NA).astype("string")


def mask_phones(values: pd.Series, key: bytes) -> pd.Series:
    """`+14155550123` → `+*********23~1f2e3d` (last two digits and a tag)."""
    s = values.astype("string")
    digits = s.str.replace(r"\D", "", regex=True)
    masked = "+" + digits.str.slice(0, -2).str.replace(r"\d", "*", regex=True) + digits.str.slice(-2)
    out = masked + "~" + _tags(s, key)
    return out.where(s.notna(), pd.NA).astype("string")


def mask_ips(values: pd.Series, key: bytes) -> pd.Series:
    """Keep the network, drop the host: IPv4 `203.0.113.7` → `203.0.x.x~tag` (the /16), a
    /24 subnet `203.0.113.0/24` → `203.0.x.0/24~tag`; IPv6 keeps its first two groups."""
    s = values.astype("string")
    v4 = s.str.extract(r"^\s*(?P<net>\d{1,3}\.\d{1,3})\.\d{1,3}\.\d{1,3}(?P<pfx>/\d{1,2})?\s*$")
    v4_masked = v4["net"] + np.where(v4["pfx"].notna(), ".x.0", ".x.x") + v4["pfx"].fillna("")
    v6 = s.str.extract(r"^\s*(?P<net>[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}):[0-9A-Fa-f:.]*(?P<pfx>/\d{1,3})?\s*$")
    v6_masked = v6["net"] + ":x::" + v6["pfx"].fillna("")
    masked = v4_masked.fillna(v6_masked).fillna("***")
    out = masked + "~" + _tags(s, key)
    return out.where(s.notna(), pd.NA).astype("string")


def redact_findings(findings: Findings, key: bytes | None = None) -> Findings:
    """A copy of findings whose account rows and evidence carry no raw e-mail, phone or IP.

    `key` keys the tags (see `redaction_key`); without one, a fresh random key is used and
    tags match only within this call."""
    key = key if key is not None else os.urandom(32)
    accounts = findings.accounts.copy()
    for col, fn in (("email", mask_emails), ("phone", mask_phones), ("signup_ip", mask_ips)):
        if col in accounts:
            accounts[col] = fn(accounts[col], key)
    evidence = findings.evidence.copy()
    if len(evidence):
        value = evidence["value"].astype("string")
        kind = evidence["kind"].astype(str)
        for kinds, fn in ((("email",), mask_emails), (("phone",), mask_phones), (IP_KINDS, mask_ips)):
            sel = kind.isin(kinds).to_numpy()
            if sel.any():
                value = value.copy()
                value[sel] = fn(value[sel], key)
        evidence["value"] = value
    return dataclasses.replace(findings, accounts=accounts, evidence=evidence)


# ---- shared preparation ----------------------------------------------------------------


def reason_text(code: str) -> str:
    """One-line explanation of a reason code (from linker.detect.reasons)."""
    from linker.detect.reasons import explain

    return explain(code)


def _split_counts(frame: pd.DataFrame, by: str, column: str = "reasons") -> pd.DataFrame:
    """Counts of each reason code per `by` group, from `;`-joined strings: group identical
    strings first (few distinct ones exist), then split only those."""
    if frame.empty:
        return pd.DataFrame(columns=[by, "code", "n"])
    g = frame.groupby([by, frame[column].fillna("").astype(str)], observed=True).size()
    g = g.rename("n").reset_index().rename(columns={column: "codes"})
    g["code"] = g["codes"].str.split(";")
    g = g.explode("code")
    g = g[g["code"].astype(bool)]
    out = g.groupby([by, "code"], as_index=False, observed=True)["n"].sum()
    return out.sort_values([by, "n", "code"], ascending=[True, False, True], kind="stable")


def _fmt_time(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    try:
        return pd.Timestamp(value).tz_convert("UTC").strftime(fmt) if pd.Timestamp(value).tzinfo \
            else pd.Timestamp(value).strftime(fmt)
    except (ValueError, TypeError):
        return str(value)


def _safe_name(cluster_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(cluster_id)) or "_"


def _campaign_index(campaigns: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(c.get("campaign_id")): c for c in campaigns}


@dataclass
class Prepared:
    """Frames shared by every ring page, computed once for all rings (columnar)."""

    sus: pd.DataFrame          # suspensions + account detail + activity totals
    identifiers: pd.DataFrame  # cluster_id, kind, value, in_ring, flagged, overall, weight
    ev: pd.DataFrame           # evidence + cluster_id
    links: pd.DataFrame        # links inside one ring: a, b, weight, reasons, cluster_id
    cross_links: pd.Series     # cluster_id -> links to members of other rings
    member_reasons: pd.DataFrame
    link_reasons: pd.DataFrame
    daily: pd.DataFrame        # cluster_id, day, exchanges, accounts (active that day)
    total_accounts: int


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Extension string columns as object and nullable floats as float64: per-ring slicing
    and templating touch many small frames, where Arrow-backed cells cost ~10x a str."""
    if not len(df.columns):
        return df
    out = df.copy()
    for col in out.columns:
        dt = out[col].dtype
        if isinstance(dt, pd.StringDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
        elif isinstance(dt, pd.Float64Dtype | pd.Float32Dtype):
            out[col] = out[col].astype("float64")
    return out


def _plain_findings(findings: Findings) -> Findings:
    clusters = _plain(findings.clusters)
    for col in ("score", "density", "strong_share", "size", "exchanges"):
        if col in clusters:
            clusters[col] = pd.to_numeric(clusters[col], errors="coerce")
    return dataclasses.replace(
        findings, suspensions=_plain(findings.suspensions), clusters=clusters,
        links=_plain(findings.links), evidence=_plain(findings.evidence),
        activity=_plain(findings.activity), accounts=_plain(findings.accounts),
    )


def prepare(findings: Findings) -> Prepared:
    """Join the Findings frames once, so each ring page is a cheap group lookup."""
    sus = findings.suspensions.copy()
    sus["account_id"] = sus["account_id"].astype(str)
    sus["cluster_id"] = sus["cluster_id"].astype(str)
    cluster_of = sus.set_index("account_id")["cluster_id"]

    act = findings.activity
    if len(act):
        act = act.assign(account_id=act["account_id"].astype(str))
        act = act.assign(cluster_id=act["account_id"].map(cluster_of))
        per_acc = act.groupby("account_id", observed=True).agg(
            exchanges=("exchanges", "sum"), active_days=("day", "nunique")
        )
        day = pd.to_datetime(act["day"], utc=True).dt.floor("D").dt.tz_localize(None)
        daily = act.assign(day=day).groupby(["cluster_id", "day"], observed=True).agg(
            exchanges=("exchanges", "sum"), accounts=("account_id", "nunique")).reset_index()
    else:
        per_acc = pd.DataFrame(columns=["exchanges", "active_days"])
        daily = pd.DataFrame(columns=["cluster_id", "day", "exchanges", "accounts"])
    for col in ("exchanges", "active_days"):
        sus[col] = sus["account_id"].map(per_acc[col]).fillna(0).astype("int64")
    accounts = findings.accounts
    if len(accounts):
        accounts = accounts.assign(account_id=accounts["account_id"].astype(str))
        extra = [c for c in accounts.columns if c not in sus.columns or c == "account_id"]
        sus = sus.merge(accounts[extra], on="account_id", how="left")

    ev = findings.evidence
    if len(ev):
        ev = ev.assign(account_id=ev["account_id"].astype(str), kind=ev["kind"].astype(str),
                       value=ev["value"].astype(str))
        ev = ev.assign(cluster_id=ev["account_id"].map(cluster_of)).dropna(subset=["cluster_id"])
        flagged = ev.groupby(["kind", "value"], observed=True)["account_id"].nunique().rename("flagged")
        ids = ev.groupby(["cluster_id", "kind", "value"], observed=True)["account_id"].nunique()
        ids = ids.rename("in_ring").reset_index()
        ids = ids[ids["in_ring"] >= 2].merge(flagged.reset_index(), on=["kind", "value"])
        if "sharers" in ev:  # dataset-wide sharer counts, when the evidence stage provides them
            sharers = ev.groupby(["kind", "value"], observed=True)["sharers"].max().rename("overall")
            ids = ids.merge(sharers.reset_index(), on=["kind", "value"], how="left")
            ids["overall"] = ids["overall"].fillna(ids["flagged"]).astype("int64")
            ids["overall_known"] = True
        else:
            ids["overall"] = ids["flagged"]
            ids["overall_known"] = False
    else:
        ev = pd.DataFrame(columns=["account_id", "kind", "value", "cluster_id"])
        ids = pd.DataFrame(columns=["cluster_id", "kind", "value", "in_ring", "flagged", "overall",
                                    "overall_known"])
    total = int(findings.run.get("counts", {}).get("accounts") or max(len(findings.accounts), 1))
    total = max(total, int(ids["overall"].max()) if len(ids) else 1, 1)
    idf = np.log1p(total / ids["overall"].astype(float).clip(lower=1)) if len(ids) else 0.0
    ids["weight"] = ids["in_ring"].astype(float) * idf * np.where(
        ids["kind"].isin(CONTEXT_KINDS), 1e-6, 1.0
    ) if len(ids) else pd.Series(dtype=float)
    ids = ids.sort_values(["cluster_id", "in_ring", "weight"], ascending=[True, False, False],
                          kind="stable")

    lk = findings.links
    if len(lk):
        lk = lk.assign(a=lk["a"].astype(str), b=lk["b"].astype(str))
        ca, cb = lk["a"].map(cluster_of), lk["b"].map(cluster_of)
        same = (ca == cb).to_numpy()
        cross = pd.concat([ca[~same], cb[~same]]).value_counts()
        lk = lk[same].assign(cluster_id=ca[same])
        lk = lk.sort_values(["cluster_id", "weight"], ascending=[True, False], kind="stable")
    else:
        lk = pd.DataFrame(columns=["a", "b", "weight", "reasons", "cluster_id"])
        cross = pd.Series(dtype="int64")

    sus["verdict"] = sus["account_id"].map(verdict_texts(findings.verdicts))
    # Everything a ring page shows, computed once for all rings: pages only slice.
    for col in MEMBER_COLUMNS:
        if col not in sus:
            sus[col] = None
    sus["created_at"] = pd.to_datetime(sus["created_at"], utc=True, errors="coerce")
    sus["created_text"] = sus["created_at"].dt.strftime("%Y-%m-%d %H:%M")
    sus["created_iso"] = sus["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    sus = sus.sort_values(["cluster_id", "score", "account_id"], ascending=[True, False, True],
                          kind="stable")
    if len(ids):
        ring_size = sus["cluster_id"].value_counts()
        ratio = total / ids["overall"].astype(float).clip(lower=1)
        text = np.where(ratio >= 1.5, [f"1 in {r:,.0f}" for r in ratio], "very common")
        ids = ids.assign(
            share=ids["in_ring"] / ids["cluster_id"].map(ring_size).clip(lower=1),
            rarity=np.where(~ids["overall_known"].astype(bool) & (ratio >= 1.5),
                            np.char.add("≤ ", text.astype(str)), text),
            context=ids["kind"].isin(CONTEXT_KINDS),
            label=ids["kind"].astype(str) + ": " + ids["value"].astype(str).str.slice(0, 22),
        )
    else:
        ids = ids.assign(share=[], rarity=[], context=[], label=[])
    return Prepared(
        sus=sus, identifiers=ids, ev=ev, links=lk, cross_links=cross,
        member_reasons=_split_counts(sus, "cluster_id"),
        link_reasons=_split_counts(lk, "cluster_id"),
        daily=daily, total_accounts=total,
    )


def verdict_texts(verdicts: pd.DataFrame) -> pd.Series:
    """account_id -> "cleared 2026-05-01 by rev1": each flagged account's past verdict."""
    if verdicts is None or not len(verdicts) or "account_id" not in verdicts:
        return pd.Series(dtype=object)
    v = verdicts.assign(account_id=verdicts["account_id"].astype(str))
    day = pd.to_datetime(v["decided_at"], utc=True, errors="coerce").dt.strftime("%Y-%m-%d")
    text = (v["verdict"].astype(str) + " " + day.fillna("") + " by "
            + v["reviewer"].astype(str))
    return pd.Series(text.to_numpy(dtype=object), index=v["account_id"]).groupby(level=0).last()


def _groups(frame: pd.DataFrame, key: str = "cluster_id") -> dict[str, pd.DataFrame]:
    if frame.empty:
        return {}
    return {str(k): g for k, g in frame.groupby(key, sort=False, observed=True)}


# ---- Cypher ----------------------------------------------------------------------------

FALLBACK_CYPHER = """\
// Ring members, their decisions, and the identifiers they use (first 300 members).
MATCH (r:Ring {cluster_id: $cluster_id})<-[m:MEMBER_OF]-(a:Account)
WITH r, m, a LIMIT 300
OPTIONAL MATCH (r)-[:PART_OF]->(c:Campaign)
OPTIONAL MATCH (a)-[u]->(i)
WHERE NOT i:Ring
RETURN r, c, m, a, u, i
"""


@lru_cache(maxsize=1)
def saved_ring_query() -> str:
    """The neo4j helper's saved query (cypher/review_ring.cypher, in the repo or the wheel),
    else an equivalent parameterised query."""
    here = Path(__file__).resolve().parent
    for path in (here / "cypher" / "review_ring.cypher", here.parent / "cypher" / "review_ring.cypher"):
        if path.is_file():
            return path.read_text()
    return FALLBACK_CYPHER


def ring_cypher(cluster_id: str, run_id: str | None = None) -> str:
    """`:param` line(s) for Neo4j Browser + the saved query. Values are literals in a
    :param command (JSON strings are valid Cypher strings), never spliced into the query.
    A null run_id lets the saved query pick the ring's latest run in the database."""
    query = saved_ring_query()
    names = list(dict.fromkeys(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query))) or ["cluster_id"]
    values = {"cluster_id": cluster_id, "run_id": run_id}
    lines = []
    for name in names:
        if name in values:
            value = values[name]
            lines.append(f":param {name} => {'null' if value is None else json.dumps(str(value))};")
    return "\n".join(lines) + "\n\n" + query.strip() + "\n"


def _neo4j_run_id(run: dict[str, Any]) -> str | None:
    """This run's id when its results were written to Neo4j; otherwise the database knows
    another run id (or none), and the ring's latest run there is the best match."""
    store = run.get("store") or (run.get("parameters") or {}).get("store")  # older run.json
    return str(run.get("run_id")) if store == "neo4j" and run.get("run_id") else None


# ---- HTML ------------------------------------------------------------------------------


def _fmt_num(value: Any, fmt: str) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    return "" if math.isnan(v) else fmt.format(v)


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: _fmt_num(v, "{:,.0f}")
    env.filters["score"] = lambda v: _fmt_num(v, "{:.3f}")
    env.filters["blank"] = lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else v
    env.globals["reason_text"] = reason_text
    env.globals["css"] = (Path(__file__).parent / "static" / "review.css").read_text()
    env.globals["js"] = (Path(__file__).parent / "static" / "review.js").read_text()
    return env


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts for templates; column-wise `tolist` is ~10x faster than to_dict on the
    small frames of one ring, and gives plain Python scalars."""
    cols = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def _ring_context(
    cid: str, cluster: dict[str, Any], members: pd.DataFrame, p: Prepared,
    groups: dict[str, dict[str, pd.DataFrame]], campaigns: dict[str, dict[str, Any]],
    findings: Findings, redact: bool, pictures: bool,
) -> tuple[dict[str, Any], pd.DataFrame]:
    from linker.outputs.pictures import ring_svg, sample_ring_graph, timeline_svg

    ids = groups["ids"].get(cid, p.identifiers.iloc[0:0])
    ev = groups["ev"].get(cid, p.ev.iloc[0:0])
    lk = groups["links"].get(cid, p.links.iloc[0:0])
    daily = groups["daily"].get(cid, p.daily.iloc[0:0])
    picture = timeline = None
    sample_note = ""
    if pictures:
        rg = sample_ring_graph(members, ev, ids, lk)
        picture = ring_svg(rg)
        timeline = timeline_svg(members["created_at"], daily)
        if rg.shown_accounts < rg.total_accounts or rg.shown_identifiers < rg.total_identifiers:
            sample_note = (f"Sampled: {rg.shown_accounts:,} of {rg.total_accounts:,} accounts and the "
                           f"top {rg.shown_identifiers:,} of {rg.total_identifiers:,} shared identifiers.")
    camp = campaigns.get(str(cluster.get("campaign_id")), {})
    mr = groups["member_reasons"].get(cid, p.member_reasons.iloc[0:0])
    lr = groups["link_reasons"].get(cid, p.link_reasons.iloc[0:0])
    created = members["created_at"]
    lim = recorded(findings.run, "review")
    head = members.head(lim.member_rows)
    ctx = {
        "cid": cid,
        "cluster": cluster,
        "campaign": camp,
        "run": findings.run,
        "redact": redact,
        "size": len(members),
        "suspend": int((members["action"] == "suspend").sum()),
        "review": int((members["action"] == "review").sum()),
        "exchanges": int(members["exchanges"].sum()),
        "signup_first": _fmt_time(created.min()),
        "signup_last": _fmt_time(created.max()),
        "first_seen": _fmt_time(cluster.get("first_seen")),
        "last_seen": _fmt_time(cluster.get("last_seen")),
        "member_rows": _records(head[MEMBER_COLUMNS].assign(created_at=head["created_text"])),
        "member_cap": lim.member_rows,
        "members_csv": f"{_safe_name(cid)}.members.csv",
        "identifiers": _records(ids.head(lim.identifier_rows)),
        "identifier_total": len(ids),
        "identifier_cap": lim.identifier_rows,
        "member_reasons": _records(mr),
        "link_reasons": _records(lr),
        "links": _records(lk.head(lim.link_rows)),
        "link_total": len(lk),
        "cross_links": int(p.cross_links.get(cid, 0)),
        "picture": picture,
        "timeline": timeline,
        "sample_note": sample_note,
        "cypher": ring_cypher(cid, _neo4j_run_id(findings.run)),
        "cypher_saved": saved_ring_query() != FALLBACK_CYPHER,
    }
    return ctx, members[MEMBER_COLUMNS].assign(created_at=members["created_iso"])


def _ring_changes(changes: dict[str, Any] | None) -> dict[str, str]:
    """cluster_id -> "new" / "+n" / "-n" since the previous run (nothing on a first run)."""
    if not changes or changes.get("first_run"):
        return {}
    out = {str(c): "new" for c in changes.get("new_clusters") or []}
    for key in ("grown_clusters", "shrunk_clusters"):
        for c in changes.get(key) or []:
            diff = int(c.get("after", 0)) - int(c.get("before", 0))
            out[str(c.get("cluster_id"))] = f"{diff:+,d}"
    return out


def build_packet(
    findings: Findings, redact: bool = False, *, key: bytes | None = None, pictures: bool = True,
    all_rings: bool = False,
) -> dict[str, str]:
    """Every file of the review packet as {path relative to review/: text}. Pure: no I/O
    beyond reading the package's templates.

    Pages (and pictures) are rendered for the `review.rendered_rings` highest-scoring rings,
    or for all with `all_rings`; the index lists every ring either way, in two sections:
    rings with accounts to review, and fully suspended rings."""
    findings = _plain_findings(findings)
    if redact:
        findings = redact_findings(findings, key)
    p = prepare(findings)
    env = _env()
    lim = recorded(findings.run, "review")
    campaigns = _campaign_index(findings.campaigns)
    clusters = findings.clusters.copy()
    clusters["cluster_id"] = clusters["cluster_id"].astype(str)
    counts = p.sus.groupby("cluster_id")["action"].value_counts().unstack(fill_value=0) \
        if len(p.sus) else pd.DataFrame()
    groups = {"ids": _groups(p.identifiers), "ev": _groups(p.ev), "links": _groups(p.links),
              "daily": _groups(p.daily), "member_reasons": _groups(p.member_reasons),
              "link_reasons": _groups(p.link_reasons)}
    members_by_ring = _groups(p.sus)
    change = _ring_changes(findings.changes)
    verdict_counts = (p.sus.dropna(subset=["verdict"]).assign(
        v=lambda d: d["verdict"].astype(str).str.split(" ").str[0])
        .groupby(["cluster_id", "v"]).size()) if len(p.sus) else pd.Series(dtype="int64")
    files: dict[str, str] = {}
    rows = []
    ordered = clusters.sort_values(["score", "cluster_id"], ascending=[False, True])
    limit = len(ordered) if (all_rings or lim.rendered_rings <= 0) else lim.rendered_rings
    for i, cluster in enumerate(ordered.to_dict("records")):
        cid = str(cluster["cluster_id"])
        members = members_by_ring.get(cid, p.sus.iloc[0:0])
        name = _safe_name(cid)
        rendered = i < limit
        if rendered:
            ctx, table = _ring_context(cid, cluster, members, p, groups, campaigns, findings,
                                       redact, pictures)
            files[f"rings/{name}.html"] = env.get_template("review_ring.html.j2").render(**ctx)
            files[f"rings/{name}.members.csv"] = to_csv(table) or ""
        camp = campaigns.get(str(cluster.get("campaign_id")), {})
        mr = groups["member_reasons"].get(cid, p.member_reasons.iloc[0:0])
        codes = [str(c) for c in mr["code"]] or \
            [c for c in str(cluster.get("reasons") or "").split(";") if c]
        review_n = int(counts.loc[cid].get("review", 0)) if cid in counts.index else 0
        verdicts = ", ".join(f"{int(n)} {v}" for (c, v), n in verdict_counts.items() if c == cid)
        rows.append({
            **cluster, "href": f"rings/{name}.html" if rendered else None,
            "operator": camp.get("operator"),
            "suspend": int(counts.loc[cid].get("suspend", 0)) if cid in counts.index else 0,
            "review": review_n,
            "first_seen": _fmt_time(cluster.get("first_seen")),
            "last_seen": _fmt_time(cluster.get("last_seen")),
            "codes": codes[:lim.index_reasons], "more_codes": max(len(codes) - lim.index_reasons, 0),
            "all_codes": " ".join(codes),
            "change": change.get(cid, ""),
            "verdicts": verdicts,
            "section": "review" if review_n else "suspended",
        })
    files["index.html"] = env.get_template("review_index.html.j2").render(
        run=findings.run, redact=redact, campaigns=findings.campaigns, has_changes=bool(change),
        rings=rows, to_review=[r for r in rows if r["section"] == "review"],
        suspended=[r for r in rows if r["section"] == "suspended"],
        rendered=min(limit, len(rows)),
        flagged=len(p.sus), suspend=int((p.sus["action"] == "suspend").sum()),
        review=int((p.sus["action"] == "review").sum()),
    )
    return files


def verdict_template(findings: Findings) -> pd.DataFrame:
    """The review queue as a verdict file for reviewers to fill (`linker verdicts add`): one
    row per ring with accounts to review (subject = cluster_id), then one per account to
    review; verdict, reviewer and decided_at left empty, the context columns after them
    (ignored when the file is read back). Delete the rows you did not decide."""
    sus = findings.suspensions.copy()
    review = sus[sus["action"].astype(str) == "review"]
    rings = (review.groupby("cluster_id", as_index=False)
             .agg(accounts=("account_id", "size"), score=("score", "max"))
             .sort_values(["score", "cluster_id"], ascending=[False, True]))
    past = verdict_texts(findings.verdicts)
    rows = [{"subject": r.cluster_id, "kind": "ring", "cluster_id": r.cluster_id,
             "score": r.score, "reasons": "", "accounts": int(r.accounts), "past_verdict": ""}
            for r in rings.itertuples(index=False)]
    rows += [{"subject": r.account_id, "kind": "account", "cluster_id": r.cluster_id,
              "score": r.score, "reasons": r.reasons, "accounts": 1,
              "past_verdict": past.get(str(r.account_id), "")}
             for r in review.sort_values(["score", "account_id"],
                                         ascending=[False, True]).itertuples(index=False)]
    out = pd.DataFrame(rows, columns=["subject", "kind", "cluster_id", "score", "reasons",
                                      "accounts", "past_verdict"])
    for c in ("verdict", "reviewer", "decided_at", "note"):
        out.insert(1 + ["verdict", "reviewer", "decided_at", "note"].index(c), c, "")
    return out


def write_review_packet(findings: Findings, target_dir: Path, redact: bool = False, *,
                        key: bytes | None = None, all_rings: bool = False) -> None:
    """Write target_dir/review/ (index.html, rings/<cluster_id>.html and .members.csv).

    The packet is built in a temporary sibling and swapped in, so a reader never sees half a
    packet and an old packet is replaced whole (a redacted packet never keeps raw files)."""
    files = build_packet(findings, redact=redact, key=key, all_rings=all_rings)
    with replaced_dir(Path(target_dir) / PACKET_DIR) as tmp:
        (tmp / "rings").mkdir()
        for rel, text in files.items():
            (tmp / rel).write_text(text, encoding="utf-8")


def render_timing(findings: Findings, redact: bool = False) -> dict[str, Any]:
    """Seconds and bytes of building the packet (for benchmarks and the README)."""
    t0 = time.perf_counter()
    files = build_packet(findings, redact=redact)
    seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 3), "files": len(files),
            "bytes": {k: len(v.encode("utf-8")) for k, v in files.items()}}


# ---- explain ---------------------------------------------------------------------------


class NotFlagged(InputError):
    """The account is in no ring of this run (exit code 2)."""


def explain_account(findings: Findings, account_id: str, *, redact: bool = False,
                    key: bytes | None = None, top_links: int = 10) -> dict[str, Any]:
    """Why an account was flagged: ring, campaign, decision, reason codes with their meaning,
    the identifiers it shares with other ring members, its strongest links and its timing."""
    account_id = str(account_id)
    run_id = findings.run_id or "?"
    sus = findings.suspensions
    row = sus[sus["account_id"].astype(str) == account_id]
    if row.empty:
        raise NotFlagged(f"account {account_id} is not flagged in run {run_id}: it is in no ring "
                         "and on neither the suspend nor the review list")
    if redact:
        findings = redact_findings(findings, key)
    r = row.iloc[0]
    cid = str(r["cluster_id"])
    ring = sus[sus["cluster_id"].astype(str) == cid]
    ring_ids = set(ring["account_id"].astype(str))
    cl = findings.clusters[findings.clusters["cluster_id"].astype(str) == cid]
    cluster = cl.iloc[0].to_dict() if len(cl) else {}
    camp = _campaign_index(findings.campaigns).get(str(r["campaign_id"]), {})

    ev = findings.evidence
    shared: list[dict[str, Any]] = []
    if len(ev):
        ev = ev.assign(account_id=ev["account_id"].astype(str))
        mine = ev[ev["account_id"] == account_id][["kind", "value"]]
        touching = ev.merge(mine, on=["kind", "value"])
        in_ring = touching[touching["account_id"].isin(ring_ids)]
        n_ring = in_ring.groupby(["kind", "value"], observed=True)["account_id"].nunique()
        n_all = touching.groupby(["kind", "value"], observed=True)["account_id"].nunique()
        table = pd.DataFrame({"ring_members_sharing": n_ring, "flagged_accounts_sharing": n_all})
        table = table[table["ring_members_sharing"] >= 2].reset_index()
        # ties (card, device, IP...) before broad infrastructure (domain, ASN, /24)
        table = table.assign(context=table["kind"].isin(CONTEXT_KINDS)).sort_values(
            ["context", "ring_members_sharing", "kind", "value"],
            ascending=[True, False, True, True], kind="stable")
        shared = [
            {"kind": str(t.kind), "value": str(t.value),
             "ring_members_sharing": int(t.ring_members_sharing),
             "flagged_accounts_sharing": int(t.flagged_accounts_sharing)}
            for t in table.itertuples(index=False)
        ]
    links: list[dict[str, Any]] = []
    lk = findings.links
    if len(lk):
        a, b = lk["a"].astype(str), lk["b"].astype(str)
        mine = lk[(a == account_id) | (b == account_id)]
        other = np.where(mine["a"].astype(str) == account_id, mine["b"].astype(str), mine["a"].astype(str))
        mine = mine.assign(other=other).nlargest(top_links, "weight")
        links = [{"account_id": str(t.other), "weight": round(float(t.weight), 4),
                  "reasons": str(t.reasons), "same_ring": str(t.other) in ring_ids}
                 for t in mine.itertuples(index=False)]

    timing: dict[str, Any] = {}
    acc = findings.accounts
    if len(acc):
        me = acc[acc["account_id"].astype(str) == account_id]
        ring_acc = acc[acc["account_id"].astype(str).isin(ring_ids)]
        created = pd.to_datetime(ring_acc["created_at"], utc=True, errors="coerce")
        if len(me):
            mine_t = pd.to_datetime(me["created_at"], utc=True, errors="coerce").iloc[0]
            timing["created_at"] = _fmt_time(mine_t, "%Y-%m-%dT%H:%M:%SZ")
            timing["signup_rank_in_ring"] = int((created < mine_t).sum()) + 1
        timing["ring_signups_first"] = _fmt_time(created.min(), "%Y-%m-%dT%H:%M:%SZ")
        timing["ring_signups_last"] = _fmt_time(created.max(), "%Y-%m-%dT%H:%M:%SZ")
        if len(me):
            timing["identity"] = {k: (None if pd.isna(v) else str(v)) for k, v in me.iloc[0].items()
                                  if k not in ("account_id", "created_at")}
    act = findings.activity
    if len(act):
        mine_a = act[act["account_id"].astype(str) == account_id]
        days = pd.to_datetime(mine_a["day"], utc=True)
        timing["active_days"] = int(days.dt.floor("D").nunique())
        timing["exchanges"] = int(mine_a["exchanges"].sum())
        if len(mine_a):
            timing["first_active_day"] = _fmt_time(days.min(), "%Y-%m-%d")
            timing["last_active_day"] = _fmt_time(days.max(), "%Y-%m-%d")
            busiest = mine_a.loc[mine_a["exchanges"].idxmax()]
            timing["busiest_day"] = {"day": _fmt_time(busiest["day"], "%Y-%m-%d"),
                                     "exchanges": int(busiest["exchanges"])}
    codes = [c for c in str(r["reasons"] or "").split(";") if c and c != "<NA>"]
    return {
        "ok": True,
        "run_id": run_id,
        "account_id": account_id,
        "action": str(r["action"]),
        "score": round(float(r["score"]), 4),
        "cluster_id": cid,
        "campaign_id": None if pd.isna(r["campaign_id"]) else str(r["campaign_id"]),
        "operator": camp.get("operator"),
        "attribution_confidence": camp.get("confidence"),
        "ring": {
            "size": len(ring),
            "score": None if "score" not in cluster else round(float(cluster["score"]), 4),
            "reasons": [c for c in str(cluster.get("reasons") or "").split(";") if c],
            "suspend": int((ring["action"] == "suspend").sum()),
            "review": int((ring["action"] == "review").sum()),
        },
        "reasons": [{"code": c, "explanation": reason_text(c)} for c in codes],
        "shared_identifiers": shared,
        "strongest_links": links,
        "timing": timing,
        "redacted": redact,
    }


def format_explanation(e: dict[str, Any]) -> str:
    """The explanation as plain text for a terminal."""
    lines = [
        f"account {e['account_id']} (run {e['run_id']}): {e['action'].upper()}, score {e['score']:.3f}",
        f"ring {e['cluster_id']}: {e['ring']['size']:,} accounts ({e['ring']['suspend']:,} suspend, "
        f"{e['ring']['review']:,} review), ring score {e['ring']['score']}",
        f"campaign {e['campaign_id']}: operator {e['operator'] or 'unattributed'}"
        + (f" (confidence {e['attribution_confidence']})" if e["operator"] else ""),
        "",
        "reasons:",
    ]
    lines += [f"  {r['code']}: {r['explanation']}" for r in e["reasons"]] or ["  (none)"]
    lines += ["", "identifiers shared with other ring members (kind, value, ring members, flagged accounts):"]
    lines += [f"  {s['kind']:<16} {s['value']:<40} {s['ring_members_sharing']:>7,} {s['flagged_accounts_sharing']:>7,}"
              for s in e["shared_identifiers"][:30]] or ["  (none: linked by timing / behaviour only)"]
    if len(e["shared_identifiers"]) > 30:
        lines.append(f"  … and {len(e['shared_identifiers']) - 30} more (use --json)")
    if e["strongest_links"]:
        lines += ["", "strongest links:"]
        lines += [f"  {x['account_id']:<20} weight {x['weight']:<8} {x['reasons']}"
                  + ("" if x["same_ring"] else "  (other ring)") for x in e["strongest_links"]]
    t = e["timing"]
    if t:
        lines += ["", "timing:"]
        for k in ("created_at", "signup_rank_in_ring", "ring_signups_first", "ring_signups_last",
                  "active_days", "first_active_day", "last_active_day", "exchanges"):
            if k in t:
                lines.append(f"  {k}: {t[k]}")
        if "busiest_day" in t:
            lines.append(f"  busiest_day: {t['busiest_day']['day']} ({t['busiest_day']['exchanges']:,} exchanges)")
    return "\n".join(lines)
