package secret

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/trawlsec/trawl/internal/analyze"
	secretscan "github.com/trawlsec/trawl/internal/secret"
)

func newAnalyzer(t *testing.T, cfg secretscan.Config) *Analyzer {
	t.Helper()
	s, err := secretscan.NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return New(s)
}

// madeUpPAT is a made-up token in GitHub's classic PAT format.
func madeUpPAT() string { return "ghp_" + strings.Repeat("aB3", 12) }

func TestAnalyze(t *testing.T) {
	a := newAnalyzer(t, secretscan.Config{})
	if a.Name() != "secret" || a.Version() < 1 {
		t.Errorf("Name/Version = %q/%d", a.Name(), a.Version())
	}
	content := []byte("#!/bin/sh\nexport GH=" + madeUpPAT() + "\n")
	res, err := a.Analyze(context.Background(), analyze.Input{Path: "app/run.sh", Content: content})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Secrets) != 1 {
		t.Fatalf("secrets = %+v", res.Secrets)
	}
	s := res.Secrets[0]
	if s.FilePath != "app/run.sh" || s.RuleID != "github-pat" || s.StartLine != 2 || strings.Contains(s.Match, madeUpPAT()) {
		t.Errorf("secret = %+v", s)
	}
	res, err = a.Analyze(context.Background(), analyze.Input{Path: "a.txt", Content: []byte("nothing to see here")})
	if err != nil || res == nil || len(res.Secrets) != 0 {
		t.Errorf("clean file: %+v, %v", res, err)
	}
}

func TestAnalyzeCanceled(t *testing.T) {
	a := newAnalyzer(t, secretscan.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.Analyze(ctx, analyze.Input{Path: "x/y.env", Content: []byte("GH=" + madeUpPAT())})
	if err == nil || !strings.Contains(err.Error(), "x/y.env") {
		t.Errorf("err = %v, want a context error naming the file", err)
	}
}

func TestRequired(t *testing.T) {
	a := newAnalyzer(t, secretscan.Config{})
	fsys := fstest.MapFS{
		"app/.env":      {Data: []byte("0123456789abc")},
		"app/tiny":      {Data: []byte("abc")},
		"app/link":      {Data: []byte("0123456789abc"), Mode: fs.ModeSymlink},
		"app/logo.png":  {Data: []byte("0123456789abc")},
		".git/config":   {Data: []byte("0123456789abc")},
		"src/tests/a.y": {Data: []byte("0123456789abc")},
	}
	want := map[string]bool{"app/.env": true}
	for name := range fsys {
		info, err := fs.Lstat(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Required(name, info); got != want[name] {
			t.Errorf("Required(%q) = %v, want %v", name, got, want[name])
		}
	}
	if !a.Required("app/.env", nil) {
		t.Error("Required without FileInfo")
	}
}

func TestDigest(t *testing.T) {
	a := newAnalyzer(t, secretscan.Config{})
	b := newAnalyzer(t, secretscan.Config{})
	c := newAnalyzer(t, secretscan.Config{DisableRuleIDs: []string{"github-pat"}})
	d := newAnalyzer(t, secretscan.Config{SkipPatterns: []string{}})
	if a.Digest() != b.Digest() {
		t.Error("same config, different digests")
	}
	if a.Digest() == c.Digest() || a.Digest() == d.Digest() {
		t.Error("different configs, same digest")
	}
}
