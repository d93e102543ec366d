"""Everything written to OUT_DIR: exports, report, review packets, STIX."""
