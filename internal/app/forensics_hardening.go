package app

import (
	_ "embed"
	"fmt"
	"path"
	"strings"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

//go:embed hardening.txt
var hardeningList string

// hardeningClass is one class of packages a minimal base does not carry.
type hardeningClass struct {
	id, what string
	include  []string
	exclude  []string
}

// hardeningClasses are the classes of hardening.txt, in the order of
// their IDs.
var hardeningClasses = mustHardeningClasses(hardeningList)

// parseHardening reads hardening.txt: "CLASS PATTERN" lines, "!PATTERN"
// excluding names of the class.
func parseHardening(text string) ([]*hardeningClass, error) {
	classes := []*hardeningClass{
		{id: "FOR-HARDEN-BUILD-TOOL", what: "build tool"},
		{id: "FOR-HARDEN-NET-TOOL", what: "network tool"},
		{id: "FOR-HARDEN-DEBUG-TOOL", what: "debugger"},
	}
	byName := map[string]*hardeningClass{"build": classes[0], "net": classes[1], "debug": classes[2]}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("hardening.txt:%d: want CLASS PATTERN, got %q", i+1, line)
		}
		c, ok := byName[f[0]]
		if !ok {
			return nil, fmt.Errorf("hardening.txt:%d: unknown class %q", i+1, f[0])
		}
		pat, exclude := strings.CutPrefix(f[1], "!")
		if _, err := path.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("hardening.txt:%d: pattern %q: %w", i+1, pat, err)
		}
		if exclude {
			c.exclude = append(c.exclude, pat)
		} else {
			c.include = append(c.include, pat)
		}
	}
	return classes, nil
}

func mustHardeningClasses(text string) []*hardeningClass {
	c, err := parseHardening(text)
	if err != nil {
		panic(err) // the embedded list; a test parses it
	}
	return c
}

// match reports whether the class lists the package name.
func (c *hardeningClass) match(name string) bool {
	for _, p := range c.exclude {
		if ok, _ := path.Match(p, name); ok {
			return false
		}
	}
	for _, p := range c.include {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// hardeningFindings is the hardening advice about the final image beyond
// its shells and package managers: an OS past its end of life
// (FOR-HARDEN-EOL), and each OS package a minimal base would not carry
// (compilers, network tools, debuggers), with its installed size where
// the package database gives it (facts of the database file still in the
// final filesystem) and, when the vulnerability scanner ran, the number
// of vulnerabilities reported against it.
func hardeningFindings(inv *inventory.Inventory, rep *model.Report, vulnScanned bool) []model.ForensicFinding {
	var out []model.ForensicFinding
	if os := rep.Metadata.OS; os != nil && os.EOSL {
		out = append(out, model.ForensicFinding{
			ID: "FOR-HARDEN-EOL", Category: forensicHardening, Severity: "MEDIUM", Title: "Base OS past its end of life",
			Message: fmt.Sprintf("the base OS, %s %s, no longer receives security updates: rebuild on a supported release", os.Family, os.Name),
		})
	}
	size := map[string]int64{}
	for _, f := range inv.Forensics {
		if f.Kind == inventory.FactPackageSize && !f.Deleted {
			size[f.Detail] = f.Size
		}
	}
	vulns := map[string]int{}
	for _, res := range rep.Results {
		if res.Class != model.ClassOSPkg {
			continue
		}
		for _, v := range res.Vulnerabilities {
			vulns[v.PkgName]++
		}
	}
	seen := map[string]bool{}
	for _, c := range hardeningClasses {
		for _, p := range inv.OSPackages {
			if seen[c.id+"\x00"+p.Name] || !c.match(p.Name) {
				continue
			}
			seen[c.id+"\x00"+p.Name] = true
			msg := fmt.Sprintf("package %s %s (%s) is in the final image; a minimal or distroless runtime base carries no %s", p.Name, p.FullVersion(), c.what, c.what)
			if n, ok := size[p.Name]; ok {
				msg += fmt.Sprintf("; installed size %s", humanBytes(n))
			}
			if vulnScanned {
				msg += fmt.Sprintf("; %d vulnerabilities reported against it", vulns[p.Name])
			}
			out = append(out, model.ForensicFinding{
				ID: c.id, Category: forensicHardening, Severity: "LOW", Title: "Final image ships a " + c.what,
				Message: msg, Layer: p.Layer, Size: size[p.Name], Package: p.Name,
			})
		}
	}
	return out
}

// humanBytes is a size in KiB/MiB/GiB as package managers show it.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
