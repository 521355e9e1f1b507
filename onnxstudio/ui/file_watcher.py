"""The open model's file, watched: it says once when the file was exported again and has settled.

An exporter writes a large model over seconds, or writes a new file and renames it over the old one (the
watcher then loses the path, which is added again). ``changed`` comes only once the file's modified time, size
and inode have stayed the same for ``settle_ms`` and differ from the ones last loaded, so a half-written file is
never read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from onnxstudio.core.engine import file_stamp

_GIVE_UP = 40  # settle periods to wait for a file that was removed to come back (a slow rename-over)


class ModelFileWatcher(QObject):
    changed = Signal(str)  # the path, once it holds another file than the one loaded, written in full

    def __init__(self, parent: QObject | None = None, settle_ms: int = 700) -> None:
        super().__init__(parent)
        self.path = ""
        self._loaded: tuple[int, int, int] | None = None  # the stamp of the file as last loaded
        self._seen: tuple[int, int, int] | None = None  # the stamp at the last look
        self._waits = 0
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_event)
        self._timer = QTimer(self, singleShot=True, interval=settle_ms)
        self._timer.timeout.connect(self._settle)

    def watch(self, path: str) -> None:
        """Watch ``path``, as it is now the loaded model."""
        self.clear()
        self.path = str(path)
        self._loaded = self._seen = file_stamp(self.path)
        if Path(self.path).is_file():
            self._watcher.addPath(self.path)

    def clear(self) -> None:
        self._timer.stop()
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        self.path = ""
        self._loaded = self._seen = None

    def _on_event(self, _path: str) -> None:
        self._seen = file_stamp(self.path)
        self._waits = 0
        self._timer.start()

    def _settle(self) -> None:
        now = file_stamp(self.path)
        if now is None:  # removed, or between an exporter's delete and its new file
            self._waits += 1
            if self._waits < _GIVE_UP:
                self._timer.start()
            return
        if self.path not in self._watcher.files():
            self._watcher.addPath(self.path)  # a file renamed over the old one is a new file to watch
        if now != self._seen:  # still being written
            self._seen = now
            self._timer.start()
            return
        if now != self._loaded:
            self._loaded = now
            self.changed.emit(self.path)
