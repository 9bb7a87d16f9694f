package acceptance

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestJSONKeySetCoversTrivy: the JSON key paths trawl writes for the corpus
// Debian image and for npm, pip and Go lockfile projects must include every
// key of Trivy's report listed in testdata/trivy-keys.txt (written by hand
// from Trivy's types and golden reports), except the deliberate or known
// differences listed in the fenced "keys" block of docs/trivy-differences.md.
func TestJSONKeySetCoversTrivy(t *testing.T) {
	want := readKeyList(t, filepath.Join("testdata", "trivy-keys.txt"))
	excepted := differenceKeys(t, filepath.Join("..", "docs", "trivy-differences.md"))
	for k := range excepted {
		if !want[k] {
			t.Errorf("docs/trivy-differences.md lists %q, which is not in testdata/trivy-keys.txt", k)
		}
	}

	got := map[string]bool{}
	reports := [][]string{
		{"image", "--input", corpus(t, "images", "debian12-app.tar"), "debian12-app:latest"},
		{"fs", corpus(t, "projects", "trivy-fixtures", "npm")},
		{"fs", corpus(t, "projects", "trivy-fixtures", "pip")},
		{"fs", corpus(t, "projects", "trivy-fixtures", "gomod")},
	}
	for _, args := range reports {
		args = append(args, "-f", "json", "--list-all-pkgs", "--cache-dir", t.TempDir(), "--quiet",
			"--db-path", corpusDB(t), "--skip-db-update")
		out, errOut, code := trawl(t, args...)
		if code != 0 {
			t.Fatalf("trawl %v: exit %d\n%s", args, code, errOut)
		}
		var doc any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		keyPaths(doc, "", got)
	}
	var missing []string
	for k := range want {
		if !got[k] && !excepted[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("trawl writes no %s (a Trivy key): write it, or list it with its reason in docs/trivy-differences.md", k)
	}
}

// keyPaths adds the key paths of v: "A.B" for objects, "A[].B" for the
// objects of arrays. Keys under free-form maps (ImageConfig, CVSS,
// VendorSeverity, Finding) are not followed: their keys are data.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			switch k {
			case "ImageConfig", "CVSS", "VendorSeverity", "Finding":
				continue
			}
			keyPaths(child, p, out)
		}
	case []any:
		for _, child := range x {
			keyPaths(child, prefix+"[]", out)
		}
	}
}

func readKeyList(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		keys[line] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatalf("%s lists no keys", path)
	}
	return keys
}

// differenceKeys reads the key paths in the "```keys" fenced block of the
// differences page: one per line, a "#" comment after it allowed.
func differenceKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```keys\n")
	if !ok {
		t.Fatalf("%s has no ```keys block", path)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatalf("%s: the ```keys block is not closed", path)
	}
	keys := map[string]bool{}
	for _, line := range strings.Split(block, "\n") {
		k, _, _ := strings.Cut(line, "#")
		if k = strings.TrimSpace(k); k != "" {
			keys[k] = true
		}
	}
	return keys
}
