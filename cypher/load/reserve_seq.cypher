// Reserve $n consecutive sequence numbers (load order of payment / IP-event rows).
MERGE (m:LinkerMeta {key: 'seq'})
ON CREATE SET m.value = 0
SET m.value = m.value + $n
RETURN m.value - $n AS start
