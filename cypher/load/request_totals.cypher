// Per-account request totals, added to what earlier batches left (sums add, first/last
// take min/max). Keyed by $batch (the requests file's sha256): an account that already holds
// this batch is skipped, so re-running a load killed halfway never adds twice.
// $rows: [{account_id, exchanges, first_seen, last_seen, input_tokens, output_tokens}]
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
WITH a, r WHERE NOT $batch IN coalesce(a.req_batches, [])
SET a.req_exchanges = coalesce(a.req_exchanges, 0) + r.exchanges,
    a.req_input_tokens = coalesce(a.req_input_tokens, 0) + r.input_tokens,
    a.req_output_tokens = coalesce(a.req_output_tokens, 0) + r.output_tokens,
    a.req_first_seen = CASE WHEN a.req_first_seen IS NULL OR r.first_seen < a.req_first_seen
                            THEN r.first_seen ELSE a.req_first_seen END,
    a.req_last_seen = CASE WHEN a.req_last_seen IS NULL OR r.last_seen > a.req_last_seen
                           THEN r.last_seen ELSE a.req_last_seen END,
    a.req_batches = coalesce(a.req_batches, []) + $batch
