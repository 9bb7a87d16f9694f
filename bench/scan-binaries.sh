#!/usr/bin/env bash
# Scans a folder of 200 synthetic jars (about 20 of them wars with two
# nested jars each, written by bench/jargen) and 50 small Go binaries
# (a stdlib-only module built offline with -ldflags "-X main.version=vN")
# with `trawl fs --scanners vuln`, and prints wall time and peak RSS as
# measured by /usr/bin/time -v and the number of packages found.
# Usage: bash bench/scan-binaries.sh [jars] [binaries]
set -euo pipefail
cd "$(dirname "$0")/.."
njars=${1:-200}
nbins=${2:-50}
corpus=../shared/corpus
[ -d "$corpus/advisories" ] || { echo "bench: $corpus/advisories not found" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/trawl" ./cmd/trawl

# A vulnerability DB built from the corpus advisories, so the scan matches offline.
"$work/trawl" db build --quiet --output "$work/db/trawl.db" \
  --source "$corpus/advisories/go" --source "$corpus/advisories/pypi" \
  --source "$corpus/advisories/rustsec" --source "$corpus/advisories/alpine-secdb" >/dev/null

target="$work/target"
mkdir -p "$target/jars" "$target/bin"
go run ./bench/jargen -n "$njars" -o "$target/jars"

# A module with no dependencies, built offline: nothing but the standard
# library from GOROOT and the build cache.
mod="$work/gomod"
mkdir -p "$mod"
cat > "$mod/go.mod" <<'GOMOD'
module example.com/benchapp

go 1.22
GOMOD
cat > "$mod/main.go" <<'GOSRC'
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
)

var version = "dev"

func main() {
	u, _ := url.Parse("https://example.com/?v=" + version)
	_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"version": version, "url": u.String()})
	fmt.Println(version)
}
GOSRC
for i in $(seq 1 "$nbins"); do
  (cd "$mod" && GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
    go build -o "$target/bin/app$i" -ldflags "-X main.version=v1.$i.0")
done

echo "load: $(uptime)"
echo "target: $(find "$target" -type f | wc -l) files, $(du -sh "$target" | cut -f1)"
/usr/bin/time -v "$work/trawl" fs --scanners vuln --skip-db-update --db-path "$work/db/trawl.db" \
  -q "$target" -f json -o "$work/out.json" 2> "$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
cpu_user=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
cpu_sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")
printf 'wall %s  user %ss  sys %ss  peak RSS %d MiB\n' "$wall" "$cpu_user" "$cpu_sys" $((rss / 1024))
python3 - "$work/out.json" <<'PY'
import json, sys, collections
doc = json.load(open(sys.argv[1]))
per_type = collections.Counter()
targets = 0
for r in doc.get("Results") or []:
    n = len(r.get("Packages") or [])
    if n:
        targets += 1
        per_type[r.get("Type", "?")] += n
print("packages: %d in %d results (%s)" % (sum(per_type.values()), targets,
      ", ".join("%s %d" % kv for kv in sorted(per_type.items()))))
vulns = sum(len(r.get("Vulnerabilities") or []) for r in doc.get("Results") or [])
print("vulnerabilities:", vulns)
PY
