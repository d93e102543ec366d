// Distinct PromptTemplate values (one MERGE per value, not per row).
UNWIND $rows AS v
MERGE (:PromptTemplate {fingerprint: v})
