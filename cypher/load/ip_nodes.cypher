// IP nodes for distinct addresses (before relationships are created to them).
UNWIND $rows AS v
MERGE (:IP {address: v})
