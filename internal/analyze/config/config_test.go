package config

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/helm"
)

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"Dockerfile", true},
		{"app/dockerfile", true},
		{"Containerfile", true},
		{"build/Dockerfile.dev", true},
		{"prod.Dockerfile", true},
		{"x/api.containerfile", true},
		{"DOCKERFILE", true},
		{"Dockerfile.a.b", false},
		{"Dockerfiles", false},
		{"Dockerfile-dev", false},
		{"docker/compose.txt", false},
		{"Customfile", false},
	} {
		if got := New().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

type info struct {
	size int64
	mode fs.FileMode
}

func (i info) Name() string       { return "Dockerfile" }
func (i info) Size() int64        { return i.size }
func (i info) Mode() fs.FileMode  { return i.mode }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return false }
func (i info) Sys() any           { return nil }

func TestRequiredSizeAndType(t *testing.T) {
	a := New()
	if a.Required("Dockerfile", info{size: MaxSize + 1}) {
		t.Error("a file over 1 MiB is required")
	}
	if a.Required("Dockerfile", info{size: 10, mode: fs.ModeSymlink}) {
		t.Error("a symlink is required")
	}
	if !a.Required("Dockerfile", info{size: MaxSize}) {
		t.Error("a 1 MiB file is not required")
	}
}

func TestAnalyzeKeepsTheFile(t *testing.T) {
	content := []byte("FROM alpine:3.20\n")
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "app/Dockerfile", Content: content})
	if err != nil {
		t.Fatal(err)
	}
	content[0] = 'X' // the walker may reuse its buffer
	if len(res.ConfigFiles) != 1 || res.ConfigFiles[0].Type != "dockerfile" || res.ConfigFiles[0].FilePath != "app/Dockerfile" || string(res.ConfigFiles[0].Content) != "FROM alpine:3.20\n" {
		t.Errorf("result %+v", res.ConfigFiles)
	}
	if _, err := New().Analyze(context.Background(), analyze.Input{Path: "Dockerfile", Content: make([]byte, MaxSize+1)}); err == nil {
		t.Error("no error for a file over the cap")
	}
}

func TestRequiredManifests(t *testing.T) {
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"deploy.yaml", true},
		{"k8s/app.YML", true},
		{"k8s/list.json", true},
		{"app.yaml.bak", false},
		{"k8s/app.txt", false},
		{"node_modules/x/deploy.yaml", false},
		{"a/.git/config.json", false},
		{"vendor/k8s.io/api/pod.json", false},
		{"vendored/pod.yaml", true},
	} {
		if got := New().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestAnalyzeManifests: a YAML or JSON file is kept as "kubernetes" only
// when apiVersion and kind are top-level keys.
func TestAnalyzeManifests(t *testing.T) {
	for _, tt := range []struct {
		name, path, content string
		keep                bool
	}{
		{"pod", "pod.yaml", "apiVersion: v1\nkind: Pod\n", true},
		{"second document", "all.yaml", "a: 1\n---\n\"kind\": Service\n'apiVersion' : v1\n", true},
		{"BOM", "pod.yml", "\xef\xbb\xbfapiVersion: v1\nkind: Pod\n", true},
		{"JSON", "pod.json", "  {\"kind\": \"Pod\", \"apiVersion\": \"v1\"}", true},
		{"nested keys only", "values.yaml", "app:\n  apiVersion: v1\n  kind: Pod\n", false},
		{"no kind", "Chart.yaml", "apiVersion: v2\nname: chart\n", false},
		{"key prefix", "x.yaml", "apiVersions: v1\nkinds: Pod\n", false},
		{"package.json", "package.json", `{"name": "x", "version": "1.0.0"}`, false},
		{"Compose content under another name", "stack.yaml", "services:\n  web:\n    image: nginx\n", false},
		{"Helm template", "chart/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n", false},
		{"templates folder, no template actions", "k8s/templates/pod.yaml", "apiVersion: v1\nkind: Pod\n", true},
		{"template action outside templates/", "k8s/rules.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: '{{ $labels.x }}'\n", true},
		{"too large", "big.yaml", "apiVersion: v1\nkind: Pod\n" + strings.Repeat("#", MaxSize), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
			if err != nil {
				t.Fatal(err)
			}
			kept := res != nil && len(res.ConfigFiles) == 1 && res.ConfigFiles[0].Type == TypeKubernetes &&
				res.ConfigFiles[0].FilePath == tt.path && string(res.ConfigFiles[0].Content) == tt.content
			if kept != tt.keep || (!tt.keep && res != nil && len(res.ConfigFiles) > 0) {
				t.Errorf("kept = %v, want %v (%+v)", kept, tt.keep, res)
			}
		})
	}
}

// TestAnalyzeTemplates: a YAML or JSON file that is not a manifest is
// kept as "cloudformation" when it has a top-level AWSTemplateFormatVersion
// or a top-level Resources with an AWS:: type; manifests stay kubernetes;
// a JSON file whose $schema names deploymentTemplate.json is "azure-arm".
func TestAnalyzeTemplates(t *testing.T) {
	for _, tt := range []struct {
		name, path, content, want string
	}{
		{"version", "t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", TypeCloudFormation},
		{"resources only", "t.yml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", TypeCloudFormation},
		{"JSON", "t.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, TypeCloudFormation},
		{"JSON version", "t.json", `{"AWSTemplateFormatVersion": "2010-09-09"}`, TypeCloudFormation},
		{"nested Resources", "x.yaml", "app:\n  Resources:\n    Type: AWS::S3::Bucket\n", ""},
		{"Resources without AWS type", "x.yaml", "Resources:\n  a: b\n", ""},
		{"manifest mentioning AWS", "pod.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  AWSTemplateFormatVersion: x\n", TypeKubernetes},
		{"Compose name wins", "compose.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", TypeCompose},
		{"ARM", "azuredeploy.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, TypeAzureARM},
		{"ARM parameters file", "azuredeploy.parameters.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`, ""},
		{"other $schema", "tsconfig.json", `{"$schema": "https://json.schemastore.org/tsconfig", "compilerOptions": {}}`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if res != nil && len(res.ConfigFiles) == 1 {
				got = res.ConfigFiles[0].Type
			}
			if got != tt.want {
				t.Errorf("type %q, want %q", got, tt.want)
			}
		})
	}
}

// TestChartArchives: a .tgz holding "<name>/Chart.yaml" is kept whole as
// a helm file; any other archive, and archives over the cap, are not.
func TestChartArchives(t *testing.T) {
	mk := func(name string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg})
		tw.Write([]byte("x"))
		tw.Close()
		zw.Close()
		return buf.Bytes()
	}
	for _, tt := range []struct {
		name    string
		path    string
		content []byte
		want    bool
	}{
		{"chart .tgz", "charts/app-1.0.0.tgz", mk("app/Chart.yaml"), true},
		{"chart .tar.gz", "app.tar.gz", mk("app/Chart.yaml"), true},
		{"other archive", "dist/lib.tar.gz", mk("lib/setup.py"), false},
		{"not gzip", "x.tgz", []byte("hello"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := New()
			if !a.Required(tt.path, info{size: int64(len(tt.content))}) {
				t.Fatalf("%s not required", tt.path)
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: tt.content})
			if err != nil {
				t.Fatal(err)
			}
			kept := res != nil && len(res.ConfigFiles) == 1 && res.ConfigFiles[0].Type == TypeHelm && bytes.Equal(res.ConfigFiles[0].Content, tt.content)
			if kept != tt.want {
				t.Fatalf("kept = %v (%+v), want %v", kept, res, tt.want)
			}
		})
	}
	if New().Required("big.tgz", info{size: helm.MaxArchiveSize + 1}) {
		t.Error("an archive over the cap is required")
	}
	if New().Required("node_modules/x/chart.tgz", info{size: 10}) {
		t.Error("an archive in node_modules is required")
	}
}

func TestIsCompose(t *testing.T) {
	for _, tt := range []struct {
		base string
		want bool
	}{
		{"compose.yaml", true},
		{"compose.yml", true},
		{"docker-compose.yml", true},
		{"Docker-Compose.YAML", true},
		{"docker-compose.prod.yml", true},
		{"compose.override.yaml", true},
		{"compose-dev.yaml", true},
		{"composer.yaml", false},
		{"compose.json", false},
		{"docker-compose.yml.bak", false},
		{"my-compose.yaml", false},
	} {
		if got := IsCompose(tt.base); got != tt.want {
			t.Errorf("IsCompose(%q) = %v, want %v", tt.base, got, tt.want)
		}
	}
}

// TestAnalyzeCompose: Compose files are kept by name, whatever their
// content (a Compose file with apiVersion/kind is still Compose); not in
// skipped folders.
func TestAnalyzeCompose(t *testing.T) {
	for _, tt := range []struct {
		path, content, want string
	}{
		{"compose.yaml", "services:\n  web:\n    image: nginx\n", TypeCompose},
		{"deploy/docker-compose.prod.yml", "services: {}\n", TypeCompose},
		{"compose.yaml", "apiVersion: v1\nkind: Pod\n", TypeCompose},
		{"node_modules/x/compose.yaml", "services: {}\n", ""},
		{"stack.yml", "services:\n  web:\n    image: nginx\n", ""},
	} {
		res, err := New().Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res != nil && len(res.ConfigFiles) == 1 {
			got = res.ConfigFiles[0].Type
		}
		if got != tt.want {
			t.Errorf("%s: type %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestFilePatterns: a file matching a pattern is required and kept as the
// pattern's type, without a content check; the first matching pattern
// wins over the name rules; other files keep their default types.
func TestFilePatterns(t *testing.T) {
	var pats []Pattern
	for _, s := range []string{`dockerfile:Customfile`, `kubernetes:.*\.k8s$`, `compose:(^|/)stack\.yml$`,
		`cloudformation:\.template$`, `azure-arm:(^|/)arm/.*\.json$`, `terraformplan-json:(^|/)plan\.out\.json$`} {
		p, err := ParsePattern(s)
		if err != nil {
			t.Fatal(err)
		}
		pats = append(pats, p)
	}
	a := New(pats...)
	for _, tt := range []struct {
		path, content, want string
	}{
		{"Customfile", "FROM alpine\n", TypeDockerfile},
		{"build/Customfile.ci", "FROM alpine\n", TypeDockerfile},
		{"app.k8s", "spec: {}\n", TypeKubernetes},
		{"ops/stack.yml", "services: {}\n", TypeCompose},
		{"infra/stack.template", "Resources: {}\n", TypeCloudFormation},
		{"arm/main.json", `{"resources": []}`, TypeAzureARM},
		{"plan.out.json", `{"planned_values": {}}`, TypeTerraformPlanJSON},
		{"Dockerfile", "FROM alpine\n", TypeDockerfile},
		{"pod.yaml", "apiVersion: v1\nkind: Pod\n", TypeKubernetes},
		{"other.txt", "FROM alpine\n", ""},
	} {
		if want := tt.want != ""; a.Required(tt.path, nil) != want {
			t.Errorf("Required(%s) = %v, want %v", tt.path, !want, want)
		}
		res, err := a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res != nil && len(res.ConfigFiles) == 1 {
			got = res.ConfigFiles[0].Type
		}
		if got != tt.want {
			t.Errorf("%s: type %q, want %q", tt.path, got, tt.want)
		}
	}
	if New().Required("Customfile", nil) {
		t.Error("Customfile required without a pattern")
	}
}

func TestParsePatternErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Customfile", "want TYPE:REGEX"},
		{"dockerfile:", "want TYPE:REGEX"},
		{"terraform:.*\\.tf$", `unsupported type "terraform"`},
		{"helm:chart", `unsupported type "helm"`},
		{"dockerfile:(", "missing closing )"},
	} {
		_, err := ParsePattern(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParsePattern(%q) = %v, want one line with %q", tt.in, err, tt.want)
		}
	}
	if p, err := ParsePattern(`kubernetes:a:b`); err != nil || p.Regexp.String() != "a:b" {
		t.Errorf("a colon in the regex: %v %v", p, err)
	}
}

// TestAnalyzeTerraform: .tf, .tf.json, .tfvars and .tfvars.json files are required and kept as
// "terraform" (also under .terraform/modules, where downloaded modules
// live); not in skipped folders, not other extensions.
func TestAnalyzeTerraform(t *testing.T) {
	for _, tt := range []struct {
		path, want string
	}{
		{"main.tf", TypeTerraform},
		{"infra/prod.tfvars", TypeTerraform},
		{"main.tf.json", TypeTerraform},
		{"infra/prod.tfvars.json", TypeTerraform},
		{"vendor/x/main.tf.json", ""},
		{"infra/.terraform/modules/bucket/main.tf", TypeTerraform},
		{"vendor/x/main.tf", ""},
		{"main.tf.bak", ""},
	} {
		a := New()
		if req := a.Required(tt.path, nil); req != (tt.want != "") {
			t.Errorf("%s: required %v", tt.path, req)
		}
		res, err := a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte("resource \"a\" \"b\" {}\n")})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res != nil && len(res.ConfigFiles) == 1 {
			got = res.ConfigFiles[0].Type
		}
		if got != tt.want {
			t.Errorf("%s: type %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestAnalyzeTerraformPlanJSON: a .json file with top-level
// format_version and terraform_version is a terraformplan-json file;
// one without both, or nested, is not.
func TestAnalyzeTerraformPlanJSON(t *testing.T) {
	for _, tt := range []struct{ path, content, want string }{
		{"tfplan.json", `{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {}}`, TypeTerraformPlanJSON},
		{"tfplan.json", `{"format_version": "1.2"}`, ""},
		{"x.json", `{"a": {"format_version": "1.2", "terraform_version": "1.9.5"}}`, ""},
		{"tfplan.txt", `{"format_version": "1.2", "terraform_version": "1.9.5"}`, ""},
	} {
		res, err := New().Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res != nil && len(res.ConfigFiles) == 1 {
			got = res.ConfigFiles[0].Type
		}
		if got != tt.want {
			t.Errorf("%s %s: type %q, want %q", tt.path, tt.content, got, tt.want)
		}
	}
}
