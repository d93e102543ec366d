// Every stored verdict, one row per (verdict, account), in filing order.
MATCH (v:Verdict)-[ab:ABOUT]->(a:Account)
RETURN v.verdict_id AS verdict_id, v.subject AS subject, v.subject_type AS subject_type,
       a.account_id AS account_id, v.verdict AS verdict, v.reviewer AS reviewer,
       v.decided_at AS decided_at, v.note AS note, ab.basis_run_id AS basis_run_id,
       ab.basis_reasons AS basis_reasons,
       ab.basis_score AS basis_score
ORDER BY v.filed_seq, v.verdict_id, a.account_id
