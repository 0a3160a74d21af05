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
	"$conform" --suite "$top_srcdir/scenarios" --profile refdev -j 2 --target "$kind" \
	    -- "$refdev" > "$tmp/$kind" 2>&1
	echo "$?" > "$tmp/$kind.rc"
done
n=$(grep -cE '^(PASS|WARN|FAIL|SKIP|ERROR) ' "$tmp/exec" "$tmp/exec-path" |
    awk -F: '{s += $2} END {print s}')
echo "1..$((n + 2))"
for kind in exec exec-path; do
	# A SKIP's reason is on the indented line after its verdict line.
	i=$(awk -v kind="$kind" -v i="$i" '
	function flush() {
		if (skip != "") {
			sub(/^[ \t]+/, "", reason)
			sub(/^[^ ]*\.yaml: /, "", reason)
			printf "ok %d - # SKIP %s %s: %s\n", ++i, kind, skip, reason
		}
		skip = ""; reason = ""
	}
	/^(PASS|SKIP|WARN|FAIL|ERROR) / {
		flush()
		if ($1 == "PASS") printf "ok %d - %s %s\n", ++i, kind, $2
		else if ($1 == "SKIP") skip = $2
		else printf "not ok %d - %s %s: %s\n", ++i, kind, $2, $1
		next
	}
	skip != "" && reason == "" { reason = $0; next }
	!/^ / { flush(); print "# " $0 }
	END { flush(); print i > "/dev/stderr" }' "$tmp/$kind" 2>"$tmp/n")
	printf '%s\n' "$i" | sed '$d'
	i=$(cat "$tmp/n")
	i=$((i + 1))
	if [ "$(cat "$tmp/$kind.rc")" -eq 0 ]; then
		echo "ok $i - $kind: vfu-conform exits 0 (conformant)"
	else
		echo "not ok $i - $kind: vfu-conform exited $(cat "$tmp/$kind.rc")"
	fi
done
