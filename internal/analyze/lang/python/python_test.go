package python

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var (
	_ analyze.Analyzer = (*Pip)(nil)
	_ analyze.Analyzer = (*Pipenv)(nil)
	_ analyze.Analyzer = (*Poetry)(nil)
	_ analyze.Analyzer = (*Uv)(nil)
	_ analyze.Analyzer = (*Packaging)(nil)
)

func TestRequired(t *testing.T) {
	dirFS := fstest.MapFS{"x.egg-info": {Mode: fs.ModeDir}, "y.egg-info": {Data: []byte("Name: y")}}
	dir, _ := fs.Stat(dirFS, "x.egg-info")
	file, _ := fs.Stat(dirFS, "y.egg-info")
	tests := []struct {
		a    analyze.Analyzer
		path string
		info fs.FileInfo
		want bool
	}{
		{NewPip(), "requirements.txt", nil, true},
		{NewPip(), "app/requirements-dev.txt", nil, true},
		{NewPip(), "app/requirements.in", nil, false},
		{NewPip(), "app/dev-requirements.txt", nil, false},
		{NewPipenv(), "app/Pipfile.lock", nil, true},
		{NewPipenv(), "app/Pipfile", nil, false},
		{NewPoetry(), "poetry.lock", nil, true},
		{NewUv(), "a/uv.lock", nil, true},
		{NewUv(), "a/uv.lock.orig", nil, false},
		{NewPackaging(), "usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO", nil, true},
		{NewPackaging(), "usr/local/lib/python3.11/site-packages/flask-2.0.0.dist-info/METADATA", nil, true},
		{NewPackaging(), "usr/lib/python3/dist-packages/six-1.16.0.egg-info", file, true},
		{NewPackaging(), "usr/lib/python3/dist-packages/six-1.16.0.egg-info", dir, false},
		{NewPackaging(), "site-packages/x.egg/EGG-INFO/PKG-INFO", nil, true},
		{NewPackaging(), "site-packages/flask-2.0.0.dist-info/RECORD", nil, false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, tt.info); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		a       analyze.Analyzer
		path    string
		content string
		want    *analyze.Result
	}{
		{
			a: NewPip(), path: "requirements.txt", content: "Flask==2.0.0\nrequests>=2\n",
			want: &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypePip, FilePath: "requirements.txt",
				Packages: []model.Package{{ID: "flask@2.0.0", Name: "Flask", Version: "2.0.0", Ecosystem: "PyPI",
					Relationship: model.RelationshipUnknown, Locations: []model.Location{{StartLine: 1, EndLine: 1}}}}}}},
		},
		{a: NewPip(), path: "requirements.txt", content: "requests>=2\n"},
		{
			a: NewPackaging(), path: "site-packages/Flask-2.0.0.dist-info/METADATA", content: "Name: Flask\nVersion: 2.0.0\nLicense: BSD-3-Clause\n",
			want: &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypePythonPkg, FilePath: "site-packages/Flask-2.0.0.dist-info/METADATA",
				Packages: []model.Package{{ID: "flask@2.0.0", Name: "Flask", Version: "2.0.0", Ecosystem: "PyPI",
					Licenses: []string{"BSD-3-Clause"}, FilePath: "site-packages/Flask-2.0.0.dist-info/METADATA"}}}}},
		},
		{
			a: NewUv(), path: "uv.lock", content: "[[package]]\nname = \"a\"\nversion = \"1\"\n",
			want: &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeUv, FilePath: "uv.lock",
				Packages: []model.Package{{ID: "a@1", Name: "a", Version: "1", Ecosystem: "PyPI",
					Relationship: model.RelationshipIndirect, Locations: []model.Location{{StartLine: 1, EndLine: 3}}}}}}},
		},
	}
	for _, tt := range tests {
		got, err := tt.a.Analyze(ctx, analyze.Input{Path: tt.path, Content: []byte(tt.content)})
		if err != nil {
			t.Fatalf("%s: %v", tt.a.Name(), err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.a.Name(), diff)
		}
	}
	for _, a := range []analyze.Analyzer{NewPipenv(), NewPoetry(), NewUv(), NewPackaging()} {
		_, err := a.Analyze(ctx, analyze.Input{Path: "x/broken", Content: []byte("{[")})
		if err == nil || !strings.Contains(err.Error(), "x/broken") {
			t.Errorf("%s: err = %v, want an error naming the file", a.Name(), err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewPip().Analyze(cctx, analyze.Input{Path: "requirements.txt"}); err == nil {
		t.Error("cancelled context: want error")
	}
}
