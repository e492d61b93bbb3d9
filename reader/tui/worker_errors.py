"""One policy for background work that fails, for the app and every screen.

A worker that raises (rather than finishing, or being cancelled) is shown to the user:
what failed and why, in a notification and the log; and `Ctrl+R` runs it again. A class
lists, by worker group, what each of its workers does and the action that retries it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual.binding import Binding
from textual.worker import Worker, WorkerState

from reader.text.safe_text import safe_text


def retry_binding(scope: str) -> Binding:
    """The binding each class using the policy adds to its BINDINGS (`scope`: the prefix
    of its other binding ids, so each can be remapped on its own)."""
    return Binding("ctrl+r", "retry_failed", "Retry", show=False, id=f"{scope}.retry")


class Retry(NamedTuple):
    """What a worker group does (for the message) and the action that runs it again."""

    doing: str
    action: str


if TYPE_CHECKING:
    from textual.dom import DOMNode

    _Node = DOMNode
else:
    # A plain mixin at run time: a DOMNode subclass in front of App or Widget in the MRO
    # would change which default styles apply (the text of the reading pane lost its colour).
    _Node = object


class ReportsFailedWorkers(_Node):
    """Mixin for the App and screens: failed workers are reported and can be retried."""

    #: Worker group -> what it does and how to run it again.
    RETRIES: ClassVar[dict[str, Retry]] = {}

    #: The group of the last worker that failed and has not been retried.
    failed_group: str | None = None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker of this node that failed."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        retry = self.RETRIES.get(worker.group)
        doing = retry.doing if retry is not None else "Background work"
        error = worker.error
        reason = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        self.log.error(f"worker {worker.group!r} failed: {reason}")
        self.failed_group = worker.group if retry is not None else None
        hint = " Ctrl+R tries again." if retry is not None else ""
        self.app.notify(
            f"{doing} failed: {safe_text(reason)}.{hint}",
            severity="error",
            timeout=12,
            markup=False,
        )
        self.refresh_bindings()
        self.worker_failed(worker.group, reason)

    def worker_failed(self, group: str, reason: str) -> None:
        """Show the failure where the work's result would have been (override)."""

    def action_retry_failed(self) -> None:
        """Run the work that failed again."""
        group, self.failed_group = self.failed_group, None
        self.refresh_bindings()
        retry = self.RETRIES.get(group or "")
        if retry is not None:
            getattr(self, f"action_{retry.action}")()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`Ctrl+R` is offered only while something that failed can be retried."""
        if action == "retry_failed":
            return self.failed_group is not None
        return super().check_action(action, parameters)
