#!/usr/bin/env bash
# Print the Debian packages whose libraries the bundle (arg 1, default installer/dist/onnxstudio) loads from
# the system, i.e. what the .deb must depend on. Libraries are resolved as the frozen app resolves them
# (its bootloader puts _internal first on the library path). Optional plugins (Wayland, GTK theme, input
# methods, eglfs) are left out: Qt skips them when their libraries are missing.
set -euo pipefail
BUNDLE="${1:-$(cd "$(dirname "$0")/.." && pwd)/dist/onnxstudio}"
export LD_LIBRARY_PATH="$BUNDLE/_internal"
find "$BUNDLE" -type f \( -name '*.so*' -o -name onnxstudio \) \
  | grep -v -E 'wayland|egldevice|platformthemes|platforminputcontexts|WaylandClient|WlShell|EglFs' \
  | xargs ldd 2>/dev/null | awk '/=> \// {print $3}' | grep -v -F "$BUNDLE" | sort -u \
  | while read -r lib; do
      # usrmerge: dpkg knows /lib/... or /usr/lib/..., whichever the package shipped
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null \
        || echo "unknown: $lib"
    done | cut -d: -f1 | sort -u
