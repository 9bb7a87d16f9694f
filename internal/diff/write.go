package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/internal/report"
)

func writeJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// describe is an entry's one-line summary: type, mode, owner, size and the
// start of its hash or its link target.
func describe(e Entry) string {
	s := fmt.Sprintf("%s %04o %d:%d", e.Type, e.Mode, e.UID, e.GID)
	switch {
	case e.Type == TypeFile:
		h := e.SHA256
		if len(h) > 12 {
			h = h[:12]
		}
		s += fmt.Sprintf(" %d sha256:%s", e.Size, h)
	case e.Link != "":
		s += " -> " + e.Link
	}
	if e.Error != "" {
		s += " (unreadable: " + e.Error + ")"
	}
	return s
}

func writeTable(w io.Writer, rep *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	safe := report.Printable
	p("%s (%s) → %s (%s)\n\n", safe(rep.Old.Arg), rep.Old.Kind, safe(rep.New.Arg), rep.New.Kind)
	f := rep.Files
	p("Files: %d added, %d removed, %d changed\n", len(f.Added), len(f.Removed), len(f.Changed))
	for _, e := range f.Added {
		p("  + %s  %s\n", safe(e.Path), safe(describe(e)))
	}
	for _, e := range f.Removed {
		p("  - %s  %s\n", safe(e.Path), safe(describe(e)))
	}
	for _, c := range f.Changed {
		p("  ~ %s  [%s]  %s → %s\n", safe(c.Path), strings.Join(c.What, ","), safe(describe(c.Old)), safe(describe(c.New)))
	}
	pk := rep.Packages
	p("\nPackages: %d added, %d removed, %d upgraded, %d downgraded, %d changed\n",
		len(pk.Added), len(pk.Removed), len(pk.Upgraded), len(pk.Downgraded), len(pk.Changed))
	for _, x := range pk.Added {
		p("  + %s %s %s\n", x.Type, safe(x.Name), safe(x.Version))
	}
	for _, x := range pk.Removed {
		p("  - %s %s %s\n", x.Type, safe(x.Name), safe(x.Version))
	}
	for _, list := range []struct {
		mark string
		l    []PackageChange
	}{{"↑", pk.Upgraded}, {"↓", pk.Downgraded}, {"~", pk.Changed}} {
		for _, x := range list.l {
			p("  %s %s %s %s → %s\n", list.mark, x.Type, safe(x.Name), safe(x.OldVersion), safe(x.NewVersion))
		}
	}
	if v := rep.Vulnerabilities; v != nil {
		p("\nVulnerabilities: %d introduced, %d fixed\n", len(v.Introduced), len(v.Fixed))
		for _, x := range v.Introduced {
			p("  + %s %s %s %s\n", x.VulnerabilityID, x.Severity, safe(x.PkgName), safe(x.InstalledVersion))
		}
		for _, x := range v.Fixed {
			p("  - %s %s %s %s\n", x.VulnerabilityID, x.Severity, safe(x.PkgName), safe(x.InstalledVersion))
		}
	}
	if fo := rep.Forensics; fo != nil {
		p("\nForensics findings new in %s: %d\n", safe(rep.New.Arg), len(fo.New))
		for _, x := range fo.New {
			p("  + %s %s %s  %s\n", x.ID, x.Severity, safe(x.Path), safe(x.Title))
		}
	}
	if len(rep.Notes) > 0 {
		p("\nNot compared: %d\n", len(rep.Notes))
		for _, n := range rep.Notes {
			p("  ! %s %s: %s\n", n.Side, safe(n.Path), safe(n.Reason))
		}
	}
	return bw.Flush()
}
