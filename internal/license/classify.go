package license

import (
	"embed"
	"fmt"
	"hash/fnv"
	"path"
	"slices"
	"strings"
)

// The licence texts the file classifier knows (texts/README.md).
//
//go:embed texts/*.txt
var textFS embed.FS

// shingle is the number of consecutive words a fingerprint covers.
const shingle = 3

// MaxClassifiedSize bounds the text the classifier reads; licence files
// are far smaller (the GPL-3.0 is 35 KB).
const MaxClassifiedSize = 256 << 10

// FileMatch is a licence found in a text.
type FileMatch struct {
	// Name is the licence's SPDX identifier (Trivy's names for the GNU
	// licences: GPL-3.0, LGPL-2.1, AGPL-3.0).
	Name string
	// Confidence is the share of the licence's text found, 0 to 1.
	Confidence float64
}

// FileClassifier finds licence texts in files: each known licence is a set
// of word 3-grams of its normalised text, and a file matches a licence by
// the share of that set it contains. Build it once per scan; it is safe for
// concurrent use.
//
// This is a bounded stand-in for github.com/google/licenseclassifier/v2
// (not an approved dependency here): whole-text similarity without its
// per-range matching, so a licence quoted inside a longer file is found
// but not located.
type FileClassifier struct {
	names []string
	sizes []int            // distinct shingles per licence
	index map[uint64][]int // shingle → licences that have it
	// overlap[i] lists the licences sharing at least half of the smaller
	// one's shingles with licence i (BSD-2-Clause inside BSD-3-Clause,
	// GPL-3.0 and AGPL-3.0): of two such matches only one is kept.
	overlap [][]int
}

// NewFileClassifier builds the classifier from the embedded texts.
func NewFileClassifier() (*FileClassifier, error) {
	entries, err := textFS.ReadDir("texts")
	if err != nil {
		return nil, fmt.Errorf("licence texts: %w", err)
	}
	c := &FileClassifier{index: map[uint64][]int{}}
	var sets []map[uint64]bool
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".txt")
		if !ok {
			continue
		}
		b, err := textFS.ReadFile(path.Join("texts", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("licence text %s: %w", e.Name(), err)
		}
		set := shingles(string(b))
		if len(set) == 0 {
			return nil, fmt.Errorf("licence text %s: no words", e.Name())
		}
		i := len(c.names)
		c.names = append(c.names, name)
		c.sizes = append(c.sizes, len(set))
		for h := range set {
			c.index[h] = append(c.index[h], i)
		}
		sets = append(sets, set)
	}
	c.overlap = make([][]int, len(sets))
	for i := range sets {
		for j := i + 1; j < len(sets); j++ {
			small, large := sets[i], sets[j]
			if len(small) > len(large) {
				small, large = large, small
			}
			common := 0
			for h := range small {
				if large[h] {
					common++
				}
			}
			if 2*common >= len(small) {
				c.overlap[i] = append(c.overlap[i], j)
				c.overlap[j] = append(c.overlap[j], i)
			}
		}
	}
	return c, nil
}

// Classify returns the licences whose text the content holds with at
// least the given confidence, most confident first. Of overlapping
// licences only the one most similar to the whole text is kept.
func (c *FileClassifier) Classify(content []byte, threshold float64) []FileMatch {
	if len(content) > MaxClassifiedSize {
		content = content[:MaxClassifiedSize]
	}
	counts := make([]int, len(c.names))
	fileShingles := shingles(string(content))
	for h := range fileShingles {
		for _, i := range c.index[h] {
			counts[i]++
		}
	}
	var cands []int
	for i, n := range counts {
		if n > 0 && float64(n)/float64(c.sizes[i]) >= threshold {
			cands = append(cands, i)
		}
	}
	// similarity is the Jaccard index of the file's and the licence's
	// shingles: of two overlapping licences, the one closer to the whole
	// file wins (BSD-3-Clause with a named holder over BSD-2-Clause, whose
	// text it holds entire; Apache-2.0 over ECL-2.0, which rewords it).
	similarity := func(i int) float64 {
		return float64(counts[i]) / float64(c.sizes[i]+len(fileShingles)-counts[i])
	}
	var out []FileMatch
	for _, i := range cands {
		beaten := slices.ContainsFunc(cands, func(j int) bool {
			if j == i || !slices.Contains(c.overlap[i], j) {
				return false
			}
			si, sj := similarity(i), similarity(j)
			return sj > si || sj == si && c.sizes[j] > c.sizes[i]
		})
		if !beaten {
			conf := float64(counts[i]) / float64(c.sizes[i])
			out = append(out, FileMatch{Name: c.names[i], Confidence: float64(int(conf*1000+0.5)) / 1000})
		}
	}
	slices.SortFunc(out, func(a, b FileMatch) int {
		if a.Confidence != b.Confidence {
			if a.Confidence > b.Confidence {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// Link is the SPDX licence list page of a licence identifier.
func Link(id string) string { return "https://spdx.org/licenses/" + id + ".html" }

// copyrightLine reports whether a line starting with "copyright" or "(c)"
// is a copyright statement (a year, a (c) or ©, a <year> placeholder), not
// a wrapped sentence that happens to start with the word ("copyright
// notice and this permission notice appear in all copies").
func copyrightLine(line string) bool {
	return strings.ContainsAny(line, "0123456789©") || strings.Contains(line, "(c)") || strings.Contains(line, "year")
}

// shingles returns the hashes of the text's word 3-grams after
// normalisation: lower case, letters and digits only, "licence" spelt
// "license", copyright statements (which name holders and years) dropped.
func shingles(text string) map[uint64]bool {
	var words []string
	for _, line := range strings.Split(strings.ToLower(text), "\n") {
		fields := strings.FieldsFunc(line, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f && r != 0xa0)
		})
		if len(fields) > 0 && (fields[0] == "copyright" || fields[0] == "c") && copyrightLine(line) {
			continue
		}
		for _, w := range fields {
			switch w {
			case "licence":
				w = "license"
			case "licences":
				w = "licenses"
			}
			words = append(words, w)
		}
	}
	set := map[uint64]bool{}
	h := fnv.New64a()
	for i := 0; i+shingle <= len(words); i++ {
		h.Reset()
		for _, w := range words[i : i+shingle] {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		set[h.Sum64()] = true
	}
	return set
}
