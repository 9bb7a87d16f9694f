package match

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// recordsDB builds a database, the way `trawl db build` does, from OSV
// records written in the test (one JSON document each) and opens it.
func recordsDB(t *testing.T, records ...string) *store.Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "osv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, r := range records {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.json", i)), []byte(r), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "trawl.db")
	rep, err := build.Build(context.Background(), []string{dir}, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range rep.Metadata.Sources {
		if src.Rejected > 0 {
			t.Fatalf("test records rejected: %+v", src.Rejections)
		}
	}
	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// osCase is one OS scan checked against a records database.
type osCase struct {
	name    string
	os      *model.OS
	pkgType string
	pkgs    []model.Package
	want    []brief
}

func runOSCases(t *testing.T, s *store.Store, tests []osCase) {
	t.Helper()
	m := New(s, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := m.Match(context.Background(), tt.os, tt.pkgType, tt.pkgs)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range warns {
				t.Errorf("warning: %s", w)
			}
			if d := cmp.Diff(tt.want, briefs(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// rpmPkg is an RPM package whose source package has its name and version.
func rpmPkg(name string, epoch int, version, release string) model.Package {
	p := model.Package{Name: name, Epoch: epoch, Version: version, Release: release,
		SrcName: name, SrcEpoch: epoch, SrcVersion: version, SrcRelease: release}
	p.ID = name + "@" + p.FullVersion()
	return p
}
