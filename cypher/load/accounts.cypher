// New accounts (the caller drops ids already in the graph: an account row, once loaded, is
// never rewritten) with their sign-up identifiers.
// $rows: [{props: {account_id, created_at, email, ...}, email, domain, phone, ip, device, org}]
UNWIND $rows AS r
CREATE (a:Account)
SET a = r.props
WITH a, r
FOREACH (_ IN CASE WHEN r.email IS NULL THEN [] ELSE [1] END |
  MERGE (e:Email {address: r.email})
  CREATE (a)-[:HAS_EMAIL {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(e))
FOREACH (_ IN CASE WHEN r.phone IS NULL THEN [] ELSE [1] END |
  MERGE (p:Phone {number: r.phone})
  CREATE (a)-[:HAS_PHONE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(p))
FOREACH (_ IN CASE WHEN r.ip IS NULL THEN [] ELSE [1] END |
  MERGE (i:IP {address: r.ip})
  CREATE (a)-[:SIGNED_UP_FROM {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(i))
FOREACH (_ IN CASE WHEN r.device IS NULL THEN [] ELSE [1] END |
  MERGE (d:Device {id: r.device})
  CREATE (a)-[:USES_DEVICE {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(d))
FOREACH (_ IN CASE WHEN r.org IS NULL THEN [] ELSE [1] END |
  MERGE (o:Org {id: r.org})
  CREATE (a)-[:BELONGS_TO {first_seen: a.created_at, last_seen: a.created_at, count: 1}]->(o))
RETURN count(a) AS created
