// Account rows as loaded (request aggregates kept on the node are left out). Timestamps are
// returned as epoch nanoseconds: integers travel far faster than DateTime values.
MATCH (a:Account)
RETURN a {.*, created_at: a.created_at.epochSeconds * 1000000000 + a.created_at.nanosecond,
          req_exchanges: null, req_input_tokens: null, req_output_tokens: null,
          req_first_seen: null, req_last_seen: null, active_hours: null,
          active_hour_exchanges: null, req_batches: null, hourly_batches: null} AS row
