// Payment rows: the recorded columns ($keys; timestamps $ts as epoch nanoseconds) as lists,
// then the load order (seq).
MATCH (a:Account)-[p:PAID_WITH]->(:Card)
RETURN a.account_id AS account_id, p.seq AS seq,
       [k IN $keys | CASE WHEN k IN $ts THEN p[k].epochSeconds * 1000000000 + p[k].nanosecond
                          ELSE p[k] END] AS row
