// Campaigns of a run (stable campaign_id), the rings that are part of them, and the
// operator they are attributed to (with the attribution's confidence).
UNWIND $rows AS r
MATCH (run:Run {run_id: $run_id})
MERGE (c:Campaign {campaign_id: r.campaign_id})
SET c += r.props, c.last_run = $run_id
CREATE (c)-[:FOUND_IN {record: r.record}]->(run)
WITH c, r
FOREACH (cid IN r.cluster_ids |
  MERGE (g:Ring {cluster_id: cid})
  CREATE (g)-[:PART_OF {run: $run_id}]->(c))
FOREACH (_ IN CASE WHEN r.operator IS NULL THEN [] ELSE [1] END |
  MERGE (o:Operator {name: r.operator})
  CREATE (c)-[:ATTRIBUTED_TO {run: $run_id, confidence: r.confidence}]->(o))
