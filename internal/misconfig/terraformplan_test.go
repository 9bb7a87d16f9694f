package misconfig

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/inventory"
)

// TestTerraformPlanJSON: a plan's planned values go through the same
// cloud adapter as .tf files: the bucket without a public access block
// fails AWS-0086 at its resource object's lines, the bucket of the
// module whose public access block refers to it (by a reference known
// only from configuration) does not, and the 0.0.0.0/0 ingress fails
// AWS-0107 at the cidr_blocks lines; a file that is not a plan is an
// error naming it.
func TestTerraformPlanJSON(t *testing.T) {
	content, err := os.ReadFile("testdata/terraformplan/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{})
	if !e.Supported(TypeTerraformPlanJSON) {
		t.Fatal("terraformplan-json not supported")
	}
	r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeTerraformPlanJSON, FilePath: "plan.json", Content: content})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range r.Misconfigurations {
		cm := m.CauseMetadata
		got[fmt.Sprintf("%s %s %d-%d %s", m.ID, cm.Resource, cm.StartLine, cm.EndLine, m.Type)] = true
	}
	for _, want := range []string{
		"AWS-0086 aws_s3_bucket.logs 7-23 Terraform Plan JSON Security Check",
		"AWS-0107 aws_security_group.web 36-38 Terraform Plan JSON Security Check",
	} {
		if !got[want] {
			t.Errorf("missing %q in %v", want, got)
		}
	}
	for k := range got {
		if strings.Contains(k, "module.assets.aws_s3_bucket.this") && strings.HasPrefix(k, "AWS-0086") {
			t.Errorf("the module's bucket has a public access block: %s", k)
		}
	}
	if _, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeTerraformPlanJSON, FilePath: "x.json", Content: []byte(`{"a": 1}`)}); err == nil || !strings.Contains(err.Error(), "x.json: not a Terraform plan") {
		t.Errorf("error %v", err)
	}
}
