// (Email)-[:IN]->(EmailDomain) for distinct (address, domain) pairs.
UNWIND $rows AS r
MERGE (e:Email {address: r.email})
MERGE (d:EmailDomain {name: r.domain})
MERGE (e)-[:IN]->(d)
