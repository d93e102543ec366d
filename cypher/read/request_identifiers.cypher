// Who used which API key / client IP / prompt template, with first/last seen (epoch
// nanoseconds) and exchanges.
MATCH (a:Account)-[u:USES_KEY]->(k:ApiKey)
RETURN a.account_id AS account_id, 'api_key' AS kind, k.id AS value,
       u.first_seen.epochSeconds * 1000000000 + u.first_seen.nanosecond AS first_seen,
       u.last_seen.epochSeconds * 1000000000 + u.last_seen.nanosecond AS last_seen,
       u.exchanges AS exchanges
UNION ALL
MATCH (a:Account)-[u:CONNECTED_FROM]->(i:IP)
RETURN a.account_id AS account_id, 'ip' AS kind, i.address AS value,
       u.first_seen.epochSeconds * 1000000000 + u.first_seen.nanosecond AS first_seen,
       u.last_seen.epochSeconds * 1000000000 + u.last_seen.nanosecond AS last_seen,
       u.exchanges AS exchanges
UNION ALL
MATCH (a:Account)-[u:USED_PROMPT]->(t:PromptTemplate)
RETURN a.account_id AS account_id, 'prompt' AS kind, t.fingerprint AS value,
       u.first_seen.epochSeconds * 1000000000 + u.first_seen.nanosecond AS first_seen,
       u.last_seen.epochSeconds * 1000000000 + u.last_seen.nanosecond AS last_seen,
       u.exchanges AS exchanges
