"""Entry point: no argument -> the GUI; a model path -> the GUI with that model; a sub-command -> the CLI."""

from __future__ import annotations

import sys


def _is_cli(argv: list[str]) -> bool:
    from onnxstudio.cli import SUBCOMMANDS

    if not argv:
        return False
    first = argv[0]
    return first in SUBCOMMANDS or first in {"-h", "--help", "--version"}


def gui_main(argv: list[str] | None = None) -> int:
    """Console-less launcher (``[project.gui-scripts]``) and the GUI branch of :func:`main`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--self-test":
        from onnxstudio.selftest import main as selftest_main

        return selftest_main(argv[1:])
    # onnxruntime before Qt: on Windows an older MSVCP140.dll loaded by Qt breaks onnxruntime's DLL init.
    import onnxruntime  # noqa: F401

    from onnxstudio.ui.app import run_app

    return run_app(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _is_cli(argv):
        from onnxstudio.cli import main as cli_main

        return cli_main(argv)
    return gui_main(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
