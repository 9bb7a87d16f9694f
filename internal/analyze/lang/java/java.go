// Package java holds the Java analyzers: Jar reads Java archives (.jar,
// .war, .ear, .par, .jpi, .hpi, nested ones included) in every target,
// images included; Pom, Gradle and Sbt read pom.xml, Gradle lock files and
// build.sbt.lock (lockfile analyzers, for fs and repo targets). All report
// packages of ecosystem "Maven" named groupId:artifactId; purls are set
// centrally, later.
package java

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/java/gradle"
	"github.com/trawlsec/trawl/internal/parse/java/jar"
	"github.com/trawlsec/trawl/internal/parse/java/pom"
	"github.com/trawlsec/trawl/internal/parse/java/sbt"
	"github.com/trawlsec/trawl/pkg/model"
)

// TypeSbt is the package type of build.sbt.lock files (Trivy's "sbt").
const TypeSbt = "sbt"

// regular reports whether info, when known, is a regular file.
func regular(info fs.FileInfo) bool { return info == nil || info.Mode().IsRegular() }

// set wraps packages into a result, nil when there are none.
func set(typ, filePath string, pkgs []model.Package, warnings []analyze.FileNote) *analyze.Result {
	if len(pkgs) == 0 && len(warnings) == 0 {
		return nil
	}
	res := &analyze.Result{Warnings: warnings}
	if len(pkgs) > 0 {
		res.Applications = []analyze.PackageSet{{Type: typ, FilePath: filePath, Packages: pkgs}}
	}
	return res
}

// Jar reads Java archives and the archives nested in them.
type Jar struct {
	lim jar.Limits
}

// NewJar returns the Java archive analyzer with jar.DefaultLimits.
func NewJar() *Jar { return &Jar{lim: jar.DefaultLimits()} }

// NewJarWithLimits returns the Java archive analyzer with other limits.
func NewJarWithLimits(lim jar.Limits) *Jar { return &Jar{lim: lim} }

// Name implements analyze.Analyzer.
func (*Jar) Name() string { return "jar" }

// Version implements analyze.Analyzer.
func (*Jar) Version() int { return 1 }

// Required implements analyze.Analyzer: regular files with a Java archive
// extension.
func (*Jar) Required(p string, info fs.FileInfo) bool {
	return regular(info) && jar.IsArchiveName(p)
}

// Analyze implements analyze.Analyzer. The package set's FilePath is the
// archive; each package's FilePath is the archive it was found in
// ("app.war/WEB-INF/lib/x.jar" for nested ones). Skipped nested entries
// (zip bombs, corrupt archives, depth limit) are warnings.
func (a *Jar) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	res, err := jar.Parse(ctx, in.Path, in.Content, a.lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	var notes []analyze.FileNote
	for _, w := range res.Warnings {
		notes = append(notes, analyze.FileNote{Path: w.Path, Analyzer: a.Name(), Reason: w.Reason})
	}
	return set(model.TypeJar, in.Path, res.Packages, notes), nil
}

// Pom resolves pom.xml files (lockfile analyzer). It is an
// analyze.PostAnalyzer: it sees every pom.xml of the layer together, so
// parent POMs and modules come from the module tree; parents, imported
// BOMs and the POMs of transitive dependencies also come from a local
// Maven repository when one is configured. Nothing is downloaded.
type Pom struct {
	// repo is the local repository directory; "" for none.
	repo string
}

// NewPom returns the pom.xml analyzer without a local repository.
func NewPom() *Pom { return &Pom{} }

// NewPomWithRepository returns the pom.xml analyzer that also reads the
// local Maven repository at dir (~/.m2/repository layout; "" for none).
// The caller chooses dir (see DefaultMavenRepository); the analyzer reads
// only POMs below it.
func NewPomWithRepository(dir string) *Pom { return &Pom{repo: dir} }

// DefaultMavenRepository returns the local repository to read when none
// is configured: home/.m2/repository (Maven's default), else
// $MAVEN_HOME/repository, the first that isDir accepts; "" for none.
// getenv is os.Getenv in production; home the user's home directory.
func DefaultMavenRepository(getenv func(string) string, home string, isDir func(string) bool) string {
	var cands []string
	if home != "" {
		cands = append(cands, filepath.Join(home, ".m2", "repository"))
	}
	if mh := getenv("MAVEN_HOME"); mh != "" {
		cands = append(cands, filepath.Join(mh, "repository"))
	}
	for _, c := range cands {
		if isDir(c) {
			return c
		}
	}
	return ""
}

// Name implements analyze.Analyzer.
func (*Pom) Name() string { return "pom" }

// Version implements analyze.Analyzer.
func (*Pom) Version() int { return 2 }

// Required implements analyze.PostAnalyzer: files named pom.xml.
func (*Pom) Required(p string, info fs.FileInfo) bool {
	return regular(info) && path.Base(p) == "pom.xml"
}

// Analyze implements analyze.Analyzer: one pom.xml on its own. A file
// that is not a POM is an error.
func (a *Pom) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if _, err := pom.NewResolver(fstest.MapFS{in.Path: {Data: in.Content}}, nil).Resolve(ctx, in.Path); err != nil {
		return nil, err
	}
	return analyze.AnalyzeOne(ctx, a, in)
}

// PostAnalyze implements analyze.PostAnalyzer: one package set per pom.xml
// that is not a module of another one (a module's packages are in its
// aggregator's set, the module itself as a workspace package). Versions
// that stay unresolved are warnings; the dependency is left out.
func (a *Pom) PostAnalyze(ctx context.Context, files fs.FS) (*analyze.Result, error) {
	var poms []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Base(p) == "pom.xml" {
			poms = append(poms, p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pom post-analysis: %w", err)
	}
	// Aggregators before their modules: the shallowest first.
	sort.SliceStable(poms, func(i, j int) bool {
		return strings.Count(poms[i], "/") < strings.Count(poms[j], "/")
	})
	var repo fs.FS
	if a.repo != "" {
		repo = os.DirFS(a.repo)
	}
	r := pom.NewResolver(files, repo)
	modules := map[string]bool{}
	res := &analyze.Result{}
	for _, p := range poms {
		if modules[p] {
			continue
		}
		rr, err := r.Resolve(ctx, p)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, cerr
			}
			res.Warnings = append(res.Warnings, analyze.FileNote{Path: p, Analyzer: a.Name(), Reason: err.Error()})
			continue
		}
		for _, m := range rr.Modules {
			modules[m] = true
		}
		for _, w := range rr.Warnings {
			res.Warnings = append(res.Warnings, analyze.FileNote{Path: p, Analyzer: a.Name(), Reason: w})
		}
		if len(rr.Packages) > 0 {
			res.Applications = append(res.Applications, analyze.PackageSet{Type: model.TypePom, FilePath: p, Packages: rr.Packages})
		}
	}
	if len(res.Applications) == 0 && len(res.Warnings) == 0 {
		return nil, nil
	}
	return res, nil
}

// Gradle reads gradle.lockfile and *.gradle.lockfile (lockfile analyzer).
type Gradle struct{}

// NewGradle returns the Gradle lock file analyzer.
func NewGradle() *Gradle { return &Gradle{} }

// Name implements analyze.Analyzer.
func (*Gradle) Name() string { return "gradle-lockfile" }

// Version implements analyze.Analyzer.
func (*Gradle) Version() int { return 1 }

// Required implements analyze.Analyzer.
func (*Gradle) Required(p string, info fs.FileInfo) bool {
	b := path.Base(p)
	return regular(info) && (b == "gradle.lockfile" || strings.HasSuffix(b, ".gradle.lockfile"))
}

// Analyze implements analyze.Analyzer.
func (*Gradle) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	pkgs, err := gradle.Parse(ctx, in.Content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return set(model.TypeGradle, in.Path, pkgs, nil), nil
}

// Sbt reads build.sbt.lock (lockfile analyzer).
type Sbt struct{}

// NewSbt returns the build.sbt.lock analyzer.
func NewSbt() *Sbt { return &Sbt{} }

// Name implements analyze.Analyzer.
func (*Sbt) Name() string { return "sbt-lockfile" }

// Version implements analyze.Analyzer.
func (*Sbt) Version() int { return 1 }

// Required implements analyze.Analyzer.
func (*Sbt) Required(p string, info fs.FileInfo) bool {
	return regular(info) && path.Base(p) == "build.sbt.lock"
}

// Analyze implements analyze.Analyzer.
func (*Sbt) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	pkgs, err := sbt.Parse(ctx, in.Content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return set(TypeSbt, in.Path, pkgs, nil), nil
}
