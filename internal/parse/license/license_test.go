package license

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := map[string][]string{
		"MIT":                                 {"MIT"},
		"GPL-3.0-only WITH GCC-exception-3.1": {"GPL-3.0-only WITH GCC-exception-3.1"},
		"BSD-3-Clause and MIT":                {"BSD-3-Clause", "MIT"},
		"LGPL-2.1, Apache-2.0 or MIT":         {"LGPL-2.1", "Apache-2.0", "MIT"},
		"":                                    nil,
		"MIT or BSD-2-Clause":                 {"MIT", "BSD-2-Clause"},
		"MIT, Apache-2.0":                     {"MIT", "Apache-2.0"},
		"LGPL-2.1_and_GPL-3.0":                {"LGPL-2.1", "GPL-3.0"},
		"(LGPL-2.1-only or GPL-3.0+)":         {"(LGPL-2.1-only", "GPL-3.0+)"},
		"Oracle Corporation":                  {"Oracle Corporation"},
		"Orange and":                          {"Orange and"},
		"  ":                                  nil,
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, Split(in)); diff != "" {
			t.Errorf("Split(%q) mismatch (-want +got):\n%s", in, diff)
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("MIT or BSD-2-Clause, Apache-2.0")
	f.Add("LGPL-2.1_and_GPL-3.0")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range Split(s) {
			if l == "" || l != strings.TrimSpace(l) {
				t.Fatalf("Split(%q) gave %q", s, l)
			}
		}
	})
}
