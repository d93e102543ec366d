// One run: its run.json record (JSON text), the campaigns list (JSON text, exact) and the
// column types of its frames (so that previous_run() rebuilds them faithfully).
MERGE (run:Run {run_id: $run_id})
SET run.started_at = $started_at, run.version = $version, run.record = $record,
    run.campaigns = $campaigns, run.frame_types = $frame_types, run.written_at = datetime()
