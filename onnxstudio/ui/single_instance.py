"""One running app per user: a second launch hands its files to the first window and exits.

Double-clicking several models in a file manager should not start a new process (and a new onnxruntime
child) for each. The first instance listens on a per-user local socket (a named pipe on Windows); a later
launch connects, sends its absolute paths as one JSON line, waits for the reply ``ok`` and exits. No reply
(no instance, a hung one, a stale socket left by a crash) means the caller starts normally.

Usage in ``run_app``::

    if SingleInstance.send_to_running(paths):
        return 0                                   # the running window took the files
    app = QApplication(argv)
    instance = SingleInstance(app)
    instance.listen()
    instance.file_received.connect(window.open_model)
    instance.activation_requested.connect(window.raise_and_activate)
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sys

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

# Environment override: tests and side-by-side installs use their own name.
NAME_ENV = "ONNXSTUDIO_INSTANCE_NAME"
_REPLY = b"ok\n"
_MAX_MESSAGE = 1 << 20


def default_server_name() -> str:
    """Per user (another user's instance must not get our files) and short (Unix socket paths are limited)."""
    override = os.environ.get(NAME_ENV)
    if override:
        return override
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (a service account): fall back to the uid/home
        user = str(getattr(os, "getuid", lambda: os.path.expanduser("~"))())
    digest = hashlib.sha256(f"{user}|{sys.platform}".encode()).hexdigest()[:16]
    return f"onnxstudio-{digest}"


class SingleInstance(QObject):
    """The running instance's side: a local server that turns messages into signals."""

    file_received = Signal(str)
    # A second launch without files: bring the existing window to the front.
    activation_requested = Signal()

    def __init__(self, parent: QObject | None = None, server_name: str | None = None) -> None:
        super().__init__(parent)
        self.server_name = server_name or default_server_name()
        self._server = QLocalServer(self)
        # Only this user may connect (Windows pipes are otherwise reachable from other sessions).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, QByteArray] = {}

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def listen(self) -> bool:
        """Become the instance others hand files to. False when another live instance already is."""
        # Ask first: on Unix, listen() with UserAccessOption renames its socket over an existing one and
        # would silently take the name from a live instance.
        if _exchange({"ping": True}, self.server_name, timeout_ms=500):
            return False
        # Nobody answers: whatever holds the name is a socket left behind by a crashed instance.
        QLocalServer.removeServer(self.server_name)
        return self._server.listen(self.server_name)

    def close(self) -> None:
        self._server.close()

    # -- server side ------------------------------------------------------------------------------------
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = QByteArray()
            sock.readyRead.connect(lambda s=sock: self._on_ready_read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            if sock.bytesAvailable():
                self._on_ready_read(sock)

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _on_ready_read(self, sock: QLocalSocket) -> None:
        buf = self._buffers.get(sock)
        if buf is None:
            return
        buf.append(sock.readAll())
        data = bytes(buf.data())
        if b"\n" not in data:
            if len(data) > _MAX_MESSAGE:  # not one of ours: don't buffer forever
                sock.abort()
            return
        line = data.split(b"\n", 1)[0]
        try:
            message = json.loads(line.decode("utf-8"))
            ping = message.get("ping") is True
            files = [] if ping else [str(f) for f in message["files"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            sock.abort()
            return
        # Reply first: the sender is waiting and exits as soon as it knows the files were taken.
        sock.write(_REPLY)
        sock.flush()
        sock.disconnectFromServer()
        if ping:
            return
        if files:
            for path in files:
                self.file_received.emit(path)
        else:
            self.activation_requested.emit()

    # -- client side ------------------------------------------------------------------------------------
    @staticmethod
    def send_to_running(paths: list[str], server_name: str | None = None, timeout_ms: int = 1500) -> bool:
        """Hand ``paths`` to a running instance; True when it confirmed. Needs no QApplication."""
        files = [os.path.abspath(p) for p in paths]  # the running instance has another working directory
        return _exchange({"files": files}, server_name or default_server_name(), timeout_ms)


def _exchange(message: dict[str, object], server_name: str, timeout_ms: int) -> bool:
    """Send one JSON line and wait for ``ok``; False when nobody is there or nobody answers in time."""
    sock = QLocalSocket()
    sock.connectToServer(server_name)
    if not sock.waitForConnected(timeout_ms):
        return False
    try:
        sock.write(json.dumps(message).encode("utf-8") + b"\n")
        if not sock.waitForBytesWritten(timeout_ms):
            return False
        reply = b""
        while _REPLY not in reply:
            if not sock.waitForReadyRead(timeout_ms):
                # The server may already have closed after replying: take what is left.
                reply += bytes(sock.readAll().data())
                break
            reply += bytes(sock.readAll().data())
        return _REPLY in reply
    finally:
        sock.abort()
