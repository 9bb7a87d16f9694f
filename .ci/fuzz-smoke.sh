#!/usr/bin/env bash
# Runs every go test -fuzz target for a few seconds (FUZZTIME, default 2s):
# a smoke run that catches a target that no longer builds or a crash the
# fuzzer finds at once. Long fuzzing is done by hand (see docs/usage.md).
#
# A failure counts when the fuzzer wrote a failing input (a real crash or
# assertion, kept under testdata/fuzz/ to be fixed and committed as a
# seed) or the target did not build or run. Go's fuzzer sometimes ends a
# run that found nothing with "context deadline exceeded" when -fuzztime
# expires under load; such a run is tried once more and then reported as a
# warning, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-2s}"
failed=0
count=0
run() { go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" 2>&1; }
while IFS= read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    count=$((count + 1))
    for attempt in 1 2; do
      if out=$(run "$pkg" "$target"); then
        break
      fi
      if ! grep -q "Failing input written" <<<"$out" && grep -q "context deadline exceeded" <<<"$out" && grep -q "^fuzz: elapsed" <<<"$out"; then
        if [ "$attempt" -eq 1 ]; then continue; fi
        echo "WARN fuzz $pkg $target: the fuzzer timed out twice without a failing input (toolchain flake)"
        break
      fi
      echo "FAIL fuzz $pkg $target"; echo "$out" | tail -20
      failed=$((failed + 1))
      break
    done
  done
done < <(grep -rlE '^func Fuzz' --include='*_test.go' internal pkg | sort)
echo "fuzz smoke: $count targets, $failed failed"
[ "$failed" -eq 0 ]
