"""Review-packet benchmark: render time and page size of a big ring, and how long headless
Chromium takes to open it.

    python -m bench.review                       # one ring of 25,000 accounts
    python -m bench.review --sizes 25000 300 40 --json
    python -m bench.review --out OUT_DIR         # time the packet of a real run's outputs

The synthetic Findings (linker.outputs.review.sample_findings) carry 7 identifiers per account,
device / card / sign-up-IP groups, ~0.8 links per account and ten days of activity.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def chromium_load_seconds(page: Path) -> float | None:
    """Wall time for headless Chromium to load and screenshot a page (None without it)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp}",
             "--host-resolver-rules=MAP * ~NOTFOUND", f"--screenshot={tmp}/shot.png",
             "--window-size=1280,1800", page.as_uri()],
            capture_output=True, timeout=120, check=True,
        )
        return round(time.perf_counter() - t0, 2)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000])
    ap.add_argument("--out", type=Path, help="a run's output directory instead of synthetic rings")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import linker.outputs.pictures  # noqa: F401  (import time is not render time)
    from linker.outputs.findings import read_findings
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from sample_findings import sample_findings

    from linker.outputs.review import build_packet, write_review_packet

    findings = read_findings(args.out) if args.out else sample_findings(
        args.sizes, total_accounts=max(1_000_000, 10 * sum(args.sizes)))
    result: dict[str, Any] = {"rings": int(len(findings.clusters)), "accounts": int(len(findings.suspensions))}
    for redact in (False, True):
        t0 = time.perf_counter()
        files = build_packet(findings, redact=redact)
        result["render_seconds" + ("_redacted" if redact else "")] = round(time.perf_counter() - t0, 2)
    pages = {k: len(v.encode()) for k, v in files.items() if k.endswith(".html") and k.startswith("rings/")}
    biggest = max(pages, key=pages.get) if pages else None
    result["largest_page_kb"] = round(pages[biggest] / 1024) if biggest else 0
    result["largest_page"] = biggest
    csvs = [len(v.encode()) for k, v in files.items() if k.endswith(".csv")]
    result["largest_members_csv_kb"] = round(max(csvs) / 1024) if csvs else 0
    if biggest:
        with tempfile.TemporaryDirectory() as tmp:
            write_review_packet(findings, Path(tmp))
            blank = Path(tmp) / "blank.html"
            blank.write_text("<!doctype html><title>blank</title>")
            # Chromium's own start-up is most of it: the difference is the page's cost
            result["chromium_blank_seconds"] = chromium_load_seconds(blank)
            result["chromium_open_seconds"] = chromium_load_seconds(Path(tmp) / "review" / biggest)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return result


if __name__ == "__main__":
    main()
