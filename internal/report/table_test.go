package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"app/config.env", "app/config.env"},
		{"café/naïve ✓ 日本", "café/naïve ✓ 日本"},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"bell\x07", `bell\x07`},
		{"del\x7f", `del\x7f`},
		{"tab\tnl\ncr\r", `tab\tnl\ncr\r`},
		{"c1\u009b31m", `c1\u009b31m`},
		{"evil\u202Egnp.exe", `evil\u202egnp.exe`},
		{"iso\u2066x\u2069", `iso\u2066x\u2069`},
		{"bad\xffbyte", `bad\xffbyte`},
	} {
		if got := Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTableEscapesControlCharacters checks that no value from a report
// (paths, package names, titles, rule fields, layer commands, matched lines)
// reaches the terminal with a control character or a bidi override, while
// the colours the writer adds itself stay.
func TestTableEscapesControlCharacters(t *testing.T) {
	const evil = "\x1b]0;pwned\x07\x1b[2J\u202e\u009b"
	const shown = `\x1b]0;pwned\x07\x1b[2J\u202e\u009b`
	rep := &model.Report{Results: []model.Result{
		{
			Target: "lock" + evil + ".json", Class: model.ClassLangPkg, Type: "npm" + evil,
			Packages: []model.Package{{ID: "p" + evil + "@1", Name: "p" + evil, DependsOn: nil}, {ID: "q@1", Name: "q", DependsOn: []string{"p" + evil + "@1"}}},
			Vulnerabilities: []model.Vulnerability{{
				VulnerabilityID: "CVE-1" + evil, PkgID: "p" + evil + "@1", PkgName: "p" + evil, Severity: "HIGH",
				InstalledVersion: "1" + evil, FixedVersion: "2" + evil, Status: "fixed" + evil, Title: "title" + evil,
			}},
		},
		{
			Target: "app/" + evil + "config.env", Class: model.ClassSecret,
			Secrets: []model.Secret{{
				RuleID: "rule" + evil, Category: "cat" + evil, Severity: "CRITICAL", Title: "t" + evil, StartLine: 1,
				Layer: model.Layer{DiffID: "sha256:" + evil, CreatedBy: "RUN " + evil},
				Code:  model.Code{Lines: []model.Line{{Number: 1, Content: "\tTOKEN=" + evil, IsCause: true}}},
			}},
		},
	}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep, Options{Color: true, DependencyTree: true, Width: 400}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range []string{sevColor["HIGH"] + "HIGH\x1b[0m", sevColor["CRITICAL"] + "CRITICAL\x1b[0m"} {
		if !strings.Contains(out, c) {
			t.Errorf("the writer's own colour %q is missing", c)
		}
	}
	for _, want := range []string{"lock" + shown, "npm" + shown, "CVE-1" + shown, "title" + shown, "rule" + shown, "cat" + shown, "RUN " + shown, "    TOKEN=" + shown} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the escaped value %q", want)
		}
	}
	// With the writer's colours taken out, nothing but newlines may be a
	// control character.
	plain := out
	for _, c := range sevColor {
		plain = strings.ReplaceAll(plain, c, "")
	}
	plain = strings.ReplaceAll(plain, "\x1b[0m", "")
	for i, r := range plain {
		if r != '\n' && needsEscape(r) || r == utf8.RuneError {
			t.Fatalf("raw %U at byte %d: %q", r, i, plain[max(0, i-40):min(len(plain), i+40)])
		}
	}
}

// TestTableMisconfigOccurrences: a finding in a Terraform module shows,
// under its file and lines, one "via" line per module call back to the
// root (Trivy's layout: deeper calls indented less), escaped.
func TestTableMisconfigOccurrences(t *testing.T) {
	rep := &model.Report{Results: []model.Result{{
		Target: "modules/db/main.tf", Class: model.ClassConfig, Type: "terraform",
		MisconfSummary: &model.MisconfSummary{Failures: 1},
		Misconfigurations: []model.Misconfiguration{{
			ID: "AWS-0086", Severity: "HIGH", Status: model.MisconfStatusFail, Message: "m",
			CauseMetadata: model.CauseMetadata{
				StartLine: 2, EndLine: 4,
				Code: model.Code{Lines: []model.Line{{Number: 2, Content: "x", IsCause: true}}},
				Occurrences: []model.Occurrence{
					{Resource: "module.web.module.db", Filename: "modules/web/main.tf", Location: model.Location{StartLine: 7, EndLine: 9}},
					{Resource: "module.web\x1b[2J", Filename: "main.tf", Location: model.Location{StartLine: 3, EndLine: 3}},
				},
			},
		}},
	}}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep, Options{Width: 200}); err != nil {
		t.Fatal(err)
	}
	want := " modules/db/main.tf:2-4\n" +
		"   via modules/web/main.tf:7-9 (module.web.module.db)\n" +
		"    via main.tf:3 (module.web\\x1b[2J)\n" +
		strings.Repeat("─", 40) + "\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("output lacks\n%s\ngot\n%s", want, buf.String())
	}
}
