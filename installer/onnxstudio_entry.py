"""Entry script of the frozen app (PyInstaller, see installer/onnxstudio.spec).

Order matters: the engine runs models in children started with multiprocessing's *spawn* context, and a
spawned child re-executes this very executable, so ``freeze_support()`` must run before anything else.
Then onnxruntime is imported before Qt: on Windows an older MSVCP140.dll loaded by Qt first makes
onnxruntime's DLL initialisation fail.
"""

import multiprocessing
import os
import sys


def _log_launch() -> None:
    """With ONNXSTUDIO_LAUNCH_LOG set, append this launch's pid and argv to that file.

    CI's proof that a file manager's double-click (``gio open`` / ``xdg-open``) reached this executable with
    the file; unset in normal use, so it costs nothing.
    """
    target = os.environ.get("ONNXSTUDIO_LAUNCH_LOG")
    if not target:
        return
    import json

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"pid": os.getpid(), "argv": sys.argv}) + "\n")
    except OSError:
        pass  # a debugging aid must never stop the app


def main() -> int:
    _log_launch()
    if sys.argv[1:2] == ["--self-test"]:
        # Straight to the self-test: it needs neither the CLI nor Qt.
        from onnxstudio.selftest import main as selftest_main

        return selftest_main(sys.argv[2:])
    import onnxruntime  # noqa: F401  (before Qt, see the module docstring)

    from onnxstudio.__main__ import main as app_main

    return app_main(sys.argv[1:])


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
