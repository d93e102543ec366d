// IP nodes for addresses not in the graph yet (matched first, only the rest created), each
// with its (IP)-[:IN]->(Subnet) (/24 for IPv4, /48 for IPv6) when the subnet is known, in the
// same transaction: an IP already in the graph has its subnet already.
// Columns: $ips (addresses, distinct), $subnets (same length; null when unknown).
UNWIND range(0, size($ips) - 1) AS j
WITH $ips[j] AS ip, $subnets[j] AS subnet
OPTIONAL MATCH (old:IP {address: ip})
WITH ip, subnet WHERE old IS NULL
CREATE (n:IP {address: ip})
WITH n, subnet WHERE subnet IS NOT NULL
MERGE (s:Subnet {cidr: subnet})
CREATE (n)-[:IN]->(s)
