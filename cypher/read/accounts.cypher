// Account rows as loaded: only the recorded columns ($keys), as lists (no key names per row);
// timestamp columns ($ts) as epoch nanoseconds (integers travel far faster than DateTime).
MATCH (a:Account)
RETURN [k IN $keys | CASE WHEN k IN $ts THEN a[k].epochSeconds * 1000000000 + a[k].nanosecond
                          ELSE a[k] END] AS row
