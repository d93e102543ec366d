// Distinct Org values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:Org {id: v})
