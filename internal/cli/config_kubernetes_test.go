package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/misconfig"
	"github.com/trawlsec/trawl/pkg/model"
)

// kubernetesChecks is the number of built-in checks that run on a
// Kubernetes manifest.
func kubernetesChecks(t *testing.T) int {
	t.Helper()
	e, err := misconfig.New(context.Background(), misconfig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range e.Checks() {
		if slices.Contains(c.Types, misconfig.TypeKubernetes) {
			n++
		}
	}
	return n
}

const badDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          privileged: true
`

// TestConfigKubernetes: trawl config finds the manifests of a folder
// (not other YAML/JSON, not under node_modules) and reports the
// Kubernetes checks with the lines of the container or pod spec;
// --exit-code counts them and --severity filters them.
func TestConfigKubernetes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "k8s", "deploy.yaml"), badDeployment)
	writeFile(t, filepath.Join(dir, "values.yaml"), "image:\n  tag: latest\n")
	writeFile(t, filepath.Join(dir, "node_modules", "x", "pod.yaml"), badDeployment)

	out, errOut, code := run(t, "config", "-f", "json", "--exit-code", "1", "--cache-dir", t.TempDir(), "--quiet", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 {
		t.Fatalf("%d results, want the manifest only: %+v", len(rep.Results), rep.Results)
	}
	r := rep.Results[0]
	if r.Target != "k8s/deploy.yaml" || r.Class != model.ClassConfig || r.Type != "kubernetes" || r.MisconfSummary == nil {
		t.Fatalf("result %s class %q type %q summary %v", r.Target, r.Class, r.Type, r.MisconfSummary)
	}
	n := kubernetesChecks(t)
	var got []string
	for _, m := range r.Misconfigurations {
		if m.Type != "Kubernetes Security Check" || m.Status != model.MisconfStatusFail {
			t.Errorf("entry %+v", m)
		}
		got = append(got, m.ID+":"+strconv.Itoa(m.CauseMetadata.StartLine)+"-"+strconv.Itoa(m.CauseMetadata.EndLine))
	}
	want := []string{"KSV-0001:10-13", "KSV-0003:10-13", "KSV-0004:10-13", "KSV-0009:8-13", "KSV-0011:10-13", "KSV-0012:10-13", "KSV-0014:10-13",
		"KSV-0015:10-13", "KSV-0016:10-13", "KSV-0017:10-13", "KSV-0018:10-13", "KSV-0020:10-13", "KSV-0021:10-13", "KSV-0030:10-13", "KSV-0106:10-13", "KSV-0110:4-4"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if r.MisconfSummary.Failures != len(want) || r.MisconfSummary.Successes != n-len(want) {
		t.Errorf("summary %+v", r.MisconfSummary)
	}

	// Only HIGH: the host network, the writable root and the privileged
	// container; the table shows the offending lines.
	out, _, code = run(t, "config", "--severity", "HIGH", "--exit-code", "3", "--cache-dir", t.TempDir(), "--quiet", dir)
	// Successes are not filtered by severity.
	tests := fmt.Sprintf("Tests: %d (SUCCESSES: %d, FAILURES: 3)", n-len(want)+3, n-len(want))
	for _, w := range []string{tests, "HIGH (KSV-0009)", "HIGH (KSV-0014)", "HIGH (KSV-0017)", "   13 *           privileged: true"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	if code != 3 || strings.Contains(out, "KSV-0001") {
		t.Errorf("exit %d, want 3 and HIGH only:\n%s", code, out)
	}
}
