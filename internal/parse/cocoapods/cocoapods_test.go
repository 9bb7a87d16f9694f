package cocoapods

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version, rel string, s, e int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "CocoaPods",
			Relationship: rel, Locations: []model.Location{{StartLine: s, EndLine: e}}}
		if len(deps) > 0 {
			p.DependsOn = deps
		}
		return p
	}
	src := func(p model.Package, repo string) model.Package {
		p.SrcName, p.SrcVersion = repo, p.Version
		return p
	}
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Hand-checked: "Broken = 1.0" is not "Name (version)" and is
			// skipped; PLCrashReporter is not locked; Alamofire and
			// AppCenter are in DEPENDENCIES.
			file: "Podfile.lock",
			want: []model.Package{
				pkg("Alamofire", "5.8.1", "direct", 2, 2),
				pkg("AppCenter", "4.2.0", "direct", 3, 5, "AppCenter/Analytics@4.2.0", "AppCenter/Crashes@4.2.0"),
				pkg("AppCenter/Analytics", "4.2.0", "indirect", 6, 7, "AppCenter/Core@4.2.0"),
				pkg("AppCenter/Core", "4.2.0", "indirect", 8, 8),
				pkg("AppCenter/Crashes", "4.2.0", "indirect", 9, 11, "AppCenter/Core@4.2.0"),
				pkg("Firebase/Core", "10.0.0", "indirect", 12, 12),
			},
		},
		{
			// ":git:" sources give the repository (subspecs by their root
			// pod); ":path:" and ":podspec:" sources give none.
			file: "git.lock",
			want: []model.Package{
				src(pkg("Alamofire", "5.8.1", "direct", 2, 2), "github.com/Alamofire/Alamofire"),
				src(pkg("Firebase/Core", "10.0.0", "direct", 3, 3), "github.com/firebase/firebase-ios-sdk"),
				pkg("LocalPod", "0.1.0", "direct", 4, 4),
				pkg("Private", "2.0.0", "direct", 5, 5),
			},
		},
		{file: "empty.lock"},
		// No DEPENDENCIES section: nothing says what is direct.
		{file: "nodeps.lock", want: []model.Package{pkg("KeychainAccess", "4.2.1", "unknown", 2, 2)}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"PODS: [\n", "- a\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
	for _, in := range []string{"", "PODS:\n  - A = 1.0\n", "PODS: 3\n"} {
		if got, err := Parse(strings.NewReader(in)); err != nil || len(got) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want nothing", in, got, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if info, err := os.Stat(name); err != nil || info.IsDir() {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
