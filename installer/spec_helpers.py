"""What installer/onnxstudio.spec keeps and drops, in plain Python so that tests can check it."""

from __future__ import annotations

import re
from pathlib import Path

# PySide6-Essentials modules the app never imports. PyInstaller only collects what is imported, but
# excluding them also stops a stray import (a plugin, a tool) from dragging QML/Quick in (~40 MB).
# QtTest: pyqtgraph imports it inside try/except, so it degrades cleanly.
EXCLUDES = [
    "tkinter",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtDBus",
    "PySide6.QtPrintSupport",
]

# Qt plugin folders the app can load; everything else under PySide6/Qt/plugins is dropped.
KEEP_PLUGIN_DIRS = {
    "platforms",  # xcb, wayland, offscreen (self-test and CI), windows
    "platformthemes",  # native file dialogs on GNOME/KDE (xdgdesktopportal, gtk3)
    "platforminputcontexts",  # input methods (compose keys, IBus)
    "xcbglintegrations",  # OpenGL under X11 (pyqtgraph's OpenGL widgets)
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-shell-integration",
    "imageformats",  # jpeg, svg, ico, webp for image inputs
    "iconengines",  # SVG icons
    "styles",  # the Windows 11 style
}
# Platform plugins that need libraries a desktop does not have (or are for embedded devices).
DROP_PLATFORMS = re.compile(r"(minimalegl|linuxfb|eglfs|vkkhrdisplay|vnc|direct2d)", re.IGNORECASE)

# Libraries only the dropped plugins load (eglfs: full-screen embedded devices without a window system).
DROP_LIBS = re.compile(r"libQt6(EglFSDeviceIntegration|EglFsKmsSupport)\.so")

_TRANSLATION = re.compile(r"PySide6[/\\]Qt[/\\]translations[/\\](?P<stem>[^/\\]+)\.qm$")
_PLUGIN = re.compile(r"PySide6[/\\]Qt[/\\]plugins[/\\](?P<kind>[^/\\]+)[/\\](?P<file>[^/\\]+)$")


def shipped_languages(repo: Path) -> set[str]:
    """Languages the app has its own translations for (``resources/translations/onnxstudio_<lang>.ts``;
    the app loads ``.ts`` sources itself, see onnxstudio/ui/i18n.py; ``.qm`` counted too)."""
    folder = repo / "resources" / "translations"
    if not folder.is_dir():
        return set()
    return {p.stem.split("_", 1)[1] for p in folder.iterdir() if p.name.startswith("onnxstudio_")
            and p.suffix in (".ts", ".qm")}


def keep(dest: str, languages: set[str]) -> bool:
    if DROP_LIBS.search(dest):
        return False
    m = _TRANSLATION.search(dest)
    if m:
        # qtbase_de.qm, qt_help_de.qm, qtbase_zh_CN.qm: keep the Qt strings of the languages we ship.
        stem = m["stem"]
        return stem.startswith("qtbase_") and stem.split("_", 1)[1] in languages
    m = _PLUGIN.search(dest)
    if m:
        if m["kind"] not in KEEP_PLUGIN_DIRS:
            return False
        return not (m["kind"] == "platforms" and DROP_PLATFORMS.search(m["file"]))
    return True


def trim(toc: list[tuple[str, str, str]], repo: Path) -> list[tuple[str, str, str]]:
    languages = shipped_languages(repo)
    return [entry for entry in toc if keep(entry[0], languages)]


def onnxstudio_modules(repo: Path) -> list[str]:
    """Every module of the package, found from the files (no import, so a broken module can't hide others).

    The spawned child imports ``onnxstudio.core.child_tasks`` by name and the CLI finds sub-commands in a
    registry: PyInstaller's import scan alone could miss such modules.
    """
    pkg = repo / "onnxstudio"
    names = []
    for path in sorted(pkg.rglob("*.py")):
        parts = path.relative_to(repo).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def app_version(repo: Path) -> str:
    text = (repo / "onnxstudio" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not m:
        raise SystemExit("no __version__ in onnxstudio/__init__.py")
    return m.group(1)


def windows_version_file(repo: Path, build_dir: Path) -> str:
    """A VERSIONINFO resource, so Explorer's Properties and the Inno uninstaller show name and version."""
    version = app_version(repo)
    nums = ([int(x) for x in re.findall(r"\d+", version)] + [0, 0, 0, 0])[:4]
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple(nums)}, prodvers={tuple(nums)}),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'ONNX Studio developers'),
      StringStruct('FileDescription', 'ONNX Studio'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'onnxstudio'),
      StringStruct('OriginalFilename', 'onnxstudio.exe'),
      StringStruct('ProductName', 'ONNX Studio'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / "version_info.txt"
    target.write_text(text, encoding="utf-8")
    return str(target)


# --- Windows: the MSVC runtime ------------------------------------------------------------------------
_MSVC = re.compile(r"^(msvcp140(_\d|_atomic_wait|_codecvt_ids)?|vcruntime140(_1)?|concrt140)\.dll$", re.IGNORECASE)


def file_version(path: str) -> tuple[int, ...]:
    """The file version of a Windows DLL (0,) when it has none; ctypes only, so no pywin32 needed."""
    import ctypes
    from ctypes import wintypes

    ver = ctypes.windll.version
    size = ver.GetFileVersionInfoSizeW(path, None)
    if not size:
        return (0,)
    buf = ctypes.create_string_buffer(size)
    if not ver.GetFileVersionInfoW(path, 0, size, buf):
        return (0,)
    info = ctypes.c_void_p()
    length = wintypes.UINT()
    if not ver.VerQueryValueW(buf, "\\", ctypes.byref(info), ctypes.byref(length)):
        return (0,)
    words = ctypes.cast(info, ctypes.POINTER(wintypes.DWORD * 13)).contents
    ms, ls = words[2], words[3]  # VS_FIXEDFILEINFO.dwFileVersionMS / LS
    return (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)


def newest_msvc_runtime(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Bundle the newest MSVC runtime DLLs found on the build machine.

    onnxruntime >= 1.21 needs a recent MSVCP140.dll; PySide6 wheels carry an older copy, and whichever
    PyInstaller finds first would be bundled. If the old one loads first, onnxruntime fails with "DLL
    initialization routine failed" (onnxruntime#25193). Candidates: what PyInstaller picked and System32.
    """
    import os

    system32 = Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32"
    out = []
    for dest, src, kind in binaries:
        name = Path(dest).name
        if Path(dest).parent == Path(".") and _MSVC.match(name):
            candidates = [src] + [str(p) for p in [system32 / name] if p.is_file()]
            best = max(candidates, key=file_version)
            print(f"MSVC runtime: {name} {'.'.join(map(str, file_version(best)))} from {best}")
            out.append((dest, best, kind))
        else:
            out.append((dest, src, kind))
    return out
