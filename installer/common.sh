# Shared by the Linux packaging scripts (sourced, not run): paths, version, architecture.
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
DIST="$HERE/dist"
BUNDLE="$DIST/onnxstudio"
ICONS="$HERE/build/icons"
# One source of truth for the version: the package itself (the spec and the Windows scripts read it too).
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$REPO/onnxstudio/__init__.py")"
DEB_ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
MACHINE="$(uname -m)"

require_bundle() {
  if [[ ! -x "$BUNDLE/onnxstudio" ]]; then
    echo "no bundle at $BUNDLE: run installer/build_linux.sh first" >&2
    exit 1
  fi
  if [[ ! -f "$ICONS/hicolor/48x48/apps/onnxstudio.png" ]]; then
    echo "no rendered icons at $ICONS: run installer/build_linux.sh first" >&2
    exit 1
  fi
}

# Lay out the freedesktop files (menu entry, MIME type, icons) under $1/share, with Exec pointing at $2.
install_share() {
  local share="$1/share" exe="$2"
  mkdir -p "$share/applications" "$share/mime/packages" "$share/icons"
  sed -e "s|^Exec=.*|Exec=$exe %F|" -e "s|^TryExec=.*|TryExec=$exe|" \
    "$HERE/linux/onnxstudio.desktop" > "$share/applications/onnxstudio.desktop"
  cp "$HERE/linux/onnxstudio-mime.xml" "$share/mime/packages/onnxstudio.xml"
  cp -r "$ICONS/hicolor" "$share/icons/"
}
