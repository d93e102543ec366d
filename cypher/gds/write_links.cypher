// The account-account link graph (a < b), for community detection in the database.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.a})
MATCH (b:Account {account_id: r.b})
SET a:Linked, b:Linked
MERGE (a)-[l:LINKED]->(b)
SET l.weight = r.weight, l.reasons = r.reasons
