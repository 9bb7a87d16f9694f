package app

import (
	"context"

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
}

// OSPackagesLicenseTarget is the target of the OS packages' licences, as
// Trivy names it.
const OSPackagesLicenseTarget = "OS Packages"

// licenses reports the licences packages declare, normalised to SPDX and
// sorted into Trivy's categories: one Class license result for the OS
// packages and one per language package result, under its target.
type licenses struct{}

func (licenses) Scanner() string { return ScannerLicense }

func (licenses) Detect(ctx context.Context, o *Options, _ *Analysis, rep *model.Report) error {
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
	rep.Results = append(rep.Results, out...)
	return nil
}
