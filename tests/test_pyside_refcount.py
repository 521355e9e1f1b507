"""PySide6 6.12.0 on Python < 3.12 drops a reference to None on every Qt call that returns nothing and aborts
the interpreter ("Fatal Python error: none_dealloc") after a few thousand calls. We depend on a PySide6 without
the bug there; this test makes 20,000 such calls in a fresh interpreter and checks it survives with None's
reference count intact."""

from __future__ import annotations

import subprocess
import sys


def test_twenty_thousand_void_qt_calls() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "before = sys.getrefcount(None)\n"
        "for i in range(20000):\n"
        "    o.setObjectName('x')\n"
        "after = sys.getrefcount(None)\n"
        "print(before, after)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"interpreter died: {out.returncode} {out.stderr[-500:]}"
    before, after = map(int, out.stdout.split())
    assert after >= before - 100, f"None lost {before - after} references"
