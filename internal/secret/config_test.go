package secret

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func TestLoadConfigFixture(t *testing.T) {
	path := filepath.Join("testdata", "trivy-secret.yaml")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Path != path {
		t.Errorf("Path = %q", cfg.Path)
	}
	if len(cfg.CustomRules) != 2 || cfg.CustomRules[0].ID != "internal-api-token" || cfg.CustomRules[0].SecretGroupName != "secret" {
		t.Errorf("rules = %+v", cfg.CustomRules)
	}
	if got := cfg.CustomRules[0].AllowRules; len(got) != 1 || got[0].ID != "sandbox-token" {
		t.Errorf("rule allow-rules = %+v", got)
	}
	if got := cfg.CustomRules[1].ExcludeBlock.Regexes; len(got) != 1 {
		t.Errorf("rule exclude-block = %+v", got)
	}
	if len(cfg.CustomAllowRules) != 2 || cfg.CustomAllowRules[0].Path == "" {
		t.Errorf("allow-rules = %+v", cfg.CustomAllowRules)
	}
	if !slices.Equal(cfg.EnableBuiltinRuleIDs, []string{"github-pat", "aws-access-key-id", "generic-password"}) ||
		!slices.Equal(cfg.DisableRuleIDs, []string{"generic-password"}) ||
		!slices.Equal(cfg.DisableAllowRuleIDs, []string{"markdown"}) {
		t.Errorf("enable/disable lists = %v %v %v", cfg.EnableBuiltinRuleIDs, cfg.DisableRuleIDs, cfg.DisableAllowRuleIDs)
	}
	if len(cfg.ExcludeBlock.Regexes) != 1 {
		t.Errorf("exclude-block = %+v", cfg.ExcludeBlock)
	}
	if cfg.SkipPatterns != nil {
		t.Errorf("absent skip-patterns decoded as %v, want nil (defaults)", cfg.SkipPatterns)
	}

	s, err := NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Rules() {
		got = append(got, r.ID)
	}
	want := []string{"aws-access-key-id", "github-pat", "internal-api-token", "deploy-password"}
	if !slices.Equal(got, want) {
		t.Errorf("enabled rules = %v, want %v", got, want)
	}
	if s.rules[2].Severity != SeverityHigh {
		t.Errorf("severity not normalised: %q", s.rules[2].Severity)
	}
}

func TestLoadConfigMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "trivy-secret.yaml")
	cfg, err := LoadConfig(missing)
	if !errors.Is(err, ErrConfigNotFound) || !strings.Contains(err.Error(), missing) {
		t.Fatalf("err = %v, want ErrConfigNotFound naming the file", err)
	}
	s, err := NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := BuiltinRules()
	if len(s.Rules()) != len(all) {
		t.Errorf("missing config: %d rules, want the %d built-ins", len(s.Rules()), len(all))
	}
}

func TestLoadConfigInvalid(t *testing.T) {
	for file, want := range map[string]string{
		"invalid-regex.yaml": "rule broken regex",
		"bad-severity.yaml":  `invalid severity "SEVERE"`,
		"bad-group.yaml":     `no group named "secret"`,
		"not-yaml.yaml":      "parse YAML",
	} {
		path := filepath.Join("testdata", file)
		_, err := LoadConfig(path)
		if errors.Is(err, ErrConfigNotFound) {
			t.Errorf("%s: invalid file reported as missing", file)
		}
		if err == nil {
			t.Errorf("%s: no error", file)
			continue
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q should name the file and say %q", file, err, want)
		}
	}
}

// TestLoadConfigRefusesUnboundedFiles: a device, a FIFO with no writer,
// a directory or an oversized (sparse) file is refused with an error naming
// it, without reading it and without blocking.
func TestLoadConfigRefusesUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxConfigSize+1); err != nil {
		t.Fatal(err)
	}
	normal := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(normal, []byte("disable-rules: [github-pat]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "secret config /dev/zero: not a regular file"},
		{fifo, "secret config " + fifo + ": not a regular file"},
		{dir, "secret config " + dir + ": not a regular file"},
		{huge, "secret config " + huge + ": 4194305 bytes, larger than the 4194304-byte limit for secret configs"},
		{normal, ""},
	} {
		_, err := LoadConfig(tc.path)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.path, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want || errors.Is(err, ErrConfigNotFound) {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
	}
}

func TestParseConfigEdgeCases(t *testing.T) {
	cfg, err := ParseConfig(nil)
	if err != nil {
		t.Fatalf("empty file: %v", err)
	}
	if cfg.SkipPatterns != nil || len(cfg.CustomRules) != 0 {
		t.Errorf("empty file gave %+v", cfg)
	}
	cfg, err = ParseConfig([]byte("skip-patterns: []\nunknown-key: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SkipPatterns == nil || len(cfg.SkipPatterns) != 0 {
		t.Errorf("skip-patterns: [] decoded as %#v, want empty non-nil", cfg.SkipPatterns)
	}
	for _, bad := range []string{
		"rules:\n  - regex: x\n",                 // no id
		"rules:\n  - id: x\n",                    // no regex
		"allow-rules:\n  - id: a\n",              // neither regex nor path
		"allow-rules:\n  - id: a\n    path: (\n", // bad path
		"exclude-block:\n  regexes: ['(']\n",
		"skip-patterns: ['[']\n",
	} {
		_, err := ParseConfig([]byte(bad))
		if err == nil && !strings.Contains(bad, "skip-patterns") {
			t.Errorf("%q: no error", bad)
		}
		if strings.Contains(bad, "skip-patterns") {
			cfg, _ := ParseConfig([]byte(bad))
			if _, err := NewScanner(cfg); err == nil {
				t.Errorf("%q: NewScanner accepted an invalid glob", bad)
			}
		}
	}
}

func TestDefaultConfigNames(t *testing.T) {
	n := DefaultConfigNames()
	if len(n) != 2 || n[0] != "trawl-secret.yaml" || n[1] != "trivy-secret.yaml" {
		t.Errorf("DefaultConfigNames = %v", n)
	}
	n[0] = "x"
	if DefaultConfigNames()[0] != "trawl-secret.yaml" {
		t.Error("DefaultConfigNames shares its slice")
	}
}

func TestConfigFileNeverScanned(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "trawl-secret.yaml")
	if err := os.WriteFile(p, []byte("rules:\n  - id: r\n    regex: ghp_[0-9a-zA-Z]{36}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Required("repo/trawl-secret.yaml") {
		t.Error("the secret config file itself is required")
	}
	if !s.Required("repo/other.yaml") {
		t.Error("other.yaml not required")
	}
}
