// (Account)-[:REQUESTED {exchanges}]->(Capability), accumulated.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MERGE (c:Capability {name: r.capability})
MERGE (a)-[q:REQUESTED]->(c)
ON CREATE SET q.exchanges = r.exchanges
ON MATCH SET q.exchanges = q.exchanges + r.exchanges
SET q.count = q.exchanges
