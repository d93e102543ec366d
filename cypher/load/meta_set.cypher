MERGE (m:LinkerMeta {key: $key})
SET m.value = $value
