package acceptance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"github.com/trawlsec/trawl/internal/analyze"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/analyze/lang/nodejs"
	"github.com/trawlsec/trawl/internal/parse/npm"
	"github.com/trawlsec/trawl/internal/parse/pnpm"
	"github.com/trawlsec/trawl/internal/parse/python/packaging"
	"github.com/trawlsec/trawl/internal/parse/python/pip"
	"github.com/trawlsec/trawl/internal/parse/python/pipenv"
	"github.com/trawlsec/trawl/internal/parse/python/poetry"
	"github.com/trawlsec/trawl/internal/parse/python/uv"
	"github.com/trawlsec/trawl/internal/parse/yarn"
	"github.com/trawlsec/trawl/pkg/model"
)

// jspyIDs returns the sorted name@version IDs of pkgs.
func jspyIDs(pkgs []model.Package) []string {
	ids := make([]string, 0, len(pkgs))
	for _, p := range pkgs {
		ids = append(ids, p.Name+"@"+p.Version)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// jspyPyIDs is the sorted set of the IDs of PyPI packages: the PEP 503
// name and the version (names are reported as the lockfile writes them).
func jspyPyIDs(pkgs []model.Package) []string {
	ids := make([]string, 0, len(pkgs))
	for _, p := range pkgs {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func jspyRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jspyNorm is PEP 503 normalisation, written independently of the parser's.
func jspyNorm(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(strings.TrimSpace(name), "-"))
}

// npmLockExpect decodes a package-lock.json generically and returns the
// name@version set it lists, the IDs of the root's direct dependencies and
// each "packages" key with its entry.
func npmLockExpect(t *testing.T, data []byte) (ids, direct []string, entries map[string]map[string]any) {
	t.Helper()
	var doc struct {
		LockfileVersion int                       `json:"lockfileVersion"`
		Packages        map[string]map[string]any `json:"packages"`
		Dependencies    map[string]any            `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	if doc.LockfileVersion == 1 {
		var walk func(deps map[string]any)
		walk = func(deps map[string]any) {
			for name, v := range deps {
				e := v.(map[string]any)
				set[name+"@"+e["version"].(string)] = true
				if sub, ok := e["dependencies"].(map[string]any); ok {
					walk(sub)
				}
			}
		}
		walk(doc.Dependencies)
		return slices.Sorted(maps.Keys(set)), nil, nil
	}
	afterNM := func(p string) string { return p[strings.LastIndex(p, "node_modules/")+len("node_modules/"):] }
	// Links: node_modules/<name> → target folder holding the package.
	linkOf := map[string]string{}
	for key, e := range doc.Packages {
		if e["link"] == true {
			if r, _ := e["resolved"].(string); r != "" {
				linkOf[r] = key
			}
		}
	}
	nameOf := map[string]string{} // key → package name
	for key, e := range doc.Packages {
		if key == "" || e["link"] == true {
			continue
		}
		var name string
		switch {
		case strings.HasPrefix(key, "node_modules/"):
			name = afterNM(key)
		case linkOf[key] != "":
			name = afterNM(linkOf[key])
		case strings.Contains(key, "/node_modules/"):
			name = afterNM(key) // inside a workspace folder
		default:
			continue
		}
		if n, ok := e["name"].(string); ok && n != "" {
			name = n
		}
		v, _ := e["version"].(string)
		nameOf[key] = name
		if v != "" { // a folder without a version is no package
			set[name+"@"+v] = true
		}
	}
	root := doc.Packages[""]
	for _, field := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"} {
		m, _ := root[field].(map[string]any)
		for name := range m {
			if e, ok := doc.Packages["node_modules/"+name]; ok && e["link"] != true {
				direct = append(direct, nameOf["node_modules/"+name]+"@"+e["version"].(string))
			}
		}
	}
	// Workspace members (link targets matching the root's "workspaces"
	// globs) are direct dependencies of the root.
	var globs []string
	switch w := root["workspaces"].(type) {
	case []any:
		for _, g := range w {
			globs = append(globs, g.(string))
		}
	case map[string]any:
		for _, g := range w["packages"].([]any) {
			globs = append(globs, g.(string))
		}
	}
	for target := range linkOf {
		for _, g := range globs {
			if ok, _ := path.Match(g, target); ok {
				if v, _ := doc.Packages[target]["version"].(string); v != "" {
					direct = append(direct, nameOf[target]+"@"+v)
				}
			}
		}
	}
	slices.Sort(direct)
	return slices.Sorted(maps.Keys(set)), slices.Compact(direct), doc.Packages
}

func TestJSPyNpmLockfiles(t *testing.T) {
	var files []string
	files = append(files, corpus(t, "projects", "trivy-fixtures", "npm", "package-lock.json"))
	matches, _ := filepath.Glob(filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "nodejs", "npm", "testdata"), "*.json"))
	files = append(files, matches...)
	files = append(files, corpus(t, "projects", "npm-real", "package-lock.json"))
	keyRE := regexp.MustCompile(`^\s*"([^"]*)":\s*\{`)
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			data := jspyRead(t, file)
			pkgs, err := npm.ParseLockfile(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			ids, direct, entries := npmLockExpect(t, data)
			if len(ids) == 0 && !strings.Contains(file, "broken_link") {
				t.Fatal("no packages derived from the lockfile")
			}
			if diff := cmp.Diff(ids, jspyIDs(pkgs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("name@version set (-lockfile +parsed):\n%s", diff)
			}
			lines := strings.Split(string(data), "\n")
			for _, p := range pkgs {
				if entries != nil {
					want := model.RelationshipIndirect
					if slices.Contains(direct, p.ID) {
						want = model.RelationshipDirect
					}
					if p.Relationship != want {
						t.Errorf("%s: Relationship %q, want %q", p.ID, p.Relationship, want)
					}
				}
				if len(p.Locations) == 0 {
					t.Errorf("%s: no location", p.ID)
				}
				// Each location starts at an object key whose entry is
				// this package's version, and ends at a closing brace.
				for _, l := range p.Locations {
					if l.StartLine < 1 || l.EndLine > len(lines) || l.EndLine < l.StartLine {
						t.Fatalf("%s: location %+v out of range", p.ID, l)
					}
					m := keyRE.FindStringSubmatch(lines[l.StartLine-1])
					if m == nil {
						t.Errorf("%s: line %d is not an object key: %q", p.ID, l.StartLine, lines[l.StartLine-1])
						continue
					}
					if entries != nil {
						if v, _ := entries[m[1]]["version"].(string); v != p.Version {
							t.Errorf("%s: line %d names %q with version %q", p.ID, l.StartLine, m[1], v)
						}
					} else if m[1] != p.Name {
						t.Errorf("%s: line %d names %q", p.ID, l.StartLine, m[1])
					}
					if !strings.HasSuffix(strings.TrimRight(lines[l.EndLine-1], ", \r"), "}") {
						t.Errorf("%s: end line %d is not a closing brace: %q", p.ID, l.EndLine, lines[l.EndLine-1])
					}
				}
			}
		})
	}
}

// TestJSPyNpmReal checks that the real npm project gives the same packages
// from its lockfile (fs) and from node_modules/**/package.json (rootfs),
// and that the direct dependencies are package.json's.
func TestJSPyNpmReal(t *testing.T) {
	dir := corpus(t, "projects", "npm-real")
	lockPkgs, err := npm.ParseLockfile(bytes.NewReader(jspyRead(t, filepath.Join(dir, "package-lock.json"))))
	if err != nil {
		t.Fatal(err)
	}
	// The corpus README says the lockfile holds 66 packages.
	if len(lockPkgs) != 66 {
		t.Errorf("lockfile: %d packages, want 66", len(lockPkgs))
	}
	analyzer := nodejs.NewNodePkg()
	var installed []model.Package
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !analyzer.Required(filepath.ToSlash(rel), nil) {
			return nil
		}
		p, ok, err := npm.ParsePackageJSON(bytes.NewReader(jspyRead(t, path)))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
		} else if ok {
			installed = append(installed, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jspyIDs(lockPkgs), jspyIDs(installed)); diff != "" {
		t.Errorf("lockfile vs node_modules (-lockfile +node_modules):\n%s", diff)
	}

	var manifest struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(jspyRead(t, filepath.Join(dir, "package.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	var wantDirect []string
	for name := range manifest.Dependencies {
		var pj struct{ Version string }
		if err := json.Unmarshal(jspyRead(t, filepath.Join(dir, "node_modules", name, "package.json")), &pj); err != nil {
			t.Fatal(err)
		}
		wantDirect = append(wantDirect, name+"@"+pj.Version)
	}
	slices.Sort(wantDirect)
	var gotDirect []string
	for _, p := range lockPkgs {
		if p.Relationship == model.RelationshipDirect {
			gotDirect = append(gotDirect, p.ID)
		}
	}
	if diff := cmp.Diff(wantDirect, gotDirect); diff != "" {
		t.Errorf("direct dependencies (-package.json +parsed):\n%s", diff)
	}
}

// TestJSPyPackageJSON reads Trivy's package.json edge cases. Expectations
// hand-checked against each file's name, version and license fields.
func TestJSPyPackageJSON(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "nodejs", "packagejson", "testdata")
	tests := []struct {
		file     string
		id       string // "" = not a package
		licenses []string
		wantErr  bool
	}{
		{file: "package.json", id: "bootstrap@5.0.2", licenses: []string{"MIT"}},
		{file: "legacy_package.json", id: "angular@4.1.2", licenses: []string{"ISC"}},                          // {"type": "ISC"}
		{file: "legacy_array_package.json", id: "tv4@1.3.0", licenses: []string{"Public Domain", "MIT"}},       // [{type}…]
		{file: "mixed_array_license_package.json", id: "mixed-array-license@1.0.0", licenses: []string{"MIT"}}, // empty type dropped
		{file: "empty_array_license_package.json", id: "empty-array-license@1.0.0"},
		{file: "null_license_package.json", id: "null-license@1.0.0"},
		{file: "unknown_license_object_package.json", id: "unknown-license-object@1.0.0"}, // {"foo": "bar"}
		{file: "workspace_as_map_package.json", id: "example@1.0.0"},
		{file: "without_name_and_version_package.json"},
		{file: "without_version_package.json"},
		{file: "invalid_name.json", wantErr: true},    // "@invalid/packageName/"
		{file: "invalid_package.json", wantErr: true}, // `"name" "bootstrap"`
	}
	for _, tt := range tests {
		p, ok, err := npm.ParsePackageJSON(bytes.NewReader(jspyRead(t, filepath.Join(dir, tt.file))))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, wantErr %v", tt.file, err, tt.wantErr)
			continue
		}
		if ok != (tt.id != "") || (ok && p.ID != tt.id) {
			t.Errorf("%s: got %q (ok=%v), want %q", tt.file, p.ID, ok, tt.id)
		}
		if ok && !slices.Equal(p.Licenses, tt.licenses) {
			t.Errorf("%s: licenses %q, want %q", tt.file, p.Licenses, tt.licenses)
		}
	}
}

func TestJSPyYarn(t *testing.T) {
	td := corpus(t, "projects", "trivy-parser-testdata", "nodejs", "yarn", "testdata")
	tests := []struct {
		path string
		want []string
	}{
		// Hand-checked: three registry entries.
		{corpus(t, "projects", "trivy-fixtures", "yarn", "yarn.lock"), []string{"asap@2.0.6", "jquery@3.2.1", "promise@8.0.3"}},
		// git+https and file: entries are not registry packages.
		{filepath.Join(td, "yarn_with_git.lock"), []string{}},
		{filepath.Join(td, "yarn_with_local.lock"), []string{"asap@2.0.6", "jquery@3.4.1", "promise@8.0.3"}},
		// "asap@unsupported:~2.0.6" has an unknown protocol.
		{filepath.Join(td, "yarn_with_bad_protocol.lock"), []string{"jquery@3.4.1"}},
		// Quoted field names ("version" "3.6.0").
		{filepath.Join(td, "yarn_with_npm.lock"), []string{"jquery@3.6.0"}},
		// The workspace app@workspace:. is the project itself.
		{filepath.Join(td, "yarn_v2_deps_with_protocol.lock"), []string{"debug@4.3.4", "ms@2.1.2"}},
	}
	for _, tt := range tests {
		pkgs, err := yarn.Parse(bytes.NewReader(jspyRead(t, tt.path)))
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if diff := cmp.Diff(tt.want, jspyIDs(pkgs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", filepath.Base(tt.path), diff)
		}
	}

	// The larger files: every top-level entry with a version and a plain
	// or npm: range is a package (counted from the file with a regexp);
	// yarn_v2_happy also holds fsevents@2.1.3 only as a patch: entry
	// (line 95), which is the npm package fsevents 2.1.3 patched, and the
	// workspace code@workspace:. (the project, not a package).
	for _, name := range []string{"yarn_happy.lock", "yarn_v2_happy.lock"} {
		data := jspyRead(t, filepath.Join(td, name))
		want := jspyYarnBlocks(data)
		if len(want) < 10 {
			t.Fatalf("%s: only %d packages derived from the file", name, len(want))
		}
		if name == "yarn_v2_happy.lock" {
			want = append(want, "fsevents@2.1.3")
			slices.Sort(want)
		}
		pkgs, err := yarn.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, jspyIDs(pkgs)); diff != "" {
			t.Errorf("%s (-file +parsed):\n%s", name, diff)
		}
	}

	// trivy-fixtures/yarn with its package.json (hand-checked): jquery is a
	// dependency, promise a devDependency that needs asap.
	dir := corpus(t, "projects", "trivy-fixtures", "yarn")
	withManifest, err := yarn.ParseWithManifest(bytes.NewReader(jspyRead(t, filepath.Join(dir, "yarn.lock"))),
		bytes.NewReader(jspyRead(t, filepath.Join(dir, "package.json"))))
	if err != nil {
		t.Fatal(err)
	}
	type relDev struct {
		Rel string
		Dev bool
	}
	gotRel := map[string]relDev{}
	for _, p := range withManifest {
		gotRel[p.ID] = relDev{p.Relationship, p.Dev}
	}
	wantRel := map[string]relDev{
		"jquery@3.2.1":  {model.RelationshipDirect, false},
		"promise@8.0.3": {model.RelationshipDirect, true},
		"asap@2.0.6":    {model.RelationshipIndirect, true},
	}
	if diff := cmp.Diff(wantRel, gotRel); diff != "" {
		t.Errorf("yarn fixture with package.json (-want +got):\n%s", diff)
	}

	// Berry: the root workspace's dependencies are direct.
	pkgs, err := yarn.Parse(bytes.NewReader(jspyRead(t, filepath.Join(td, "yarn_v2_deps_with_protocol.lock"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		// app@workspace:. depends on debug only (line 12).
		want := map[string]string{"debug@4.3.4": model.RelationshipDirect, "ms@2.1.2": model.RelationshipIndirect}[p.ID]
		if p.Relationship != want {
			t.Errorf("%s: Relationship %q, want %q", p.ID, p.Relationship, want)
		}
	}
}

// jspyYarnBlocks lists name@version of the yarn.lock entries whose first
// pattern has a semver range or the npm: protocol.
func jspyYarnBlocks(data []byte) []string {
	verRE := regexp.MustCompile(`^  "?version"?:? "?([^"]+)"?$`)
	set := map[string]bool{}
	var cur string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			if m := verRE.FindStringSubmatch(line); m != nil && cur != "" {
				set[cur+"@"+m[1]] = true
			}
			continue
		}
		cur = ""
		key, ok := strings.CutSuffix(line, ":")
		if !ok || strings.HasPrefix(key, "#") || key == "__metadata" {
			continue
		}
		first := strings.Trim(strings.Split(key, ", ")[0], `"`)
		at := strings.Index(first[1:], "@") + 1
		if at <= 0 {
			continue
		}
		if rng := strings.TrimPrefix(first[at+1:], "npm:"); !strings.Contains(rng, ":") {
			cur = first[:at]
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func TestJSPyPnpm(t *testing.T) {
	td := corpus(t, "projects", "trivy-parser-testdata", "nodejs", "pnpm", "testdata")
	files, _ := filepath.Glob(filepath.Join(td, "*.yaml"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "pnpm", "pnpm-lock.yaml"))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data := jspyRead(t, file)
			want := jspyPnpmExpect(t, data)
			if len(want) == 0 {
				t.Fatal("no packages derived from the lockfile")
			}
			pkgs, err := pnpm.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, jspyIDs(pkgs)); diff != "" {
				t.Errorf("(-file +parsed):\n%s", diff)
			}
		})
	}
	// trivy-fixtures/pnpm: both packages are the importer's dependencies.
	pkgs, err := pnpm.Parse(bytes.NewReader(jspyRead(t, corpus(t, "projects", "trivy-fixtures", "pnpm", "pnpm-lock.yaml"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if p.Relationship != model.RelationshipDirect || p.Dev {
			t.Errorf("%s: Relationship %q Dev %v, want direct, not dev", p.ID, p.Relationship, p.Dev)
		}
	}
}

// jspyPnpmExpect derives name@version from the keys of the last YAML
// document's "packages" (v5/v6) or "snapshots" (v9) map: the key minus
// leading "/", minus the peer suffix, split at the last "@" (v6+) or "/"
// (v5); entries with explicit name and version fields use those.
func jspyPnpmExpect(t *testing.T, data []byte) []string {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc map[string]any
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			break
		}
		if d != nil {
			doc = d
		}
	}
	var v5 bool
	switch v := doc["lockfileVersion"].(type) {
	case float64:
		v5 = v < 6
	case int:
		v5 = v < 6
	}
	section := "packages"
	if _, ok := doc["snapshots"]; ok {
		section = "snapshots"
	}
	packages, _ := doc["packages"].(map[string]any)
	m, _ := doc[section].(map[string]any)
	set := map[string]bool{}
	for key, v := range m {
		e, _ := v.(map[string]any)
		if e == nil && section == "snapshots" {
			e, _ = packages[key].(map[string]any)
		}
		if n, ok := e["name"].(string); ok {
			if ver, ok := e["version"].(string); ok {
				set[n+"@"+ver] = true
				continue
			}
		}
		k := strings.TrimPrefix(key, "/")
		if i := strings.IndexAny(k, "(_"); i > 0 && !v5 || v5 && strings.Contains(k, "_") {
			k = k[:strings.IndexAny(k, "(_")]
		}
		sep := "@"
		if v5 {
			sep = "/"
		}
		i := strings.LastIndex(k, sep)
		if i <= 0 {
			continue
		}
		name, ver := k[:i], k[i+1:]
		if ver == "" || ver[0] < '0' || ver[0] > '9' {
			continue
		}
		set[name+"@"+ver] = true
	}
	return slices.Sorted(maps.Keys(set))
}

func TestJSPyPip(t *testing.T) {
	td := corpus(t, "projects", "trivy-parser-testdata", "python", "pip", "testdata")
	tests := []struct {
		path string
		want []string
	}{
		// Hand-checked against each file; "MarkupSafe>2.0.0" is unpinned.
		{corpus(t, "projects", "trivy-fixtures", "pip", "requirements.txt"), []string{"click@8.0.0", "flask@2.0.0", "itsdangerous@2.0.0", "jinja2@3.0.0", "oauth2-client@4.0.0", "python-gitlab@2.0.0", "werkzeug@0.11"}},
		{filepath.Join(td, "requirement_exstras.txt"), []string{"celery@4.4.7", "pyjwt@2.1.0"}},
		// Commented-out pins are not packages; "#comment" right after a
		// version ends it.
		{filepath.Join(td, "requirements_comments.txt"), []string{"click@8.0.0", "flask@2.0.0", "jinja2@3.0.0", "markupsafe@2.0.0"}},
		// Wildcards (==2.0.*, ==5.*.*) and ranges are not pins.
		{filepath.Join(td, "requirements_compatible.txt"), []string{}},
		{filepath.Join(td, "requirements_flask.txt"), []string{"click@8.0.0", "flask@2.0.0", "itsdangerous@2.0.0", "jinja2@3.0.0", "markupsafe@2.0.0", "werkzeug@2.0.0"}},
		// --hash options over continuation lines.
		{filepath.Join(td, "requirements_hash.txt"), []string{"fooproject@1.2", "jinja2@3.0.0"}},
		{filepath.Join(td, "requirements_hyphens.txt"), []string{"oauth2-client@4.0.0", "python-gitlab@2.0.0"}},
		{filepath.Join(td, "requirements_no_version.txt"), []string{"flask@2.0.0"}},
		// Markers after ";" are dropped; != and >= are not pins.
		{filepath.Join(td, "requirements_operator.txt"), []string{"django@2.3.4", "someproject@5.4"}},
		{filepath.Join(td, "requirements_spaces.txt"), []string{"click@8.0.0", "flask@2.0.0", "itsdangerous@2.0.0", "jinja2@3.0.0"}},
		// UTF-16LE with byte order mark.
		{filepath.Join(td, "requirements_utf16le.txt"), []string{"attrs@20.3.0"}},
		// Template syntax yields neither valid names nor versions.
		{filepath.Join(td, "requirements_with_templating_engine.txt"), []string{}},
	}
	for _, tt := range tests {
		f, err := pip.Parse(bytes.NewReader(jspyRead(t, tt.path)))
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if diff := cmp.Diff(tt.want, jspyPyIDs(f.Packages)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", filepath.Base(tt.path), diff)
		}
	}
}

func TestJSPyPipenv(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "python", "pipenv", "testdata"), "*.lock"))
	files = append(files, corpus(t, "projects", "trivy-fixtures", "pipenv", "Pipfile.lock"), corpus(t, "projects", "trivy-fixtures", "trivy-ci-test", "Pipfile.lock"))
	for _, file := range files {
		data := jspyRead(t, file)
		var doc map[string]map[string]map[string]any
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		doc = map[string]map[string]map[string]any{}
		for _, s := range []string{"default", "develop"} {
			m := map[string]map[string]any{}
			if len(raw[s]) > 0 {
				if err := json.Unmarshal(raw[s], &m); err != nil {
					t.Fatal(err)
				}
			}
			doc[s] = m
		}
		set := map[string]bool{}
		dev := map[string]bool{}
		for _, s := range []string{"develop", "default"} {
			for name, e := range doc[s] {
				v, _ := e["version"].(string)
				if v == "" {
					continue
				}
				id := jspyNorm(name) + "@" + strings.TrimPrefix(v, "==")
				set[id] = true
				dev[id] = s == "develop"
			}
		}
		if len(set) == 0 {
			t.Fatalf("%s: no packages derived from the lockfile", file)
		}
		pkgs, err := pipenv.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if diff := cmp.Diff(slices.Sorted(maps.Keys(set)), jspyPyIDs(pkgs)); diff != "" {
			t.Errorf("%s (-file +parsed):\n%s", file, diff)
		}
		for _, p := range pkgs {
			if p.Dev != dev[p.ID] {
				t.Errorf("%s: %s Dev %v, want %v", file, p.ID, p.Dev, dev[p.ID])
			}
		}
	}
}

// jspyTOMLPackages decodes a TOML lockfile generically and returns the
// normalised name@version of its [[package]] entries that have a version.
func jspyTOMLPackages(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Package []map[string]any `toml:"package"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, p := range doc.Package {
		if v, ok := p["version"].(string); ok {
			set[jspyNorm(p["name"].(string))+"@"+v] = true
		}
	}
	if len(set) == 0 {
		t.Fatal("no packages derived from the lockfile")
	}
	return slices.Sorted(maps.Keys(set))
}

func TestJSPyPoetryUv(t *testing.T) {
	poetryFiles, _ := filepath.Glob(filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "python", "poetry", "testdata"), "*.lock"))
	poetryFiles = append(poetryFiles, corpus(t, "projects", "trivy-fixtures", "poetry", "poetry.lock"))
	for _, file := range poetryFiles {
		data := jspyRead(t, file)
		pkgs, err := poetry.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if diff := cmp.Diff(jspyTOMLPackages(t, data), jspyIDs(pkgs)); diff != "" {
			t.Errorf("%s (-file +parsed):\n%s", file, diff)
		}
	}
	uvFiles, _ := filepath.Glob(filepath.Join(corpus(t, "projects", "trivy-parser-testdata", "python", "uv", "testdata"), "*.lock"))
	uvFiles = append(uvFiles, corpus(t, "projects", "trivy-fixtures", "uv", "uv.lock"))
	for _, file := range uvFiles {
		data := jspyRead(t, file)
		pkgs, err := uv.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if diff := cmp.Diff(jspyTOMLPackages(t, data), jspyIDs(pkgs)); diff != "" {
			t.Errorf("%s (-file +parsed):\n%s", file, diff)
		}
	}

	// poetry fixture + its pyproject.toml: werkzeug and click are declared
	// (hand-checked in pyproject.toml), the rest is indirect.
	dir := corpus(t, "projects", "trivy-fixtures", "poetry")
	pkgs, err := poetry.Parse(bytes.NewReader(jspyRead(t, filepath.Join(dir, "poetry.lock"))))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := poetry.Direct(bytes.NewReader(jspyRead(t, filepath.Join(dir, "pyproject.toml"))))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"werkzeug": true, "click": true}, direct); diff != "" {
		t.Errorf("pyproject direct names (-want +got):\n%s", diff)
	}
	analyze.MarkDirect(pkgs, direct, nil)
	for _, p := range pkgs {
		want := model.RelationshipIndirect
		if direct[p.Name] {
			want = model.RelationshipDirect
		}
		if p.Relationship != want {
			t.Errorf("%s: Relationship %q, want %q", p.ID, p.Relationship, want)
		}
	}
}

// TestJSPyPackaging reads Trivy's METADATA / PKG-INFO samples; expected
// name and version come from each file's own Name: and Version: lines.
func TestJSPyPackaging(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "python", "packaging", "testdata")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data := jspyRead(t, filepath.Join(dir, e.Name()))
		p, err := packaging.Parse(bytes.NewReader(data))
		if e.Name() == "invalid.json" {
			if err == nil {
				t.Errorf("%s: want error", e.Name())
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		var name, version string
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "Name:"); ok && name == "" {
				name = jspyNorm(v)
			}
			if v, ok := strings.CutPrefix(line, "Version:"); ok && version == "" {
				version = strings.TrimSpace(v)
			}
		}
		if want := name + "@" + version; p.ID != want {
			t.Errorf("%s: %s, want %s", e.Name(), p.ID, want)
		}
	}
	// Licences, hand-checked: License-Expression wins (iniconfig); a
	// plain License field (asyncssh); "UNKNOWN" is no licence.
	for file, want := range map[string][]string{
		"iniconfig-2.0.0.METADATA":                  {"MIT"},
		"asyncssh-2.14.2.METADATA":                  {"Eclipse Public License v2.0"},
		"setuptools-51.3.3-py3.8.egg-info.PKG-INFO": jspyClassifierLicenses(jspyRead(t, filepath.Join(dir, "setuptools-51.3.3-py3.8.egg-info.PKG-INFO"))),
	} {
		p, err := packaging.Parse(bytes.NewReader(jspyRead(t, filepath.Join(dir, file))))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Licenses, want) {
			t.Errorf("%s: licenses %q, want %q", file, p.Licenses, want)
		}
	}
}

// jspyClassifierLicenses returns the last segment of each
// "Classifier: License :: …" line.
func jspyClassifierLicenses(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "Classifier: License :: "); ok {
			parts := strings.Split(v, " :: ")
			if l := parts[len(parts)-1]; l != "OSI Approved" {
				out = append(out, l)
			}
		}
	}
	return out
}
