#!/usr/bin/env bash
# Runs every go test -fuzz target for a few seconds (FUZZTIME, default 2s):
# a smoke run that catches a target that no longer builds or a crash the
# fuzzer finds at once. Long fuzzing is done by hand (see docs/usage.md).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-2s}"
failed=0
count=0
while IFS= read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    count=$((count + 1))
    if ! out=$(go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" 2>&1); then
      echo "FAIL fuzz $pkg $target"; echo "$out" | tail -20
      failed=$((failed + 1))
    fi
  done
done < <(grep -rlE '^func Fuzz' --include='*_test.go' internal pkg | sort)
echo "fuzz smoke: $count targets, $failed failed"
[ "$failed" -eq 0 ]
