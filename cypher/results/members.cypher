// Ring membership of a run with the decision for the account.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MATCH (g:Ring {cluster_id: r.cluster_id})
CREATE (a)-[m:MEMBER_OF]->(g)
SET m = r.props, m.run = $run_id, m.pos = r.pos
RETURN count(m) AS written
