// Input files whose load started but whose run was never recorded (killed or failed).
MATCH (b:Batch)
WHERE b.committed = false
RETURN b.sha256 AS sha256, b.table AS table, b.path AS path
ORDER BY b.path
