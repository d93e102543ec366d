// Review one ring: its members in a run (by default the ring's latest run) with the decision
// for each, and every identifier that two or more members share (directly, or the /24-/48
// subnet of their IPs, or the BIN of their cards).
//
// Neo4j Browser:   :param cluster_id => 'C-0001'
//                  :param run_id => null          (null: the ring's latest run)
MATCH (g:Ring {cluster_id: $cluster_id})
WITH g, coalesce($run_id, g.last_run) AS run_id
MATCH (a:Account)-[m:MEMBER_OF {run: run_id}]->(g)
WITH g, run_id, a, m ORDER BY a.account_id
WITH g, run_id, collect(a) AS accounts,
     collect({account_id: a.account_id, action: m.action, score: m.score, reasons: m.reasons,
              campaign_id: m.campaign_id}) AS members
UNWIND accounts AS a
CALL (a) {
  MATCH (a)-[:HAS_EMAIL|HAS_PHONE|SIGNED_UP_FROM|USES_DEVICE|BELONGS_TO|PAID_WITH|SEEN_ON|USES_KEY|CONNECTED_FROM|USED_PROMPT]->(x)
  RETURN DISTINCT x
  UNION
  MATCH (a)-[:HAS_EMAIL]->(:Email)-[:IN]->(x:EmailDomain)
  RETURN x
  UNION
  MATCH (a)-[:SIGNED_UP_FROM|SEEN_ON|CONNECTED_FROM]->(:IP)-[:IN]->(x:Subnet)
  RETURN x
  UNION
  MATCH (a)-[:PAID_WITH]->(:Card)-[:IN]->(x:CardBin)
  RETURN x
}
WITH g, run_id, members, x, collect(DISTINCT a.account_id) AS shared_by
WHERE size(shared_by) >= 2
WITH g, run_id, members, x, shared_by
ORDER BY size(shared_by) DESC, labels(x)[0]
WITH g, run_id, members,
     collect({kind: labels(x)[0],
              identifier: coalesce(x.address, x.number, x.id, x.fingerprint, x.cidr, x.name,
                                   x.code, x.bin),
              accounts: size(shared_by), shared_by: shared_by,
              accounts_anywhere: COUNT { (x)<--(:Account) }}) AS shared
RETURN g.cluster_id AS cluster_id, run_id, g.score AS score, size(members) AS size,
       members, shared
