// How many verdicts are stored (the next filing order number).
MATCH (v:Verdict) RETURN count(v) AS n
