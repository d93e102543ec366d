// Distinct Device values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:Device {id: v})
