// Remove the previous link graph and the Linked label (auto-commit: batches of its own).
MATCH (a:Linked)
CALL (a) {
  OPTIONAL MATCH (a)-[l:LINKED]->()
  DELETE l
  REMOVE a:Linked
} IN TRANSACTIONS OF 5000 ROWS
