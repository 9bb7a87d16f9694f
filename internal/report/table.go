package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trawlsec/trawl/pkg/model"
)

// Severities from lowest to highest, as Trivy orders them.
var Severities = []string{"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"}

var sevColor = map[string]string{
	"UNKNOWN": "\x1b[37m", "LOW": "\x1b[34m", "MEDIUM": "\x1b[33m", "HIGH": "\x1b[31m", "CRITICAL": "\x1b[1;31m",
}

// WriteTable writes a human-readable report: a summary of every target,
// then per target a severity count and a table of its findings.
func WriteTable(w io.Writer, r *model.Report, opts Options) error {
	width := opts.Width
	if width <= 0 {
		width = 120
	}
	tw := &tableWriter{w: w, width: width, color: opts.Color, depTree: opts.DependencyTree}
	tw.summary(r, opts.Scanners)
	for _, res := range r.Results {
		if res.Class == model.ClassLicense || res.Class == model.ClassLicenseFile {
			tw.licenseResult(&res)
			continue
		}
		if len(res.Vulnerabilities) == 0 && len(res.Secrets) == 0 && len(res.Findings) == 0 && len(res.Timeline) == 0 && res.Class != model.ClassOSPkg && res.Class != model.ClassLangPkg && res.Class != model.ClassConfig {
			continue
		}
		tw.result(&res)
	}
	return tw.err
}

type tableWriter struct {
	w       io.Writer
	width   int
	color   bool
	depTree bool
	err     error
}

func (t *tableWriter) printf(format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, format, args...)
}

func (t *tableWriter) summary(r *model.Report, scanners []string) {
	ran := func(s string) bool { return scanners == nil || slices.Contains(scanners, s) }
	t.printf("\nReport Summary\n\n")
	// The Misconfigurations column is shown when that scanner ran, as
	// Trivy does.
	showMisconf := slices.Contains(scanners, "misconfig")
	// Likewise the Forensics column (trawl's own scanner).
	showForensics := slices.Contains(scanners, "forensics")
	showLicenses := slices.Contains(scanners, "license")
	for _, res := range r.Results {
		showMisconf = showMisconf || res.Class == model.ClassConfig
		showForensics = showForensics || res.Class == model.ClassForensics
		showLicenses = showLicenses || res.Class == model.ClassLicense || res.Class == model.ClassLicenseFile
	}
	rows := [][]string{}
	for _, res := range r.Results {
		typ := res.Type
		if typ == "" {
			typ = "-"
		}
		vulns, secrets, misconfs := "-", "-", "-"
		if res.Class == model.ClassConfig {
			misconfs = "0"
			if res.MisconfSummary != nil {
				misconfs = strconv.Itoa(res.MisconfSummary.Failures)
			}
		}
		if (res.Class == model.ClassOSPkg || res.Class == model.ClassLangPkg) && ran("vuln") {
			vulns = strconv.Itoa(len(res.Vulnerabilities))
		}
		if res.Class == model.ClassSecret {
			secrets = strconv.Itoa(len(res.Secrets))
		}
		pkgs := "-"
		if len(res.Packages) > 0 {
			pkgs = strconv.Itoa(len(res.Packages))
		}
		row := []string{Printable(res.Target), Printable(typ), pkgs, vulns}
		if showMisconf {
			row = append(row, misconfs)
		}
		row = append(row, secrets)
		if showForensics {
			forensics := "-"
			if res.Class == model.ClassForensics {
				forensics = strconv.Itoa(len(res.Findings))
			}
			row = append(row, forensics)
		}
		if showLicenses {
			row = append(row, licenseCount(&res))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.printf("No targets found: no OS, no package files and no secrets were detected.\n\n")
		return
	}
	header := []string{"Target", "Type", "Packages", "Vulnerabilities"}
	if showMisconf {
		header = append(header, "Misconfigurations")
	}
	header = append(header, "Secrets")
	if showForensics {
		header = append(header, "Forensics")
	}
	if showLicenses {
		header = append(header, "Licenses")
	}
	t.table(header, rows, 0)
	t.printf("Legend:\n- '-': not scanned\n- '0': clean (no findings detected)\n\n")
}

func severityCounts[T any](items []T, sev func(T) string) string {
	counts := map[string]int{}
	for _, it := range items {
		counts[sev(it)]++
	}
	parts := make([]string, 0, len(Severities))
	for _, s := range Severities {
		parts = append(parts, fmt.Sprintf("%s: %d", s, counts[s]))
	}
	return fmt.Sprintf("Total: %d (%s)", len(items), strings.Join(parts, ", "))
}

func (t *tableWriter) result(res *model.Result) {
	target := Printable(res.Target)
	t.printf("\n%s\n%s\n", target, strings.Repeat("=", min(utf8.RuneCountInString(target), t.width)))
	switch res.Class {
	case model.ClassSecret:
		t.printf("%s\n\n", severityCounts(res.Secrets, func(s model.Secret) string { return s.Severity }))
		t.secrets(res)
	case model.ClassConfig:
		t.misconfigs(res)
	case model.ClassForensics:
		t.printf("%s\n\n", severityCounts(res.Findings, func(f model.ForensicFinding) string { return f.Severity }))
		t.forensics(res)
	default:
		t.printf("%s\n\n", severityCounts(res.Vulnerabilities, func(v model.Vulnerability) string { return v.Severity }))
		if len(res.Vulnerabilities) > 0 {
			t.vulns(res)
			if t.depTree {
				t.dependencyTree(res)
			}
		}
	}
}

func (t *tableWriter) sev(s string) string {
	s = Printable(s)
	if t.color {
		if c, ok := sevColor[s]; ok {
			return c + s + "\x1b[0m"
		}
	}
	return s
}

func (t *tableWriter) vulns(res *model.Result) {
	vs := append([]model.Vulnerability(nil), res.Vulnerabilities...)
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].PkgName != vs[j].PkgName {
			return vs[i].PkgName < vs[j].PkgName
		}
		return vs[i].VulnerabilityID < vs[j].VulnerabilityID
	})
	rows := make([][]string, 0, len(vs))
	for _, v := range vs {
		title := v.Title
		if title == "" {
			title = firstLine(v.Description)
		}
		if v.PrimaryURL != "" {
			title = strings.TrimSpace(title + " " + v.PrimaryURL)
		}
		row := []string{v.PkgName, v.VulnerabilityID, v.Severity, v.Status, v.InstalledVersion, v.FixedVersion, title}
		for i := range row {
			row[i] = Printable(row[i])
		}
		rows = append(rows, row)
	}
	header := []string{"Library", "Vulnerability", "Severity", "Status", "Installed Version", "Fixed Version", "Title"}
	if t.width < narrowTable {
		// Too narrow for seven columns and a readable title: Status, the
		// column that matters least (Fixed Version says most of it), goes.
		header = slices.Delete(header, 3, 4)
		for i := range rows {
			rows[i] = slices.Delete(rows[i], 3, 4)
		}
	}
	t.table(header, rows, len(header)-1)
}

// narrowTable is the terminal width below which the vulnerability table
// leaves out its Status column.
const narrowTable = 100

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func (t *tableWriter) secrets(res *model.Result) {
	for _, s := range res.Secrets {
		t.printf("%s: %s (%s)\n", t.sev(s.Severity), Printable(s.Category), Printable(s.RuleID))
		t.printf("%s\n%s\n%s\n", strings.Repeat("═", 40), Printable(s.Title), strings.Repeat("─", 40))
		loc := fmt.Sprintf(" %s:%d", Printable(res.Target), s.StartLine)
		if s.Layer.DiffID != "" {
			loc += fmt.Sprintf(" (layer %s", Printable(shortDigest(s.Layer.DiffID)))
			if s.Layer.CreatedBy != "" {
				loc += fmt.Sprintf(", added by '%s'", truncate(Printable(s.Layer.CreatedBy), 60))
			}
			loc += ")"
		}
		if s.Deleted {
			loc += " [deleted in a later layer: not in the final filesystem, still in the image]"
		}
		if s.Commit != "" {
			loc += fmt.Sprintf(" (commit %s by %s, %s)", Printable(s.Commit[:min(12, len(s.Commit))]), Printable(s.Author), s.Date.Format("2006-01-02"))
		}
		if s.NotInHead {
			loc += " [in the history only: removed from the scanned tree, still in the repository]"
		}
		t.printf("%s\n%s\n", loc, strings.Repeat("─", 40))
		for _, l := range s.Code.Lines {
			marker := " "
			if l.IsCause {
				marker = "*"
			}
			// Tabs indent code: shown as spaces, not as \t.
			content := Printable(strings.ReplaceAll(l.Content, "\t", "    "))
			t.printf("%5d %s %s\n", l.Number, marker, truncate(content, t.width-10))
		}
		t.printf("%s\n\n", strings.Repeat("─", 40))
	}
}

// misconfigs writes a configuration file's check results as Trivy does:
// the test counts, the failure counts per severity, then each finding
// with its offending lines.
func (t *tableWriter) misconfigs(res *model.Result) {
	var sum model.MisconfSummary
	if res.MisconfSummary != nil {
		sum = *res.MisconfSummary
	}
	var failed []model.Misconfiguration
	for _, m := range res.Misconfigurations {
		if m.Status == model.MisconfStatusFail {
			failed = append(failed, m)
		}
	}
	t.printf("Tests: %d (SUCCESSES: %d, FAILURES: %d)\n", sum.Successes+sum.Failures, sum.Successes, sum.Failures)
	counts := severityCounts(failed, func(m model.Misconfiguration) string { return m.Severity })
	t.printf("Failures: %s\n\n", strings.TrimPrefix(counts, "Total: "))
	for _, m := range failed {
		t.printf("%s (%s): %s\n", t.sev(m.Severity), Printable(m.ID), Printable(m.Message))
		t.printf("%s\n%s\n", strings.Repeat("═", 40), Printable(m.Description))
		if m.PrimaryURL != "" {
			t.printf("\nSee %s\n", Printable(m.PrimaryURL))
		}
		t.printf("%s\n", strings.Repeat("─", 40))
		loc := " " + Printable(res.Target)
		if c := m.CauseMetadata; c.StartLine > 0 {
			loc += fmt.Sprintf(":%d", c.StartLine)
			if c.EndLine > c.StartLine {
				loc += fmt.Sprintf("-%d", c.EndLine)
			}
		}
		t.printf("%s\n", loc)
		for i, o := range m.CauseMetadata.Occurrences {
			lines := fmt.Sprintf("%d-%d", o.Location.StartLine, o.Location.EndLine)
			if o.Location.StartLine >= o.Location.EndLine {
				lines = fmt.Sprint(o.Location.StartLine)
			}
			t.printf(" %svia %s:%s (%s)\n", strings.Repeat(" ", i+2), Printable(o.Filename), lines, Printable(o.Resource))
		}
		t.printf("%s\n", strings.Repeat("─", 40))
		for _, l := range m.CauseMetadata.Code.Lines {
			marker := " "
			if l.IsCause {
				marker = "*"
			}
			content := Printable(strings.ReplaceAll(l.Content, "\t", "    "))
			t.printf("%5d %s %s\n", l.Number, marker, truncate(content, t.width-10))
		}
		t.printf("%s\n\n", strings.Repeat("─", 40))
	}
}

// Printable makes s safe to print on a terminal: control characters (C0,
// DEL, C1), bidirectional overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) and invalid UTF-8 bytes are shown escaped (\x1b,
// \u202e), so a file name or a matched line cannot move the cursor, change
// colours or reorder what is shown. Other text, non-ASCII included, is
// kept as it is.
func Printable(s string) string {
	i := strings.IndexFunc(s, needsEscape)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, "\\x%02x", s[0])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && needsEscape(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case needsEscape(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func shortDigest(d string) string {
	_, hex, ok := strings.Cut(d, ":")
	if !ok {
		hex = d
	}
	if len(hex) > 12 {
		hex = hex[:12]
	}
	return hex
}

func truncate(s string, n int) string {
	if n < 4 {
		n = 4
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// minWrapWidth is the narrowest a wrapped (non-flex) column is made.
const minWrapWidth = 8

// wrapCell splits s into lines of at most n runes, at spaces where it can.
func wrapCell(s string, n int) []string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return []string{s}
	}
	var out []string
	for len(r) > n {
		cut := n
		for i := n; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		r = r[cut:]
		for len(r) > 0 && r[0] == ' ' {
			r = r[1:]
		}
	}
	if len(r) > 0 {
		out = append(out, string(r))
	}
	return out
}

// table draws a box table. flex is the column that is shrunk when the
// table is wider than the terminal (-1: none).
func (t *tableWriter) table(header []string, rows [][]string, flex int) {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := 1
	for _, w := range widths {
		total += w + 3
	}
	if total > t.width && flex >= 0 {
		// The flex column gives way first, down to a readable width; then
		// the widest other columns (long pseudo-versions, package names)
		// are narrowed and their cells wrapped onto more lines, as Trivy's
		// tables wrap; the flex column takes what is left, never less than 8.
		shrinkFlex := func(floor int) {
			cut := max(0, min(total-t.width, widths[flex]-floor))
			widths[flex] -= cut
			total -= cut
		}
		narrow := func(floor int) {
			for total > t.width {
				widest := -1
				for i, w := range widths {
					if i != flex && w > floor && (widest < 0 || w > widths[widest]) {
						widest = i
					}
				}
				if widest < 0 {
					return
				}
				widths[widest]--
				total--
			}
		}
		shrinkFlex(max(20, t.width/4))
		narrow(16) // vulnerability IDs and most versions stay on one line
		shrinkFlex(20)
		narrow(minWrapWidth)
		if total > t.width {
			widths[flex] = max(8, widths[flex]-(total-t.width))
		}
	}
	line := func(l, m, r string) {
		parts := make([]string, len(widths))
		for i, w := range widths {
			parts[i] = strings.Repeat("─", w+2)
		}
		t.printf("%s%s%s\n", l, strings.Join(parts, m), r)
	}
	row := func(cells []string, sevCol int) {
		// Cells of the flex column are truncated; the others wrap.
		parts := make([][]string, len(cells))
		lines := 1
		for i, c := range cells {
			if i == flex {
				parts[i] = []string{truncate(c, widths[i])}
			} else {
				parts[i] = wrapCell(c, widths[i])
			}
			lines = max(lines, len(parts[i]))
		}
		for l := range lines {
			var b strings.Builder
			b.WriteString("│")
			for i := range cells {
				c := ""
				if l < len(parts[i]) {
					c = parts[i][l]
				}
				pad := widths[i] - utf8.RuneCountInString(c)
				if i == sevCol {
					c = t.sev(c)
				}
				b.WriteString(" " + c + strings.Repeat(" ", pad) + " │")
			}
			t.printf("%s\n", b.String())
		}
	}
	line("┌", "┬", "┐")
	row(header, -1)
	line("├", "┼", "┤")
	sevCol := -1
	for i, h := range header {
		if h == "Severity" {
			sevCol = i
		}
	}
	for _, r := range rows {
		row(r, sevCol)
	}
	line("└", "┴", "┘")
	t.printf("\n")
}

// dependencyTree prints, for each vulnerable package, the chain of packages
// that pulled it in, up to the direct dependencies (Trivy's "Dependency
// Origin Tree (Reversed)").
func (t *tableWriter) dependencyTree(res *model.Result) {
	byID := map[string]*model.Package{}
	parents := map[string][]string{}
	for i := range res.Packages {
		p := &res.Packages[i]
		byID[p.ID] = p
		for _, d := range p.DependsOn {
			parents[d] = append(parents[d], p.ID)
		}
	}
	if len(parents) == 0 {
		return // the format has no dependency graph
	}
	counts := map[string]map[string]int{}
	var ids []string
	for _, v := range res.Vulnerabilities {
		id := v.PkgID
		if counts[id] == nil {
			counts[id] = map[string]int{}
			ids = append(ids, id)
		}
		counts[id][v.Severity]++
	}
	sort.Strings(ids)
	t.printf("Dependency Origin Tree (Reversed)\n=================================\n%s\n", Printable(res.Target))
	for i, id := range ids {
		c := counts[id]
		label := fmt.Sprintf("%s, (%s: %d, %s: %d, %s: %d, %s: %d, %s: %d)", Printable(id),
			t.sev("UNKNOWN"), c["UNKNOWN"], t.sev("LOW"), c["LOW"], t.sev("MEDIUM"), c["MEDIUM"], t.sev("HIGH"), c["HIGH"], t.sev("CRITICAL"), c["CRITICAL"])
		t.treeNode(label, "", i == len(ids)-1)
		t.ancestors(id, parents, byID, childPrefix("", i == len(ids)-1), map[string]bool{id: true}, 0)
	}
	t.printf("\n")
}

const maxTreeDepth = 32

// ancestors prints the packages that depend on id, stopping at direct
// dependencies and roots, and at cycles.
func (t *tableWriter) ancestors(id string, parents map[string][]string, byID map[string]*model.Package, prefix string, seen map[string]bool, depth int) {
	if depth > maxTreeDepth {
		return
	}
	if p := byID[id]; p != nil && (p.Relationship == model.RelationshipDirect || p.Relationship == model.RelationshipRoot) {
		return
	}
	ps := append([]string(nil), parents[id]...)
	sort.Strings(ps)
	var shown []string
	for _, pid := range ps {
		if p := byID[pid]; p != nil && p.Relationship == model.RelationshipRoot {
			continue // the project itself is not an origin
		}
		if !seen[pid] {
			shown = append(shown, pid)
		}
	}
	for i, pid := range shown {
		last := i == len(shown)-1
		t.treeNode(Printable(pid), prefix, last)
		seen[pid] = true
		t.ancestors(pid, parents, byID, childPrefix(prefix, last), seen, depth+1)
		delete(seen, pid)
	}
}

func (t *tableWriter) treeNode(label, prefix string, last bool) {
	branch := "├── "
	if last {
		branch = "└── "
	}
	t.printf("%s%s%s\n", prefix, branch, label)
}

func childPrefix(prefix string, last bool) string {
	if last {
		return prefix + "    "
	}
	return prefix + "│   "
}

// forensics writes the forensics findings, one row each, in the order
// detection gives them (layer by layer).
func (t *tableWriter) forensics(res *model.Result) {
	rows := make([][]string, 0, len(res.Findings))
	for _, f := range res.Findings {
		layer := shortDigest(f.Layer.DiffID)
		if f.Layer.CreatedBy != "" {
			layer += " " + truncate(f.Layer.CreatedBy, 30)
		}
		path := f.Path
		if f.Deleted {
			path += " (deleted later)"
		}
		row := []string{f.ID, f.Severity, path, layer, f.Package, f.Message}
		for i := range row {
			row[i] = Printable(row[i])
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		t.table([]string{"ID", "Severity", "Path", "Layer", "Package", "Message"}, rows, 5)
	}
	if len(res.Timeline) == 0 {
		return
	}
	// The per-layer timeline; a layer's findings are counted from the
	// findings shown (after the filters).
	perLayer := map[string]int{}
	for _, f := range res.Findings {
		perLayer[f.Layer.DiffID]++
	}
	t.printf("\nLayers\n\n")
	rows = rows[:0]
	for _, l := range res.Timeline {
		created := l.Created
		if len(created) > 19 {
			created = created[:19] // 2024-01-02T15:04:05
		}
		row := []string{
			strconv.Itoa(l.Index), shortDigest(l.DiffID), created, forensicsSize(l.Size),
			fmt.Sprintf("+%d ~%d -%d", l.FilesAdded, l.FilesChanged, l.FilesDeleted),
			fmt.Sprintf("+%d -%d", l.PackagesInstalled, l.PackagesRemoved),
			strconv.Itoa(perLayer[l.DiffID]), l.CreatedBy,
		}
		for i := range row {
			row[i] = Printable(row[i])
		}
		rows = append(rows, row)
	}
	t.table([]string{"#", "DiffID", "Created", "Size", "Files", "Packages", "Findings", "Created by"}, rows, 7)
}

// forensicsSize is a layer size for the timeline ("12.3 MB").
func forensicsSize(n int64) string {
	if n <= 0 {
		return "-"
	}
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
