// Request totals per account (timestamps as epoch nanoseconds).
MATCH (a:Account)
WHERE a.req_exchanges IS NOT NULL
RETURN a.account_id AS account_id, a.req_exchanges AS exchanges,
       a.req_first_seen.epochSeconds * 1000000000 + a.req_first_seen.nanosecond AS first_seen,
       a.req_last_seen.epochSeconds * 1000000000 + a.req_last_seen.nanosecond AS last_seen,
       a.req_input_tokens AS input_tokens, a.req_output_tokens AS output_tokens
