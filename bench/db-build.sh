#!/bin/sh
# Measures `trawl db build` on synthetic OSV mirrors (bench/osvgen) of
# 100,000 and 500,000 records: wall time, peak RSS and DB size.
#
#   bench/db-build.sh                 # 100k and 500k
#   bench/db-build.sh 20000           # other sizes
#   TRAWL=/path/to/trawl bench/db-build.sh   # another binary
#
# Mirrors and databases go to a temporary folder under ${TMPDIR:-/tmp},
# removed at exit (KEEP=1 keeps it). Needs GNU time (/usr/bin/time -v).
set -eu
cd "$(dirname "$0")/.."
sizes=${*:-100000 500000}
work=$(mktemp -d "${TMPDIR:-/tmp}/trawl-dbbench.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
trawl=${TRAWL:-}
if [ -z "$trawl" ]; then
	trawl=$work/trawl
	go build -o "$trawl" ./cmd/trawl
fi
go build -o "$work/osvgen" ./bench/osvgen
printf '%-8s %-9s %-10s %-12s %-12s %s\n' records zip_MiB wall_s peak_RSS_MiB db_MiB cmd
for n in $sizes; do
	mirror=$work/mirror-$n
	"$work/osvgen" -records "$n" -out "$mirror"
	set --
	for z in "$mirror"/*/all.zip; do set -- "$@" --source "$z"; done
	db=$work/trawl-$n.db
	/usr/bin/time -v -o "$work/time-$n.txt" "$trawl" db build --output "$db" "$@" >"$work/build-$n.log"
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time-$n.txt" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time-$n.txt")
	zip=$(du -cb "$mirror"/*/all.zip | tail -1 | cut -f1)
	printf '%-8s %-9s %-10s %-12s %-12s %s\n' "$n" $((zip / 1048576)) "$wall" $((rss / 1024)) \
		$(($(stat -c %s "$db") / 1048576)) "trawl db build --output $db $(echo "$@" | sed "s#$mirror/##g")"
	rm -rf "$mirror" "$db"
done
