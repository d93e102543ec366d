// Distinct Capability values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:Capability {name: v})
