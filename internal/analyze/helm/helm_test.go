package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

func names(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out []string
	for {
		hd, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hd.Name)
	}
	return strings.Join(out, " ")
}

func TestPostAnalyze(t *testing.T) {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name  string
		files fstest.MapFS
		want  map[string]string // FilePath → archive entries
	}{
		{
			name: "chart at the root",
			files: fstest.MapFS{
				"Chart.yaml": f("name: a"), "values.yaml": f("x: 1"), "templates/pod.yaml": f("{{ .x }}"),
			},
			want: map[string]string{"Chart.yaml": "chart/Chart.yaml chart/templates/pod.yaml chart/values.yaml"},
		},
		{
			name: "subchart folder goes with its parent",
			files: fstest.MapFS{
				"deploy/app/Chart.yaml": f("name: a"), "deploy/app/templates/pod.yaml": f("x"),
				"deploy/app/charts/sub/Chart.yaml": f("name: s"), "deploy/app/charts/sub/templates/cm.yaml": f("x"),
				"other/values.yaml": f("x: 1"),
			},
			want: map[string]string{"deploy/app/Chart.yaml": "app/Chart.yaml app/charts/sub/Chart.yaml app/charts/sub/templates/cm.yaml app/templates/pod.yaml"},
		},
		{
			name:  "Chart.yaml without templates is no chart",
			files: fstest.MapFS{"lib/Chart.yaml": f("name: a"), "lib/values.yaml": f("x: 1")},
			want:  map[string]string{},
		},
		{
			name: "two charts",
			files: fstest.MapFS{
				"a/Chart.yaml": f("name: a"), "a/templates/x.yaml": f("x"),
				"b/Chart.yaml": f("name: b"), "b/templates/y.yaml": f("y"),
			},
			want: map[string]string{"a/Chart.yaml": "a/Chart.yaml a/templates/x.yaml", "b/Chart.yaml": "b/Chart.yaml b/templates/y.yaml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New().PostAnalyze(context.Background(), tt.files)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range res.ConfigFiles {
				if c.Type != Type {
					t.Errorf("%s: type %q", c.FilePath, c.Type)
				}
				got[c.FilePath] = names(t, c.Content)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("charts %v, want %v", got, tt.want)
			}
			for p, w := range tt.want {
				if got[p] != w {
					t.Errorf("%s: entries %q, want %q", p, got[p], w)
				}
			}
		})
	}
}

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"app/Chart.yaml", true},
		{"app/values.yaml", true},
		{"app/.helmignore", true},
		{"app/templates/_helpers.tpl", true},
		{"app/templates/NOTES.txt", true},
		{"app/templates/sub/deploy.yml", true},
		{"app/charts/common-1.0.0.tgz", true},
		{"app/charts/common/templates/x.yaml", true},
		{"web/templates/index.html", false},
		{"src/main.go", false},
		{"node_modules/x/Chart.yaml", false},
		{"app/templates.tgz", false},
	}
	for _, tt := range tests {
		if got := New().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestIsChartArchive(t *testing.T) {
	mk := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for _, n := range names {
			tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg})
			tw.Write([]byte("x"))
		}
		tw.Close()
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"chart", mk("app/templates/x.yaml", "app/Chart.yaml"), true},
		{"Chart.yaml at the top", mk("Chart.yaml"), false},
		{"Chart.yaml too deep", mk("a/b/Chart.yaml"), false},
		{"other archive", mk("pkg/setup.py"), false},
		{"not gzip", []byte("hello"), false},
	}
	for _, tt := range tests {
		if got := IsChartArchive(tt.data); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
