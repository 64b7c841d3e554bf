#!/usr/bin/env bash
# CI step: the linux-arm64 build for real. Publishes EdgeDigits.Device self-contained for linux-arm64 and runs it
# under qemu-aarch64 (tools/setup.sh installs qemu-user 10 from bookworm-backports and the arm64 sysroot) as a
# Raspberry Pi 4 (cortex-a72) and a Pi 5 (cortex-a76): runtime start, config validation, and `read --json` on
# MNIST digits + samples compared line for line with the x64 build. Prints the publish sizes.
#   .ci/arm64-qemu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
qemu-aarch64 --version | head -n1
[ -f /opt/edgedigits/arm64-sysroot/.complete ] || { echo "arm64 sysroot missing: run tools/setup.sh" >&2; exit 4; }
nice -n 10 dotnet test tests/EdgeDigits.Deploy.Tests --filter "FullyQualifiedName~Qemu" --logger "console;verbosity=normal"

out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
nice -n 10 dotnet publish src/EdgeDigits.Device -c Release -r linux-arm64 --self-contained -p:DebugType=none -o "$out/arm64" >/dev/null
echo "linux-arm64 self-contained publish: $(du -sm "$out/arm64" | cut -f1) MB, $(find "$out/arm64" -type f | wc -l) files"
