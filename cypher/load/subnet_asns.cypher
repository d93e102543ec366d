// (Subnet)-[:IN]->(ASN) for distinct (cidr, asn) pairs seen in ip_events; the AS name is
// kept on the ASN node (first one seen).
UNWIND $rows AS r
MERGE (s:Subnet {cidr: r.subnet})
MERGE (n:ASN {number: r.asn})
ON CREATE SET n.org = r.org
SET n.org = coalesce(n.org, r.org)
MERGE (s)-[:IN]->(n)
