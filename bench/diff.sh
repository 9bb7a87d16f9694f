#!/usr/bin/env bash
# Measures trawl diff on two generated similar images (bench/imagegen) at
# two sizes, with /usr/bin/time -v: wall time and peak RSS. Peak RSS must
# stay flat as the images grow. Usage: bash bench/diff.sh [files-small files-large]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
small=${1:-50000}
large=${2:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl
for n in "$small" "$large"; do
  go run ./bench/imagegen -files "$n" -size 6000 -out "$work/img"
  bytes=$(( $(stat -c %s "$work/img/old.tar") + $(stat -c %s "$work/img/new.tar") ))
  rm -rf "$work/cache"
  /usr/bin/time -v "$work/trawl" diff --cache-dir "$work/cache" -q -f json -o "$work/diff.json" \
    "$work/img/old.tar" "$work/img/new.tar" 2> "$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  changes=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); f=r['Files']; print(len(f.get('Added',[])), len(f.get('Removed',[])), len(f.get('Changed',[])))" "$work/diff.json")
  printf 'files %7d  images %5d MiB  wall %-8s peak RSS %5d MiB  added/removed/changed %s\n' \
    "$n" $((bytes / 1048576)) "$wall" $((rss / 1024)) "$changes"
  rm -rf "$work/img"
done
