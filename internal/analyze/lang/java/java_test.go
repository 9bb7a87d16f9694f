package java

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// fileInfo is a synthetic fs.FileInfo.
type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

func mkzip(t testing.TB, kv ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		w, err := zw.Create(kv[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(kv[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRequired(t *testing.T) {
	reg := fileInfo{"x", 10, 0o644}
	tests := []struct {
		a    analyze.Analyzer
		path string
		info fs.FileInfo
		want bool
	}{
		{NewJar(), "app/lib/a.jar", reg, true},
		{NewJar(), "a.WAR", reg, true},
		{NewJar(), "a.ear", nil, true},
		{NewJar(), "plugins/p.hpi", reg, true},
		{NewJar(), "plugins/p.jpi", reg, true},
		{NewJar(), "p.par", reg, true},
		{NewJar(), "a.zip", reg, false},
		{NewJar(), "a.jar", fileInfo{"a.jar", 0, fs.ModeSymlink | 0o777}, false},
		{NewPom(), "svc/pom.xml", reg, true},
		{NewPom(), "svc/pom.xml.bak", reg, false},
		{NewGradle(), "gradle.lockfile", reg, true},
		{NewGradle(), "app/buildscript-gradle.lockfile", reg, false},
		{NewGradle(), "app/settings.gradle.lockfile", reg, true},
		{NewSbt(), "build.sbt.lock", reg, true},
		{NewSbt(), "build.sbt", reg, false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, tt.info); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	war := mkzip(t,
		"META-INF/maven/com.example/web/pom.properties", "groupId=com.example\nartifactId=web\nversion=1.0\n",
		"WEB-INF/lib/bad.jar", "not a zip",
		"WEB-INF/lib/log4j-core-2.14.1.jar", string(mkzip(t, "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n")),
	)
	tests := []struct {
		a        analyze.Analyzer
		path     string
		content  string
		wantType string
		want     []string // "FilePath ID"
		warnings int
		wantErr  bool
	}{
		{NewJar(), "srv/web.war", string(war), model.TypeJar,
			[]string{"srv/web.war com.example:web@1.0", "srv/web.war/WEB-INF/lib/log4j-core-2.14.1.jar org.apache.logging.log4j:log4j-core@2.14.1"}, 1, false},
		{NewJar(), "x.jar", "garbage", "", nil, 0, true},
		{NewJar(), "x.jar", string(mkzip(t, "a", "b")), "", nil, 0, false},
		{NewPom(), "pom.xml", "<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version><dependencies><dependency><groupId>d</groupId><artifactId>e</artifactId><version>${nope}</version></dependency></dependencies></project>", model.TypePom,
			[]string{" g:a@1"}, 1, false},
		{NewPom(), "pom.xml", "<notpom/>", "", nil, 0, true},
		{NewGradle(), "gradle.lockfile", "a:b:1=compileClasspath\nempty=\n", model.TypeGradle, []string{" a:b@1"}, 0, false},
		{NewGradle(), "gradle.lockfile", "empty=\n", "", nil, 0, false},
		{NewSbt(), "build.sbt.lock", `{"lockVersion":1,"dependencies":[{"org":"o","name":"n","version":"1"}]}`, TypeSbt, []string{" o:n@1"}, 0, false},
		{NewSbt(), "build.sbt.lock", `{`, "", nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.a.Name()+"/"+tt.path, func(t *testing.T) {
			res, err := tt.a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Analyze = %+v, want error", res)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res == nil {
				if tt.wantType != "" || tt.warnings != 0 {
					t.Fatal("Analyze = nil")
				}
				return
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("warnings = %+v, want %d", res.Warnings, tt.warnings)
			}
			if tt.wantType == "" {
				if len(res.Applications) != 0 {
					t.Errorf("applications = %+v, want none", res.Applications)
				}
				return
			}
			if len(res.Applications) != 1 || res.Applications[0].Type != tt.wantType || res.Applications[0].FilePath != tt.path {
				t.Fatalf("applications = %+v", res.Applications)
			}
			var got []string
			for _, p := range res.Applications[0].Packages {
				got = append(got, p.FilePath+" "+p.ID)
				if p.Ecosystem != "Maven" {
					t.Errorf("%s: ecosystem %q", p.ID, p.Ecosystem)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("packages = %q, want %q", got, tt.want)
			}
		})
	}
}

// BenchmarkJar200 analyzes a folder of 200 generated jars: each holds 50
// class-like entries, a MANIFEST.MF and a pom.properties; every tenth is a
// war with two nested jars.
func BenchmarkJar200(b *testing.B) {
	type file struct {
		path    string
		content []byte
	}
	var files []file
	filler := strings.Repeat("class bytes ", 200)
	for i := range 200 {
		kv := []string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}
		for j := range 50 {
			kv = append(kv, fmt.Sprintf("com/example/lib%d/C%d.class", i, j), filler)
		}
		kv = append(kv, fmt.Sprintf("META-INF/maven/com.example/lib%d/pom.properties", i), fmt.Sprintf("groupId=com.example\nartifactId=lib%d\nversion=1.%d\n", i, i))
		name := fmt.Sprintf("lib/lib%d-1.%d.jar", i, i)
		if i%10 == 0 {
			inner := string(mkzip(b, "META-INF/maven/n/inner/pom.properties", "groupId=n\nartifactId=inner\nversion=1\n"))
			kv = append(kv, "WEB-INF/lib/inner-1.jar", inner, "WEB-INF/lib/other-2.jar", inner)
			name = fmt.Sprintf("lib/app%d.war", i)
		}
		files = append(files, file{name, mkzip(b, kv...)})
	}
	a := NewJar()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		for _, f := range files {
			res, err := a.Analyze(ctx, analyze.Input{Path: f.path, Content: f.content})
			if err != nil {
				b.Fatal(err)
			}
			n += len(res.Applications[0].Packages)
		}
		if n != 200+2*20 {
			b.Fatalf("%d packages, want 240", n)
		}
	}
}
