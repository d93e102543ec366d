// Record loaded input files, so that loading the same file again is skipped.
UNWIND $rows AS r
MERGE (b:Batch {sha256: r.sha256})
ON CREATE SET b.table = r.table, b.path = r.path, b.rows = r.rows, b.loaded_at = datetime()
