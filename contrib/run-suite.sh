#!/usr/bin/env bash
# The main job: sets everything up on a fresh Debian/Ubuntu machine, builds
# vfu-conform and the bundled reference server vfu-refdev, and runs the
# harness against it (today: `vfu-conform describe`, both through --fd=N and
# through --socket-path=PATH; the conformance suite replaces it once it
# exists).  Extra arguments go to vfu-conform.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./contrib/deps.sh
[ -x configure ] || ./autogen.sh
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
./vfu-conform "$@" describe --target exec -- servers/vfu-refdev
./vfu-conform "$@" describe --target exec-path -- servers/vfu-refdev >/dev/null
echo "vfu-refdev: describe passed through --fd and --socket-path"
