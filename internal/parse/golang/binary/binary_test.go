package binary

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlsec/trawl/internal/testutil/elffixture"
	"github.com/trawlsec/trawl/pkg/model"
)

var update = flag.Bool("update", false, "rewrite the synthetic binaries in testdata/")

// fixtures are the synthetic executables in testdata/, written by
// TestFixtures with -update from these build infos.
var fixtures = map[string]*debug.BuildInfo{
	"devel-ldflags.elf": {
		GoVersion: "go1.22.5",
		Path:      "example.com/app/cmd/app",
		Main:      debug.Module{Path: "example.com/app", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "example.com/a", Version: "v1.0.0", Sum: "h1:aaaa"},
			{Path: "example.com/b", Version: "v1.1.0", Replace: &debug.Module{Path: "example.com/c", Version: "v2.0.0+incompatible"}},
			{Path: "example.com/d", Version: "v0.1.0", Replace: &debug.Module{Path: "../d"}},
		},
		Settings: []debug.BuildSetting{
			{Key: "-ldflags", Value: `-s -w -X 'main.version=1.2.3' -X main.commit=abc`},
			{Key: "GOOS", Value: "linux"},
		},
	},
	"goexperiment.elf": {
		GoVersion: "go1.22.1 X:boringcrypto",
		Path:      "command-line-arguments",
		Settings:  []debug.BuildSetting{{Key: "GOEXPERIMENT", Value: "boringcrypto"}},
	},
	"semver-main.elf": {
		GoVersion: "go1.20.6",
		Path:      "go.etcd.io/bbolt/cmd/bbolt",
		Main:      debug.Module{Path: "go.etcd.io/bbolt", Version: "v1.3.5", Sum: "h1:x"},
		Settings:  []debug.BuildSetting{{Key: "-ldflags", Value: "-X main.version=9.9.9"}},
	},
	"ambiguous-ldflags.elf": {
		GoVersion: "go1.26.8",
		Path:      "example.com/tool",
		Main:      debug.Module{Path: "example.com/tool", Version: "(devel)"},
		Deps:      []*debug.Module{{Path: "golang.org/x/text", Version: "v0.3.5"}},
		Settings:  []debug.BuildSetting{{Key: "-ldflags", Value: `-X main.version=1.0.0 -X "example.com/tool/version.Version=v2.0.0"`}},
	},
}

func TestFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata")
	}
	for name, bi := range fixtures {
		if err := os.WriteFile(filepath.Join("testdata", name), elffixture.Make(".go.buildinfo", buildInfoBlob(bi), 2048), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile("testdata/notgo.elf", elffixture.Make(".data", []byte("no build info here"), 2048), 0o644); err != nil {
		t.Fatal(err)
	}
}

func gopkg(name, version, rel string, deps ...string) model.Package {
	return model.Package{ID: ID(name, version), Name: name, Version: version, Relationship: rel, Ecosystem: "Go", DependsOn: deps}
}

func TestParse(t *testing.T) {
	tests := []struct {
		file    string
		want    []model.Package
		wantErr error
	}{
		{
			file: "devel-ldflags.elf",
			want: []model.Package{
				gopkg("example.com/a", "v1.0.0", model.RelationshipUnknown),
				// main module is (devel); -X 'main.version=1.2.3' is a valid semver.
				gopkg("example.com/app", "1.2.3", model.RelationshipRoot,
					"example.com/a@v1.0.0", "example.com/c@v2.0.0+incompatible", "stdlib@v1.22.5"),
				// example.com/b is replaced by example.com/c v2.0.0+incompatible;
				// example.com/d is replaced by the directory ../d and left out.
				gopkg("example.com/c", "v2.0.0+incompatible", model.RelationshipUnknown),
				gopkg("stdlib", "v1.22.5", model.RelationshipDirect),
			},
		},
		{
			// no main module ("command-line-arguments" build); X: suffix stripped.
			file: "goexperiment.elf",
			want: []model.Package{gopkg("stdlib", "v1.22.1", model.RelationshipDirect)},
		},
		{
			// a real main module version wins over -ldflags.
			file: "semver-main.elf",
			want: []model.Package{
				gopkg("go.etcd.io/bbolt", "v1.3.5", model.RelationshipRoot, "stdlib@v1.20.6"),
				gopkg("stdlib", "v1.20.6", model.RelationshipDirect),
			},
		},
		{
			// main.version and …/version.Version rank equal and differ: keep (devel).
			file: "ambiguous-ldflags.elf",
			want: []model.Package{
				gopkg("example.com/tool", "(devel)", model.RelationshipRoot, "golang.org/x/text@v0.3.5", "stdlib@v1.26.8"),
				gopkg("golang.org/x/text", "v0.3.5", model.RelationshipUnknown),
				gopkg("stdlib", "v1.26.8", model.RelationshipDirect),
			},
		},
		{file: "notgo.elf", wantErr: ErrNotGoBinary},
		{file: "dummy.txt", wantErr: ErrNotExecutable},
		{file: "truncated.elf", wantErr: ErrNotExecutable},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(context.Background(), bytes.NewReader(data))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, bytes.NewReader([]byte("\x7fELF"))); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestStdlibVersion(t *testing.T) {
	tests := map[string]string{
		"go1.26.8":                       "v1.26.8",
		"go1.22.1 X:boringcrypto":        "v1.22.1",
		"go1.22.1 X:loopvar,rangefunc":   "v1.22.1",
		"go1.21rc2":                      "v1.21rc2",
		"devel go1.23-e8ee1dc4f9 Tue +0": "v1.23-e8ee1dc4f9",
		"":                               "",
		"gccgo":                          "",
	}
	for in, want := range tests {
		if got := StdlibVersion(in); got != want {
			t.Errorf("StdlibVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLDFlagsVersion(t *testing.T) {
	tests := []struct {
		name, main, ldflags, want string
	}{
		{"plain", "m", "-w -X main.version=v1.0.0", "v1.0.0"},
		{"equals form", "m", "-X=main.Version=1.0.0", "1.0.0"},
		{"single quotes", "m", "-X 'main.version=1.0.0'", "1.0.0"},
		{"double quoted flag", "m", `-X="main.version=1.0.0"`, "1.0.0"},
		{"ver suffix", "m", "-X github.com/x/y/pkg/version/app.ver=0.50.0", "0.50.0"},
		{"not a version", "m", "-X main.version=dev", ""},
		{"not a version key", "m", "-X main.commit=1.0.0", ""},
		{"cmd of main module wins", "github.com/o/r", "-X main.version=1.0.0 -X github.com/o/r/cmd/r/app.version=2.0.0", "2.0.0"},
		{"default prefix beats other", "m", "-X github.com/o/lib.Version=3.0.0 -X main.version=1.0.0", "1.0.0"},
		{"ambiguous", "m", "-X main.version=1.0.0 -X cmd.version=1.1.0", ""},
		{"same value twice", "m", "-X main.version=1.0.0 -X main.Version=1.0.0", "1.0.0"},
		{"dangling -X", "m", "-s -X", ""},
		{"help-like flags", "m", "-h -lpthread -X main.version=1.0.0", "1.0.0"},
		{"empty", "m", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LDFlagsVersion(tt.main, tt.ldflags); got != tt.want {
				t.Errorf("LDFlagsVersion(%q, %q) = %q, want %q", tt.main, tt.ldflags, got, tt.want)
			}
		})
	}
}

func TestSplitWords(t *testing.T) {
	tests := map[string][]string{
		`a b  c`:                 {"a", "b", "c"},
		`-X 'a=b c'`:             {"-X", "a=b c"},
		`-X "a=\"q\""`:           {"-X", `a="q"`},
		`a\ b`:                   {"a b"},
		`'unterminated`:          {"unterminated"},
		`"unterminated`:          {"unterminated"},
		`''`:                     {""},
		"\t":                     nil,
		`-X=main.version='1.0'x`: {"-X=main.version=1.0x"},
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, splitWords(in)); diff != "" {
			t.Errorf("splitWords(%q) (-want +got):\n%s", in, diff)
		}
	}
}

// TestParseBuiltBinary builds a tiny stdlib-only program with the local
// toolchain (no network: GOPROXY=off, GOTOOLCHAIN=local; no -trimpath, which
// drops -ldflags from the build settings) and checks that its
// main module, ldflags version and stdlib version are read back.
func TestParseBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/hello\n\ngo 1.21\n")
	write("main.go", "package main\n\nvar version = \"dev\"\n\nfunc main() { println(version) }\n")
	out := filepath.Join(dir, "hello")
	cmd := exec.Command(gobin, "build", "-buildvcs=false", "-ldflags=-s -w -X main.version=v0.4.2", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Parse(context.Background(), f)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	gover := StdlibVersion(goVersion(t, gobin))
	want := []model.Package{
		gopkg("example.com/hello", "v0.4.2", model.RelationshipRoot, "stdlib@"+gover),
		gopkg("stdlib", gover, model.RelationshipDirect),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

// goVersion asks the go command for its version ("go1.26.8").
func goVersion(t *testing.T, gobin string) string {
	t.Helper()
	cmd := exec.Command(gobin, "env", "GOVERSION")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env GOVERSION: %v", err)
	}
	return string(bytes.TrimSpace(b))
}

// TestParseTestBinary reads this test binary, which carries build info.
func TestParseTestBinary(t *testing.T) {
	f, err := os.Open(os.Args[0])
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	got, err := Parse(context.Background(), f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", os.Args[0], err)
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build info in the running binary")
	}
	var stdlib string
	for _, p := range got {
		if p.Name == "stdlib" {
			stdlib = p.Version
		}
	}
	if want := StdlibVersion(bi.GoVersion); stdlib != want {
		t.Errorf("stdlib version = %q, want %q", stdlib, want)
	}
	names := map[string]bool{}
	for _, p := range got {
		names[p.Name] = true
	}
	for _, d := range bi.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		if !names[m.Path] {
			t.Errorf("dependency %s missing from %v", m.Path, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Ecosystem != Ecosystem {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}

func BenchmarkParseTestBinary(b *testing.B) {
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	r := bytes.NewReader(data)
	for b.Loop() {
		if _, err := Parse(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
