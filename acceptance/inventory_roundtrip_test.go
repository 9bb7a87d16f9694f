package acceptance

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// TestInventoryRoundTrip: the Debian corpus image analysed once, its
// inventory sent through the wire format (as a client would send it to a
// server) and detected there, gives the same report as detecting the
// inventory in place.
func TestInventoryRoundTrip(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	o := app.Options{
		Target: app.TargetImage, Input: image, CacheDir: t.TempDir(),
		Scanners: []string{app.ScannerVuln, app.ScannerSecret}, PkgTypes: []string{"os", "library"},
		ImageConfigScanners: []string{app.ScannerSecret},
		ListAllPkgs:         true, Format: "json",
		DB:          app.DBOptions{Path: corpusDB(t), SkipUpdate: true, MaxAge: 24 * time.Hour},
		Now:         func() time.Time { return now },
		NewReportID: func() string { return "01900000-0000-7000-8000-000000000000" },
	}
	ctx := context.Background()
	a, err := app.Analyze(ctx, &o)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := inventory.EncodeInventory(a.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.DecodeInventory(wire)
	if err != nil {
		t.Fatal(err)
	}
	remote := &app.Analysis{Report: a.Report, Inventory: inv}

	write := func(a *app.Analysis) string {
		t.Helper()
		rep, err := app.Detect(ctx, &o, a)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		o := o
		o.Stdout = &buf
		if err := app.Write(&o, rep); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	direct, viaWire := write(a), write(remote)
	if diff := cmp.Diff(direct, viaWire); diff != "" {
		t.Errorf("report via the wire format differs (-direct +wire):\n%s", diff)
	}
	if !bytes.Contains([]byte(direct), []byte(`"VulnerabilityID"`)) || !bytes.Contains([]byte(direct), []byte(`"RuleID"`)) {
		t.Error("the report has no vulnerabilities or no secrets: the comparison proves little")
	}
}
