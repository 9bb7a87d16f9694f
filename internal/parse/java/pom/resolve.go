package pom

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Limits of one Resolver.
const (
	// MaxTransitiveDepth bounds the dependency levels read below a
	// project's direct dependencies.
	MaxTransitiveDepth = 32
	// maxPOMs bounds the POMs one Resolver loads (module tree and local
	// repository together).
	maxPOMs = 4096
	// maxParents bounds a chain of parent POMs.
	maxParents = 32
	// maxPOMSize bounds one POM read from the local repository.
	maxPOMSize = 16 << 20
)

// Resolver resolves pom.xml files the way Maven builds its effective model,
// offline: parent POMs from the module tree (by <relativePath>, default
// "../pom.xml") or the local repository, properties (project.*, parent.*,
// inherited ones; env.* never), <dependencyManagement> with inheritance and
// import-scoped BOMs, modules, and transitive dependencies from the local
// repository when it holds their POMs (nearest wins, exclusions honoured).
// Nothing is downloaded: whatever neither Files nor Repo holds stays
// unresolved and is reported as a warning, never guessed.
//
// A Resolver caches the POMs it read; it is not safe for concurrent use.
type Resolver struct {
	files fs.FS
	repo  fs.FS

	cache   map[string]*effective
	loading map[string]bool
	loaded  int
}

// NewResolver returns a Resolver over files (the project's POMs at
// slash-separated paths) and repo, a local repository in the
// ~/.m2/repository layout (group/path/artifact/version/artifact-version.pom);
// repo may be nil.
func NewResolver(files, repo fs.FS) *Resolver {
	return &Resolver{files: files, repo: repo, cache: map[string]*effective{}, loading: map[string]bool{}}
}

// Resolved is what Resolve found for one pom.xml.
type Resolved struct {
	// Packages are the project (root), its modules (workspace), their
	// direct and transitive dependencies, sorted by ID.
	Packages []model.Package
	// Warnings name what could not be resolved.
	Warnings []string
	// Modules are the paths (in Files) of the module POMs whose packages
	// Packages includes.
	Modules []string
}

// effective is a POM after inheritance, interpolation and dependency
// management.
type effective struct {
	group, artifact, version string
	licenses                 []string
	deps                     []dep
	managed                  map[string]dep
	modules                  []string
	// file is the path in Files, "" for a repository POM.
	file     string
	warnings []string
}

type dep struct {
	group, artifact, version, scope string
	optional                        bool
	exclusions                      []string
	// start and end are lines in file, the POM that declares the
	// dependency ("" when inherited from a parent).
	start, end int
	file       string
}

func (d dep) key() string { return d.group + ":" + d.artifact }

// Resolve resolves the pom.xml at p in Files.
func (r *Resolver) Resolve(ctx context.Context, p string) (*Resolved, error) {
	e, err := r.fromFile(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &Resolved{}
	t := &tree{r: r, ctx: ctx, res: res, byID: map[string]int{}, edges: map[string][]string{}, rootPath: p}
	t.warn(e.warnings...)
	t.project(e, model.RelationshipRoot)
	seenMod := map[string]bool{p: true}
	var walkModules func(e *effective) error
	walkModules = func(e *effective) error {
		for _, m := range e.modules {
			mp := modulePath(e.file, m)
			if mp == "" || seenMod[mp] {
				continue
			}
			seenMod[mp] = true
			me, err := r.fromFile(ctx, mp)
			if errors.Is(err, fs.ErrNotExist) {
				t.warn(fmt.Sprintf("module %s: %s not found", m, mp))
				continue
			}
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return cerr
				}
				t.warn(fmt.Sprintf("module %s: %v", m, err))
				continue
			}
			res.Modules = append(res.Modules, mp)
			t.warn(me.warnings...)
			t.project(me, model.RelationshipWorkspace)
			if err := walkModules(me); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walkModules(e); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Packages = t.packages()
	sort.Strings(res.Modules)
	return res, nil
}

// modulePath is the POM of module m of the POM at file.
func modulePath(file, m string) string {
	m = strings.TrimSpace(strings.ReplaceAll(m, "\\", "/"))
	if m == "" {
		return ""
	}
	p := path.Join(path.Dir(file), m)
	if !strings.HasSuffix(p, ".xml") {
		p = path.Join(p, "pom.xml")
	}
	if !fs.ValidPath(p) {
		return ""
	}
	return p
}

// tree collects the packages of one Resolve.
type tree struct {
	r     *Resolver
	ctx   context.Context
	res   *Resolved
	pkgs  []model.Package
	byID  map[string]int
	edges map[string][]string
	// rootPath is the pom.xml resolved: only dependencies it declares
	// get Locations.
	rootPath string
}

func (t *tree) warn(w ...string) {
	for _, s := range w {
		if !containsString(t.res.Warnings, s) {
			t.res.Warnings = append(t.res.Warnings, s)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// project adds a project (root or module) and its dependency tree.
func (t *tree) project(e *effective, rel string) {
	rootID := ""
	if !unresolved(e.group) && !unresolved(e.artifact) && !unresolved(e.version) {
		rootID = e.group + ":" + e.artifact + "@" + e.version
		if i, ok := t.byID[rootID]; ok {
			// A module another module depends on is still a module.
			if t.pkgs[i].Relationship != model.RelationshipRoot {
				t.pkgs[i].Relationship = rel
				t.pkgs[i].Dev = false
				t.pkgs[i].Licenses = e.licenses
			}
		} else {
			t.add(model.Package{ID: rootID, Name: e.group + ":" + e.artifact, Version: e.version, Ecosystem: Ecosystem, Relationship: rel, Licenses: e.licenses})
		}
	} else {
		t.warn(fmt.Sprintf("project %s:%s (%s): version %q not resolvable", e.group, e.artifact, e.file, e.version))
	}
	t.dependencies(e, rootID)
}

func (t *tree) add(p model.Package) {
	t.byID[p.ID] = len(t.pkgs)
	t.pkgs = append(t.pkgs, p)
}

func (t *tree) edge(from, to string) {
	if from == "" || from == to || containsString(t.edges[from], to) {
		return
	}
	t.edges[from] = append(t.edges[from], to)
}

// node is a dependency waiting in the breadth-first queue.
type node struct {
	d          dep
	from       string
	depth      int
	dev        bool
	runtime    bool
	exclusions []string
}

// dependencies resolves e's dependencies breadth first: the nearest
// declaration of an artifact wins (Maven's mediation), the root's
// dependencyManagement overrides transitive versions.
func (t *tree) dependencies(e *effective, rootID string) {
	var queue []node
	for _, d := range e.deps {
		scope := strings.ToLower(d.scope)
		if d.optional || (scope != "" && scope != "compile" && scope != "runtime" && scope != "test" && scope != "provided") {
			continue
		}
		queue = append(queue, node{d: d, from: rootID, dev: scope == "test" || scope == "provided", runtime: scope == "runtime", exclusions: d.exclusions})
	}
	chosen := map[string]string{} // group:artifact → ID
	for len(queue) > 0 {
		if t.ctx.Err() != nil {
			return
		}
		n := queue[0]
		queue = queue[1:]
		key := n.d.key()
		if id, ok := chosen[key]; ok {
			t.edge(n.from, id)
			if !n.dev {
				t.pkgs[t.byID[id]].Dev = false
			}
			continue
		}
		version := n.d.version
		if m, ok := e.managed[key]; ok && n.depth > 0 {
			// The project's dependencyManagement governs transitive
			// dependencies too: version and scope.
			if m.version != "" {
				version = m.version
			}
			if m.scope == "test" || m.scope == "provided" {
				n.dev = true
			}
		}
		v, ok := pinned(version)
		if unresolved(n.d.group) || unresolved(n.d.artifact) || !ok {
			where := e.file
			if n.depth > 0 {
				where = "dependency of " + n.from
			}
			t.warn(fmt.Sprintf("dependency %s (%s): version %q not resolvable", key, where, version))
			continue
		}
		id := key + "@" + v
		chosen[key] = id
		t.edge(n.from, id)
		if i, ok := t.byID[id]; ok {
			// Already there from another project of the same tree.
			if !n.dev {
				t.pkgs[i].Dev = false
			}
			if n.depth == 0 && t.pkgs[i].Relationship == model.RelationshipIndirect {
				t.pkgs[i].Relationship = model.RelationshipDirect
			}
			if rel := t.pkgs[i].Relationship; rel == model.RelationshipRoot || rel == model.RelationshipWorkspace {
				continue // a module: its own dependencies are resolved as such
			}
		} else {
			p := model.Package{ID: id, Name: key, Version: v, Ecosystem: Ecosystem, Dev: n.dev, Relationship: model.RelationshipIndirect}
			if n.depth == 0 {
				p.Relationship = model.RelationshipDirect
			}
			if n.depth == 0 && n.d.start > 0 && n.d.file == t.rootPath {
				p.Locations = []model.Location{{StartLine: n.d.start, EndLine: n.d.end}}
			}
			t.add(p)
		}
		if n.depth >= MaxTransitiveDepth {
			continue
		}
		child, err := t.r.fromRepo(t.ctx, n.d.group, n.d.artifact, v)
		if err != nil {
			t.warn(fmt.Sprintf("dependency %s: %v", id, err))
			continue
		}
		if child == nil {
			continue
		}
		t.warn(child.warnings...)
		for _, cd := range child.deps {
			scope := strings.ToLower(cd.scope)
			if cd.optional || (scope != "" && scope != "compile" && scope != "runtime") || excluded(n.exclusions, cd) {
				continue
			}
			queue = append(queue, node{
				d: cd, from: id, depth: n.depth + 1, dev: n.dev, runtime: n.runtime || scope == "runtime",
				exclusions: append(append([]string(nil), n.exclusions...), cd.exclusions...),
			})
		}
	}
}

// packages returns the packages with their DependsOn, sorted by ID.
func (t *tree) packages() []model.Package {
	out := append([]model.Package(nil), t.pkgs...)
	for i := range out {
		deps := append([]string(nil), t.edges[out[i].ID]...)
		if out[i].Relationship == model.RelationshipRoot || out[i].Relationship == model.RelationshipWorkspace {
			// Development dependencies are not what the project needs.
			deps = deps[:0:0]
			for _, d := range t.edges[out[i].ID] {
				if j, ok := t.byID[d]; ok && !t.pkgs[j].Dev {
					deps = append(deps, d)
				}
			}
		}
		sort.Strings(deps)
		if len(deps) > 0 {
			out[i].DependsOn = deps
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// excluded reports whether an exclusion ("group:artifact", "*" wildcards)
// matches d.
func excluded(exclusions []string, d dep) bool {
	for _, x := range exclusions {
		g, a, _ := strings.Cut(x, ":")
		if (g == "*" || g == d.group) && (a == "*" || a == d.artifact) {
			return true
		}
	}
	return false
}

// pinned returns the version a Maven version string names: itself, or the
// single version of a hard requirement ("[1.2.3]"). Ranges are not
// resolved (that needs the repository's version list).
func pinned(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") && !strings.Contains(v, ",") {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	if unresolved(v) || strings.ContainsAny(v, "[](),") {
		return "", false
	}
	return v, true
}

// fromFile loads the POM at p in Files.
func (r *Resolver) fromFile(ctx context.Context, p string) (*effective, error) {
	key := "file:" + p
	if e, ok := r.cache[key]; ok {
		return e, nil
	}
	content, err := fs.ReadFile(r.files, p)
	if err != nil {
		return nil, err
	}
	e, err := r.build(ctx, where{fsys: r.files, path: p}, content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return e, nil
}

// where is a POM's place: a path in Files or in the local repository.
type where struct {
	fsys fs.FS
	path string
	repo bool
}

func (w where) key() string {
	if w.repo {
		return "repo:" + w.path
	}
	return "file:" + w.path
}

// file is the path in Files ("" for a repository POM).
func (w where) file() string {
	if w.repo {
		return ""
	}
	return w.path
}

// repoPath is the repository path of a POM; "" for coordinates that are
// not plain names.
func repoPath(g, a, v string) string {
	for _, s := range []string{g, a, v} {
		if s == "" || unresolved(s) || strings.ContainsAny(s, "/\\") || strings.Contains(s, "..") {
			return ""
		}
	}
	p := strings.ReplaceAll(g, ".", "/") + "/" + a + "/" + v + "/" + a + "-" + v + ".pom"
	if !fs.ValidPath(p) {
		return ""
	}
	return p
}

// fromRepo loads a POM from the local repository; nil without error when
// there is no repository or it does not hold the POM.
func (r *Resolver) fromRepo(ctx context.Context, g, a, v string) (*effective, error) {
	if r.repo == nil {
		return nil, nil
	}
	p := repoPath(g, a, v)
	if p == "" {
		return nil, nil
	}
	key := "repo:" + p
	if e, ok := r.cache[key]; ok {
		return e, nil
	}
	f, err := r.repo.Open(p)
	if errors.Is(err, fs.ErrNotExist) && strings.HasSuffix(v, "-SNAPSHOT") {
		if sp := r.snapshotPOM(path.Dir(p), a); sp != "" {
			f, err = r.repo.Open(sp)
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		r.cache[key] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	content, err := io.ReadAll(io.LimitReader(f, maxPOMSize+1))
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if len(content) > maxPOMSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, maxPOMSize)
	}
	e, err := r.build(ctx, where{fsys: r.repo, path: p, repo: true}, content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return e, nil
}

// snapshotPOM finds the POM of the latest build of a SNAPSHOT version
// that a remote repository put in dir ("artifact-1.0-20240312.035235-10.pom"),
// from dir's maven-metadata.xml; "" when there is none.
func (r *Resolver) snapshotPOM(dir, artifact string) string {
	for _, name := range []string{"maven-metadata.xml", "maven-metadata-local.xml"} {
		content, err := fs.ReadFile(r.repo, path.Join(dir, name))
		if err != nil || len(content) > maxPOMSize {
			continue
		}
		var md struct {
			Versions []struct {
				Extension  string `xml:"extension"`
				Classifier string `xml:"classifier"`
				Value      string `xml:"value"`
			} `xml:"versioning>snapshotVersions>snapshotVersion"`
		}
		if xml.Unmarshal(content, &md) != nil {
			continue
		}
		for _, sv := range md.Versions {
			v := strings.TrimSpace(sv.Value)
			if sv.Extension == "pom" && sv.Classifier == "" && v != "" && !strings.ContainsAny(v, "/\\") && !strings.Contains(v, "..") {
				return path.Join(dir, artifact+"-"+v+".pom")
			}
		}
	}
	return ""
}

// build decodes a POM and computes its effective model.
func (r *Resolver) build(ctx context.Context, at where, content []byte) (*effective, error) {
	key, file := at.key(), at.file()
	if r.loading[key] {
		return nil, errors.New("POM inherits or imports itself")
	}
	if r.loaded >= maxPOMs {
		return nil, fmt.Errorf("more than %d POMs to read", maxPOMs)
	}
	r.loaded++
	r.loading[key] = true
	defer delete(r.loading, key)
	proj, err := decode(ctx, content)
	if err != nil {
		return nil, err
	}
	e := &effective{file: file}
	chain := []*project{proj}
	files := []string{file}
	for cur, curAt := proj, at; cur.Parent.ArtifactID != "" && len(chain) <= maxParents; {
		par, parAt, warn := r.parent(ctx, cur, curAt, chain)
		if warn != "" {
			e.warnings = append(e.warnings, warn)
		}
		if par == nil {
			break
		}
		chain = append(chain, par)
		files = append(files, parAt.file())
		cur, curAt = par, parAt
	}

	// Coordinates and properties after inheritance.
	synth := project{ArtifactID: proj.ArtifactID, Parent: proj.Parent, Properties: properties{}}
	for _, c := range chain {
		if synth.GroupID == "" {
			synth.GroupID = firstNonEmpty(c.GroupID, c.Parent.GroupID)
		}
		if synth.Version == "" {
			synth.Version = firstNonEmpty(c.Version, c.Parent.Version)
		}
		if len(e.licenses) == 0 {
			for _, l := range c.Licenses {
				if n := strings.TrimSpace(l.Name); n != "" {
					e.licenses = append(e.licenses, n)
				}
			}
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for k, v := range chain[i].Properties {
			synth.Properties[k] = v
		}
	}
	rs := resolver{proj: &synth}
	e.group, e.artifact, e.version = rs.groupID(), rs.expand(proj.ArtifactID), rs.version()
	e.modules = proj.Modules

	// dependencyManagement: explicit entries (child first), then imports.
	e.managed = map[string]dep{}
	var imports []dep
	for i, c := range chain {
		for _, d := range c.Management.Dependency {
			md := r.toDep(rs, d, files[i], 0, 0)
			if strings.EqualFold(md.scope, "import") {
				imports = append(imports, md)
				continue
			}
			if _, ok := e.managed[md.key()]; !ok {
				e.managed[md.key()] = md
			}
		}
	}
	for _, imp := range imports {
		v, ok := pinned(imp.version)
		if !ok {
			e.warnings = append(e.warnings, fmt.Sprintf("imported BOM %s: version %q not resolvable", imp.key(), imp.version))
			continue
		}
		bom, err := r.fromRepo(ctx, imp.group, imp.artifact, v)
		if err != nil {
			e.warnings = append(e.warnings, fmt.Sprintf("imported BOM %s:%s: %v", imp.key(), v, err))
			continue
		}
		if bom == nil {
			e.warnings = append(e.warnings, fmt.Sprintf("imported BOM %s:%s not in the local repository", imp.key(), v))
			continue
		}
		e.warnings = append(e.warnings, bom.warnings...)
		for k, md := range bom.managed {
			if _, ok := e.managed[k]; !ok {
				e.managed[k] = md
			}
		}
	}

	// Dependencies: the child's, then the ones inherited from parents.
	seen := map[string]bool{}
	for i, c := range chain {
		var located []located
		if i == 0 {
			located = proj.locatedDeps
		} else {
			located = c.locatedDeps
		}
		for _, ld := range located {
			d := r.toDep(rs, ld.dependency, files[i], ld.start, ld.end)
			if seen[d.key()] {
				continue
			}
			seen[d.key()] = true
			if m, ok := e.managed[d.key()]; ok {
				if d.version == "" {
					d.version = m.version
				}
				if d.scope == "" {
					d.scope = m.scope
				}
				d.exclusions = append(d.exclusions, m.exclusions...)
			}
			e.deps = append(e.deps, d)
		}
	}
	r.cache[key] = e
	return e, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			return x
		}
	}
	return ""
}

// toDep interpolates a declared dependency.
func (r *Resolver) toDep(rs resolver, d dependency, file string, start, end int) dep {
	d = rs.dep(d)
	out := dep{group: d.GroupID, artifact: d.ArtifactID, version: d.Version, scope: strings.ToLower(d.Scope),
		optional: strings.EqualFold(d.Optional, "true"), file: file, start: start, end: end}
	for _, x := range d.Exclusions {
		g, a := rs.expand(x.GroupID), rs.expand(x.ArtifactID)
		if g == "" {
			g = "*"
		}
		if a == "" {
			a = "*"
		}
		out.exclusions = append(out.exclusions, g+":"+a)
	}
	return out
}

// parent finds the parent of cur (at at): by relativePath beside it (in
// Files, or in the repository for a repository POM), else in the local
// repository by coordinates.
func (r *Resolver) parent(ctx context.Context, cur *project, at where, chain []*project) (*project, where, string) {
	pg, pa := strings.TrimSpace(cur.Parent.GroupID), strings.TrimSpace(cur.Parent.ArtifactID)
	pv := strings.TrimSpace(cur.Parent.Version)
	if strings.Contains(pv, "${") {
		// CI-friendly versions (${revision}) come from the child.
		props := properties{}
		for i := len(chain) - 1; i >= 0; i-- {
			for k, v := range chain[i].Properties {
				props[k] = v
			}
		}
		pv = resolver{proj: &project{Properties: props}}.expand(pv)
	}
	name := pg + ":" + pa + ":" + pv
	rel := "../pom.xml"
	if cur.Parent.RelativePath != nil {
		rel = strings.TrimSpace(strings.ReplaceAll(*cur.Parent.RelativePath, "\\", "/"))
	}
	if rel != "" {
		p := path.Join(path.Dir(at.path), rel)
		if !strings.HasSuffix(p, ".xml") {
			p = path.Join(p, "pom.xml")
		}
		cand := where{fsys: at.fsys, path: p, repo: at.repo}
		if fs.ValidPath(p) && p != at.path && !r.loading[cand.key()] {
			if par := r.readParent(ctx, cand, chain); par != nil && strings.TrimSpace(par.ArtifactID) == pa && firstNonEmpty(par.GroupID, par.Parent.GroupID) == pg {
				if r.loaded >= maxPOMs {
					return nil, where{}, fmt.Sprintf("parent %s: more than %d POMs to read", name, maxPOMs)
				}
				r.loaded++
				return par, cand, ""
			}
		}
	}
	if rp := repoPath(pg, pa, pv); r.repo != nil && rp != "" {
		cand := where{fsys: r.repo, path: rp, repo: true}
		if !r.loading[cand.key()] {
			if par := r.readParent(ctx, cand, chain); par != nil {
				r.loaded++
				return par, cand, ""
			}
		}
	}
	return nil, where{}, fmt.Sprintf("parent %s not found in the project or the local repository", name)
}

// readParent decodes the POM at at; nil when it is missing, unreadable or
// already in chain (a parent loop).
func (r *Resolver) readParent(ctx context.Context, at where, chain []*project) *project {
	f, err := at.fsys.Open(at.path)
	if err != nil {
		return nil
	}
	content, err := io.ReadAll(io.LimitReader(f, maxPOMSize+1))
	f.Close()
	if err != nil || len(content) > maxPOMSize {
		return nil
	}
	par, err := decode(ctx, content)
	if err != nil || inChain(chain, par) {
		return nil
	}
	return par
}

// inChain reports whether par is already one of the POMs of chain (a
// parent loop).
func inChain(chain []*project, par *project) bool {
	for _, c := range chain {
		if strings.TrimSpace(c.ArtifactID) == strings.TrimSpace(par.ArtifactID) &&
			firstNonEmpty(c.GroupID, c.Parent.GroupID) == firstNonEmpty(par.GroupID, par.Parent.GroupID) &&
			firstNonEmpty(c.Version, c.Parent.Version) == firstNonEmpty(par.Version, par.Parent.Version) {
			return true
		}
	}
	return false
}
