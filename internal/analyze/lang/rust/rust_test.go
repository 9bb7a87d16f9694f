package rust

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

type fileInfo struct {
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return "f" }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

func TestRequired(t *testing.T) {
	tests := []struct {
		a    analyze.Analyzer
		path string
		info fs.FileInfo
		want bool
	}{
		{NewCargo(), "Cargo.lock", fileInfo{10, 0o644}, true},
		{NewCargo(), "ws/crates/a/Cargo.lock", nil, true},
		{NewCargo(), "Cargo.toml", fileInfo{10, 0o644}, false},
		{NewCargo(), "cargo.lock", fileInfo{10, 0o644}, false},
		{NewBinary(), "usr/local/bin/rg", fileInfo{4096, 0o755}, true},
		{NewBinary(), "target/release/app", fileInfo{4096, 0o644}, true},
		{NewBinary(), "dist/app.exe", fileInfo{4096, 0o644}, true},
		{NewBinary(), "src/main.rs", fileInfo{4096, 0o644}, false},
		{NewBinary(), "usr/bin/x", fileInfo{10, 0o755}, false},
		{NewBinary(), "usr/bin/x", fileInfo{4096, fs.ModeDir | 0o755}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, tt.info); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
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
		wantIDs  []string
		wantErr  bool
	}{
		{NewCargo(), "app/Cargo.lock", read(t, "testdata/Cargo.lock"), model.TypeCargo,
			[]string{"app@0.1.0", "memchr@1.0.2", "memchr@2.5.0", "regex@1.7.3"}, false},
		{NewCargo(), "Cargo.lock", []byte("[[package]\n"), "", nil, true},
		{NewBinary(), "usr/bin/app", read(t, "testdata/app"), model.TypeRustBinary,
			[]string{"app@0.1.0", "itoa@1.0.0", "log@0.4.0", "serde@1.0.0"}, false},
		{NewBinary(), "usr/bin/broken", read(t, "testdata/broken"), "", nil, true},
		{NewBinary(), "README", []byte("just text, not a binary at all"), "", nil, false},
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
					if p.Ecosystem != "crates.io" {
						t.Errorf("%s: ecosystem %q", p.ID, p.Ecosystem)
					}
				}
				if !slices.Equal(ids, tt.wantIDs) {
					t.Errorf("IDs = %v, want %v", ids, tt.wantIDs)
				}
			})
		}
	}
}

// TestAnalyzeGoBinary: a Go executable has no audit data and is not an error.
func TestAnalyzeGoBinary(t *testing.T) {
	content, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Skip(err)
	}
	res, err := NewBinary().Analyze(context.Background(), analyze.Input{Path: "bin/test", Content: content})
	if err != nil || res != nil {
		t.Fatalf("Analyze(Go binary) = %v, %v; want nil, nil", res, err)
	}
}
