// New IP events as (Account)-[:SEEN_ON]->(IP) relationships carrying the row. The caller has
// dropped rows already in the graph (same row_key: a hash of the whole row) and created the
// IP nodes (the normalised address, or the raw value when it does not parse); seq keeps order.
// $rows: [{account_id, ip, row_key, seq, props: {...row...}}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (i:IP {address: r.ip})
CREATE (a)-[e:SEEN_ON]->(i)
SET e = r.props, e.row_key = r.row_key, e.seq = r.seq
RETURN count(e) AS created
