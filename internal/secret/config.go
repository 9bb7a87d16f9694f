package secret

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/fsutil"
)

// ErrConfigNotFound is returned (wrapped) by LoadConfig when the file does
// not exist. The Config returned with it is the zero Config: built-in rules
// only. The caller decides whether a missing file is an error (an explicit
// --secret-config) or not (the default trivy-secret.yaml).
var ErrConfigNotFound = errors.New("trawl/secret: secret config file not found")

// DefaultConfigNames returns the file names looked up when no secret config
// is named: trawl-secret.yaml, then Trivy's trivy-secret.yaml.
func DefaultConfigNames() []string { return []string{"trawl-secret.yaml", "trivy-secret.yaml"} }

// Config is a secret scanning configuration, in the format of Trivy's
// trivy-secret.yaml (also read as trawl-secret.yaml). The zero Config means
// the built-in rules and allow rules with the default skip patterns.
type Config struct {
	// Path is the file the config was read from; the scanner never scans
	// a file of that name. Not part of the YAML.
	Path string `yaml:"-"`

	// EnableBuiltinRuleIDs, when non-empty, enables only these built-in
	// rules.
	EnableBuiltinRuleIDs []string `yaml:"enable-builtin-rules"`
	// DisableRuleIDs disables rules, built-in or custom.
	DisableRuleIDs []string `yaml:"disable-rules"`
	// DisableAllowRuleIDs disables allow rules, built-in or custom.
	DisableAllowRuleIDs []string `yaml:"disable-allow-rules"`

	CustomRules      []RuleConfig       `yaml:"rules"`
	CustomAllowRules []AllowRuleConfig  `yaml:"allow-rules"`
	ExcludeBlock     ExcludeBlockConfig `yaml:"exclude-block"`

	// SkipPatterns are doublestar globs of paths never scanned. Nil means
	// DefaultSkipPatterns; an empty, non-nil list disables skipping.
	SkipPatterns []string `yaml:"skip-patterns"`
}

// RuleConfig is a custom rule as written in the config file.
type RuleConfig struct {
	ID              string             `yaml:"id"`
	Category        string             `yaml:"category"`
	Title           string             `yaml:"title"`
	Severity        string             `yaml:"severity"`
	Regex           string             `yaml:"regex"`
	Keywords        []string           `yaml:"keywords"`
	Path            string             `yaml:"path"`
	AllowRules      []AllowRuleConfig  `yaml:"allow-rules"`
	ExcludeBlock    ExcludeBlockConfig `yaml:"exclude-block"`
	SecretGroupName string             `yaml:"secret-group-name"`
}

// AllowRuleConfig is an allow rule as written in the config file.
type AllowRuleConfig struct {
	ID          string `yaml:"id"`
	Description string `yaml:"description"`
	Regex       string `yaml:"regex"`
	Path        string `yaml:"path"`
}

// ExcludeBlockConfig is an exclude block as written in the config file.
type ExcludeBlockConfig struct {
	Description string   `yaml:"description"`
	Regexes     []string `yaml:"regexes"`
}

// MaxConfigSize is the largest secret config LoadConfig reads; devices and
// FIFOs are refused too.
const MaxConfigSize = 4 << 20

// LoadConfig reads a trivy-secret.yaml / trawl-secret.yaml file. A missing
// file returns the zero Config (built-ins only) and an error wrapping
// ErrConfigNotFound; an unreadable or invalid file returns an error naming
// it. The returned Config has been validated (regexps compile).
func LoadConfig(path string) (Config, error) {
	data, err := fsutil.ReadFileLimited(path, MaxConfigSize, "secret configs")
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("%w: %s", ErrConfigNotFound, path)
	}
	if fe := (*fsutil.Error)(nil); errors.As(err, &fe) {
		return Config{}, fmt.Errorf("secret config %w", err) // "secret config PATH: reason"
	}
	if err != nil {
		return Config{}, fmt.Errorf("read secret config %s: %w", path, err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("secret config %s: %w", path, err)
	}
	cfg.Path = path
	return cfg, nil
}

// ParseConfig parses and validates the YAML of a secret config. Unknown keys
// are ignored, as Trivy does.
func ParseConfig(data []byte) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("parse YAML: %w", err)
	}
	if _, err := compileConfig(cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// compiled is a Config turned into rules.
type compiled struct {
	rules   []Rule
	allow   []AllowRule
	exclude ExcludeBlock
}

func compileRegexp(what, s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return re, nil
}

func compileAllow(where string, cs []AllowRuleConfig) ([]AllowRule, error) {
	out := make([]AllowRule, 0, len(cs))
	for i, c := range cs {
		name := c.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		if c.Regex == "" && c.Path == "" {
			return nil, fmt.Errorf("%s allow rule %s: needs regex or path", where, name)
		}
		re, err := compileRegexp(where+" allow rule "+name+" regex", c.Regex)
		if err != nil {
			return nil, err
		}
		p, err := compileRegexp(where+" allow rule "+name+" path", c.Path)
		if err != nil {
			return nil, err
		}
		out = append(out, AllowRule{ID: c.ID, Description: c.Description, Regex: re, Path: p})
	}
	return out, nil
}

func compileExclude(where string, c ExcludeBlockConfig) (ExcludeBlock, error) {
	eb := ExcludeBlock{Description: c.Description}
	for i, s := range c.Regexes {
		re, err := compileRegexp(fmt.Sprintf("%s exclude-block regex #%d", where, i+1), s)
		if err != nil {
			return ExcludeBlock{}, err
		}
		if re != nil {
			eb.Regexes = append(eb.Regexes, re)
		}
	}
	return eb, nil
}

func idSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// compileConfig applies enable/disable lists to the built-ins and compiles
// the custom rules.
func compileConfig(cfg Config) (*compiled, error) {
	builtin, err := builtinRules()
	if err != nil {
		return nil, err
	}
	builtinAllow, err := builtinAllowRules()
	if err != nil {
		return nil, err
	}
	disabled := idSet(cfg.DisableRuleIDs)
	enabled := idSet(cfg.EnableBuiltinRuleIDs)
	c := &compiled{}
	for _, r := range builtin {
		if disabled[r.ID] || (len(enabled) > 0 && !enabled[r.ID]) {
			continue
		}
		c.rules = append(c.rules, r)
	}
	for i, rc := range cfg.CustomRules {
		if rc.ID == "" {
			return nil, fmt.Errorf("rule #%d: missing id", i+1)
		}
		where := "rule " + rc.ID
		if rc.Regex == "" {
			return nil, fmt.Errorf("%s: missing regex", where)
		}
		sev := strings.ToUpper(strings.TrimSpace(rc.Severity))
		if sev == "" {
			sev = SeverityUnknown
		}
		if !validSeverity(sev) {
			return nil, fmt.Errorf("%s: invalid severity %q", where, rc.Severity)
		}
		re, err := compileRegexp(where+" regex", rc.Regex)
		if err != nil {
			return nil, err
		}
		p, err := compileRegexp(where+" path", rc.Path)
		if err != nil {
			return nil, err
		}
		allow, err := compileAllow(where, rc.AllowRules)
		if err != nil {
			return nil, err
		}
		eb, err := compileExclude(where, rc.ExcludeBlock)
		if err != nil {
			return nil, err
		}
		var kws []string
		for _, k := range rc.Keywords {
			if k != "" {
				kws = append(kws, k)
			}
		}
		r := Rule{
			ID: rc.ID, Category: rc.Category, Title: rc.Title, Severity: sev,
			Regex: re, SecretGroupName: rc.SecretGroupName, Keywords: kws, Path: p,
			AllowRules: allow, ExcludeBlock: eb,
		}
		if err := r.resolveGroup(); err != nil {
			return nil, err
		}
		if disabled[r.ID] {
			continue
		}
		c.rules = append(c.rules, r)
	}
	disabledAllow := idSet(cfg.DisableAllowRuleIDs)
	for _, a := range builtinAllow {
		if !disabledAllow[a.ID] {
			c.allow = append(c.allow, a)
		}
	}
	custom, err := compileAllow("global", cfg.CustomAllowRules)
	if err != nil {
		return nil, err
	}
	for _, a := range custom {
		if a.ID == "" || !disabledAllow[a.ID] {
			c.allow = append(c.allow, a)
		}
	}
	if c.exclude, err = compileExclude("global", cfg.ExcludeBlock); err != nil {
		return nil, err
	}
	return c, nil
}

// configBase is the file name of the config itself, which is never scanned.
func configBase(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Base(p)
}
