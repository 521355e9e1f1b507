"""Single instance: a second launch hands its files to the running window, per user, stale sockets cleared."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtNetwork")

from PySide6.QtNetwork import QLocalServer

from onnxstudio.ui.single_instance import NAME_ENV, SingleInstance, default_server_name


@pytest.fixture
def name() -> str:
    # Unique per test: never talk to a real running app, nor to another test.
    return f"onnxstudio-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def instance(qapp, name):
    inst = SingleInstance(server_name=name)
    assert inst.listen()
    yield inst
    inst.close()


def _send_from_child(name: str, paths: list[str], cwd: Path) -> subprocess.Popen:
    """A real second process, as a second launch is: blocking client calls, no QApplication."""
    code = ("import sys; from onnxstudio.ui.single_instance import SingleInstance; "
            "sys.exit(0 if SingleInstance.send_to_running(sys.argv[2:], sys.argv[1]) else 3)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen([sys.executable, "-c", code, name, *paths], cwd=cwd, env=env)


def test_no_running_instance_returns_false(qapp, name):
    assert SingleInstance.send_to_running(["x.onnx"], name, timeout_ms=300) is False


def test_second_process_hands_files_to_running_instance(qtbot, instance, name, tmp_path):
    received: list[str] = []
    instance.file_received.connect(received.append)
    child = _send_from_child(name, ["a.onnx", str(tmp_path / "b c.onnx")], cwd=tmp_path)
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=15000)
    assert child.returncode == 0
    qtbot.waitUntil(lambda: len(received) == 2, timeout=5000)
    # Relative paths are made absolute by the sender: the running app has another working directory.
    assert received == [str(tmp_path / "a.onnx"), str(tmp_path / "b c.onnx")]


def test_launch_without_files_asks_for_activation(qtbot, instance, name, tmp_path):
    with qtbot.waitSignal(instance.activation_requested, timeout=15000):
        child = _send_from_child(name, [], cwd=tmp_path)
    assert child.wait(15) == 0


def test_second_listener_defers_to_live_instance(qtbot, instance, name, tmp_path):
    # listen() pings the live instance (from this thread, blocking), so drive the server from a child.
    child = subprocess.Popen([sys.executable, "-c",
                              "import sys; from PySide6.QtCore import QCoreApplication;"
                              "from onnxstudio.ui.single_instance import SingleInstance;"
                              "app = QCoreApplication([]); s = SingleInstance(server_name=sys.argv[1]);"
                              "sys.exit(5 if s.listen() else 0)", name],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=15000)
    assert child.returncode == 0
    assert instance.listening


@pytest.mark.skipif(sys.platform == "win32", reason="stale Unix socket files exist only on Unix")
def test_stale_socket_from_crashed_instance_is_replaced(qapp, name):
    # A socket file nobody listens on, as a killed instance leaves it.
    import socket

    from PySide6.QtCore import QDir

    path = os.path.join(QDir.tempPath(), name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    try:
        inst = SingleInstance(server_name=name)
        assert inst.listen()
        inst.close()
    finally:
        QLocalServer.removeServer(name)


def test_garbage_message_is_dropped(qtbot, instance, name):
    from PySide6.QtNetwork import QLocalSocket

    received: list[str] = []
    instance.file_received.connect(received.append)
    sock = QLocalSocket()
    sock.connectToServer(name)
    assert sock.waitForConnected(2000)
    sock.write(b"not json\n")
    sock.flush()
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert received == []


def test_server_name_is_per_user_and_overridable(monkeypatch):
    monkeypatch.delenv(NAME_ENV, raising=False)
    monkeypatch.setenv("USER", "alice")
    monkeypatch.setenv("LOGNAME", "alice")
    alice = default_server_name()
    monkeypatch.setenv("USER", "bob")
    monkeypatch.setenv("LOGNAME", "bob")
    assert default_server_name() != alice
    assert alice.startswith("onnxstudio-") and len(alice) < 40
    monkeypatch.setenv(NAME_ENV, "custom")
    assert default_server_name() == "custom"
