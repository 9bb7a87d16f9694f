package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type entry struct {
	name string
	body string
	typ  byte // tar.TypeReg when zero
	link string
}

// tgz builds a gzip-compressed tar of the entries, in order.
func tgz(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hd := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: typ, Linkname: e.link}
		if typ == tar.TypeReg {
			hd.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hd); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const chartYAML = "apiVersion: v2\nname: app\nversion: 0.1.0\n"

const podTemplate = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}
spec:
  containers:
    - name: c
      image: {{ .Values.image }}
      securityContext:
        runAsNonRoot: {{ .Values.nonRoot }}
`

func testChart(t *testing.T, extra ...entry) []byte {
	base := []entry{
		{name: "app/Chart.yaml", body: chartYAML},
		{name: "app/values.yaml", body: "image: nginx\nnonRoot: true\n"},
		{name: "app/templates/pod.yaml", body: podTemplate},
	}
	return tgz(t, append(base, extra...)...)
}

// bomb is a small archive whose one file decompresses to size zero bytes.
func bomb(t *testing.T, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: "app/Chart.yaml", Mode: 0o644, Size: int64(len(chartYAML)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(chartYAML))
	if err := tw.WriteHeader(&tar.Header{Name: "app/templates/big.yaml", Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		tw.Write(zeros[:min(int64(len(zeros)), size-n)])
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestReadArchiveRefuses(t *testing.T) {
	nested := testChart(t)
	for range MaxNesting + 1 {
		nested = tgz(t, entry{name: "app/Chart.yaml", body: chartYAML}, entry{name: "app/charts/sub.tgz", body: string(nested)})
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"parent directory", testChart(t, entry{name: "app/../../etc/passwd", body: "x"}), "leaves the chart folder"},
		{"parent directory inside", testChart(t, entry{name: "app/templates/../../x.yaml", body: "x"}), "leaves the chart folder"},
		{"absolute path", testChart(t, entry{name: "/etc/passwd", body: "x"}), "outside the chart's top-level folder"},
		{"symlink", testChart(t, entry{name: "app/templates/l.yaml", typ: tar.TypeSymlink, link: "/etc/passwd"}), "links and special files"},
		{"hard link", testChart(t, entry{name: "app/templates/l.yaml", typ: tar.TypeLink, link: "app/Chart.yaml"}), "links and special files"},
		{"two top-level folders", testChart(t, entry{name: "other/x.yaml", body: "x"}), "more than one top-level folder"},
		{"file at the top", tgz(t, entry{name: "Chart.yaml", body: chartYAML}), "outside the chart's top-level folder"},
		{"decompression bomb", bomb(t, MaxChartSize+1), "larger than"},
		{"nested subcharts", nested, "nested more than"},
		{"not gzip", []byte("apiVersion: v1\n"), "not a gzip archive"},
		{"empty", tgz(t), "no files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadArchive(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestReadArchiveBombIsSmall: the bomb used above is a small archive, so
// the cap, not the archive size, is what stops it.
func TestReadArchiveBombIsSmall(t *testing.T) {
	if n := len(bomb(t, MaxChartSize+1)); n > MaxChartSize/100 {
		t.Fatalf("bomb is %d bytes compressed", n)
	}
}

func TestReadArchivePackagedSubchart(t *testing.T) {
	sub := tgz(t, entry{name: "sub/Chart.yaml", body: "apiVersion: v2\nname: sub\nversion: 1.0.0\n"},
		entry{name: "sub/templates/cm.yaml", body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n"})
	files, err := ReadArchive(testChart(t, entry{name: "app/charts/sub-1.0.0.tgz", body: string(sub)}))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	got := strings.Join(names, " ")
	if want := "Chart.yaml values.yaml templates/pod.yaml charts/sub-1.0.0.tgz.d/Chart.yaml charts/sub-1.0.0.tgz.d/templates/cm.yaml"; got != want {
		t.Fatalf("files %s, want %s", got, want)
	}
}

func TestRender(t *testing.T) {
	dir := t.TempDir()
	valuesFile := filepath.Join(dir, "v.yaml")
	if err := os.WriteFile(valuesFile, []byte("image: redis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	imgFile := filepath.Join(dir, "img.txt")
	if err := os.WriteFile(imgFile, []byte("busybox"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := tgz(t, entry{name: "sub/Chart.yaml", body: "apiVersion: v2\nname: sub\nversion: 1.0.0\n"},
		entry{name: "sub/templates/cm.yaml", body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.cm }}\n"},
		entry{name: "sub/values.yaml", body: "cm: from-sub\n"})
	hook := entry{name: "app/templates/tests/t.yaml", body: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n"}
	tests := []struct {
		name  string
		chart []byte
		opts  Options
		want  map[string][]string // path → substrings of its manifest
		err   string
	}{
		{name: "defaults", chart: testChart(t, hook), want: map[string][]string{"templates/pod.yaml": {"# Source: app/templates/pod.yaml\n", "name: app", "image: nginx", "runAsNonRoot: true"}}},
		{name: "values file", chart: testChart(t), opts: Options{ValueFiles: []string{valuesFile}}, want: map[string][]string{"templates/pod.yaml": {"image: redis", "runAsNonRoot: true"}}},
		{name: "set after values file", chart: testChart(t), opts: Options{ValueFiles: []string{valuesFile}, Values: []string{"image=alpine", "nonRoot=false"}}, want: map[string][]string{"templates/pod.yaml": {"image: alpine", "runAsNonRoot: false"}}},
		{name: "set-string", chart: testChart(t), opts: Options{StringValues: []string{"nonRoot=false"}}, want: map[string][]string{"templates/pod.yaml": {"runAsNonRoot: false"}}},
		{name: "set-file", chart: testChart(t), opts: Options{FileValues: []string{"image=" + imgFile}}, want: map[string][]string{"templates/pod.yaml": {"image: busybox"}}},
		{name: "packaged subchart", chart: testChart(t, entry{name: "app/charts/sub-1.0.0.tgz", body: string(sub)}), want: map[string][]string{
			"templates/pod.yaml": {"image: nginx"}, "charts/sub/templates/cm.yaml": {"# Source: app/charts/sub/templates/cm.yaml", "name: from-sub"}}},
		{name: "api versions", chart: testChart(t, entry{name: "app/templates/pdb.yaml", body: "{{ if .Capabilities.APIVersions.Has \"example.com/v9\" }}apiVersion: example.com/v9\nkind: Thing\nmetadata:\n  name: t\n{{ end }}"}),
			opts: Options{APIVersions: []string{"example.com/v9"}}, want: map[string][]string{"templates/pod.yaml": nil, "templates/pdb.yaml": {"kind: Thing"}}},
		{name: "kube version", chart: testChart(t, entry{name: "app/templates/v.yaml", body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v{{ .Capabilities.KubeVersion.Minor }}\n"}),
			opts: Options{KubeVersion: "1.21.0"}, want: map[string][]string{"templates/pod.yaml": nil, "templates/v.yaml": {"name: v21"}}},
		{name: "lookup is empty", chart: testChart(t, entry{name: "app/templates/l.yaml", body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n{{ len (lookup \"v1\" \"Secret\" \"default\" \"x\") }}\n"}),
			want: map[string][]string{"templates/pod.yaml": nil, "templates/l.yaml": {"name: n0"}}},
		{name: "failing template", chart: testChart(t, entry{name: "app/templates/bad.yaml", body: "{{ fail \"no way\" }}"}), err: "no way"},
		{name: "undefined include", chart: testChart(t, entry{name: "app/templates/bad.yaml", body: "{{ include \"nope\" . }}"}), err: "nope"},
		{name: "runaway include", chart: testChart(t, entry{name: "app/templates/_r.tpl", body: "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}"}, entry{name: "app/templates/r.yaml", body: "{{ include \"r\" . }}"}), err: "nested reference"},
		{name: "incompatible kube version", chart: tgz(t, entry{name: "app/Chart.yaml", body: chartYAML + "kubeVersion: '>=1.30.0'\n"}, entry{name: "app/templates/pod.yaml", body: "x: 1\n"}),
			opts: Options{KubeVersion: "1.21.0"}, err: "incompatible"},
		{name: "bad Chart.yaml", chart: tgz(t, entry{name: "app/Chart.yaml", body: "name: [\n"}, entry{name: "app/templates/pod.yaml", body: "x: 1\n"}), err: "Chart.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRenderer(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := r.Render(context.Background(), tt.chart)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, m := range ms {
				got[m.Path] = string(m.Content)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("manifests %v, want paths of %v", got, tt.want)
			}
			for p, subs := range tt.want {
				for _, s := range subs {
					if !strings.Contains(got[p], s) {
						t.Errorf("%s: %q lacks %q", p, got[p], s)
					}
				}
			}
		})
	}
}

func TestNewRendererRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("a: [\n"), 0o644)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing values file", Options{ValueFiles: []string{filepath.Join(dir, "nope.yaml")}}, "nope.yaml"},
		{"bad values file", Options{ValueFiles: []string{bad}}, "bad.yaml"},
		{"set-file without path", Options{FileValues: []string{"a"}}, "key=path"},
		{"bad kube version", Options{KubeVersion: "banana"}, "banana"},
		{"bad set", Options{Values: []string{"noequals"}}, "noequals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRenderer(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
