package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionBash: `trawl completion bash` is a script bash sources
// without errors, and it registers completion for trawl.
func TestCompletionBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	out, errOut, code := run(t, "completion", "bash")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	script := filepath.Join(t.TempDir(), "trawl.bash")
	if err := os.WriteFile(script, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command("bash", "-c", `set -e; source "$1"; complete -p trawl`, "bash", script).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "trawl") {
		t.Fatalf("sourcing the completion: %v\n%s", err, b)
	}
	for _, shell := range []string{"zsh", "fish"} {
		if out, _, code := run(t, "completion", shell); code != 0 || !strings.Contains(out, "trawl") {
			t.Errorf("completion %s: exit %d", shell, code)
		}
	}
}
