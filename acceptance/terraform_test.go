package acceptance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigCorpusTerraform: Trivy's Terraform fixtures all call remote
// modules (registry, GitHub, a registry submodule, one through a local
// module). Offline they give a warning naming the module, the file and
// line and that it is not available offline — never an error, a network
// access or a finding invented from a module that was not read. The
// local module of remote-module-in-child is evaluated (its main.tf gets
// a result).
func TestConfigCorpusTerraform(t *testing.T) {
	for _, tt := range []struct {
		dir     string
		warn    string
		targets []string
	}{
		{"remote-module", `main.tf:1: module "bucket": source "terraform-aws-modules/s3-bucket/aws" is not available offline`, []string{"main.tf"}},
		{"terraform-registry", `main.tf:1: module "bucket": source "registry.terraform.io/terraform-aws-modules/s3-bucket/aws" is not available offline`, []string{"main.tf"}},
		{"opentofu-registry", `main.tf:1: module "bucket": source "registry.opentofu.org/terraform-aws-modules/s3-bucket/aws" is not available offline`, []string{"main.tf"}},
		{"remote-submodule", `main.tf:1: module "endpoints": source "terraform-aws-modules/vpc/aws//modules/vpc-endpoints" is not available offline`, []string{"main.tf"}},
		{"remote-module-in-child", `modules/s3/main.tf:5: module "bucket": source "github.com/terraform-aws-modules/terraform-aws-s3-bucket?ref=v5.2.0" is not available offline`,
			[]string{"main.tf", "modules/s3/main.tf"}},
	} {
		t.Run(tt.dir, func(t *testing.T) {
			dir := corpus(t, "iac", "trivy-fixtures", "terraform", tt.dir)
			out, errOut, code := trawl(t, "config", "-f", "json", "--exit-code", "5", "--cache-dir", t.TempDir(), dir)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(strings.ReplaceAll(errOut, `\"`, `"`), tt.warn) {
				t.Errorf("stderr %q: want %q", errOut, tt.warn)
			}
			var rep model.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rep.Results {
				got = append(got, r.Target)
				if r.Type != "terraform" || len(r.Misconfigurations) != 0 {
					t.Errorf("%s: type %q, findings %v", r.Target, r.Type, r.Misconfigurations)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.targets, ",") {
				t.Errorf("targets %v, want %v", got, tt.targets)
			}
		})
	}
}
