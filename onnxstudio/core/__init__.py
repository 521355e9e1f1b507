"""Qt-free core of ONNX Studio: loading, inspection, inputs, providers, execution, statistics.

Nothing in this package may import PySide6, pyqtgraph or ``onnxstudio.ui``.
"""
