"""The desktop app: PySide6 widgets over :mod:`onnxstudio.core` (wiring and drawing only)."""
