package jsonpos

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestLineIndex(t *testing.T) {
	data := []byte("a\nbc\n\nd")
	l := NewLineIndex(data)
	for _, tt := range []struct{ off, want int }{
		{0, 1}, {1, 1}, {2, 2}, {4, 2}, {5, 3}, {6, 4}, {7, 4}, {100, 4},
		{3, 4}, // offsets must not decrease: the last answer stands
	} {
		if got := l.Line(tt.off); got != tt.want {
			t.Errorf("Line(%d) = %d, want %d", tt.off, got, tt.want)
		}
	}
}

type item struct {
	Name string `json:"name"`
}

// lockDoc is a lockfile-like document; line numbers matter.
const lockDoc = `{
  "version": 2,
  "items": [
    {"name": "a"},
    {
      "name": "b"
    }
  ],
  "none": null,
  "extra": {"x": [1, 2]}
}`

// readDoc walks a document the way parsers use a Decoder.
func readDoc(data []byte) (items, none []item, locs []model.Location, keys []string, err error) {
	d := NewDecoder(data)
	if err := d.Object("doc"); err != nil {
		return nil, nil, nil, nil, err
	}
	for d.More() {
		k, err := d.Key()
		if err != nil {
			return nil, nil, nil, nil, err
		}
		keys = append(keys, k)
		switch k {
		case "items":
			if items, locs, err = Array[item](d, "item"); err != nil {
				return nil, nil, nil, nil, err
			}
		case "none":
			if none, _, err = Array[item](d, "item"); err != nil {
				return nil, nil, nil, nil, err
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, nil, nil, nil, err
			}
		}
	}
	return items, none, locs, keys, d.End()
}

func TestDecoder(t *testing.T) {
	items, none, locs, keys, err := readDoc([]byte(lockDoc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]item{{"a"}, {"b"}}, items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]model.Location{{StartLine: 4, EndLine: 4}, {StartLine: 5, EndLine: 7}}, locs); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	if none != nil {
		t.Errorf("null array = %v, want nil", none)
	}
	if diff := cmp.Diff([]string{"version", "items", "none", "extra"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestDecoderLines(t *testing.T) {
	d := NewDecoder([]byte("{\n  \"a\":\n\n  {\"b\": 1\n  }\n}"))
	if err := d.Object("doc"); err != nil {
		t.Fatal(err)
	}
	if k, err := d.Key(); err != nil || k != "a" {
		t.Fatalf("Key() = %q, %v", k, err)
	}
	if got := d.StartLine(); got != 4 {
		t.Errorf("StartLine() = %d, want 4", got)
	}
	if err := d.Skip(); err != nil {
		t.Fatal(err)
	}
	if got := d.EndLine(); got != 5 {
		t.Errorf("EndLine() = %d, want 5", got)
	}
	if got := d.Line(d.Offset()); got != 5 {
		t.Errorf("Line(Offset()) = %d, want 5", got)
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if tok, err := d.Token(); tok != nil || err == nil {
		t.Errorf("Token() past the end = %v, %v; want an error", tok, err)
	}
}

func TestDecoderErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "doc: malformed JSON at byte 0: EOF"},
		{"not an object", `[1]`, "doc: not a JSON object"},
		{"scalar", `1`, "doc: malformed JSON at byte 1: expected an object or array, found 1"},
		{"items not an array", `{"items": {}}`, "malformed JSON at byte 11: expected an array, found {"},
		{"bad element", "{\"items\": [\n{\"name\": 1}]}", "item 1 (line 2): json: cannot unmarshal number into Go struct field item.name of type string"},
		{"truncated array", `{"items": [{"name": "a"}`, "malformed JSON at byte 24: EOF"},
		{"truncated skip", `{"extra": [1, `, "malformed JSON at byte 9: unexpected EOF"},
		{"not closed", `{"version": 1`, "malformed JSON at byte 13: EOF"},
		{"closed by ]", `{"version": 1]`, "malformed JSON at byte 13: invalid character ']' after object key:value pair"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, _, err := readDoc([]byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestKeyAndEndErrors(t *testing.T) {
	d := NewDecoder([]byte(`[1, {}]`))
	if dl, err := d.Delim(); err != nil || dl != '[' {
		t.Fatalf("Delim() = %v, %v", dl, err)
	}
	if _, err := d.Key(); err == nil || !strings.Contains(err.Error(), "expected an object key, found 1") {
		t.Errorf("Key() on a number: %v", err)
	}
	if err := d.End(); err == nil || err.Error() != "malformed JSON at byte 5: expected '}'" {
		t.Errorf("End() on '{': %v", err)
	}
}

// FuzzDecoder checks that reading never panics, that Array's locations are
// well formed and in order, and that LineIndex agrees with counting
// newlines.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte(lockDoc))
	f.Add([]byte(`{"items": null}`))
	f.Add([]byte("{\"items\": [{}, {\"name\": \"x\"}\n,\n{}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, _, locs, _, err := readDoc(data)
		if err != nil {
			return
		}
		if len(locs) != len(items) {
			t.Fatalf("%d items, %d locations", len(items), len(locs))
		}
		last := 1
		for i, l := range locs {
			if l.StartLine < last || l.EndLine < l.StartLine {
				t.Fatalf("location %d: %+v after line %d", i, l, last)
			}
			last = l.EndLine
		}
		idx := NewLineIndex(data)
		for off := 0; off <= len(data); off += 1 + off/8 {
			if got, want := idx.Line(off), 1+bytes.Count(data[:off], []byte{'\n'}); got != want {
				t.Fatalf("Line(%d) = %d, want %d", off, got, want)
			}
		}
	})
}
