"""Time ring detection and campaigns alone on a stored embedded workspace.

    python -m bench.stages WORKSPACE DATA [--rings-only]

WORKSPACE is an embedded store a run has loaded (e.g. `WORK/job/workspace` of
`python -m bench.scale --full`), DATA the world it came from (its allowlist.csv and
indicators.csv are used when present). Prints the fetch, each ring sub-stage, rings and
campaigns in seconds, and the peak RSS: the same store read back each time, so two versions
of the code compare back to back without the read and load in between.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rings-only", action="store_true", help="skip the campaigns")
    args = ap.parse_args()

    from linker.campaigns.grouping import build_campaigns
    from linker.detect.rings import find_rings
    from linker.ingest.read import read_allowlist, read_indicators
    from linker.model import without_unread
    from linker.progress import LineReporter
    from linker.service import open_store
    from linker.settings import Settings

    out: dict[str, float] = {}
    t = time.perf_counter()
    ds = without_unread(open_store("embedded", args.workspace).dataset())
    out["fetch"] = time.perf_counter() - t
    allow = args.data / "allowlist.csv"
    ind = args.data / "indicators.csv"
    settings, rep = Settings(), LineReporter()
    t = time.perf_counter()
    rings = find_rings(ds, allowlist=read_allowlist(allow) if allow.exists() else None,
                       params=settings.rings, reporter=rep)
    out["rings"] = time.perf_counter() - t
    out.update({k: v for k, v in rep.seconds.items() if k.startswith("rings: ")})
    rings.table = None
    if not args.rings_only:
        t = time.perf_counter()
        build_campaigns(ds, rings, indicators=read_indicators(ind) if ind.exists() else None,
                        params=settings.campaigns, attribution=settings.attribution,
                        sharing=settings.sharing)
        out["campaigns"] = time.perf_counter() - t
    result = {k: round(v, 1) for k, v in out.items()}
    result["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
