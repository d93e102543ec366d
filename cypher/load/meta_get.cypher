MATCH (m:LinkerMeta {key: $key})
RETURN m.value AS value
