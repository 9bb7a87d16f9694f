package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze/config"
	"github.com/trawlsec/trawl/internal/app"
)

// unbuiltMisconfigScanners are Trivy's --misconfig-scanners types trawl
// does not check yet.
var unbuiltMisconfigScanners = []string{"terraformplan-snapshot", "ansible"}

// misconfigTypes reads --file-patterns and --misconfig-scanners into o.
func misconfigTypes(s *settings, o *app.MisconfigOptions) error {
	for _, p := range s.Strings(flagFilePatterns) {
		pat, err := config.ParsePattern(p)
		if err != nil {
			return fmt.Errorf("--file-patterns: %w", err)
		}
		o.FilePatterns = append(o.FilePatterns, pat)
	}
	o.Scanners = []string{}
	for _, t := range s.Strings(flagMisconfScanners) {
		t = strings.ToLower(t)
		switch {
		case slices.Contains(app.MisconfigScanners, t):
			if !slices.Contains(o.Scanners, t) {
				o.Scanners = append(o.Scanners, t)
			}
		case slices.Contains(unbuiltMisconfigScanners, t):
			return fmt.Errorf("--misconfig-scanners %s: not built yet (built: %s)", t, strings.Join(app.MisconfigScanners, ", "))
		default:
			return fmt.Errorf("--misconfig-scanners %q is not a configuration type (%s)", t, strings.Join(app.MisconfigScanners, ", "))
		}
	}
	return nil
}
