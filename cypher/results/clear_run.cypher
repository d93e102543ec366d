// Remove what an earlier write of the same run id left (writing a run is idempotent).
MATCH (run:Run {run_id: $run_id})
OPTIONAL MATCH (run)<-[f:FOUND_IN]-()
DELETE f
WITH DISTINCT run
OPTIONAL MATCH ()-[m:MEMBER_OF {run: $run_id}]->()
DELETE m
WITH DISTINCT run
OPTIONAL MATCH ()-[p:PART_OF {run: $run_id}]->()
DELETE p
WITH DISTINCT run
OPTIONAL MATCH ()-[t:ATTRIBUTED_TO {run: $run_id}]->()
DELETE t
