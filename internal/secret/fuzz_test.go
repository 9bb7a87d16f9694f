package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzScan(f *testing.F) {
	g := newGen(31)
	for _, c := range ruleCases() {
		content, _ := c.tp(g)
		f.Add("app/"+c.id+".env", []byte(content))
	}
	f.Add("a.pyc", []byte("\x00\x01ghp_0123456789012345678901234567890123456"))
	f.Add("x", []byte("-----BEGIN RSA PRIVATE KEY-----\n\n-----END"))
	s, ls := builtinScanner(f), lineScanner(f)
	f.Fuzz(func(t *testing.T, path string, content []byte) {
		sameFindings(t, s, ls, path, content)
		got := s.Scan(path, content)
		lines := bytes.Count(content, []byte{'\n'}) + 1
		for _, sec := range got {
			if sec.StartLine < 1 || sec.EndLine < sec.StartLine || sec.EndLine > lines {
				t.Fatalf("lines %d-%d of %d", sec.StartLine, sec.EndLine, lines)
			}
			if sec.Offset < 0 || sec.Offset >= len(content) {
				t.Fatalf("offset %d of %d", sec.Offset, len(content))
			}
			if !strings.Contains(sec.Match, "*") {
				t.Fatalf("uncensored match %q", sec.Match)
			}
			if len(sec.Code.Lines) == 0 {
				t.Fatal("no code lines")
			}
			for _, l := range sec.Code.Lines {
				if l.Number < 1 || l.Number > lines {
					t.Fatalf("code line %d of %d", l.Number, lines)
				}
			}
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"trivy-secret.yaml", "invalid-regex.yaml", "bad-group.yaml", "not-yaml.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("skip-patterns: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			return
		}
		// A config that parses must build a scanner (skip globs aside).
		if _, err := NewScanner(cfg); err != nil && !strings.Contains(err.Error(), "skip pattern") {
			t.Fatalf("parsed config rejected by NewScanner: %v", err)
		}
	})
}
