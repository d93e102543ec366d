"""Open the review packet in headless Chromium: no console errors, no network request, a
non-empty screenshot. Skipped only when /usr/bin/chromium is absent."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from linker.review import sample_findings, write_review_packet

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)"),
]
CONSOLE_ERROR = re.compile(r"Uncaught|ERROR:CONSOLE|CONSOLE\(\d+\).*[Ee]rror|Failed to load resource")


def open_page(page: Path, tmp: Path, name: str) -> tuple[str, list[str], bytes]:
    """Load a file in headless Chromium with DNS blackholed; returns (console log, URLs of
    network requests the page itself made (from the net-log), screenshot PNG)."""
    shot, netlog = tmp / f"{name}.png", tmp / f"{name}.netlog.json"
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'ud'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
         f"--log-net-log={netlog}", "--window-size=1280,1800", f"--screenshot={shot}", page.as_uri()],
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
    return console, urls, shot.read_bytes() if shot.exists() else b""


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("packet")
    write_review_packet(sample_findings([40, 260, 9], seed=2), root)
    return root / "review"


def test_detector_sees_errors_and_requests(tmp_path: Path) -> None:
    """The checks below could fail: a page with a console error, an uncaught exception and a
    remote image is caught by both detectors."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><script>console.error("boom"); throw new Error("bang");</script>'
                   '<img src="https://example.com/x.png"></body></html>')
    console, urls, _ = open_page(bad, tmp_path, "bad")
    assert CONSOLE_ERROR.search(console)
    assert urls == ["https://example.com/x.png"]


@pytest.mark.parametrize("page", ["index.html", "rings/C0001.html", "rings/C0000.html"])
def test_packet_pages_open_offline_without_errors(packet: Path, tmp_path: Path, page: str) -> None:
    html = (packet / page).read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, flags=re.I)
    console, urls, png = open_page(packet / page, tmp_path, page.replace("/", "_"))
    assert not CONSOLE_ERROR.search(console), console
    assert urls == []
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
