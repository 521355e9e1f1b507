"""Render the app icon (SVG) to hicolor PNGs, a multi-size Windows .ico and a 256 px PNG.

Pillow cannot read SVG, so Qt's own renderer (QtSvg, part of PySide6-Essentials) draws each size
offscreen; Pillow only packs the renders into the .ico. Run at build time:

    python installer/render_icons.py OUT_DIR

OUT_DIR receives ``hicolor/<N>x<N>/apps/onnxstudio.png``, ``hicolor/scalable/apps/onnxstudio.svg``,
the same PNGs as ``mimetypes/application-x-onnx.png`` (the icon a file manager shows for .onnx files),
``onnxstudio.ico`` and ``onnxstudio.png``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def source_svg() -> Path:
    """The UI's icon when it exists, so the installer and the window show the same picture."""
    app_icon = REPO / "resources" / "icons" / "onnxstudio.svg"
    return app_icon if app_icon.is_file() else HERE / "icons" / "onnxstudio.svg"


def render(svg: Path, out_dir: Path) -> list[Path]:
    # No display on build machines and CI; QGuiApplication is still needed for fonts in SVG text.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["render_icons"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot render {svg}: not a valid SVG; fix the file or remove it to use the placeholder")
    written: list[Path] = []
    renders: dict[int, Path] = {}
    for size in HICOLOR_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        for kind, name in (("apps", "onnxstudio"), ("mimetypes", "application-x-onnx")):
            target = out_dir / "hicolor" / f"{size}x{size}" / kind / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(target), "PNG"):
                raise SystemExit(f"cannot write {target}")
            written.append(target)
        renders[size] = out_dir / "hicolor" / f"{size}x{size}" / "apps" / "onnxstudio.png"
    del app
    for kind, name in (("apps", "onnxstudio"), ("mimetypes", "application-x-onnx")):
        scalable = out_dir / "hicolor" / "scalable" / kind / f"{name}.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, scalable)
        written.append(scalable)
    shutil.copyfile(renders[256], out_dir / "onnxstudio.png")
    written.append(out_dir / "onnxstudio.png")
    written.append(write_ico(renders, out_dir / "onnxstudio.ico"))
    return written


def write_ico(renders: dict[int, Path], target: Path) -> Path:
    from PIL import Image

    # Each size from its own render (sharper than Pillow downscaling the 256 px one).
    images = [Image.open(renders[s]).convert("RGBA") for s in sorted(ICO_SIZES, reverse=True)]
    images[0].save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[1:])
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    out_dir = Path(argv[0])
    svg = source_svg()
    written = render(svg, out_dir)
    print(f"rendered {svg} -> {len(written)} files in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
