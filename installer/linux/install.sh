#!/bin/sh
# Install ONNX Studio for the current user (no root needed), from the unpacked .tar.gz:
#   ./install.sh              install or update: ~/.local/share/onnxstudio, menu entry, .onnx file type
#   ./install.sh --uninstall  remove all of it again
# Nothing outside your home folder is touched.
set -eu

SRC="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="$HOME/.local/bin"
APP="$DATA/onnxstudio/app"
EXE="$APP/onnxstudio"
CONFIG="${XDG_CONFIG_HOME:-$HOME/.config}"

refresh() {
  # Each tool is optional: without it the desktop picks the change up at next login.
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$DATA/mime"; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$DATA/applications"; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true
  fi
  touch "$DATA/icons/hicolor" 2>/dev/null || true
}

uninstall() {
  rm -rf "$DATA/onnxstudio"
  rm -f "$DATA/applications/onnxstudio.desktop" "$DATA/mime/packages/onnxstudio.xml"
  find "$DATA/icons/hicolor" \( -name onnxstudio.png -o -name onnxstudio.svg \
    -o -name application-x-onnx.png -o -name application-x-onnx.svg \) -delete 2>/dev/null || true
  if [ -L "$BIN/onnxstudio" ]; then rm -f "$BIN/onnxstudio"; fi
  # Drop the default-application line install.sh may have added; other lines stay as they were.
  if [ -f "$CONFIG/mimeapps.list" ]; then
    sed -i '/^application\/x-onnx=onnxstudio\.desktop;*$/d' "$CONFIG/mimeapps.list"
  fi
  mkdir -p "$DATA/mime/packages" "$DATA/applications"
  refresh
  echo "ONNX Studio removed."
}

install() {
  if [ ! -x "$SRC/onnxstudio/onnxstudio" ]; then
    echo "run this script from the unpacked archive (onnxstudio/ beside install.sh is missing)" >&2
    exit 1
  fi
  mkdir -p "$DATA/onnxstudio" "$DATA/applications" "$DATA/mime/packages" "$DATA/icons" "$BIN"
  # Copy beside the old version, then swap: a running copy keeps its files until it exits.
  rm -rf "$APP.new" "$APP.old"
  cp -R "$SRC/onnxstudio" "$APP.new"
  if [ -d "$APP" ]; then mv "$APP" "$APP.old"; fi
  mv "$APP.new" "$APP"
  rm -rf "$APP.old"
  # Absolute Exec: a Python venv's `onnxstudio` on PATH must not shadow this copy.
  sed -e "s|^Exec=.*|Exec=$EXE %F|" -e "s|^TryExec=.*|TryExec=$EXE|" \
    "$SRC/share/applications/onnxstudio.desktop" > "$DATA/applications/onnxstudio.desktop"
  cp "$SRC/share/mime/packages/onnxstudio.xml" "$DATA/mime/packages/onnxstudio.xml"
  cp -R "$SRC/share/icons/hicolor" "$DATA/icons/"
  ln -sfn "$EXE" "$BIN/onnxstudio"
  refresh
  # Become the .onnx default only when no other application is: never take over the user's choice.
  if command -v xdg-mime >/dev/null 2>&1 && [ -z "$(xdg-mime query default application/x-onnx 2>/dev/null)" ]; then
    xdg-mime default onnxstudio.desktop application/x-onnx 2>/dev/null || true
  fi
  echo "ONNX Studio installed in $APP."
  echo "Start it from the applications menu, or double-click a .onnx file."
  case ":$PATH:" in
    *":$BIN:"*) echo "From a terminal: onnxstudio" ;;
    *) echo "From a terminal: $EXE (add $BIN to PATH to type just 'onnxstudio')" ;;
  esac
}

case "${1:-}" in
  --uninstall) uninstall ;;
  "") install ;;
  *) echo "usage: $0 [--uninstall]" >&2; exit 2 ;;
esac
