// The caller merged the identifier nodes first, once per distinct value.
// (Account)-[:USED_PROMPT {first_seen, last_seen, exchanges, count}]->(PromptTemplate): prompt templates,
// accumulated per batch. $rows: one entry per account, {account_id, items: [{value, exchanges,
// first_seen, last_seen}]}; an account's items are written in the transaction that adds $batch
// (the requests file's sha256) to its `prompt_batches`, so a load killed halfway and run again
// adds each account's items exactly once.
// Accounts this load created: they have no such relationship yet, so a plain CREATE.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.prompt_batches, [])
SET a.prompt_batches = coalesce(a.prompt_batches, []) + $batch
WITH a, r
UNWIND r.items AS x
MATCH (k:PromptTemplate {fingerprint: x.value})
CREATE (a)-[:USED_PROMPT {exchanges: x.exchanges, first_seen: x.first_seen, last_seen: x.last_seen,
                  count: x.exchanges}]->(k)
