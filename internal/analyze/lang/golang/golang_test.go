package golang

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// fileInfo is a synthetic fs.FileInfo.
type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

func TestRequired(t *testing.T) {
	big := int64(4096)
	tests := []struct {
		a    analyze.Analyzer
		path string
		info fs.FileInfo
		want bool
	}{
		{NewMod(), "go.mod", fileInfo{"go.mod", 10, 0o644}, true},
		{NewMod(), "src/app/go.mod", nil, true},
		{NewMod(), "src/app/go.sum", fileInfo{"go.sum", 10, 0o644}, true},
		{NewMod(), "go.mod", fileInfo{"go.mod", 0, fs.ModeDir | 0o755}, false},
		{NewMod(), "notgo.mod", fileInfo{"notgo.mod", 10, 0o644}, false},
		{NewBinary(), "usr/bin/app", fileInfo{"app", big, 0o755}, true},
		{NewBinary(), "app/bin/tool.bin", fileInfo{"tool.bin", big, 0o700}, true},
		{NewBinary(), "build/app", fileInfo{"app", big, 0o644}, true},
		{NewBinary(), "dist/app.exe", fileInfo{"app.exe", big, 0o644}, true},
		{NewBinary(), "usr/share/doc/x/README.md", fileInfo{"README.md", big, 0o644}, false},
		{NewBinary(), "usr/bin/tiny", fileInfo{"tiny", 100, 0o755}, false},
		{NewBinary(), "usr/bin/link", fileInfo{"link", big, fs.ModeSymlink | 0o777}, false},
		{NewBinary(), "usr/bin/app", nil, false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, tt.info); got != tt.want {
			t.Errorf("%s.Required(%q, %v) = %v, want %v", tt.a.Name(), tt.path, tt.info, got, tt.want)
		}
	}
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		a        analyze.Analyzer
		path     string
		content  []byte
		wantType string
		wantPkgs []string // IDs
		wantErr  bool
	}{
		{NewMod(), "src/go.mod", read(t, "testdata/go.mod"), model.TypeGoModule,
			[]string{"example.com/app", "example.com/direct@v1.2.3", "example.com/ind@v0.0.0-20240603093900-cf8a8d29271d", "example.com/two@v2.0.0+incompatible"}, false},
		{NewModComprehensive(), "src/go.mod", read(t, "testdata/go.mod"), model.TypeGoModule,
			[]string{"example.com/app", "example.com/direct@v1.2.3", "example.com/ind@v0.0.0-20240603093900-cf8a8d29271d", "example.com/two@v2.0.0+incompatible", "stdlib@v1.22.5"}, false},
		{NewMod(), "go.mod", []byte("module (\n"), "", nil, true},
		{NewBinary(), "usr/bin/app", read(t, "testdata/app"), model.TypeGoBinary,
			[]string{"example.com/a@v1.0.0", "example.com/app@1.2.3", "example.com/c@v2.0.0+incompatible", "stdlib@v1.22.5"}, false},
		{NewBinary(), "usr/bin/notgo", read(t, "testdata/notgo"), "", nil, false},
		{NewBinary(), "usr/share/doc/copyright", []byte("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"), "", nil, false},
	}
	for _, tt := range tests {
		// Random-access analyzers read the same file as Content and,
		// as the walker hands over files too large for memory, through
		// a ReaderAt with Content nil.
		inputs := map[string]analyze.Input{"content": {Path: tt.path, Content: tt.content, Size: int64(len(tt.content))}}
		if _, ok := tt.a.(analyze.RandomAccess); ok {
			inputs["readerat"] = analyze.Input{Path: tt.path, ReaderAt: bytes.NewReader(tt.content), Size: int64(len(tt.content))}
		}
		for mode, in := range inputs {
			t.Run(tt.a.Name()+"/"+tt.path+"/"+mode, func(t *testing.T) {
				res, err := tt.a.Analyze(context.Background(), in)
				if tt.wantErr {
					if err == nil {
						t.Fatalf("Analyze = %+v, want error", res)
					}
					return
				}
				if err != nil {
					t.Fatalf("Analyze: %v", err)
				}
				if tt.wantType == "" {
					if res != nil {
						t.Fatalf("Analyze = %+v, want nil", res)
					}
					return
				}
				if res == nil || len(res.Applications) != 1 {
					t.Fatalf("Analyze = %+v, want one package set", res)
				}
				set := res.Applications[0]
				if set.Type != tt.wantType || set.FilePath != tt.path {
					t.Errorf("set = %s %s, want %s %s", set.Type, set.FilePath, tt.wantType, tt.path)
				}
				var ids []string
				for _, p := range set.Packages {
					ids = append(ids, p.ID)
					if p.Ecosystem != "Go" {
						t.Errorf("%s: ecosystem %q", p.ID, p.Ecosystem)
					}
				}
				if len(ids) != len(tt.wantPkgs) {
					t.Fatalf("IDs = %v, want %v", ids, tt.wantPkgs)
				}
				for i := range ids {
					if ids[i] != tt.wantPkgs[i] {
						t.Errorf("IDs = %v, want %v", ids, tt.wantPkgs)
						break
					}
				}
			})
		}
	}
}

func TestAnalyzeTestBinary(t *testing.T) {
	content, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Skip(err)
	}
	res, err := NewBinary().Analyze(context.Background(), analyze.Input{Path: "bin/test", Content: content})
	if err != nil || res == nil {
		t.Fatalf("Analyze(test binary) = %v, %v", res, err)
	}
	var root bool
	for _, p := range res.Applications[0].Packages {
		root = root || p.Relationship == model.RelationshipRoot
	}
	if !root {
		t.Errorf("no root module in %+v", res.Applications[0].Packages)
	}
}

func TestVersionsDiffer(t *testing.T) {
	if NewMod().Version() == NewModComprehensive().Version() {
		t.Error("precise and comprehensive go.mod analyzers share a cache version")
	}
}

func TestModPostAnalyze(t *testing.T) {
	const sum = "example.com/direct v1.0.0 h1:a=\nexample.com/only-in-sum v1.9.0 h1:b=\nexample.com/only-in-sum v1.10.0/go.mod h1:c=\n"
	files := fstest.MapFS{
		// go 1.15: go.sum completes the indirect dependencies.
		"old/go.mod": {Data: []byte("module example.com/old\n\ngo 1.15\n\nrequire example.com/direct v1.0.0\n")},
		"old/go.sum": {Data: []byte(sum)},
		// go 1.17: go.mod is complete, go.sum is not read.
		"new/go.mod": {Data: []byte("module example.com/new\n\ngo 1.17\n\nrequire example.com/direct v1.0.0\n")},
		"new/go.sum": {Data: []byte(sum)},
		// No go.sum beside it.
		"nosum/go.mod": {Data: []byte("module example.com/nosum\n\ngo 1.15\n\nrequire example.com/direct v1.0.0\n")},
		// A go.sum in the parent directory is not this module's.
		"nosum/sub/go.mod": {Data: []byte("module example.com/sub\n")},
		"broken/go.mod":    {Data: []byte("module (\n")},
		"broken/go.sum":    {Data: []byte(sum)},
	}
	res, err := NewMod().PostAnalyze(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, set := range res.Applications {
		if set.Type != model.TypeGoModule {
			t.Errorf("%s: type %s", set.FilePath, set.Type)
		}
		for _, p := range set.Packages {
			got[set.FilePath] = append(got[set.FilePath], p.ID+" "+p.Relationship)
		}
		sort.Strings(got[set.FilePath])
	}
	want := map[string][]string{
		"old/go.mod":       {"example.com/direct@v1.0.0 direct", "example.com/old root", "example.com/only-in-sum@v1.10.0 indirect"},
		"new/go.mod":       {"example.com/direct@v1.0.0 direct", "example.com/new root"},
		"nosum/go.mod":     {"example.com/direct@v1.0.0 direct", "example.com/nosum root"},
		"nosum/sub/go.mod": {"example.com/sub root"},
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s:\n got %v\nwant %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("sets %v", got)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != "broken/go.mod" {
		t.Errorf("warnings = %+v", res.Warnings)
	}
	if r, err := NewMod().PostAnalyze(context.Background(), fstest.MapFS{"go.sum": {Data: []byte(sum)}}); r != nil || err != nil {
		t.Errorf("go.sum alone: %+v %v", r, err)
	}
}
