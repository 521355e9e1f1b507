"""Linux desktop integration files: the menu entry, the MIME type, icons and the per-user install script."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "installer" / "linux"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SCRIPTS = sorted([*REPO.glob("installer/*.sh"), *LINUX.glob("*.sh")])
posix_only = pytest.mark.skipif(os.name != "posix", reason="Linux packaging")


def _desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(LINUX / "onnxstudio.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_onnx_files():
    entry = _desktop()
    assert entry["Type"] == "Application" and entry["Version"] == "1.0"
    exe, arg = entry["Exec"].split()
    assert Path(exe).is_absolute(), "a venv's onnxstudio on PATH must not shadow the installed app"
    assert arg == "%F"
    assert entry["TryExec"] == exe
    assert entry["Icon"] == "onnxstudio"
    assert "application/x-onnx" in entry["MimeType"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates():
    proc = subprocess.run(["desktop-file-validate", str(LINUX / "onnxstudio.desktop")], capture_output=True,
                          text=True)
    assert proc.returncode == 0 and "error" not in proc.stdout.lower(), proc.stdout + proc.stderr
    assert "hint" not in proc.stdout, proc.stdout  # e.g. two main categories: listed twice in menus


def test_mime_definition_matches_the_desktop_entry():
    root = ET.parse(LINUX / "onnxstudio-mime.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == ["application/x-onnx"]
    assert [g.get("pattern") for g in types[0].findall(f"{MIME_NS}glob")] == ["*.onnx"]
    assert types[0].find(f"{MIME_NS}comment").text == "ONNX model"
    assert types[0].find(f"{MIME_NS}icon").get("name") == "application-x-onnx"
    assert "application/x-onnx" in _desktop()["MimeType"]


@posix_only
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_parse(script):
    shell = "sh" if script.name == "install.sh" else "bash"  # install.sh runs on any /bin/sh
    subprocess.run([shell, "-n", str(script)], check=True)
    assert os.access(script, os.X_OK) or script.name == "common.sh"


@posix_only
@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shell_scripts_pass_shellcheck():
    proc = subprocess.run(["shellcheck", "-x", *map(str, SCRIPTS)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_icons_render_in_every_hicolor_size(tmp_path):
    pytest.importorskip("PySide6.QtSvg")
    from PIL import Image

    spec = importlib.util.spec_from_file_location("render_icons", REPO / "installer" / "render_icons.py")
    render_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_icons)  # for its size lists; importing it creates no Qt object
    # In a child: rendering creates a QGuiApplication, which must not become this test session's app.
    subprocess.run([sys.executable, str(REPO / "installer" / "render_icons.py"), str(tmp_path)], check=True,
                   capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    for size in render_icons.HICOLOR_SIZES:
        with Image.open(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "onnxstudio.png") as im:
            assert im.size == (size, size) and im.mode == "RGBA"
            assert im.getextrema()[3][1] == 255, "the icon rendered fully transparent"
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "onnxstudio.svg").is_file()
    assert (tmp_path / "hicolor" / "48x48" / "mimetypes" / "application-x-onnx.png").is_file()
    with Image.open(tmp_path / "onnxstudio.ico") as ico:
        assert {(s, s) for s in render_icons.ICO_SIZES} <= set(ico.info["sizes"])


@posix_only
def test_per_user_install_and_uninstall(tmp_path):
    """install.sh on a fake unpacked archive: files land under ~/.local, Exec points there, uninstall cleans."""
    archive = tmp_path / "onnxstudio-x"
    (archive / "onnxstudio").mkdir(parents=True)
    exe = archive / "onnxstudio" / "onnxstudio"
    exe.write_text("#!/bin/sh\necho fake\n")
    exe.chmod(0o755)
    share = archive / "share"
    (share / "applications").mkdir(parents=True)
    (share / "mime" / "packages").mkdir(parents=True)
    (share / "icons" / "hicolor" / "48x48" / "apps").mkdir(parents=True)
    shutil.copy(LINUX / "onnxstudio.desktop", share / "applications")
    shutil.copy(LINUX / "onnxstudio-mime.xml", share / "mime" / "packages" / "onnxstudio.xml")
    (share / "icons" / "hicolor" / "48x48" / "apps" / "onnxstudio.png").write_bytes(b"png")
    shutil.copy(LINUX / "install.sh", archive / "install.sh")

    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run(["sh", str(archive / "install.sh")], env=env, check=True, capture_output=True)
    data = home / ".local" / "share"
    app = data / "onnxstudio" / "app" / "onnxstudio"
    assert app.is_file()
    desktop = (data / "applications" / "onnxstudio.desktop").read_text()
    assert f"Exec={app} %F" in desktop.splitlines()
    assert f"TryExec={app}" in desktop.splitlines()
    assert (data / "mime" / "packages" / "onnxstudio.xml").is_file()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "onnxstudio.png").is_file()
    assert (home / ".local" / "bin" / "onnxstudio").resolve() == app.resolve()

    # A second run (an update) replaces the copy in place.
    subprocess.run(["sh", str(archive / "install.sh")], env=env, check=True, capture_output=True)
    assert app.is_file() and not (data / "onnxstudio" / "app.old").exists()

    subprocess.run(["sh", str(archive / "install.sh"), "--uninstall"], env=env, check=True, capture_output=True)
    assert not (data / "onnxstudio").exists()
    assert not (data / "applications" / "onnxstudio.desktop").exists()
    assert not (data / "mime" / "packages" / "onnxstudio.xml").exists()
    assert not (home / ".local" / "bin" / "onnxstudio").exists()
    assert not list((data / "icons").rglob("onnxstudio.png"))
