MATCH (a:Account)-[p:PAID_WITH]->(:Card)
RETURN a.account_id AS account_id, p {.*} AS row
