package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

func stepOptions(t *testing.T, dir string) Options {
	return Options{
		Target: TargetFS, Arg: dir, CacheDir: t.TempDir(), Scanners: []string{ScannerSecret},
		PkgTypes: []string{"os", "library"}, Format: "json", ListAllPkgs: true,
		Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
	}
}

// TestAnalyze: the analysis step alone finds the packages and secrets of a
// directory and produces no findings of its own.
func TestAnalyze(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("requests==2.19.0\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "deploy.sh"), []byte("export GITHUB_TOKEN=ghp_"+"abcdefghijklmnopqrstuvwxyz0123456789\n"), 0o644)
	o := stepOptions(t, dir)
	a, err := Analyze(context.Background(), &o)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Inventory.Applications) != 1 || a.Inventory.Applications[0].Packages[0].Name != "requests" {
		t.Errorf("applications: %+v", a.Inventory.Applications)
	}
	if len(a.Inventory.Secrets) != 1 || a.Inventory.Secrets[0].FilePath != "deploy.sh" {
		t.Errorf("secrets: %+v", a.Inventory.Secrets)
	}
	if len(a.Report.Results) != 0 || a.Report.ArtifactType != model.ArtifactFilesystem {
		t.Errorf("report skeleton: %+v", a.Report)
	}
}

// TestDetect: detection alone, from an inventory made by hand (as a server
// receives it): results per package set and secret file, the image config's
// secrets last, and nothing from scanners that are off.
func TestDetect(t *testing.T) {
	a := &Analysis{
		Report: &model.Report{SchemaVersion: 2, ArtifactName: "img", ArtifactType: model.ArtifactContainerImage},
		Inventory: &inventory.Inventory{
			Applications:  []inventory.PackageSet{{Type: model.TypeNpm, FilePath: "app/package-lock.json", Packages: inventory.Packages{{Name: "lodash", Version: "4.17.20"}}}},
			Secrets:       []inventory.Secret{{FilePath: "app/.env", Secret: model.Secret{RuleID: "aws-access-key-id"}}},
			ConfigSecrets: []model.Secret{{RuleID: "github-pat"}},
		},
	}
	o := stepOptions(t, "")
	rep, err := Detect(context.Background(), &o, a)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, r := range rep.Results {
		targets = append(targets, r.Target)
	}
	want := []string{"app/package-lock.json", "app/.env", ImageConfigTarget}
	if len(targets) != len(want) || targets[0] != want[0] || targets[1] != want[1] || targets[2] != want[2] {
		t.Errorf("targets %q, want %q", targets, want)
	}
	if len(a.Report.Results) != 0 {
		t.Error("Detect changed the analysis' report skeleton")
	}
	o.Scanners = nil
	rep, _ = Detect(context.Background(), &o, a)
	for _, r := range rep.Results {
		if r.Class == model.ClassSecret {
			t.Errorf("secret result %q with the secret scanner off", r.Target)
		}
	}
}

// TestWrite: the write step renders the report in the chosen format.
func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	o := stepOptions(t, "")
	o.Stdout = &buf
	if err := Write(&o, &model.Report{SchemaVersion: 2, ArtifactName: "x"}); err != nil {
		t.Fatal(err)
	}
	var back model.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.ArtifactName != "x" {
		t.Fatalf("written report: %v %q", err, buf.String())
	}
}
