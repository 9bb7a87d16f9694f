package golang

import (
	"context"
	"io/fs"
	"os"
	"testing"
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
		t.Run(tt.a.Name()+"/"+tt.path, func(t *testing.T) {
			res, err := tt.a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: tt.content})
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
