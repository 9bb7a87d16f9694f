package acceptance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGitLabTemplate runs the script of ci/trawl.gitlab-ci.yml's job the
// way a GitLab runner does (each entry in one bash, the job's variables
// expanded against CI_* values) on the corpus image archive: trawl.json and
// a GitLab container-scanning report are written, and the gate fails the
// job with GATE_EXIT_CODE when findings of GATE_SEVERITY remain.
func TestGitLabTemplate(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	image := corpus(t, "images", "debian12-app.tar")
	b, err := os.ReadFile(filepath.Join("..", "ci", "trawl.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]struct {
		Image     string
		Variables map[string]string
		Script    []string
		Artifacts struct {
			Reports map[string]string
		}
	}
	if err := yaml.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	job, ok := tpl[".trawl-container-scanning"]
	if !ok || len(job.Script) == 0 || job.Artifacts.Reports["container_scanning"] == "" {
		t.Fatalf("template job: %+v", job)
	}
	binDir := t.TempDir()
	if out, err := goCommand("build", "-o", filepath.Join(binDir, "trawl"), "../cmd/trawl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(vars map[string]string) (string, int, string) {
		dir := t.TempDir()
		ci := map[string]string{"CI_PROJECT_DIR": dir, "CI_REGISTRY_IMAGE": "registry.invalid/group/app",
			"CI_COMMIT_REF_SLUG": "main", "CI_COMMIT_SHA": "0123abc", "CI_REGISTRY_USER": "u", "CI_REGISTRY_PASSWORD": "p"}
		env := append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
		for k, v := range ci {
			env = append(env, k+"="+v)
		}
		for k, v := range job.Variables {
			if o, ok := vars[k]; ok {
				v = o
			}
			env = append(env, k+"="+os.Expand(v, func(n string) string { return ci[n] }))
		}
		for k, v := range vars {
			if _, ok := job.Variables[k]; !ok {
				env = append(env, k+"="+v)
			}
		}
		var log strings.Builder
		for _, line := range job.Script {
			cmd := exec.Command("bash", "-e", "-c", line)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.CombinedOutput()
			log.Write(out)
			if ee, ok := err.(*exec.ExitError); ok {
				return log.String(), ee.ExitCode(), dir
			} else if err != nil {
				t.Fatal(err)
			}
		}
		return log.String(), 0, dir
	}
	common := map[string]string{"TRAWL_INPUT": image, "TRAWL_DB_PATH": corpusDB(t), "TRAWL_SKIP_DB_UPDATE": "true", "TRAWL_SCANNERS": "vuln,secret"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range common {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	// Report only: the job passes and writes both files.
	log, code, dir := run(with("GATE_EXIT_CODE", "0"))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, log)
	}
	var report struct {
		Version         string
		Scan            struct{ Type string }
		Vulnerabilities []json.RawMessage
	}
	gl, err := os.ReadFile(filepath.Join(dir, job.Artifacts.Reports["container_scanning"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(gl, &report); err != nil || report.Version == "" || report.Scan.Type != "container_scanning" {
		t.Errorf("GitLab report: %v: %.300s", err, gl)
	}
	if _, err := os.Stat(filepath.Join(dir, "trawl.json")); err != nil {
		t.Error(err)
	}
	// The corpus image holds FAKE secrets: with every severity counted, the gate
	// fails the job with the configured code.
	if log, code, _ := run(with("GATE_SEVERITY", "LOW,MEDIUM,HIGH,CRITICAL", "GATE_EXIT_CODE", "4")); code != 4 {
		t.Errorf("gate: exit %d, want 4:\n%s", code, log)
	}
}
