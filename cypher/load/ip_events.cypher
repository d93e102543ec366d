// IP events as (Account)-[:SEEN_ON]->(IP) relationships carrying the row (row_key: hash of
// the row, for de-duplication; seq: load order). The IP node is the normalised address, or
// the raw value when it does not parse.
// $rows: [{account_id, ip, row_key, seq, props: {...row...}}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MERGE (i:IP {address: r.ip})
MERGE (a)-[e:SEEN_ON {row_key: r.row_key}]->(i)
ON CREATE SET e += r.props, e.seq = r.seq, e.first_seen = r.props.seen_at,
              e.last_seen = r.props.seen_at, e.count = 1
RETURN sum(CASE WHEN e.seq = r.seq THEN 1 ELSE 0 END) AS created
