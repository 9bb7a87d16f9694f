package acceptance

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/golang"
	"github.com/trawlsec/trawl/internal/analyze/lang/rust"
	gobinary "github.com/trawlsec/trawl/internal/parse/golang/binary"
	"github.com/trawlsec/trawl/internal/parse/golang/mod"
	rustbinary "github.com/trawlsec/trawl/internal/parse/rust/binary"
	"github.com/trawlsec/trawl/internal/parse/rust/cargo"
	"github.com/trawlsec/trawl/internal/walk"
	"github.com/trawlsec/trawl/pkg/model"
)

// goVersionM is what `go version -m FILE` says about a Go binary.
type goVersionM struct {
	goVersion string            // "go1.22.1 X:loopvar"
	main      string            // main module path, "" if none
	mainVer   string            // main module version
	deps      map[string]string // dependency path → version (after => replacement)
	ldflags   string
}

// runGoVersionM runs the go command (an independent reader of build info) on
// file and parses its output. ok is false when the file is not a Go binary.
func runGoVersionM(t testing.TB, file string) (goVersionM, bool) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	cmd := exec.Command(gobin, "version", "-m", file)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(bytes.TrimSpace(out)) == 0 {
		// go version -m fails on files that are not Go binaries.
		return goVersionM{}, false
	}
	if err != nil {
		t.Fatalf("go version -m %s: %v", file, err)
	}
	var r goVersionM
	r.deps = map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	first, last := true, ""
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			_, v, ok := strings.Cut(line, ": ")
			if !ok {
				return r, false
			}
			r.goVersion = v
			continue
		}
		f := strings.Split(strings.TrimPrefix(line, "\t"), "\t")
		switch f[0] {
		case "mod":
			r.main, r.mainVer = f[1], f[2]
		case "dep":
			r.deps[f[1]] = f[2]
			last = f[1]
		case "=>":
			// replacement of the dep on the line before
			delete(r.deps, last)
			if len(f) > 2 && f[2] != "" {
				r.deps[f[1]] = f[2]
			}
		case "build":
			if v, ok := strings.CutPrefix(f[1], "-ldflags="); ok {
				r.ldflags = strings.Trim(v, `"`)
			}
		}
	}
	return r, !first
}

// nameVersions renders packages as sorted "name@version" strings.
func nameVersions(pkgs []model.Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Name+"@"+p.Version)
	}
	sort.Strings(out)
	return out
}

func TestGoBinariesParserTestdata(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "golang", "binary", "testdata")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-checked main module versions from the -ldflags build settings that
	// `go version -m` prints: main-version-via-ldflags.elf was built with
	// -ldflags="-w -X main.version=v1.0.0" and its main module is (devel).
	ldflagsVersion := map[string]string{"main-version-via-ldflags.elf": "v1.0.0"}
	seen := 0
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, name)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gobinary.Parse(context.Background(), bytes.NewReader(data))
			want, isGo := runGoVersionM(t, file)
			if !isGo {
				if !errors.Is(err, gobinary.ErrNotExecutable) && !errors.Is(err, gobinary.ErrNotGoBinary) {
					t.Fatalf("Parse(non-Go file) = %v, %v", got, err)
				}
				return
			}
			seen++
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			// stdlib: toolchain version without the GOEXPERIMENT suffix.
			gover, _, _ := strings.Cut(want.goVersion, " ")
			expect := []string{"stdlib@v" + strings.TrimPrefix(gover, "go")}
			for p, v := range want.deps {
				expect = append(expect, p+"@"+v)
			}
			if want.main != "" {
				v := want.mainVer
				if lv, ok := ldflagsVersion[name]; ok {
					if !strings.Contains(want.ldflags, "main.version="+lv) {
						t.Fatalf("hand-checked ldflags version %s not in %q", lv, want.ldflags)
					}
					v = lv
				}
				expect = append(expect, want.main+"@"+v)
			}
			sort.Strings(expect)
			if g := nameVersions(got); !slices.Equal(g, expect) {
				t.Errorf("packages = %v\nwant       %v", g, expect)
			}
			for _, p := range got {
				if p.Name == want.main && p.Relationship != model.RelationshipRoot {
					t.Errorf("main module %s has relationship %q", p.Name, p.Relationship)
				}
			}
		})
	}
	// test.elf, test.exe, test.macho, main-version-via-ldflags.elf,
	// semver-main-module-version.macho, goexperiment: six Go binaries.
	if seen != 6 {
		t.Errorf("%d Go binaries checked, want 6", seen)
	}
}

// imageFile returns the content of path from the last layer of the docker
// save tarball that holds it.
func imageFile(t testing.TB, image, path string) []byte {
	t.Helper()
	f, err := os.Open(image)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Pass 1: manifest.json, for the layer order.
	var layers []string
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "manifest.json" {
			var m []struct{ Layers []string }
			if err := json.NewDecoder(tr).Decode(&m); err != nil || len(m) == 0 {
				t.Fatalf("manifest.json: %v", err)
			}
			layers = m[0].Layers
		}
	}
	var content []byte
	for _, layer := range layers {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(f)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Name != layer {
				continue
			}
			zr, err := gzip.NewReader(tr)
			if err != nil {
				t.Fatalf("%s: %v", layer, err)
			}
			lr := tar.NewReader(zr)
			for {
				lh, err := lr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", layer, err)
				}
				if strings.TrimPrefix(lh.Name, "./") == path && lh.Typeflag == tar.TypeReg {
					if content, err = io.ReadAll(lr); err != nil {
						t.Fatal(err)
					}
				}
			}
			break
		}
	}
	if content == nil {
		t.Fatalf("%s not found in %s", path, image)
	}
	return content
}

func TestGoBinaryInDebianImage(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	content := imageFile(t, image, "app/bin/goapp")

	res, err := golang.NewBinary().Analyze(context.Background(), analyze.Input{Path: "app/bin/goapp", Content: content})
	if err != nil || res == nil || len(res.Applications) != 1 {
		t.Fatalf("Analyze = %+v, %v", res, err)
	}
	set := res.Applications[0]
	if set.Type != model.TypeGoBinary || set.FilePath != "app/bin/goapp" {
		t.Errorf("set type/path = %s %s", set.Type, set.FilePath)
	}

	// Independent reader: go version -m on the extracted file.
	tmp := filepath.Join(t.TempDir(), "goapp")
	if err := os.WriteFile(tmp, content, 0o755); err != nil {
		t.Fatal(err)
	}
	want, ok := runGoVersionM(t, tmp)
	if !ok {
		t.Fatal("go version -m does not see a Go binary")
	}
	expect := []string{"stdlib@v" + strings.TrimPrefix(want.goVersion, "go"), want.main + "@" + want.mainVer}
	for p, v := range want.deps {
		expect = append(expect, p+"@"+v)
	}
	sort.Strings(expect)
	if g := nameVersions(set.Packages); !slices.Equal(g, expect) {
		t.Errorf("packages = %v\nwant       %v", g, expect)
	}

	// Hand-checked against the corpus README: 15 modules, go1.26.8, and a
	// few named versions.
	if len(want.deps) != 15 {
		t.Errorf("go version -m lists %d modules, README says 15", len(want.deps))
	}
	have := map[string]bool{}
	for _, p := range set.Packages {
		have[p.ID] = true
	}
	for _, id := range []string{
		"stdlib@v1.26.8",
		"github.com/gin-gonic/gin@v1.6.0",
		"golang.org/x/text@v0.3.5",
		"golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110",
		"github.com/dgrijalva/jwt-go@v3.2.0+incompatible",
		"github.com/gorilla/websocket@v1.4.0",
		"golang.org/x/sys@v0.0.0-20201119102817-f84b799fce68",
	} {
		if !have[id] {
			t.Errorf("%s missing", id)
		}
	}

	// The Rust analyzer sees no audit data in it: no result, no error.
	if r, err := rust.NewBinary().Analyze(context.Background(), analyze.Input{Path: "app/bin/goapp", Content: content}); r != nil || err != nil {
		t.Errorf("rust analyzer on a Go binary = %+v, %v", r, err)
	}
}

func TestRustBinaries(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "rust", "binary", "testdata")
	// Hand-checked: the .dep-v0 section of test.elf (located with readelf -S,
	// inflated with Python's zlib) reads
	// {"packages":[{"name":"crate_with_features","version":"0.1.0","source":"local","dependencies":[1],"root":true},
	//              {"name":"library_crate","version":"0.1.0","source":"local"}]}
	// and the three files are builds of the same crate.
	want := []model.Package{
		{ID: "crate_with_features@0.1.0", Name: "crate_with_features", Version: "0.1.0", Relationship: model.RelationshipRoot,
			DependsOn: []string{"library_crate@0.1.0"}, Ecosystem: "crates.io"},
		{ID: "library_crate@0.1.0", Name: "library_crate", Version: "0.1.0", Relationship: model.RelationshipDirect, Ecosystem: "crates.io"},
	}
	for _, name := range []string{"test.elf", "test.exe", "test.macho"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := rustbinary.Parse(context.Background(), bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !packagesEqual(got, want) {
				t.Errorf("Parse = %+v\nwant %+v", got, want)
			}
			// The Go analyzer ignores it.
			if r, err := golang.NewBinary().Analyze(context.Background(), analyze.Input{Path: name, Content: data}); r != nil || err != nil {
				t.Errorf("Go analyzer on a Rust binary = %+v, %v", r, err)
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(dir, "dummy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rustbinary.Parse(context.Background(), bytes.NewReader(data)); !errors.Is(err, rustbinary.ErrNotExecutable) {
		t.Errorf("Parse(dummy) error = %v, want ErrNotExecutable", err)
	}
}

func packagesEqual(a, b []model.Package) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Name != y.Name || x.Version != y.Version || x.Relationship != y.Relationship ||
			x.Ecosystem != y.Ecosystem || !slices.Equal(x.DependsOn, y.DependsOn) {
			return false
		}
	}
	return true
}

// requireLines is an independent, line-based read of go.mod require
// directives: path → version, and whether each is "// indirect".
func requireLines(t testing.TB, file string) (map[string]string, map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	reqs, indirect := map[string]string{}, map[string]bool{}
	inBlock := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		reqs[f[0]] = f[1]
		indirect[f[0]] = strings.Contains(line, "// indirect")
	}
	return reqs, indirect
}

func TestGoModFixtures(t *testing.T) {
	root := corpus(t, "projects", "trivy-fixtures", "gomod")
	for _, sub := range []string{".", "submod", "submod2"} {
		t.Run(sub, func(t *testing.T) {
			gomodPath := filepath.Join(root, sub, "go.mod")
			reqs, indirect := requireLines(t, gomodPath)
			f, err := os.Open(gomodPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := mod.Parse(context.Background(), f, mod.Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var rootPkg *model.Package
			gotReqs := map[string]string{}
			for i, p := range got {
				if p.Relationship == model.RelationshipRoot {
					rootPkg = &got[i]
					continue
				}
				gotReqs[p.Name] = p.Version
				wantRel := model.RelationshipDirect
				if indirect[p.Name] {
					wantRel = model.RelationshipIndirect
				}
				if p.Relationship != wantRel {
					t.Errorf("%s: relationship %q, want %q", p.ID, p.Relationship, wantRel)
				}
			}
			if rootPkg == nil || !strings.HasPrefix(rootPkg.Name, "github.com/testdata/testdata") {
				t.Errorf("root module = %+v", rootPkg)
			}
			if len(gotReqs) != len(reqs) {
				t.Errorf("%d requirements, want %d", len(gotReqs), len(reqs))
			}
			for p, v := range reqs {
				if gotReqs[p] != v {
					t.Errorf("%s: version %q, want %q", p, gotReqs[p], v)
				}
			}
		})
	}
}

// TestGoModWithSum: submod and submod2 say "go 1.15", so the walker hands
// their go.sum to the gomod post-analyzer too; every module of go.sum must
// be there at the highest version go.sum lists (derived below from go.sum
// itself), the ones go.mod does not require as indirect.
func TestGoModWithSum(t *testing.T) {
	res, err := walk.New([]analyze.Analyzer{golang.NewMod()}, walk.Options{}).Dir(context.Background(), corpus(t, "projects", "trivy-fixtures", "gomod"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || len(res.Warnings) != 0 {
		t.Errorf("errors %v, warnings %v", res.Errors, res.Warnings)
	}
	for _, sub := range []string{"submod", "submod2"} {
		t.Run(sub, func(t *testing.T) { checkGoModWithSum(t, res, sub) })
	}
}

func checkGoModWithSum(t *testing.T, res *analyze.LayerResult, sub string) {
	dir := corpus(t, "projects", "trivy-fixtures", "gomod", sub)
	var got []model.Package
	for _, set := range res.Applications {
		if set.FilePath == sub+"/go.mod" {
			got = set.Packages
		}
	}
	reqs, _ := requireLines(t, filepath.Join(dir, "go.mod"))
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(string(sum), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		v := strings.TrimSuffix(f[1], "/go.mod")
		if _, req := reqs[f[0]]; req {
			continue
		}
		if old, ok := want[f[0]]; !ok || semver.Compare(v, old) > 0 {
			want[f[0]] = v
		}
	}
	for p, v := range reqs {
		want[p] = v
	}
	gotMap := map[string]string{}
	for _, p := range got {
		if p.Relationship == model.RelationshipRoot {
			continue
		}
		gotMap[p.Name] = p.Version
		if _, req := reqs[p.Name]; !req && p.Relationship != model.RelationshipIndirect {
			t.Errorf("%s from go.sum: relationship %q", p.ID, p.Relationship)
		}
	}
	if len(gotMap) != len(want) {
		t.Errorf("%d packages, want %d: %v", len(gotMap), len(want), gotMap)
	}
	for p, v := range want {
		if gotMap[p] != v {
			t.Errorf("%s: %q, want %q", p, gotMap[p], v)
		}
	}
}

func TestGoModParserTestdata(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "golang", "mod", "testdata")
	const (
		depParser = "github.com/aquasecurity/go-dep-parser"
		xerrors   = "golang.org/x/xerrors"
		yaml      = "gopkg.in/yaml.v3"
	)
	// Hand-checked against each go.mod (root github.com/org/repo omitted):
	tests := map[string][]string{
		// go 1.22.0 with toolchain go1.22.5; precise mode gives no stdlib.
		"normal/go.mod": {
			"github.com/aquasecurity/go-version@v0.0.0-20240603093900-cf8a8d29271d",
			"github.com/davecgh/go-spew@v1.1.2-0.20180830191138-d8f796af33cc",
			"github.com/pmezard/go-difflib@v1.0.1-0.20181226105442-5d4384ee4fb2",
			"github.com/stretchr/testify@v1.9.0",
			xerrors + "@v0.0.0-20231012003039-104605ab7028",
		},
		// unversioned replace to another version.
		"replaced/go.mod": {depParser + "@v0.0.0-20220406074731-71021a481237", xerrors + "@v0.0.0-20200804184101-5ec99f83aff1"},
		// versioned replace matching the required version.
		"replaced-with-version/go.mod": {depParser + "@v0.0.0-20220406074731-71021a481237", xerrors + "@v0.0.0-20200804184101-5ec99f83aff1"},
		// replace names v0.0.1, required is a pseudo-version: not applied.
		"replaced-with-version-mismatch/go.mod": {depParser + "@v0.0.0-20211224170007-df43bca6b6ff", xerrors + "@v0.0.0-20200804184101-5ec99f83aff1", yaml + "@v3.0.0-20210107192922-496545a6307b"},
		// xerrors => ./xerrors: a local directory, left out.
		"replaced-with-local-path/go.mod":             {depParser + "@v0.0.0-20211224170007-df43bca6b6ff", yaml + "@v3.0.0-20210107192922-496545a6307b"},
		"replaced-with-local-path-and-version/go.mod": {depParser + "@v0.0.0-20211224170007-df43bca6b6ff", yaml + "@v3.0.0-20210107192922-496545a6307b"},
		// the local replace names v0.0.1, required is another version: kept.
		"replaced-with-local-path-and-version-mismatch/go.mod": {depParser + "@v0.0.0-20211224170007-df43bca6b6ff", xerrors + "@v0.0.0-20200804184101-5ec99f83aff1", yaml + "@v3.0.0-20210107192922-496545a6307b"},
		// go 1.16 go.mod alone: its two requires.
		"go116/go.mod": {depParser + "@v0.0.0-20211224170007-df43bca6b6ff", yaml + "@v3.0.0-20210107192922-496545a6307b"},
		// no go directive.
		"no-go-version/gomod": {depParser + "@v0.0.0-20211224170007-df43bca6b6ff"},
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := mod.Parse(context.Background(), f, mod.Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var ids []string
			for _, p := range got {
				if p.Relationship == model.RelationshipRoot {
					if p.Name != "github.com/org/repo" {
						t.Errorf("root = %s", p.Name)
					}
					continue
				}
				ids = append(ids, p.ID)
			}
			sort.Strings(want)
			if !slices.Equal(ids, want) {
				t.Errorf("packages = %v\nwant       %v", ids, want)
			}
		})
	}

	// Comprehensive mode on normal/go.mod: toolchain go1.22.5 → stdlib v1.22.5.
	f, err := os.Open(filepath.Join(dir, "normal", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := mod.Parse(context.Background(), f, mod.Options{Comprehensive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(got, func(p model.Package) bool { return p.ID == "stdlib@v1.22.5" }) {
		t.Errorf("comprehensive: no stdlib@v1.22.5 in %v", nameVersions(got))
	}
}

var (
	tomlName    = regexp.MustCompile(`^name\s*=\s*"+([^"]+)"+\s*$`)
	tomlVersion = regexp.MustCompile(`^version\s*=\s*"+([^"]+)"+\s*$`)
)

// cargoBlocks is an independent line-based read of a Cargo.lock: for each
// [[package]] block its header line, name and version.
type cargoBlock struct {
	line          int
	name, version string
}

func cargoBlocks(t testing.TB, file string) []cargoBlock {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []cargoBlock
	in := false
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			in = line == "[[package]]"
			if in {
				blocks = append(blocks, cargoBlock{line: i + 1})
			}
			continue
		}
		if !in {
			continue
		}
		b := &blocks[len(blocks)-1]
		if m := tomlName.FindStringSubmatch(line); m != nil {
			b.name = m[1]
		}
		if m := tomlVersion.FindStringSubmatch(line); m != nil {
			b.version = m[1]
		}
	}
	return blocks
}

func TestCargoLocks(t *testing.T) {
	files := []string{
		corpus(t, "projects", "trivy-fixtures", "cargo", "Cargo.lock"),
		corpus(t, "projects", "trivy-fixtures", "trivy-ci-test", "Cargo.lock"),
		corpus(t, "projects", "trivy-parser-testdata", "rust", "cargo", "testdata", "cargo_normal.lock"),
		corpus(t, "projects", "trivy-parser-testdata", "rust", "cargo", "testdata", "cargo_mixed.lock"),
		corpus(t, "projects", "trivy-parser-testdata", "rust", "cargo", "testdata", "cargo_v3.lock"),
	}
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			blocks := cargoBlocks(t, file)
			content, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := rust.NewCargo().Analyze(context.Background(), analyze.Input{Path: "x/Cargo.lock", Content: content})
			if err != nil || res == nil {
				t.Fatalf("Analyze = %v, %v", res, err)
			}
			got := res.Applications[0].Packages
			if len(got) != len(blocks) {
				t.Fatalf("%d packages, file has %d [[package]] blocks", len(got), len(blocks))
			}
			byStart := map[int]cargoBlock{}
			for _, b := range blocks {
				byStart[b.line] = b
			}
			ids := map[string]bool{}
			for _, p := range got {
				ids[p.ID] = true
			}
			roots := 0
			for _, p := range got {
				if len(p.Locations) != 1 {
					t.Errorf("%s: locations %v", p.ID, p.Locations)
					continue
				}
				b, ok := byStart[p.Locations[0].StartLine]
				if !ok || b.name != p.Name || b.version != p.Version {
					t.Errorf("%s: starts at line %d, which holds %+v", p.ID, p.Locations[0].StartLine, b)
				}
				for _, d := range p.DependsOn {
					if !ids[d] {
						t.Errorf("%s depends on unknown %s", p.ID, d)
					}
				}
				if p.Relationship == model.RelationshipRoot {
					roots++
				}
			}
			if strings.Contains(file, "trivy-fixtures/cargo/") {
				// Hand-checked: app (no source) requires "memchr 1.0.2",
				// "regex" and "winapi"; every other crate is indirect.
				for _, p := range got {
					want := model.RelationshipIndirect
					switch p.ID {
					case "app@0.1.0":
						want = model.RelationshipRoot
						if !slices.Equal(p.DependsOn, []string{"memchr@1.0.2", "regex@1.7.3", "winapi@0.3.9"}) {
							t.Errorf("app depends on %v", p.DependsOn)
						}
					case "memchr@1.0.2", "regex@1.7.3", "winapi@0.3.9":
						want = model.RelationshipDirect
					}
					if p.Relationship != want {
						t.Errorf("%s: relationship %q, want %q", p.ID, p.Relationship, want)
					}
				}
			}
		})
	}

	// cargo_invalid.lock has "version =" with no value: a parse error.
	bad, err := os.ReadFile(corpus(t, "projects", "trivy-parser-testdata", "rust", "cargo", "testdata", "cargo_invalid.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cargo.Parse(context.Background(), bytes.NewReader(bad)); err == nil {
		t.Error("cargo_invalid.lock parsed without error")
	}
}

// BenchmarkGoappBinary measures reading the build info of the 11 MB Go
// binary of the Debian image.
func BenchmarkGoappBinary(b *testing.B) {
	content := imageFile(b, corpus(b, "images", "debian12-app.tar"), "app/bin/goapp")
	b.SetBytes(int64(len(content)))
	r := bytes.NewReader(content)
	b.ResetTimer()
	for b.Loop() {
		if _, err := gobinary.Parse(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCargoLockLarge parses the [[package]] blocks of the trivy-ci-test
// Cargo.lock repeated 50 times under renamed crates (3700 packages).
func BenchmarkCargoLockLarge(b *testing.B) {
	src, err := os.ReadFile(corpus(b, "projects", "trivy-fixtures", "trivy-ci-test", "Cargo.lock"))
	if err != nil {
		b.Fatal(err)
	}
	blocks, _, _ := strings.Cut(string(src), "[metadata]")
	var buf bytes.Buffer
	for i := range 50 {
		prefix := "c" + strconv.Itoa(i) + "-"
		for _, line := range strings.Split(blocks, "\n") {
			switch {
			case strings.HasPrefix(line, `name = "`):
				line = `name = "` + prefix + line[len(`name = "`):]
			case strings.HasPrefix(line, ` "`):
				line = ` "` + prefix + line[len(` "`):]
			}
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	data := buf.Bytes()
	want := 50 * strings.Count(blocks, "[[package]]")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		pkgs, err := cargo.Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != want {
			b.Fatalf("%d packages, want %d", len(pkgs), want)
		}
	}
}
