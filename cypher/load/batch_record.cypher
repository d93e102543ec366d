// Record input files being loaded, uncommitted: they count as loaded (and are skipped) only
// once batch_commit marks them, after their run is recorded.
UNWIND $rows AS r
MERGE (b:Batch {sha256: r.sha256})
ON CREATE SET b.table = r.table, b.path = r.path, b.rows = r.rows, b.loaded_at = datetime(),
              b.committed = false
