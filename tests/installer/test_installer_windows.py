"""The Windows installer scripts (Inno Setup, NSIS) agree with each other and with the package; NSIS compiles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import onnxstudio

REPO = Path(__file__).resolve().parents[2]
WINDOWS = REPO / "installer" / "windows"
ISS = (WINDOWS / "onnxstudio.iss").read_text(encoding="utf-8")
NSI = (WINDOWS / "onnxstudio.nsi").read_text(encoding="utf-8")
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"


def _defines(text: str, keyword: str) -> dict[str, str]:
    # Inno: #define Name "value"; NSIS: !define NAME "value" (the #ifndef/!ifndef defaults included).
    return dict(re.findall(rf'^\s*{re.escape(keyword)}\s+(\w+)\s+"([^"]*)"', text, re.MULTILINE))


ISS_DEF = _defines(ISS, "#define")
NSI_DEF = _defines(NSI, "!define")


def test_versions_match_the_package():
    assert ISS_DEF["AppVersion"] == onnxstudio.__version__
    assert NSI_DEF["VERSION"] == onnxstudio.__version__


def test_scripts_agree_on_name_exe_progid_publisher():
    assert ISS_DEF["AppName"] == NSI_DEF["APP_NAME"] == "ONNX Studio"
    assert ISS_DEF["AppExe"] == NSI_DEF["APP_EXE"] == "onnxstudio.exe"
    assert ISS_DEF["ProgId"] == NSI_DEF["PROG_ID"]
    assert ISS_DEF["Publisher"] == NSI_DEF["PUBLISHER"]
    assert ISS_DEF["SourceDir"] == NSI_DEF["SOURCE_DIR"]
    assert ISS_DEF["IconsDir"] == NSI_DEF["ICONS_DIR"]


def test_both_install_per_user_by_default():
    assert re.search(r"^PrivilegesRequired=lowest$", ISS, re.MULTILINE)
    assert "DefaultDirName={autopf}\\{#AppName}" in ISS  # %LOCALAPPDATA%\Programs for a per-user install
    assert "RequestExecutionLevel user" in NSI
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in NSI


def test_both_associate_onnx_with_the_same_progid_and_command():
    for text, prog, exe in ((ISS, "{#ProgId}", "{app}\\{#AppExe}"), (NSI, "${PROG_ID}", "$INSTDIR\\${APP_EXE}")):
        assert "Software\\Classes\\.onnx\\OpenWithProgids" in text
        assert f"Software\\Classes\\{prog}\\shell\\open\\command" in text
        assert f"Software\\Classes\\{prog}\\DefaultIcon" in text
        assert "%1" in text and exe in text
    # Optional in both: an Inno task and an NSIS section the user can untick.
    assert re.search(r'^Name: "associate";', ISS, re.MULTILINE)
    assert re.search(r"Tasks: associate$", ISS, re.MULTILINE)
    assert re.search(r'^Section "Open \.onnx files', NSI, re.MULTILINE)
    assert "ChangesAssociations=yes" in ISS and "SHChangeNotify" in NSI


def test_both_offer_start_menu_and_optional_desktop_shortcut():
    assert "{autoprograms}\\{#AppName}" in ISS
    assert re.search(r'^Name: "desktopicon";.*Flags: unchecked$', ISS, re.MULTILINE)
    assert "$SMPROGRAMS\\${APP_NAME}.lnk" in NSI
    assert re.search(r'^Section /o "Desktop shortcut"', NSI, re.MULTILINE)  # /o: unticked by default


def test_installer_file_names_match():
    assert "OutputBaseFilename=onnxstudio-{#AppVersion}-windows-x64-setup" in ISS
    assert "onnxstudio-${VERSION}-windows-x64-setup" in NSI_DEF["OUTFILE"]
    assert "SetupIconFile={#IconsDir}\\onnxstudio.ico" in ISS
    assert 'MUI_ICON "${ICONS_DIR}\\onnxstudio.ico"' in NSI


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (apt: nsis) not installed")
def test_nsis_script_compiles(tmp_path):
    pytest.importorskip("PySide6.QtSvg")
    icons = tmp_path / "icons"
    # In a child: rendering creates a QGuiApplication, which must not become this test session's app.
    subprocess.run([sys.executable, str(REPO / "installer" / "render_icons.py"), str(icons)], check=True,
                   capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    bundle = tmp_path / "bundle"  # a stand-in for the PyInstaller folder: layout, not content, matters
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "onnxstudio.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "python311.dll").write_bytes(b"MZ")
    out = tmp_path / "onnxstudio-test-installer.exe"  # "setup.exe" alone draws NSIS warning 9000
    proc = subprocess.run(["makensis", "-V2", "-WX", f"-DSOURCE_DIR={bundle}", f"-DICONS_DIR={icons}",
                           f"-DOUTFILE={out}", str(WINDOWS / "onnxstudio.nsi")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.stat().st_size > 10_000


def test_github_workflow_covers_both_platforms():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "\t" not in text  # YAML forbids tabs for indentation
    linux, _, windows = text.partition("\n  windows:\n")
    assert "\n  linux:\n" in linux and "installer/ci_linux.sh" in linux
    assert all(int(m) <= 30 for m in re.findall(r"timeout-minutes: (\d+)", text))
    for must in ("DirectML.dll", "msvcp140.dll", "--self-test", "installer/windows/onnxstudio.iss", "/VERYSILENT",
                 "unins000.exe", "DmlExecutionProvider"):
        assert must in windows, must


def test_github_workflow_is_valid_yaml():
    yaml = pytest.importorskip("yaml")
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    assert set(jobs) == {"linux", "windows"}
    for job in jobs.values():
        assert job["timeout-minutes"] <= 30
        assert all("uses" in step or "run" in step for step in job["steps"])
