MATCH (a:Account)
RETURN a.account_id AS account_id
