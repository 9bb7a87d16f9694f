// Package misconfig is the misconfiguration check engine: Rego checks in
// Trivy's custom-check format (METADATA annotations, deny/warn rules,
// result.new) evaluated with OPA on the input document of each
// configuration file. The built-in checks are Rego files embedded in the
// binary; users add theirs with --config-check and data with --config-data.
//
// All modules are compiled once per engine (one prepared query per input
// type); Scan evaluates one file and may be called concurrently.
package misconfig

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/types"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/internal/parse/arm"
	"github.com/trawlsec/trawl/internal/parse/cloudformation"
	"github.com/trawlsec/trawl/internal/parse/terraform"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

//go:embed checks
var builtinFS embed.FS

// Input types.
const (
	TypeDockerfile = "dockerfile"
	TypeKubernetes = "kubernetes"
	TypeCompose    = "compose"
	// TypeHelm is a chart archive; its rendered manifests are evaluated
	// by the checks that select "kubernetes".
	TypeHelm = "helm"
	// TypeTerraform is a .tf or .tfvars file; the .tf files of a folder
	// are evaluated together as a module, and the checks that select
	// "cloud" run on the resources (see ScanTerraform).
	TypeTerraform = "terraform"
	// TypeTerraformPlanJSON is the JSON of a Terraform plan (`terraform
	// show -json PLAN`, Trivy's type name), evaluated one file at a time
	// by the "cloud" checks on its planned values.
	TypeTerraformPlanJSON = "terraformplan-json"
	// TypeCloudFormation is a CloudFormation template (YAML or JSON),
	// evaluated one file at a time by the "cloud" checks.
	TypeCloudFormation = "cloudformation"
	// TypeAzureARM is an Azure Resource Manager template (JSON),
	// evaluated one file at a time by the "cloud" checks.
	TypeAzureARM = "azure-arm"
	// TypeCloud is the input selector type of the provider-neutral cloud
	// checks (Trivy's).
	TypeCloud = "cloud"
)

// MaxCheckFileSize caps one user .rego or data file.
const MaxCheckFileSize = 4 << 20

// Options configure an engine.
type Options struct {
	// CheckPaths are .rego files or folders of them (--config-check).
	CheckPaths []string
	// DataPaths are JSON/YAML files or folders of them (--config-data),
	// merged under data.
	DataPaths []string
	// Namespaces are extra package prefixes whose checks run
	// (--check-namespaces); "builtin" and "user" always run.
	Namespaces []string
	// IncludeNonFailures keeps PASS entries (--include-non-failures).
	IncludeNonFailures bool
	// CloudFormationParams override the parameters' defaults of every
	// CloudFormation template (--cf-params).
	CloudFormationParams map[string]any
	// ARMParams override the parameters' defaults of every ARM template
	// (--arm-params; arm.ParseParameters values).
	ARMParams map[string]any
}

// Check is one check's metadata.
type Check struct {
	ID, AVDID, Title, Description, Severity, Resolution string
	References                                          []string
	// Package is the Rego package without "data." ("builtin.dockerfile.DS002").
	Package string
	// Types are the input.selector types; empty means every type.
	Types []string
	// Provider and Service are the custom provider/service annotations
	// of cloud checks ("aws", "s3").
	Provider, Service string
	// deny and warn tell which rules the package defines.
	deny, warn bool
}

func (c *Check) selects(typ string) bool { return len(c.Types) == 0 || slices.Contains(c.Types, typ) }

// Engine evaluates checks.
type Engine struct {
	opts     Options
	checks   []*Check
	prepared map[string]*prepared
}

type prepared struct {
	query  rego.PreparedEvalQuery
	checks []*Check
}

// Result is what the checks found in one file.
type Result struct {
	Summary model.MisconfSummary
	// Misconfigurations are FAIL entries, then (with IncludeNonFailures)
	// PASS entries, each sorted by ID.
	Misconfigurations []model.Misconfiguration
}

// New loads and compiles the built-in and user checks and the data files.
// A user file that does not parse or compile fails with the file, line
// and OPA's message.
func New(ctx context.Context, o Options) (*Engine, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(builtinFS, "checks", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := builtinFS.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := parseModule("builtin:"+p, src)
		if err != nil {
			return err
		}
		modules["builtin:"+p] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("built-in checks: %w", err)
	}
	for _, root := range o.CheckPaths {
		files, err := collect(root, func(name string) bool {
			return strings.HasSuffix(name, ".rego") && !strings.HasSuffix(name, "_test.rego")
		})
		if err != nil {
			return nil, fmt.Errorf("config check %s: %w", root, err)
		}
		for _, f := range files {
			src, err := fsutil.ReadFileLimited(f, MaxCheckFileSize, "check and data files")
			if err != nil {
				return nil, fmt.Errorf("config check: %w", err) // the error names the file
			}
			m, err := parseModule(f, src)
			if err != nil {
				return nil, err
			}
			modules[f] = m
		}
	}
	data := map[string]any{}
	for _, root := range o.DataPaths {
		files, err := collect(root, func(name string) bool {
			ext := strings.ToLower(filepath.Ext(name))
			return ext == ".json" || ext == ".yaml" || ext == ".yml"
		})
		if err != nil {
			return nil, fmt.Errorf("config data %s: %w", root, err)
		}
		for _, f := range files {
			src, err := fsutil.ReadFileLimited(f, MaxCheckFileSize, "check and data files")
			if err != nil {
				return nil, fmt.Errorf("config data: %w", err) // the error names the file
			}
			var doc map[string]any
			if err := yaml.Unmarshal(src, &doc); err != nil {
				return nil, fmt.Errorf("config data %s: %w", f, err)
			}
			for k, v := range doc {
				data[k] = v
			}
		}
	}

	e := &Engine{opts: o, prepared: map[string]*prepared{}}
	namespaces := append([]string{"builtin", "user"}, o.Namespaces...)
	for name, m := range modules {
		c, ok := checkOf(m, namespaces)
		if !ok {
			continue
		}
		if !strings.HasPrefix(name, "builtin:") && strings.HasPrefix(c.Package, "builtin.") {
			return nil, fmt.Errorf("config check %s: package %s is in the reserved builtin namespace", name, c.Package)
		}
		e.checks = append(e.checks, c)
	}
	sort.Slice(e.checks, func(i, j int) bool { return e.checks[i].Package < e.checks[j].Package })

	var parsed []func(*rego.Rego)
	for _, m := range modules {
		parsed = append(parsed, rego.ParsedModule(m))
	}
	store := inmem.NewFromObject(data)
	for _, typ := range []string{TypeDockerfile, TypeKubernetes, TypeCompose, TypeCloud} {
		p := &prepared{}
		var q []string
		for _, c := range e.checks {
			if !c.selects(typ) {
				continue
			}
			i := len(p.checks)
			p.checks = append(p.checks, c)
			if c.deny {
				q = append(q, fmt.Sprintf("d%d := [x | x := data.%s.deny]", i, c.Package))
			}
			if c.warn {
				q = append(q, fmt.Sprintf("w%d := [x | x := data.%s.warn]", i, c.Package))
			}
		}
		if len(q) == 0 {
			continue
		}
		opts := append([]func(*rego.Rego){rego.Query(strings.Join(q, "; ")), rego.Store(store), resultNew}, parsed...)
		pq, err := rego.New(opts...).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("compiling checks: %w", err)
		}
		p.query = pq
		e.prepared[typ] = p
	}
	return e, nil
}

// Checks returns the checks that run, sorted by package.
func (e *Engine) Checks() []Check {
	out := make([]Check, len(e.checks))
	for i, c := range e.checks {
		out[i] = *c
	}
	return out
}

// Supported reports whether any check selects typ.
func (e *Engine) Supported(typ string) bool {
	switch typ {
	case TypeHelm:
		typ = TypeKubernetes
	case TypeTerraform, TypeCloudFormation, TypeTerraformPlanJSON, TypeAzureARM:
		typ = TypeCloud
	}
	return e.prepared[typ] != nil
}

// Scan evaluates the checks that select f.Type on f. A file that does not
// parse is an error naming it and the line.
func (e *Engine) Scan(ctx context.Context, f inventory.ConfigFile) (*Result, error) {
	p := e.prepared[f.Type]
	if f.Type == TypeCloudFormation || f.Type == TypeTerraformPlanJSON || f.Type == TypeAzureARM {
		p = e.prepared[TypeCloud]
	}
	if p == nil {
		return &Result{}, nil
	}
	var inputs []document
	switch f.Type {
	case TypeDockerfile:
		input, err := DockerfileInput(f.FilePath, f.Content)
		if err != nil {
			return nil, err
		}
		inputs = []document{{input: input}}
	case TypeKubernetes:
		var err error
		if inputs, err = kubernetesInputs(f.FilePath, f.Content); err != nil {
			return nil, err
		}
	case TypeCompose:
		var err error
		if inputs, err = composeInputs(f.FilePath, f.Content); err != nil {
			return nil, err
		}
	case TypeCloudFormation:
		t, err := cloudformation.Parse(f.Content, e.opts.CloudFormationParams)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.FilePath, err)
		}
		inputs = []document{{input: CloudFormationInput(f.FilePath, t)}}
	case TypeTerraformPlanJSON:
		cfg, err := terraform.ParsePlan(f.FilePath, f.Content)
		if err != nil {
			return nil, err
		}
		inputs = []document{{input: CloudInput(cfg, false)}}
	case TypeAzureARM:
		t, err := arm.Parse(f.Content, e.opts.ARMParams)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.FilePath, err)
		}
		inputs = []document{{input: ARMInput(f.FilePath, t)}}
	default:
		return nil, fmt.Errorf("%s: unsupported config type %q", f.FilePath, f.Type)
	}
	return e.evaluate(ctx, p, f.Type, f.FilePath, f.Content, inputs)
}

// evaluate runs the prepared query on each input document of one file
// (content gives the code excerpts); typ names the report's type.
func (e *Engine) evaluate(ctx context.Context, p *prepared, typ, filePath string, content []byte, inputs []document) (*Result, error) {
	lines := strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
	res := &Result{}
	var passes []model.Misconfiguration
	for _, in := range inputs {
		rs, err := p.query.Eval(ctx, rego.EvalInput(in.input))
		if err != nil {
			return nil, fmt.Errorf("%s: evaluating checks: %w", filePath, err)
		}
		if len(rs) != 1 {
			return nil, fmt.Errorf("%s: evaluating checks: %d results", filePath, len(rs))
		}
		b := rs[0].Bindings
		for i, c := range p.checks {
			var found []finding
			for _, v := range []string{"d", "w"} {
				// The binding is [] (rule undefined) or [value].
				var val any
				if arr, ok := b[v+strconv.Itoa(i)].([]any); ok && len(arr) == 1 {
					val = arr[0]
				}
				fs, err := findings(val)
				if err != nil {
					return nil, fmt.Errorf("%s: check %s: %w", filePath, c.Package, err)
				}
				found = append(found, fs...)
			}
			if len(found) == 0 {
				res.Summary.Successes++
				if e.opts.IncludeNonFailures {
					m := c.misconf(typ)
					m.Status = model.MisconfStatusPass
					passes = append(passes, m)
				}
				continue
			}
			for _, fd := range found {
				res.Summary.Failures++
				m := c.misconf(typ)
				m.Status = model.MisconfStatusFail
				m.Message = fd.msg
				if fd.start == 0 {
					// A finding without a cause points at its resource.
					fd.start, fd.end = in.start, in.end
				}
				m.CauseMetadata.Resource = fd.resource
				m.CauseMetadata.StartLine, m.CauseMetadata.EndLine = fd.start, fd.end
				m.CauseMetadata.Code = code(lines, fd.start, fd.end)
				res.Misconfigurations = append(res.Misconfigurations, m)
			}
		}
	}
	sort.SliceStable(res.Misconfigurations, func(i, j int) bool {
		a, b := res.Misconfigurations[i], res.Misconfigurations[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.CauseMetadata.StartLine < b.CauseMetadata.StartLine
	})
	res.Misconfigurations = append(res.Misconfigurations, passes...)
	return res, nil
}

// misconf is the check's part of a report entry.
func (c *Check) misconf(typ string) model.Misconfiguration {
	m := model.Misconfiguration{
		Type: checkType(typ), ID: c.ID, AVDID: c.AVDID, Title: c.Title, Description: c.Description,
		Namespace: c.Package, Query: "data." + c.Package + ".deny", Resolution: c.Resolution,
		Severity: c.Severity, References: c.References,
	}
	// Only built-in checks with an AVD ID have a page there; the others
	// (trawl's own TRL-* checks, user checks) point at their first
	// related resource.
	switch {
	case strings.HasPrefix(c.Package, "builtin.") && c.AVDID != "" && c.ID != "":
		m.PrimaryURL = "https://avd.aquasec.com/misconfig/" + strings.ToLower(c.ID)
		if !slices.Contains(m.References, m.PrimaryURL) {
			m.References = append(slices.Clip(m.References), m.PrimaryURL)
		}
	case len(c.References) > 0:
		m.PrimaryURL = c.References[0]
	}
	switch typ {
	case TypeDockerfile:
		m.CauseMetadata.Provider, m.CauseMetadata.Service = "Dockerfile", "general"
	case TypeKubernetes, TypeHelm:
		m.CauseMetadata.Provider, m.CauseMetadata.Service = "Kubernetes", "general"
	case TypeCompose:
		m.CauseMetadata.Provider, m.CauseMetadata.Service = "Compose", "general"
	case TypeTerraform, TypeCloudFormation, TypeTerraformPlanJSON, TypeAzureARM:
		m.CauseMetadata.Provider, m.CauseMetadata.Service = providerName(c.Provider), c.Service
	}
	return m
}

func checkType(typ string) string {
	switch typ {
	case TypeDockerfile:
		return "Dockerfile Security Check"
	case TypeKubernetes:
		return "Kubernetes Security Check"
	case TypeHelm:
		return "Helm Security Check"
	case TypeCompose:
		return "Compose Security Check"
	case TypeTerraform:
		return "Terraform Security Check"
	case TypeCloudFormation:
		return "CloudFormation Security Check"
	case TypeTerraformPlanJSON:
		return "Terraform Plan JSON Security Check"
	case TypeAzureARM:
		return "Azure ARM Security Check"
	}
	return typ + " Security Check"
}

// code is the excerpt of lines start..end (1-based), capped.
func code(lines []string, start, end int) model.Code {
	if start < 1 || start > len(lines) {
		return model.Code{}
	}
	if end < start {
		end = start
	}
	end = min(end, len(lines), start+49)
	var c model.Code
	for n := start; n <= end; n++ {
		c.Lines = append(c.Lines, model.Line{
			Number: n, Content: lines[n-1], IsCause: true, Highlighted: lines[n-1],
			FirstCause: n == start, LastCause: n == end,
		})
	}
	return c
}

type finding struct {
	msg        string
	start, end int
	// file and resource are set by causes from the cloud input.
	file, resource string
}

// findings reads a deny/warn value: a set or array of strings or of
// objects with "msg" (and "startline"/"endline", as result.new returns).
func findings(v any) ([]finding, error) {
	var items []any
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		items = v
	case bool:
		if v {
			return []finding{{msg: "check failed"}}, nil
		}
		return nil, nil
	case string, map[string]any:
		items = []any{v}
	default:
		return nil, fmt.Errorf("deny/warn is a %T, want a set of strings or objects", v)
	}
	var out []finding
	for _, it := range items {
		switch it := it.(type) {
		case string:
			out = append(out, finding{msg: it})
		case map[string]any:
			fd := finding{}
			fd.msg, _ = it["msg"].(string)
			fd.start = intOf(it["startline"])
			fd.end = intOf(it["endline"])
			fd.file, _ = it["filepath"].(string)
			fd.resource, _ = it["resource"].(string)
			out = append(out, fd)
		default:
			return nil, fmt.Errorf("deny/warn holds a %T, want strings or objects", it)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].start != out[j].start {
			return out[i].start < out[j].start
		}
		return out[i].msg < out[j].msg
	})
	return out, nil
}

func intOf(v any) int {
	switch v := v.(type) {
	case float64:
		return int(v)
	case int:
		return v
	case interface{ String() string }: // json.Number
		n, _ := strconv.Atoi(v.String())
		return n
	}
	return 0
}

// resultNew is the result.new(msg, cause) builtin of Trivy's check
// library: the message with the cause's line range. A cause is a
// Dockerfile command (StartLine/EndLine), an object carrying
// __defsec_metadata {startline, endline, filepath, resource}, or a value
// of the cloud input carrying the same fields itself; anything else
// gives no lines.
var resultNew = rego.Function2(&rego.Function{
	Name: "result.new",
	Decl: types.NewFunction(types.Args(types.S, types.A), types.A),
}, func(_ rego.BuiltinContext, msg, cause *ast.Term) (*ast.Term, error) {
	s, ok := msg.Value.(ast.String)
	if !ok {
		return nil, errors.New("result.new: the message must be a string")
	}
	out := [][2]*ast.Term{{ast.StringTerm("msg"), ast.StringTerm(string(s))}}
	if obj, ok := cause.Value.(ast.Object); ok {
		start, end := obj.Get(ast.StringTerm("StartLine")), obj.Get(ast.StringTerm("EndLine"))
		var file, resource *ast.Term
		if mt := obj.Get(ast.StringTerm("__defsec_metadata")); mt != nil && start == nil {
			if meta, ok := mt.Value.(ast.Object); ok {
				start, end = meta.Get(ast.StringTerm("startline")), meta.Get(ast.StringTerm("endline"))
				file, resource = meta.Get(ast.StringTerm("filepath")), meta.Get(ast.StringTerm("resource"))
			}
		}
		if start == nil && obj.Get(ast.StringTerm("resource")) != nil {
			// A value of the cloud input.
			start, end = obj.Get(ast.StringTerm("startline")), obj.Get(ast.StringTerm("endline"))
			file, resource = obj.Get(ast.StringTerm("filepath")), obj.Get(ast.StringTerm("resource"))
		}
		if file != nil {
			out = append(out, [2]*ast.Term{ast.StringTerm("filepath"), file})
		}
		if resource != nil {
			out = append(out, [2]*ast.Term{ast.StringTerm("resource"), resource})
		}
		if start != nil {
			out = append(out, [2]*ast.Term{ast.StringTerm("startline"), start})
		}
		if end != nil {
			out = append(out, [2]*ast.Term{ast.StringTerm("endline"), end})
		}
		if p := obj.Get(ast.StringTerm("Path")); p != nil {
			out = append(out, [2]*ast.Term{ast.StringTerm("filepath"), p})
		}
	}
	return ast.ObjectTerm(out...), nil
})

// parseModule parses a Rego module as Rego v1 and, when that fails, as
// v0 (the syntax of Trivy's older custom checks), as OPA v1 does for
// modules that declare neither. The error is v1's when both fail.
func parseModule(name string, src []byte) (*ast.Module, error) {
	po := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}
	m, err := ast.ParseModuleWithOpts(name, string(src), po)
	if err == nil {
		return m, nil
	}
	po.RegoVersion = ast.RegoV0
	if m0, err0 := ast.ParseModuleWithOpts(name, string(src), po); err0 == nil {
		return m0, nil
	}
	return nil, fmt.Errorf("config check %s: %w", name, err)
}

// checkOf reads a module's check metadata; ok is false for modules that
// are not checks (libraries, other namespaces, no deny/warn rule).
func checkOf(m *ast.Module, namespaces []string) (*Check, bool) {
	pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
	allowed := false
	for _, ns := range namespaces {
		if pkg == ns || strings.HasPrefix(pkg, ns+".") {
			allowed = true
		}
	}
	if !allowed {
		return nil, false
	}
	c := &Check{Package: pkg, Severity: "UNKNOWN"}
	for _, r := range m.Rules {
		switch r.Head.Name.String() {
		case "deny":
			c.deny = true
		case "warn":
			c.warn = true
		}
		if len(r.Head.Reference) > 0 {
			switch r.Head.Reference[0].Value.String() {
			case "deny":
				c.deny = true
			case "warn":
				c.warn = true
			}
		}
	}
	if !c.deny && !c.warn {
		return nil, false
	}
	for _, a := range m.Annotations {
		if a.Scope != "package" {
			continue
		}
		c.Title, c.Description = a.Title, a.Description
		for _, r := range a.RelatedResources {
			c.References = append(c.References, r.Ref.String())
		}
		cu := a.Custom
		c.ID, _ = cu["id"].(string)
		c.AVDID, _ = cu["avd_id"].(string)
		if s, ok := cu["severity"].(string); ok && s != "" {
			c.Severity = strings.ToUpper(s)
		}
		c.Resolution, _ = cu["recommended_actions"].(string)
		c.Provider, _ = cu["provider"].(string)
		c.Service, _ = cu["service"].(string)
		if in, ok := cu["input"].(map[string]any); ok {
			if sel, ok := in["selector"].([]any); ok {
				for _, s := range sel {
					if sm, ok := s.(map[string]any); ok {
						if t, ok := sm["type"].(string); ok {
							c.Types = append(c.Types, t)
						}
					}
				}
			}
		}
	}
	if c.ID == "" {
		c.ID = path.Base(strings.ReplaceAll(pkg, ".", "/"))
	}
	return c, true
}

// collect lists the files under root (a file or a folder) that want.
func collect(root string, want func(string) bool) ([]string, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{root}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && want(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
