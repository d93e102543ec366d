// Leiden on the projection: single-threaded with a fixed seed, so that the result is
// repeatable; only the final communities.
CALL gds.leiden.stream($graph, {relationshipWeightProperty: 'leiden_weight', gamma: $gamma,
                                maxLevels: $max_levels, tolerance: $tolerance,
                                randomSeed: $seed, concurrency: 1,
                                includeIntermediateCommunities: false})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).account_id AS account_id, communityId AS community
