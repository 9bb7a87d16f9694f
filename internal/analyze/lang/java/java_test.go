package java

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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

func TestPomPostAnalyze(t *testing.T) {
	files := fstest.MapFS{
		// An aggregator and its module: one set, the module's packages in it.
		"proj/pom.xml": {Data: []byte(`<project><groupId>g</groupId><artifactId>agg</artifactId><version>1</version>
<modules><module>mod</module></modules>
<dependencyManagement><dependencies><dependency><groupId>com.acme</groupId><artifactId>acme-bom</artifactId><version>1.0</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
</project>`)},
		"proj/mod/pom.xml": {Data: []byte(`<project><parent><groupId>g</groupId><artifactId>agg</artifactId><version>1</version></parent>
<artifactId>mod</artifactId>
<dependencies><dependency><groupId>com.acme</groupId><artifactId>acme-logging</artifactId></dependency></dependencies>
</project>`)},
		// A pom.xml that is nobody's module: its own set.
		"other/pom.xml": {Data: []byte(`<project><groupId>g</groupId><artifactId>other</artifactId><version>2</version></project>`)},
		"bad/pom.xml":   {Data: []byte(`<notpom/>`)},
	}
	// The BOM (acme-logging 3.1) is in the pom parser's test repository.
	repo := filepath.Join("..", "..", "..", "parse", "java", "pom", "testdata", "repo")
	res, err := NewPomWithRepository(repo).PostAnalyze(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, set := range res.Applications {
		if set.Type != model.TypePom {
			t.Errorf("type %s", set.Type)
		}
		for _, p := range set.Packages {
			got[set.FilePath] = append(got[set.FilePath], p.ID+" "+p.Relationship)
		}
	}
	want := map[string][]string{
		"proj/pom.xml":  {"com.acme:acme-logging@3.1 direct", "g:agg@1 root", "g:mod@1 workspace"},
		"other/pom.xml": {"g:other@2 root"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != "bad/pom.xml" {
		t.Errorf("warnings %+v", res.Warnings)
	}
	// Without the repository the BOM is missing: acme-logging has no
	// version and is a warning, not a guess.
	res, err = NewPom().PostAnalyze(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, w := range res.Warnings {
		reasons = append(reasons, w.Path+": "+w.Reason)
	}
	if len(reasons) != 3 || !strings.Contains(reasons[1], "acme-bom:1.0 not in the local repository") || !strings.Contains(reasons[2], "com.acme:acme-logging (proj/mod/pom.xml)") {
		t.Errorf("warnings:\n%s", strings.Join(reasons, "\n"))
	}
}

func TestDefaultMavenRepository(t *testing.T) {
	env := map[string]string{"MAVEN_HOME": "/opt/maven"}
	getenv := func(k string) string { return env[k] }
	dirs := map[string]bool{}
	isDir := func(p string) bool { return dirs[p] }
	if got := DefaultMavenRepository(getenv, "/home/u", isDir); got != "" {
		t.Errorf("no directory: %q", got)
	}
	dirs[filepath.Join("/opt/maven", "repository")] = true
	if got := DefaultMavenRepository(getenv, "/home/u", isDir); got != filepath.Join("/opt/maven", "repository") {
		t.Errorf("MAVEN_HOME fallback: %q", got)
	}
	dirs[filepath.Join("/home/u", ".m2", "repository")] = true
	if got := DefaultMavenRepository(getenv, "/home/u", isDir); got != filepath.Join("/home/u", ".m2", "repository") {
		t.Errorf("~/.m2 first: %q", got)
	}
}
