package lockfile

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Analyzer)(nil)

// parseLines reports one package per line of the form name@version; a line
// "bad" is an error.
func parseLines(r io.Reader) ([]model.Package, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []model.Package
	for _, l := range strings.Fields(string(b)) {
		if l == "bad" {
			return nil, errors.New("bad line")
		}
		name, version, _ := strings.Cut(l, "@")
		out = append(out, model.Package{ID: l, Name: name, Version: version})
	}
	return out, nil
}

func TestAnalyzer(t *testing.T) {
	a := New("test-lock", 3, "testtype", func(p string) bool { return Base(p) == "test.lock" }, parseLines)
	if a.Name() != "test-lock" || a.Version() != 3 {
		t.Errorf("Name, Version = %q, %d", a.Name(), a.Version())
	}
	for path, want := range map[string]bool{"test.lock": true, "a/b/test.lock": true, "a/test.lock.bak": false, "test.lock/x": false} {
		if got := a.Required(path, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", path, got, want)
		}
	}
	ctx := context.Background()
	res, err := a.Analyze(ctx, analyze.Input{Path: "a/test.lock", Content: []byte("x@1\ny@2\n")})
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: "testtype", FilePath: "a/test.lock", Packages: []model.Package{
		{ID: "x@1", Name: "x", Version: "1"}, {ID: "y@2", Name: "y", Version: "2"},
	}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: "a/test.lock", Content: []byte("\n")}); res != nil || err != nil {
		t.Errorf("no packages: got %v, %v; want nil, nil", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: "a/test.lock", Content: []byte("bad")}); err == nil || err.Error() != "a/test.lock: bad line" {
		t.Errorf("error = %v, want the path and the parser's error", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, analyze.Input{Path: "a/test.lock", Content: []byte("x@1")}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestBase(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", "a/b": "b", "a/b/": "", "/c": "c"} {
		if got := Base(in); got != want {
			t.Errorf("Base(%q) = %q, want %q", in, got, want)
		}
	}
}
