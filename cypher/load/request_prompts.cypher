// The caller merged the identifier nodes first, once per distinct value.
// (Account)-[:USED_PROMPT {first_seen, last_seen, exchanges}]->(PromptTemplate): prompt templates, accumulated
// per batch: a relationship that already holds $batch (the requests file's sha256) is left
// as it is, so re-running a load killed halfway never adds twice.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (k:PromptTemplate {fingerprint: r.value})
MERGE (a)-[u:USED_PROMPT]->(k)
WITH u, r WHERE NOT $batch IN coalesce(u.batches, [])
SET u.exchanges = coalesce(u.exchanges, 0) + r.exchanges,
    u.first_seen = CASE WHEN u.first_seen IS NULL OR r.first_seen < u.first_seen THEN r.first_seen ELSE u.first_seen END,
    u.last_seen = CASE WHEN u.last_seen IS NULL OR r.last_seen > u.last_seen THEN r.last_seen ELSE u.last_seen END,
    u.batches = coalesce(u.batches, []) + $batch
SET u.count = u.exchanges
