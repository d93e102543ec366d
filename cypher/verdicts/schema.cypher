// Review verdicts: one Verdict node per filed verdict (idempotent on verdict_id).
CREATE CONSTRAINT verdict_id IF NOT EXISTS FOR (n:Verdict) REQUIRE n.verdict_id IS UNIQUE
