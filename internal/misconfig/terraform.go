package misconfig

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/trawlsec/trawl/internal/parse/terraform"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TerraformOptions complete the evaluation of Terraform modules.
type TerraformOptions struct {
	// VarFiles are --tf-vars files, applied after the folder's own.
	VarFiles []terraform.VarFile
	// ExcludeDownloadedModules drops the findings in modules under
	// .terraform/modules (--tf-exclude-downloaded-modules).
	ExcludeDownloadedModules bool
}

// FileResult is what the checks found in one .tf file.
type FileResult struct {
	// File is the .tf file's path, as kept.
	File string
	// Layer is the layer of the kept file.
	Layer model.Layer
	*Result
}

// providerName is the report's name of a check's provider annotation.
func providerName(p string) string {
	switch strings.ToLower(p) {
	case "aws":
		return "AWS"
	case "azure":
		return "Azure"
	case "google", "gcp":
		return "Google"
	}
	return p
}

// TerraformRoots are the folders of the .tf and .tf.json files that are
// root modules: every folder holding such files, except those under .terraform/ and
// those another folder calls as a local module.
func TerraformRoots(fsys fstest.MapFS) []string {
	dirs := map[string]bool{}
	for p := range fsys {
		if terraform.IsConfigName(p) && !slices.Contains(strings.Split(p, "/"), ".terraform") {
			dirs[path.Dir(p)] = true
		}
	}
	called := map[string]bool{}
	for d := range dirs {
		for _, c := range terraform.LocalModuleDirs(fsys, d) {
			if c != d {
				called[c] = true
			}
		}
	}
	var out []string
	for d := range dirs {
		if !called[d] {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// ScanTerraform evaluates the Terraform files among files (type
// "terraform": .tf, .tf.json, .tfvars and .tfvars.json) per root module folder (TerraformRoots),
// builds the cloud input from the resources and runs the checks that
// select "cloud": one result per .tf file of the modules evaluated, with
// findings at the lines of the attribute or resource block that caused
// them (a finding in a module is in the module's file, its
// CauseMetadata.Occurrences the module calls back to the root). Problems of the
// input (HCL that does not parse, reference cycles, modules not available
// offline, caps) are warnings, each naming the file and line.
func (e *Engine) ScanTerraform(ctx context.Context, files []inventory.ConfigFile, o TerraformOptions) ([]FileResult, []string, error) {
	p := e.prepared[TypeCloud]
	if p == nil {
		return nil, nil, nil
	}
	fsys := fstest.MapFS{}
	layers := map[string]model.Layer{}
	for _, f := range files {
		if f.Type != TypeTerraform {
			continue
		}
		name := strings.TrimPrefix(path.Clean(f.FilePath), "/")
		fsys[name] = &fstest.MapFile{Data: f.Content, Mode: 0o644}
		layers[name] = f.Layer
	}
	type fileAcc struct {
		fails map[string]bool // check packages that failed
		seen  map[string]bool
		res   *Result
	}
	acc := map[string]*fileAcc{}
	var warnings []string
	for _, root := range TerraformRoots(fsys) {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("terraform %s: %w", root, err)
		}
		cfg, warns := terraform.Load(ctx, fsys, root, terraform.Options{VarFiles: o.VarFiles})
		for _, w := range warns {
			warnings = append(warnings, w.String())
		}
		via := map[string][]terraform.Call{}
		for _, r := range cfg.Resources {
			if len(r.Via) > 0 {
				via[r.Address] = r.Via
			}
		}
		input := CloudInput(cfg, o.ExcludeDownloadedModules)
		rs, err := p.query.Eval(ctx, rego.EvalInput(input))
		if err != nil {
			return nil, nil, fmt.Errorf("terraform %s: evaluating checks: %w", root, err)
		}
		if len(rs) != 1 {
			return nil, nil, fmt.Errorf("terraform %s: evaluating checks: %d results", root, len(rs))
		}
		for _, f := range cfg.Files {
			if o.ExcludeDownloadedModules && slices.Contains(strings.Split(f, "/"), ".terraform") {
				continue
			}
			if acc[f] == nil {
				acc[f] = &fileAcc{fails: map[string]bool{}, seen: map[string]bool{}, res: &Result{}}
			}
		}
		b := rs[0].Bindings
		for i, c := range p.checks {
			var found []finding
			for _, v := range []string{"d", "w"} {
				var val any
				if arr, ok := b[v+fmt.Sprint(i)].([]any); ok && len(arr) == 1 {
					val = arr[0]
				}
				fs, err := findings(val)
				if err != nil {
					return nil, nil, fmt.Errorf("terraform %s: check %s: %w", root, c.Package, err)
				}
				found = append(found, fs...)
			}
			for _, fd := range found {
				a := acc[fd.file]
				if a == nil {
					// A finding without a file of the module (a user
					// check's cause without lines) is not placed.
					continue
				}
				key := fmt.Sprint(c.Package, fd.start, fd.end, fd.resource, fd.msg)
				if a.seen[key] {
					continue
				}
				a.seen[key] = true
				a.fails[c.Package] = true
				m := c.misconf(TypeTerraform)
				m.Status = model.MisconfStatusFail
				m.Message = fd.msg
				m.CauseMetadata.Resource = fd.resource
				m.CauseMetadata.StartLine, m.CauseMetadata.EndLine = fd.start, fd.end
				m.CauseMetadata.Code = code(lines(fsys[fd.file].Data), fd.start, fd.end)
				m.CauseMetadata.Occurrences = occurrences(via[fd.resource])
				a.res.Misconfigurations = append(a.res.Misconfigurations, m)
			}
		}
	}
	out := make([]FileResult, 0, len(acc))
	for f, a := range acc {
		a.res.Summary.Failures = len(a.res.Misconfigurations)
		var passes []model.Misconfiguration
		for _, c := range p.checks {
			if a.fails[c.Package] {
				continue
			}
			a.res.Summary.Successes++
			if e.opts.IncludeNonFailures {
				m := c.misconf(TypeTerraform)
				m.Status = model.MisconfStatusPass
				passes = append(passes, m)
			}
		}
		sort.SliceStable(a.res.Misconfigurations, func(i, j int) bool {
			x, y := a.res.Misconfigurations[i], a.res.Misconfigurations[j]
			if x.ID != y.ID {
				return x.ID < y.ID
			}
			return x.CauseMetadata.StartLine < y.CauseMetadata.StartLine
		})
		a.res.Misconfigurations = append(a.res.Misconfigurations, passes...)
		out = append(out, FileResult{File: f, Layer: layers[f], Result: a.res})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, warnings, nil
}

func lines(content []byte) []string {
	return strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
}

// occurrences are the module calls of a resource as the report's
// Occurrences.
func occurrences(via []terraform.Call) []model.Occurrence {
	var out []model.Occurrence
	for _, c := range via {
		out = append(out, model.Occurrence{Resource: c.Address, Filename: c.Range.File, Location: model.Location{StartLine: c.Range.Start, EndLine: c.Range.End}})
	}
	return out
}
