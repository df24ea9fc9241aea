"""Run slow work off the UI thread and hear back on it (after Anki's QueryOp and Picard's run_task).

The callable must not touch widgets; it opens its own database sessions through the services. Its
result or exception comes back through signals delivered on the main thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Cancelled(Exception):
    """Raised inside a task when the officer pressed Cancel."""


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[Task], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.relay: _Relay | None = None  # set by run_task; kept here so it lives as long as the task
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Called by the work; raises Cancelled when the officer asked to stop."""
        if self._cancel.is_set():
            raise Cancelled
        self.signals.progress.emit(done, total, text)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except BaseException as exc:  # delivered to the UI, never lost in a thread
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class _Relay(QObject):
    """Lives on the main thread, so the queued signals run the callbacks there, not in the worker."""

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        super().__init__()
        self._success, self._failure, self._progress = on_success, on_failure, on_progress

    @Slot(object)
    def succeeded(self, result: object) -> None:
        self._success(result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        self._failure(exc)  # type: ignore[arg-type]

    @Slot(int, int, str)
    def progress(self, done: int, total: int, text: str) -> None:
        if self._progress is not None:
            self._progress(done, total, text)


def pool() -> QThreadPool:
    """Replaced in tests by a pool that runs tasks at once on the calling thread."""
    return QThreadPool.globalInstance()


def run_task(
    fn: Callable[[Task], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    task = Task(fn)
    task.setAutoDelete(False)
    relay = task.relay = _Relay(on_success, on_failure, on_progress)
    task.signals.succeeded.connect(relay.succeeded)
    task.signals.failed.connect(relay.failed)
    task.signals.progress.connect(relay.progress)
    pool().start(task)
    return task
