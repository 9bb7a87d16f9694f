package terraform

import (
	"fmt"
	"strings"
	"testing"
)

const testPlan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket_acl.a",
          "mode": "managed", "type": "aws_s3_bucket_acl", "name": "a",
          "values": {"acl": "public-read", "expected_bucket_owner": null}
        }
      ],
      "child_modules": [
        {
          "address": "module.m[0]",
          "resources": [
            {
              "address": "module.m[0].aws_security_group.g",
              "mode": "managed", "type": "aws_security_group", "name": "g",
              "values": {
                "ingress": [
                  {"cidr_blocks": ["0.0.0.0/0"], "from_port": 22}
                ],
                "tags": {"k": "v"}
              }
            }
          ]
        }
      ]
    }
  },
  "configuration": {
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket_acl.a", "expressions": {"bucket": {"references": ["aws_s3_bucket.b[0].id", "aws_s3_bucket.b"]}}}
      ]
    }
  }
}`

// TestParsePlan: resources of planned_values (root and child modules)
// with concrete values at the JSON's lines, null values left out (unset),
// arrays of objects as nested blocks, and the references of
// configuration's expressions on attributes the plan leaves unknown.
func TestParsePlan(t *testing.T) {
	cfg, err := ParsePlan("plan.json", []byte(testPlan))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range cfg.Resources {
		var parts []string
		parts = append(parts, fmt.Sprintf("%s %s %s %s lines %d-%d", r.Mode, r.Local, r.Module, r.Range.File, r.Range.Start, r.Range.End))
		for _, n := range []string{"acl", "expected_bucket_owner", "bucket", "tags"} {
			if a := r.Attrs[n]; a != nil {
				parts = append(parts, fmt.Sprintf("%s=%s@%d-%d%v", n, show(a.Value), a.Range.Start, a.Range.End, a.Refs))
			}
		}
		for _, c := range r.Children("ingress") {
			parts = append(parts, fmt.Sprintf("ingress@%d-%d cidr=%s port=%s", c.Range.Start, c.Range.End, show(c.Attrs["cidr_blocks"].Value), show(c.Attrs["from_port"].Value)))
		}
		got[r.Address] = strings.Join(parts, "; ")
	}
	want := map[string]string{
		"aws_s3_bucket_acl.a":              `resource aws_s3_bucket_acl.a  plan.json lines 7-11; acl=public-read@10-10[]; bucket=?@7-11[aws_s3_bucket.b]`,
		"module.m[0].aws_security_group.g": `resource aws_security_group.g module.m[0]. plan.json lines 17-26; tags=cty.ObjectVal(map[string]cty.Value{"k":cty.StringVal("v")})@24-24[]; ingress@22-22 cidr=cty.TupleVal([]cty.Value{cty.StringVal("0.0.0.0/0")}) port=22`,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("resources %v", got)
	}
}

// TestParsePlanErrors: what is not a plan is an error naming the file
// and, for bad JSON, the line; never a panic.
func TestParsePlanErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "p.json: unexpected end of JSON"},
		{"{\n  \"format_version\": \"1.2\",\n  \"x\": [1,,]\n}", "p.json: line 3: invalid character ','"},
		{`{"resources": []}`, "p.json: not a Terraform plan"},
		{`{"format_version": "1"} {}`, "p.json: line 1: data after the JSON value"},
		{strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested deeper than 64"},
	} {
		_, err := ParsePlan("p.json", []byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestIsPlanJSON: Trivy's detection rule, both top-level keys.
func TestIsPlanJSON(t *testing.T) {
	for in, want := range map[string]bool{
		testPlan:                    true,
		`{"format_version": "1.2"}`: false,
		`{"nested": {"format_version": "1", "terraform_version": "1"}}`: false,
		`[]`:       false,
		`not json`: false,
	} {
		if got := IsPlanJSON([]byte(in)); got != want {
			t.Errorf("%.40q: %v, want %v", in, got, want)
		}
	}
}

func FuzzParsePlan(f *testing.F) {
	f.Add([]byte(testPlan))
	f.Add([]byte(`{"format_version":"1","planned_values":{"root_module":{"child_modules":[{"resources":[{}]}]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = IsPlanJSON(b)
		cfg, err := ParsePlan("f.json", b)
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}
