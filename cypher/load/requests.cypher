// One weekly batch of request aggregates for a chunk of accounts, in ONE transaction:
// totals (sums add, first/last take min/max), the hourly lists (the caller has already
// merged them with what was stored) and this batch's relationships to client IPs, API keys,
// prompt templates and capabilities. Each batch gets its own relationships, written with a
// plain CREATE (no MERGE against earlier weeks); reading back sums them per pair.
// Crash safety: the batch key ($batch, the requests file's sha256) is appended to the
// account's `req_batches` in the same transaction as everything it keys, and an account that
// already holds it is skipped, so a load killed halfway and run again adds each account's
// rows exactly once.
// Parameters are columns (one entry per account, $ids[i]); times are epoch nanoseconds.
//   $ex, $itok, $otok, $fs, $ls: totals (null when the account has no totals row)
//   $hours, $hx: hourly lists (null: keep the stored ones)
//   $ipv/$ipx/$ipf/$ipl, $keyv/..., $prv/...: per-account lists (value, exchanges, first, last)
//   $capv, $capx: per-account lists (capability, exchanges)
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:Account {account_id: $ids[i]})
WITH a, i WHERE NOT $batch IN coalesce(a.req_batches, [])
WITH a, i, $fs[i] AS fs, $ls[i] AS ls,
     CASE WHEN $fs[i] IS NULL THEN null
          ELSE datetime({epochSeconds: $fs[i] / 1000000000, nanosecond: $fs[i] % 1000000000}) END AS fst,
     CASE WHEN $ls[i] IS NULL THEN null
          ELSE datetime({epochSeconds: $ls[i] / 1000000000, nanosecond: $ls[i] % 1000000000}) END AS lst
SET a.req_batches = coalesce(a.req_batches, []) + $batch,
    a.req_exchanges = CASE WHEN $ex[i] IS NULL THEN a.req_exchanges
                           ELSE coalesce(a.req_exchanges, 0) + $ex[i] END,
    a.req_input_tokens = CASE WHEN $ex[i] IS NULL THEN a.req_input_tokens
                              ELSE coalesce(a.req_input_tokens, 0) + $itok[i] END,
    a.req_output_tokens = CASE WHEN $ex[i] IS NULL THEN a.req_output_tokens
                               ELSE coalesce(a.req_output_tokens, 0) + $otok[i] END,
    a.req_first_seen = CASE WHEN fst IS NOT NULL AND (a.req_first_seen IS NULL OR fst < a.req_first_seen)
                            THEN fst ELSE a.req_first_seen END,
    a.req_last_seen = CASE WHEN lst IS NOT NULL AND (a.req_last_seen IS NULL OR lst > a.req_last_seen)
                           THEN lst ELSE a.req_last_seen END,
    a.active_hours = coalesce($hours[i], a.active_hours),
    a.active_hour_exchanges = coalesce($hx[i], a.active_hour_exchanges)
WITH a, i
CALL (a, i) {
  UNWIND range(0, size($ipv[i]) - 1) AS j
  MATCH (n:IP {address: $ipv[i][j]})
  CREATE (a)-[:CONNECTED_FROM {exchanges: $ipx[i][j], count: $ipx[i][j],
    first_seen: datetime({epochSeconds: $ipf[i][j] / 1000000000, nanosecond: $ipf[i][j] % 1000000000}),
    last_seen: datetime({epochSeconds: $ipl[i][j] / 1000000000, nanosecond: $ipl[i][j] % 1000000000})}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($keyv[i]) - 1) AS j
  MATCH (n:ApiKey {id: $keyv[i][j]})
  CREATE (a)-[:USES_KEY {exchanges: $keyx[i][j], count: $keyx[i][j],
    first_seen: datetime({epochSeconds: $keyf[i][j] / 1000000000, nanosecond: $keyf[i][j] % 1000000000}),
    last_seen: datetime({epochSeconds: $keyl[i][j] / 1000000000, nanosecond: $keyl[i][j] % 1000000000})}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($prv[i]) - 1) AS j
  MATCH (n:PromptTemplate {fingerprint: $prv[i][j]})
  CREATE (a)-[:USED_PROMPT {exchanges: $prx[i][j], count: $prx[i][j],
    first_seen: datetime({epochSeconds: $prf[i][j] / 1000000000, nanosecond: $prf[i][j] % 1000000000}),
    last_seen: datetime({epochSeconds: $prl[i][j] / 1000000000, nanosecond: $prl[i][j] % 1000000000})}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($capv[i]) - 1) AS j
  MATCH (n:Capability {name: $capv[i][j]})
  CREATE (a)-[:REQUESTED {exchanges: $capx[i][j], count: $capx[i][j]}]->(n)
}
RETURN count(a) AS written
