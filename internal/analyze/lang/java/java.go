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
	"path"
	"strings"

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

// Pom reads pom.xml files on their own (lockfile analyzer).
type Pom struct{}

// NewPom returns the pom.xml analyzer.
func NewPom() *Pom { return &Pom{} }

// Name implements analyze.Analyzer.
func (*Pom) Name() string { return "pom" }

// Version implements analyze.Analyzer.
func (*Pom) Version() int { return 1 }

// Required implements analyze.Analyzer: files named pom.xml.
func (*Pom) Required(p string, info fs.FileInfo) bool {
	return regular(info) && path.Base(p) == "pom.xml"
}

// Analyze implements analyze.Analyzer. Dependencies whose version needs a
// parent POM or another file are warnings.
func (a *Pom) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	res, err := pom.Parse(ctx, in.Content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	var notes []analyze.FileNote
	for _, w := range res.Warnings {
		notes = append(notes, analyze.FileNote{Path: in.Path, Analyzer: a.Name(), Reason: w})
	}
	return set(model.TypePom, in.Path, res.Packages, notes), nil
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
