// Mark the accounts of the link graph GDS clusters (label Linked: the projection's nodes).
UNWIND $rows AS id
MATCH (a:Account {account_id: id})
SET a:Linked
RETURN count(a) AS written
