// The link graph GDS clusters: one LINKED relationship per linked account pair of a component
// to split, with the clustering weight (`weight`), the component (`component`) and the weight
// scaled so that one Leiden call splits every component at its own resolution
// (`leiden_weight`, see Neo4jStore.gds_leiden). Columnar parameters, one entry per pair.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {account_id: $a[i]})
MATCH (b:Account {account_id: $b[i]})
CREATE (a)-[:LINKED {weight: $weight[i], leiden_weight: $scaled[i], component: $component[i]}]->(b)
RETURN count(*) AS written
