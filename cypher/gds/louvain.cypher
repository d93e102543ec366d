// Louvain on the projection: single-threaded so that the result is repeatable.
CALL gds.louvain.stream($graph, {relationshipWeightProperty: 'weight', consecutiveIds: true,
                                 concurrency: 1, maxLevels: $max_levels, tolerance: $tolerance})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).account_id AS account_id, communityId AS community
