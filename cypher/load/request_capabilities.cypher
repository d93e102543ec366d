// The caller merged the identifier nodes first, once per distinct value.
// (Account)-[:REQUESTED {exchanges}]->(Capability), accumulated per batch: a relationship
// that already holds $batch (the requests file's sha256) is left as it is.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (c:Capability {name: r.capability})
MERGE (a)-[q:REQUESTED]->(c)
WITH q, r WHERE NOT $batch IN coalesce(q.batches, [])
SET q.exchanges = coalesce(q.exchanges, 0) + r.exchanges,
    q.batches = coalesce(q.batches, []) + $batch
SET q.count = q.exchanges
