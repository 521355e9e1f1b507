#!/usr/bin/env bash
# Package the bundle as an AppImage when appimagetool is available (PATH or $APPIMAGETOOL).
# appimagetool is not in Debian and not on PyPI (its wrappers download it at build time), so without it
# this stops after laying out the AppDir (installer/build/appimage/ONNX_Studio.AppDir); the GitHub
# workflow downloads appimagetool and makes the .AppImage.
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
require_bundle

APPDIR="$HERE/build/appimage/ONNX_Studio.AppDir"
rm -rf "$HERE/build/appimage"
mkdir -p "$APPDIR"
cp -a "$BUNDLE" "$APPDIR/onnxstudio"
install_share "$APPDIR/usr" onnxstudio
# The AppImage spec wants the desktop entry and icon at the AppDir's top; Exec is a bare name there.
cp "$APPDIR/usr/share/applications/onnxstudio.desktop" "$APPDIR/onnxstudio.desktop"
sed -i '/^TryExec=/d' "$APPDIR/onnxstudio.desktop"
cp "$ICONS/onnxstudio.png" "$APPDIR/onnxstudio.png"
ln -s onnxstudio.png "$APPDIR/.DirIcon"
cat > "$APPDIR/AppRun" <<'APPRUN'
#!/bin/sh
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/onnxstudio/onnxstudio" "$@"
APPRUN
chmod +x "$APPDIR/AppRun"

TOOL="${APPIMAGETOOL:-$(command -v appimagetool || true)}"
if [[ -z "$TOOL" ]]; then
  echo "AppDir ready at $APPDIR; appimagetool not found, so no .AppImage (see installer/README.md)"
  exit 0
fi
OUT="$DIST/ONNX_Studio-$VERSION-$MACHINE.AppImage"
# --appimage-extract-and-run: appimagetool is itself an AppImage and CI runners have no FUSE.
ARCH="$MACHINE" "$TOOL" --appimage-extract-and-run --no-appstream "$APPDIR" "$OUT"
echo "AppImage: $OUT ($(du -m "$OUT" | cut -f1) MB)"
