package compliance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestLoadBuiltins(t *testing.T) {
	for _, name := range Builtins() {
		s, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(s.ID, strings.TrimSuffix(name, "-0.1")) || s.Title == "" || len(s.Controls) == 0 {
			t.Errorf("%s: spec %+v", name, s)
		}
		for _, c := range s.Controls {
			if c.Name == "" || c.Severity == "" || c.Description == "" {
				t.Errorf("%s control %s: %+v", name, c.ID, c)
			}
		}
	}
	s, _ := Load("docker-cis-1.6.0")
	if diff := cmp.Diff([]string{"vuln", "secret", "misconfig", "forensics"}, s.Scanners()); diff != "" {
		t.Errorf("docker-cis scanners: %s", diff)
	}
	s, _ = Load("k8s-pss-restricted")
	if s.ID != "k8s-pss-restricted-0.1" || len(s.Controls) != 17 {
		t.Errorf("restricted: %s with %d controls", s.ID, len(s.Controls))
	}
	if diff := cmp.Diff([]string{"misconfig"}, s.Scanners()); diff != "" {
		t.Errorf("pss scanners: %s", diff)
	}
	// The AWS CIS specs: Trivy's controls, judged only by checks trawl
	// has (the others have none and are unjudged).
	for _, tt := range []struct {
		name     string
		controls int
		judged   map[string]string
	}{
		{"aws-cis-1.2", 34, map[string]string{
			"1.5": "AVD-AWS-0061", "1.6": "AVD-AWS-0058", "1.7": "AVD-AWS-0060", "1.8": "AVD-AWS-0059",
			"1.9": "AVD-AWS-0063", "1.10": "AVD-AWS-0056", "1.11": "AVD-AWS-0062", "1.16": "AVD-AWS-0143",
			"2.3": "AVD-AWS-0161", "2.4": "AVD-AWS-0162", "2.5": "AVD-AWS-0014", "2.6": "AVD-AWS-0163", "4.1": "AVD-AWS-0107", "4.2": "AVD-AWS-0107"}},
		{"aws-cis-1.4", 37, map[string]string{
			"1.8": "AVD-AWS-0063", "1.9": "AVD-AWS-0056", "1.15": "AVD-AWS-0143", "1.16": "AVD-AWS-0057", "2.1.3": "AVD-AWS-0170",
			"3.3": "AVD-AWS-0161", "3.4": "AVD-AWS-0162", "3.6": "AVD-AWS-0163", "3.10": "AVD-AWS-0171", "3.11": "AVD-AWS-0172",
			"5.3": "AVD-AWS-0173"}},
	} {
		s, err := Load(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		judged := map[string]string{}
		for _, c := range s.Controls {
			for _, ch := range c.Checks {
				judged[c.ID] += ch.ID
			}
		}
		if s.ID != tt.name || len(s.Controls) != tt.controls {
			t.Errorf("%s: %s with %d controls", tt.name, s.ID, len(s.Controls))
		}
		if diff := cmp.Diff(tt.judged, judged); diff != "" {
			t.Errorf("%s: controls with checks (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestLoadErrors: a bad spec fails with the file and the problem.
func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return "@" + p
	}
	good := "spec:\n  id: mine\n  title: Mine\n  controls:\n    - id: '1'\n      name: root\n      checks: [{id: AVD-DS-0002}]\n      severity: HIGH\n"
	if s, err := Load(write("good.yaml", good)); err != nil || s.ID != "mine" {
		t.Fatalf("custom spec: %v %+v", err, s)
	}
	for _, tt := range []struct{ name, arg, want string }{
		{"unknown built-in", "cis-9", "not a built-in spec"},
		{"missing file", "@" + filepath.Join(dir, "nope.yaml"), "nope.yaml"},
		{"directory", "@" + dir, "not a regular file"},
		{"not yaml", write("bad.yaml", "spec: [\n"), "bad.yaml"},
		{"no spec", write("nospec.yaml", "id: x\n"), "no top-level 'spec'"},
		{"no id", write("noid.yaml", strings.Replace(good, "id: mine", "id: ''", 1)), "spec.id is empty"},
		{"no controls", write("nocontrols.yaml", "spec:\n  id: x\n"), "spec.controls is empty"},
		{"duplicate control", write("dup.yaml", good+"    - id: '1'\n      name: again\n"), `control id "1" is used twice`},
		{"unknown check", write("unknown.yaml", strings.Replace(good, "AVD-DS-0002", "whatever", 1)), `check id "whatever"`},
		{"bad severity pseudo-ID", write("sev.yaml", strings.Replace(good, "AVD-DS-0002", "VULN-SEVERE", 1)), `check id "VULN-SEVERE"`},
		{"too big", write("big.yaml", good+"# "+strings.Repeat("x", MaxSpecSize)+"\n"), "larger than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.arg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestScannerOf(t *testing.T) {
	for id, want := range map[string]string{
		"AVD-DS-0002": "misconfig", "DS-0002": "misconfig", "DS002": "misconfig", "KSV-0106": "misconfig",
		"TRL-DS-0001": "misconfig", "avd-ksv-0001": "misconfig",
		"CVE-2024-1": "vuln", "DLA-3-1": "vuln", "GHSA-aaaa-bbbb-cccc": "vuln", "VULN-CRITICAL": "vuln", "vuln-high": "vuln",
		"SECRET-LOW": "secret", "FOR-PERM-SETUID": "forensics",
		"VULN-BAD": "", "SECRET-": "", "whatever": "", "": "", "-": "", "DS-": "", "1234": "", "DS-00a2": "",
	} {
		if got := ScannerOf(id); got != want {
			t.Errorf("ScannerOf(%q) = %q, want %q", id, got, want)
		}
	}
}

func sampleReport() *model.Report {
	return &model.Report{Results: []model.Result{
		{Target: "debian 12", Class: model.ClassOSPkg, Type: "debian", Vulnerabilities: []model.Vulnerability{
			{VulnerabilityID: "CVE-1", Severity: "CRITICAL"}, {VulnerabilityID: "CVE-2", Severity: "HIGH"},
			{VulnerabilityID: "CVE-3", Severity: "CRITICAL"},
		}},
		{Target: "image config (Dockerfile)", Class: model.ClassConfig, Type: "dockerfile", Misconfigurations: []model.Misconfiguration{
			{ID: "DS-0002", AVDID: "AVD-DS-0002", Status: model.MisconfStatusFail},
			{ID: "DS-0026", AVDID: "AVD-DS-0026", Status: model.MisconfStatusPass},
			{ID: "DS-0005", AVDID: "AVD-DS-0005", Status: model.MisconfStatusFail},
		}},
		{Target: "app/.env", Class: model.ClassSecret, Secrets: []model.Secret{{RuleID: "aws", Severity: "CRITICAL"}, {RuleID: "x", Severity: "LOW"}}},
		{Target: "img", Class: model.ClassForensics, Findings: []model.ForensicFinding{{ID: "FOR-PERM-SETUID", Path: "usr/bin/x"}, {ID: "FOR-PERSIST-CRON"}}},
	}}
}

// TestBuild: each control gets one result per failing finding its checks
// name; PASS entries do not count; controls whose checks did not run and
// manual controls have no TotalFail.
func TestBuild(t *testing.T) {
	spec, err := Parse([]byte(`spec:
  id: t
  title: T
  controls:
    - {id: "1", name: user, severity: HIGH, checks: [{id: AVD-DS-0002}]}
    - {id: "2", name: health, severity: LOW, checks: [{id: DS026}]}
    - {id: "3", name: vulns, severity: CRITICAL, checks: [{id: VULN-CRITICAL}, {id: CVE-2}]}
    - {id: "4", name: secrets, severity: CRITICAL, checks: [{id: SECRET-CRITICAL}]}
    - {id: "5", name: setuid, severity: HIGH, checks: [{id: FOR-PERM-SETUID}, {id: for-perm-setgid}]}
    - {id: "6", name: trusted base (Manual), severity: HIGH, checks: [], defaultStatus: FAIL}
    - {id: "7", name: add, severity: LOW, checks: [{id: ds002}, {id: DS-0005}]}
    - {id: "8", name: not run, severity: LOW, checks: [{id: KSV-0001}]}
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	ran := func(id string) bool { return !strings.HasPrefix(id, "KSV") }
	cr, warnings := Build(sampleReport(), spec, ran)
	type row struct {
		ID    string
		Fail  *int
		Found []string
	}
	var got []row
	for i, c := range cr.Results {
		var found []string
		for _, r := range c.Results {
			for _, v := range r.Vulnerabilities {
				found = append(found, v.VulnerabilityID)
			}
			for _, m := range r.Misconfigurations {
				found = append(found, m.ID)
			}
			for _, s := range r.Secrets {
				found = append(found, s.RuleID)
			}
			for _, f := range r.Findings {
				found = append(found, f.ID)
			}
			if r.Target == "" || r.Class == "" {
				t.Errorf("control %s: result without target/class %+v", c.ID, r)
			}
		}
		got = append(got, row{c.ID, Summarise(cr).SummaryControls[i].TotalFail, found})
	}
	n := func(i int) *int { return &i }
	want := []row{
		{"1", n(1), []string{"DS-0002"}},
		{"2", n(0), nil},
		{"3", n(3), []string{"CVE-1", "CVE-3", "CVE-2"}},
		{"4", n(1), []string{"aws"}},
		{"5", n(1), []string{"FOR-PERM-SETUID"}},
		{"6", nil, nil},
		{"7", n(2), []string{"DS-0002", "DS-0005"}},
		{"8", nil, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("controls (-want +got):\n%s", diff)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "control 8: check KSV-0001 was not evaluated") {
		t.Errorf("warnings %q", warnings)
	}
	// The JSON of a summary omits TotalFail only for unjudged controls.
	b, err := json.Marshal(Summarise(cr))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"ID":"2","Name":"health","Severity":"LOW","TotalFail":0}`) ||
		!strings.Contains(string(b), `{"ID":"6","Name":"trusted base (Manual)","Severity":"HIGH"}`) {
		t.Errorf("summary JSON %s", b)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"docker-cis-1.6.0.yaml", "k8s-pss-restricted-0.1.yaml"} {
		b, err := builtinSpecs.ReadFile("specs/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("spec: {id: x, controls: [{id: '1', checks: [{id: VULN-LOW}]}]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b, "fuzz")
		if err != nil {
			return
		}
		// A valid spec builds a report on any input without panicking.
		cr, _ := Build(sampleReport(), s, nil)
		if len(cr.Results) != len(s.Controls) || len(Summarise(cr).SummaryControls) != len(s.Controls) {
			t.Fatalf("%d controls, %d results", len(s.Controls), len(cr.Results))
		}
	})
}
