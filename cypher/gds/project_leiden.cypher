// The in-memory GDS graph Leiden runs on: the Linked accounts, LINKED undirected, weighted by
// leiden_weight.
CALL gds.graph.project($graph, 'Linked',
  {LINKED: {type: 'LINKED', orientation: 'UNDIRECTED', properties: 'leiden_weight'}})
YIELD nodeCount, relationshipCount
RETURN nodeCount AS nodes, relationshipCount AS relationships
