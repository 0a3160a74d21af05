#!/usr/bin/env bash
# Sets everything up on a fresh Debian/Ubuntu machine and runs all the tests:
#   1. a --enable-werror build and `make check` (unit tests, self-tests),
#   2. `make distcheck`,
#   3. an --enable-sanitizers=address,undefined build and its `make check`.
# Ends with one line "N passed, N failed" summed from the test logs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

./contrib/deps.sh || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

status=0
step() {
	echo "==> $*"
	"$@" || { echo "FAILED: $*"; status=1; return 1; }
}

step ./autogen.sh
rm -rf build build-san
mkdir -p build build-san

(cd build && step ../configure -q --enable-werror && step make -j"$jobs" &&
	step make -j"$jobs" check) || status=1
(cd build && [ -f Makefile ] && step make -j"$jobs" distcheck) || status=1
(cd build-san && step ../configure -q --enable-werror --enable-sanitizers &&
	step make -j"$jobs" check) || status=1

for d in build build-san; do
	for log in $(find "$d" -name test-suite.log 2>/dev/null); do
		grep -q '^# FAIL:  *0$' "$log" && grep -q '^# ERROR: *0$' "$log" ||
			{ echo "---- $log"; cat "$log"; }
	done
done

read -r passed failed <<<"$(./contrib/count-tests.sh build build-san)"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# a build or distcheck step failed outside the test logs
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
