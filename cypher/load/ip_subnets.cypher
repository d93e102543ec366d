// (IP)-[:IN]->(Subnet) for distinct (address, cidr) pairs (/24 for IPv4, /48 for IPv6).
UNWIND $rows AS r
MERGE (i:IP {address: r.ip})
MERGE (s:Subnet {cidr: r.subnet})
MERGE (i)-[:IN]->(s)
