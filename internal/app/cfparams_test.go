package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadCfParams: the three --cf-params forms (the AWS CLI's list, a
// flat object, CodePipeline's {"Parameters": {…}} template
// configuration) give the same values, later files win, and a file of
// none of these forms is an error naming it.
func TestReadCfParams(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := map[string]any{"Env": "prod", "Encrypt": "true"}
	for _, tt := range []struct{ name, content string }{
		{"list.json", `[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Encrypt", "ParameterValue": "true"}]`},
		{"object.json", `{"Env": "prod", "Encrypt": "true"}`},
		{"pipeline.json", `{"Parameters": {"Env": "prod", "Encrypt": "true"}, "Tags": {"team": "infra"}, "StackPolicy": {"Statement": []}}`},
	} {
		got, err := readCfParams([]string{write(tt.name, tt.content)})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	got, err := readCfParams([]string{filepath.Join(dir, "list.json"), write("later.json", `{"Parameters": {"Env": "dev"}}`)})
	if err != nil || got["Env"] != "dev" || got["Encrypt"] != "true" {
		t.Errorf("later file: %v %v, want Env dev, Encrypt true", got, err)
	}
	bad := write("bad.json", `"prod"`)
	if _, err := readCfParams([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad file: %v, want an error naming %s", err, bad)
	}
}
