"""SIGTERM and SIGINT close the app as its close button does: settings saved, child process stopped, nothing left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from onnxstudio.resources import default_sample
from onnxstudio.ui import quit_signals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows delivers no SIGTERM")


def test_a_signal_reaches_the_gui_thread_and_the_old_handler_comes_back(qtbot) -> None:
    before = signal.getsignal(signal.SIGINT)
    got: list[int] = []
    watcher = quit_signals.install(got.append)
    assert watcher is not None
    try:
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt: the watcher's handler has it
        qtbot.waitUntil(lambda: got == [signal.SIGINT], timeout=5000)
    finally:
        watcher.close()
    assert signal.getsignal(signal.SIGINT) is before


def test_sigterm_closes_the_app_cleanly(tmp_path: Path) -> None:
    """A session's logout sends SIGTERM: exit 0, the window's settings written, the child process that held the
    model gone with its log, the single-instance socket removed (a killed app left all of them)."""
    name = f"onnxstudio-test-{uuid.uuid4().hex[:12]}"
    settings = tmp_path / "settings"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ONNXSTUDIO_SETTINGS_DIR": str(settings),
           "ONNXSTUDIO_INSTANCE_NAME": name, "TMPDIR": str(tmp_path)}
    app = subprocess.Popen([sys.executable, "-m", "onnxstudio", str(default_sample())], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        process = psutil.Process(app.pid)
        end = time.monotonic() + 60
        while not process.children() or not list(tmp_path.glob("onnxstudio-child-*.log")) \
                or not (tmp_path / name).exists():  # Qt's local socket: in the temp folder, on Unix
            assert app.poll() is None and time.monotonic() < end, "the app did not start its child process"
            time.sleep(0.2)
        children = process.children(recursive=True)
        app.send_signal(signal.SIGTERM)
        assert app.wait(30) == 0, app.stderr.read() if app.stderr else ""
    finally:
        if app.poll() is None:
            app.kill()
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
    assert "geometry=" in (settings / "onnxstudio.ini").read_text()
    assert not list(tmp_path.glob("onnxstudio-child-*.log"))
    assert not (tmp_path / name).exists()
