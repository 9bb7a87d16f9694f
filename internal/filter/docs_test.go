package filter

import (
	"os"
	"strings"
	"testing"
)

// TestDocsExamples checks that the examples in docs/filtering.md parse, so
// users can paste them.
func TestDocsExamples(t *testing.T) {
	b, err := os.ReadFile("../../docs/filtering.md")
	if err != nil {
		t.Skipf("docs not found: %v", err)
	}
	blocks := strings.Split(string(b), "```")
	var vex, yml, plain int
	for i := 1; i < len(blocks); i += 2 {
		lang, body, _ := strings.Cut(blocks[i], "\n")
		switch {
		case lang == "json" && strings.HasPrefix(strings.TrimSpace(body), "{"):
			if _, err := parseVEX("doc.json", []byte(body)); err != nil {
				t.Errorf("VEX example: %v\n%s", err, body)
			}
			vex++
		case lang == "yaml":
			if _, err := parseIgnoreYAML("doc.yaml", []byte(body)); err != nil {
				t.Errorf("YAML example: %v", err)
			}
			yml++
		case lang == "":
			cfg, err := parseIgnoreText("doc", []byte(body))
			if err != nil || len(cfg.vulnerabilities) == 0 {
				t.Errorf("plain example: %v", err)
			}
			plain++
		}
	}
	if vex != 3 || yml != 1 || plain != 1 {
		t.Errorf("found %d VEX, %d YAML, %d plain examples; want 3, 1, 1", vex, yml, plain)
	}
}
