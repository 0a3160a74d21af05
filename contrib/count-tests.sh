#!/usr/bin/env bash
# Sums test results from automake test logs under the given build trees.
# A Check binary's log holds "Checks: N, Failures: F, Errors: E": each of its
# checks counts.  Any other test counts once, by its .trs result.
# Prints "passed failed" (two numbers).
set -euo pipefail
passed=0 failed=0
while IFS= read -r -d '' trs; do
	log=${trs%.trs}.log
	line=$(grep -Eo 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" 2>/dev/null | tail -n 1 || true)
	if [ -n "$line" ]; then
		read -r n f e <<<"$(echo "$line" | grep -Eo '[0-9]+' | tr '\n' ' ')"
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
		# a binary that crashed after printing its summary still failed
		if grep -Eq '^:test-result: (FAIL|ERROR)' "$trs" && [ $((f + e)) -eq 0 ]; then
			failed=$((failed + 1))
		fi
	else
		while read -r _ res; do
			case $res in
			PASS|XFAIL) passed=$((passed + 1)) ;;
			SKIP) ;;
			*) failed=$((failed + 1)) ;;
			esac
		done < <(grep -E '^:test-result:' "$trs")
	fi
done < <(find "$@" -name '*.trs' -print0)
echo "$passed $failed"
