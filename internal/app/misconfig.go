package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/trawlsec/trawl/internal/analyze/config"
	"github.com/trawlsec/trawl/internal/helm"
	"github.com/trawlsec/trawl/internal/misconfig"
	"github.com/trawlsec/trawl/internal/parse/arm"
	"github.com/trawlsec/trawl/internal/parse/terraform"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// MisconfigOptions configure the misconfiguration scanner.
type MisconfigOptions struct {
	// CheckPaths are user .rego files or folders (--config-check).
	CheckPaths []string
	// DataPaths are JSON/YAML data files or folders (--config-data).
	DataPaths []string
	// Namespaces are extra Rego package prefixes (--check-namespaces).
	Namespaces []string
	// IncludeNonFailures reports passed checks too.
	IncludeNonFailures bool
	// Helm are the rendering options of Helm charts (--helm-*).
	Helm helm.Options
	// FilePatterns are --file-patterns: files analysed as a configuration
	// type besides the ones the name rules find.
	FilePatterns []config.Pattern
	// Scanners are the configuration types checked (--misconfig-scanners,
	// MisconfigScanners); nil checks all.
	Scanners []string
	// TfVars are --tf-vars files: Terraform variable values applied to
	// every root module after its own terraform.tfvars/*.auto.tfvars.
	TfVars []string
	// TfExcludeDownloadedModules drops findings in .terraform/modules
	// (--tf-exclude-downloaded-modules).
	TfExcludeDownloadedModules bool
	// CfParams are --cf-params files: CloudFormation parameter values
	// overriding the templates' defaults.
	CfParams []string
	// ArmParams are --arm-params files: ARM deployment parameter files
	// whose values override the templates' defaults.
	ArmParams []string
}

// MisconfigScanners are the configuration types --misconfig-scanners may
// name, in order.
var MisconfigScanners = []string{misconfig.TypeDockerfile, misconfig.TypeKubernetes, misconfig.TypeHelm, misconfig.TypeCompose, misconfig.TypeTerraform, misconfig.TypeTerraformPlanJSON, misconfig.TypeCloudFormation, misconfig.TypeAzureARM}

// filePatternsKey is the cache-key part of --file-patterns ("" without).
func filePatternsKey(o *Options) string {
	if len(o.Misconfig.FilePatterns) == 0 {
		return ""
	}
	parts := make([]string, len(o.Misconfig.FilePatterns))
	for i, p := range o.Misconfig.FilePatterns {
		parts[i] = p.String()
	}
	return "file-patterns=" + strings.Join(parts, "\x00")
}

// misconfigurations evaluates the checks on the configuration files the
// analysis kept: one result per file (Class config), with its summary.
type misconfigurations struct{}

func (misconfigurations) Scanner() string { return ScannerMisconfig }

func (misconfigurations) Detect(ctx context.Context, o *Options, a *Analysis, rep *model.Report) error {
	files := a.Inventory.ConfigFiles
	if o.Misconfig.Scanners != nil {
		// --misconfig-scanners: the other types are not checked (the
		// image config is a Dockerfile).
		files = slices.DeleteFunc(slices.Clone(files), func(f inventory.ConfigFile) bool {
			return !slices.Contains(o.Misconfig.Scanners, f.Type)
		})
	}
	cfParams, err := readCfParams(o.Misconfig.CfParams)
	if err != nil {
		return err
	}
	armParams, err := readArmParams(o.Misconfig.ArmParams)
	if err != nil {
		return err
	}
	engine, err := misconfig.New(ctx, misconfig.Options{
		CheckPaths: o.Misconfig.CheckPaths, DataPaths: o.Misconfig.DataPaths,
		Namespaces: o.Misconfig.Namespaces, IncludeNonFailures: o.Misconfig.IncludeNonFailures,
		CloudFormationParams: cfParams, ARMParams: armParams,
	})
	if err != nil {
		return err
	}
	o.misconfigChecks = map[string]bool{}
	for _, c := range engine.Checks() {
		for _, id := range []string{c.ID, c.AVDID} {
			if id != "" {
				o.misconfigChecks[strings.ToUpper(id)] = true
			}
		}
	}
	var renderer *helm.Renderer
	if slices.ContainsFunc(files, func(f inventory.ConfigFile) bool { return f.Type == misconfig.TypeHelm }) {
		if renderer, err = helm.NewRenderer(o.Misconfig.Helm); err != nil {
			return err
		}
	}
	charts := chartFolders(files)
	results := make([][]model.Result, len(files)+1)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Parallel, 1))
	if engine.Supported(misconfig.TypeTerraform) && slices.ContainsFunc(files, func(f inventory.ConfigFile) bool { return f.Type == misconfig.TypeTerraform }) {
		varFiles, err := readTfVars(o.Misconfig.TfVars)
		if err != nil {
			return err
		}
		g.Go(func() error {
			// The .tf files are evaluated per folder (a module with its
			// modules), not one by one.
			frs, warnings, err := engine.ScanTerraform(gctx, files, misconfig.TerraformOptions{
				VarFiles: varFiles, ExcludeDownloadedModules: o.Misconfig.TfExcludeDownloadedModules,
			})
			if err != nil {
				return fmt.Errorf("misconfiguration checks: %w", err)
			}
			for _, w := range warnings {
				o.Logger.Warn("terraform: "+w, "type", misconfig.TypeTerraform)
			}
			for _, fr := range frs {
				results[len(files)] = append(results[len(files)], configResult(fr.File, inventory.ConfigFile{Type: misconfig.TypeTerraform, FilePath: fr.File, Layer: fr.Layer}, fr.Result))
			}
			return nil
		})
	}
	for i, f := range files {
		if f.Type == misconfig.TypeTerraform {
			continue
		}
		if !engine.Supported(f.Type) || (f.Type == misconfig.TypeKubernetes && inChart(f.FilePath, charts)) {
			// A template of a chart that happens to be a plain manifest
			// is checked as part of its rendered chart, not twice.
			continue
		}
		g.Go(func() error {
			if f.Type == misconfig.TypeHelm {
				trs, err := engine.ScanChart(gctx, f, renderer)
				if err != nil {
					if ctxErr := gctx.Err(); ctxErr != nil {
						return fmt.Errorf("misconfiguration checks: %w", ctxErr)
					}
					// A chart that does not render is the chart's
					// problem: named with Helm's message, and skipped.
					o.Logger.Warn("helm chart not checked", "path", f.FilePath, "err", err)
					return nil
				}
				for _, tr := range trs {
					results[i] = append(results[i], configResult(tr.Target, f, tr.Result))
				}
				return nil
			}
			r, err := engine.Scan(gctx, f)
			if err != nil {
				if ctxErr := gctx.Err(); ctxErr != nil {
					return fmt.Errorf("misconfiguration checks: %w", ctxErr)
				}
				// A file that does not parse is the file's problem, not
				// the scan's: it is named and skipped.
				o.Logger.Warn("configuration file not checked", "path", f.FilePath, "err", err)
				return nil
			}
			results[i] = []model.Result{configResult(f.FilePath, f, r)}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, rs := range results {
		rep.Results = append(rep.Results, rs...)
	}
	return nil
}

// maxValuesFileSize caps a --tf-vars, --cf-params or --arm-params file.
const maxValuesFileSize = 1 << 20

// readValuesFile reads path, a regular file of at most maxValuesFileSize
// bytes named by flag; errors name both.
func readValuesFile(flag, path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxValuesFileSize {
		return nil, fmt.Errorf("%s %s: not a regular file of at most %d bytes", flag, path, maxValuesFileSize)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return b, nil
}

// readTfVars reads the --tf-vars files; one that cannot be read is an
// error naming it.
func readTfVars(paths []string) ([]terraform.VarFile, error) {
	var out []terraform.VarFile
	for _, p := range paths {
		b, err := readValuesFile("--tf-vars", p)
		if err != nil {
			return nil, err
		}
		out = append(out, terraform.VarFile{Name: p, Content: b})
	}
	return out, nil
}

// readCfParams reads the --cf-params files, later files winning: JSON in
// the AWS CLI's form, [{"ParameterKey": K, "ParameterValue": V}, …], an
// object {K: V, …}, or CodePipeline's template configuration
// {"Parameters": {K: V, …}, "Tags": …} (an object whose "Parameters" is
// an object: parameter values are never objects). A file that cannot be
// read or is none of these is an error naming it.
func readCfParams(paths []string) (map[string]any, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	out := map[string]any{}
	for _, p := range paths {
		b, err := readValuesFile("--cf-params", p)
		if err != nil {
			return nil, err
		}
		var list []struct {
			ParameterKey   string
			ParameterValue any
		}
		var obj map[string]any
		switch {
		case json.Unmarshal(b, &list) == nil:
			for _, e := range list {
				if e.ParameterKey == "" {
					return nil, fmt.Errorf("--cf-params %s: an entry without ParameterKey", p)
				}
				out[e.ParameterKey] = e.ParameterValue
			}
		case json.Unmarshal(b, &obj) == nil:
			if p, ok := obj["Parameters"].(map[string]any); ok {
				obj = p
			}
			for k, v := range obj {
				out[k] = v
			}
		default:
			return nil, fmt.Errorf("--cf-params %s: want a JSON list of {\"ParameterKey\", \"ParameterValue\"} or an object of values", p)
		}
	}
	return out, nil
}

// readArmParams reads the --arm-params files (deployment parameter files,
// {"parameters": {name: {"value": …}}}), later files winning; a file that
// cannot be read or is not a parameter file is an error naming it.
func readArmParams(paths []string) (map[string]any, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	out := map[string]any{}
	for _, p := range paths {
		b, err := readValuesFile("--arm-params", p)
		if err != nil {
			return nil, err
		}
		ps, err := arm.ParseParameters(b)
		if err != nil {
			return nil, fmt.Errorf("--arm-params %s: %w", p, err)
		}
		for k, v := range ps {
			// ARM parameter names are case-insensitive: a later file's
			// "Env" replaces an earlier "env".
			for old := range out {
				if strings.EqualFold(old, k) {
					delete(out, old)
				}
			}
			out[k] = v
		}
	}
	return out, nil
}

// chartFolders are the folders of the charts kept as folders (their
// Chart.yaml), "." for a chart at the root.
func chartFolders(files []inventory.ConfigFile) []string {
	var out []string
	for _, f := range files {
		if f.Type == misconfig.TypeHelm && path.Base(f.FilePath) == "Chart.yaml" {
			out = append(out, path.Dir(f.FilePath))
		}
	}
	return out
}

// inChart reports whether p is a template of one of the chart folders
// (under its templates/ or charts/).
func inChart(p string, charts []string) bool {
	for _, c := range charts {
		rel := p
		if c != "." {
			var ok bool
			if rel, ok = strings.CutPrefix(p, c+"/"); !ok {
				continue
			}
		}
		if strings.HasPrefix(rel, "templates/") || strings.HasPrefix(rel, "charts/") {
			return true
		}
	}
	return false
}

// configResult is the report result of one scanned file (or rendered
// template of a chart) kept as f.
func configResult(target string, f inventory.ConfigFile, r *misconfig.Result) model.Result {
	for j := range r.Misconfigurations {
		r.Misconfigurations[j].Layer = f.Layer
	}
	summary := r.Summary
	return model.Result{
		Target: target, Class: model.ClassConfig, Type: f.Type,
		MisconfSummary: &summary, Misconfigurations: r.Misconfigurations,
	}
}

// failedMisconfigs counts the FAIL entries of a result.
func failedMisconfigs(r model.Result) int {
	n := 0
	for _, m := range r.Misconfigurations {
		if m.Status == model.MisconfStatusFail {
			n++
		}
	}
	return n
}
