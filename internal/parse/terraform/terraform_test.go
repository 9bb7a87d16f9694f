package terraform

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zclconf/go-cty/cty"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

// TestLoad: evaluation of variables, locals, functions, references,
// count/for_each, dynamic blocks and modules, and the warnings bad input
// gives (each naming the file and line) instead of failing or hanging.
func TestLoad(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		opts  Options
		// want: resource address → attribute → string form of its value.
		want map[string]map[string]string
		// warn: substrings of the warnings, all expected.
		warn []string
		// lines: address[.attribute][/nested type] → "file:start-end".
		lines map[string]string
	}{
		{
			name: "variables locals functions references",
			files: map[string]string{
				"main.tf": `variable "env" { default = "dev" }
locals {
  name = "${upper(var.env)}-${local.suffix}"
  suffix = join("-", ["a", "b"])
}
resource "aws_s3_bucket" "b" { bucket = local.name }
resource "aws_s3_bucket_versioning" "v" { bucket = aws_s3_bucket.b.bucket }
resource "aws_x" "unknown" { v = file("x") }
`,
				"terraform.tfvars": `env = "prod"`,
			},
			want: map[string]map[string]string{
				"aws_s3_bucket.b":            {"bucket": "PROD-a-b"},
				"aws_s3_bucket_versioning.v": {"bucket": "PROD-a-b"},
				"aws_x.unknown":              {"v": "?"},
			},
		},
		{
			name:  "var files after tfvars",
			files: map[string]string{"main.tf": `variable "n" {}` + "\n" + `resource "a_b" "c" { n = var.n }`, "terraform.tfvars": "n = 1"},
			opts:  Options{VarFiles: []VarFile{{Name: "x.tfvars", Content: []byte("n = 2")}}},
			want:  map[string]map[string]string{"a_b.c": {"n": "2"}},
		},
		{
			name: "count for_each dynamic",
			files: map[string]string{"main.tf": `resource "a_b" "c" {
  count = 2
  i = count.index
}
resource "a_b" "d" {
  for_each = toset(["x"])
  k = each.key
  dynamic "rule" {
    for_each = [1, 2]
    content { n = rule.value }
  }
}
`},
			want: map[string]map[string]string{"a_b.c[0]": {"i": "0"}, "a_b.c[1]": {"i": "1"}, `a_b.d["x"]`: {"k": "x", "#rule": "2"}},
		},
		{
			name:  "count capped",
			files: map[string]string{"main.tf": "resource \"a_b\" \"c\" {\n  count = 1000000\n}\n"},
			opts:  Options{MaxInstances: 2},
			want:  map[string]map[string]string{"a_b.c[0]": {}, "a_b.c[1]": {}},
			warn:  []string{"main.tf:1: a_b.c: count 1000000 exceeds the cap of 2"},
		},
		{
			name:  "local cycle",
			files: map[string]string{"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\nresource \"a_b\" \"c\" { v = local.a }\n"},
			want:  map[string]map[string]string{"a_b.c": {"v": "?"}},
			warn:  []string{"main.tf:2: local.a: reference cycle"},
		},
		{
			name: "local module with inputs and outputs",
			files: map[string]string{
				"main.tf":     "module \"m\" {\n  source = \"./mod\"\n  name = \"n1\"\n}\nresource \"a_b\" \"c\" { v = module.m.out }\n",
				"mod/main.tf": "variable \"name\" {}\nresource \"a_b\" \"in\" { v = var.name }\noutput \"out\" { value = \"${var.name}-out\" }\n",
			},
			want: map[string]map[string]string{"a_b.c": {"v": "n1-out"}, "module.m.a_b.in": {"v": "n1"}},
		},
		{
			name: "recursive module",
			files: map[string]string{
				"main.tf":     "module \"m\" {\n  source = \"./mod\"\n}\n",
				"mod/main.tf": "resource \"a_b\" \"c\" {}\nmodule \"again\" {\n  source = \"../mod\"\n}\n",
			},
			want: map[string]map[string]string{"module.m.a_b.c": {}},
			warn: []string{"mod/main.tf:2: module \"again\": source \"../mod\" calls itself"},
		},
		{
			name:  "remote module offline",
			files: map[string]string{"main.tf": "module \"b\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n"},
			want:  map[string]map[string]string{},
			warn:  []string{"main.tf:1: module \"b\": source \"terraform-aws-modules/s3-bucket/aws\" is not available offline"},
		},
		{
			name: "remote module from .terraform/modules",
			files: map[string]string{
				"main.tf":                               "module \"b\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n  bucket = \"x\"\n}\n",
				".terraform/modules/modules.json":       `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"b","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Dir":".terraform/modules/b"}]}`,
				".terraform/modules/b/main.tf":          "variable \"bucket\" {}\nresource \"aws_s3_bucket\" \"this\" { bucket = var.bucket }\n",
				".terraform/modules/b/unrelated.tfvars": "",
			},
			want: map[string]map[string]string{"module.b.aws_s3_bucket.this": {"bucket": "x"}},
		},
		{
			name: "tf.json mixed with tf, tfvars.json",
			files: map[string]string{
				"main.tf": "variable \"env\" {}\nlocals { n = \"b-${var.env}\" }\n",
				"res.tf.json": `{
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "${local.n}",
        "tags": {"k": "v"},
        "versioning": {"enabled": true},
        "dynamic": {"rule": {"for_each": [1, 2, 3], "content": {"n": "${rule.value}"}}}
      }
    }
  },
  "module": {"m": {"source": "./mod", "cfg": {"a": 1}}}
}`,
				"mod/main.tf.json":      `{"variable": {"cfg": {}}, "resource": {"a_b": {"c": {"count": 2, "a": "${var.cfg.a}"}}}}`,
				"terraform.tfvars.json": `{"env": "prod"}`,
			},
			want: map[string]map[string]string{
				"aws_s3_bucket.b":   {"bucket": "b-prod", "#rule": "3", "#versioning": "1", "tags": `cty.ObjectVal(map[string]cty.Value{"k":cty.StringVal("v")})`},
				"module.m.a_b.c[0]": {"a": "1"},
				"module.m.a_b.c[1]": {"a": "1"},
			},
			lines: map[string]string{"aws_s3_bucket.b": "res.tf.json:4-9", "aws_s3_bucket.b.bucket": "res.tf.json:5-5", "aws_s3_bucket.b/versioning": "res.tf.json:7-7"},
		},
		{
			name:  "tf.json does not parse",
			files: map[string]string{"bad.tf.json": "{\n  \"resource\": {,\n}\n", "good.tf": `resource "a_b" "c" {}`},
			want:  map[string]map[string]string{"a_b.c": {}},
			warn:  []string{"bad.tf.json:2: does not parse"},
		},
		{
			name: "variable types and validations",
			files: map[string]string{
				"main.tf": `variable "port" { type = number }
variable "names" { type = list(string) }
variable "cfg" {
  type = object({ a = string, b = optional(number, 7) })
}
variable "env" {
  type = string
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod"
  }
}
variable "bad" { type = nosuchtype }
resource "a_b" "c" {
  port  = var.port
  names = var.names
  a     = var.cfg.a
  b     = var.cfg.b
  env   = var.env
  bad   = var.bad
}
`,
				"terraform.tfvars":      "port = \"8080\"\nnames = \"x\"\nenv = \"qa\"\n",
				"terraform.tfvars.json": `{"cfg": {"a": "x"}, "bad": 1}`,
			},
			want: map[string]map[string]string{"a_b.c": {"port": "8080", "names": "?", "a": "x", "b": "7", "env": "?", "bad": "1"}},
			warn: []string{
				`terraform.tfvars:2: var.names: the value does not fit its type list(string)`,
				`terraform.tfvars:3: var.env: the value fails its validation (env must be dev or prod); left unknown`,
				`main.tf:13: var.bad: type:`,
			},
		},
		{
			name: "variable type in tf.json, module input",
			files: map[string]string{
				"main.tf":          "module \"m\" {\n  source = \"./mod\"\n  n = {}\n}\n",
				"mod/main.tf.json": `{"variable": {"n": {"type": "number"}}, "resource": {"a_b": {"c": {"n": "${var.n}"}}}}`,
			},
			want: map[string]map[string]string{"module.m.a_b.c": {"n": "?"}},
			warn: []string{`main.tf:3: var.n: the value does not fit its type number`},
		},
		{
			name: "module count and for_each",
			files: map[string]string{
				"main.tf": `module "c" {
  source = "./mod"
  count  = 2
  n      = "c${count.index}"
}
module "e" {
  source   = "./mod"
  for_each = { a = "x", b = "y" }
  n        = each.value
}
module "big" {
  source = "./mod"
  count  = 5
  n      = "z"
}
resource "a_b" "out" {
  c1 = module.c[1].out
  eb = module.e["b"].out
}
`,
				"mod/main.tf": "variable \"n\" {}\nresource \"a_b\" \"r\" { n = var.n }\noutput \"out\" { value = var.n }\n",
			},
			opts: Options{MaxInstances: 3},
			want: map[string]map[string]string{
				"module.c[0].a_b.r": {"n": "c0"}, "module.c[1].a_b.r": {"n": "c1"},
				`module.e["a"].a_b.r`: {"n": "x"}, `module.e["b"].a_b.r`: {"n": "y"},
				"module.big[0].a_b.r": {"n": "z"}, "module.big[1].a_b.r": {"n": "z"}, "module.big[2].a_b.r": {"n": "z"},
				"a_b.out": {"c1": "c1", "eb": "y"},
			},
			warn: []string{"main.tf:11: module.big: count 5 exceeds the cap of 3"},
		},
		{
			name:  "does not parse",
			files: map[string]string{"bad.tf": "resource \"a\" {\n  x = \n}\n", "good.tf": `resource "a_b" "c" {}`},
			want:  map[string]map[string]string{"a_b.c": {}},
			warn:  []string{"bad.tf:2: does not parse"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, warns := Load(context.Background(), mapFS(tt.files), ".", tt.opts)
			got := map[string]map[string]string{}
			for _, r := range cfg.Resources {
				attrs := map[string]string{}
				for n, a := range r.Attrs {
					attrs[n] = show(a.Value)
				}
				for _, typ := range []string{"rule", "versioning"} {
					if n := len(r.Children(typ)); n > 0 {
						attrs["#"+typ] = show(cty.NumberIntVal(int64(n)))
					}
				}
				got[r.Address] = attrs
				rg := func(x Range) string { return fmt.Sprintf("%s:%d-%d", x.File, x.Start, x.End) }
				for k, want := range tt.lines {
					switch {
					case k == r.Address:
						if g := rg(r.Range); g != want {
							t.Errorf("%s lines %s, want %s", k, g, want)
						}
					case strings.HasPrefix(k, r.Address+"."):
						if a := r.Attrs[strings.TrimPrefix(k, r.Address+".")]; a == nil || rg(a.Range) != want {
							t.Errorf("%s lines %v, want %s", k, a, want)
						}
					case strings.HasPrefix(k, r.Address+"/"):
						if c := r.Children(strings.TrimPrefix(k, r.Address+"/")); len(c) != 1 || rg(c[0].Range) != want {
							t.Errorf("%s: %v, want %s", k, c, want)
						}
					}
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("resources %v, want %v", got, tt.want)
			}
			for addr, attrs := range tt.want {
				for n, v := range attrs {
					if got[addr][n] != v {
						t.Errorf("%s.%s = %q, want %q (all: %v)", addr, n, got[addr][n], v, got)
					}
				}
			}
			var ws []string
			for _, w := range warns {
				ws = append(ws, w.String())
			}
			all := strings.Join(ws, "\n")
			for _, w := range tt.warn {
				if !strings.Contains(all, w) {
					t.Errorf("warnings %q, want %q", all, w)
				}
			}
			if len(tt.warn) == 0 && len(ws) > 0 {
				t.Errorf("unexpected warnings %q", all)
			}
		})
	}
}

func show(v cty.Value) string {
	switch {
	case !v.IsKnown():
		return "?"
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return v.AsString()
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case v.Type() == cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return v.GoString()
}

// TestVia: a resource of a nested module lists the module calls that
// reached it, its own module's call first, with the lines of each call.
func TestVia(t *testing.T) {
	files := map[string]string{
		"main.tf":              "resource \"a_b\" \"root\" {}\n\nmodule \"web\" {\n  source = \"./web\"\n}\n",
		"web/main.tf":          "module \"db\" {\n  source = \"../db\"\n  n      = 1\n}\n",
		"db/main.tf.json":      `{"resource": {"a_b": {"c": {}}}}`,
		"unused/main.tf":       "",
		"web/variables.tf":     "",
		"db/variables.tf":      "variable \"n\" {}\n",
		"web/unrelated.tfvars": "",
	}
	cfg, warns := Load(context.Background(), mapFS(files), ".", Options{})
	if len(warns) > 0 {
		t.Fatalf("warnings %v", warns)
	}
	got := map[string]string{}
	for _, r := range cfg.Resources {
		var parts []string
		for _, c := range r.Via {
			parts = append(parts, fmt.Sprintf("%s@%s:%d-%d", c.Address, c.Range.File, c.Range.Start, c.Range.End))
		}
		got[r.Address] = strings.Join(parts, " ")
	}
	want := map[string]string{
		"a_b.root":                   "",
		"module.web.module.db.a_b.c": "module.web.module.db@web/main.tf:1-4 module.web@main.tf:3-5",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("via %v, want %v", got, want)
	}
}
