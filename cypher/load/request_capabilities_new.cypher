// (Account)-[:REQUESTED {exchanges, count}]->(Capability), accumulated per batch. $rows: one
// entry per account, {account_id, items: [{capability, exchanges}]}; an account's items are
// written in the transaction that adds $batch to its `capability_batches`, so a load killed
// halfway and run again adds each account's items exactly once.
// Accounts this load created: they have no such relationship yet, so a plain CREATE.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.capability_batches, [])
SET a.capability_batches = coalesce(a.capability_batches, []) + $batch
WITH a, r
UNWIND r.items AS x
MATCH (c:Capability {name: x.capability})
CREATE (a)-[:REQUESTED {exchanges: x.exchanges, count: x.exchanges}]->(c)
