package acceptance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestActionDefinition checks action.yml the way GitHub reads it: a
// composite action whose run steps name their shell, whose third-party
// actions are pinned by a full commit digest, whose expressions name only
// declared inputs, and whose INPUT_* variables are exactly those
// action/run.sh reads.
func TestActionDefinition(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Name, Description string
		Inputs            map[string]struct {
			Description string
			Required    bool
			Default     *string
		}
		Runs struct {
			Using string
			Steps []struct {
				Name, Uses, Run, Shell string
				Env                    map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("action: %+v", a)
	}
	for name, in := range a.Inputs {
		if in.Description == "" || in.Default == nil {
			t.Errorf("input %s: needs a description and a default", name)
		}
	}
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	for _, s := range a.Runs.Steps {
		if s.Uses != "" && !pinned.MatchString(s.Uses) {
			t.Errorf("step uses %q: not pinned by a commit digest", s.Uses)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("run step %q has no shell", s.Name)
		}
	}
	for _, m := range regexp.MustCompile(`inputs\.([\w-]+)`).FindAllStringSubmatch(string(b), -1) {
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("expression names undeclared input %q", m[1])
		}
	}
	var env []string
	for _, s := range a.Runs.Steps {
		for k := range s.Env {
			if strings.HasPrefix(k, "INPUT_") {
				env = append(env, k)
			}
		}
	}
	script, err := os.ReadFile(filepath.Join("..", "action", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, m := range regexp.MustCompile(`INPUT_[A-Z_]+`).FindAllString(string(script), -1) {
		if !slices.Contains(read, m) {
			read = append(read, m)
		}
	}
	slices.Sort(env)
	slices.Sort(read)
	if !slices.Equal(env, read) {
		t.Errorf("action.yml passes %v, run.sh reads %v", env, read)
	}
}

// TestActionRun runs action/run.sh as the action does, on the corpus
// image: a SARIF report is written, the exit-code input gates, and a bad
// scan type fails with one line.
func TestActionRun(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	image := corpus(t, "images", "debian12-app.tar")
	bin := filepath.Join(t.TempDir(), "trawl")
	if out, err := goCommand("build", "-o", bin, "../cmd/trawl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "trawl.sarif")
	run := func(env ...string) (string, int) {
		cmd := exec.Command("bash", filepath.Join("..", "action", "run.sh"))
		cmd.Env = append(os.Environ(), append([]string{"TRAWL=" + bin, "INPUT_CACHE_DIR=" + t.TempDir(),
			"INPUT_DB_PATH=" + corpusDB(t), "INPUT_SKIP_DB_UPDATE=true", "INPUT_QUIET=true"}, env...)...)
		b, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(b), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(b), 0
	}
	msg, code := run("INPUT_SCAN_TYPE=image", "INPUT_INPUT="+image, "INPUT_FORMAT=sarif", "INPUT_OUTPUT="+out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	var sarif struct {
		Runs []struct {
			Results []struct{ RuleID string }
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sarif); err != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) == 0 {
		t.Fatalf("SARIF report: %v, %d runs", err, len(sarif.Runs))
	}
	// The corpus image holds three FAKE secrets: the exit-code input gates.
	if msg, code := run("INPUT_SCAN_TYPE=image", "INPUT_INPUT="+image, "INPUT_SCANNERS=secret", "INPUT_EXIT_CODE=3"); code != 3 {
		t.Errorf("exit-code input: exit %d: %s", code, msg)
	}
	// fs with a JSON report.
	jsonOut := filepath.Join(t.TempDir(), "fs.json")
	if msg, code := run("INPUT_SCAN_TYPE=fs", "INPUT_SCAN_REF="+corpus(t, "projects"), "INPUT_SCANNERS=secret", "INPUT_FORMAT=json", "INPUT_OUTPUT="+jsonOut); code != 0 {
		t.Errorf("fs: exit %d: %s", code, msg)
	} else if b, err := os.ReadFile(jsonOut); err != nil || json.Unmarshal(b, &model.Report{}) != nil {
		t.Errorf("fs report: %v", err)
	}
	if msg, code := run("INPUT_SCAN_TYPE=cluster"); code != 2 || !strings.Contains(msg, "scan-type 'cluster'") {
		t.Errorf("bad scan type: exit %d: %s", code, msg)
	}
}
