// Package dpkg is the analyzer for the Debian package database: the status
// file var/lib/dpkg/status, the distroless per-package files
// var/lib/dpkg/status.d/<name> (same format), and the file lists
// var/lib/dpkg/info/<pkg>[:arch].list that say which files each package
// owns.
//
// Each file is analysed on its own. Packages come out in
// Result.OSPackages (type model.TypeDpkg, one set per status file) and file
// lists in Result.Owned; joining the two (Package.InstalledFiles) and
// setting purls, which need the OS, is apply's job.
package dpkg

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/dpkg"
	"github.com/trawlsec/trawl/pkg/model"
)

const (
	version = 3 // 2: licences from usr/share/doc/<pkg>/copyright; 3: free-form copyright files read conservatively

	statusFile = "var/lib/dpkg/status"
	statusDir  = "var/lib/dpkg/status.d/"
	infoDir    = "var/lib/dpkg/info/"
	docDir     = "usr/share/doc/"
)

// Analyzer reads dpkg databases. It keeps no state.
type Analyzer struct{}

// New returns the dpkg analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "dpkg" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// Required implements analyze.Analyzer: the status file, files directly in
// status.d/ (except *.md5sums, which distroless keeps there too) and
// info/*.list.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && info.IsDir() {
		return false
	}
	return p == statusFile || isStatusD(p) || isList(p) || copyrightOwner(p) != ""
}

// copyrightOwner returns <pkg> for usr/share/doc/<pkg>/copyright, else "".
func copyrightOwner(p string) string {
	rest, ok := strings.CutPrefix(p, docDir)
	if !ok {
		return ""
	}
	pkg, ok := strings.CutSuffix(rest, "/copyright")
	if !ok || pkg == "" || strings.Contains(pkg, "/") {
		return ""
	}
	return pkg
}

func isStatusD(p string) bool {
	name, ok := strings.CutPrefix(p, statusDir)
	return ok && name != "" && !strings.Contains(name, "/") &&
		!strings.HasSuffix(name, ".md5sums") && !strings.HasPrefix(name, ".")
}

func isList(p string) bool {
	name, ok := strings.CutPrefix(p, infoDir)
	return ok && len(name) > len(".list") && !strings.Contains(name, "/") && strings.HasSuffix(name, ".list")
}

// Analyze implements analyze.Analyzer. Corrupt stanzas become
// Result.Warnings; the rest of the file is still reported.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if isList(in.Path) {
		files, err := dpkg.ParseList(bytes.NewReader(in.Content))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		// "libc6:amd64.list" is owned by libc6: the arch qualifier is
		// dropped so the owner can be matched by package name.
		owner := strings.TrimSuffix(path.Base(in.Path), ".list")
		owner, _, _ = strings.Cut(owner, ":")
		return &analyze.Result{Owned: []analyze.OwnedFiles{{FilePath: in.Path, Package: owner, Files: files}}}, nil
	}

	if owner := copyrightOwner(in.Path); owner != "" {
		licenses, err := dpkg.ParseCopyright(bytes.NewReader(in.Content))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		if len(licenses) == 0 {
			return nil, nil
		}
		return &analyze.Result{Licenses: []analyze.PackageLicenses{{FilePath: in.Path, Package: owner, Licenses: licenses}}}, nil
	}

	pkgs, warns, err := dpkg.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	res := &analyze.Result{}
	for _, w := range warns {
		res.Warnings = append(res.Warnings, analyze.FileNote{Path: in.Path, Analyzer: a.Name(), Reason: w.String()})
	}
	if len(pkgs) > 0 {
		res.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: in.Path, Packages: pkgs}}
	}
	return res, nil
}
