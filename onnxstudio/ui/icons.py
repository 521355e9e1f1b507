"""SVG icons from ``resources/icons`` (crisp at any device-pixel ratio); a missing file gives an empty icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from onnxstudio.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def app_icon() -> QIcon:
    return icon("onnxstudio")
