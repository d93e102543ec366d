// The caller merged the identifier nodes first, once per distinct value.
// (Account)-[:USED_PROMPT {first_seen, last_seen, exchanges, count}]->(PromptTemplate): prompt templates,
// accumulated per batch. $rows: one entry per account, {account_id, items: [{value, exchanges,
// first_seen, last_seen}]}; an account's items are written in the transaction that adds $batch
// (the requests file's sha256) to its `prompt_batches`, so a load killed halfway and run again
// adds each account's items exactly once.
// Accounts that existed before this load: MERGE adds to what earlier batches left.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.prompt_batches, [])
SET a.prompt_batches = coalesce(a.prompt_batches, []) + $batch
WITH a, r
UNWIND r.items AS x
MATCH (k:PromptTemplate {fingerprint: x.value})
MERGE (a)-[u:USED_PROMPT]->(k)
ON CREATE SET u.exchanges = x.exchanges, u.first_seen = x.first_seen, u.last_seen = x.last_seen
ON MATCH SET u.exchanges = u.exchanges + x.exchanges,
    u.first_seen = CASE WHEN u.first_seen IS NULL OR x.first_seen < u.first_seen THEN x.first_seen ELSE u.first_seen END,
    u.last_seen = CASE WHEN u.last_seen IS NULL OR x.last_seen > u.last_seen THEN x.last_seen ELSE u.last_seen END
SET u.count = u.exchanges
