package conan

import (
	"context"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestRequired(t *testing.T) {
	a := NewLock()
	for p, want := range map[string]bool{"conan.lock": true, "cpp/conan.lock": true, "conanfile.txt": false, "Cargo.lock": false} {
		if got := a.Required(p, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	a := NewLock()
	res, err := a.Analyze(context.Background(), analyze.Input{Path: "conan.lock", Content: []byte(`{"version":"0.5","requires":["zlib/1.3#r%1","x"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applications) != 1 || res.Applications[0].Type != model.TypeConanLock || len(res.Applications[0].Packages) != 1 ||
		res.Applications[0].Packages[0].ID != "zlib@1.3" || res.Applications[0].Packages[0].Ecosystem != "ConanCenter" {
		t.Errorf("Analyze = %+v", res)
	}
	if len(res.Warnings) != 1 {
		t.Errorf("warnings = %+v, want 1", res.Warnings)
	}
	if res, err := a.Analyze(context.Background(), analyze.Input{Path: "conan.lock", Content: []byte(`{"version":"0.5"}`)}); err != nil || res != nil {
		t.Errorf("empty lock: %+v, %v", res, err)
	}
	if _, err := a.Analyze(context.Background(), analyze.Input{Path: "conan.lock", Content: []byte(`nope`)}); err == nil {
		t.Error("want error")
	}
}
