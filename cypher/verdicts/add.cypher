// Store review verdicts: a Verdict node per verdict, ABOUT the account it covers (with the
// evidence the account had when the verdict was filed) and ABOUT the Ring when the subject
// is a cluster. Idempotent: the same verdict filed twice changes nothing.
UNWIND $rows AS r
MATCH (a:Account {account_id: r.account_id})
MERGE (v:Verdict {verdict_id: r.verdict_id})
ON CREATE SET v.subject = r.subject, v.subject_type = r.subject_type, v.verdict = r.verdict,
              v.reviewer = r.reviewer, v.decided_at = r.decided_at, v.note = r.note,
              v.filed_seq = r.filed_seq
MERGE (v)-[ab:ABOUT]->(a)
ON CREATE SET ab.basis_run_id = r.basis_run_id, ab.basis_reasons = r.basis_reasons,
              ab.basis_score = r.basis_score
WITH v, r
CALL {
  WITH v, r
  WITH v, r WHERE r.subject_type = 'cluster'
  MERGE (g:Ring {cluster_id: r.subject})
  MERGE (v)-[:ABOUT]->(g)
}
RETURN count(*) AS written
