#!/usr/bin/env bash
# Measures the misconfiguration and forensics scanners:
#  1. trawl config over generated trees of 1,000 and 10,000 Dockerfiles and
#     Kubernetes manifests (bench/iacgen): wall time, peak RSS, per file;
#  2. the cost --scanners misconfig (files in the image and the image
#     config) and --scanners forensics add to a cold scan of the corpus
#     Debian image.
# Usage: bash bench/config-scan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl

measure() { # label, files (0: none), args...
  local label=$1 files=$2; shift 2
  /usr/bin/time -v "$work/trawl" "$@" -q -f json -o "$work/out.json" 2> "$work/time.txt" || true
  local wall rss secs
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  if [ "$files" -gt 0 ]; then
    printf '%-34s wall %-8s peak RSS %5d MiB  %.2f ms/file  report %d MiB\n' "$label" "$wall" $((rss / 1024)) \
      "$(echo "$secs $files" | awk '{print $1*1000/$2}')" $(( $(stat -c %s "$work/out.json") / 1048576 ))
  else
    printf '%-34s wall %-8s peak RSS %5d MiB\n' "$label" "$wall" $((rss / 1024))
  fi
}

for n in 1000 10000; do
  go run ./bench/iacgen -out "$work/iac$n" -files "$n" >/dev/null
  measure "trawl config, $n files" "$n" config --cache-dir "$work/cache" "$work/iac$n"
done

img=../shared/corpus/images/debian12-app.tar
if [ -e "$img" ]; then
  corpus=../shared/corpus
  "$work/trawl" db build --quiet --output "$work/db/trawl.db" \
    --source "$corpus/advisories/go" --source "$corpus/advisories/pypi" \
    --source "$corpus/advisories/rustsec" --source "$corpus/advisories/alpine-secdb" >/dev/null
  db=(--db-path "$work/db/trawl.db" --skip-db-update)
  for i in 1 2 3; do
    measure "image vuln,secret (cold)" 0 image --input "$img" --cache-dir "$work/c$i-a" "${db[@]}" --scanners vuln,secret
    measure "image +misconfig (cold)" 0 image --input "$img" --cache-dir "$work/c$i-b" "${db[@]}" --scanners vuln,secret,misconfig --image-config-scanners secret,misconfig
    measure "image +forensics (cold)" 0 image --input "$img" --cache-dir "$work/c$i-c" "${db[@]}" --scanners vuln,secret,forensics
    measure "image docker-cis-1.6.0 (cold)" 0 image --input "$img" --cache-dir "$work/c$i-d" "${db[@]}" --compliance docker-cis-1.6.0
  done
fi
