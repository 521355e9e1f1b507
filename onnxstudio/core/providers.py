"""Execution providers: the catalogue, what is available here and why not, and session configuration."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any

from onnxstudio.core.errors import ProviderError


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    short: str
    title: str
    hint: str  # how to get it
    aliases: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # provider options users actually set


CATALOGUE: tuple[ProviderSpec, ...] = (
    ProviderSpec("CPUExecutionProvider", "cpu", "CPU", "always available"),
    ProviderSpec("CUDAExecutionProvider", "cuda", "NVIDIA CUDA",
                 "CUDA needs onnxruntime-gpu (pip install 'onnxstudio[cuda]') and the CUDA 12 / cuDNN 9 libraries",
                 ("gpu",), ("device_id", "gpu_mem_limit", "cudnn_conv_algo_search")),
    ProviderSpec("TensorrtExecutionProvider", "tensorrt",
                 "NVIDIA TensorRT", "TensorRT needs onnxruntime-gpu and the TensorRT 10 libraries on the library path",
                 ("trt",), ("device_id", "trt_fp16_enable", "trt_engine_cache_enable", "trt_engine_cache_path")),
    ProviderSpec("DmlExecutionProvider", "dml", "DirectML",
                 "DirectML runs on Windows with onnxruntime-directml (the Windows default of ONNX Studio)",
                 ("directml",), ("device_id",)),
    ProviderSpec("OpenVINOExecutionProvider", "openvino", "Intel OpenVINO",
                 "OpenVINO needs onnxruntime-openvino (Intel CPUs, GPUs and NPUs)", ("ov",), ("device_type",)),
    ProviderSpec("CoreMLExecutionProvider", "coreml", "Apple CoreML", "CoreML runs on macOS with onnxruntime"),
    ProviderSpec("QNNExecutionProvider", "qnn", "Qualcomm QNN",
                 "QNN needs onnxruntime-qnn on Windows on Snapdragon", (), ("backend_path",)),
    ProviderSpec("ROCMExecutionProvider", "rocm", "AMD ROCm", "ROCm needs an onnxruntime build for ROCm",
                 (), ("device_id",)),
    ProviderSpec("MIGraphXExecutionProvider", "migraphx", "AMD MIGraphX",
                 "MIGraphX needs onnxruntime built for ROCm/MIGraphX", (), ("device_id",)),
    ProviderSpec("NvTensorRTRTXExecutionProvider", "tensorrt-rtx", "NVIDIA TensorRT RTX",
                 "TensorRT RTX needs onnxruntime built with it (Windows ML on RTX GPUs)", ("nvtensorrtrtx",)),
    ProviderSpec("VitisAIExecutionProvider", "vitisai", "AMD Vitis AI", "Vitis AI needs AMD's Ryzen AI software"),
    ProviderSpec("WebGpuExecutionProvider", "webgpu", "WebGPU", "WebGPU needs an onnxruntime build with WebGPU"),
    ProviderSpec("XnnpackExecutionProvider", "xnnpack", "XNNPACK", "XNNPACK needs an onnxruntime build with it"),
    ProviderSpec("DnnlExecutionProvider", "dnnl", "oneDNN", "oneDNN needs an onnxruntime build with it"),
    ProviderSpec("CANNExecutionProvider", "cann", "Huawei CANN", "CANN needs onnxruntime-cann"),
    ProviderSpec("ACLExecutionProvider", "acl", "Arm Compute Library", "ACL needs an onnxruntime build with it"),
    ProviderSpec("AzureExecutionProvider", "azure", "Azure (remote)", "part of some onnxruntime builds"),
)
_BY_NAME = {spec.name: spec for spec in CATALOGUE}
_BY_ALIAS: dict[str, ProviderSpec] = {}
for _spec in CATALOGUE:
    for _alias in (_spec.name, _spec.short, *_spec.aliases):
        key = _alias.lower()
        if key in _BY_ALIAS:  # a duplicate would make a short name ambiguous
            raise RuntimeError(f"duplicate provider alias {_alias!r}")
        _BY_ALIAS[key] = _spec


def spec_for(name: str) -> ProviderSpec:
    return _BY_NAME.get(name) or ProviderSpec(name, name.removesuffix("ExecutionProvider").lower(), name,
                                             "not in ONNX Studio's catalogue")


def display_name(name: str) -> str:
    """A provider's name as tables and charts show it: ``CUDAExecutionProvider`` -> ``CUDA``."""
    return name.removesuffix("ExecutionProvider") or name


def resolve_provider(name: str) -> str:
    """``cuda`` / ``CUDA`` / ``CUDAExecutionProvider`` -> ``CUDAExecutionProvider``."""
    spec = _BY_ALIAS.get(name.strip().lower())
    if spec is not None:
        return spec.name
    if name.endswith("ExecutionProvider"):
        return name
    known = ", ".join(s.short for s in CATALOGUE)
    raise ProviderError(f"unknown execution provider {name!r}; known short names: {known}")


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    short: str
    title: str
    available: bool
    reason: str  # why not available (empty when available)
    hint: str
    in_build: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def installed_distributions() -> list[str]:
    """onnxruntime distributions installed; more than one means they overwrote each other's files."""
    found = []
    for dist in ("onnxruntime", "onnxruntime-gpu", "onnxruntime-directml", "onnxruntime-openvino",
                 "onnxruntime-qnn", "onnxruntime-training", "onnxruntime-cann"):
        try:
            found.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return found


def list_providers(probe_results: dict[str, str] | None = None) -> list[ProviderInfo]:
    """Every catalogued provider (and any extra one this build has), available or not and why.

    ``probe_results`` maps provider name -> error text from actually creating a session with it in the child
    (see ``Engine.probe_providers``); "" means it loaded.
    """
    import onnxruntime as ort

    in_build = list(ort.get_available_providers())
    dists = ", ".join(installed_distributions()) or "onnxruntime"
    names = [s.name for s in CATALOGUE] + [n for n in in_build if n not in _BY_NAME]
    out = []
    for name in names:
        spec = spec_for(name)
        built = name in in_build
        reason = ""
        if not built:
            reason = f"not in this onnxruntime build ({dists}); {spec.hint}"
        elif probe_results is not None and probe_results.get(name):
            reason = f"in the build but failed to load: {probe_results[name]}; {spec.hint}"
        available = built and not reason
        out.append(ProviderInfo(name, spec.short, spec.title, available, reason, spec.hint, built))
    return out


GRAPH_OPTIMIZATION_LEVELS = ("disabled", "basic", "extended", "layout", "all")


@dataclass(frozen=True)
class SessionConfig:
    """Everything that shapes a session; ``key()`` identifies it (one child process per model and key)."""

    providers: tuple[str, ...] = ("CPUExecutionProvider",)
    provider_options: dict[str, dict[str, str]] = field(default_factory=dict)
    intra_op_threads: int = 0  # 0: onnxruntime's default (one per physical core)
    inter_op_threads: int = 0
    graph_optimization: str = "all"
    execution_mode: str = "sequential"  # or "parallel"
    enable_mem_arena: bool = True
    use_cache: bool = True  # reuse an optimized model saved by an earlier session (big CPU graphs)
    allow_fallback: bool = False  # accept a session that fell back to CPU (still reported)
    log_severity: int = 3  # onnxruntime log level: 3 = errors only
    # Shared libraries with custom ops, loaded only because the user named them (never from the model).
    custom_op_libraries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.graph_optimization not in GRAPH_OPTIMIZATION_LEVELS:
            raise ProviderError(f"graph optimization must be one of {', '.join(GRAPH_OPTIMIZATION_LEVELS)}, "
                                f"not {self.graph_optimization!r}")
        if self.execution_mode not in ("sequential", "parallel"):
            raise ProviderError("execution mode must be 'sequential' or 'parallel'")
        object.__setattr__(self, "providers", tuple(resolve_provider(p) for p in self.providers) or
                           ("CPUExecutionProvider",))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def key(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionConfig:
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        for key in ("providers", "custom_op_libraries"):
            if key in kwargs:
                kwargs[key] = tuple(kwargs[key])
        return cls(**kwargs)
