#!/usr/bin/env bash
# Sets everything up on a fresh Debian/Ubuntu machine and runs all the tests:
#   1. a --enable-werror build and `make check` (unit tests, self-tests),
#   2. `make distcheck`,
#   3. configure without a dependency (it must name the Debian package) and
#      a build with --disable-unit-tests,
#   4. an --enable-sanitizers=address,undefined build and its `make check`.
# Each step's output goes to ci-logs/; a failing step's log is printed.
# Ends with one line "N passed, N failed" summed from the test logs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
logs=$top/ci-logs
rm -rf "$logs" build build-san build-nocheck
mkdir -p "$logs" build build-san build-nocheck

./contrib/deps.sh || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

status=0
n=0
# step DIR NAME COMMAND...: runs COMMAND in DIR, output to ci-logs/NAME.log.
step() {
	local dir=$1 name=$2 t0 rc
	shift 2
	n=$((n + 1))
	t0=$(date +%s)
	(cd "$dir" && "$@") > "$logs/$n-$name.log" 2>&1
	rc=$?
	printf '==> %-28s %s (%ss)\n' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" \
	    "$(( $(date +%s) - t0 ))"
	if [ $rc -ne 0 ]; then
		tail -n 150 "$logs/$n-$name.log"
		status=1
	fi
	return $rc
}

step . autogen ./autogen.sh &&
step build configure ../configure --enable-werror &&
step build make make -j"$jobs" &&
step build check env VFU_VALGRIND=1 make -j"$jobs" check
grep -hE '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' build/test-suite.log 2>/dev/null |
	tr '\n' ' ' | sed 's/^/    /; s/$/\n/'
[ -f build/Makefile ] && step build distcheck make -j"$jobs" distcheck
# configure names the Debian package of a missing dependency, and the
# unit tests can be left out explicitly.
step build-nocheck missing-dependency sh -c '! PKG_CONFIG_LIBDIR=/nonexistent \
    ../configure -q > out 2>&1 && grep "install the Debian package .libyaml-dev." out'
step build-nocheck configure-no-unit-tests ../configure -q --enable-werror \
    --disable-unit-tests &&
step build-nocheck make-no-unit-tests make -j"$jobs"
step build-san configure-sanitizers ../configure --enable-werror \
    --enable-sanitizers &&
step build-san check-sanitizers make -j"$jobs" check

for log in $(find build build-san -name test-suite.log 2>/dev/null); do
	if ! grep -q '^# FAIL:  *0$' "$log" || ! grep -q '^# ERROR: *0$' "$log"; then
		echo "---- $log"
		cat "$log"
	fi
done

read -r passed failed <<<"$(./contrib/count-tests.sh build build-san)"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# a build or distcheck step failed outside the test logs
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
