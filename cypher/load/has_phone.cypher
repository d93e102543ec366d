// (Account)-[:HAS_PHONE]->(Phone) for new accounts: CREATE (one per account; the Phone
// nodes were merged once per distinct value before). first/last seen: the sign-up time.
// $rows: [{account_id, value}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (n:Phone {number: r.value})
CREATE (a)-[:HAS_PHONE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
