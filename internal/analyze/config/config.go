// Package config keeps the configuration files the misconfiguration
// checks read (Dockerfiles, Kubernetes manifests, Compose files and Helm
// chart archives; chart folders are internal/analyze/helm's) as
// Result.ConfigFiles; detection evaluates them (internal/misconfig),
// analysis only keeps them.
package config

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/helm"
	"github.com/trawlsec/trawl/internal/parse/arm"
	"github.com/trawlsec/trawl/internal/parse/terraform"
)

const version = 7

// MaxSize caps a kept file.
const MaxSize = 1 << 20

// TypeDockerfile is the input type of Dockerfiles and Containerfiles.
const TypeDockerfile = "dockerfile"

// TypeKubernetes is the input type of Kubernetes manifests.
const TypeKubernetes = "kubernetes"

// TypeCompose is the input type of Compose files.
const TypeCompose = "compose"

// TypeCloudFormation is the input type of CloudFormation templates
// (YAML or JSON files that are not Kubernetes manifests, IsTemplate).
const TypeCloudFormation = "cloudformation"

// TypeTerraformPlanJSON is the input type of Terraform plans in JSON
// (`terraform show -json PLAN`): .json files with top-level
// "format_version" and "terraform_version" keys (Trivy's name and rule).
const TypeTerraformPlanJSON = "terraformplan-json"

// TypeAzureARM is the input type of Azure Resource Manager templates
// (JSON files with a "$schema" naming deploymentTemplate.json).
const TypeAzureARM = "azure-arm"

// TypeTerraform is the input type of Terraform files (.tf, .tfvars),
// evaluated per folder at detection.
const TypeTerraform = "terraform"

// IsTerraform reports whether a path is a Terraform file: .tf, .tf.json,
// .tfvars or .tfvars.json, outside node_modules, .git and vendor.
func IsTerraform(p string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(p, ext) {
			return !inSkippedDir(p)
		}
	}
	return false
}

// Analyzer keeps configuration files.
type Analyzer struct{ patterns []Pattern }

// New returns the configuration file analyzer. Files whose path matches
// one of patterns (--file-patterns) are kept as the pattern's type,
// besides the files the name rules find.
func New(patterns ...Pattern) *Analyzer { return &Analyzer{patterns: patterns} }

// PatternTypes are the types --file-patterns may name: the one-file
// types (Terraform is evaluated per folder and found by its extensions,
// Helm charts by their Chart.yaml and archive content).
var PatternTypes = []string{TypeDockerfile, TypeKubernetes, TypeCompose, TypeCloudFormation, TypeAzureARM, TypeTerraformPlanJSON}

// Pattern is one --file-patterns entry, TYPE:REGEX: a file whose path
// (slash-separated, relative to the scan root) matches Regexp is a
// configuration file of Type.
type Pattern struct {
	Type   string
	Regexp *regexp.Regexp
}

// String is the pattern as written.
func (p Pattern) String() string { return p.Type + ":" + p.Regexp.String() }

// ParsePattern reads a TYPE:REGEX pattern (Go regexp syntax, unanchored).
// Types other than PatternTypes are errors (helm charts are found by
// their Chart.yaml and archive content; Trivy's other types, terraform or
// the lockfile analyzers, are not built for patterns).
func ParsePattern(s string) (Pattern, error) {
	typ, expr, ok := strings.Cut(s, ":")
	if !ok || typ == "" || expr == "" {
		return Pattern{}, fmt.Errorf("file pattern %q: want TYPE:REGEX (e.g. dockerfile:Customfile)", s)
	}
	if !slices.Contains(PatternTypes, typ) {
		return Pattern{}, fmt.Errorf("file pattern %q: unknown or unsupported type %s (want one of %s)", s, strconv.Quote(typ), strings.Join(PatternTypes, ", "))
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return Pattern{}, fmt.Errorf("file pattern %q: %w", s, err)
	}
	return Pattern{Type: typ, Regexp: re}, nil
}

// patternType is the type of the first pattern p matches, or "".
func (a *Analyzer) patternType(p string) string {
	for _, pt := range a.patterns {
		if pt.Regexp.MatchString(p) {
			return pt.Type
		}
	}
	return ""
}

// IsCompose reports whether a base name is a Compose file by the Compose
// specification's names, case-insensitively: compose.yaml,
// docker-compose.yml and their variants (compose.override.yaml,
// docker-compose.prod.yml, compose-dev.yaml): "compose" or
// "docker-compose" followed by anything, then .yml or .yaml.
func IsCompose(base string) bool {
	lower := strings.ToLower(base)
	ext := path.Ext(lower)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(lower, ext)
	for _, prefix := range []string{"compose", "docker-compose"} {
		if rest, ok := strings.CutPrefix(stem, prefix); ok && (rest == "" || rest[0] == '.' || rest[0] == '-' || rest[0] == '_') {
			return true
		}
	}
	return false
}

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "config" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// IsDockerfile reports whether a base name is a Dockerfile as Trivy
// matches them, case-insensitively: Dockerfile, Containerfile, their
// ".suffix" variants (Dockerfile.dev) and "*.Dockerfile"/"*.Containerfile".
func IsDockerfile(base string) bool {
	ext := path.Ext(base)
	for _, name := range []string{"Dockerfile", "Containerfile"} {
		if strings.EqualFold(base, name+ext) || strings.EqualFold(ext, "."+name) {
			return true
		}
	}
	return false
}

// TypeHelm is the input type of a Helm chart archive.
const TypeHelm = helm.Type

// Required implements analyze.Analyzer.
func (a *Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && !info.Mode().IsRegular() {
		return false
	}
	if helm.IsArchiveName(p) {
		return (info == nil || info.Size() <= helm.MaxArchiveSize) && !inSkippedDir(p)
	}
	if info != nil && info.Size() > MaxSize {
		return false
	}
	// Patterns are the user's: regular expressions, compiled once, are
	// the exception to string checks only.
	return IsDockerfile(path.Base(p)) || maybeManifest(p) || IsTerraform(p) || a.patternType(p) != ""
}

func inSkippedDir(p string) bool {
	parts := strings.Split(path.Dir(p), "/")
	return slices.ContainsFunc(parts, func(d string) bool { return slices.Contains(skippedDirs, d) })
}

// skippedDirs are folders whose YAML and JSON files are not manifests of
// the project.
var skippedDirs = []string{"node_modules", ".git", "vendor"}

// maybeManifest reports whether a path may be a Kubernetes manifest: a
// .yaml, .yml or .json file outside skippedDirs.
func maybeManifest(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml", ".json":
	default:
		return false
	}
	return !inSkippedDir(p)
}

// IsManifest reports whether content looks like a Kubernetes manifest:
// "apiVersion" and "kind" as top-level keys of a YAML document (at the
// start of a line) or, for JSON, as keys anywhere. It is a cheap byte
// check; the parser decides.
func IsManifest(content []byte) bool {
	if t := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return bytes.Contains(content, []byte(`"apiVersion"`)) && bytes.Contains(content, []byte(`"kind"`))
	}
	return topLevelKey(content, "apiVersion") && topLevelKey(content, "kind")
}

// topLevelKey reports whether a line starts with key (optionally quoted)
// followed by ':'.
func topLevelKey(content []byte, key string) bool {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	for line := range bytes.Lines(content) {
		if len(line) == 0 || (line[0] != key[0] && line[0] != '"' && line[0] != '\'') {
			continue
		}
		for _, k := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if rest, ok := bytes.CutPrefix(line, []byte(k)); ok {
				if rest = bytes.TrimLeft(rest, " \t"); len(rest) > 0 && rest[0] == ':' {
					return true
				}
			}
		}
	}
	return false
}

// IsTemplate reports whether content looks like a CloudFormation
// template: a top-level AWSTemplateFormatVersion key, or a top-level
// Resources key and an "AWS::" resource type (for JSON, the keys anywhere
// and a "Type": "AWS::…" value). It is a cheap byte check; the parser
// decides.
func IsTemplate(content []byte) bool {
	if t := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return bytes.Contains(content, []byte(`"AWSTemplateFormatVersion"`)) ||
			(bytes.Contains(content, []byte(`"Resources"`)) && awsType.Match(content))
	}
	return topLevelKey(content, "AWSTemplateFormatVersion") ||
		(topLevelKey(content, "Resources") && awsType.Match(content))
}

// awsType matches a resource type entry: Type: AWS::Service::Resource.
var awsType = regexp.MustCompile(`"?Type"?\s*:\s*["']?AWS::[A-Za-z0-9]+::`)

// isHelmTemplate reports whether a file is a Helm chart template (a
// "templates" folder, Go template actions in the text): it is not a
// manifest until rendered; its chart is kept by internal/analyze/helm and
// rendered at detection.
func isHelmTemplate(p string, content []byte) bool {
	return slices.Contains(strings.Split(path.Dir(p), "/"), "templates") && bytes.Contains(content, []byte("{{"))
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("config %s: %w", in.Path, err)
	}
	if helm.IsArchiveName(in.Path) {
		// A .tgz that is not a chart is not a configuration file.
		if len(in.Content) > helm.MaxArchiveSize || !helm.IsChartArchive(in.Content) {
			return nil, nil
		}
		return &analyze.Result{ConfigFiles: []analyze.ConfigFile{{Type: TypeHelm, FilePath: in.Path, Content: clone(in.Content)}}}, nil
	}
	typ := a.patternType(in.Path)
	switch {
	case typ != "":
		// The user's pattern names the type: no content check.
	case IsDockerfile(path.Base(in.Path)):
		typ = TypeDockerfile
	case IsCompose(path.Base(in.Path)) && !inSkippedDir(in.Path):
		typ = TypeCompose
	case IsTerraform(in.Path):
		typ = TypeTerraform
	default:
		// A YAML or JSON file that is not a manifest or a template (or
		// too large to be kept) is not a configuration file: nothing to
		// report.
		if len(in.Content) > MaxSize || isHelmTemplate(in.Path, in.Content) {
			return nil, nil
		}
		switch {
		case strings.EqualFold(path.Ext(in.Path), ".json") && terraform.IsPlanJSON(in.Content):
			typ = TypeTerraformPlanJSON
		case arm.IsTemplate(in.Content):
			typ = TypeAzureARM
		case IsManifest(in.Content):
			typ = TypeKubernetes
		case IsTemplate(in.Content):
			typ = TypeCloudFormation
		default:
			return nil, nil
		}
	}
	if len(in.Content) > MaxSize {
		return nil, fmt.Errorf("config %s: larger than %d bytes", in.Path, MaxSize)
	}
	return &analyze.Result{ConfigFiles: []analyze.ConfigFile{{Type: typ, FilePath: in.Path, Content: clone(in.Content)}}}, nil
}

func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}

var _ analyze.Analyzer = (*Analyzer)(nil)
