MATCH (g:Ring)-[f:FOUND_IN]->(:Run {run_id: $run_id})
RETURN g.cluster_id AS cluster_id, f {.*} AS row
ORDER BY f.pos
