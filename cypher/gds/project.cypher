// An in-memory GDS graph of the linked accounts (undirected, weighted).
MATCH (a:Account)-[l:LINKED]->(b:Account)
WITH gds.graph.project($graph, a, b, {relationshipProperties: {weight: l.weight}},
                       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
