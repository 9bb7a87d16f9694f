package acceptance

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/secret"
	"github.com/trawlsec/trawl/pkg/model"
)

// lineOf returns the 1-based line number of the first occurrence of s.
func lineOf(t *testing.T, content []byte, s string) int {
	t.Helper()
	i := bytes.Index(content, []byte(s))
	if i < 0 {
		t.Fatalf("%q not in content", s)
	}
	return 1 + bytes.Count(content[:i], []byte{'\n'})
}

func findRule(found []model.Secret, id string) *model.Secret {
	for i := range found {
		if found[i].RuleID == id {
			return &found[i]
		}
	}
	return nil
}

func checkFinding(t *testing.T, found []model.Secret, id string, content []byte, value string) {
	t.Helper()
	f := findRule(found, id)
	if f == nil {
		t.Errorf("%s not reported; got %+v", id, found)
		return
	}
	if want := lineOf(t, content, value); f.StartLine != want || f.EndLine != want {
		t.Errorf("%s at lines %d-%d, want %d", id, f.StartLine, f.EndLine, want)
	}
	if want := bytes.Index(content, []byte(value)); f.Offset != want {
		t.Errorf("%s offset %d, want %d", id, f.Offset, want)
	}
	if strings.Contains(f.Match, value) || !strings.Contains(f.Match, strings.Repeat("*", len(value))) {
		t.Errorf("%s match %q is not censored", id, f.Match)
	}
	for _, l := range f.Code.Lines {
		if strings.Contains(l.Content, value) {
			t.Errorf("%s: code line %d shows the secret", id, l.Number)
		}
	}
}

var (
	awsKeyID = regexp.MustCompile(`AKIA[A-Z0-9]{16}`)
	ghPAT    = regexp.MustCompile(`ghp_[0-9A-Za-z]{36}`)
)

func TestSecretDeployScript(t *testing.T) {
	path := corpus(t, "iac", "trivy-fixtures", "secrets", "deploy.sh")
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keyID, pat := awsKeyID.Find(content), ghPAT.Find(content)
	if keyID == nil || pat == nil {
		t.Fatalf("%s no longer holds an AWS key id and a GitHub PAT", path)
	}
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Required("deploy.sh") {
		t.Fatal("deploy.sh not required")
	}
	found := s.Scan("deploy.sh", content)
	checkFinding(t, found, "aws-access-key-id", content, string(keyID))
	checkFinding(t, found, "github-pat", content, string(pat))
	if len(found) != 2 {
		t.Errorf("got %d findings, want the 2 in the file: %+v", len(found), found)
	}
}

func TestSecretTrivyConfig(t *testing.T) {
	dir := corpus(t, "iac", "trivy-fixtures", "secrets")
	cfgPath := filepath.Join(dir, "trivy-secret.yaml")
	cfg, err := secret.LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// Expectations from the config file itself: its custom rule ids and
	// literal regexps, and the rules it disables.
	if len(cfg.CustomRules) == 0 {
		t.Fatalf("%s: no custom rules parsed", cfgPath)
	}
	for _, r := range cfg.CustomRules {
		if !bytes.Contains(raw, []byte("id: "+r.ID)) || !bytes.Contains(raw, []byte("regex: "+r.Regex)) {
			t.Errorf("rule %+v does not match the file", r)
		}
	}
	s, err := secret.NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Required("repo/trivy-secret.yaml") {
		t.Error("the secret config file itself is required")
	}
	content, err := os.ReadFile(filepath.Join(dir, "deploy.sh"))
	if err != nil {
		t.Fatal(err)
	}
	found := s.Scan("deploy.sh", content)
	for _, r := range cfg.CustomRules {
		re := regexp.MustCompile(r.Regex)
		m := re.Find(content)
		if m == nil {
			t.Fatalf("custom rule %s does not match deploy.sh (fixture changed?)", r.ID)
		}
		checkFinding(t, found, r.ID, content, string(m))
		if f := findRule(found, r.ID); f != nil && (f.Severity != r.Severity || f.Category != r.Category || f.Title != r.Title) {
			t.Errorf("custom finding metadata %+v, want %s/%s/%s", f, r.Severity, r.Category, r.Title)
		}
	}
	for _, id := range cfg.DisableRuleIDs {
		if findRule(found, id) != nil {
			t.Errorf("disabled rule %s reported", id)
		}
	}
	if keyID := awsKeyID.Find(content); keyID != nil {
		checkFinding(t, found, "aws-access-key-id", content, string(keyID))
	}
}

// TestSecretImageFakeSecrets scans the side file that lists the FAKE
// credentials planted in the Debian image's /app/.env.
func TestSecretImageFakeSecrets(t *testing.T) {
	path := corpus(t, "images", "debian12-app.fake-secrets.txt")
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		t.Fatal(err)
	}
	found := s.Scan("app/.env", content)
	want := map[string]*regexp.Regexp{
		"aws-access-key-id":     awsKeyID,
		"aws-secret-access-key": regexp.MustCompile(`AWS_SECRET_ACCESS_KEY=([A-Za-z0-9+/]{40})`),
		"github-pat":            ghPAT,
	}
	for id, re := range want {
		m := re.FindSubmatch(content)
		if m == nil {
			t.Fatalf("%s: no %s value", path, id)
		}
		checkFinding(t, found, id, content, string(m[len(m)-1]))
	}
	if len(found) != len(want) {
		t.Errorf("got %d findings, want %d: %+v", len(found), len(want), found)
	}
}

// TestSecretNpmTree scans every file of a real node_modules tree: nothing
// panics, every finding is within its file and censored, and Required
// skips the tree by default (node_modules is a default skip pattern).
func TestSecretNpmTree(t *testing.T) {
	root := corpus(t, "projects", "npm-real", "node_modules")
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		files++
		rel, _ := filepath.Rel(filepath.Dir(root), p)
		if s.Required(filepath.ToSlash(rel)) {
			t.Errorf("Required(%s) with the default skip patterns", rel)
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := bytes.Count(content, []byte{'\n'}) + 1
		for _, f := range s.Scan(filepath.ToSlash(rel), content) {
			if f.StartLine < 1 || f.EndLine > lines || !strings.Contains(f.Match, "*") {
				t.Errorf("%s: bad finding %+v", rel, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("only %d files under %s", files, root)
	}
}

// BenchmarkSecretScanNpm scans the real node_modules tree (files in
// memory), with paths relative to node_modules so every file is scanned.
func BenchmarkSecretScanNpm(b *testing.B) {
	root := corpus(b, "projects", "npm-real", "node_modules")
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	var contents [][]byte
	var total int64
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if c, err := os.ReadFile(p); err == nil {
				// Relative to the tree, so the node.js allow rule (which
				// would skip every file under node_modules/) is not hit.
				rel, _ := filepath.Rel(root, p)
				paths = append(paths, filepath.ToSlash(rel))
				contents = append(contents, c)
				total += int64(len(c))
			}
		}
		return nil
	})
	if len(contents) == 0 {
		b.Fatalf("no files under %s", root)
	}
	b.SetBytes(total)
	b.ResetTimer()
	found := 0
	for range b.N {
		found = 0
		for i, c := range contents {
			found += len(s.Scan(paths[i], c))
		}
	}
	b.ReportMetric(float64(found), "findings")
	b.ReportMetric(float64(len(contents))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// ociBlob reads a blob of an OCI layout by digest.
func ociBlob(t *testing.T, layout, digest string) []byte {
	t.Helper()
	algo, hex, ok := strings.Cut(digest, ":")
	if !ok {
		t.Fatalf("bad digest %q", digest)
	}
	b, err := os.ReadFile(filepath.Join(layout, "blobs", algo, hex))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSecretImageConfig scans the Debian image's real config: it parses,
// and none of its Env entries, labels or history commands is a secret (the
// corpus README says the planted secrets are only in /app/.env).
func TestSecretImageConfig(t *testing.T) {
	layout := corpus(t, "images", "debian12-app.oci")
	var index struct {
		Manifests []struct{ Digest string } `json:"manifests"`
	}
	var manifest struct {
		Config struct{ Digest string } `json:"config"`
	}
	idx, err := os.ReadFile(filepath.Join(layout, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(idx, &index); err != nil || len(index.Manifests) == 0 {
		t.Fatalf("index.json: %v", err)
	}
	if err := json.Unmarshal(ociBlob(t, layout, index.Manifests[0].Digest), &manifest); err != nil {
		t.Fatal(err)
	}
	raw := ociBlob(t, layout, manifest.Config.Digest)
	var cfg struct {
		Config  struct{ Env []string } `json:"config"`
		History []struct {
			CreatedBy string `json:"created_by"`
		} `json:"history"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil || len(cfg.Config.Env) == 0 || len(cfg.History) == 0 {
		t.Fatalf("config has no Env or history (%v): the test would prove nothing", err)
	}
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.ScanImageConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 0 {
		t.Errorf("false positives in the image config: %+v", found)
	}
}
