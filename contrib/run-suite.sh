#!/usr/bin/env bash
# The main job: sets everything up on a fresh Debian/Ubuntu machine, builds
# vfu-conform and the bundled reference server vfu-refdev, shows what the
# server offers (vfu-conform describe), then runs the conformance suite
# against it, one server process per scenario (--fd=N, per the spec's Backend
# Program Conventions).  Extra arguments go to vfu-conform's run, e.g.
# --select 'server/dma/*' or --strict.  Exits with vfu-conform's status.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./contrib/deps.sh
[ -x configure ] || ./autogen.sh
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
./vfu-conform describe --target exec -- servers/vfu-refdev
echo
exec ./vfu-conform --suite ../scenarios --profile refdev -j 2 "$@" \
    --target exec -- servers/vfu-refdev
