package app

import (
	"context"

	"github.com/trawlsec/trawl/internal/analyze/licensefile"
	"github.com/trawlsec/trawl/internal/license"
	"github.com/trawlsec/trawl/pkg/model"
)

// LicenseOptions configure the licence scanner.
type LicenseOptions struct {
	// Categories replace Trivy's default licence list of each category
	// they name (trawl.yaml's license: forbidden, restricted, …).
	Categories map[string][]string
	// Ignored licences are not reported (--ignored-licenses).
	Ignored []string
	// Full classifies the licence files found in the artifact
	// (--license-full); analysis keeps them only then.
	Full bool
	// ConfidenceLevel is the least confidence of a licence file match
	// (--license-confidence-level; 0 means DefaultLicenseConfidence).
	ConfidenceLevel float64
}

// DefaultLicenseConfidence is Trivy's default --license-confidence-level.
const DefaultLicenseConfidence = 0.9

// LicenseFileTarget is the target of the classified licence files, as
// Trivy names it.
const LicenseFileTarget = "Loose File License(s)"

// OSPackagesLicenseTarget is the target of the OS packages' licences, as
// Trivy names it.
const OSPackagesLicenseTarget = "OS Packages"

// licenses reports the licences packages declare, normalised to SPDX and
// sorted into Trivy's categories: one Class license result for the OS
// packages and one per language package result, under its target.
type licenses struct{}

func (licenses) Scanner() string { return ScannerLicense }

func (licenses) Detect(ctx context.Context, o *Options, a *Analysis, rep *model.Report) error {
	classifier, err := license.NewClassifier(o.License.Categories)
	if err != nil {
		return err
	}
	ignored := license.NewNameSet(o.License.Ignored)
	var out []model.Result
	for _, r := range rep.Results {
		if err := ctx.Err(); err != nil {
			return err
		}
		var target string
		switch r.Class {
		case model.ClassOSPkg:
			target = OSPackagesLicenseTarget
		case model.ClassLangPkg:
			target = r.Target
		default:
			continue
		}
		res := model.Result{Target: target, Class: model.ClassLicense}
		type seenKey struct{ pkg, path, name string }
		seen := map[seenKey]bool{}
		for _, p := range r.Packages {
			path := ""
			if r.Class == model.ClassLangPkg {
				path = p.FilePath
			}
			for _, raw := range p.Licenses {
				n := license.Normalize(raw)
				if n.SPDX == "" || ignored.Contains(n) {
					continue
				}
				k := seenKey{p.Name, path, n.SPDX}
				if seen[k] {
					continue
				}
				seen[k] = true
				cat := classifier.Classify(n)
				res.Licenses = append(res.Licenses, model.DetectedLicense{
					Severity: license.Severity(cat), Category: cat,
					PkgName: p.Name, FilePath: path, Name: n.SPDX, Confidence: 1,
				})
			}
		}
		out = append(out, res)
	}
	if o.License.Full {
		res, err := licenseFiles(ctx, o, a, classifier, ignored)
		if err != nil {
			return err
		}
		out = append(out, res)
	}
	rep.Results = append(rep.Results, out...)
	return nil
}

// licenseFiles classifies the licence files the analysis kept: one Class
// license-file result, a finding per file and licence found with at least
// the confidence level.
func licenseFiles(ctx context.Context, o *Options, a *Analysis, classifier *license.Classifier, ignored license.NameSet) (model.Result, error) {
	res := model.Result{Target: LicenseFileTarget, Class: model.ClassLicenseFile}
	if a == nil || a.Inventory == nil {
		return res, nil
	}
	level := o.License.ConfidenceLevel
	if level <= 0 {
		level = DefaultLicenseConfidence
	}
	files, err := license.NewFileClassifier()
	if err != nil {
		return res, err
	}
	for _, f := range a.Inventory.ConfigFiles {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if f.Type != licensefile.Type {
			continue
		}
		for _, m := range files.Classify(f.Content, level) {
			n := license.Normalize(m.Name)
			if ignored.Contains(n) {
				continue
			}
			cat := classifier.Classify(n)
			res.Licenses = append(res.Licenses, model.DetectedLicense{
				Severity: license.Severity(cat), Category: cat, FilePath: f.FilePath,
				Name: m.Name, Confidence: m.Confidence, Link: license.Link(m.Name),
			})
		}
	}
	return res, nil
}
