package secret

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated rule tables in docs/secrets.md")

const (
	docBegin = "<!-- BEGIN GENERATED: go test ./internal/secret -run TestDocs -update -->"
	docEnd   = "<!-- END GENERATED -->"
)

// ruleTables renders the built-in rules and allow rules as Markdown.
func ruleTables(t *testing.T) string {
	rules, err := BuiltinRules()
	if err != nil {
		t.Fatal(err)
	}
	allow, err := BuiltinAllowRules()
	if err != nil {
		t.Fatal(err)
	}
	cats := map[string]bool{}
	sev := map[string]int{}
	bounded := 0
	for _, r := range rules {
		cats[r.Category] = true
		sev[r.Severity]++
		if r.span > 0 {
			bounded++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d built-in rules in %d categories (CRITICAL %d, HIGH %d, MEDIUM %d, LOW %d), in precedence order; "+
		"%d have a bounded match length and run on keyword-centred windows.\n\n",
		len(rules), len(cats), sev[SeverityCritical], sev[SeverityHigh], sev[SeverityMedium], sev[SeverityLow], bounded)
	b.WriteString("| # | ID | Category | Severity | Title | Keywords |\n|---|---|---|---|---|---|\n")
	for i, r := range rules {
		kws := make([]string, len(r.Keywords))
		for j, k := range r.Keywords {
			kws[j] = "`" + strings.ReplaceAll(k, "|", `\|`) + "`"
		}
		fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s | %s |\n", i+1, r.ID, r.Category, r.Severity, r.Title, strings.Join(kws, " "))
	}
	names := make([]string, 0, len(cats))
	for c := range cats {
		names = append(names, c)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "\nCategories: %s.\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "\n%d built-in allow rules (path based; disable with `disable-allow-rules`):\n\n", len(allow))
	b.WriteString("| ID | Path regexp | Description |\n|---|---|---|\n")
	for _, a := range allow {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", a.ID, strings.ReplaceAll(a.Path.String(), "|", `\|`), a.Description)
	}
	fmt.Fprintf(&b, "\nDefault skip patterns (`skip-patterns` replaces them, `[]` disables skipping): %s.\n",
		"`"+strings.Join(DefaultSkipPatterns(), "`, `")+"`")
	return b.String()
}

// TestDocsRuleTable keeps the rule list in docs/secrets.md generated from the
// code; run with -update after changing rules.
func TestDocsRuleTable(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "secrets.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	s := string(doc)
	i, j := strings.Index(s, docBegin), strings.Index(s, docEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: generated section markers missing", path)
	}
	want := s[:i+len(docBegin)] + "\n" + ruleTables(t) + s[j:]
	if want == s {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date: run go test ./internal/secret -run TestDocs -update", path)
}
