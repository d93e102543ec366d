// Which of these IP-event row keys are in the graph already.
UNWIND $keys AS k
MATCH ()-[e:SEEN_ON {row_key: k}]->()
RETURN DISTINCT k AS row_key
