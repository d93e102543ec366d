// Account rows as loaded (request aggregates kept on the node are left out).
MATCH (a:Account)
RETURN a {.*, req_exchanges: null, req_input_tokens: null, req_output_tokens: null,
          req_first_seen: null, req_last_seen: null, active_hours: null,
          active_hour_exchanges: null} AS row
