package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/diff"
)

// TestDiffCommand: trawl diff writes the JSON report to -o, exits with
// --exit-code only when the sides differ, and refuses formats and
// scanners it does not have.
func TestDiffCommand(t *testing.T) {
	oldImg, _ := forensicsImage(t, [][]tarEntry{{{"etc/a", 0o644, "1"}, {"etc/b", 0o644, "x"}}}, []string{"ADD a"})
	newImg, _ := forensicsImage(t, [][]tarEntry{{{"etc/a", 0o644, "2"}, {"etc/c", 0o600, "y"}}}, []string{"ADD a"})
	oldP, newP := writeArchive(t, oldImg), writeArchive(t, newImg)
	out := filepath.Join(t.TempDir(), "diff.json")
	tests := []struct {
		name     string
		args     []string
		code     int
		errLike  string
		checkOut bool
	}{
		{"differ", []string{"-f", "json", "-o", out, "--exit-code", "4", oldP, newP}, 4, "", true},
		{"same", []string{"--exit-code", "4", oldP, oldP}, 0, "", false},
		{"format", []string{"-f", "sarif", oldP, newP}, 1, "table or json", false},
		{"scanner", []string{"--scanners", "secret", oldP, newP}, 1, "vuln and forensics", false},
		{"one arg", []string{oldP}, 1, "accepts 2 arg", false},
		{"missing path", []string{oldP, "./no/such.tar"}, 1, "no/such.tar", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"diff", "--cache-dir", t.TempDir(), "--quiet"}, tt.args...)
			_, errOut, code := run(t, args...)
			if code != tt.code || !strings.Contains(errOut, tt.errLike) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.errLike)
			}
			if !tt.checkOut {
				return
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rep diff.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			f := rep.Files
			if len(f.Added) != 1 || f.Added[0].Path != "etc/c" || f.Added[0].Mode != 0o600 ||
				len(f.Removed) != 1 || f.Removed[0].Path != "etc/b" ||
				len(f.Changed) != 1 || f.Changed[0].Path != "etc/a" || strings.Join(f.Changed[0].What, ",") != "content" {
				t.Errorf("files: %+v", f)
			}
		})
	}
}
