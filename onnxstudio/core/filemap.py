"""A model file's bytes without a copy: memory-mapped, searched and given back page by page. Qt-free."""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def mapped(p: Path) -> Iterator[bytes | memoryview]:
    """The file's bytes, memory-mapped (no copy in this process: -0.1 s at 160 MB), or read where it cannot
    be mapped (some network or virtual file systems). The view is valid inside the ``with`` only."""
    with open(p, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            yield fh.read()
            return
        with mm:
            view = memoryview(mm)
            try:
                yield view
            finally:
                view.release()


def release(data: bytes | memoryview, start: int = 0, end: int | None = None) -> None:
    """Give the whole pages of a mapped file's bytes ``start:end`` back to the system (they are read again
    from the page cache if touched); a no-op for bytes or where madvise is missing (Windows)."""
    mm = data.obj if isinstance(data, memoryview) else None
    if not isinstance(mm, mmap.mmap) or not hasattr(mmap, "MADV_DONTNEED"):
        return
    page = mmap.PAGESIZE
    a = start // page * page
    b = len(mm) if end is None else end // page * page
    if b > a:
        mm.madvise(mmap.MADV_DONTNEED, a, b - a)


def contains(data: bytes | memoryview, needle: bytes, start: int = 0, end: int | None = None) -> bool:
    """Substring test that also works on a mapped file's view (``in`` on a memoryview compares items and is
    always False for a bytes needle)."""
    hay = data.obj if isinstance(data, memoryview) else data
    return hay.find(needle, start, len(data) if end is None else end) != -1  # type: ignore[union-attr]
