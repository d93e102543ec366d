MATCH (b:Batch)
RETURN b.sha256 AS sha256, b.table AS table, b.path AS path
ORDER BY b.sha256
