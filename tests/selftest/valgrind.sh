#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# vfu-refdev is valgrind-clean (TAP): the whole suite runs against it under
# memcheck, and every server process must end with no error, no leak and no
# fd left open.  Slow, so it runs when VFU_VALGRIND=1 (the CI's main build
# sets it; sanitizer builds cannot run under valgrind).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conform=$top_builddir/vfu-conform
refdev=$top_builddir/servers/vfu-refdev
if [ "${VFU_VALGRIND:-0}" != 1 ]; then
	echo "1..0 # SKIP set VFU_VALGRIND=1 to run vfu-refdev under valgrind"
	exit 0
fi
command -v valgrind > /dev/null || { echo "1..0 # SKIP no valgrind"; exit 0; }
[ -x "$conform" ] && [ -x "$refdev" ] || { echo "1..0 # SKIP not built"; exit 0; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$conform" --suite "$top_srcdir/scenarios" --profile refdev -j 2 -T 20000 --target exec -- \
    valgrind -q --log-file="$tmp/vg.%p" --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --track-fds=yes "$refdev" > "$tmp/out" 2>&1
rc=$?
nlogs=$(ls "$tmp"/vg.* 2>/dev/null | wc -l)
echo "1..$((nlogs + 1))"
i=1
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - the suite passes against vfu-refdev under valgrind"
else
	echo "not ok 1 - the suite under valgrind exited $rc"
	grep -E '^(FAIL|ERROR|WARN) ' "$tmp/out" | sed 's/^/# /'
fi
for log in "$tmp"/vg.*; do
	[ -e "$log" ] || continue
	i=$((i + 1))
	# -q prints only problems; the fd report lists open descriptors:
	# fds 0-2 are inherited, anything else at exit was leaked.
	leaked=$(awk '/Open .*descriptor [0-9]+:/ { fd = $0; next }
	    fd != "" { if ($0 !~ /inherited from parent/) print fd; fd = "" }' \
	    "$log")
	if grep -qE 'Invalid|uninitialised|definitely lost|indirectly lost|Mismatched|Syscall param' "$log" ||
	    [ -n "$leaked" ]; then
		echo "not ok $i - vfu-refdev process ${log##*.}"
		sed 's/^/# /' "$log" | head -40
	else
		echo "ok $i - vfu-refdev process ${log##*.} is clean"
	fi
done
