#!/usr/bin/env bash
# Freeze ONNX Studio into a one-folder bundle: installer/dist/onnxstudio/onnxstudio.
#
# Uses its own venv (installer/build/venv) with the locked runtime dependencies plus PyInstaller, so the
# build never sees dev tools (pytest, scikit-learn) and PyInstaller stays out of the project's
# dependencies. Idempotent: a second run reuses the venv and rebuilds the bundle.
#   installer/build_linux.sh            # build
#   ONNXSTUDIO_SKIP_SYNC=1 ...          # reuse the venv as is (offline rebuilds)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
VENV="$HERE/build/venv"
cd "$REPO"

# Qt's xcb platform plugin needs these at run time; PyInstaller bundles them only if they are present
# now. Without them the frozen app aborts under X11 ("xcb-cursor0 ... is needed").
need_libs=(libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0
           libxcb-render-util.so.0 libxkbcommon-x11.so.0)
known_libs="$(ldconfig -p)"  # not `ldconfig -p | grep -q`: grep's early exit fails that under pipefail
for lib in "${need_libs[@]}"; do
  if ! grep -qF "$lib" <<<"$known_libs"; then
    echo "missing $lib: install the X11 libraries first (installer/ci_linux.sh does: apt-get install" \
         "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0)" >&2
    exit 1
  fi
done

start=$(date +%s)
if [[ -z "${ONNXSTUDIO_SKIP_SYNC:-}" ]]; then
  # --frozen: build exactly what uv.lock pins; --no-install-project: the spec takes the source tree.
  # PyInstaller comes from the `build` dependency group when pyproject.toml has one (pinned by the lock),
  # else from PyPI within the tested range.
  if ! UV_PROJECT_ENVIRONMENT="$VENV" uv sync --frozen --no-dev --group build --no-install-project -q 2>/dev/null; then
    UV_PROJECT_ENVIRONMENT="$VENV" uv sync --frozen --no-dev --no-install-project -q
    uv pip install -q --python "$VENV/bin/python" "pyinstaller>=6.10" "pyinstaller-hooks-contrib>=2024.9"
  fi
fi

"$VENV/bin/python" "$HERE/render_icons.py" "$HERE/build/icons"
rm -rf "$HERE/dist/onnxstudio"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$HERE/dist" --workpath "$HERE/build/pyi" "$HERE/onnxstudio.spec"

end=$(date +%s)
size=$(du -sm "$HERE/dist/onnxstudio" | cut -f1)
echo "bundle: $HERE/dist/onnxstudio ($size MB, built in $((end - start)) s)"
