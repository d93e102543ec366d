// IP-event rows (timestamps as epoch nanoseconds; seq gives the load order).
MATCH (a:Account)-[e:SEEN_ON]->(:IP)
RETURN a.account_id AS account_id,
       e {.*, seen_at: e.seen_at.epochSeconds * 1000000000 + e.seen_at.nanosecond,
          first_seen: null, last_seen: null, count: null} AS row
