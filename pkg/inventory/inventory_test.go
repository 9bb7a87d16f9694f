package inventory

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func sampleLayer() *LayerResult {
	return &LayerResult{
		Layer: model.Layer{DiffID: "sha256:aa", CreatedBy: "RUN apt-get install bash"},
		Result: Result{
			OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 2},
			OSPackages: []PackageSet{{Type: model.TypeDpkg, FilePath: "var/lib/dpkg/status", Packages: Packages{{
				Name: "bash", Version: "5.2.15", Release: "2+b7", SrcName: "bash", Licenses: []string{"GPL-3+"},
				InstalledFiles: []string{"bin/bash", "usr/share/doc/bash/copyright"}, Ecosystem: "Debian:12",
			}}}},
			Applications: []PackageSet{{Type: model.TypeNpm, FilePath: "app/package-lock.json", Packages: Packages{{
				ID: "left-pad@1.3.0", Name: "left-pad", Version: "1.3.0", Ecosystem: "npm", DependsOn: []string{"x@1"},
			}}}},
			Owned:    []OwnedFiles{{FilePath: "var/lib/dpkg/info/bash.list", Package: "bash", Files: []string{"bin/bash"}}},
			Secrets:  []Secret{{FilePath: "app/.env", Secret: model.Secret{RuleID: "aws-access-key-id", StartLine: 1, EndLine: 1}}},
			Warnings: []FileNote{{Path: "x", Analyzer: "dpkg", Reason: "bad stanza"}},
		},
		Files:      []string{"bin/bash", "app/.env"},
		Whiteouts:  []string{"tmp/x"},
		OpaqueDirs: []string{"var/cache"},
		Skipped:    []FileNote{{Path: "big.bin", Reason: "too large"}},
	}
}

// TestLayerRoundTrip: a layer result survives the wire format whole,
// including the bookkeeping fields reports leave out.
func TestLayerRoundTrip(t *testing.T) {
	b, err := EncodeLayer(sampleLayer())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"schema":"trawl.inventory.layer/1"`) {
		t.Errorf("document does not start with its schema: %.60s", b)
	}
	for _, field := range []string{`"InstalledFiles":["bin/bash"`, `"Ecosystem":"Debian:12"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("wire form lacks %s", field)
		}
	}
	got, err := DecodeLayer(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sampleLayer(), got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestInventoryRoundTrip: the same for a merged inventory.
func TestInventoryRoundTrip(t *testing.T) {
	l := sampleLayer()
	inv := &Inventory{OS: &l.OS.OS, OSPackages: l.OSPackages[0].Packages, OSPackageType: model.TypeDpkg,
		Applications: l.Applications, Secrets: l.Secrets, Skipped: l.Skipped}
	b, err := EncodeInventory(inv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeInventory(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inv, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestSchemaRefused: another version or kind is ErrSchema, never a
// partial read.
func TestSchemaRefused(t *testing.T) {
	for _, doc := range []string{
		`{"schema":"trawl.inventory.layer/2","data":{"Files":["a"]}}`,
		`{"schema":"trawl.inventory/1","data":{}}`, // an inventory is not a layer
		`{"data":{"Files":["a"]}}`,
	} {
		if _, err := DecodeLayer([]byte(doc)); !errors.Is(err, ErrSchema) {
			t.Errorf("%s: %v, want ErrSchema", doc, err)
		}
	}
	if _, err := DecodeLayer([]byte(`{"schema":"trawl.inventory.layer/1"}`)); err == nil {
		t.Error("a document without data decoded")
	}
}

// FuzzDecodeLayer: arbitrary bytes never panic, and whatever decodes
// encodes again.
func FuzzDecodeLayer(f *testing.F) {
	b, _ := EncodeLayer(sampleLayer())
	f.Add(b)
	f.Add([]byte(`{"schema":"trawl.inventory.layer/1","data":{"OSPackages":[{"Packages":null}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := DecodeLayer(data)
		if err != nil {
			return
		}
		if _, err := EncodeLayer(l); err != nil {
			t.Fatalf("decoded but does not encode: %v", err)
		}
	})
}
