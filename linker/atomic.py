"""One way to replace a directory whole: build it in a temporary sibling, then swap it in
with renames, so a reader (or a crash) never sees half of it. Used for OUT_DIR and for
the review packet inside it; the embedded store's tables use the same sibling naming
(`.NAME.tmp-PID-*`, `.NAME.old-PID`) so leftovers of killed processes can be found."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_dir(target: Path) -> Iterator[Path]:
    """Yield an empty temporary directory beside `target`; when the block succeeds it
    replaces `target` whole (the old tree is removed last), when it fails it is removed and
    `target` is left as it was."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    try:
        yield tmp
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames only; the old tree is removed last."""
    if not target.exists():
        os.replace(new, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
