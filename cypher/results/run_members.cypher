MATCH (a:Account)-[m:MEMBER_OF {run: $run_id}]->(g:Ring)
RETURN a.account_id AS account_id, g.cluster_id AS cluster_id, m {.*} AS row
ORDER BY m.pos
