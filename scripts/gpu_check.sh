#!/usr/bin/env bash
# End-to-end check of the CUDA execution provider on a machine with an NVIDIA GPU (issue: Execution engine).
# Installs onnxruntime-gpu into a throwaway venv (no other onnxruntime in it), then: providers probe, a CUDA run
# whose outputs must match the CPU run, a short benchmark on CUDA, a profile whose kernels run on CUDA (those left
# on the CPU listed), and the same inputs compared on CUDA and on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q --no-deps -e . 2>/dev/null || "$venv/bin/pip" install -q --no-deps .
"$venv/bin/pip" install -q onnx numpy pillow psutil onnxruntime-gpu nvidia-cudnn-cu12 nvidia-cublas-cu12 \
  nvidia-cuda-runtime-cu12 nvidia-cufft-cu12 nvidia-curand-cu12 nvidia-cuda-nvrtc-cu12
py="$venv/bin/python"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
"$py" - <<'PY'
import onnxruntime as ort
if hasattr(ort, "preload_dlls"):
    ort.preload_dlls()  # load the CUDA/cuDNN libraries from the nvidia-* wheels
print("onnxruntime", ort.__version__, ort.get_available_providers())
PY
"$py" -m onnxstudio providers
model=resources/samples/edges.onnx
"$py" -m onnxstudio run "$model" --input image=resources/samples/photo.png --save /tmp/gpu-cpu --json >/dev/null
"$py" -m onnxstudio run "$model" --provider cuda --input image=resources/samples/photo.png --save /tmp/gpu-cuda --json
"$py" - <<'PY'
import numpy as np
a, b = np.load("/tmp/gpu-cpu/edges.npy"), np.load("/tmp/gpu-cuda/edges.npy")
err = float(np.abs(a - b).max())
print("max abs difference CPU vs CUDA:", err)
assert err < 1e-4, err
PY
"$py" -m onnxstudio bench resources/samples/digits_classifier.onnx --provider cuda --duration 3 --json
"$py" -m onnxstudio bench resources/samples/digits_classifier.onnx --provider cuda --io-binding --duration 3 --json
# Profile on CUDA: kernels placed on CUDA, those left on the CPU listed; compare CUDA against the CPU.
"$py" -m onnxstudio profile "$model" --provider cuda --input image=resources/samples/photo.png --runs 5 \
  --json > /tmp/gpu-profile.json
"$py" - <<'PY'
import json
d = json.load(open("/tmp/gpu-profile.json"))
placed = {r["provider"]: r["kernels"] for r in d["by_provider"]}
print("placement:", placed, "fallback:", [(k["name"], k["op"]) for k in d["fallback"]])
assert placed.get("CUDAExecutionProvider", 0) > 0, placed
PY
"$py" -m onnxstudio compare "$model" --provider cuda --input image=resources/samples/photo.png --atol 1e-4
echo "gpu check: PASS"
