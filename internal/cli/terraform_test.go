package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigTerraform: `trawl config` over a Terraform folder evaluates
// its files as one module with its local module: findings carry the
// resource address, provider, service and the lines of the attribute,
// a finding in the module is in the module's file, --tf-vars overrides
// a default, --misconfig-scanners leaves terraform out, and a file that
// does not parse is a warning naming its file and line, not a failed scan.
func TestConfigTerraform(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `variable "versioned" {
  default = false
}

resource "aws_s3_bucket" "data" {
  bucket = "data"
  versioning {
    enabled = var.versioned
  }
}

module "vol" {
  source = "./modules/vol"
}
`,
		"modules/vol/main.tf": `resource "aws_ebs_volume" "this" {
  availability_zone = "eu-west-1a"
  encrypted         = false
}
`,
		"broken.tf": "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n}\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vars := filepath.Join(t.TempDir(), "prod.tfvars")
	if err := os.WriteFile(vars, []byte("versioned = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	scan := func(args ...string) (map[string][]model.Misconfiguration, string) {
		t.Helper()
		out, errOut, code := run(t, append([]string{"config", "-f", "json", "--cache-dir", t.TempDir()}, append(args, dir)...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d; stderr %s", args, code, errOut)
		}
		var rep model.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string][]model.Misconfiguration{}
		for _, r := range rep.Results {
			if r.Type != "terraform" {
				t.Errorf("%s: type %q", r.Target, r.Type)
			}
			got[r.Target] = r.Misconfigurations
		}
		return got, errOut
	}
	find := func(ms []model.Misconfiguration, id string) *model.Misconfiguration {
		for i := range ms {
			if ms[i].ID == id {
				return &ms[i]
			}
		}
		return nil
	}

	got, errOut := scan()
	if !strings.Contains(errOut, "broken.tf:2") || !strings.Contains(errOut, "does not parse") {
		t.Errorf("stderr %q: want a warning naming broken.tf:2", errOut)
	}
	if _, ok := got["broken.tf"]; ok {
		t.Error("broken.tf has a result")
	}
	m := find(got["main.tf"], "AWS-0090")
	if m == nil {
		t.Fatalf("main.tf: no AWS-0090 in %v", got["main.tf"])
	}
	if c := m.CauseMetadata; c.Resource != "aws_s3_bucket.data" || c.Provider != "AWS" || c.Service != "s3" || c.StartLine != 8 || c.EndLine != 8 {
		t.Errorf("AWS-0090 cause %+v, want aws_s3_bucket.data AWS s3 lines 8-8", c)
	}
	v := find(got["modules/vol/main.tf"], "AWS-0026")
	if v == nil || v.CauseMetadata.Resource != "module.vol.aws_ebs_volume.this" || v.CauseMetadata.StartLine != 3 {
		t.Errorf("modules/vol/main.tf AWS-0026: %+v", v)
	}

	got, _ = scan("--tf-vars", vars)
	if m := find(got["main.tf"], "AWS-0090"); m != nil {
		t.Errorf("--tf-vars versioned = true: still AWS-0090 %+v", m)
	}

	got, _ = scan("--misconfig-scanners", "dockerfile")
	if len(got) != 0 {
		t.Errorf("--misconfig-scanners dockerfile: results %v", got)
	}
}

// TestConfigTerraformOccurrences: a finding on a resource of a nested
// local module is reported in the module's file at the resource's lines,
// with CauseMetadata.Occurrences listing the module calls back to the
// root (innermost first, each with its file and lines); the table shows
// them as "via" lines.
func TestConfigTerraformOccurrences(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `provider "aws" {}

module "web" {
  source = "./modules/web"
  name   = "site"
}
`,
		"modules/web/main.tf": `variable "name" {}

module "store" {
  source = "../store"
  bucket = "${var.name}-assets"
}
`,
		"modules/store/main.tf": `variable "bucket" {}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}
`,
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := run(t, "config", "-f", "json", "--cache-dir", t.TempDir(), dir)
	if code != 0 {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got *model.Misconfiguration
	for _, r := range rep.Results {
		for i, m := range r.Misconfigurations {
			if m.ID == "AWS-0086" {
				if r.Target != "modules/store/main.tf" {
					t.Errorf("AWS-0086 in %s, want modules/store/main.tf", r.Target)
				}
				got = &r.Misconfigurations[i]
			}
		}
	}
	if got == nil {
		t.Fatalf("no AWS-0086 finding: %s", out)
	}
	c := got.CauseMetadata
	if c.Resource != "module.web.module.store.aws_s3_bucket.this" || c.StartLine != 3 || c.EndLine != 5 {
		t.Errorf("cause %s %d-%d", c.Resource, c.StartLine, c.EndLine)
	}
	want := []model.Occurrence{
		{Resource: "module.web.module.store", Filename: "modules/web/main.tf", Location: model.Location{StartLine: 3, EndLine: 6}},
		{Resource: "module.web", Filename: "main.tf", Location: model.Location{StartLine: 3, EndLine: 6}},
	}
	if fmt.Sprint(c.Occurrences) != fmt.Sprint(want) {
		t.Errorf("occurrences %+v, want %+v", c.Occurrences, want)
	}
	if !strings.Contains(out, `"Occurrences": [`) || !strings.Contains(out, `"Filename": "main.tf"`) {
		t.Errorf("JSON lacks Trivy's Occurrences shape")
	}
	table, errOut, code := run(t, "config", "--cache-dir", t.TempDir(), dir)
	if code != 0 {
		t.Fatalf("table: exit %d; stderr %s", code, errOut)
	}
	if !strings.Contains(table, "via modules/web/main.tf:3-6 (module.web.module.store)") || !strings.Contains(table, "via main.tf:3-6 (module.web)") {
		t.Errorf("table lacks the via lines:\n%s", table)
	}
}

// TestConfigTerraformPlanJSON: `trawl config` finds a plan's JSON among
// other .json files (Trivy's rule: top-level format_version and
// terraform_version), reports it as type terraformplan-json with the
// cloud checks' findings at the JSON's lines, and --misconfig-scanners
// terraformplan-json is accepted.
func TestConfigTerraformPlanJSON(t *testing.T) {
	plan, err := os.ReadFile("../misconfig/testdata/terraformplan/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, content := range map[string][]byte{"tfplan.json": plan, "other.json": []byte(`{"format_version": "1"}`)} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{nil, {"--misconfig-scanners", "terraformplan-json"}} {
		out, errOut, code := run(t, append(append([]string{"config", "-f", "json", "--cache-dir", t.TempDir()}, args...), dir)...)
		if code != 0 {
			t.Fatalf("%v: exit %d; stderr %s", args, code, errOut)
		}
		var rep model.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, r := range rep.Results {
			for _, m := range r.Misconfigurations {
				got[fmt.Sprintf("%s %s %s %s %d-%d", r.Target, r.Type, m.ID, m.CauseMetadata.Resource, m.CauseMetadata.StartLine, m.CauseMetadata.EndLine)] = true
			}
		}
		for _, want := range []string{
			"tfplan.json terraformplan-json AWS-0086 aws_s3_bucket.logs 7-23",
			"tfplan.json terraformplan-json AWS-0107 aws_security_group.web 36-38",
		} {
			if !got[want] {
				t.Errorf("%v: missing %q in %v", args, want, got)
			}
		}
	}
}
