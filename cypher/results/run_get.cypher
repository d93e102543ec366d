MATCH (run:Run {run_id: $run_id})
RETURN run.record AS record, run.campaigns AS campaigns, run.frame_types AS frame_types
