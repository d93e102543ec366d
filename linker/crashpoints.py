"""Named points where a test can make linker kill itself (SIGKILL, like a laptop dying), so
the kill tests are deterministic instead of sleeping a random time. Inert unless the
LINKER_CRASH_AT environment variable names the point (comma-separated list)."""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    """SIGKILL this process when LINKER_CRASH_AT names `name`."""
    wanted = os.environ.get("LINKER_CRASH_AT")
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
