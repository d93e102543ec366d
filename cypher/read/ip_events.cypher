MATCH (a:Account)-[e:SEEN_ON]->(:IP)
RETURN a.account_id AS account_id, e {.*} AS row
