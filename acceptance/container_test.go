package acceptance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestOwnImageScansClean: the Dockerfile of trawl's own image passes every
// built-in Dockerfile check, and the final stage's filesystem — built here
// with the Go toolchain as the Dockerfile builds it, no Docker engine —
// has no secret, misconfiguration or HIGH/CRITICAL forensics finding and
// no OS package (an empty base).
func TestOwnImageScansClean(t *testing.T) {
	out, errOut, code := trawl(t, "config", "-f", "json", "--quiet", "--cache-dir", t.TempDir(), "--skip-dirs", "internal,acceptance,bench,action,docs,cmd,pkg", "..")
	if code != 0 {
		t.Fatalf("config: exit %d: %s", code, errOut)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, res := range r.Results {
		if res.Target != "Dockerfile" {
			continue
		}
		found = true
		for _, m := range res.Misconfigurations {
			t.Errorf("Dockerfile: %s %s: %s", m.ID, m.Severity, m.Message)
		}
	}
	if !found {
		t.Fatal("the Dockerfile was not checked")
	}

	root := t.TempDir()
	for _, d := range []string{"usr/local/bin", "etc/ssl/certs", "home/trawl/.cache"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := goCommand("build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(root, "usr/local/bin/trawl"), "../cmd/trawl")
	cmd.Env = append(cmd.Env, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	files := map[string]string{
		"etc/passwd": "trawl:x:65532:65532:trawl:/home/trawl:/sbin/nologin\n",
		"etc/group":  "trawl:x:65532:\n",
	}
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		os.WriteFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt"), certs, 0o644)
	}
	r = scanJSON(t, "rootfs", root, "--scanners", "vuln,secret,misconfig,forensics")
	for _, res := range r.Results {
		for _, s := range res.Secrets {
			t.Errorf("secret %s in %s", s.RuleID, res.Target)
		}
		for _, m := range res.Misconfigurations {
			t.Errorf("misconfiguration %s in %s", m.ID, res.Target)
		}
		for _, f := range res.Findings {
			if f.Severity == "HIGH" || f.Severity == "CRITICAL" {
				t.Errorf("forensics %s %s: %s", f.Severity, f.ID, f.Path)
			}
		}
		if res.Class == model.ClassOSPkg && len(res.Packages) > 0 {
			t.Errorf("OS packages in an empty base: %d", len(res.Packages))
		}
	}
}
