// Relationships of the load-time row types (from the counts store: constant time).
RETURN COUNT { ()-[:PAID_WITH]->() } AS payments, COUNT { ()-[:SEEN_ON]->() } AS ip_events
