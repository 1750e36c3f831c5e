#!/usr/bin/env bash
# Qt 6 needs a few system libraries that a minimal Debian/Ubuntu may lack.
# Install them with apt-get when we can; otherwise say exactly which are missing.
set -u
declare -A NEEDED=(
  [libEGL.so.1]=libegl1
  [libGL.so.1]=libgl1
  [libxkbcommon.so.0]=libxkbcommon0
  [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libfontconfig.so.1]=libfontconfig1
  [libdbus-1.so.3]=libdbus-1-3
  [libglib-2.0.so.0]=libglib2.0-0
  [libxcb-cursor.so.0]=libxcb-cursor0
  [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-render-util.so.0]=libxcb-render-util0
  [libxcb-image.so.0]=libxcb-image0
)
[ "$(uname -s)" = "Linux" ] || exit 0
missing=()
for lib in "${!NEEDED[@]}"; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("${NEEDED[$lib]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
# fonts: Qt renders text with them; a machine without any shows empty boxes.
missing+=(fonts-dejavu-core)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing system libraries Qt needs: ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  echo "apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
echo "Qt needs these system packages, which are missing: ${missing[*]}" >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run make again." >&2
exit 1
