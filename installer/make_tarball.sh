#!/usr/bin/env bash
# Package the bundle as installer/dist/onnxstudio-<version>-linux-<machine>.tar.gz, for distributions
# without apt: unpack anywhere, run ./install.sh (per user, no root). See linux/install.sh.
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
require_bundle

NAME="onnxstudio-$VERSION-linux-$MACHINE"
STAGE="$HERE/build/tar/$NAME"
rm -rf "$HERE/build/tar"
mkdir -p "$STAGE"
cp -a "$BUNDLE" "$STAGE/onnxstudio"
install_share "$STAGE" /opt/onnxstudio/onnxstudio  # install.sh rewrites Exec to where it installs
cp "$HERE/linux/install.sh" "$STAGE/install.sh"
cat > "$STAGE/README.txt" <<README
ONNX Studio $VERSION for Linux ($MACHINE)

Install for your user (no administrator rights needed):    ./install.sh
Then start "ONNX Studio" from the applications menu, or double-click a .onnx file.
Remove it again:                                           ./install.sh --uninstall
Run it without installing:                                 ./onnxstudio/onnxstudio
Check that it works on this machine:                       ./onnxstudio/onnxstudio --self-test
README
chmod -R u+rwX,go+rX,go-w "$STAGE"
TAR="$DIST/$NAME.tar.gz"
# Fixed owner and order so that two builds of the same bundle give the same listing.
tar -C "$HERE/build/tar" --owner=0 --group=0 --numeric-owner --sort=name -czf "$TAR" "$NAME"
echo "tar.gz: $TAR ($(du -m "$TAR" | cut -f1) MB)"
