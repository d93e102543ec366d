// IP-event rows: the recorded columns ($keys; timestamps $ts as epoch nanoseconds) as lists,
// then the load order (seq).
MATCH (a:Account)-[e:SEEN_ON]->(:IP)
RETURN a.account_id AS account_id, e.seq AS seq,
       [k IN $keys | CASE WHEN k IN $ts THEN e[k].epochSeconds * 1000000000 + e[k].nanosecond
                          ELSE e[k] END] AS row
