// An in-memory GDS graph of the linked accounts (label Linked, set by write_links):
// undirected, weighted.
CALL gds.graph.project($graph, 'Linked',
  {LINKED: {type: 'LINKED', orientation: 'UNDIRECTED', properties: 'weight'}})
YIELD nodeCount, relationshipCount
RETURN nodeCount AS nodes, relationshipCount AS relationships
