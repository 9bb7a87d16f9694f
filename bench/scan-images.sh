#!/usr/bin/env bash
# Scans every image of ../shared/corpus/images cold (empty cache) and warm
# (second run, layers from the cache) and prints wall time and peak RSS as
# measured by /usr/bin/time -v. Usage: bash bench/scan-images.sh [extra trawl flags]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -d "$corpus/images" ] || { echo "bench: $corpus/images not found" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl

# A vulnerability DB built from the corpus advisories, so scans match offline.
"$work/trawl" db build --quiet --output "$work/db/trawl.db" \
  --source "$corpus/advisories/go" --source "$corpus/advisories/pypi" \
  --source "$corpus/advisories/rustsec" --source "$corpus/advisories/alpine-secdb" >/dev/null

measure() { # label, args...
  local label=$1; shift
  /usr/bin/time -v "$work/trawl" "$@" -q -f json -o "$work/out.json" 2> "$work/time.txt" || true
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  printf '%-28s %-6s wall %-8s peak RSS %6d MiB\n' "$label" "$run" "$wall" $((rss / 1024))
}

for img in "$corpus"/images/*.tar "$corpus"/images/*.tar.gz "$corpus"/images/*.oci; do
  [ -e "$img" ] || continue
  cache="$work/cache-$(basename "$img")"
  run=cold measure "$(basename "$img")" image --input "$img" --cache-dir "$cache" --db-path "$work/db/trawl.db" --skip-db-update "$@"
  run=warm measure "$(basename "$img")" image --input "$img" --cache-dir "$cache" --db-path "$work/db/trawl.db" --skip-db-update "$@"
done
