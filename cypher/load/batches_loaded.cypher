// Which of these input files (sha256) were loaded already.
UNWIND $shas AS sha
MATCH (b:Batch {sha256: sha})
RETURN b.sha256 AS sha256
