// Payment rows (timestamps as epoch nanoseconds; seq gives the load order).
MATCH (a:Account)-[p:PAID_WITH]->(:Card)
RETURN a.account_id AS account_id,
       p {.*, created_at: p.created_at.epochSeconds * 1000000000 + p.created_at.nanosecond,
          first_seen: null, last_seen: null, count: null} AS row
