package match

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/cocoapods"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestCocoaPodsFromLockfile runs a Podfile.lock through the parser and the
// matcher: the SwiftURL advisory is reported on the pods, under their own
// names and versions; the pod with no known repository is not matched and
// is no warning.
func TestCocoaPodsFromLockfile(t *testing.T) {
	const lock = `PODS:
  - Alamofire (5.8.1)
  - AppCenter/Core (4.2.0)
  - MyFork (1.2.0)
  - Unknown (1.0.0)

DEPENDENCIES:
  - Alamofire (~> 5.8)
  - AppCenter/Core (= 4.2.0)
  - MyFork (from ` + "`https://github.com/Alamofire/Alamofire.git`" + `)
  - Unknown (~> 1.0)

EXTERNAL SOURCES:
  MyFork:
    :git: https://github.com/Alamofire/Alamofire.git
    :tag: 1.2.0
`
	pkgs, err := cocoapods.Parse(strings.NewReader(lock))
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := New(openDB(t), Options{}).Match(context.Background(), nil, model.TypeCocoaPods, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	type finding struct{ ID, PkgID, PkgName, Installed, Fixed string }
	var list []finding
	for _, v := range got {
		list = append(list, finding{v.VulnerabilityID, v.PkgID, v.PkgName, v.InstalledVersion, v.FixedVersion})
	}
	want := []finding{
		{"GHSA-swft-url0-0001", "Alamofire@5.8.1", "Alamofire", "5.8.1", "5.9.0"},
		{"GHSA-swft-url0-0002", "AppCenter/Core@4.2.0", "AppCenter/Core", "4.2.0", "4.3.0"},
		{"GHSA-swft-url0-0001", "MyFork@1.2.0", "MyFork", "1.2.0", "5.9.0"},
	}
	if d := cmp.Diff(want, list); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
}

// TestPodReposTable checks the embedded table: every line is a comment or
// "<pod> <host/owner/repo>", and no pod is listed twice.
func TestPodReposTable(t *testing.T) {
	repo := regexp.MustCompile(`^github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(cocoaPodsRepos, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || !repo.MatchString(f[1]) || strings.HasSuffix(f[1], ".git") {
			t.Errorf("line %d: %q is not \"<pod> github.com/<owner>/<repo>\"", i+1, line)
			continue
		}
		if seen[f[0]] {
			t.Errorf("line %d: pod %s listed twice", i+1, f[0])
		}
		seen[f[0]] = true
	}
	if m := podRepos(); len(m) != len(seen) || m["Alamofire"] != "github.com/Alamofire/Alamofire" {
		t.Errorf("parsed %d pods (Alamofire → %q), want %d", len(m), m["Alamofire"], len(seen))
	}
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{}},
		{"# c\nA github.com/a/a # note\n\nB\nC x y\n", map[string]string{"A": "github.com/a/a"}},
	}
	for _, tt := range tests {
		if got := parsePodRepos(tt.in); !cmp.Equal(got, tt.want) {
			t.Errorf("parsePodRepos(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
