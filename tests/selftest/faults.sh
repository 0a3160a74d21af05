#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Self-test of the suite's negative controls (TAP).  For each line of
# faults.txt -- FAULT SELECT EXIT TEXT [TARGET], separated by tabs -- run the
# scenarios matching SELECT against `vfu-refdev --fault=FAULT`, reached as
# --target TARGET (default exec; exec-path for scenarios that reconnect),
# and require vfu-conform's exit status EXIT and TEXT (usually the rule ID)
# in its report.  The runs are --strict, so a should-level breach fails too.  Every fault that vfu-refdev lists must have a line: a
# fault no scenario catches is reported as a skip with its name, so the gap
# stays visible.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
conform=$top_builddir/vfu-conform
refdev=$top_builddir/servers/vfu-refdev
table=$top_srcdir/tests/selftest/faults.txt
suite=$top_srcdir/scenarios
[ -x "$conform" ] && [ -x "$refdev" ] || { echo "1..0 # SKIP not built"; exit 0; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
"$refdev" --list-faults | cut -f1 | sort -u > "$tmp/all"
grep -v '^[[:space:]]*\(#\|$\)' "$table" > "$tmp/lines"
n=$(wc -l < "$tmp/lines")
nall=$(wc -l < "$tmp/all")
covered=$(awk '{print $1}' "$tmp/lines" | sort -u)
echo "$covered" > "$tmp/covered"
uncovered=$(comm -23 "$tmp/all" "$tmp/covered")
nun=$(printf '%s' "$uncovered" | grep -c . || true)
# Every scenario must be shown able to fail: some line's glob selects it.
"$conform" --list --suite "$suite" | awk '$1 ~ /\// {print $1}' > "$tmp/ids"
awk -F'\t+' '{print $2}' "$tmp/lines" > "$tmp/globs"
unproven=
while read -r id; do
	hit=0
	while read -r glob; do
		# shellcheck disable=SC2254
		case $id in $glob) hit=1; break ;; esac
	done < "$tmp/globs"
	[ "$hit" -eq 1 ] || unproven="$unproven $id"
done < "$tmp/ids"
echo "1..$((n + nun + 1))"
i=0
while IFS='	' read -r fault select want text kind; do
	i=$((i + 1))
	if ! grep -qx "$fault" "$tmp/all"; then
		echo "not ok $i - $fault: vfu-refdev has no such fault"
		continue
	fi
	"$conform" --suite "$suite" --profile refdev --strict --select "$select" -T 2000 \
	    --target "${kind:-exec}" -- "$refdev" --fault="$fault" \
	    > "$tmp/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ] && grep -qF -- "$text" "$tmp/out"; then
		echo "ok $i - $fault is caught by $select ($text)"
	else
		echo "not ok $i - $fault: $select exited $got (want $want)" \
		    "and must report '$text'"
		sed 's/^/# /' "$tmp/out" | head -40
	fi
done < "$tmp/lines"
i=$((i + 1))
if [ -z "$unproven" ]; then
	echo "ok $i - every scenario is caught failing by some fault"
else
	echo "not ok $i - scenarios no fault shows failing:$unproven"
fi
for f in $uncovered; do
	i=$((i + 1))
	echo "ok $i - # SKIP fault $f is caught by no scenario yet"
done
