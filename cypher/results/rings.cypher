// Rings (clusters) of a run: the Ring node has a stable id (cluster_id) and the latest
// values; FOUND_IN carries this run's row of clusters.csv (pos keeps the order).
UNWIND $rows AS r
MATCH (run:Run {run_id: $run_id})
MERGE (g:Ring {cluster_id: r.cluster_id})
SET g += r.props, g.last_run = $run_id
CREATE (g)-[f:FOUND_IN]->(run)
SET f = r.props, f.pos = r.pos
