// (Account)-[:USES_DEVICE]->(Device) for new accounts: CREATE (one per account; the Device
// nodes were merged once per distinct value before). first/last seen: the sign-up time.
// $rows: [{account_id, value}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (n:Device {id: r.value})
CREATE (a)-[:USES_DEVICE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
