"""The child-process host: crashes, hangs and memory hogs end in clean errors; the parent lives on."""

from __future__ import annotations

import os
import time

import pytest

from onnxstudio.core.errors import ChildCrashError, ChildMemoryError, ChildTimeoutError
from onnxstudio.core.host import ChildHost, describe_exit


@pytest.fixture(scope="module")
def host():
    h = ChildHost(memory_limit_bytes=600 * 2**20)
    yield h
    h.close()


def test_ping_runs_in_another_process(host: ChildHost) -> None:
    info = host.call("ping")
    assert int(info["pid"]) != os.getpid()
    assert info["onnxruntime"]


# POSIX reports signals; Windows reports abort() as exit code 3 and a null read as an access violation.
@pytest.mark.parametrize("how,signal_name", [("abort", "SIGABRT|abort"), ("segv", "SIGSEGV|access violation")])
def test_native_crash_becomes_an_error(host: ChildHost, how: str, signal_name: str) -> None:
    with pytest.raises(ChildCrashError, match=f"the test task crashed while crashing on purpose \\(({signal_name})"):
        host.call("crash", how=how)
    assert host.call("ping")["onnxruntime"]  # a fresh child takes over


def test_hang_times_out(host: ChildHost) -> None:
    with pytest.raises(ChildTimeoutError, match="timed out after 1 s"):
        host.call("crash", timeout_s=1, how="hang")
    assert not host.alive


def test_a_background_child_runs_at_the_lowest_priority_and_still_times_out() -> None:
    """The app's checks and MAC counts run beside the runs it times: at nice 19 (below normal on Windows), and the
    time limit counts the child's CPU time, so a starved check is not stopped while a hang still is."""
    psutil = pytest.importorskip("psutil")
    with ChildHost(background=True) as bg:
        nice = psutil.Process(int(bg.call("ping")["pid"])).nice()
        assert nice == (psutil.BELOW_NORMAL_PRIORITY_CLASS if os.name == "nt" else 19)
        with pytest.raises(ChildTimeoutError, match="timed out after 0.5 s"):
            bg.call("crash", timeout_s=0.5, how="spin")  # spinning: its CPU time passes the limit
        bg.call("ping")  # a fresh child, started: its imports are not the hang's CPU time
        started = time.monotonic()
        with pytest.raises(ChildTimeoutError, match="timed out after 0.3 s"):
            bg.call("crash", timeout_s=0.3, how="hang")  # asleep, no CPU: stopped at ten times the limit
        assert time.monotonic() - started >= 2.9
    with ChildHost() as fg:
        assert psutil.Process(int(fg.call("ping")["pid"])).nice() == psutil.Process().nice()


def test_memory_limit(host: ChildHost) -> None:
    with pytest.raises(ChildMemoryError, match="exceeded the memory limit of 600 MB"):
        host.call("crash", how="memory")


def test_describe_exit() -> None:
    assert describe_exit(-6) == "SIGABRT"
    assert describe_exit(0xC0000005) == "access violation"
    assert describe_exit(1) == "exit code 1"


def test_cancel_after_the_child_died_does_not_block() -> None:
    import threading

    h = ChildHost()
    try:
        with pytest.raises(ChildCrashError):
            h.call("crash", how="abort")
        done = threading.Event()
        threading.Thread(target=lambda: (h.cancel(), done.set()), daemon=True).start()
        assert done.wait(2), "cancel() blocked on a dead child"
        assert h.call("ping")["onnxruntime"]
    finally:
        h.close()


def test_native_stderr_is_captured_without_a_python_stderr(monkeypatch) -> None:
    """What native code writes to fd 2 is read back, also in a child of a windowed build (sys.stderr None)."""
    import os
    import sys

    from onnxstudio.core.child_tasks import capture_stderr

    monkeypatch.delenv("ONNXSTUDIO_CHILD_LOG", raising=False)
    monkeypatch.setattr(sys, "stderr", None)
    with capture_stderr() as lines:
        os.write(2, b"Failed to load library libcudnn.so.9\n")
    assert lines == ["Failed to load library libcudnn.so.9"]
