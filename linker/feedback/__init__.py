"""Review verdicts: read and check them (verdicts.py), apply them in the next run (apply.py),
learn reason weights from them (calibrate.py). Comes after detect and campaigns in the flow."""
