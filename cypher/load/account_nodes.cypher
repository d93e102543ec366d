// New accounts (the caller drops ids already in the graph: an account row, once loaded, is
// never rewritten). A plain CREATE: the row keys (account ids) are distinct already.
// $rows: [{account_id, created_at, email, ...}]
UNWIND $rows AS r
CREATE (a:Account)
SET a = r
RETURN count(a) AS created
