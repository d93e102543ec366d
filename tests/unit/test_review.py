"""Review packets: rendering, capping of big rings, redaction, the ring picture sample."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from sample_findings import sample_findings

from linker.model import Findings
from linker.outputs.pictures import sample_ring_graph
from linker.outputs.review import (
    MEMBER_ROWS,
    build_packet,
    mask_emails,
    mask_ips,
    mask_phones,
    prepare,
    ring_cypher,
    write_review_packet,
)

UTC = "UTC"


def hand_findings() -> Findings:
    """Two rings by hand. R1 (score .9): a1..a4; a1-a3 share card-X and a phone, a3-a4 share
    dev-9. R2 (score .6): b1, b2 share an IP; b1 also uses card-X (so card-X is seen by 4
    flagged accounts, 3 of them in R1)."""
    t = pd.Timestamp("2026-10-01 10:00", tz=UTC)
    accounts = pd.DataFrame({
        "account_id": ["a1", "a2", "a3", "a4", "b1", "b2"],
        "created_at": [t, t + pd.Timedelta("5min"), t + pd.Timedelta("7min"), t + pd.Timedelta("9min"),
                       t + pd.Timedelta("3D"), t + pd.Timedelta("3D 1h")],
        "email": ["alice.smith@example.com", "bob.jones@example.com", "carol@corp-mail.net",
                  "dave@example.org", "erin@example.com", "frank@example.net"],
        "phone": ["+14155550123", "+14155550123", "+14155550123", "+442079460018", "+33142685300", None],
        "signup_ip": ["203.0.113.7", "203.0.113.8", "198.51.100.23", "2001:db8:85a3::8a2e:370:7334",
                      "192.0.2.55", "192.0.2.55"],
        "device_id": ["dev-1", "dev-2", "dev-9", "dev-9", "dev-5", "dev-6"],
        "country": ["US", "US", "US", "GB", "FR", "FR"],
        "org_id": [None] * 6,
    })
    ev_rows = [
        ("a1", "card", "card-X"), ("a2", "card", "card-X"), ("a3", "card", "card-X"), ("b1", "card", "card-X"),
        ("a3", "device", "dev-9"), ("a4", "device", "dev-9"),
        ("a1", "phone", "+14155550123"), ("a2", "phone", "+14155550123"), ("a3", "phone", "+14155550123"),
        ("a4", "phone", "+442079460018"),
        ("b1", "signup_ip", "192.0.2.55"), ("b2", "signup_ip", "192.0.2.55"),
        ("a1", "signup_ip", "203.0.113.7"), ("a2", "ip", "203.0.113.8"),
        ("a4", "signup_ip", "2001:db8:85a3::8a2e:370:7334"),
        ("a1", "email", "alicesmith@example.com"), ("a2", "email", "bob.jones@example.com"),
        ("a1", "subnet", "203.0.113.0/24"), ("a2", "subnet", "203.0.113.0/24"),
    ]
    evidence = pd.DataFrame(ev_rows, columns=["account_id", "kind", "value"])
    evidence["first_seen"] = t
    evidence["last_seen"] = t + pd.Timedelta("2D")
    evidence["count"] = 1
    links = pd.DataFrame({
        "a": ["a1", "a1", "a2", "a3", "b1", "a1"],
        "b": ["a2", "a3", "a3", "a4", "b2", "b1"],
        "weight": [3.0, 2.5, 2.5, 1.5, 1.0, 0.4],
        "reasons": ["SHARED_CARD;SHARED_PHONE", "SHARED_CARD;SHARED_PHONE", "SHARED_CARD;SHARED_PHONE",
                    "SHARED_DEVICE", "SHARED_SIGNUP_IP", "SHARED_CARD"],
    })
    activity = pd.DataFrame({
        "account_id": ["a1", "a1", "a2", "a3", "a4", "b1", "b2"],
        "day": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-01", "2026-10-02", "2026-10-02",
                               "2026-10-05", "2026-10-05"], utc=True),
        "exchanges": [120, 80, 200, 150, 90, 10, 12],
    })
    suspensions = pd.DataFrame({
        "account_id": ["a1", "a2", "a3", "a4", "b1", "b2"],
        "action": ["suspend", "suspend", "suspend", "review", "review", "review"],
        "score": [0.95, 0.93, 0.9, 0.62, 0.58, 0.55],
        "cluster_id": ["R1", "R1", "R1", "R1", "R2", "R2"],
        "campaign_id": ["K1", "K1", "K1", "K1", "K2", "K2"],
        "reasons": ["SHARED_CARD;SHARED_PHONE", "SHARED_CARD;SHARED_PHONE", "SHARED_CARD;SHARED_DEVICE",
                    "SHARED_DEVICE", "SHARED_SIGNUP_IP", "SHARED_SIGNUP_IP"],
    })
    clusters = pd.DataFrame({
        "cluster_id": ["R2", "R1"], "campaign_id": ["K2", "K1"], "size": [2, 4], "score": [0.6, 0.9],
        "first_seen": [t + pd.Timedelta("4D"), t], "last_seen": [t + pd.Timedelta("5D"), t + pd.Timedelta("2D")],
        "exchanges": [22, 640], "reasons": ["SHARED_SIGNUP_IP", "SHARED_CARD;SHARED_DEVICE;SHARED_PHONE"],
    })
    campaigns = [
        {"campaign_id": "K1", "operator": "Acme Distill", "confidence": 0.85, "accounts": 4, "clusters": ["R1"]},
        {"campaign_id": "K2", "operator": None, "confidence": None, "accounts": 2, "clusters": ["R2"]},
    ]
    return Findings(
        run={"run_id": "run-test-1", "counts": {"accounts": 1000}},
        suspensions=suspensions, members=suspensions[["account_id", "cluster_id", "campaign_id"]],
        clusters=clusters, campaigns=campaigns, links=links, evidence=evidence, activity=activity,
        accounts=accounts,
    )


def _table_rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body.split("<tbody>", 1)[1], flags=re.S)


def test_packet_renders_index_and_ring_pages() -> None:
    files = build_packet(hand_findings())
    assert set(files) == {"index.html", "rings/R1.html", "rings/R1.members.csv",
                          "rings/R2.html", "rings/R2.members.csv"}
    index = files["index.html"]
    # sorted by score: R1 (0.9) before R2 (0.6), with links to the ring pages
    assert index.index('href="rings/R1.html"') < index.index('href="rings/R2.html"')
    assert "Acme Distill" in index and "unattributed" in index
    r1 = files["rings/R1.html"]
    for acc in ("a1", "a2", "a3", "a4"):
        assert f">{acc}<" in r1
    assert ">b1<" not in r1.split('id="member-table"')[1].split("</table>")[0]
    # shared identifiers: card-X is shared by 3 ring members and seen on 4 flagged accounts
    ident = {re.sub(r"<[^>]+>", "|", r).replace(" ", ""): r for r in _table_rows(r1, "identifier-table")}
    card = next(k for k in ident if "card-X" in k)
    assert "|3|" in card and "|4|" in card
    assert any("dev-9" in k and "|2|" in k for k in ident)
    # the reason table explains each code and counts members / links carrying it
    why = re.sub(r"<[^>]+>", "|", r1.split("Why: reason codes", 1)[1].split("</table>", 1)[0])
    assert re.search(r"SHARED_DEVICE\|+the same device / browser fingerprint signed up several accounts\|+2\|+1\|", why)
    assert 'title="the same payment card' in files["index.html"]  # tooltips on the index
    # two inline PNGs (picture, timeline) and the Cypher with this ring's parameter
    assert r1.count("<svg ") == 2 and "<title>a1 (suspend)</title>" in r1
    assert ':param cluster_id =&gt; &#34;R1&#34;' in r1 or ':param cluster_id => "R1"' in r1
    assert "$cluster_id" in r1
    # links between rings are counted, not listed in the ring
    assert "1 links to members of other rings" in r1
    csv = files["rings/R1.members.csv"].splitlines()
    assert csv[0].startswith("account_id,action,score,reasons,verdict,created_at")
    assert len(csv) == 1 + 4 and csv[1].startswith("a1,suspend")  # highest score first


def test_pages_are_self_contained() -> None:
    files = build_packet(hand_findings())
    for name, text in files.items():
        if name.endswith(".html"):
            assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text, flags=re.I), name
            assert "<link rel=\"stylesheet\"" not in text
            assert "@import" not in text


def test_big_ring_is_capped_with_full_csv() -> None:
    f = sample_findings([MEMBER_ROWS + 137], seed=3)
    files = build_packet(f, pictures=False)
    page = files["rings/C0000.html"]
    assert len(_table_rows(page, "member-table")) == MEMBER_ROWS
    assert f"The {MEMBER_ROWS} highest-scoring of {MEMBER_ROWS + 137}" in page
    csv = pd.read_csv(pd.io.common.StringIO(files["rings/C0000.members.csv"]))
    assert len(csv) == MEMBER_ROWS + 137
    assert csv["score"].is_monotonic_decreasing


def test_redacted_packet_has_no_raw_email_phone_or_ip() -> None:
    f = hand_findings()
    files = build_packet(f, redact=True, key=b"0123456789abcdef")
    raw = set(f.accounts["email"].dropna()) | set(f.accounts["phone"].dropna()) | set(
        f.accounts["signup_ip"].dropna()
    )
    raw |= set(f.evidence.loc[f.evidence["kind"].isin(["email", "phone", "signup_ip", "ip", "subnet"]), "value"])
    assert len(raw) >= 15
    for name, text in files.items():
        for value in raw:
            assert value not in text, (name, value)
            assert value.replace("+", "") not in text, (name, value)
    r1 = files["rings/R1.html"]
    assert "REDACTED" in r1 and "REDACTED" in files["index.html"]
    assert "a***@e***.com~" in r1          # alice.smith@example.com
    assert "203.0.x.x~" in r1              # /16 kept
    assert "203.0.x.0/24~" in r1
    assert "2001:db8:x::~" in r1
    assert "card-X" in r1                  # card fingerprints are not personal data: kept


def test_masks_keep_equality_and_missing_values() -> None:
    key = b"k" * 16
    e = mask_emails(pd.Series(["Alice@Example.com", "Alice@Example.com", "bob@x.org", None, "not-an-email"]), key)
    assert e[0] == e[1] and e[0] != e[2]
    assert e[0].startswith("A***@E***.com~") and e[2].startswith("b***@x***.org~")
    assert pd.isna(e[3]) and e[4].startswith("***~")
    p = mask_phones(pd.Series(["+14155550123", "(415) 555-0199"]), key)
    assert p[0].startswith("+*********23~") and "0199" not in p[1] and p[1].split("~")[0].endswith("99")
    ips = mask_ips(pd.Series(["10.20.30.40", "10.20.30.0/24", "fe80::1", "garbage"]), key)
    assert [v.split("~")[0] for v in ips] == ["10.20.x.x", "10.20.x.0/24", "fe80::x::", "***"]
    # another key gives other tags: tags cannot be matched across packets
    assert mask_ips(pd.Series(["10.20.30.40"]), b"z" * 16)[0] != ips[0]


def test_write_replaces_previous_packet(tmp_path: Path) -> None:
    write_review_packet(hand_findings(), tmp_path)
    stale = tmp_path / "review" / "rings" / "OLD.html"
    stale.write_text("old")
    write_review_packet(hand_findings(), tmp_path, redact=True)
    assert not stale.exists()
    assert (tmp_path / "review" / "index.html").exists()
    assert "alice.smith@example.com" not in (tmp_path / "review" / "rings" / "R1.members.csv").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".review")]


def test_prepare_counts_identifiers_within_ring_and_flagged() -> None:
    ids = prepare(hand_findings()).identifiers.set_index(["cluster_id", "kind", "value"])
    assert ids.loc[("R1", "card", "card-X"), ["in_ring", "flagged"]].tolist() == [3, 4]
    assert ids.loc[("R2", "signup_ip", "192.0.2.55"), "in_ring"] == 2
    # used by one member only: not a shared identifier
    assert ("R1", "phone", "+442079460018") not in ids.index


def test_ring_picture_sample_is_bounded() -> None:
    f = sample_findings([3000], seed=1)
    p = prepare(f)
    ids = p.identifiers.assign(label=p.identifiers["value"])
    rg = sample_ring_graph(p.sus[["account_id", "action"]], p.ev, ids, p.links,
                           max_accounts=120, max_identifiers=12)
    assert rg.total_accounts == 3000 and rg.shown_accounts == 120
    assert rg.shown_identifiers == 12 and rg.total_identifiers == len(ids)
    kinds = [d["kind"] for _, d in rg.graph.nodes(data=True)]
    assert kinds.count("account") == 120 and kinds.count("identifier") == 12
    # broad infrastructure (email domain, ASN) is not what the picture shows first
    labels = [d["label"] for _, d in rg.graph.nodes(data=True) if d["kind"] == "identifier"]
    assert not any(lbl.startswith("mail") for lbl in labels)
    # variety: devices, cards and sign-up IPs all appear, not 12 of the most shared kind
    shown = ids.set_index("label").loc[labels, "kind"]
    assert {"device", "card", "signup_ip"} <= set(shown)
    assert rg.graph.number_of_edges() > 0


@pytest.mark.parametrize("run_id", [None, "run-9"])
def test_ring_cypher_is_parameterised(run_id: str | None) -> None:
    text = ring_cypher('R"1', run_id)
    params, body = text.split("\n\n", 1)
    assert params.splitlines()[0] == ':param cluster_id => "R\\"1";'
    assert 'R"1' not in body and "$cluster_id" in body
    if "$run_id" in body:  # the neo4j helper's saved query takes the run too
        assert params.splitlines()[1] == (":param run_id => null;" if run_id is None
                                          else ':param run_id => "run-9";')


def test_ring_page_names_the_run_only_when_it_is_in_neo4j() -> None:
    f = hand_findings()
    page = build_packet(f, pictures=False)["rings/R1.html"]
    if "$run_id" in page:
        assert ":param run_id =&gt; null;" in page
        f.run["store"] = "neo4j"
        page = build_packet(f, pictures=False)["rings/R1.html"]
        assert ":param run_id =&gt; &#34;run-test-1&#34;;" in page


def test_packet_without_detail_frames_or_rings() -> None:
    """An output directory from an older run may lack detail/; a run may find no ring."""
    import dataclasses

    from linker.contract import CLUSTERS_COLUMNS, MEMBERS_COLUMNS, SUSPENSIONS_COLUMNS

    bare = dataclasses.replace(hand_findings(), activity=pd.DataFrame(), links=pd.DataFrame(),
                               evidence=pd.DataFrame(), accounts=pd.DataFrame())
    files = build_packet(bare)
    assert "No identifier is shared inside this ring" in files["rings/R1.html"]
    assert ">a4<" in files["rings/R1.html"]
    empty = Findings(run={"run_id": "empty"}, suspensions=pd.DataFrame(columns=SUSPENSIONS_COLUMNS),
                     members=pd.DataFrame(columns=MEMBERS_COLUMNS),
                     clusters=pd.DataFrame(columns=CLUSTERS_COLUMNS), campaigns=[])
    files = build_packet(empty)
    assert list(files) == ["index.html"] and "No rings in this run." in files["index.html"]


def test_index_marks_changes_since_previous_run() -> None:
    f = hand_findings()
    f.changes = {"first_run": False, "new_clusters": ["R2"],
                 "grown_clusters": [{"cluster_id": "R1", "before": 2, "after": 4}]}
    index = build_packet(f, pictures=False)["index.html"]
    rows = {r.split('href="rings/')[1][:2]: r
            for t in ("rings-review", "rings-suspended") for r in _table_rows(index, t)
            if 'href="rings/' in r}
    assert ">new<" in rows["R2"] and ">+2<" in rows["R1"]
    f.changes = {"first_run": True, "new_clusters": ["R1", "R2"]}
    assert "since the previous run" not in build_packet(f, pictures=False)["index.html"]


def test_timeline_buckets_follow_the_burst() -> None:
    from linker.outputs.pictures import timeline_svg

    burst = pd.Series(pd.to_datetime(["2026-04-21 14:02", "2026-04-21 14:03", "2026-04-21 14:19"], utc=True))
    daily = pd.DataFrame({"day": pd.to_datetime(["2026-04-22", "2026-04-24"]), "exchanges": [10, 30],
                          "accounts": [2, 3]})
    svg = timeline_svg(burst, daily)
    assert "sign-ups per 5 minutes (UTC)" in svg
    signups = [int(n) for n in re.findall(r"<title>[^<]*: (\d+) sign-ups</title>", svg)]
    assert sum(signups) == 3 and len(signups) >= 12 and signups[0] == 2
    ex = re.findall(r"<title>(\d{4}-\d\d-\d\d): ([\d,]+) exchanges</title>", svg)
    assert ex == [("2026-04-22", "10"), ("2026-04-23", "0"), ("2026-04-24", "30")]
    for span, name in (("2024-01-01", "week"), ("2026-03-01", "day"), ("2026-04-20", "hour")):
        times = pd.Series(pd.to_datetime([span, "2026-04-21"], utc=True))
        svg = timeline_svg(times, daily.iloc[0:0])
        assert f"sign-ups per {name} (UTC)" in svg
        assert sum(int(n) for n in re.findall(r": (\d+) sign-ups</title>", svg)) == 2
