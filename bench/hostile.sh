#!/usr/bin/env bash
# Hostile inputs of issue 11, measured: a layer of millions of empty
# entries, and a file of millions of "password=" lines. Prints wall time,
# peak RSS and the exit status of each scan.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl
go run ./bench/hostilegen entries 1000000 "$work/entries-1m.tar"
go run ./bench/hostilegen entries 3000000 "$work/entries-3m.tar"
go run ./bench/hostilegen secrets 2000000 "$work/secrets"
measure() {
  echo "== $*"
  /usr/bin/time -v "$work/trawl" "$@" --cache-dir "$work/cache" --quiet -f json -o /dev/null 2>&1 \
    | grep -E "Elapsed|Maximum resident|Exit status|error" || true
}
measure image --input "$work/entries-1m.tar" --scanners secret
measure image --input "$work/entries-3m.tar" --scanners secret
measure fs --scanners secret --timeout 20s "$work/secrets"
