"""Dependencies point one way: the core and the CLI never load Qt."""

from __future__ import annotations

import subprocess
import sys


def test_core_and_cli_load_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, onnxstudio.core, onnxstudio.cli\n"
        "for m in pkgutil.walk_packages(onnxstudio.core.__path__, 'onnxstudio.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import onnxstudio.cli as c\n"
        "c.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')"
        " or m.startswith('onnxstudio.ui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
