"""A child process that runs every piece of native code that reads model content.

onnx's checker and shape inference and onnxruntime can abort the whole process on a malformed model (a 217-byte
model does it). They run here, in a spawned child; the parent watches it: a crash (signal or Windows exception
code), a wall-clock timeout, memory beyond a limit or a hard cancel end the child and become a
:class:`StudioError` whose message says what happened. The next call starts a fresh child.

Protocol over a ``multiprocessing`` pipe (pickled tuples):
    parent -> child: (task_name, kwargs)
    child -> parent: ("phase", component, doing) | ("item", obj) | ("ok", result) | ("err", category, message)
Tasks are registered in :mod:`onnxstudio.core.child_tasks`; a task may be a generator, whose items stream back.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from onnxstudio.core.errors import (
    CancelledError,
    ChildCrashError,
    ChildMemoryError,
    ChildTimeoutError,
    StudioError,
    error_for,
)

_POLL_S = 0.05
# After a cancel, a task stuck in native code (session creation) gets this long before the child is killed.
CANCEL_GRACE_S = 1.0
_WINDOWS_CODES = {
    0xC0000005: "access violation",
    0xC0000409: "stack buffer overrun",
    0xC00000FD: "stack overflow",
    0xC0000374: "heap corruption",
    0xC000001D: "illegal instruction",
    0x40000015: "abort",
    3: "abort",
}


def describe_exit(code: int | None) -> str:
    """A short name for a child's exit code: ``SIGABRT``, ``access violation``, ``exit code 1``."""
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    if code in _WINDOWS_CODES:
        return _WINDOWS_CODES[code]
    if code > 0xFFFF:
        return f"exception 0x{code:08X}"
    return f"exit code {code}"


def default_memory_limit() -> int:
    """75% of physical memory: enough for real models, small enough to stop before the machine swaps."""
    import psutil

    return int(psutil.virtual_memory().total * 0.75)


def format_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} B"


@dataclass
class _Phase:
    component: str = "the child process"
    doing: str = "starting"
    interruptible: bool = True
    since: float = 0.0


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class ChildHost:
    """One child process, kept warm between calls; one call at a time."""

    def __init__(self, *, memory_limit_bytes: int | None = None, background: bool = False) -> None:
        """``background``: the child runs at the lowest CPU priority (:func:`lower_priority`), for work done while
        the user may be timing runs in another child (the app's checks and MAC counts)."""
        self.memory_limit_bytes = memory_limit_bytes if memory_limit_bytes is not None else default_memory_limit()
        self.background = background
        self._cpu_start = 0.0  # the child's CPU seconds when the call in flight began (background hosts)
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Any = None
        self._cancel_flag: Any = None  # shared byte: lock-free, so a dead child can never block a cancel
        self._cancel_requested = False
        self._lock = threading.Lock()
        self._phase = _Phase()
        self.peak_rss = 0
        self._log_path: str | None = None
        self._log_removal: weakref.finalize | None = None  # the log removed even if close() is never called

    # -- lifecycle ---------------------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        if self.alive:
            return
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        self._cancel_flag = self._ctx.RawValue("b", 0)
        self._remove_log()
        fd, self._log_path = tempfile.mkstemp(prefix="onnxstudio-child-", suffix=".log")
        os.close(fd)
        self._log_removal = weakref.finalize(self, _unlink_quietly, self._log_path)
        proc = self._ctx.Process(target=_child_main, args=(child_conn, self._cancel_flag, self._log_path,
                                                           self.background),
                                 name="onnxstudio-child", daemon=True)
        try:
            proc.start()
        except Exception as exc:  # e.g. a script without `if __name__ == "__main__":` under spawn
            parent_conn.close()
            child_conn.close()
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ChildCrashError(f"could not start the child process: {first}") from None
        self._proc = proc
        child_conn.close()
        self._conn = parent_conn
        self.peak_rss = 0

    def kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _remove_log(self) -> None:
        if self._log_removal is not None:
            self._log_removal()  # once: a finalizer runs at most once
        self._log_removal, self._log_path = None, None

    def last_log_line(self) -> str:
        """The last line native code wrote to stderr in the child (an assertion, a fatal error)."""
        if not self._log_path:
            return ""
        try:
            with open(self._log_path, "rb") as fh:
                fh.seek(max(0, os.path.getsize(self._log_path) - 4096))
                lines = [ln.strip() for ln in fh.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except OSError:
            return ""
        if not lines:
            return ""
        line = lines[-1]
        if "Assertion" in line:  # drop the compiler's header path, keep what failed
            line = line[line.index("Assertion"):]
        return line[-240:]

    def close(self) -> None:
        """Ask the child to exit; kill it if it does not within a second."""
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            try:
                self._conn.send(None)
                self._proc.join(1)
            except (OSError, EOFError, BrokenPipeError):
                pass
        self.kill()
        self._remove_log()

    def cancel(self) -> None:
        """Thread-safe: ask the running call to stop (between iterations, or via RunOptions.terminate)."""
        self._cancel_requested = True
        flag = self._cancel_flag
        if flag is not None:
            flag.value = 1

    # -- calls -------------------------------------------------------------------------------------------
    def call(self, task: str, *, timeout_s: float | None = None, **kwargs: Any) -> Any:
        """Run ``task`` in the child and return its result (streamed items are discarded)."""
        gen = self.stream(task, timeout_s=timeout_s, **kwargs)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    def stream(self, task: str, *, timeout_s: float | None = None, **kwargs: Any) -> Iterator[Any]:
        """Run ``task`` in the child, yielding the items it streams; the generator returns its result."""
        with self._lock:
            self.start()
            self._cancel_requested = False
            self._cancel_flag.value = 0
            self._phase = _Phase(since=time.monotonic())
            try:
                self._conn.send((task, kwargs))
            except (OSError, BrokenPipeError):
                self.kill()
                raise ChildCrashError("the child process is gone; try again") from None
            try:
                result = yield from self._drain(timeout_s)
            except GeneratorExit:
                self._abandon()
                raise
            return result

    def _abandon(self) -> None:
        """The caller dropped a stream mid-way: stop the task and read up to its end, so that the next call does
        not receive this one's leftovers; kill the child if it does not end promptly."""
        self.cancel()
        try:
            for _ in self._drain(5.0):
                pass
        except StudioError:
            pass
        except Exception:
            self.kill()

    def _drain(self, timeout_s: float | None) -> Iterator[Any]:
        started = time.monotonic()
        self._cpu_start = _cpu_s(self._proc.pid) if self.background and self._proc is not None else 0.0
        next_watch = started + _POLL_S
        while True:
            conn = self._conn
            try:
                ready = conn.poll(_POLL_S)
            except (OSError, EOFError):
                ready = False
            if ready:
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    self._raise_crash()
                kind = msg[0]
                if kind == "item":
                    yield msg[1]
                elif kind == "phase":
                    self._phase = _Phase(msg[1], msg[2], msg[3], time.monotonic())
                elif kind == "ok":
                    return msg[1]
                elif kind == "err":
                    raise error_for(msg[1], msg[2])
            # Watch on a clock, not only when the pipe is quiet: a child streaming items must not starve it.
            now = time.monotonic()
            if not ready or now >= next_watch:
                self._watch(started, timeout_s)
                next_watch = now + _POLL_S

    def _watch(self, started: float, timeout_s: float | None) -> None:
        if self._proc is None or not self._proc.is_alive():
            self._raise_crash()
        now = time.monotonic()
        elapsed = now - started
        if self.background and timeout_s is not None and elapsed > timeout_s:
            # a background child waits for the CPU while runs are timed: its own CPU time is what counts (a
            # hang spins, or stops ten times the limit later)
            elapsed = max(_cpu_s(self._proc.pid) - self._cpu_start, elapsed / 10)
        if timeout_s is not None and elapsed > timeout_s:
            doing = self._phase.doing
            self.kill()
            raise ChildTimeoutError(f"timed out after {timeout_s:g} s while {doing}; the child process was stopped")
        rss = _rss(self._proc.pid)
        self.peak_rss = max(self.peak_rss, rss)
        if rss > self.memory_limit_bytes:
            doing = self._phase.doing
            self.kill()
            raise ChildMemoryError(f"{doing} exceeded the memory limit of {format_bytes(self.memory_limit_bytes)} "
                                   f"({format_bytes(rss)} in use) and was stopped")
        if self._cancel_requested and not self._phase.interruptible and now - self._phase.since > CANCEL_GRACE_S:
            doing = self._phase.doing
            self.kill()
            raise CancelledError(f"cancelled while {doing}; the child process was stopped")

    def _raise_crash(self) -> None:
        proc = self._proc
        if proc is not None:
            proc.join(2)
        code = proc.exitcode if proc is not None else None
        phase = self._phase
        self.kill()
        detail = self.last_log_line()
        raise ChildCrashError(f"{phase.component} crashed while {phase.doing} ({describe_exit(code)})"
                              + (f": {detail}" if detail else ""))

    def __enter__(self) -> ChildHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cpu_s(pid: int) -> float:
    """Seconds of CPU the process ``pid`` has had (user and system, all its threads); 0 where unknown."""
    import psutil

    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.Error, OSError):
        return 0.0
    return float(times.user + times.system)


def _rss(pid: int) -> int:
    import psutil

    try:
        return int(psutil.Process(pid).memory_info().rss)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


# --- child side ---------------------------------------------------------------------------------------------
class ChildContext:
    """What a task sees of the child: phase reporting, the cancel flag and state kept between calls."""

    def __init__(self, conn: Any, cancel_flag: Any) -> None:
        self._conn = conn
        self.cancel_flag = cancel_flag
        self.state: dict[str, Any] = {}

    def phase(self, component: str, doing: str, *, interruptible: bool = True) -> None:
        self._conn.send(("phase", component, doing, interruptible))

    def cancelled(self) -> bool:
        return bool(self.cancel_flag.value)

    def send_item(self, item: Any) -> None:
        self._conn.send(("item", item))


BACKGROUND_NICENESS = 19  # the scheduler gives it ~1.5% of a core that a nice-0 process wants


def lower_priority(pid: int | None = None, niceness: int = BACKGROUND_NICENESS) -> bool:
    """Process ``pid`` (this one where None) below normal CPU priority, never raised: at ``niceness`` on POSIX,
    below normal on Windows (idle would starve it behind any busy program). False where the process is gone or
    the system refuses."""
    import psutil

    try:
        proc = psutil.Process(pid)
        if sys.platform == "win32":
            proc.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        elif proc.nice() < niceness:
            proc.nice(niceness)
    except (OSError, psutil.Error, AttributeError):
        return False
    return True


def _child_main(conn: Any, cancel_flag: Any, log_path: str | None = None, background: bool = False) -> None:
    # onnxruntime may read session options from model metadata when this is set: never for untrusted models.
    os.environ.pop("ORT_LOAD_CONFIG_FROM_MODEL", None)
    if background:
        lower_priority()
    if log_path:
        # Native code writes assertions and warnings to fd 2: keep them out of the parent's terminal (the CLI
        # promises one line on stderr) and let the parent quote the last one when the child dies.
        log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
        os.dup2(log, 2)
        os.close(log)
        os.environ["ONNXSTUDIO_CHILD_LOG"] = log_path
    from onnxstudio.core.child_tasks import TASKS

    ctx = ChildContext(conn, cancel_flag)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        task, kwargs = msg
        try:
            fn = TASKS[task]
            out = fn(ctx, **kwargs)
            if hasattr(out, "__next__"):
                while True:
                    try:
                        conn.send(("item", next(out)))
                    except StopIteration as stop:
                        out = stop.value
                        break
            conn.send(("ok", out))
        except StudioError as exc:
            conn.send(("err", exc.category, exc.message))
        except MemoryError:
            conn.send(("err", "memory", "the child process ran out of memory"))
        except Exception as exc:  # any other failure is reported, never fatal to the child's loop
            conn.send(("err", "error", f"{type(exc).__name__}: {' '.join(str(exc).split())}"))
