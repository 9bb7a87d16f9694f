package acceptance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// resultKinds returns "target type count" for each language result.
func resultKinds(r model.Report) []string {
	var out []string
	for _, res := range r.Results {
		if res.Class == model.ClassLangPkg {
			out = append(out, res.Target+" "+res.Type+" "+strconv.Itoa(len(res.Packages)))
		}
	}
	slices.Sort(out)
	return out
}

// TestCycloneDXTrivyProperties: trawl's CycloneDX carries the component
// properties Trivy reads back (aquasecurity:trivy:PkgType, FilePath, Type,
// Class…). With trawl's own "trawl:" properties removed, as a consumer that
// knows only Trivy's would see the BOM, `trawl sbom` still gives the image
// scan's language targets and package types (the Go binary's included).
func TestCycloneDXTrivyProperties(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	db := corpusDB(t)
	direct := scanJSON(t, "image", "--scanners", "vuln", "--input", image)
	out, errOut, code := trawl(t, "image", "--input", image, "-f", "cyclonedx", "--scanners", "vuln",
		"--cache-dir", t.TempDir(), "--quiet", "--db-path", db, "--skip-db-update")
	if code != 0 {
		t.Fatalf("cyclonedx: exit %d: %s", code, errOut)
	}
	var bom map[string]any
	if err := json.Unmarshal([]byte(out), &bom); err != nil {
		t.Fatal(err)
	}
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].([]any); ok {
				kept := []any{}
				for _, p := range props {
					if name, _ := p.(map[string]any)["name"].(string); !strings.HasPrefix(name, "trawl:") {
						kept = append(kept, p)
					}
				}
				x["properties"] = kept
			}
			for _, c := range x {
				strip(c)
			}
		case []any:
			for _, c := range x {
				strip(c)
			}
		}
	}
	strip(bom)
	b, err := json.Marshal(bom)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trivy-view.cdx.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	back := scanJSON(t, "sbom", path)
	want, got := resultKinds(direct), resultKinds(back)
	if !slices.Contains(want, "app/bin/goapp gobinary 17") {
		t.Fatalf("image results %q: the corpus image's Go binary is missing", want)
	}
	if !slices.Equal(want, got) {
		t.Errorf("language results after the Trivy-only round trip = %q, want %q", got, want)
	}
}
