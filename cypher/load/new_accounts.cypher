// New accounts with their identifier relationships, in ONE query per chunk (before: one
// query per node kind and one per relationship kind, eleven round trips, each query planned
// on its own). The caller drops ids already in the graph (an account row, once loaded, is
// never rewritten), so the account is a plain CREATE; its identifier nodes are merged (the
// same address twice in a chunk is one node) and its relationships created, in the same
// transaction as the account: a load killed in between leaves neither. The sign-up IP nodes
// exist already (load/ip_nodes, with their subnets). first/last seen: the sign-up time.
// $rows: [{props: {...account row...}, email, domain, phone, ip, device, org}] (null: none)
UNWIND $rows AS r
CREATE (a:Account)
SET a = r.props
WITH a, r
CALL (a, r) {
  WITH a, r WHERE r.email IS NOT NULL
  MERGE (n:Email {address: r.email})
  CREATE (a)-[:HAS_EMAIL {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
  WITH n, r WHERE r.domain IS NOT NULL
  MERGE (d:EmailDomain {name: r.domain})
  MERGE (n)-[:IN]->(d)
}
CALL (a, r) {
  WITH a, r WHERE r.phone IS NOT NULL
  MERGE (n:Phone {number: r.phone})
  CREATE (a)-[:HAS_PHONE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
}
CALL (a, r) {
  WITH a, r WHERE r.ip IS NOT NULL
  MATCH (n:IP {address: r.ip})
  CREATE (a)-[:SIGNED_UP_FROM {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
}
CALL (a, r) {
  WITH a, r WHERE r.device IS NOT NULL
  MERGE (n:Device {id: r.device})
  CREATE (a)-[:USES_DEVICE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
}
CALL (a, r) {
  WITH a, r WHERE r.org IS NOT NULL
  MERGE (n:Org {id: r.org})
  CREATE (a)-[:BELONGS_TO {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(n)
}
RETURN count(a) AS created
