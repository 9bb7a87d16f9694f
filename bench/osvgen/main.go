// Command osvgen writes a synthetic OSV mirror shaped like the public OSV
// feed, for benchmarking `trawl db build` at real-world size:
//
//	go run ./bench/osvgen -records 100000 -out /tmp/osv-mirror
//
// See package mirror for what the records look like.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/trawlsec/trawl/bench/osvgen/mirror"
)

func main() {
	records := flag.Int("records", 100000, "number of records over all ecosystems")
	out := flag.String("out", "", "output folder (required)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" || *records <= 0 {
		fmt.Fprintln(os.Stderr, "osvgen: give -out DIR and -records N > 0")
		os.Exit(2)
	}
	if err := mirror.Write(*out, *records, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "osvgen:", err)
		os.Exit(1)
	}
}
