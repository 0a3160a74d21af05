#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Self-test (TAP): the whole client-role suite passes against the reference
# server, through --fd (exec) and through --socket-path (exec-path).  One
# TAP line per scenario, so a single regression is named.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conform=$top_builddir/vfu-conform
refdev=$top_builddir/servers/vfu-refdev
[ -x "$conform" ] && [ -x "$refdev" ] || { echo "1..0 # SKIP not built"; exit 0; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
i=0
for kind in exec exec-path; do
	"$conform" --suite "$top_srcdir/scenarios" -j 2 --target "$kind" \
	    -- "$refdev" > "$tmp/$kind" 2>&1
	echo "$?" > "$tmp/$kind.rc"
done
n=$(grep -cE '^(PASS|WARN|FAIL|SKIP|ERROR) ' "$tmp/exec" "$tmp/exec-path" |
    awk -F: '{s += $2} END {print s}')
echo "1..$((n + 2))"
for kind in exec exec-path; do
	while read -r verdict id rest; do
		case $verdict in
		PASS) i=$((i + 1)); echo "ok $i - $kind $id" ;;
		SKIP) i=$((i + 1)); echo "ok $i - # SKIP $kind $id: $rest" ;;
		WARN|FAIL|ERROR)
			i=$((i + 1)); echo "not ok $i - $kind $id: $verdict" ;;
		*) echo "# $verdict $id $rest" ;;
		esac
	done < "$tmp/$kind"
	i=$((i + 1))
	if [ "$(cat "$tmp/$kind.rc")" -eq 0 ]; then
		echo "ok $i - $kind: vfu-conform exits 0 (conformant)"
	else
		echo "not ok $i - $kind: vfu-conform exited $(cat "$tmp/$kind.rc")"
	fi
done
