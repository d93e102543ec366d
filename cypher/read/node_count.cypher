// Nodes in the database (from the counts store: constant time); 0 means empty.
MATCH (n) RETURN count(n) AS nodes
