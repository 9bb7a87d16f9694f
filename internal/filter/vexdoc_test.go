package filter

import (
	"strings"
	"testing"
)

// TestWithVEX: a VEX document given as bytes is added to a copy of the
// filter, never to the filter it came from (a registry scan shares one
// filter between images with their own VEX referrers); bad documents are
// one-line errors naming their source.
func TestWithVEX(t *testing.T) {
	const doc = `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"not_affected","justification":"vulnerable_code_not_present"}]}`
	base, err := Load(Options{IgnoreFile: t.TempDir() + "/none"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, data, wantErr string
	}{
		{"openvex", doc, ""},
		{"not json", "{", "VEX document referrer sha256:1:"},
		{"not vex", `{"a":1}`, "VEX document referrer sha256:1: not an OpenVEX, CycloneDX or CSAF VEX document"},
		{"too large", strings.Repeat(" ", MaxVEXFileSize+1), "over the 67108864-byte limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := base.WithVEX("referrer sha256:1", []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %v, want one line with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.vex) != 1 || f.vex[0].source != "referrer sha256:1" || len(base.vex) != 0 {
				t.Errorf("copy has %d VEX documents, original %d", len(f.vex), len(base.vex))
			}
		})
	}
}
