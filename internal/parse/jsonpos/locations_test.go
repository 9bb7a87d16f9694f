package jsonpos

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

const doc = `{
  "version": 1,
  "dependencies": {
    "net5.0": {
      "A": {
        "resolved": "1"
      },
      "B": {"resolved": "2"}
    },
    "list": [1, {"x": 2}],
    "net6.0": {
      "C": {
        "resolved": "3"
      }
    }
  }
}`

func TestLocations(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		path    []string
		want    string
		wantErr bool
	}{
		{name: "wildcard", in: doc, path: []string{"dependencies", "*"}, want: "net5.0|A 5-7,net5.0|B 8-8,net6.0|C 12-14"},
		{name: "fixed", in: doc, path: []string{"dependencies"}, want: "list 10-10,net5.0 4-9,net6.0 11-15"},
		{name: "missing", in: doc, path: []string{"nope"}, want: ""},
		{name: "not object", in: `[1]`, wantErr: true},
		{name: "truncated", in: doc[:60], path: []string{"dependencies", "*"}, wantErr: true},
		{name: "empty", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locs, err := Locations([]byte(tt.in), tt.path...)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for k, l := range locs {
				got = append(got, fmt.Sprintf("%s %d-%d", strings.ReplaceAll(k, Sep, "|"), l.StartLine, l.EndLine))
			}
			sort.Strings(got)
			if s := strings.Join(got, ","); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func FuzzLocations(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"a":{"b":[{"c":1}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		locs, err := Locations(b, "dependencies", "*")
		if err != nil {
			return
		}
		for k, l := range locs {
			if l.StartLine < 1 || l.EndLine < l.StartLine {
				t.Fatalf("%q: bad location %+v", k, l)
			}
		}
	})
}
