package sbom

import (
	"bytes"
	"io"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/pkg/model"
	"github.com/trawlsec/trawl/pkg/purl"
)

// roundTripReport is a Debian 12.15 image with OS packages, installed
// node packages, an npm lockfile and a Go binary.
func roundTripReport() *model.Report {
	osInfo := &model.OS{Family: model.FamilyDebian, Name: "12.15"}
	ident := func(typ string, p model.Package) model.Package {
		if p.ID == "" {
			p.ID = p.Name + "@" + p.FullVersion()
		}
		p.Identifier.PURL = purl.ForPackage(typ, osInfo, &p)
		return p
	}
	osPkgs := []model.Package{
		ident(model.TypeDpkg, model.Package{Name: "libc6", Version: "2.36", Release: "9+deb12u10", Arch: "amd64",
			SrcName: "glibc", SrcVersion: "2.36", SrcRelease: "9+deb12u10", Licenses: []string{"LGPL-2.1-only", "GPL-2.0-only"}}),
		ident(model.TypeDpkg, model.Package{Name: "perl-base", Epoch: 1, Version: "5.36.0", Release: "7+deb12u2", Arch: "amd64",
			SrcName: "perl", SrcEpoch: 1, SrcVersion: "5.36.0", SrcRelease: "7+deb12u2", DependsOn: []string{"libc6@2.36-9+deb12u10"}}),
		ident(model.TypeDpkg, model.Package{Name: "zlib1g", Epoch: 1, Version: "1.2.13.dfsg", Release: "1", Arch: "amd64",
			SrcName: "zlib", SrcEpoch: 1, SrcVersion: "1.2.13.dfsg", SrcRelease: "1"}),
	}
	nodePkgs := []model.Package{
		ident(model.TypeNodePkg, model.Package{Name: "@types/node", Version: "20.11.5", FilePath: "usr/lib/node_modules/@types/node/package.json", Licenses: []string{"MIT"}}),
		ident(model.TypeNodePkg, model.Package{Name: "undici-types", Version: "5.26.5", FilePath: "usr/lib/node_modules/undici-types/package.json"}),
	}
	lockPkgs := []model.Package{
		ident(model.TypeNpm, model.Package{Name: "express", Version: "4.18.2", Relationship: model.RelationshipDirect,
			DependsOn: []string{"accepts@1.3.8"}}),
		ident(model.TypeNpm, model.Package{Name: "accepts", Version: "1.3.8", Relationship: model.RelationshipIndirect}),
		ident(model.TypeNpm, model.Package{Name: "jest", Version: "29.7.0", Dev: true, Relationship: model.RelationshipDirect}),
	}
	goPkgs := []model.Package{
		ident(model.TypeGoBinary, model.Package{Name: "github.com/Masterminds/semver/v3", Version: "v3.2.1"}),
		ident(model.TypeGoBinary, model.Package{Name: "golang.org/x/net", Version: "v0.17.0"}),
		ident(model.TypeGoBinary, model.Package{Name: "stdlib", Version: "v1.21.5"}),
	}
	return &model.Report{
		SchemaVersion: model.SchemaVersion,
		ArtifactName:  "debian:12",
		ArtifactType:  model.ArtifactContainerImage,
		Metadata:      model.Metadata{OS: osInfo, ImageID: "sha256:0123"},
		Results: []model.Result{
			{Target: "debian:12 (debian 12.15)", Class: model.ClassOSPkg, Type: model.FamilyDebian, Packages: osPkgs},
			{Target: "Node.js", Class: model.ClassLangPkg, Type: model.TypeNodePkg, Packages: nodePkgs},
			{Target: "srv/app/package-lock.json", Class: model.ClassLangPkg, Type: model.TypeNpm, Packages: lockPkgs},
			{Target: "usr/local/bin/server", Class: model.ClassLangPkg, Type: model.TypeGoBinary, Packages: goPkgs},
		},
	}
}

// summary reduces an inventory to what a round trip must keep: per type
// and target, the name@version, purl and dependencies of every package.
type summary struct {
	OS     model.OS
	OSType string
	Sets   map[string][]string
}

func summarize(inv *apply.Inventory) summary {
	s := summary{OSType: inv.OSPackageType, Sets: map[string][]string{}}
	if inv.OS != nil {
		s.OS = *inv.OS
	}
	line := func(p model.Package) string {
		l := p.Name + "@" + p.FullVersion() + " " + p.Identifier.PURL + " src=" + p.SrcName + "@" + p.FullSrcVersion()
		for _, d := range p.DependsOn {
			l += " ->" + d
		}
		if p.Dev {
			l += " dev"
		}
		return l
	}
	for _, p := range inv.OSPackages {
		s.Sets["os"] = append(s.Sets["os"], line(p))
	}
	for _, set := range inv.Applications {
		key := set.Type
		for _, p := range set.Packages {
			s.Sets[key] = append(s.Sets[key], line(p))
		}
	}
	for _, v := range s.Sets {
		sort.Strings(v)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	r := roundTripReport()
	want := summary{
		OS:     model.OS{Family: "debian", Name: "12.15"},
		OSType: model.TypeDpkg,
		Sets:   map[string][]string{},
	}
	for _, res := range r.Results {
		key := "os"
		if res.Class == model.ClassLangPkg {
			key = res.Type
		}
		for _, p := range res.Packages {
			l := p.Name + "@" + p.FullVersion() + " " + p.Identifier.PURL + " src=" + p.SrcName + "@" + p.FullSrcVersion()
			for _, d := range p.DependsOn {
				l += " ->" + d
			}
			if p.Dev {
				l += " dev"
			}
			want.Sets[key] = append(want.Sets[key], l)
		}
	}
	for _, v := range want.Sets {
		sort.Strings(v)
	}

	writers := []struct {
		name   string
		write  func(io.Writer, *model.Report, report.Options) error
		opts   report.Options
		format Format
		// devKept: only the CycloneDX writer records dev dependencies.
		devKept bool
	}{
		{"cyclonedx-json", report.WriteCycloneDX, report.Options{}, FormatCycloneDXJSON, true},
		{"cyclonedx-xml", report.WriteCycloneDX, report.Options{CycloneDXXML: true}, FormatCycloneDXXML, true},
		{"spdx-json", report.WriteSPDXJSON, report.Options{}, FormatSPDXJSON, false},
		{"spdx", report.WriteSPDX, report.Options{}, FormatSPDXTagValue, false},
	}
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := w.write(&buf, r, w.opts); err != nil {
				t.Fatalf("writing: %v", err)
			}
			inv, format, err := Decode(&buf, w.name)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if format != w.format {
				t.Errorf("format = %q, want %q", format, w.format)
			}
			if len(inv.Warnings) > 0 {
				t.Errorf("warnings: %+v", inv.Warnings)
			}
			got := summarize(inv)
			exp := want
			if !w.devKept {
				exp = withoutDevMarks(want)
			}
			if diff := cmp.Diff(exp, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			// Targets survive: the lockfile and the binary keep their
			// paths, installed node packages their own files.
			targets := map[string]bool{}
			for _, s := range inv.Applications {
				targets[s.Type+" "+s.FilePath] = true
			}
			for _, k := range []string{
				"npm srv/app/package-lock.json",
				"gobinary usr/local/bin/server",
				"node-pkg usr/lib/node_modules/@types/node/package.json",
				"node-pkg usr/lib/node_modules/undici-types/package.json",
			} {
				if !targets[k] {
					t.Errorf("target %q lost; got %v", k, targets)
				}
			}
			for _, s := range inv.Applications {
				for _, p := range s.Packages {
					if p.Ecosystem == "" {
						t.Errorf("%s has no ecosystem", p.ID)
					}
				}
			}
			for _, p := range inv.OSPackages {
				if p.Ecosystem != "" {
					t.Errorf("OS package %s has ecosystem %q", p.ID, p.Ecosystem)
				}
			}
		})
	}
}

func withoutDevMarks(s summary) summary {
	out := summary{OS: s.OS, OSType: s.OSType, Sets: map[string][]string{}}
	for k, v := range s.Sets {
		for _, l := range v {
			if len(l) > 4 && l[len(l)-4:] == " dev" {
				l = l[:len(l)-4]
			}
			out.Sets[k] = append(out.Sets[k], l)
		}
	}
	return out
}
