#!/usr/bin/env bash
# Package the bundle as installer/dist/onnxstudio_<version>_<arch>.deb.
#
# Layout: the bundle in /opt/onnxstudio, /usr/bin/onnxstudio -> it, the menu entry, MIME type and hicolor
# icons under /usr/share. No maintainer scripts: apt's triggers (desktop-file-utils, shared-mime-info,
# hicolor-icon-theme) refresh the menu, MIME and icon caches when files land in those folders.
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
require_bundle

ROOT="$HERE/build/deb/root"
rm -rf "$ROOT"
mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin"
cp -a "$BUNDLE" "$ROOT/opt/onnxstudio"
ln -s /opt/onnxstudio/onnxstudio "$ROOT/usr/bin/onnxstudio"
install_share "$ROOT/usr" /opt/onnxstudio/onnxstudio
# Whatever the build machine's umask was: root-owned, world-readable, only the owner writes.
chmod -R u+rwX,go+rX,go-w "$ROOT"

# The bundle needs the glibc it was built against (Debian 12: 2.36) or newer.
GLIBC="$(ldd --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)$/\1/p')"
installed_kb=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
# Depends: the packages of the system libraries the bundle loads but does not carry (PyInstaller leaves
# out libc and the OpenGL/EGL drivers, which must match the machine); linux/system_deps.sh lists them and
# ci_linux.sh checks this line against it. libglvnd0/libglx0 come with libgl1/libegl1.
# Recommends: what makes double-click work (MIME, menu and icon caches), xdg-open, and a font.
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: onnxstudio
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: ONNX Studio developers <onnxstudio@users.noreply.github.com>
Installed-Size: $installed_kb
Section: science
Priority: optional
Depends: libc6 (>= $GLIBC), libgl1, libegl1, libxcb1
Recommends: shared-mime-info, desktop-file-utils, hicolor-icon-theme, xdg-utils, fonts-dejavu-core
Description: desktop application for testing ONNX models
 ONNX Studio opens an ONNX model, shows its inputs, outputs and graph, feeds it
 images, arrays or random data, runs it and benchmarks it on the execution
 providers onnxruntime offers on this machine.
 .
 Double-clicking a .onnx file in a file manager opens it in ONNX Studio.
CONTROL

DEB="$DIST/onnxstudio_${VERSION}_${DEB_ARCH}.deb"
dpkg-deb --root-owner-group -Zzstd --build "$ROOT" "$DEB" >/dev/null
echo "deb: $DEB ($(du -m "$DEB" | cut -f1) MB, installs $((installed_kb / 1024)) MB)"
