package acceptance

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// actionlintVersion is the actionlint .ci/run installs (go install).
const actionlintVersion = "v1.7.12"

// TestWorkflowsLint validates the GitHub workflows and, through the ones
// that use it (`uses: ./`), action.yml with actionlint: the workflow and
// action metadata schema (keys, types, runners), expressions, the inputs a
// step passes against those action.yml declares, permissions and pinned
// third-party actions' syntax. .ci/run installs actionlint; without it the
// test skips (or fails under TRAWL_REQUIRE_SHARED=1, as in CI).
func TestWorkflowsLint(t *testing.T) {
	bin := actionlintPath()
	if bin == "" {
		sbomSkipOrFail(t, "actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@%s)", actionlintVersion)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// No workflow may escape the check: the action must be used by at
	// least one of them, or its metadata would go unvalidated.
	wfs, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	usesAction := false
	for _, wf := range wfs {
		b, err := os.ReadFile(wf)
		if err != nil {
			t.Fatal(err)
		}
		usesAction = usesAction || strings.Contains(string(b), "uses: ./\n")
	}
	if !usesAction {
		t.Error("no workflow uses the action (uses: ./), so action.yml would not be validated")
	}
	cmd := exec.Command(bin, "-pyflakes=", "-oneline", "-no-color") // shellcheck too, when installed
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}

	// The check must be able to fail: an input action.yml does not declare.
	bad := t.TempDir()
	// actionlint finds the project by its .git directory.
	if err := os.MkdirAll(filepath.Join(bad, ".github", "workflows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(bad, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	action, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	wf := "on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          no-such-input: x\n"
	for name, body := range map[string]string{"action.yml": string(action), ".github/workflows/w.yml": wf} {
		if err := os.WriteFile(filepath.Join(bad, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd = exec.Command(bin, "-shellcheck=", "-pyflakes=", "-oneline", "-no-color")
	cmd.Dir = bad
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), `input "no-such-input" is not defined`) {
		t.Errorf("actionlint accepted an undeclared input: %v\n%s", err, out)
	}
}

func actionlintPath() string {
	if p, err := exec.LookPath("actionlint"); err == nil {
		return p
	}
	out, err := goCommand("env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
		p := filepath.Join(dir, "bin", "actionlint")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
