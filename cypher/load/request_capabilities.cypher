// (Account)-[:REQUESTED {exchanges, count}]->(Capability), accumulated per batch. $rows: one
// entry per account, {account_id, items: [{capability, exchanges}]}; an account's items are
// written in the transaction that adds $batch to its `capability_batches`, so a load killed
// halfway and run again adds each account's items exactly once.
// Accounts that existed before this load: MERGE adds to what earlier batches left.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.capability_batches, [])
SET a.capability_batches = coalesce(a.capability_batches, []) + $batch
WITH a, r
UNWIND r.items AS x
MATCH (c:Capability {name: x.capability})
MERGE (a)-[q:REQUESTED]->(c)
ON CREATE SET q.exchanges = x.exchanges
ON MATCH SET q.exchanges = q.exchanges + x.exchanges
SET q.count = q.exchanges
