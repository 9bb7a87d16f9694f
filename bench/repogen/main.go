// Command repogen writes a git fast-import stream of a synthetic history
// for benchmarking trawl repo --scan-history: -commits commits over
// -files text files of about -lines lines each, each commit changing three
// files; every -secret-every commits one file gets a made-up AWS key that
// the commit -secret-life later removes. Usage:
//
//	git init -q repo && go run ./bench/repogen -commits 10000 | git -C repo fast-import --quiet
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	commits := flag.Int("commits", 10000, "number of commits")
	files := flag.Int("files", 500, "number of files")
	lines := flag.Int("lines", 60, "lines per file")
	every := flag.Int("secret-every", 500, "add a secret every N commits (0: never)")
	life := flag.Int("secret-life", 100, "commits after which an added secret is removed")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()

	content := make([][]string, *files)
	for f := range content {
		content[f] = make([]string, *lines)
		for i := range content[f] {
			content[f][i] = fmt.Sprintf("setting_%d_%d = value %d", f, i, i*7+f)
		}
	}
	path := func(f int) string { return fmt.Sprintf("src/dir%02d/file%04d.conf", f%20, f) }
	// secretAt[c] is the file that gets a secret at commit c; removeAt[c]
	// the file whose secret commit c removes.
	type slot struct{ file, line int }
	added := map[int]slot{}
	const t0 = 1700000000
	for c := 0; c < *commits; c++ {
		changed := map[int]bool{}
		if c == 0 {
			for f := range content {
				changed[f] = true
			}
		} else {
			for k := 0; k < 3; k++ {
				f := (c*7 + k*131) % *files
				l := (c*13 + k) % *lines
				content[f][l] = fmt.Sprintf("setting_%d_%d = value rev %d", f, l, c)
				changed[f] = true
			}
		}
		if *every > 0 && c > 0 && c%*every == 0 {
			f := (c / *every * 37) % *files
			l := *lines / 2
			// A made-up key ID in AWS's format, different for each commit.
			content[f][l] = fmt.Sprintf("aws_access_key_id = AKIA%016X", uint64(c)*0x9E3779B97F4A7C15>>4|1<<60)
			changed[f] = true
			added[c+*life] = slot{f, l}
		}
		if s, ok := added[c]; ok {
			content[s.file][s.line] = fmt.Sprintf("setting_%d_%d = rotated at %d", s.file, s.line, c)
			changed[s.file] = true
			delete(added, c)
		}
		msg := fmt.Sprintf("commit %d\n", c)
		ts := t0 + c*60
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", c+1)
		fmt.Fprintf(w, "author Dev <dev@example.com> %d +0000\ncommitter Dev <dev@example.com> %d +0000\n", ts, ts)
		fmt.Fprintf(w, "data %d\n%s", len(msg), msg)
		if c > 0 {
			fmt.Fprintf(w, "from :%d\n", c)
		}
		for f := range content {
			if !changed[f] {
				continue
			}
			body := strings.Join(content[f], "\n") + "\n"
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", path(f), len(body), body)
		}
	}
}
