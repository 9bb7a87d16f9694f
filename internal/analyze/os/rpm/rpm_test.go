package rpm

import (
	"context"
	"os"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = New()

func TestRequired(t *testing.T) {
	a := New()
	for path, want := range map[string]bool{
		"var/lib/rpm/Packages":                true,
		"var/lib/rpm/Packages.db":             true,
		"var/lib/rpm/rpmdb.sqlite":            true,
		"usr/lib/sysimage/rpm/rpmdb.sqlite":   true,
		"usr/lib/sysimage/rpm/Packages":       true,
		"var/lib/rpm/rpmdb.sqlite-wal":        false,
		"var/lib/rpm/Name":                    false,
		"/var/lib/rpm/Packages":               false,
		"opt/chroot/var/lib/rpm/rpmdb.sqlite": false,
	} {
		if got := a.Required(path, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	// The parser's fixture: bash and glibc by Red Hat, a third-party
	// acme-agent, and "odd" with an unparsable SOURCERPM.
	b, err := os.ReadFile("../../../parse/rpm/testdata/rpmdb.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	const path = "var/lib/rpm/rpmdb.sqlite"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: path, Content: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.OSPackages) != 1 || res.OSPackages[0].Type != model.TypeRPM || res.OSPackages[0].FilePath != path ||
		len(res.OSPackages[0].Packages) != 4 {
		t.Fatalf("OSPackages = %+v", res.OSPackages)
	}
	// Only bash lists files and is vendor-built; acme-agent's files are not OS-owned.
	if len(res.Owned) != 1 || res.Owned[0].FilePath != path || len(res.Owned[0].Files) != 2 {
		t.Errorf("Owned = %+v", res.Owned)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != path {
		t.Errorf("Warnings = %+v", res.Warnings)
	}
}

func TestAnalyzeCorrupt(t *testing.T) {
	if _, err := New().Analyze(context.Background(), analyze.Input{Path: "var/lib/rpm/Packages", Content: []byte("garbage")}); err == nil {
		t.Error("Analyze of garbage succeeded, want error")
	}
}
