"""Attribute campaigns to known operators by matching the campaign's infrastructure against
threat-intelligence indicators (operator, kind, value, confidence, source).

A match is *weak* when its kind is weak by nature (an ASN, an e-mail domain) or when the value
is also common among accounts outside the campaign: weak matches are listed as evidence and
may strengthen an attribution, but never make one on their own. Confidence is a noisy-or over
the operator's matches, each scaled by the share of campaign accounts it covers. Pure
functions over frames; no I/O.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linker import kinds
from linker.detect.evidence import identifiers
from linker.ingest.normalize import normalize_asn
from linker.model import STRING
from linker.settings import AttributionParams

if TYPE_CHECKING:
    from linker.model import Dataset

WEAK_INDICATOR_KINDS = frozenset({"asn", "email_domain"})
# indicator kinds matched by equal value (cidr by containment, card_bin separately)
EXACT_KINDS = tuple(sorted(set(kinds.indicator_map().values()) - {"card_bin"}))


def source_kinds(kinds_wanted: set[str] | None = None) -> set[str]:
    """The evidence kinds `observed_values` reads for these indicator kinds (`cidr` needs
    `ip`, which sign-up and session IPs both feed)."""
    imap = kinds.indicator_map()
    want = None if kinds_wanted is None else (
        set(kinds_wanted) | ({"ip"} if "cidr" in kinds_wanted else set()))
    return {k for k, ind in imap.items() if want is None or ind in want}


def observed_values(ds: Dataset, kinds_wanted: set[str] | None = None,
                    known: pd.DataFrame | None = None,
                    extracted: pd.DataFrame | None = None,
                    distinct: bool = True) -> pd.DataFrame:
    """(account_id, kind, value) for every account, in the indicator kinds' vocabulary
    (`linker.kinds`: IPs of sign-ups, sessions and API clients, ASNs, card BINs, e-mail
    domains, devices, prompt templates, orgs), from `evidence.identifiers`. Distinct rows.
    `kinds_wanted` limits it to what the indicators need (`cidr` needs `ip`). `known`: rows
    (account_id, kind, value) already extracted by the caller (the campaign features); kinds
    it holds are taken from it instead of being extracted again. `extracted`: the rows of
    `evidence.identifiers` for at least the other source kinds, extracted by the caller in
    the same pass as `known` (one pass over the tables instead of two). `distinct=False`
    leaves in the rows an indicator kind fed by several source kinds repeats (an account's
    sign-up IP seen again in its sessions): `attribute` counts distinct (account,
    indicator) pairs, so it gives the same result without them being dropped here (which
    cost 10 s at 1M accounts: a hash of every such row and a copy of the whole frame)."""
    imap = kinds.indicator_map()
    sources = source_kinds(kinds_wanted)
    have = set() if known is None else sources & set(known["kind"].unique())
    cols = ["account_id", "kind", "value"]
    # the account codes of `evidence.identifiers`, when every part carries them: repeated
    # rows are then found on (account code, kind, value), hashing one string column, not three
    coded = (extracted is not None and "acct_code" in extracted.columns
             and (not have or "acct_code" in known.columns))
    take = [*cols, "acct_code"] if coded else cols
    parts = []
    if sources - have and extracted is not None:
        sel = extracted["kind"].isin(list(sources - have)).to_numpy(dtype=bool)
        parts.append(extracted.loc[sel, take].reset_index(drop=True))
    elif sources - have:
        parts.append(identifiers(ds, wanted=sources - have))
    if have:
        parts.append(known.loc[known["kind"].isin(list(have)).to_numpy(), take])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=STRING) for c in cols})
    obs = pd.concat(parts, ignore_index=True)
    # a handful of kinds: map the distinct ones, not every row
    kcode, kuniq = pd.factorize(obs["kind"])
    mapped = [imap[str(k)] for k in kuniq]
    obs["kind"] = pd.array(mapped, dtype=STRING).take(kcode) if len(obs) \
        else obs["kind"].map(imap).astype(STRING)
    acct_code = obs["acct_code"].to_numpy() if coded else None
    obs = obs[cols]
    # the parts' rows are distinct per source kind: only indicator kinds fed by several source
    # kinds (sign-up and session IPs) can repeat a row, so only their rows are compared
    merged = [k for k in set(imap.values()) if sum(v == k for v in imap.values()) > 1]
    sel = np.isin(kcode, [i for i, k in enumerate(mapped) if k in merged])
    if distinct and sel.any():
        if acct_code is not None:
            mk = pd.factorize(np.asarray(mapped, dtype=object))[0][kcode[sel]]
            sub = pd.DataFrame({"a": acct_code[sel], "k": mk,
                                "v": obs["value"][sel].reset_index(drop=True)})
        else:
            sub = obs[sel]
        dup = np.zeros(len(obs), dtype=bool)
        dup[np.flatnonzero(sel)] = sub.duplicated().to_numpy()
        obs = obs[~dup]
    return obs.reset_index(drop=True)


def normalize_indicators(indicators: pd.DataFrame | None, default_confidence: float = 1.0) -> pd.DataFrame:
    """Indicator rows in comparable form (values as the dataset spells them); rows whose value
    cannot be parsed for their kind are dropped. Adds `ind` (row key)."""
    cols = ["operator", "kind", "value", "confidence", "source"]
    if indicators is None or len(indicators) == 0:
        return pd.DataFrame({c: pd.Series(dtype=STRING) for c in cols} | {"ind": pd.Series(dtype="int64")})
    df = indicators.reindex(columns=cols).copy()
    df["kind"] = df["kind"].astype(STRING).str.strip().str.lower()
    df["value"] = df["value"].astype(STRING).str.strip()
    df["operator"] = df["operator"].astype(STRING).str.strip()
    df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce").fillna(default_confidence).clip(0, 1)
    df["source"] = df["source"].astype(STRING)
    em = df["kind"] == "email_domain"
    df.loc[em, "value"] = df.loc[em, "value"].str.lower().str.lstrip("@")
    asn = df["kind"] == "asn"
    df.loc[asn, "value"] = normalize_asn(df.loc[asn, "value"])
    ipm = (df["kind"] == "ip").to_numpy()
    if ipm.any():
        df.loc[ipm, "value"] = df.loc[ipm, "value"].map(_canon_ip, na_action="ignore")
    cm = (df["kind"] == "cidr").to_numpy()
    if cm.any():
        df.loc[cm, "value"] = df.loc[cm, "value"].map(_canon_net, na_action="ignore")
    df = df[df["value"].notna() & df["operator"].notna() & (df["value"] != "")]
    return df.reset_index(drop=True).assign(ind=lambda d: np.arange(len(d), dtype=np.int64))


def _canon_ip(v: str) -> str | None:
    try:
        ip = ipaddress.ip_address(v)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.compressed


def _canon_net(v: str) -> str | None:
    try:
        return str(ipaddress.ip_network(v, strict=False))
    except ValueError:
        return None


_CANON_V4 = r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}" \
            r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"


def _v4_ints(ips: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dotted-quad strings → uint32 (vectorised); mask of those that parsed. Canonical
    addresses (all of them, after `normalize_ip`) are split in Arrow: pandas' object path
    took seconds for the million distinct addresses of 1M accounts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(ips.astype(STRING).array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if len(arr) and arr.null_count == 0 and pc.all(pc.match_substring_regex(arr, _CANON_V4)).as_py():
        octs = pc.cast(pc.list_flatten(pc.split_pattern(arr, ".")), pa.int64()).to_numpy()
        octs = octs.astype(np.uint64).reshape(-1, 4)
        val = (octs[:, 0] << 24) | (octs[:, 1] << 16) | (octs[:, 2] << 8) | octs[:, 3]
        return val, np.ones(len(arr), dtype=bool)
    parts = ips.str.split(".", expand=True)
    if parts.shape[1] != 4:
        return np.zeros(len(ips), dtype=np.uint64), np.zeros(len(ips), dtype=bool)
    nums = parts.apply(pd.to_numeric, errors="coerce")
    ok = nums.notna().all(axis=1).to_numpy() & (nums.fillna(-1) >= 0).all(axis=1).to_numpy() \
        & (nums.fillna(256) <= 255).all(axis=1).to_numpy()
    arr = nums.fillna(0).to_numpy(dtype=np.uint64)
    val = (arr[:, 0] << 24) | (arr[:, 1] << 16) | (arr[:, 2] << 8) | arr[:, 3]
    return val, ok


def _cidr_matches(ips: pd.Series, cidrs: pd.DataFrame) -> pd.DataFrame:
    """(value, ind) for each distinct IP contained in a CIDR indicator."""
    out: list[pd.DataFrame] = []
    uniq = pd.Series(ips.dropna().unique(), dtype=STRING)
    if uniq.empty or cidrs.empty:
        return pd.DataFrame({"value": pd.Series(dtype=STRING), "ind": pd.Series(dtype="int64")})
    is_v4 = ~uniq.str.contains(":", regex=False).fillna(False).astype(bool)
    v4 = uniq[is_v4.to_numpy()].reset_index(drop=True)
    ints, ok = _v4_ints(v4) if len(v4) else (np.zeros(0, np.uint64), np.zeros(0, bool))
    v4, ints = v4[ok].reset_index(drop=True), ints[ok]
    order = np.argsort(ints, kind="stable")
    ints_sorted, v4_sorted = ints[order], v4.to_numpy()[order]
    v6 = uniq[(~is_v4).to_numpy()]
    # IPv6 addresses as Python ints (one parse each) only when an IPv6 block is listed
    nets = [ipaddress.ip_network(n) for n in cidrs["value"]]
    v6_ints = (np.array([int(ipaddress.IPv6Address(x)) for x in v6], dtype=object)
               if len(v6) and any(n.version == 6 for n in nets) else None)
    v6_vals = v6.to_numpy()
    for net, ind in zip(nets, cidrs["ind"], strict=True):  # one iteration per indicator
        lo, hi = int(net.network_address), int(net.broadcast_address)
        if net.version == 4:
            i, j = np.searchsorted(ints_sorted, lo, "left"), np.searchsorted(ints_sorted, hi, "right")
            vals = v4_sorted[i:j]
        elif v6_ints is not None:
            vals = v6_vals[(v6_ints >= lo) & (v6_ints <= hi)]
        else:
            continue
        if len(vals):
            out.append(pd.DataFrame({"value": vals, "ind": ind}))
    if not out:
        return pd.DataFrame({"value": pd.Series(dtype=STRING), "ind": pd.Series(dtype="int64")})
    return pd.concat(out, ignore_index=True)


def _with_values(frame: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Rows of `frame` whose `value` is one of `values` (hashed in Arrow), in their order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(frame["value"].astype(STRING).array)
    wanted = pa.array(pd.Series(values, dtype=STRING).dropna().unique())
    return frame[pc.fill_null(pc.is_in(arr, value_set=wanted), False).to_numpy(
        zero_copy_only=False)]


def match_indicators(observed: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """(account_id, ind): every account whose observed values match an indicator. Exact match
    for most kinds, CIDR containment for `cidr`, prefix match for `card_bin`."""
    parts: list[pd.DataFrame] = []
    exact = ind[ind["kind"].isin(EXACT_KINDS).to_numpy()]
    if len(exact):
        # only rows whose value an indicator names can match: merge those, not millions
        m = _with_values(observed, exact["value"]).merge(exact[["kind", "value", "ind"]],
                                                         on=["kind", "value"])
        parts.append(m[["account_id", "ind"]])
    bins = ind[(ind["kind"] == "card_bin").to_numpy()]
    if len(bins):
        ob = observed[(observed["kind"] == "card_bin").to_numpy()]
        for length in sorted(bins["value"].str.len().unique()):
            b = bins[(bins["value"].str.len() == length).to_numpy()]
            pre = ob.assign(value=ob["value"].str.slice(0, int(length)))
            parts.append(pre.merge(b[["value", "ind"]], on="value")[["account_id", "ind"]])
    cidrs = ind[(ind["kind"] == "cidr").to_numpy()]
    if len(cidrs):
        ob = observed[(observed["kind"] == "ip").to_numpy()]
        hits = _cidr_matches(ob["value"], cidrs)
        if len(hits):
            parts.append(_with_values(ob, hits["value"]).merge(hits, on="value")[
                ["account_id", "ind"]])
    if not parts:
        return pd.DataFrame({"account_id": pd.Series(dtype=STRING), "ind": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)


def attribute(
    account_campaign: pd.DataFrame,
    observed: pd.DataFrame,
    indicators: pd.DataFrame | None,
    params: AttributionParams | None = None,
    flagged: pd.Series | None = None,
) -> dict[int, dict[str, Any]]:
    """Per campaign key: operator (None below the threshold or with weak matches only),
    confidence (0.0 when unattributed) and evidence (matched indicators, strongest first).

    Each evidence entry records the accounts in this run matching the indicator: `outside`
    the campaign, `flagged` (in any ring: `flagged`, default the campaign accounts) and
    `unflagged`; a match that more unflagged than flagged accounts share is weak."""
    params = params or AttributionParams()
    ind = normalize_indicators(indicators, params.default_confidence)
    ac = account_campaign[["account_id", "campaign"]].drop_duplicates("account_id")
    out: dict[int, dict[str, Any]] = {
        int(c): {"operator": None, "confidence": 0.0, "evidence": []} for c in ac["campaign"].unique()
    }
    if ind.empty or ac.empty:
        return out
    hits = match_indicators(observed, ind)
    if hits.empty:
        return out
    total = hits.groupby("ind").size().rename("n_total")
    flagged_ids = ac["account_id"] if flagged is None else flagged
    hits = hits.assign(flagged=hits["account_id"].isin(flagged_ids).to_numpy())
    n_flagged = hits.groupby("ind")["flagged"].sum().rename("n_flagged")
    inc = hits.merge(ac, on="account_id")
    if inc.empty:
        return out
    m = inc.groupby(["campaign", "ind"]).size().rename("accounts").reset_index()
    m = m.merge(total, left_on="ind", right_index=True).merge(n_flagged, left_on="ind", right_index=True)
    m = m.merge(ind, on="ind")
    size = ac.groupby("campaign").size()
    m["share"] = m["accounts"] / m["campaign"].map(size).to_numpy()
    outside = m["n_total"] - m["accounts"]
    common = (outside > params.outside_min) & (outside > params.outside_ratio * m["accounts"])
    unflagged = m["n_total"] - m["n_flagged"]
    m["weak"] = m["kind"].isin(WEAK_INDICATOR_KINDS) | common | (unflagged > m["n_flagged"])
    cover = np.minimum(1.0, m["share"] / params.full_share)
    m["term"] = m["confidence"] * (params.min_factor + (1 - params.min_factor) * cover)
    m.loc[m["weak"], "term"] *= params.weak_factor
    strong_any = (~m["weak"]).groupby([m["campaign"], m["operator"]]).transform("any")
    m.loc[~strong_any, "term"] = 0.0
    m["log1m"] = np.log1p(-m["term"].clip(upper=1 - 1e-12))
    score = m.groupby(["campaign", "operator"])["log1m"].sum().rename("score").reset_index()
    score["score"] = -np.expm1(score["score"])
    score = score.sort_values(["campaign", "score", "operator"], ascending=[True, False, True])
    best = score.drop_duplicates("campaign").set_index("campaign")

    m = m.sort_values(["campaign", "weak", "term", "accounts", "operator", "kind", "value"],
                      ascending=[True, True, False, False, True, True, True])
    m = m.groupby("campaign").head(params.max_evidence)
    for c, g in m.groupby("campaign"):  # one iteration per campaign with matches
        key = int(c)
        ev = [{"operator": str(r.operator), "kind": str(r.kind), "value": str(r.value),
               "confidence": round(float(r.confidence), 4),
               "source": None if pd.isna(r.source) else str(r.source),
               "accounts": int(r.accounts), "outside": int(r.n_total - r.accounts),
               "flagged": int(r.n_flagged), "unflagged": int(r.n_total - r.n_flagged),
               "weak": bool(r.weak)}
              for r in g.itertuples(index=False)]
        out[key]["evidence"] = ev
        if c in best.index and best.loc[c, "score"] >= params.threshold:
            out[key]["operator"] = str(best.loc[c, "operator"])
            out[key]["confidence"] = round(float(best.loc[c, "score"]), 4)
    return out
