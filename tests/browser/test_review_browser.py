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


def _measure(page: Path, tmp: Path, name: str, script: str, window: str = "1400,900") -> str:
    """Console output of `script` run in a copy of `page` (beside it, so relative links work)."""
    copy = page.with_name(f"_{name}.html")
    copy.write_text(page.read_text().replace("</body>", f"<script>{script}</script></body>"))
    try:
        return open_offline(copy, tmp, name, window=window).console
    finally:
        copy.unlink()


def test_big_ring_page_fits_1400_and_dots_can_be_identified(tmp_path: Path) -> None:
    """A 166-account ring (the size reviewers reported): the members table stays within a
    1400 px window, and a click on a dot names the account and marks its member row."""
    root = tmp_path / "p"
    write_review_packet(sample_findings([166], seed=5), root)
    page = root / "review" / "rings" / "C0000.html"
    script = (
        "var t=document.getElementById('member-table').parentNode.getBoundingClientRect();"
        "console.log('WIDTH '+Math.round(t.right)+' '+document.documentElement.scrollWidth);"
        "var d=document.querySelector('svg.ring-pic circle[data-account]');"
        "d.dispatchEvent(new MouseEvent('click',{bubbles:true}));"
        "var id=d.getAttribute('data-account');"
        "var row=document.getElementById('m-'+id);"
        "console.log('PICK '+id+' '+document.getElementById('pic-pick').textContent+' '"
        "+(row?row.className:'norow'));"
    )
    console = _measure(page, tmp_path, "big", script)
    m = re.search(r"WIDTH (\d+) (\d+)", console)
    assert m, console
    assert int(m.group(1)) <= 1400 and int(m.group(2)) <= 1400, console
    pick = re.search(r"PICK (\S+) selected: (\S+)[^']*? (\S+)\"?", console)
    assert pick and pick.group(1) == pick.group(2), console
    assert "picked" in console.split("PICK", 1)[1], console
