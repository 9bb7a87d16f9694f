package oci

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The publishing workflow cannot run here; these checks keep its
// supply-chain and permission properties from regressing.

type workflow struct {
	On          map[string]any         `yaml:"on"`
	Permissions yaml.Node              `yaml:"permissions"`
	Jobs        map[string]workflowJob `yaml:"jobs"`
}

type workflowJob struct {
	Permissions yaml.Node      `yaml:"permissions"`
	Steps       []workflowStep `yaml:"steps"`
}

type workflowStep struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

var pinned = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@]+)?@[0-9a-f]{40}$`)

// checkWorkflow returns what is wrong with a workflow definition.
func checkWorkflow(data []byte) []string {
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		return []string{fmt.Sprintf("not YAML: %v", err)}
	}
	var probs []string
	if _, ok := w.On["schedule"]; !ok {
		probs = append(probs, "no schedule trigger")
	}
	if _, ok := w.On["workflow_dispatch"]; !ok {
		probs = append(probs, "no workflow_dispatch trigger")
	}
	probs = append(probs, checkPermissions("workflow", w.Permissions, false)...)
	if len(w.Jobs) == 0 {
		probs = append(probs, "no jobs")
	}
	pushes := 0
	for name, j := range w.Jobs {
		probs = append(probs, checkPermissions("job "+name, j.Permissions, true)...)
		for i, s := range j.Steps {
			where := fmt.Sprintf("job %s step %d (%s)", name, i, s.Name)
			if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") && !pinned.MatchString(s.Uses) {
				probs = append(probs, fmt.Sprintf("%s: uses %q is not pinned to a 40-hex commit", where, s.Uses))
			}
			if strings.Contains(s.Run, "db push") {
				pushes++
				refs := regexp.MustCompile(`--db-repository\s+"?([^"\s]+)`).FindStringSubmatch(s.Run)
				if refs == nil {
					probs = append(probs, where+": db push without --db-repository")
					continue
				}
				for _, ref := range strings.Split(refs[1], ",") {
					if !strings.HasPrefix(ref, "oci://") {
						probs = append(probs, fmt.Sprintf("%s: pushes to %q, not an oci:// reference", where, ref))
					}
				}
			}
			if strings.Contains(s.Run, "${{") {
				probs = append(probs, where+": expression expanded inside run: (pass it through env)")
			}
		}
	}
	if pushes == 0 {
		probs = append(probs, "no step runs db push")
	}
	return probs
}

// checkPermissions: the workflow level grants nothing ({}); a job declares
// its permissions and may write packages only.
func checkPermissions(where string, n yaml.Node, job bool) []string {
	if n.Kind == 0 {
		return []string{where + ": permissions not declared"}
	}
	if n.Kind != yaml.MappingNode {
		return []string{fmt.Sprintf("%s: permissions %q: want a mapping", where, n.Value)}
	}
	var probs []string
	if !job && len(n.Content) > 0 {
		probs = append(probs, where+": top-level permissions should be {} (jobs ask for what they need)")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		scope, level := n.Content[i].Value, n.Content[i+1].Value
		if level == "write" && scope != "packages" {
			probs = append(probs, fmt.Sprintf("%s: %s: write (only packages may be written)", where, scope))
		}
	}
	return probs
}

func TestPublishWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", ".github", "workflows", "db.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkWorkflow(data) {
		t.Error(p)
	}
}

// TestCheckWorkflow: the checker itself catches each fault.
func TestCheckWorkflow(t *testing.T) {
	const good = `
on:
  schedule: [{cron: "0 0 * * *"}]
  workflow_dispatch: {}
permissions: {}
jobs:
  j:
    permissions: {contents: read, packages: write}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - run: trawl db push --db-repository "oci://ghcr.io/o/trawl-db:1,oci://ghcr.io/o/trawl-db:x"
`
	tests := []struct {
		name, old, new, want string
	}{
		{"good", "", "", ""},
		{"tag instead of digest", "checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "checkout@v4", "not pinned"},
		{"short digest", "checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "checkout@11bd719", "not pinned"},
		{"no permissions", "permissions: {}\n", "", "workflow: permissions not declared"},
		{"job without permissions", "    permissions: {contents: read, packages: write}\n", "", "job j: permissions not declared"},
		{"write-all", "permissions: {}", "permissions: write-all", "want a mapping"},
		{"contents write", "contents: read", "contents: write", "contents: write"},
		{"push to https", "oci://ghcr.io/o/trawl-db:x", "https://example.com", `not an oci:// reference`},
		{"no push", "trawl db push", "trawl db status", "no step runs db push"},
		{"no schedule", "  schedule: [{cron: \"0 0 * * *\"}]\n", "", "no schedule trigger"},
		{"expression in run", `"oci://ghcr.io/o/`, `"oci://ghcr.io/${{ github.repository_owner }}/`, "expression expanded inside run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := good
			if tt.old != "" {
				if !strings.Contains(doc, tt.old) {
					t.Fatalf("fixture lacks %q", tt.old)
				}
				doc = strings.Replace(doc, tt.old, tt.new, 1)
			}
			probs := strings.Join(checkWorkflow([]byte(doc)), "\n")
			if tt.want == "" && probs != "" {
				t.Errorf("problems in a good workflow:\n%s", probs)
			}
			if tt.want != "" && !strings.Contains(probs, tt.want) {
				t.Errorf("problems %q, want one containing %q", probs, tt.want)
			}
		})
	}
}
