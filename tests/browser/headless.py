"""Open a local page in headless Chromium with DNS blackholed and report what a reviewer
would see: console errors, the network requests the page itself made, a screenshot."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)"),
]


@dataclass
class Opened:
    console: str       # console lines and uncaught exceptions
    urls: list[str]    # network requests made by the page (not by Chromium's own services)
    screenshot: Path


def open_offline(page: Path, tmp: Path, name: str, window: str = "1280,1800") -> Opened:
    shot, netlog = tmp / f"{name}.png", tmp / f"{name}.netlog.json"
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'ud'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
         f"--log-net-log={netlog}", f"--window-size={window}", "--hide-scrollbars",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = json.loads(netlog.read_text()).get("events", []) if netlog.exists() else []
    # Requests whose isolation key is the file:// page are the page's own; Chromium's
    # background services (updates, sign-in) have other keys and are not the page's doing.
    urls = sorted({
        e["params"]["url"] for e in events
        if "url" in e.get("params", {}) and "file://" in str(e["params"].get("network_isolation_key", ""))
        and not e["params"]["url"].startswith(("file:", "data:"))
    })
    console = "\n".join(line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line)
    return Opened(console, urls, shot)
