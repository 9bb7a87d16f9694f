package license

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func text(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("texts/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestClassifyFiles: licence files as projects write them (holders filled
// in, re-wrapped, markdown) are recognised; of overlapping licences the one
// the file holds wins; text that is no licence matches nothing.
func TestClassifyFiles(t *testing.T) {
	c, err := NewFileClassifier()
	if err != nil {
		t.Fatal(err)
	}
	mit := strings.ReplaceAll(text(t, "MIT"), "<year> <copyright holders>", "2019 Jane Doe")
	bsd3 := strings.ReplaceAll(text(t, "BSD-3-Clause"), "the copyright holder", "Acme Corp.")
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{"MIT with holder", mit, []string{"MIT"}},
		{"MIT re-wrapped as markdown", "# License\n\n" + strings.Join(strings.Fields(mit), " ") + "\n", []string{"MIT"}},
		{"BSD-3-Clause, not BSD-2-Clause", bsd3, []string{"BSD-3-Clause"}},
		{"BSD-2-Clause", text(t, "BSD-2-Clause"), []string{"BSD-2-Clause"}},
		{"GPL-3.0, not AGPL-3.0", text(t, "GPL-3.0"), []string{"GPL-3.0"}},
		{"AGPL-3.0, not GPL-3.0", text(t, "AGPL-3.0"), []string{"AGPL-3.0"}},
		{"X11, not MIT", text(t, "X11"), []string{"X11"}},
		{"Apache-2.0", "Copyright 2020 Example Inc.\n\n" + text(t, "Apache-2.0"), []string{"Apache-2.0"}},
		{"LGPL-2.1", text(t, "LGPL-2.1"), []string{"LGPL-2.1"}},
		// ECL-2.0 rewords Apache-2.0 and holds most of it.
		{"Apache-2.0, not ECL-2.0", strings.ReplaceAll(text(t, "Apache-2.0"), "[yyyy] [name of copyright owner]", "2015 D2L Corporation"), []string{"Apache-2.0"}},
		{"ECL-2.0, not Apache-2.0", text(t, "ECL-2.0"), []string{"ECL-2.0"}},
		// As npm packages write it ("THE AUTHOR"), not 0BSD, the same
		// text without the notice clause.
		{"ISC", "The ISC License\n\nCopyright (c) Isaac Z. Schlueter and Contributors\n\n" +
			"Permission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\n" +
			"copyright notice and this permission notice appear in all copies.\n\n" +
			"THE SOFTWARE IS PROVIDED \"AS IS\" AND THE AUTHOR DISCLAIMS ALL WARRANTIES\nWITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF\n" +
			"MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\nANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES\n" +
			"WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN\nACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR\n" +
			"IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.\n", []string{"ISC"}},
		{"0BSD", text(t, "0BSD"), []string{"0BSD"}},
		{"British spelling", strings.ReplaceAll(text(t, "ISC"), "license", "licence"), []string{"ISC"}},
		// Half of the MIT text is below the threshold.
		{"half a licence", mit[:len(mit)/2], nil},
		{"no licence", "This project is great. See the docs for how to install it.\n", nil},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range c.Classify([]byte(tc.content), 0.9) {
				got = append(got, m.Name)
				if m.Confidence < 0.9 || m.Confidence > 1 {
					t.Errorf("%s confidence %v", m.Name, m.Confidence)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Classify (-want +got):\n%s", diff)
			}
		})
	}
}

// TestClassifyEveryText: each embedded text classifies as itself alone,
// with confidence 1, so no two texts shadow each other.
func TestClassifyEveryText(t *testing.T) {
	c, err := NewFileClassifier()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range c.names {
		got := c.Classify([]byte(text(t, name)), 0.9)
		if len(got) != 1 || got[0].Name != name || got[0].Confidence != 1 {
			t.Errorf("%s classifies as %+v", name, got)
		}
	}
}

// TestClassifyThreshold: a lower confidence level admits a partial text.
func TestClassifyThreshold(t *testing.T) {
	c, err := NewFileClassifier()
	if err != nil {
		t.Fatal(err)
	}
	part := text(t, "Apache-2.0")
	part = part[:len(part)*3/4]
	if got := c.Classify([]byte(part), 0.9); len(got) != 0 {
		t.Errorf("3/4 of Apache-2.0 at 0.9: %+v", got)
	}
	if got := c.Classify([]byte(part), 0.5); len(got) != 1 || got[0].Name != "Apache-2.0" {
		t.Errorf("3/4 of Apache-2.0 at 0.5: %+v", got)
	}
}

func BenchmarkNewFileClassifier(b *testing.B) {
	for b.Loop() {
		if _, err := NewFileClassifier(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	c, err := NewFileClassifier()
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"MIT", "Apache-2.0", "GPL-3.0"} {
		content, err := os.ReadFile("texts/" + name + ".txt")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(content)))
			for b.Loop() {
				c.Classify(content, 0.9)
			}
		})
	}
}
