package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/cocoapods"
	"github.com/trawlsec/trawl/internal/analyze/lang/conda"
	"github.com/trawlsec/trawl/internal/analyze/lang/dart"
	"github.com/trawlsec/trawl/internal/analyze/lang/elixir"
	"github.com/trawlsec/trawl/internal/analyze/lang/julia"
	"github.com/trawlsec/trawl/internal/analyze/lang/nodejs"
	"github.com/trawlsec/trawl/internal/analyze/lang/php"
	"github.com/trawlsec/trawl/internal/analyze/lang/python"
	"github.com/trawlsec/trawl/internal/analyze/lang/ruby"
	"github.com/trawlsec/trawl/internal/analyze/lang/swift"
	rubyparse "github.com/trawlsec/trawl/internal/parse/ruby"
	"github.com/trawlsec/trawl/pkg/model"
)

// moreIDs returns the sorted, de-duplicated name@version set of pkgs,
// built from Name and Version (not from the parser's ID).
func moreIDs(pkgs []model.Package) []string {
	ids := []string{}
	for _, p := range pkgs {
		ids = append(ids, p.Name+"@"+p.Version)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// moreIDsWhere is moreIDs of the packages keep accepts.
func moreIDsWhere(pkgs []model.Package, keep func(model.Package) bool) []string {
	var sel []model.Package
	for _, p := range pkgs {
		if keep(p) {
			sel = append(sel, p)
		}
	}
	return moreIDs(sel)
}

func moreSorted(set map[string]bool) []string {
	out := slices.Sorted(maps.Keys(set))
	if out == nil {
		out = []string{}
	}
	return out
}

// moreRel returns the path of abs relative to the corpus "projects"
// folder, slash-separated, as a walker would hand it to an analyzer.
func moreRel(t *testing.T, abs string) string {
	t.Helper()
	rel, err := filepath.Rel(corpus(t, "projects"), abs)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// moreAnalyze runs an analyzer on a file the way the walker does: Required
// on the slash-separated relative path, then Analyze. Corpus files whose
// names are not the real ones (Gemfile_normal.lock…) are handed over under
// the name the format uses. It returns the packages of the one package set
// (none when the analyzer found nothing) and checks its type and path.
func moreAnalyze(t *testing.T, a analyze.Analyzer, path string, data []byte, typ string) ([]model.Package, error) {
	t.Helper()
	if !a.Required(path, nil) {
		t.Fatalf("%s does not want %s", a.Name(), path)
	}
	res, err := a.Analyze(context.Background(), analyze.Input{Path: path, Content: data})
	if err != nil || res == nil {
		return nil, err
	}
	if len(res.Applications) != 1 || res.Applications[0].Type != typ || res.Applications[0].FilePath != path {
		t.Fatalf("%s: unexpected package sets %+v", path, res.Applications)
	}
	for _, p := range res.Applications[0].Packages {
		id := p.Name + "@" + p.Version
		if typ == model.TypeJulia && p.ID != id {
			id = p.ID // Julia packages are identified by UUID, as Trivy's
		}
		if p.ID != id || p.Ecosystem == "" || p.Relationship == "" {
			t.Errorf("%s: incomplete package %+v", path, p)
		}
	}
	return res.Applications[0].Packages, nil
}

// moreLine returns line n (1-based) of data.
func moreLine(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

func moreGlob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files match %s", pattern)
	}
	return files
}

// TestMoreBundler checks Gemfile.lock: the expected set is every
// four-space "name (version)" spec line (platform suffix dropped), direct
// gems are the DEPENDENCIES lines, and each Location is a spec line.
func TestMoreBundler(t *testing.T) {
	spec := regexp.MustCompile(`^    ([^ ]+) \(([^)]+)\)$`)
	for _, f := range moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "ruby", "bundler", "testdata"), "*.lock")) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			want, direct := map[string]bool{}, map[string]bool{}
			section := ""
			for _, line := range strings.Split(string(data), "\n") {
				if line != "" && line[0] != ' ' {
					section = line
				}
				if m := spec.FindStringSubmatch(line); m != nil {
					want[m[1]+"@"+strings.SplitN(m[2], "-", 2)[0]] = true
				}
				if section == "DEPENDENCIES" && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
					direct[strings.Fields(line)[0]] = true
				}
			}
			pkgs, err := moreAnalyze(t, ruby.NewBundler(), "app/Gemfile.lock", data, model.TypeBundler)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			for _, p := range pkgs {
				if got := p.Relationship == model.RelationshipDirect; got != direct[p.Name] {
					t.Errorf("%s: relationship %s, DEPENDENCIES lists it: %v", p.ID, p.Relationship, direct[p.Name])
				}
				if l := moreLine(data, p.Locations[0].StartLine); !strings.HasPrefix(l, "    "+p.Name+" (") {
					t.Errorf("%s: location line %q", p.ID, l)
				}
			}
		})
	}
}

// TestMoreGemspec checks installed gemspecs against hand-read values: the
// literal s.name / s.version / s.license(s) assignments of each file.
// malformed00 assigns through a variable that is not the block's and
// malformed01 has no version, so both are errors.
func TestMoreGemspec(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "ruby", "gemspec", "testdata")
	tests := []struct {
		file     string
		id       string
		licenses []string
	}{
		{"license.gemspec", "async@1.25.0", []string{"MIT"}},
		{"multiple_licenses.gemspec", "test-unit@3.3.7", []string{"Ruby", "BSDL", "PSFL"}},
		{"normal00.gemspec", "rake@13.0.3", []string{"MIT"}},
		{"normal01.gemspec", "async@1.25.0", nil}, // licenses = "MIT" is not an array
		{"malformed00.gemspec", "", nil},
		{"malformed01.gemspec", "", nil},
	}
	files := moreGlob(t, filepath.Join(dir, "*.gemspec"))
	if len(files) != len(tests) {
		t.Fatalf("%d gemspec files, %d expectations", len(files), len(tests))
	}
	for _, tt := range tests {
		p, err := rubyparse.ParseGemspec(bytes.NewReader(jspyRead(t, filepath.Join(dir, tt.file))))
		if tt.id == "" {
			if err == nil {
				t.Errorf("%s: want error, got %+v", tt.file, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if p.Name+"@"+p.Version != tt.id || !slices.Equal(p.Licenses, tt.licenses) || p.Ecosystem != "RubyGems" {
			t.Errorf("%s: got %s %v %s, want %s %v", tt.file, p.ID, p.Licenses, p.Ecosystem, tt.id, tt.licenses)
		}
	}
}

// moreLicenses reads a generic Composer "license" value; a string naming
// several licences ("MIT or BSD-2-Clause") is split as Trivy splits it.
func moreLicenses(v any) []string {
	switch l := v.(type) {
	case string:
		return regexp.MustCompile(`,?[_ ]+(?:or|and)[_ ]+|,[ ]*`).Split(l, -1)
	case []any:
		var out []string
		for _, s := range l {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// TestMoreComposer checks composer.lock and installed.json by decoding
// them generically: every entry of packages / packages-dev (lock) or of
// the array / "packages" (installed.json) is expected with its licences;
// packages-dev and dev-package-names are Dev.
func TestMoreComposer(t *testing.T) {
	type file struct {
		path string
		as   string // the path the file is analysed under
		a    analyze.Analyzer
		typ  string
	}
	files := []file{
		{corpus(t, "projects", "trivy-fixtures", "composer", "composer.lock"), "trivy-fixtures/composer/composer.lock", php.NewComposer(), model.TypeComposer},
		{corpus(t, "projects", "trivy-parser-testdata", "php", "composer", "testdata", "composer_happy.lock"), "composer.lock", php.NewComposer(), model.TypeComposer},
		{corpus(t, "projects", "trivy-fixtures", "composer-vendor", "installed.json"), "var/www/vendor/composer/installed.json", php.NewComposerVendor(), model.TypeComposerVend},
	}
	for _, f := range files {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			data := jspyRead(t, f.path)
			var entries []any
			dev := map[string]bool{}
			var doc any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			switch d := doc.(type) {
			case []any:
				entries = d
			case map[string]any:
				for _, key := range []string{"packages", "packages-dev"} {
					list, _ := d[key].([]any)
					entries = append(entries, list...)
					for _, e := range list {
						if key == "packages-dev" {
							dev[e.(map[string]any)["name"].(string)] = true
						}
					}
				}
				if names, ok := d["dev-package-names"].([]any); ok {
					for _, n := range names {
						dev[n.(string)] = true
					}
				}
			}
			want, wantDev, lic := map[string]bool{}, map[string]bool{}, map[string][]string{}
			for _, e := range entries {
				m := e.(map[string]any)
				id := strings.ToLower(m["name"].(string)) + "@" + m["version"].(string)
				want[id] = true
				lic[id] = moreLicenses(m["license"])
				if dev[m["name"].(string)] {
					wantDev[id] = true
				}
			}
			pkgs, err := moreAnalyze(t, f.a, f.as, data, f.typ)
			if err != nil {
				t.Fatal(err)
			}
			checkComposer(t, pkgs, want, wantDev, lic, data)
		})
	}
}

func checkComposer(t *testing.T, pkgs []model.Package, want, dev map[string]bool, lic map[string][]string, data []byte) {
	t.Helper()
	if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(moreSorted(dev), moreIDsWhere(pkgs, func(p model.Package) bool { return p.Dev })); diff != "" {
		t.Errorf("dev packages (-want +got):\n%s", diff)
	}
	for _, p := range pkgs {
		if !slices.Equal(p.Licenses, lic[p.ID]) {
			t.Errorf("%s: licences %v, want %v", p.ID, p.Licenses, lic[p.ID])
		}
		// The entry's lines hold its "name" member.
		loc := p.Locations[0]
		block := strings.Join(strings.Split(string(data), "\n")[loc.StartLine-1:loc.EndLine], "\n")
		if !regexp.MustCompile(`"name":\s*"` + regexp.QuoteMeta(p.Name) + `"`).MatchString(strings.ToLower(block)) {
			t.Errorf("%s: location %v does not hold its entry", p.ID, loc)
		}
	}
}

// TestMorePub checks pubspec.lock by decoding the YAML generically:
// every packages entry with its version; "direct …" entries are direct
// and "direct dev" ones Dev. broken.lock is not YAML and is an error.
func TestMorePub(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "dart", "pub", "testdata"), "*.lock"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "pubspec", "pubspec.lock"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			var doc struct {
				Packages map[string]struct {
					Dependency string `yaml:"dependency"`
					Version    string `yaml:"version"`
				} `yaml:"packages"`
			}
			yerr := yaml.Unmarshal(data, &doc)
			pkgs, err := moreAnalyze(t, dart.NewPub(), "app/pubspec.lock", data, model.TypePub)
			if yerr != nil {
				if err == nil {
					t.Fatalf("not YAML (%v) but no error", yerr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, direct, dev := map[string]bool{}, map[string]bool{}, map[string]bool{}
			for name, p := range doc.Packages {
				id := name + "@" + p.Version
				want[id] = true
				direct[id] = strings.HasPrefix(p.Dependency, "direct ")
				dev[id] = p.Dependency == "direct dev"
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			for _, p := range pkgs {
				if (p.Relationship == model.RelationshipDirect) != direct[p.ID] || p.Dev != dev[p.ID] {
					t.Errorf("%s: relationship %s dev %v", p.ID, p.Relationship, p.Dev)
				}
			}
		})
	}
}

// TestMoreMix checks mix.lock: every line with a {:hex, :name, "version"
// tuple is a package, and there are as many packages as such lines.
func TestMoreMix(t *testing.T) {
	hex := regexp.MustCompile(`\{:hex,\s*:([a-z0-9_]+),\s*"([^"]+)"`)
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "hex", "mix", "testdata"), "*.mix.lock"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "mixlock", "mix.lock"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			want := map[string]bool{}
			for _, m := range hex.FindAllStringSubmatch(string(data), -1) {
				want[m[1]+"@"+m[2]] = true
			}
			pkgs, err := moreAnalyze(t, elixir.NewMix(), "app/mix.lock", data, model.TypeHex)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if n := strings.Count(string(data), "{:hex,"); n != len(pkgs) {
				t.Errorf("%d {:hex, lines, %d packages", n, len(pkgs))
			}
			for _, p := range pkgs {
				if l := moreLine(data, p.Locations[0].StartLine); !strings.Contains(l, ":"+p.Name+",") {
					t.Errorf("%s: location line %q", p.ID, l)
				}
			}
		})
	}
}

// TestMoreSwift checks Package.resolved by decoding it generically: the
// pins of "object" (v1) or of the top level (v2, v3), named by
// repositoryURL / location without "https://" and ".git".
func TestMoreSwift(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "swift", "swift", "testdata"), "*Package.resolved"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "swift", "Package.resolved"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			pins, _ := doc["pins"].([]any)
			if obj, ok := doc["object"].(map[string]any); ok {
				pins, _ = obj["pins"].([]any)
			}
			want := map[string]bool{}
			for _, p := range pins {
				m := p.(map[string]any)
				url, _ := m["location"].(string)
				if url == "" {
					url, _ = m["repositoryURL"].(string)
				}
				state := m["state"].(map[string]any)
				v, _ := state["version"].(string)
				if v == "" {
					v, _ = state["branch"].(string)
				}
				if v != "" {
					want[strings.TrimSuffix(strings.TrimPrefix(url, "https://"), ".git")+"@"+v] = true
				}
			}
			pkgs, err := moreAnalyze(t, swift.NewSwift(), "app/Package.resolved", data, model.TypeSwift)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMoreCocoaPods checks Podfile.lock by decoding the YAML generically:
// every "Name (version)" PODS item, plain or with children. sad.lock
// writes "AppCenter = 4.2.0", which is no such item.
func TestMoreCocoaPods(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "swift", "cocoapods", "testdata"), "*.lock"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "cocoapods", "Podfile.lock"))
	item := regexp.MustCompile(`^(\S+) \(([^)]+)\)$`)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			var doc struct {
				Pods         []any    `yaml:"PODS"`
				Dependencies []string `yaml:"DEPENDENCIES"`
			}
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, p := range doc.Pods {
				var s string
				switch v := p.(type) {
				case string:
					s = v
				case map[string]any:
					for k := range v {
						s = k
					}
				}
				if m := item.FindStringSubmatch(s); m != nil {
					want[m[1]+"@"+m[2]] = true
				}
			}
			pkgs, err := moreAnalyze(t, cocoapods.NewCocoaPods(), "ios/Podfile.lock", data, model.TypeCocoaPods)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			direct := map[string]bool{}
			for _, d := range doc.Dependencies {
				direct[strings.Fields(d)[0]] = true
			}
			for _, p := range pkgs {
				wantRel := model.RelationshipUnknown
				if doc.Dependencies != nil {
					wantRel = model.RelationshipIndirect
					if direct[p.Name] {
						wantRel = model.RelationshipDirect
					}
				}
				if p.Relationship != wantRel {
					t.Errorf("%s: relationship %s, want %s", p.ID, p.Relationship, wantRel)
				}
			}
		})
	}
}

// TestMoreJulia checks Manifest.toml by decoding the TOML generically:
// every entry (top-level [[Name]] in the old format, [[deps.Name]] in
// format 2.0) with its version, or julia_version when it has none, or
// "unknown" (Trivy's word) for stdlibs of old manifests, which record no
// Julia version.
func TestMoreJulia(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "julia", "manifest", "testdata"), "*", "Manifest*.toml"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "julia", "Manifest.toml"))
	for _, f := range files {
		rel := moreRel(t, f)
		t.Run(rel, func(t *testing.T) {
			data := jspyRead(t, f)
			var doc map[string]any
			if err := toml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			jv, _ := doc["julia_version"].(string)
			tables := doc
			if doc["manifest_format"] == "2.0" {
				tables = doc["deps"].(map[string]any)
			}
			// Every entry is a package, identified by its UUID (two
			// entries may share a name and version).
			want := []string{}
			for name, v := range tables {
				list, ok := v.([]any)
				if !ok {
					continue
				}
				for _, e := range list {
					ver, _ := e.(map[string]any)["version"].(string)
					if ver == "" {
						ver = jv
					}
					if ver == "" {
						ver = "unknown"
					}
					uuid, _ := e.(map[string]any)["uuid"].(string)
					want = append(want, uuid+" "+name+"@"+ver)
				}
			}
			slices.Sort(want)
			pkgs, err := moreAnalyze(t, julia.NewJulia(), "app/Manifest.toml", data, model.TypeJulia)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range pkgs {
				got = append(got, p.ID+" "+p.Name+"@"+p.Version)
			}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMoreConda checks conda-meta JSON files by decoding them generically:
// name, version and licences (split as Trivy splits them); files without a name or a version, or not
// JSON, are errors.
func TestMoreConda(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-fixtures", "conda", "miniconda3", "envs", "testenv", "conda-meta"), "*.json"))
	// The parser-testdata files are not under a conda-meta folder: they
	// are analysed as if they were.
	td := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "conda", "meta", "testdata"), "*.json"))
	for _, f := range append(files, td...) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data := jspyRead(t, f)
			var doc struct{ Name, Version, License string }
			jerr := json.Unmarshal(data, &doc)
			a := conda.NewMeta()
			path := "opt/conda/conda-meta/" + filepath.Base(f)
			if slices.Contains(files, f) {
				path = moreRel(t, f)
			}
			if !a.Required(path, nil) {
				t.Fatalf("conda-pkg does not want %s", path)
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: path, Content: data})
			if jerr != nil || doc.Name == "" || doc.Version == "" {
				if err == nil {
					t.Fatalf("want error, got %+v", res)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := res.Applications[0].Packages[0]
			var lic []string
			if doc.License != "" {
				lic = regexp.MustCompile(`,?[_ ]+(?:or|and)[_ ]+|,[ ]*`).Split(doc.License, -1)
			}
			if p.Name != doc.Name || p.Version != doc.Version || !slices.Equal(p.Licenses, lic) || p.FilePath != path ||
				res.Applications[0].Type != model.TypeConda {
				t.Errorf("got %+v, want %s@%s %v", p, doc.Name, doc.Version, lic)
			}
		})
	}
}

// TestMoreBun checks bun.lock by decoding it as JSON once trailing commas
// are dropped: every packages entry's "name@version" first element, and
// the root workspace's declared dependencies as direct. Dev is
// hand-checked: @types/bun is the only devDependency, and bun-types,
// @types/node and undici-types are reachable only through it.
func TestMoreBun(t *testing.T) {
	f := corpus(t, "projects", "trivy-fixtures", "bun", "bun.lock")
	data := jspyRead(t, f)
	plain := regexp.MustCompile(`,(\s*[}\]])`).ReplaceAll(data, []byte("$1"))
	var doc struct {
		Workspaces map[string]map[string]any `json:"workspaces"`
		Packages   map[string][]any          `json:"packages"`
	}
	if err := json.Unmarshal(plain, &doc); err != nil {
		t.Fatal(err)
	}
	want, direct := map[string]bool{}, map[string]bool{}
	for _, e := range doc.Packages {
		want[e[0].(string)] = true
	}
	for _, field := range []string{"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"} {
		deps, _ := doc.Workspaces[""][field].(map[string]any)
		for name := range deps {
			direct[doc.Packages[name][0].(string)] = true
		}
	}
	pkgs, err := moreAnalyze(t, nodejs.NewBun(), moreRel(t, f), data, model.TypeBun)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(moreSorted(direct), moreIDsWhere(pkgs, func(p model.Package) bool { return p.Relationship == model.RelationshipDirect })); diff != "" {
		t.Errorf("direct (-want +got):\n%s", diff)
	}
	wantDev := []string{"@types/bun@1.2.14", "@types/node@22.15.21", "bun-types@1.2.14", "undici-types@6.21.0"}
	if diff := cmp.Diff(wantDev, moreIDsWhere(pkgs, func(p model.Package) bool { return p.Dev })); diff != "" {
		t.Errorf("dev (-want +got):\n%s", diff)
	}
}

// moreNorm is PEP 503 name normalisation.
func moreNorm(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(name, "-"))
}

// TestMorePylock checks pylock.toml by decoding the TOML generically:
// every [[packages]] entry with a version, names normalised. sad.toml is
// not TOML and is an error.
func TestMorePylock(t *testing.T) {
	files := moreGlob(t, filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "python", "pylock", "testdata"), "*.toml"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "pylock", "pylock.toml"))
	for _, f := range files {
		t.Run(moreRel(t, f), func(t *testing.T) {
			data := jspyRead(t, f)
			var doc struct {
				Packages []struct{ Name, Version string } `toml:"packages"`
			}
			terr := toml.Unmarshal(data, &doc)
			pkgs, err := moreAnalyze(t, python.NewPylock(), "app/pylock.toml", data, "pylock")
			if terr != nil {
				if err == nil {
					t.Fatalf("not TOML (%v) but no error", terr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, p := range doc.Packages {
				if p.Version != "" {
					want[moreNorm(p.Name)+"@"+p.Version] = true
				}
			}
			if diff := cmp.Diff(moreSorted(want), moreIDs(pkgs)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			for _, p := range pkgs {
				if l := moreLine(data, p.Locations[0].StartLine); strings.TrimSpace(l) != "[[packages]]" {
					t.Errorf("%s: location starts at %q", p.ID, l)
				}
			}
		})
	}
}
