package filter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type entrySummary struct {
	ID        string
	Paths     []string
	PURLs     []string
	ExpiredAt string
	Statement string
	Line      int
}

func summarize(l ignoreList) []entrySummary {
	var out []entrySummary
	for _, e := range l {
		s := entrySummary{ID: e.ID, Paths: e.Paths, Statement: e.Statement, Line: e.Line}
		for _, p := range e.PURLs {
			s.PURLs = append(s.PURLs, p.String())
		}
		if !e.ExpiredAt.IsZero() {
			s.ExpiredAt = e.ExpiredAt.UTC().Format(time.RFC3339)
		}
		out = append(out, s)
	}
	return out
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseIgnoreText(t *testing.T) {
	tests := []struct {
		file    string
		want    []entrySummary
		wantErr string
	}{
		{file: "plain.trivyignore", want: []entrySummary{
			{ID: "CVE-2018-14618", Line: 2},
			{ID: "CVE-2019-14697", Line: 5},
			{ID: "CVE-2023-0001", ExpiredAt: "2030-01-02T00:00:00Z", Line: 6},
			{ID: "CVE-2020-0002", ExpiredAt: "2020-01-01T00:00:00Z", Line: 7},
			{ID: "generic-unwanted-rule", Line: 8},
			{ID: "CVE-2024-0003", Line: 9},
		}},
		{file: "crlf.trivyignore", want: []entrySummary{
			{ID: "CVE-2024-1", Line: 1},
			{ID: "CVE-2024-2", ExpiredAt: "2031-05-06T00:00:00Z", Line: 2},
		}},
		{file: "empty.trivyignore"},
		{file: "bad-exp.trivyignore", wantErr: `bad-exp.trivyignore:1: invalid expiry "exp:2024-13-01"`},
		{file: "exp-only.trivyignore", wantErr: "exp-only.trivyignore:1: expiry"},
		{file: "binary.trivyignore", wantErr: "binary.trivyignore: not a text file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg, err := parseIgnoreText("ignore/"+tt.file, readFixture(t, "ignore/"+tt.file))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(cfg.vulnerabilities)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			// The plain form applies to every finding type.
			if diff := cmp.Diff(summarize(cfg.vulnerabilities), summarize(cfg.secrets)); diff != "" {
				t.Errorf("secrets differ:\n%s", diff)
			}
		})
	}
}

func TestParseIgnoreYAML(t *testing.T) {
	tests := []struct {
		file    string
		want    map[string][]entrySummary
		wantErr string
	}{
		{file: "valid.trivyignore.yaml", want: map[string][]entrySummary{
			"vulnerabilities": {
				{ID: "CVE-2022-40897", Paths: []string{"usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"}, Statement: "Accept the risk", Line: 2},
				{ID: "CVE-2023-2650", Line: 6},
				{ID: "CVE-2023-3446", PURLs: []string{"pkg:deb/debian/libssl1.1", "pkg:npm/%40babel/core@7.0.0?arch=amd64&os=linux"}, Line: 7},
				{ID: "CVE-2023-3817", ExpiredAt: "2023-09-01T00:00:00Z", Line: 11},
				{ID: "CVE-2023-9999", ExpiredAt: "2031-01-01T00:00:00Z", Line: 13},
			},
			"misconfigurations": {
				{ID: "AVD-DS-0001", Line: 16},
				{ID: "AVD-DS-0002", Paths: []string{"docs/Dockerfile"}, Statement: "The image needs root privileges", Line: 17},
			},
			"secrets": {
				{ID: "aws-access-key-id", Paths: []string{"foo/**/*.txt"}, ExpiredAt: "2030-01-01T00:00:00Z", Line: 22},
			},
			"licenses": {
				{ID: "GPL-3.0", Paths: []string{"usr/share/gcc/python/libstdcxx/v6/printers.py"}, Line: 27},
			},
		}},
		{file: "empty.yaml", want: map[string][]entrySummary{}},
		{file: "bad-purl.yaml", wantErr: `bad-purl.yaml:2: CVE-1: invalid purl "not-a-purl"`},
		{file: "bad-glob.yaml", wantErr: `bad-glob.yaml:2: rule: invalid path pattern "foo/[bar"`},
		{file: "unknown-key.yaml", wantErr: `unknown-key.yaml:3: unknown key "path"`},
		{file: "unknown-section.yaml", wantErr: `unknown-section.yaml:1: unknown section "vulnerabilites"`},
		{file: "no-id.yaml", wantErr: "no-id.yaml:2: vulnerabilities entry without an id"},
		{file: "bad-date.yaml", wantErr: `bad-date.yaml:2: CVE-1: invalid expired_at "next week"`},
		{file: "not-list.yaml", wantErr: "not-list.yaml:2: vulnerabilities must be a list"},
		{file: "not-yaml.yaml", wantErr: "not-yaml.yaml: yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg, err := parseIgnoreYAML("ignore/"+tt.file, readFixture(t, "ignore/"+tt.file))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]entrySummary{}
			for name, l := range map[string]ignoreList{"vulnerabilities": cfg.vulnerabilities,
				"misconfigurations": cfg.misconfigurations, "secrets": cfg.secrets, "licenses": cfg.licenses} {
				if len(l) > 0 {
					got[name] = summarize(l)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIgnoreMatch(t *testing.T) {
	cfg, err := parseIgnoreYAML("x.yaml", []byte(`
vulnerabilities:
  - id: CVE-1
    paths: ["app/**/package-lock.json"]
  - id: CVE-2
    purls: ["pkg:npm/%40babel/core?os=linux"]
  - id: CVE-3
    purls: ["pkg:pypi/Django_Rest@3.0"]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, target, pkgPath, purl string
		want                      bool
	}{
		{"CVE-1", "app/web/package-lock.json", "", "", true},
		{"CVE-1", "app/package-lock.json", "", "", true},
		{"CVE-1", "other/package-lock.json", "", "", false},
		{"CVE-1", "image (debian 12)", "app/x/package-lock.json", "", true}, // PkgPath matches
		{"CVE-2", "t", "", "pkg:npm/%40babel/core@7.1.0?arch=amd64&os=linux", true},
		{"CVE-2", "t", "", "pkg:npm/%40babel/core@7.1.0", false},       // qualifier missing
		{"CVE-2", "t", "", "pkg:npm/babel/core@7.1.0?os=linux", false}, // other namespace
		{"CVE-2", "t", "", "", false},                                  // no purl: restricted entry does not apply
		{"CVE-3", "t", "", "pkg:pypi/django-rest@3.0", true},           // pypi names normalised
		{"CVE-3", "t", "", "pkg:pypi/django-rest@3.1", false},
		{"CVE-4", "t", "", "", false},
	}
	for _, tt := range tests {
		got := cfg.vulnerabilities.match(tt.id, []string{tt.target, tt.pkgPath}, tt.purl) != nil
		if got != tt.want {
			t.Errorf("match(%s, %s, %s, %s) = %v, want %v", tt.id, tt.target, tt.pkgPath, tt.purl, got, tt.want)
		}
	}
}

func TestPrune(t *testing.T) {
	cfg, err := parseIgnoreText("p", readFixture(t, "ignore/plain.trivyignore"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	w := cfg.prune(now)
	if len(w) != 1 || w[0].Line != 7 || !strings.Contains(w[0].Message, "CVE-2020-0002 expired on 2020-01-01") {
		t.Errorf("warnings = %v", w)
	}
	for _, l := range []ignoreList{cfg.vulnerabilities, cfg.secrets, cfg.misconfigurations, cfg.licenses} {
		if len(l) != 5 {
			t.Errorf("kept %d entries, want 5", len(l))
		}
	}
	// The expiry date is the first instant the entry no longer applies.
	cfg, _ = parseIgnoreText("p", []byte("CVE-1 exp:2025-06-01\n"))
	if w := cfg.prune(now.Add(-time.Nanosecond)); len(w) != 0 {
		t.Errorf("expired too early: %v", w)
	}
	if w := cfg.prune(now.Add(time.Nanosecond)); len(w) != 1 {
		t.Errorf("not expired: %v", w)
	}
}

func TestIgnoreYAMLTypeErrorOneLine(t *testing.T) {
	_, err := parseIgnoreYAML("t.yaml", []byte("vulnerabilities:\n  - id: [a]\n    paths: {x: y}\n"))
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "t.yaml:2:") {
		t.Fatalf("err = %q", err)
	}
}
