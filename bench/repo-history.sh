#!/usr/bin/env bash
# Measures trawl repo --scan-history on a generated repository
# (bench/repogen, imported with git fast-import) with /usr/bin/time -v:
# wall time and peak RSS, and the number of secrets found. Usage:
# bash bench/repo-history.sh [commits]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
command -v git >/dev/null || { echo "bench: git missing" >&2; exit 1; }
commits=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl
git init -q -b main "$work/repo"
go run ./bench/repogen -commits "$commits" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" checkout -q main
for mode in head history; do
  flags=()
  [ "$mode" = history ] && flags=(--scan-history)
  /usr/bin/time -v "$work/trawl" repo --cache-dir "$work/cache" -q --scanners secret -f json -o "$work/out.json" \
    "${flags[@]}" "$work/repo" 2> "$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f s", s}' "$work/time.txt")
  found=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(len(x.get('Secrets') or []) for x in r.get('Results') or []))" "$work/out.json")
  printf 'commits %6d  %-7s  wall %-8s cpu %-8s peak RSS %5d MiB  secrets %s  load %s\n' "$commits" "$mode" "$wall" "$cpu" $((rss / 1024)) "$found" "$(cut -d' ' -f1 /proc/loadavg)"
done
