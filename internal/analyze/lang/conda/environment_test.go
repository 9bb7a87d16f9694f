package conda

import (
	"context"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
)

func TestEnvironment(t *testing.T) {
	a := NewEnvironment()
	for path, want := range map[string]bool{"environment.yml": true, "envs/environment.yaml": true, "environment.json": false, "my-environment.yml": false} {
		if a.Required(path, nil) != want {
			t.Errorf("Required(%q) = %v", path, !want)
		}
	}
	res, err := a.Analyze(context.Background(), analyze.Input{Path: "environment.yml", Content: []byte("dependencies:\n  - numpy=1.26.4\n  - pip:\n      - django==5.0.6\n")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applications) != 2 || res.Applications[0].Packages[0].Name != "numpy" || res.Applications[1].Packages[0].Ecosystem != "PyPI" {
		t.Errorf("result = %+v", res.Applications)
	}
	if _, err := a.Analyze(context.Background(), analyze.Input{Path: "environment.yml", Content: []byte("dependencies:\n  - 1\n")}); err == nil {
		t.Error("want an error for a number dependency")
	}
}
