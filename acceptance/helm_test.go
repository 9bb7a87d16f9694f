package acceptance

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// helmScan runs trawl with args (a scan command, its flags and target)
// as JSON and returns the failed IDs per target of the helm results, and
// the results themselves.
func helmScan(t *testing.T, args ...string) (map[string][]string, map[string]model.Result) {
	t.Helper()
	args = append([]string{args[0], "-f", "json", "--cache-dir", t.TempDir(), "--quiet"}, args[1:]...)
	out, errOut, code := trawl(t, args...)
	if code != 0 {
		t.Fatalf("trawl %v: exit %d: %s", args, code, errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	results := map[string]model.Result{}
	for _, r := range rep.Results {
		if r.Type != "helm" {
			continue
		}
		results[r.Target] = r
		ids[r.Target] = []string{}
		for _, m := range r.Misconfigurations {
			if m.Type != "Helm Security Check" || m.CauseMetadata.Provider != "Kubernetes" {
				t.Errorf("%s %s: type %q provider %q", r.Target, m.ID, m.Type, m.CauseMetadata.Provider)
			}
			ids[r.Target] = append(ids[r.Target], m.ID)
		}
	}
	return ids, results
}

// packChart writes the chart folder dir as <name>.tgz under one
// top-level folder, as `helm package` does.
func packChart(t *testing.T, dir, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name+".tgz")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if err := tw.WriteHeader(&tar.Header{Name: name + "/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []interface{ Close() error }{tw, zw, f} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestHelmChartFolderAndArchive: Trivy's helm_testchart renders its
// Deployment, Service and ServiceAccount (the test hook is left out, as
// Helm leaves it out of a release); its default values set
// runAsNonRoot, readOnlyRootFilesystem and drop ALL, but not
// allowPrivilegeEscalation, so the Deployment fails KSV-0001 on the
// container's rendered lines 28-57 (Trivy's golden has the same lines)
// and neither KSV-0012 nor KSV-0014. The same chart packaged as a .tgz
// gives the same IDs per template, the targets prefixed by the archive;
// `trawl fs --scanners misconfig` gives what `trawl config` gives.
func TestHelmChartFolderAndArchive(t *testing.T) {
	dir := corpus(t, "iac", "trivy-fixtures", "helm_testchart")
	folder, results := helmScan(t, "config", dir)
	if got := slices.Sorted(maps.Keys(folder)); !cmp.Equal(got, []string{"templates/deployment.yaml", "templates/service.yaml", "templates/serviceaccount.yaml"}) {
		t.Fatalf("targets %v", got)
	}
	dep := folder["templates/deployment.yaml"]
	if !slices.Contains(dep, "KSV-0001") || slices.Contains(dep, "KSV-0012") || slices.Contains(dep, "KSV-0014") {
		t.Errorf("templates/deployment.yaml failed %v, want KSV-0001 and neither KSV-0012 nor KSV-0014", dep)
	}
	for _, m := range results["templates/deployment.yaml"].Misconfigurations {
		if m.ID == "KSV-0001" && (m.CauseMetadata.StartLine != 28 || m.CauseMetadata.EndLine != 57) {
			t.Errorf("KSV-0001 lines %d-%d, want 28-57 of the rendered manifest", m.CauseMetadata.StartLine, m.CauseMetadata.EndLine)
		}
	}

	archive := packChart(t, dir, "testchart")
	packed, _ := helmScan(t, "config", filepath.Dir(archive))
	unprefixed := map[string][]string{}
	for target, ids := range packed {
		rest, ok := strings.CutPrefix(target, "testchart.tgz:")
		if !ok {
			t.Errorf("archive target %q", target)
		}
		unprefixed[rest] = ids
	}
	if diff := cmp.Diff(folder, unprefixed); diff != "" {
		t.Errorf("folder vs archive (-folder +archive):\n%s", diff)
	}

	fsIDs, _ := helmScan(t, "fs", "--scanners", "misconfig", dir)
	if diff := cmp.Diff(folder, fsIDs); diff != "" {
		t.Errorf("config vs fs --scanners misconfig (-config +fs):\n%s", diff)
	}
}

// TestHelmCorpusArchive: Trivy's helm/testchart.tar.gz (chart my-chart,
// one Deployment without any securityContext) fails the container checks
// on its template, named after the archive as Trivy names it.
func TestHelmCorpusArchive(t *testing.T) {
	ids, _ := helmScan(t, "config", corpus(t, "iac", "trivy-fixtures", "helm"))
	got := ids["testchart.tar.gz:templates/pod.yaml"]
	for _, want := range []string{"KSV-0001", "KSV-0003", "KSV-0012", "KSV-0014", "KSV-0106"} {
		if !slices.Contains(got, want) {
			t.Errorf("testchart.tar.gz:templates/pod.yaml failed %v, want %s among them (all targets: %v)", got, want, ids)
		}
	}
}

// TestHelmValues: --helm-values helm_values/values.yaml (runAsUser: 0)
// is merged over the chart's securityContext: the rendered container
// shows runAsUser 0 and keeps the chart's other keys. A values file or
// --helm-set turning runAsNonRoot / readOnlyRootFilesystem off makes
// KSV-0012 / KSV-0014 fail.
func TestHelmValues(t *testing.T) {
	dir := corpus(t, "iac", "trivy-fixtures", "helm_testchart")
	values := corpus(t, "iac", "trivy-fixtures", "helm_values", "values.yaml")
	code := func(r model.Result) string {
		var b strings.Builder
		for _, m := range r.Misconfigurations {
			if m.ID == "KSV-0001" {
				for _, l := range m.CauseMetadata.Code.Lines {
					b.WriteString(l.Content + "\n")
				}
			}
		}
		return b.String()
	}
	_, plain := helmScan(t, "config", dir)
	_, over := helmScan(t, "config", "--helm-values", values, dir)
	if c := code(plain["templates/deployment.yaml"]); !strings.Contains(c, "runAsUser: 10001") {
		t.Errorf("default values: container lines\n%s", c)
	}
	if c := code(over["templates/deployment.yaml"]); !strings.Contains(c, "runAsUser: 0\n") || !strings.Contains(c, "runAsNonRoot: true") {
		t.Errorf("--helm-values: container lines\n%s", c)
	}

	rootValues := filepath.Join(t.TempDir(), "root.yaml")
	if err := os.WriteFile(rootValues, []byte("securityContext:\n  runAsNonRoot: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ids, _ := helmScan(t, "config", "--helm-values", rootValues, "--helm-set", "securityContext.readOnlyRootFilesystem=false", dir)
	dep := ids["templates/deployment.yaml"]
	if !slices.Contains(dep, "KSV-0012") || !slices.Contains(dep, "KSV-0014") {
		t.Errorf("runAsNonRoot and readOnlyRootFilesystem off: failed %v, want KSV-0012 and KSV-0014", dep)
	}
}

// TestHelmBadCharts: helm_badname (a Chart.yaml with a numeric name and
// no templates) is no chart to render; a chart whose template fails is
// named in a warning with Helm's message while the rest of the scan goes
// on; neither fails the scan.
func TestHelmBadCharts(t *testing.T) {
	ids, _ := helmScan(t, "config", corpus(t, "iac", "trivy-fixtures", "helm_badname"))
	if len(ids) != 0 {
		t.Errorf("helm_badname: results %v", ids)
	}

	root := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bad/Chart.yaml", "apiVersion: v2\nname: bad\nversion: 0.1.0\n")
	write("bad/templates/x.yaml", "{{ fail \"the chart refuses\" }}\n")
	write("good/Chart.yaml", "apiVersion: v2\nname: 1001\nversion: 0.1.0\n")
	write("good/templates/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  containers:\n    - name: c\n      image: nginx\n")
	out, errOut, code := trawl(t, "config", "-f", "json", "--cache-dir", t.TempDir(), root)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "bad/Chart.yaml") || !strings.Contains(errOut, "the chart refuses") {
		t.Errorf("no warning naming the chart and Helm's message:\n%s", errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, r := range rep.Results {
		targets = append(targets, r.Target)
	}
	if !cmp.Equal(targets, []string{"good/templates/pod.yaml"}) {
		t.Errorf("targets %v, want the good chart's template only", targets)
	}
}
