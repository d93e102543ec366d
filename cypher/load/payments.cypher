// New payment rows as (Account)-[:PAID_WITH]->(Card) relationships carrying the row. The
// caller has dropped rows already in the graph (same row_key: a hash of the whole row) and
// created the Card nodes; seq keeps load order.
// $rows: [{account_id, card, row_key, seq, props: {...row...}}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (c:Card {fingerprint: r.card})
CREATE (a)-[p:PAID_WITH]->(c)
SET p = r.props, p.row_key = r.row_key, p.seq = r.seq
RETURN count(p) AS created
