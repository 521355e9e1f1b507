"""Qt test set-up: offscreen, private settings and log per test, and no QThread left running."""

from __future__ import annotations

import os
import tempfile
import weakref

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Private settings and log folders for the whole run; tests that need a fresh one set their own.
os.environ["ONNXSTUDIO_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="onnxstudio-test-settings-")
os.environ["ONNXSTUDIO_LOG_DIR"] = tempfile.mkdtemp(prefix="onnxstudio-test-log-")
os.environ["ONNXSTUDIO_INSTANCE_NAME"] = f"onnxstudio-test-{os.getpid()}"

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from tests.conftest import remove_at_exit

remove_at_exit("ONNXSTUDIO_SETTINGS_DIR", "ONNXSTUDIO_LOG_DIR")

_started: list[weakref.ref[QThread]] = []
_original_start = QThread.start


def _tracking_start(self: QThread, *args: object) -> None:
    _started.append(weakref.ref(self))
    _original_start(self, *args)


QThread.start = _tracking_start  # type: ignore[method-assign]


def running_threads(since: int = 0) -> list[str]:
    out = []
    for ref in _started[since:]:
        thread = ref()
        try:
            if thread is not None and thread.isRunning():
                out.append(thread.objectName() or repr(thread))
        except RuntimeError:  # the C++ object is gone: not running
            continue
    return out


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that starts a QThread and leaves it running (napari's _dangling_qthreads)."""
    since = len(_started)
    yield
    left = running_threads(since)
    if left:
        for ref in _started[since:]:
            thread = ref()
            if thread is not None and thread.isRunning():
                thread.quit()
                thread.wait(5000)
        pytest.fail(f"{request.node.name} left QThread(s) running: {', '.join(left)}")


@pytest.fixture
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "settings"
    monkeypatch.setenv("ONNXSTUDIO_SETTINGS_DIR", str(d))
    return d


def wait_idle(qtbot: object, window: object, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: not window.workspace.controller.busy, timeout=timeout)  # type: ignore[attr-defined]


def open_and_wait(qtbot: object, window: object, path: Path | str, timeout: int = 20000) -> None:
    with qtbot.waitSignal(window.model_loaded, timeout=timeout):  # type: ignore[attr-defined]
        window.open_model(str(path))  # type: ignore[attr-defined]
