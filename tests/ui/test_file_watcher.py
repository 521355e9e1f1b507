"""The open model's file watcher: one signal per export, once the file has settled."""

from __future__ import annotations

import os
import time
from pathlib import Path

from onnxstudio.core.engine import file_stamp
from onnxstudio.ui.file_watcher import ModelFileWatcher


def test_a_file_written_in_pieces_is_said_once_when_whole(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "m.onnx"
    path.write_bytes(b"old")
    watcher = ModelFileWatcher(settle_ms=800)
    seen: list[tuple] = []
    watcher.changed.connect(lambda p: seen.append((p, file_stamp(p), path.read_bytes())))
    watcher.watch(str(path))
    with path.open("wb") as f:  # an exporter writing for a while: pieces 100 ms apart
        for piece in (b"new-", b"model-", b"bytes"):
            f.write(piece)
            f.flush()
            time.sleep(0.1)
            qtbot.wait(1)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    qtbot.wait(1000)
    assert seen == [(str(path), file_stamp(path), b"new-model-bytes")]


def test_a_file_renamed_over_it_is_watched_again(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "m.onnx"
    path.write_bytes(b"1")
    watcher = ModelFileWatcher(settle_ms=150)
    seen: list[bytes] = []
    watcher.changed.connect(lambda p: seen.append(Path(p).read_bytes()))
    watcher.watch(str(path))
    for content in (b"22", b"333"):
        fresh = tmp_path / "m.tmp"
        fresh.write_bytes(content)
        os.replace(fresh, path)
        qtbot.waitUntil(lambda c=content: seen[-1:] == [c], timeout=5000)
    watcher.clear()
    path.write_bytes(b"4444")
    qtbot.wait(500)
    assert seen == [b"22", b"333"]
