// The caller merged the identifier nodes first, once per distinct value.
// (Account)-[:USES_KEY {first_seen, last_seen, exchanges, count}]->(ApiKey): API keys,
// accumulated per batch. $rows: one entry per account, {account_id, items: [{value, exchanges,
// first_seen, last_seen}]}; an account's items are written in the transaction that adds $batch
// (the requests file's sha256) to its `api_key_batches`, so a load killed halfway and run again
// adds each account's items exactly once.
// Accounts this load created: they have no such relationship yet, so a plain CREATE.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.api_key_batches, [])
SET a.api_key_batches = coalesce(a.api_key_batches, []) + $batch
WITH a, r
UNWIND r.items AS x
MATCH (k:ApiKey {id: x.value})
CREATE (a)-[:USES_KEY {exchanges: x.exchanges, first_seen: x.first_seen, last_seen: x.last_seen,
                  count: x.exchanges}]->(k)
