// (Account)-[:BELONGS_TO]->(Org) for new accounts: CREATE (one per account; the Org
// nodes were merged once per distinct value before). first/last seen: the sign-up time.
// $rows: [{account_id, value}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (n:Org {id: r.value})
CREATE (a)-[:BELONGS_TO {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
