// Distinct Email values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:Email {address: v})
