#!/usr/bin/env bash
# Cost of --license-full: the Debian corpus image and a generated tree of
# 10,000 files (1,000 licence files among them), cold cache, each run with
# and without classification. Usage: bash bench/licensefull.sh [IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
img=${1:-../shared/corpus/images/debian12-app.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl
# The tree: 100 directories of 100 files; every tenth file a LICENSE taken
# in turn from the embedded licence texts, the others 4 KB of source text.
texts=(internal/license/texts/*.txt)
for d in $(seq 1 100); do
  mkdir -p "$work/tree/pkg$d"
  for f in $(seq 1 100); do
    if (( f % 10 == 0 )); then
      cp "${texts[$(( (d * 100 + f) % ${#texts[@]} ))]}" "$work/tree/pkg$d/LICENSE-$f"
    else
      head -c 4096 internal/license/classify.go > "$work/tree/pkg$d/file$f.go"
    fi
  done
done
run() {
  local name=$1; shift
  rm -rf "$work/cache"
  /usr/bin/time -f "$name: %e s wall, %M KiB peak RSS" "$work/trawl" "$@" --scanners license \
    --cache-dir "$work/cache" -q -f json -o "$work/out.json"
  python3 -c "import json,sys; r=json.load(open('$work/out.json')); print('  licence-file findings:', sum(len(x.get('Licenses') or []) for x in r.get('Results') or [] if x.get('Class')=='license-file'))"
}
run "image" image --input "$img"
run "image --license-full" image --input "$img" --license-full
run "tree" fs "$work/tree"
run "tree --license-full" fs "$work/tree" --license-full
