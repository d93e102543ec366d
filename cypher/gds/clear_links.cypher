// Remove the previous link graph (auto-commit: batches of its own).
MATCH (:Account)-[l:LINKED]->(:Account)
CALL (l) { DELETE l } IN TRANSACTIONS OF 10000 ROWS
