"""ONNX Studio: a desktop application for testing ONNX models."""
__version__ = "0.1.0"
