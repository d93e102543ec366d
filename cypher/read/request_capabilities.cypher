MATCH (a:Account)-[q:REQUESTED]->(c:Capability)
RETURN a.account_id AS account_id, c.name AS capability, q.exchanges AS exchanges
