// Package binary reads the module list the Go linker embeds in executables
// (debug/buildinfo) and turns it into packages: every dependency module, the
// main module and the Go toolchain as the package "stdlib".
//
// The parser is pure: it reads the bytes it is given through an io.ReaderAt,
// never executes the binary and never reaches the network.
package binary

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"github.com/trawlsec/trawl/internal/parse/exe"
	"io"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Go modules and of the standard library.
const Ecosystem = model.EcosystemGo

// StdlibName is the package name the Go toolchain is reported under, as the
// Go vulnerability database names the standard library.
const StdlibName = "stdlib"

// develVersion is the version the go command records for a main module
// built from a working tree.
const develVersion = "(devel)"

var (
	// ErrNotExecutable reports content that is not an ELF, PE or Mach-O file.
	ErrNotExecutable = errors.New("trawl/golang/binary: not an ELF, PE or Mach-O executable")
	// ErrNotGoBinary reports an executable without Go build information.
	ErrNotGoBinary = errors.New("trawl/golang/binary: not a Go binary")
)

// Parse reads the build information of the Go executable r and returns its
// packages, sorted by name and version:
//
//   - "stdlib" at the toolchain version ("go1.22.1 X:loopvar" → "v1.22.1"),
//     relationship direct;
//   - every dependency module (a module replaced by another module is
//     reported as the replacement; modules replaced by a local directory have
//     no identifiable version and are left out), relationship unknown, as
//     build information does not tell direct from indirect;
//   - the main module, relationship root, depending on all of the above. Its
//     version is the one the go command recorded; when that is "(devel)" (or
//     a v0.0.0 pseudo-version) and the build settings carry a version through
//     -ldflags "-X …version=…", that version is used instead.
//
// Content that is not an executable returns ErrNotExecutable, an executable
// without Go build information ErrNotGoBinary. A panic inside the standard
// library's executable readers on hostile input is returned as an error.
func Parse(ctx context.Context, r io.ReaderAt) (pkgs []model.Package, err error) {
	defer func() {
		if p := recover(); p != nil {
			pkgs, err = nil, fmt.Errorf("reading Go build info: malformed executable: %v", p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var head [4]byte
	if n, _ := r.ReadAt(head[:], 0); !exe.HasMagic(head[:n]) {
		return nil, ErrNotExecutable
	}
	bi, err := buildinfo.Read(r)
	if err != nil {
		msg := err.Error()
		switch {
		case strings.HasSuffix(msg, "unrecognized file format"):
			return nil, fmt.Errorf("%w: %w", ErrNotExecutable, err)
		case strings.HasSuffix(msg, "not a Go executable"):
			return nil, ErrNotGoBinary
		}
		return nil, fmt.Errorf("reading Go build info: %w", err)
	}
	return fromBuildInfo(bi), nil
}

// fromBuildInfo converts parsed build information to packages.
func fromBuildInfo(bi *debug.BuildInfo) []model.Package {
	pkgs := make([]model.Package, 0, len(bi.Deps)+2)
	if v := StdlibVersion(bi.GoVersion); v != "" {
		pkgs = append(pkgs, newPackage(StdlibName, v, model.RelationshipDirect))
	}
	seen := map[string]bool{}
	for _, dep := range bi.Deps {
		if dep == nil || dep.Path == "" {
			// Old toolchains could record a bogus entry with an empty path.
			continue
		}
		mod := dep
		if dep.Replace != nil {
			mod = dep.Replace
			if mod.Version == "" {
				// Replaced by a directory: the code is whatever was on disk.
				continue
			}
		}
		p := newPackage(mod.Path, mod.Version, model.RelationshipUnknown)
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		pkgs = append(pkgs, p)
	}
	if bi.Main.Path != "" {
		version := bi.Main.Version
		if version == "" || version == develVersion || strings.HasPrefix(version, "v0.0.0-") {
			if v := LDFlagsVersion(bi.Main.Path, setting(bi.Settings, "-ldflags")); v != "" {
				version = v
			}
		}
		root := newPackage(bi.Main.Path, version, model.RelationshipRoot)
		for _, p := range pkgs {
			root.DependsOn = append(root.DependsOn, p.ID)
		}
		sort.Strings(root.DependsOn)
		pkgs = append(pkgs, root)
	}
	sort.SliceStable(pkgs, func(i, j int) bool {
		if pkgs[i].Name != pkgs[j].Name {
			return pkgs[i].Name < pkgs[j].Name
		}
		return pkgs[i].Version < pkgs[j].Version
	})
	return pkgs
}

// StdlibVersion turns a toolchain version as recorded in build information
// ("go1.26.8", "go1.22.1 X:boringcrypto", "devel go1.23-abc…") into the
// version of the stdlib package ("v1.26.8"), or "" when there is none.
func StdlibVersion(goVersion string) string {
	f := strings.Fields(goVersion)
	for _, w := range f {
		if v, ok := strings.CutPrefix(w, "go"); ok && v != "" && v[0] >= '0' && v[0] <= '9' {
			return "v" + v
		}
	}
	return ""
}

// setting returns the value of the build setting key, or "".
func setting(settings []debug.BuildSetting, key string) string {
	for _, s := range settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// newPackage builds a Go package with its ID.
func newPackage(name, version, rel string) model.Package {
	return model.Package{
		ID:           ID(name, version),
		Name:         name,
		Version:      version,
		Relationship: rel,
		Ecosystem:    Ecosystem,
	}
}

// ID returns the package ID "name@version", or name alone without version.
func ID(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}
