// Campaigns of a run (by default the latest run) or one campaign: attribution, rings with
// their size and score, flagged accounts and decisions.
//
// Neo4j Browser:   :param campaign_id => null     (null: every campaign of the run)
//                  :param run_id => null          (null: the latest run)
CALL () {
  MATCH (run:Run)
  RETURN run.run_id AS latest ORDER BY run.started_at DESC, run.run_id DESC LIMIT 1
}
WITH coalesce($run_id, latest) AS run_id
MATCH (c:Campaign)-[:FOUND_IN]->(:Run {run_id: run_id})
WHERE $campaign_id IS NULL OR c.campaign_id = $campaign_id
OPTIONAL MATCH (c)-[t:ATTRIBUTED_TO {run: run_id}]->(o:Operator)
CALL (c, run_id) {
  MATCH (g:Ring)-[:PART_OF {run: run_id}]->(c)
  MATCH (g)-[f:FOUND_IN]->(:Run {run_id: run_id})
  WITH g, f ORDER BY f.score DESC, g.cluster_id
  RETURN collect({cluster_id: g.cluster_id, size: f.size, score: f.score,
                  reasons: f.reasons}) AS rings
}
CALL (c, run_id) {
  MATCH (:Account)-[m:MEMBER_OF {run: run_id, campaign_id: c.campaign_id}]->(:Ring)
  RETURN count(m) AS accounts, sum(CASE m.action WHEN 'suspend' THEN 1 ELSE 0 END) AS suspend,
         sum(CASE m.action WHEN 'review' THEN 1 ELSE 0 END) AS review
}
RETURN c.campaign_id AS campaign_id, run_id, o.name AS operator, t.confidence AS confidence,
       accounts, suspend, review, size(rings) AS ring_count, rings,
       c.exchanges AS exchanges, c.first_seen AS first_seen, c.last_seen AS last_seen
ORDER BY accounts DESC, campaign_id
