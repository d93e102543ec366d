// One weekly batch of request aggregates for a chunk of accounts, in ONE transaction:
// totals (sums add, first/last take min/max), this batch's hourly lists appended to the
// stored ones (no read-modify-write: an hour in two batches appears twice, and reading back
// sums it) and this batch's relationships to client IPs, API keys,
// prompt templates and capabilities. Each batch gets its own relationships, written with a
// plain CREATE (no MERGE against earlier weeks); reading back sums them per pair.
// Crash safety: the batch key ($batch, the requests file's sha256) is appended to the
// account's `req_batches` in the same transaction as everything it keys, and an account that
// already holds it is skipped, so a load killed halfway and run again adds each account's
// rows exactly once.
// Parameters are columns (one entry per account, $ids[i]); times are epoch nanoseconds
// (datetime.fromepoch: about 2x cheaper than datetime({epochSeconds, nanosecond})).
//   $ex, $itok, $otok, $fs, $ls: totals (null when the account has no totals row)
//   $hours, $hx: this batch's hourly lists, appended (null: none this batch)
//   $ip_v/$ip_x/$ip_f/$ip_l, $api_key_v/..., $prompt_v/...: per-account lists (value, exchanges, first, last)
//   $cap_v, $cap_x: per-account lists (capability, exchanges)
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:Account {account_id: $ids[i]})
WITH a, i WHERE NOT $batch IN coalesce(a.req_batches, [])
WITH a, i, $fs[i] AS fs, $ls[i] AS ls,
     CASE WHEN $fs[i] IS NULL THEN null
          ELSE datetime.fromepoch($fs[i] / 1000000000, $fs[i] % 1000000000) END AS fst,
     CASE WHEN $ls[i] IS NULL THEN null
          ELSE datetime.fromepoch($ls[i] / 1000000000, $ls[i] % 1000000000) END AS lst
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
    a.active_hours = CASE WHEN $hours[i] IS NULL THEN a.active_hours
                          ELSE coalesce(a.active_hours, []) + $hours[i] END,
    a.active_hour_exchanges = CASE WHEN $hours[i] IS NULL THEN a.active_hour_exchanges
                                   ELSE coalesce(a.active_hour_exchanges, []) + $hx[i] END
WITH a, i
CALL (a, i) {
  UNWIND range(0, size($ip_v[i]) - 1) AS j
  MATCH (n:IP {address: $ip_v[i][j]})
  CREATE (a)-[:CONNECTED_FROM {exchanges: $ip_x[i][j], count: $ip_x[i][j],
    first_seen: datetime.fromepoch($ip_f[i][j] / 1000000000, $ip_f[i][j] % 1000000000),
    last_seen: datetime.fromepoch($ip_l[i][j] / 1000000000, $ip_l[i][j] % 1000000000)}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($api_key_v[i]) - 1) AS j
  MATCH (n:ApiKey {id: $api_key_v[i][j]})
  CREATE (a)-[:USES_KEY {exchanges: $api_key_x[i][j], count: $api_key_x[i][j],
    first_seen: datetime.fromepoch($api_key_f[i][j] / 1000000000, $api_key_f[i][j] % 1000000000),
    last_seen: datetime.fromepoch($api_key_l[i][j] / 1000000000, $api_key_l[i][j] % 1000000000)}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($prompt_v[i]) - 1) AS j
  MATCH (n:PromptTemplate {fingerprint: $prompt_v[i][j]})
  CREATE (a)-[:USED_PROMPT {exchanges: $prompt_x[i][j], count: $prompt_x[i][j],
    first_seen: datetime.fromepoch($prompt_f[i][j] / 1000000000, $prompt_f[i][j] % 1000000000),
    last_seen: datetime.fromepoch($prompt_l[i][j] / 1000000000, $prompt_l[i][j] % 1000000000)}]->(n)
}
CALL (a, i) {
  UNWIND range(0, size($cap_v[i]) - 1) AS j
  MATCH (n:Capability {name: $cap_v[i][j]})
  CREATE (a)-[:REQUESTED {exchanges: $cap_x[i][j], count: $cap_x[i][j]}]->(n)
}
RETURN count(a) AS written
