// One account's neighbourhood: each identifier it uses (with first/last seen and count), how
// many accounts use it in all (a hub has thousands: weak evidence), a sample of those other
// accounts ($limit, e.g. 25) and the ring each of them was last placed in.
//
// Neo4j Browser:   :param account_id => 'A000123'
//                  :param limit => 25
MATCH (a:Account {account_id: $account_id})
MATCH (a)-[r:HAS_EMAIL|HAS_PHONE|SIGNED_UP_FROM|USES_DEVICE|BELONGS_TO|PAID_WITH|SEEN_ON|USES_KEY|CONNECTED_FROM|USED_PROMPT]->(x)
// (a payment or IP-event row has its own time instead of first_seen / last_seen / count)
WITH a, x, type(r) AS via,
     min(coalesce(r.first_seen, r.seen_at, r.created_at)) AS first_seen,
     max(coalesce(r.last_seen, r.seen_at, r.created_at)) AS last_seen,
     sum(coalesce(r.count, 1)) AS count
CALL (a, x) {
  MATCH (x)<--(o:Account)
  WHERE o <> a
  WITH DISTINCT o ORDER BY o.account_id LIMIT $limit
  OPTIONAL MATCH (o)-[m:MEMBER_OF]->(g:Ring)
  WITH o, m, g ORDER BY m.run DESC
  WITH o, head(collect(g.cluster_id)) AS ring
  RETURN collect({account_id: o.account_id, ring: ring}) AS others
}
RETURN a.account_id AS account_id, via, labels(x)[0] AS kind,
       coalesce(x.address, x.number, x.id, x.fingerprint, x.cidr, x.name, x.code, x.bin) AS identifier,
       first_seen, last_seen, count,
       COUNT { (x)<--(:Account) } AS accounts_using, others
ORDER BY accounts_using DESC, kind, identifier
