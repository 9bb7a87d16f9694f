package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/license"
)

// licenseCategoryFlag is the config-only setting of one category's licence
// list: license.<category> in trawl.yaml (as trivy.yaml's), or
// TRAWL_LICENSE_<CATEGORY>. It has no command-line flag, as in Trivy.
func licenseCategoryFlag(category string) flagDef {
	return flagDef{name: "license-" + category, configName: "license." + category, def: []string{}}
}

// licenseOptions reads --ignored-licenses and the license: section's
// category lists. A list that is set, even empty, replaces its default.
func licenseOptions(s *settings) (app.LicenseOptions, error) {
	o := app.LicenseOptions{Ignored: s.Strings(flagIgnoredLicenses)}
	var err error
	if o.Full, err = s.Bool(flagLicenseFull); err != nil {
		return o, err
	}
	level := s.String(flagLicenseConf)
	if o.ConfidenceLevel, err = strconv.ParseFloat(level, 64); err != nil || o.ConfidenceLevel <= 0 || o.ConfidenceLevel > 1 {
		return o, fmt.Errorf("%s: %q is not a confidence between 0 and 1", flagLicenseConf.name, level)
	}
	for _, cat := range license.Categories {
		f := licenseCategoryFlag(cat)
		if _, set := s.raw(f); !set {
			continue
		}
		if cat == license.CategoryUnknown {
			return o, fmt.Errorf("%s: unknown licences are the ones in no list; list them under another category", f.configName)
		}
		if o.Categories == nil {
			o.Categories = map[string][]string{}
		}
		o.Categories[cat] = s.Strings(f)
	}
	// A misspelt category under license: would be silently ignored.
	if m, ok := s.config["license"].(map[string]any); ok {
		for k := range m {
			switch k {
			case "ignored", "full", "confidenceLevel":
				continue
			}
			if !containsString(license.Categories, k) {
				return o, fmt.Errorf("config file %s: license.%s: not a licence category (%s)", s.loadedFrom, k, strings.Join(license.Categories[:len(license.Categories)-1], ", "))
			}
		}
	}
	return o, nil
}

func containsString(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}
