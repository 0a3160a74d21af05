#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The vfu-conform command line end to end (TAP): help and version, usage
# errors, describe against the reference server clean and broken, targets
# that cannot be reached or crash, a malformed scenario, --list and rules,
# each with the exit status DESIGN.md promises (0 conformant, 1
# nonconformance, 2 usage or scenario error, 3 unreachable or crashed).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conform=$top_builddir/vfu-conform
refdev=$top_builddir/servers/vfu-refdev
[ -x "$conform" ] && [ -x "$refdev" ] || { echo "1..0 # SKIP not built"; exit 0; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
i=0

# check NAME WANT-STATUS PATTERN -- COMMAND...: PATTERN (grep -E) must be in
# the combined output; "" means no pattern.
check() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" > "$tmp/out" 2>&1
	got=$?
	i=$((i + 1))
	if [ "$got" -ne "$want" ]; then
		echo "not ok $i - $name: exit $got, want $want"
		sed 's/^/# /' "$tmp/out" | head -30
	elif [ -n "$pat" ] && ! grep -qE -- "$pat" "$tmp/out"; then
		echo "not ok $i - $name: output lacks /$pat/"
		sed 's/^/# /' "$tmp/out" | head -30
	else
		echo "ok $i - $name"
	fi
}

echo "1..17"
check "--help" 0 "^usage: vfu-conform" -- "$conform" --help
check "--version" 0 "^vfu-conform [0-9]" -- "$conform" --version
check "unknown option" 2 "usage" -- "$conform" --bogus
check "unknown command" 2 "unknown command 'frobnicate'" -- \
    "$conform" frobnicate --target socket:/nonexistent
check "describe without a target" 2 "needs --target" -- "$conform" describe
check "describe vfu-refdev" 0 "region 2 \(BAR2\).*MMAP" -- \
    "$conform" describe --target exec -- "$refdev"
check "describe vfu-refdev by socket path" 0 "irq 2 \(MSI-X\)" -- \
    "$conform" describe --target exec-path -- "$refdev"
check "describe a server without the reply bit" 1 "\[header.reply-bit\]" -- \
    "$conform" describe -T 1000 --target exec -- "$refdev" \
    --fault=reply-bit-missing
check "describe an unreachable socket" 3 "$tmp/none.sock" -- \
    "$conform" describe -T 300 --target "socket:$tmp/none.sock"
check "describe a server that crashes" 3 "signal 11" -- \
    "$conform" describe -T 2000 --target exec -- sh -c 'kill -SEGV $$'
mkdir "$tmp/suite"
printf 'id: x\ntitle: t\nspec: Header\nrequirement: header.reply-bit\nlevel: must\nrole: client\nsteps:\n  - sned: DEVICE_RESET\n' \
    > "$tmp/suite/bad.yaml"
check "a malformed scenario stops the run" 2 "bad.yaml:8:5: " -- \
    "$conform" --suite "$tmp/suite" --target exec -- "$refdev"
check "--list" 0 "scenarios? selected" -- \
    "$conform" --list --suite "$top_srcdir/scenarios"
check "rules" 0 "^[0-9]+ rules" -- "$conform" rules
check "--jobs out of range" 2 "--jobs" -- \
    "$conform" -j 0 --target exec -- "$refdev"
check "a should-level breach is a WARN without --strict" 0 \
    "^WARN .*no-reply-honoured" -- "$conform" --suite "$top_srcdir/scenarios" \
    --profile refdev --select '*/no-reply-honoured' -T 2000 \
    --target exec -- "$refdev" --fault=no-reply-answered
check "a scenario for another device profile is skipped" 0 \
    "^SKIP .*info-device-specific-type" -- "$conform" \
    --suite "$top_srcdir/scenarios" --select '*/info-device-specific-type' \
    --target exec -- "$refdev"
check "--time-limit bounds a run against a silent server" 2 \
    "time-limit" -- timeout 30 "$conform" --suite "$top_srcdir/scenarios" \
    --time-limit 2 -T 10000 --target exec -- sh -c 'exec sleep 60'
