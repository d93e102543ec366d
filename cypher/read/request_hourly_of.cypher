// Hourly activity lists of the accounts in $ids (looked up through the account_id index).
UNWIND $ids AS id
MATCH (a:Account {account_id: id})
WHERE a.active_hours IS NOT NULL
RETURN a.account_id AS account_id, a.active_hours AS hours,
       a.active_hour_exchanges AS exchanges
