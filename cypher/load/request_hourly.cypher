// Hourly activity per account as two parallel lists on the account (hour starts as epoch
// seconds, exchanges); the caller has already merged them with what was stored. Keyed by
// $batch: an account that already holds this batch keeps its lists (a re-run after a kill).
// $rows: [{account_id, hours: [int], exchanges: [int]}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.hourly_batches, [])
SET a.active_hours = r.hours, a.active_hour_exchanges = r.exchanges,
    a.hourly_batches = coalesce(a.hourly_batches, []) + $batch
