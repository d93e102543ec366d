"""The saved review queries (cypher/*.cypher, for Neo4j Browser) return the evidence an
analyst needs on a small hand-made graph whose answer is known."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linker.ingest.normalize import normalize_dataset
from linker.ingest.read import read_dataset
from linker.model import Findings
from linker.store.neo4j import Neo4jStore

pytestmark = pytest.mark.integration


def _write(d: Path, name: str, text: str) -> None:
    (d / name).write_text(text.strip() + "\n")


@pytest.fixture
def graph(clean_db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    # a1..a3: one operator (device D1, card C1, sign-ups from one /24); a4 also uses card C1
    # but is not in the ring; a5 has nothing in common with anyone.
    _write(data, "accounts.csv", """
account_id,created_at,email,signup_ip,device_id,country
a1,2024-03-01T10:00:00Z,x1@mail.test,10.0.0.1,D1,US
a2,2024-03-01T10:01:00Z,x2@mail.test,10.0.0.1,D1,US
a3,2024-03-01T10:02:00Z,x3@mail.test,10.0.0.2,D1,US
a4,2024-03-05T08:00:00Z,y4@other.test,192.0.2.7,D4,US
a5,2024-03-06T08:00:00Z,z5@third.test,198.51.100.9,D5,US
""")
    _write(data, "payments.csv", """
account_id,card_fingerprint,card_bin,billing_postal_code,created_at
a1,C1,411111,10001,2024-03-02T09:00:00Z
a2,C1,411111,10001,
a3,C1,411111,10001,
a4,C1,411111,10001,
a5,C5,522222,94105,
""")
    store = Neo4jStore(clean_db.uri, clean_db.user, clean_db.password, clean_db.database,
                       progress=False)
    store.load(normalize_dataset(read_dataset(data)))
    sus = pd.DataFrame({
        "account_id": ["a1", "a2", "a3"], "action": ["suspend", "suspend", "review"],
        "score": [0.9, 0.85, 0.6], "cluster_id": ["C-1"] * 3, "campaign_id": ["K-1"] * 3,
        "reasons": ["SHARED_CARD;SHARED_DEVICE"] * 3,
    })
    clusters = pd.DataFrame({
        "cluster_id": ["C-1"], "campaign_id": ["K-1"], "size": [3], "score": [0.8],
        "first_seen": ["2024-03-01T10:00:00Z"], "last_seen": ["2024-03-01T10:02:00Z"],
        "exchanges": [0], "reasons": ["SHARED_CARD;SHARED_DEVICE"],
    })
    findings = Findings(
        run={"run_id": "r1", "started_at": "2024-03-07T00:00:00Z"},
        suspensions=sus, members=sus[["account_id", "cluster_id", "campaign_id"]],
        clusters=clusters,
        campaigns=[{"campaign_id": "K-1", "operator": "OpX", "confidence": 0.8, "accounts": 3,
                    "clusters": 1, "exchanges": 0, "first_seen": None, "last_seen": None,
                    "capabilities": {}, "infrastructure": {}, "evidence": []}],
    )
    store.write_results(findings)
    yield store
    store.close()


def test_review_ring_lists_members_and_shared_identifiers(graph) -> None:
    rows = graph.review("review_ring", cluster_id="C-1", run_id=None)
    assert len(rows) == 1
    ring = rows[0]
    assert ring["run_id"] == "r1" and ring["size"] == 3
    assert [m["account_id"] for m in ring["members"]] == ["a1", "a2", "a3"]
    assert [m["action"] for m in ring["members"]] == ["suspend", "suspend", "review"]
    shared = {(s["kind"], s["identifier"]): s for s in ring["shared"]}
    assert shared[("Device", "D1")]["accounts"] == 3
    assert shared[("Card", "C1")]["accounts"] == 3
    assert shared[("Card", "C1")]["accounts_anywhere"] == 4  # a4 uses it too, outside the ring
    assert shared[("Subnet", "10.0.0.0/24")]["accounts"] == 3
    assert shared[("IP", "10.0.0.1")]["shared_by"] == ["a1", "a2"]
    assert shared[("EmailDomain", "mail.test")]["accounts"] == 3
    assert shared[("CardBin", "411111")]["accounts"] == 3
    assert ("IP", "10.0.0.2") not in shared  # used by a3 alone
    # Ordered by how many members share the identifier.
    counts = [s["accounts"] for s in ring["shared"]]
    assert counts == sorted(counts, reverse=True)
    assert graph.review("review_ring", cluster_id="no-such", run_id=None) == []


def test_account_neighbourhood_shows_other_accounts_and_their_rings(graph) -> None:
    rows = graph.review("account_neighbourhood", account_id="a1", limit=25)
    by = {(r["kind"], r["identifier"]): r for r in rows}
    card = by[("Card", "C1")]
    assert card["accounts_using"] == 4 and card["via"] == "PAID_WITH"
    # a payment row's own time is its first and last sighting
    assert str(card["first_seen"])[:19] == str(card["last_seen"])[:19] == "2024-03-02T09:00:00"
    assert card["count"] == 1
    assert {o["account_id"]: o["ring"] for o in card["others"]} == {
        "a2": "C-1", "a3": "C-1", "a4": None}
    assert by[("IP", "10.0.0.1")]["accounts_using"] == 2
    assert all(o["account_id"] != "a5" for r in rows for o in r["others"])
    limited = graph.review("account_neighbourhood", account_id="a1", limit=1)
    assert max(len(r["others"]) for r in limited) == 1


def test_campaign_overview_summarises_attribution_and_decisions(graph) -> None:
    rows = graph.review("campaign_overview", campaign_id=None, run_id=None)
    assert len(rows) == 1
    c = rows[0]
    assert (c["campaign_id"], c["operator"], c["confidence"]) == ("K-1", "OpX", 0.8)
    assert (c["accounts"], c["suspend"], c["review"], c["ring_count"]) == (3, 2, 1, 1)
    assert c["rings"][0]["cluster_id"] == "C-1" and c["rings"][0]["size"] == 3
    assert graph.review("campaign_overview", campaign_id="nope", run_id=None) == []
