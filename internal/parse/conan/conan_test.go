package conan

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const v1 = `{
 "graph_lock": {
  "nodes": {
   "0": {
    "requires": ["1", "3"],
    "build_requires": ["4"],
    "path": "conanfile.txt"
   },
   "1": {
    "ref": "pkga/0.0.1",
    "requires": ["2"]
   },
   "2": {"ref": "pkgb/system"},
   "3": {
    "ref": "pkgc/0.1.1@user/testing#4d670581ccb765839f2239cc8dff8fbd"
   },
   "4": {"ref": "cmake/3.27.0"},
   "5": {"ref": "wrong/ref/format"}
  }
 },
 "version": "0.4"
}`

const v2 = `{
    "version": "0.5",
    "requires": [
        "sound32/1.0#83d4b7bf607b3b60a6546f8b58b5cdd7%1675278904.0791488",
        "matrix/1.3#905c3f0babc520684c84127378fefdd0%1675278900.0103245",
        "bad"
    ],
    "build_requires": ["automake/1.16.5#058bda3e21c36c9aa8425daf3c1faf50%1701120593.68"],
    "python_requires": []
}`

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		warnings int
		wantErr  bool
	}{
		{name: "v1", in: v1, warnings: 1, want: []string{
			"cmake@3.27.0 indirect true [] [{17 17}]",
			"pkga@0.0.1 direct false [pkgb@system] [{9 12}]",
			"pkgb@system indirect false [] [{13 13}]",
			"pkgc@0.1.1 direct false [] [{14 16}]",
		}},
		{name: "v2", in: v2, warnings: 1, want: []string{
			"automake@1.16.5  true [] []",
			"matrix@1.3  false [] []",
			"sound32@1.0  false [] []",
		}},
		{name: "v1 empty", in: `{"graph_lock": {"nodes": {"0": {"path": "conanfile.txt"}}}, "version": "0.4"}`},
		{name: "invalid", in: `{"graph_lock": {"nodes": [`, wantErr: true},
		{name: "wrong type", in: `{"requires": "x"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(context.Background(), []byte(tt.in))
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
			for _, p := range res.Packages {
				got = append(got, fmt.Sprintf("%s %s %v %v %v", p.ID, p.Relationship, p.Dev, p.DependsOn, p.Locations))
				if p.Ecosystem != Ecosystem || p.ID != p.Name+"@"+p.Version {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", res.Warnings, tt.warnings)
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	for ref, want := range map[string]string{
		"zlib/1.2.13":                    "zlib 1.2.13",
		"pkgc/0.1.1@user/testing#abc":    "pkgc 0.1.1",
		"sound32/1.0#83d4%1675278904.07": "sound32 1.0",
		"openssl/3.0.0@":                 "openssl 3.0.0",
		"wrong/ref/format":               "",
		"noversion":                      "",
		"/1.0":                           "",
	} {
		n, v, ok := ParseRef(ref)
		got := ""
		if ok {
			got = n + " " + v
		}
		if got != want {
			t.Errorf("ParseRef(%q) = %q, want %q", ref, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(v1))
	f.Add([]byte(v2))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range res.Packages {
			if p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
