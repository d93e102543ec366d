"""Open the review packet in headless Chromium: no console errors, no network request, a
non-empty screenshot. Skipped only when /usr/bin/chromium is absent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from headless import needs_chromium, open_offline
from sample_findings import sample_findings

from linker.outputs.review import write_review_packet

pytestmark = needs_chromium
CONSOLE_ERROR = re.compile(r"Uncaught|ERROR:CONSOLE|CONSOLE\(\d+\).*[Ee]rror|Failed to load resource")


def open_page(page: Path, tmp: Path, name: str) -> tuple[str, list[str], bytes]:
    """(console log, network requests the page made, screenshot PNG bytes)."""
    opened = open_offline(page, tmp, name)
    shot = opened.screenshot
    return opened.console, opened.urls, shot.read_bytes() if shot.exists() else b""


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
