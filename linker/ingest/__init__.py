"""Read and validate the input tables, normalise identifiers."""
