// Distinct Phone values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:Phone {number: v})
