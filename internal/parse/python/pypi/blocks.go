package pypi

import (
	"bufio"
	"bytes"

	"github.com/trawlsec/trawl/pkg/model"
)

// PackageBlocks returns the line range of each [[package]] array-of-tables
// entry of a TOML lockfile (poetry.lock, uv.lock), in file order. An entry
// runs from its [[package]] header through its [package.*] sub-tables, up to
// its last non-blank, non-comment line. It is a line scan, not a TOML
// parser: callers check that the count matches the decoded entries and
// drop the locations otherwise.
func PackageBlocks(data []byte) []model.Location {
	var (
		out  []model.Location
		open bool
		last int
		n    int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		switch {
		case bytes.Equal(line, []byte("[[package]]")):
			if open {
				out[len(out)-1].EndLine = last
			}
			out = append(out, model.Location{StartLine: n})
			open, last = true, n
		case bytes.HasPrefix(line, []byte("[")) && !bytes.HasPrefix(line, []byte("[package.")) && !bytes.HasPrefix(line, []byte("[[package.")):
			if open {
				out[len(out)-1].EndLine = last
				open = false
			}
		case len(line) > 0 && line[0] != '#':
			last = n
		}
	}
	if open {
		out[len(out)-1].EndLine = last
	}
	if sc.Err() != nil {
		return nil
	}
	return out
}
