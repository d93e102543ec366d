// Hourly activity lists; $ids restricts to some accounts (null: all).
MATCH (a:Account)
WHERE a.active_hours IS NOT NULL AND ($ids IS NULL OR a.account_id IN $ids)
RETURN a.account_id AS account_id, a.active_hours AS hours,
       a.active_hour_exchanges AS exchanges
