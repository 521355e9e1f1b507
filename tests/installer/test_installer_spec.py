"""The PyInstaller spec, its helpers and the frozen entry script: valid, trimmed, and in the right order."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import onnxstudio

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def helpers():
    return _load("spec_helpers")


def test_spec_is_valid_python_and_never_strips():
    source = (INSTALLER / "onnxstudio.spec").read_text(encoding="utf-8")
    tree = ast.parse(source, "onnxstudio.spec")
    calls = {n.func.id: n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= set(calls)
    # strip=True breaks numpy's OpenBLAS; upx corrupts Qt plugins.
    for name in ("EXE", "COLLECT"):
        kw = {k.arg: k.value for k in calls[name].keywords}
        assert isinstance(kw["strip"], ast.Constant) and kw["strip"].value is False
        assert isinstance(kw["upx"], ast.Constant) and kw["upx"].value is False


def test_excludes_keep_what_the_app_needs(helpers):
    excluded = set(helpers.EXCLUDES)
    # pydoc: pyqtgraph.parametertree; QtOpenGL*: pyqtgraph imports them dynamically; QtNetwork: single
    # instance; QtSvg: the icon.
    for needed in ("pydoc", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtNetwork", "PySide6.QtSvg",
                   "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"):
        assert needed not in excluded


def test_the_app_never_imports_an_excluded_qt_module(helpers):
    qt_excluded = {m.split(".", 1)[1] for m in helpers.EXCLUDES if m.startswith("PySide6.")}
    offenders = []
    for path in (REPO / "onnxstudio").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m}" for m in qt_excluded if f"PySide6.{m}" in text or f"import {m}" in text]
    assert offenders == []


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qt_help_fr.qm", False),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", False),
    ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6\\Qt\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
    ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so", False),
    ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", False),
    ("PySide6/Qt/lib/libQt6Gui.so.6", True),
    ("onnxruntime/capi/libonnxruntime_providers_shared.so", True),
    ("onnxruntime/capi/DirectML.dll", True),
])
def test_trim(helpers, dest, kept):
    assert helpers.keep(dest, languages=set()) is kept


def test_translations_of_shipped_languages_are_kept(helpers, tmp_path):
    (tmp_path / "resources" / "translations").mkdir(parents=True)
    (tmp_path / "resources" / "translations" / "onnxstudio_de.ts").write_bytes(b"")
    (tmp_path / "resources" / "translations" / "onnxstudio_zh_CN.qm").write_bytes(b"")
    (tmp_path / "resources" / "translations" / "README.md").write_bytes(b"")
    languages = helpers.shipped_languages(tmp_path)
    assert languages == {"de", "zh_CN"}
    assert helpers.keep("PySide6/Qt/translations/qtbase_de.qm", languages)
    assert not helpers.keep("PySide6/Qt/translations/qtbase_fr.qm", languages)


def test_every_module_is_a_hidden_import(helpers):
    modules = helpers.onnxstudio_modules(REPO)
    for name in ("onnxstudio", "onnxstudio.selftest", "onnxstudio.core.child_tasks", "onnxstudio.ui.single_instance"):
        assert name in modules


def test_version_comes_from_the_package(helpers):
    assert helpers.app_version(REPO) == onnxstudio.__version__


def test_windows_version_resource(helpers, tmp_path):
    text = Path(helpers.windows_version_file(REPO, tmp_path)).read_text(encoding="utf-8")
    assert f"'ProductVersion', '{onnxstudio.__version__}'" in text
    compile(text, "version_info", "eval")  # PyInstaller eval()s it


def test_entry_calls_freeze_support_first_and_imports_onnxruntime_before_qt():
    tree = ast.parse((INSTALLER / "onnxstudio_entry.py").read_text(encoding="utf-8"))
    main_guard = next(n for n in tree.body if isinstance(n, ast.If))
    first = main_guard.body[0]
    assert "freeze_support" in ast.unparse(first), "a spawned child must stop at freeze_support()"
    main_fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    src = ast.unparse(main_fn)
    assert src.index("import onnxruntime") < src.index("from onnxstudio.__main__ import")
    top_imports = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith(("PySide6", "onnxruntime", "onnxstudio")) for m in top_imports)


def test_entry_logs_launches_when_asked(tmp_path):
    log = tmp_path / "launches.jsonl"
    env = {**os.environ, "ONNXSTUDIO_LAUNCH_LOG": str(log), "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, str(INSTALLER / "onnxstudio_entry.py"), "--self-test", "--output",
                           str(tmp_path / "r.json"), "--model", str(tmp_path / "missing file.onnx")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1  # the model is missing: the self-test fails, as it should
    launch = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert launch["pid"] > 0
    assert str(tmp_path / "missing file.onnx") in launch["argv"]
