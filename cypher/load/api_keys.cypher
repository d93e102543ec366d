// Distinct ApiKey values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:ApiKey {id: v})
