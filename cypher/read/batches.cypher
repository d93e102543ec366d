// Input files loaded: committed ones, and those this run is loading ($pending).
MATCH (b:Batch)
WHERE coalesce(b.committed, true) OR b.sha256 IN $pending
RETURN b.sha256 AS sha256, b.table AS table, b.path AS path
ORDER BY b.sha256
