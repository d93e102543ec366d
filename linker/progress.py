"""Progress of a run's stages, for the person waiting on it.

The pipeline stays free of I/O: stages receive a `Reporter` (passed in by the service or a
command) and only call it. Three reporters exist:

- `Reporter` itself reports nothing (`--quiet`, `--json`, library use);
- `LineReporter` writes one summary line per finished stage (stderr that is not a terminal:
  logs, CI);
- `RichReporter` shows a live line per running stage (spinner, counts, elapsed time) and
  leaves the same summary line behind when the stage ends (a terminal).

Every stage is timed: `Reporter.seconds` holds wall seconds per stage name, which is what
run.json records.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO, Any


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,234 accounts` (thousands separated); `many` for irregular words."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


class Stage:
    """One running stage: `update` its count while it runs, `note` what it produced."""

    def __init__(self, reporter: Reporter, name: str, unit: str, total: int | None) -> None:
        self.reporter, self.name, self.unit, self.total = reporter, name, unit, total
        self.completed = 0
        self.summary = ""
        self.task: Any = None  # the live display's handle, if any
        self.t0 = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def update(self, completed: int, total: int | None = None) -> None:
        """How far the stage is (in `unit`s), and its total when known."""
        self.completed = int(completed)
        if total is not None:
            self.total = int(total)
        self.reporter._updated(self)

    def note(self, summary: str) -> None:
        """What the stage did, shown on its summary line (e.g. `20,000 accounts`)."""
        self.summary = summary
        self.reporter._updated(self)

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.reporter.seconds[self.name] = round(self.elapsed, 3)
        self.reporter._finished(self, failed=exc_type is not None)


class Reporter:
    """Times stages and reports nothing (the base of the visible reporters)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def stage(self, name: str, unit: str = "rows", total: int | None = None) -> Stage:
        """A context manager timing stage `name` (recorded in `seconds` when it ends)."""
        stage = Stage(self, name, unit, total)
        self._started(stage)
        return stage

    def message(self, text: str) -> None:
        """A line that is not a stage (e.g. `installing linker`)."""

    def close(self) -> None:
        """Stop any live display."""

    def _started(self, stage: Stage) -> None:
        pass

    def _updated(self, stage: Stage) -> None:
        pass

    def _finished(self, stage: Stage, failed: bool) -> None:
        pass

    @staticmethod
    def summary_line(stage: Stage) -> str:
        what = stage.summary or (plural(stage.completed, stage.unit.rstrip("s"), stage.unit)
                                 if stage.completed else "")
        return f"{stage.name:<22} {what:<40} {stage.elapsed:7.1f} s"


class LineReporter(Reporter):
    """One line per finished stage on `stream` (stderr by default)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.stream = stream

    def _out(self) -> IO[str]:
        return self.stream or sys.stderr

    def message(self, text: str) -> None:
        print(text, file=self._out(), flush=True)

    def _finished(self, stage: Stage, failed: bool) -> None:
        if not failed:
            print(self.summary_line(stage).rstrip(), file=self._out(), flush=True)


class RichReporter(LineReporter):
    """Live progress lines on a terminal (rich), one summary line left per finished stage."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream, stderr=stream is None)
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description:<22}"),
            BarColumn(bar_width=20), TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
            console=self.console, transient=True)
        self.live = 0  # stages running
        self.started = False

    def message(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False)

    def _count(self, stage: Stage) -> str:
        if stage.summary:
            return stage.summary
        if stage.total:
            return f"{stage.completed:,} / {stage.total:,} {stage.unit}"
        return f"{stage.completed:,} {stage.unit}" if stage.completed else ""

    def _started(self, stage: Stage) -> None:
        if not self.started:
            self.progress.start()
            self.started = True
        self.live += 1
        stage.task = self.progress.add_task(stage.name, total=stage.total,
                                            count=self._count(stage))

    def _updated(self, stage: Stage) -> None:
        if stage.task is not None:
            self.progress.update(stage.task, completed=stage.completed, total=stage.total,
                                 count=self._count(stage))

    def _finished(self, stage: Stage, failed: bool) -> None:
        if stage.task is not None:
            self.progress.remove_task(stage.task)
            stage.task = None
            self.live -= 1
        if not failed:
            self.progress.console.print(self.summary_line(stage).rstrip(), highlight=False,
                                        markup=False)
        if not self.live and self.started:
            self.progress.stop()
            self.started = False

    def close(self) -> None:
        if self.started:
            self.progress.stop()
            self.started = False


def reporter_for(*, quiet: bool = False, as_json: bool = False,
                 terminal: bool | None = None) -> Reporter:
    """The reporter a command uses: nothing with --quiet or --json, live lines on a terminal
    (not under CI), otherwise one summary line per stage."""
    import os

    if quiet or as_json:
        return Reporter()
    if terminal is None:
        terminal = sys.stderr.isatty() and not os.environ.get("CI")
    return RichReporter() if terminal else LineReporter()
