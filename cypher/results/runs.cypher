// All runs, oldest first.
MATCH (run:Run)
RETURN run.run_id AS run_id, run.record AS record
ORDER BY run.started_at, run.run_id
