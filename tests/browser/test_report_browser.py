"""Open report.html in headless Chromium with DNS blackholed: it renders (its inlined charts
show up in the screenshot) and makes no network request. Skipped only when /usr/bin/chromium
is absent."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from headless import needs_chromium, open_offline

pytestmark = needs_chromium
BAR_BLUE = np.array([0x4C, 0x72, 0xB0]) / 255  # the ring-size chart's bars


def render(page: Path, tmp: Path, name: str) -> tuple[list[str], Path]:
    """(URLs the page requested over the network, screenshot path)."""
    opened = open_offline(page, tmp, name, window="1280,2600")
    return opened.urls, opened.screenshot


def blue_share(png: Path) -> float:
    from matplotlib.image import imread

    img = imread(png)[..., :3]
    return float((np.abs(img - BAR_BLUE).max(axis=-1) < 0.03).mean())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
    from test_report import small_findings

    from linker.outputs.report import write_report

    root = tmp_path_factory.mktemp("report")
    write_report(small_findings({"previous_run_id": "r0", "counts": {"newly_flagged": 3}}), root)
    return root / "report.html"


def test_detector_sees_network_requests(tmp_path: Path) -> None:
    """The check below could fail: a page with a remote image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><img src="https://example.com/x.png"></body></html>')
    urls, _ = render(bad, tmp_path, "bad")
    assert urls == ["https://example.com/x.png"]


def test_report_opens_offline_and_shows_its_charts(report: Path, tmp_path: Path) -> None:
    urls, shot = render(report, tmp_path, "report")
    assert urls == []
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert blue_share(shot) > 0.01          # the inlined ring-size chart rendered

    # the same page with its images removed has none of that colour: the check is real
    stripped = tmp_path / "noimg.html"
    stripped.write_text(report.read_text().replace("data:image/png;base64,", "data:,"))
    _, shot2 = render(stripped, tmp_path, "noimg")
    assert blue_share(shot2) < 0.001
