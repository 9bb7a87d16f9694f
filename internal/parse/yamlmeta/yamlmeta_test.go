package yamlmeta

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecode(t *testing.T) {
	in := "# c\na: 1\nb:\n  c: [x, {d: true}]\n  e: |\n    one\n    two\n---\n---\n- 2\n"
	docs, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Document{
		{Value: map[string]any{
			"a": 1,
			"b": map[string]any{
				"c": []any{"x", map[string]any{"d": true, MetadataKey: map[string]any{"startline": 4, "endline": 4}}},
				"e": "one\ntwo\n", MetadataKey: map[string]any{"startline": 4, "endline": 7},
			},
			MetadataKey: map[string]any{"startline": 2, "endline": 7},
		}, StartLine: 2, EndLine: 7},
		{Value: []any{2}, StartLine: 10, EndLine: 10},
	}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s, e := Lines(docs[0].Value); s != 2 || e != 7 {
		t.Errorf("Lines = %d, %d", s, e)
	}
}

// billionLaughs is the classic bomb: levels of anchors each referring ten
// times to the previous one (10^levels values once expanded), a few
// hundred bytes of text.
func billionLaughs(levels int, mapping bool) string {
	var b strings.Builder
	if mapping {
		b.WriteString("a0: &a0 {k: v, l: w}\n")
	} else {
		b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	}
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// TestLimits: bombs, deep nesting and too many documents are errors
// wrapping ErrLimit; a billion-laughs document is refused with bounded
// memory (measured as bytes allocated, not time: 21 MiB for the mapping
// bomb, 171 MiB with the node cap alone).
func TestLimits(t *testing.T) {
	var manyDocs strings.Builder
	for range MaxDocuments + 1 {
		manyDocs.WriteString("a: 1\n---\n")
	}
	for _, tt := range []struct{ name, in string }{
		{"billion laughs (sequences)", billionLaughs(10, false)},
		{"billion laughs (mappings)", billionLaughs(10, true)},
		{"alias expansion just over the cap", billionLaughs(7, false)}, // 10^7 values
		{"deep flow nesting", "x: " + strings.Repeat("[", MaxDepth+10) + strings.Repeat("]", MaxDepth+10)},
		{"deep block nesting", deepBlock(MaxDepth + 10)},
		{"deep nesting through aliases", "a: &a " + strings.Repeat("[", MaxDepth-5) + strings.Repeat("]", MaxDepth-5) + "\nb: [[[[[[[[[[[*a]]]]]]]]]]]\n"},
		{"too many documents", manyDocs.String()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Decode([]byte(tt.in))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("err = %v, want ErrLimit", err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
				t.Errorf("allocated %d MiB refusing it", got>>20)
			}
		})
	}
}

func deepBlock(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

// TestYAMLDepthLimit: nesting far past MaxDepth (100,000 levels, where an
// unbounded recursive decoder would exhaust the goroutine stack) is a YAML
// error from the parser's own limit, not a crash.
func TestYAMLDepthLimit(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		strings.Repeat("{a: ", 100000) + "1" + strings.Repeat("}", 100000),
		deepBlock(20000),
	} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("%.20q…: no error", in)
		}
	}
}

// TestAnchorsWithinCaps: ordinary anchors and merge keys (a Compose file's
// x-defaults merged into each service) decode.
func TestAnchorsWithinCaps(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-defaults: &d\n  restart: always\n  environment: {A: 1, B: 2}\nservices:\n")
	for i := range 500 {
		fmt.Fprintf(&b, "  s%d:\n    <<: *d\n    image: app:%d\n", i, i)
	}
	docs, err := Decode([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	s := docs[0].Value.(map[string]any)["services"].(map[string]any)["s7"].(map[string]any)
	if s["restart"] != "always" || s["image"] != "app:7" {
		t.Errorf("s7 = %v", s)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
		"a: &a [x, *a]\n",
		"x: |\n  a\n  b\n---\n- <<: {a: 1}\n",
		"{\"a\": [1, 2, {\"b\": null}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Decode(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, d := range docs {
			if d.StartLine < 1 || d.EndLine < d.StartLine || d.EndLine > lines {
				t.Fatalf("lines %d-%d out of 1-%d", d.StartLine, d.EndLine, lines)
			}
		}
	})
}
