"""Quit cleanly on SIGTERM and SIGINT: a session's logout, ``kill``, Ctrl+C in the terminal that started the app.

Without this, SIGTERM ends the process where it stands: the settings of the session are not saved, the child
process's log and the single-instance socket stay behind. Python runs a signal handler only when the interpreter
next gets control, which Qt's event loop may not give it for a long time; so the C-level handler writes the
signal's number to a socket (:func:`signal.set_wakeup_fd`) that a :class:`QSocketNotifier` watches, and the
quit happens on the GUI thread as if the user had closed the window. POSIX only: Windows delivers no SIGTERM.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitOnSignals(QObject):
    """Calls ``on_signal(signum)`` on the GUI thread when the process gets SIGTERM or SIGINT, until :meth:`close`."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {s: signal.signal(s, _noop) for s in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            data = self._reader.recv(64)
        except OSError:
            return
        for signum in data:
            if signum in SIGNALS:
                self._on_signal(signum)
                return

    def close(self) -> None:
        """Give the signals back to what handled them before."""
        self._notifier.setEnabled(False)
        with contextlib.suppress(ValueError, OSError):  # not on the main thread, or at interpreter exit
            signal.set_wakeup_fd(self._previous_fd)
            for s, handler in self._previous.items():
                signal.signal(s, handler)
        self._reader.close()
        self._writer.close()


def _noop(_signum: int, _frame: object) -> None:
    """The Python-level handler: the work is done by the wakeup socket's reader."""


def install(on_signal: Callable[[int], None]) -> QuitOnSignals | None:
    """:class:`QuitOnSignals` where the platform delivers these signals; None on Windows or off the main thread."""
    if sys.platform == "win32":
        return None
    try:
        return QuitOnSignals(on_signal)
    except (ValueError, OSError):  # set_wakeup_fd only works on the main thread
        return None
