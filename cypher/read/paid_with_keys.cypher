// Which of these payment row keys are in the graph already.
UNWIND $keys AS k
MATCH ()-[p:PAID_WITH {row_key: k}]->()
RETURN DISTINCT k AS row_key
