package app

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/trawlsec/trawl/internal/misconfig"
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
}

// misconfigurations evaluates the checks on the configuration files the
// analysis kept: one result per file (Class config), with its summary.
type misconfigurations struct{}

func (misconfigurations) Scanner() string { return ScannerMisconfig }

func (misconfigurations) Detect(ctx context.Context, o *Options, a *Analysis, rep *model.Report) error {
	files := a.Inventory.ConfigFiles
	engine, err := misconfig.New(ctx, misconfig.Options{
		CheckPaths: o.Misconfig.CheckPaths, DataPaths: o.Misconfig.DataPaths,
		Namespaces: o.Misconfig.Namespaces, IncludeNonFailures: o.Misconfig.IncludeNonFailures,
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
	results := make([]*model.Result, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.Parallel, 1))
	for i, f := range files {
		if !engine.Supported(f.Type) {
			continue
		}
		g.Go(func() error {
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
			for j := range r.Misconfigurations {
				r.Misconfigurations[j].Layer = f.Layer
			}
			summary := r.Summary
			results[i] = &model.Result{
				Target: f.FilePath, Class: model.ClassConfig, Type: f.Type,
				MisconfSummary: &summary, Misconfigurations: r.Misconfigurations,
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, r := range results {
		if r != nil {
			rep.Results = append(rep.Results, *r)
		}
	}
	return nil
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
