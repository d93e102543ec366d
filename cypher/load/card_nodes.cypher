// Card nodes for distinct fingerprints, with their BIN and billing postal code when known.
UNWIND $rows AS r
MERGE (c:Card {fingerprint: r.card})
FOREACH (_ IN CASE WHEN r.bin IS NULL THEN [] ELSE [1] END |
  MERGE (b:CardBin {bin: r.bin}) MERGE (c)-[:IN]->(b))
FOREACH (_ IN CASE WHEN r.postal IS NULL THEN [] ELSE [1] END |
  MERGE (z:PostalCode {code: r.postal}) MERGE (c)-[:BILLED_TO]->(z))
