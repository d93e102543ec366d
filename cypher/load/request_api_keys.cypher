// (Account)-[:USES_KEY {first_seen, last_seen, exchanges}]->(ApiKey), accumulated.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MERGE (k:ApiKey {id: r.value})
MERGE (a)-[u:USES_KEY]->(k)
ON CREATE SET u.first_seen = r.first_seen, u.last_seen = r.last_seen, u.exchanges = r.exchanges
ON MATCH SET u.exchanges = u.exchanges + r.exchanges,
             u.first_seen = CASE WHEN r.first_seen < u.first_seen THEN r.first_seen ELSE u.first_seen END,
             u.last_seen = CASE WHEN r.last_seen > u.last_seen THEN r.last_seen ELSE u.last_seen END
SET u.count = u.exchanges
