// Payment rows as (Account)-[:PAID_WITH]->(Card) relationships carrying the row; row_key (a
// hash of the whole row) makes a repeated row a no-op, seq keeps load order.
// $rows: [{account_id, card, row_key, seq, props: {...row...}, bin, postal}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MERGE (c:Card {fingerprint: r.card})
MERGE (a)-[p:PAID_WITH {row_key: r.row_key}]->(c)
ON CREATE SET p += r.props, p.seq = r.seq, p.first_seen = r.props.created_at,
              p.last_seen = r.props.created_at, p.count = 1
FOREACH (_ IN CASE WHEN r.bin IS NULL THEN [] ELSE [1] END |
  MERGE (b:CardBin {bin: r.bin}) MERGE (c)-[:IN]->(b))
FOREACH (_ IN CASE WHEN r.postal IS NULL THEN [] ELSE [1] END |
  MERGE (z:PostalCode {code: r.postal}) MERGE (c)-[:BILLED_TO]->(z))
RETURN sum(CASE WHEN p.seq = r.seq THEN 1 ELSE 0 END) AS created
