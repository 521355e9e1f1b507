#!/usr/bin/env bash
# Linux installer smoke test, as a user would meet the app: build the bundle, self-test it, package it,
# install the .deb with apt, double-click a .onnx through the desktop's file opening (gio open / xdg-open)
# under Xvfb, see the app start with the file, uninstall; then the same for the per-user .tar.gz.
#
# Non-interactive and idempotent (re-runs clean up after earlier ones); needs root for apt. Prints one
# PASS/FAIL line per check and "smoke: N passed, N failed" at the end; exits 1 if anything failed.
#   installer/ci_linux.sh                  everything (~3-5 min on 2 cores when the uv cache is warm)
#   ONNXSTUDIO_CI_SKIP_BUILD=1 ...         reuse installer/dist/onnxstudio
set -uo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"

WORK="$(mktemp -d /tmp/onnxstudio-ci.XXXXXX)"
PASSED=0
FAILED=0
XVFB_PID=""
APP_PIDS=()
T0=$(date +%s)
# A private single-instance name: never hand files to an app someone else runs on this machine.
export ONNXSTUDIO_INSTANCE_NAME="onnxstudio-ci-$$"

pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
info() { echo "      $*"; }
check() {  # check "description" command...: PASS/FAIL by exit status, output kept in the log
  local what="$1"; shift
  if "$@" >"$WORK/last.log" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/      | /' "$WORK/last.log" | tail -25; fi
}
finish() {
  local pid
  for pid in "${APP_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  if [[ -n "$XVFB_PID" ]]; then kill "$XVFB_PID" 2>/dev/null; fi
  if dpkg -s onnxstudio >/dev/null 2>&1; then apt-get remove -y -qq onnxstudio >/dev/null 2>&1; fi
  # The killed app could not remove its single-instance socket (Qt puts it in the temp folder).
  rm -f "${TMPDIR:-/tmp}/$ONNXSTUDIO_INSTANCE_NAME"
  rm -rf "$WORK"
  echo "installer smoke test took $(( $(date +%s) - T0 )) s"
  echo "smoke: $PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}
trap 'finish; exit $?' EXIT

# --- tools ------------------------------------------------------------------------------------------
# Build-time X11 libraries (bundled by PyInstaller only when present), the desktop plumbing a user's
# machine has (MIME and menu databases, gio, xdg-open), Xvfb and xdotool to watch for the window.
# libfile-mimeinfo-perl: outside a desktop session xdg-open asks `mimetype` (the shared MIME database, as a
# desktop does) for a file's type, else `file`, which calls a .onnx application/octet-stream and finds no app.
PKGS=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
      libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1
      libdbus-1-3 xvfb xdotool desktop-file-utils shared-mime-info hicolor-icon-theme xdg-utils
      libglib2.0-bin x11-utils dpkg-dev libfile-mimeinfo-perl)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if (( ${#missing[@]} )); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# shellcheck disable=SC2016  # expanded by the inner bash
check "build tools present" bash -c 'for t in Xvfb xdotool xdpyinfo gio xdg-open desktop-file-validate dpkg-deb uv; do
  command -v "$t" >/dev/null || { echo "missing: $t"; exit 1; }; done'

# --- build ------------------------------------------------------------------------------------------
if [[ -z "${ONNXSTUDIO_CI_SKIP_BUILD:-}" ]]; then
  b0=$(date +%s)
  rm -rf "$BUNDLE" "$DIST"/*.deb "$DIST"/*.tar.gz  # never test what an earlier run left
  check "PyInstaller one-folder build" "$HERE/build_linux.sh"
  info "build: $(( $(date +%s) - b0 )) s"
fi
if [[ ! -x "$BUNDLE/onnxstudio" ]]; then
  fail "no bundle at $BUNDLE: nothing more to test"
  exit 1
fi
info "bundle: $(du -sm "$BUNDLE" | cut -f1) MB in $(find "$BUNDLE" -type f | wc -l) files"

# The bundle must resolve all its core libraries here (optional plugins, e.g. Wayland, may not).
unresolved() {
  find "$BUNDLE" -maxdepth 1 -name onnxstudio -print
  find "$BUNDLE/_internal" \( -name 'libQt6Core.so*' -o -name 'libQt6Gui.so*' -o -name 'libQt6Widgets.so*' \
    -o -name 'libqxcb.so' -o -name 'libqoffscreen.so' -o -name 'libpython3*.so*' \
    -o -name 'onnxruntime_pybind11_state*.so' \) -print
}
check "bundle's core libraries resolve (ldd)" bash -c \
  "! ( $(declare -f unresolved); BUNDLE='$BUNDLE'; unresolved | xargs -r ldd | grep 'not found' )"

deps_covered() {  # every system package the bundle loads is in the .deb's Depends (or pulled by one)
  local depends bad=0 pkg
  depends=$(dpkg-deb -f "$1" Depends)
  for pkg in $("$HERE/linux/system_deps.sh" "$BUNDLE"); do
    case "$pkg" in libglvnd0|libglx0) continue ;; esac  # dependencies of libgl1/libegl1
    if ! grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"; then echo "not in Depends: $pkg"; bad=1; fi
  done
  return $bad
}

selftest() {  # selftest LABEL EXE [env...]: run --self-test, check exit 0 and ok in the JSON
  local label="$1" exe="$2"; shift 2
  local out="$WORK/selftest-$label.json"
  if env "$@" timeout 120 "$exe" --self-test --output "$out" >"$WORK/last.log" 2>&1 \
     && grep -q '"ok": true' "$out"; then
    pass "self-test ($label): $(tail -1 "$WORK/last.log")"
  else
    fail "self-test ($label)"; sed 's/^/      | /' "$WORK/last.log" "$out" 2>/dev/null | tail -30
  fi
}
selftest offscreen "$BUNDLE/onnxstudio" QT_QPA_PLATFORM=offscreen
check "the bundle's self-test used the bundled resources" \
  grep -q "\"resources_dir\": \"$BUNDLE/_internal/resources\"" "$WORK/selftest-offscreen.json"

# The same resources lookup from an installed wheel (hatch force-includes resources/ into the package).
wheel_venv() {
  uv build --wheel -q -o "$WORK/wheel" "$REPO" && uv venv -q "$WORK/wheel-venv" \
    && uv pip install -q --python "$WORK/wheel-venv/bin/python" "$WORK"/wheel/*.whl
}
if check "wheel builds and installs into a fresh venv" wheel_venv; then
  selftest wheel "$WORK/wheel-venv/bin/onnxstudio"
  check "the wheel's self-test used the wheel's own resources" \
    grep -q "wheel-venv/lib/python3[^/]*/site-packages/onnxstudio/resources" "$WORK/selftest-wheel.json"
fi

# --- a virtual screen -------------------------------------------------------------------------------
for d in $(seq 90 140); do [[ -e /tmp/.X11-unix/X$d || -e /tmp/.X$d-lock ]] || { DISP=":$d"; break; }; done
Xvfb "$DISP" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 50); do xdpyinfo -display "$DISP" >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY="$DISP"
unset QT_QPA_PLATFORM WAYLAND_DISPLAY
check "Xvfb on $DISP" kill -0 "$XVFB_PID"
selftest xvfb "$BUNDLE/onnxstudio"

# wait_window PID SECONDS: the app's visible top-level window, by the pid Qt sets in _NET_WM_PID.
wait_window() {
  local pid="$1" secs="$2" win
  for _ in $(seq $((secs * 4))); do
    kill -0 "$pid" 2>/dev/null || return 2
    win=$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -1)
    if [[ -n "$win" ]]; then echo "$win"; return 0; fi
    sleep 0.25
  done
  return 1
}

wait_title() {  # wait_title WINDOW TEXT SECONDS: the window's title comes to contain TEXT
  local title=""
  for _ in $(seq $(($3 * 4))); do
    title=$(xdotool getwindowname "$1" 2>/dev/null) && [[ "$title" == *"$2"* ]] && return 0
    sleep 0.25
  done
  echo "window title: '$title', expected it to contain '$2'"
  return 1
}

# The GUI itself, started directly with a model, under Xvfb.
SAMPLE="$(find "$BUNDLE/_internal/resources/samples" -maxdepth 1 -name "*.onnx" | sort | head -1)"
"$BUNDLE/onnxstudio" "$SAMPLE" >"$WORK/gui-direct.log" 2>&1 &
gui=$!; APP_PIDS+=("$gui")
if win=$(wait_window "$gui" 60); then
  pass "bundle GUI opens a window under Xvfb: '$(xdotool getwindowname "$win")'"
else
  fail "bundle GUI opens a window under Xvfb"; tail -20 "$WORK/gui-direct.log" | sed 's/^/      | /'
fi
# A logout sends SIGTERM: the frozen app closes as its close button does (exit 0), not killed where it stands.
closes_on_sigterm() {
  local pid=$1 rc=0
  kill -TERM "$pid" 2>/dev/null || { echo "the app had already exited"; return 1; }
  for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; echo "still running 30 s after SIGTERM"; return 1; fi
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || { echo "exit status $rc after SIGTERM"; tail -5 "$WORK/gui-direct.log"; return 1; }
}
check "bundle GUI closes cleanly on SIGTERM (exit 0)" closes_on_sigterm "$gui"

# --- .deb -------------------------------------------------------------------------------------------
DEB="$DIST/onnxstudio_${VERSION}_${DEB_ARCH}.deb"
rm -f "$DEB"
check "build .deb" "$HERE/make_deb.sh"
check ".deb Depends cover the system libraries the bundle loads" deps_covered "$DEB"
# Idempotent: apt would skip a reinstall of the same version, leaving an earlier run's files.
if dpkg -s onnxstudio >/dev/null 2>&1; then apt-get remove -y -qq onnxstudio >/dev/null 2>&1; fi
check "apt-get install ./$(basename "$DEB")" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB"
check "menu entry installed and valid" desktop-file-validate /usr/share/applications/onnxstudio.desktop
check "menu entry registered for application/x-onnx" \
  grep -q '^application/x-onnx=.*onnxstudio.desktop' /usr/share/applications/mimeinfo.cache
check "icons installed (hicolor 48 px, scalable)" test -f /usr/share/icons/hicolor/48x48/apps/onnxstudio.png \
  -a -f /usr/share/icons/hicolor/scalable/apps/onnxstudio.svg

MODELS="$WORK/my models"  # a space in the path, as users' folders have
mkdir -p "$MODELS"
cp "$SAMPLE" "$MODELS/first model.onnx"
cp "$SAMPLE" "$MODELS/second.onnx"
check "*.onnx is application/x-onnx (gio info)" bash -c \
  "gio info -a standard::content-type '$MODELS/first model.onnx' | grep -q 'application/x-onnx'"
check "onnxstudio.desktop handles application/x-onnx (gio mime)" bash -c \
  "gio mime application/x-onnx | grep -q onnxstudio.desktop"
selftest installed /usr/bin/onnxstudio

# Double-click: the desktop's file opening starts the installed app with the file. The entry script
# logs its pid and argv when ONNXSTUDIO_LAUNCH_LOG is set (installer/onnxstudio_entry.py).
export ONNXSTUDIO_LAUNCH_LOG="$WORK/launches.jsonl"
: >"$ONNXSTUDIO_LAUNCH_LOG"
launch_pid() {  # launch_pid N SECONDS: pid of the N-th launch (spawned engine children never log)
  local n="$1" secs="$2" line
  for _ in $(seq $((secs * 4))); do
    line=$(sed -n "${n}p" "$ONNXSTUDIO_LAUNCH_LOG")
    if [[ -n "$line" ]]; then echo "$line" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p'; return 0; fi
    sleep 0.25
  done
  return 1
}
gio open "$MODELS/first model.onnx" >"$WORK/gio.log" 2>&1
launch_has() {  # launch_has N TEXT: the N-th launch's logged argv contains TEXT
  [[ "$(sed -n "${1}p" "$ONNXSTUDIO_LAUNCH_LOG")" == *"$2"* ]]
}
if first=$(launch_pid 1 30) && launch_has 1 "$MODELS/first model.onnx" \
   && launch_has 1 '"/opt/onnxstudio/onnxstudio"'; then
  APP_PIDS+=("$first")
  pass "gio open 'first model.onnx' starts /opt/onnxstudio/onnxstudio with the file"
  if win=$(wait_window "$first" 60); then
    pass "installed app shows its window: '$(xdotool getwindowname "$win")'"
    check "the window shows the double-clicked model" wait_title "$win" "first model.onnx" 30
  else
    fail "installed app shows its window (pid $first)"; sed 's/^/      | /' "$WORK/gio.log"
  fi
else
  fail "gio open 'first model.onnx' starts the installed app"
  sed 's/^/      | /' "$WORK/gio.log" "$ONNXSTUDIO_LAUNCH_LOG"
  first=""
fi

# A second double-click while the app runs: the new process hands the file over and exits.
if [[ -n "$first" ]]; then
  xdg-open "$MODELS/second.onnx" >"$WORK/xdg.log" 2>&1 &
  if second=$(launch_pid 2 30) && launch_has 2 "$MODELS/second.onnx"; then
    APP_PIDS+=("$second")
    pass "xdg-open 'second.onnx' starts the installed app with the file"
    for _ in $(seq 60); do kill -0 "$second" 2>/dev/null || break; sleep 0.25; done
    if ! kill -0 "$second" 2>/dev/null && kill -0 "$first" 2>/dev/null; then
      pass "second launch handed its file to the running window and exited (single instance)"
      check "the running window now shows second.onnx" wait_title "$win" "second.onnx" 30
    else
      fail "second launch handed its file to the running window (pid $second still running or $first died)"
    fi
  else
    fail "xdg-open 'second.onnx' starts the installed app"; sed 's/^/      | /' "$WORK/xdg.log"
  fi
fi
for pid in "${APP_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
unset ONNXSTUDIO_LAUNCH_LOG

check "apt-get remove onnxstudio" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq onnxstudio
check "uninstall leaves no files or registrations" bash -c \
  '! test -e /opt/onnxstudio && ! test -e /usr/share/applications/onnxstudio.desktop &&
   ! grep -q onnxstudio /usr/share/applications/mimeinfo.cache && ! test -e /usr/share/mime/packages/onnxstudio.xml'

# --- .tar.gz, per-user install ----------------------------------------------------------------------
TAR="$DIST/onnxstudio-$VERSION-linux-$MACHINE.tar.gz"
rm -f "$TAR"
check "build .tar.gz" "$HERE/make_tarball.sh"
USER_HOME="$WORK/home"  # a fresh user: nothing of root's home is touched
mkdir -p "$USER_HOME" "$WORK/unpack"
tar -C "$WORK/unpack" -xzf "$TAR"
as_user() { env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME="$USER_HOME" XDG_DATA_DIRS=/usr/share "$@"; }
check "tar.gz install.sh (per user)" as_user "$WORK/unpack/onnxstudio-$VERSION-linux-$MACHINE/install.sh"
U_SHARE="$USER_HOME/.local/share"
check "per-user menu entry valid, Exec points at the user's copy" bash -c \
  "desktop-file-validate '$U_SHARE/applications/onnxstudio.desktop' &&
   grep -qx 'Exec=$U_SHARE/onnxstudio/app/onnxstudio %F' '$U_SHARE/applications/onnxstudio.desktop'"
check "per-user *.onnx is application/x-onnx, opened by onnxstudio.desktop" as_user bash -c \
  "gio info -a standard::content-type '$MODELS/second.onnx' | grep -q application/x-onnx &&
   gio mime application/x-onnx | grep -q onnxstudio.desktop"
selftest per-user "$USER_HOME/.local/bin/onnxstudio" HOME="$USER_HOME"
check "install.sh --uninstall" as_user "$WORK/unpack/onnxstudio-$VERSION-linux-$MACHINE/install.sh" --uninstall
check "per-user uninstall leaves nothing" bash -c \
  "! test -e '$U_SHARE/onnxstudio' && ! test -e '$U_SHARE/applications/onnxstudio.desktop' &&
   ! test -e '$USER_HOME/.local/bin/onnxstudio' && ! test -e '$U_SHARE/mime/packages/onnxstudio.xml'"
