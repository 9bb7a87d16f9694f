package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// configTargets runs trawl config and returns, per result target, its
// type and failed check IDs.
func configTargets(t *testing.T, args ...string) map[string]string {
	t.Helper()
	out, errOut, code := run(t, append([]string{"config", "-f", "json", "--quiet"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rep.Results {
		var ids []string
		for _, m := range r.Misconfigurations {
			ids = append(ids, m.ID)
		}
		slices.Sort(ids)
		got[r.Target] = r.Type + " " + strings.Join(slices.Compact(ids), ",")
	}
	return got
}

// TestFilePatternsAndMisconfigScanners: --file-patterns adds files of a
// type, --misconfig-scanners keeps only the types it names, and bad
// values are one-line errors.
func TestFilePatternsAndMisconfigScanners(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Dockerfile"), "FROM alpine:3.20\nUSER app\nHEALTHCHECK NONE\n")
	writeFile(t, filepath.Join(dir, "build", "Customfile"), "FROM alpine:3.20\nHEALTHCHECK NONE\n")
	writeFile(t, filepath.Join(dir, "compose.yaml"), "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    read_only: true\n    mem_limit: 1g\n")
	writeFile(t, filepath.Join(dir, "ops", "stack.yml"), "services:\n  db:\n    image: postgres\n    read_only: true\n    mem_limit: 1g\n")
	cache := t.TempDir()

	for _, tt := range []struct {
		name string
		args []string
		want map[string]string
	}{
		{"defaults", nil, map[string]string{
			"Dockerfile":   "dockerfile ",
			"compose.yaml": "compose TRL-DC-0001",
		}},
		{"file patterns", []string{"--file-patterns", "dockerfile:Customfile", "--file-patterns", `compose:stack\.yml$`}, map[string]string{
			"Dockerfile":       "dockerfile ",
			"build/Customfile": "dockerfile DS-0002",
			"compose.yaml":     "compose TRL-DC-0001",
			"ops/stack.yml":    "compose TRL-DC-0009",
		}},
		{"compose only", []string{"--misconfig-scanners", "compose", "--file-patterns", "dockerfile:Customfile"}, map[string]string{
			"compose.yaml": "compose TRL-DC-0001",
		}},
		{"dockerfile only", []string{"--misconfig-scanners", "Dockerfile", "--file-patterns", "dockerfile:Customfile"}, map[string]string{
			"Dockerfile":       "dockerfile ",
			"build/Customfile": "dockerfile DS-0002",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := configTargets(t, append(tt.args, "--cache-dir", cache, dir)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--file-patterns", "dockerfile:("}, `--file-patterns: file pattern "dockerfile:(": error parsing regexp`},
		{[]string{"--file-patterns", "Customfile"}, "want TYPE:REGEX"},
		{[]string{"--file-patterns", "terraform:main"}, `unsupported type "terraform"`},
		{[]string{"--misconfig-scanners", "ansible"}, "--misconfig-scanners ansible: not built yet"},
		{[]string{"--cf-params", filepath.Join(dir, "Dockerfile")}, "--cf-params " + filepath.Join(dir, "Dockerfile") + ": want a JSON list"},
		{[]string{"--cf-params", filepath.Join(dir, "missing.json")}, "--cf-params " + filepath.Join(dir, "missing.json") + ": stat"},
		{[]string{"--misconfig-scanners", "dockerfile,k8s"}, `--misconfig-scanners "k8s" is not a configuration type`},
	} {
		_, errOut, code := run(t, append([]string{"config", "--quiet", "--cache-dir", cache}, append(tt.args, dir)...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestFilePatternsCloudTypes: --file-patterns names the one-file cloud
// types too (cloudformation, azure-arm, terraformplan-json): a template
// whose name no rule finds is checked as the pattern's type.
func TestFilePatternsCloudTypes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "infra", "queue.template"), "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {}\n")
	writeFile(t, filepath.Join(dir, "plans", "tfplan.txt"), `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
  {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "values": {"name": "q"}}]}}}`+"\n")
	cache := t.TempDir()
	if got := configTargets(t, "--cache-dir", cache, dir); len(got) != 0 {
		t.Errorf("without patterns: %v, want no targets", got)
	}
	got := configTargets(t, "--cache-dir", cache, "--file-patterns", `cloudformation:\.template$`,
		"--file-patterns", `terraformplan-json:^plans/`, dir)
	want := map[string]string{
		"infra/queue.template": "cloudformation AWS-0096",
		"plans/tfplan.txt":     "terraformplan-json AWS-0096",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
}

// TestFilePatternsImageCache: image layers are cached; a layer analysed
// without --file-patterns is analysed again with them (the patterns are
// part of the cache key), so the pattern's file is found.
func TestFilePatternsImageCache(t *testing.T) {
	archive := writeArchive(t, testImage(t, map[string]string{"app/Customfile": "FROM alpine:3.20\nHEALTHCHECK NONE\n"}))
	cache := t.TempDir()
	targets := func(args ...string) []string {
		out, errOut, code := run(t, append([]string{"image", "--input", archive, "--scanners", "misconfig", "--image-config-scanners", "none",
			"-f", "json", "--quiet", "--cache-dir", cache}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var rep model.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rep.Results {
			if r.Class == model.ClassConfig {
				got = append(got, r.Target)
			}
		}
		return got
	}
	if got := targets(); len(got) != 0 {
		t.Fatalf("without the pattern: %v", got)
	}
	if got := targets("--file-patterns", "dockerfile:Customfile"); !slices.Equal(got, []string{"app/Customfile"}) {
		t.Errorf("with the pattern, same cache: %v", got)
	}
}
