// Hourly activity lists of every account that has any.
MATCH (a:Account)
WHERE a.active_hours IS NOT NULL
RETURN a.account_id AS account_id, a.active_hours AS hours,
       a.active_hour_exchanges AS exchanges
