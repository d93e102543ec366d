// Input files whose run is recorded: from now on they are skipped as already loaded.
UNWIND $shas AS sha
MATCH (b:Batch {sha256: sha})
SET b.committed = true, b.committed_at = datetime()
