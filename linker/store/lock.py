"""One writer per store: an exclusive lock held for a whole load + run + record, so two runs at
once are serialised or refused instead of the last swap silently winning.

An OS file lock (flock): the kernel drops it when its holder exits, even on kill -9, so a
crashed run never leaves a stale lock. The lock file names its holder (pid, host, command) for
the message the second run prints. fcntl is stdlib and what the Neo4j launcher already uses;
the `filelock` package would add a dependency without naming the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from linker.errors import LinkerError


class StoreBusy(LinkerError):
    """Another linker process holds the store's lock (exit code 3: try again later)."""

    exit_code = 3


def _read_holder(fd: int) -> dict:
    try:
        h = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        return {}
    return h if isinstance(h, dict) else {}


def _is_live(h: dict) -> bool:
    """A holder record that can be the current one (not a finished run's leftover)."""
    pid = h.get("pid")
    if not isinstance(pid, int):
        return False
    return h.get("host") != socket.gethostname() or pid_alive(pid)


def _holder_text(fd: int, *, settle_s: float = 2.0) -> str:
    """The holder's own words. It writes them just after taking the lock, so a run that arrives
    in that instant waits briefly for them rather than naming nobody."""
    deadline = time.monotonic() + settle_s
    h = _read_holder(fd)
    while not _is_live(h) and time.monotonic() < deadline:
        time.sleep(0.02)
        h = _read_holder(fd)
    if not _is_live(h):
        return "another linker process"
    return (f"pid {h.get('pid')} on {h.get('host')} ({h.get('command', '?')}), "
            f"since {h.get('since', '?')}")


@contextmanager
def exclusive(path: Path, *, what: str, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block. Busy → StoreBusy naming the holder, or,
    with wait=True, block until the holder is done."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_text(fd)
            if not wait:
                raise StoreBusy(
                    f"{what} is in use by {holder}; let it finish, or pass --wait to queue "
                    f"behind it (lock file {path})"
                ) from None
            print(f"waiting for {what}: in use by {holder}", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "command": " ".join(["linker", *sys.argv[1:3]])[:200],
              "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        raw = json.dumps(me).encode()
        os.pwrite(fd, raw, 0)  # overwrite, then trim: the file is never empty while held
        os.ftruncate(fd, len(raw))
        yield
    finally:
        os.close(fd)  # releases the lock


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists on this host (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True
