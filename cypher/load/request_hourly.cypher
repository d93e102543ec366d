// Hourly activity per account as two parallel lists on the account (hour starts as epoch
// seconds, exchanges); the caller has already merged them with what was stored.
// $rows: [{account_id, hours: [int], exchanges: [int]}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
SET a.active_hours = r.hours, a.active_hour_exchanges = r.exchanges
