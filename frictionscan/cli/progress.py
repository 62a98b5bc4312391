"""The progress display of the scanning commands: rich progress bars on standard error when
it is a terminal (and ``-q`` was not given); nothing otherwise."""

from __future__ import annotations

from typing import Any


class ProgressDisplay:
    """A context manager and the engine's progress callback (``phase, done, total``)."""

    def __init__(self, enabled: bool) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), console=Console(stderr=True),
                                     transient=True)

    def __enter__(self) -> ProgressDisplay:
        if self.progress:
            self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.__exit__(*exc)

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.progress:
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(f"{phase} files", total=total or None)
        self.progress.update(self.tasks[phase], completed=done, total=total or None)
