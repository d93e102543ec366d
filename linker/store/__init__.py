"""Stores keep the loaded tables, the runs and their results: `embedded` (Parquet files in a
workspace, the default) or `neo4j` (the graph of record)."""
