// Which of these input files (sha256) were loaded and committed already (graphs written
// before batches had a committed flag count as committed).
UNWIND $shas AS sha
MATCH (b:Batch {sha256: sha})
WHERE coalesce(b.committed, true)
RETURN b.sha256 AS sha256
