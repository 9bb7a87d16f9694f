package dotnet

import (
	"context"
	"io/fs"
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
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return 10 }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

func TestRequired(t *testing.T) {
	reg := fileInfo{"x", 0o644}
	tests := []struct {
		a    analyze.Analyzer
		path string
		info fs.FileInfo
		want bool
	}{
		{NewNugetLock(), "src/App/packages.lock.json", reg, true},
		{NewNugetLock(), "src/App/package-lock.json", reg, false},
		{NewNugetConfig(), "packages.config", nil, true},
		{NewNugetConfig(), "web.config", reg, false},
		{NewPackagesProps(), "Directory.Packages.props", reg, true},
		{NewCsproj(), "src/App/App.csproj", reg, true},
		{NewCsproj(), "src/App/APP.CSPROJ", nil, true},
		{NewCsproj(), "src/Directory.Packages.props", reg, true},
		{NewCsproj(), ".csproj", reg, false},
		{NewCsproj(), "src/App/App.fsproj", reg, false},
		{NewCsproj(), "src/App/App.csproj", fileInfo{"App.csproj", fs.ModeSymlink}, false},
		{NewPackagesProps(), "sub/directory.packages.props", reg, true},
		{NewPackagesProps(), "Packages.props", reg, true},
		{NewPackagesProps(), "Directory.Build.props", reg, false},
		{NewDepsJSON(), "app/App.deps.json", reg, true},
		{NewDepsJSON(), "app/.deps.json", reg, false},
		{NewDepsJSON(), "app/App.runtimeconfig.json", reg, false},
		{NewDepsJSON(), "app/App.deps.json", fileInfo{"d", fs.ModeDir | 0o755}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, tt.info); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		a        analyze.Analyzer
		path     string
		content  string
		wantType string
		want     []string
		wantErr  bool
	}{
		{NewNugetLock(), "packages.lock.json", `{"version":1,"dependencies":{"net8.0":{"Serilog":{"type":"Direct","resolved":"3.1.1"}}}}`, model.TypeNuget, []string{"Serilog@3.1.1"}, false},
		{NewNugetLock(), "packages.lock.json", `{"version":1,"dependencies":{}}`, "", nil, false},
		{NewNugetLock(), "packages.lock.json", `{`, "", nil, true},
		{NewNugetConfig(), "packages.config", `<packages><package id="A" version="1.0"/></packages>`, model.TypeNuget, []string{"A@1.0"}, false},
		{NewPackagesProps(), "Directory.Packages.props", `<Project><ItemGroup><PackageVersion Include="B" Version="2.0"/></ItemGroup></Project>`, "packages-props", []string{"B@2.0"}, false},
		{NewDepsJSON(), "app/App.deps.json", `{"runtimeTarget":{"name":"t"},"targets":{"t":{"C/3.0":{"runtime":{"c.dll":{}}}}},"libraries":{"C/3.0":{"type":"package"}}}`, model.TypeDotNetCore, []string{"C@3.0"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.a.Name(), func(t *testing.T) {
			res, err := tt.a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantType == "" {
				if res != nil {
					t.Fatalf("Analyze = %+v, want nil", res)
				}
				return
			}
			if res == nil || len(res.Applications) != 1 || res.Applications[0].Type != tt.wantType || res.Applications[0].FilePath != tt.path {
				t.Fatalf("Analyze = %+v", res)
			}
			var got []string
			for _, p := range res.Applications[0].Packages {
				got = append(got, p.ID)
				if p.Ecosystem != "NuGet" {
					t.Errorf("%s: ecosystem %q", p.ID, p.Ecosystem)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("packages = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCsprojPostAnalyze(t *testing.T) {
	proj := func(refs string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n" + refs + "  </ItemGroup>\n</Project>\n")}
	}
	files := fstest.MapFS{
		"Directory.Packages.props": {Data: []byte(`<Project><ItemGroup><PackageVersion Include="Serilog" Version="3.1.1"/><PackageVersion Include="Polly" Version="7.0.0"/></ItemGroup></Project>`)},
		// Central versions from the root props; VersionOverride wins.
		"src/App/App.csproj": proj("    <PackageReference Include=\"serilog\" />\n    <PackageReference Include=\"Polly\" VersionOverride=\"8.0.0\" />\n"),
		// The nearest props wins over the root one.
		"src/Lib/Directory.Packages.props": {Data: []byte(`<Project><ItemGroup><PackageVersion Include="Serilog" Version="2.0.0"/></ItemGroup></Project>`)},
		"src/Lib/Lib.csproj":               proj("    <PackageReference Include=\"Serilog\" />\n    <PackageReference Include=\"Unknown\" />\n"),
		"bad/Bad.csproj":                   {Data: []byte("<Project><ItemGroup>")},
	}
	res, err := NewCsproj().PostAnalyze(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, set := range res.Applications {
		if set.Type != TypeCsproj {
			t.Errorf("type %s", set.Type)
		}
		for _, p := range set.Packages {
			got[set.FilePath] = append(got[set.FilePath], p.ID+" "+p.Relationship+" "+p.Ecosystem)
			if len(p.Locations) != 1 || p.Locations[0].StartLine < 3 {
				t.Errorf("%s: locations %+v", p.ID, p.Locations)
			}
		}
	}
	want := map[string][]string{
		"src/App/App.csproj": {"Polly@8.0.0 direct NuGet", "serilog@3.1.1 direct NuGet"},
		"src/Lib/Lib.csproj": {"Serilog@2.0.0 direct NuGet"},
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s: got %v, want %v", k, got[k], w)
		}
	}
	var warned []string
	for _, w := range res.Warnings {
		warned = append(warned, w.Path)
	}
	if strings.Join(warned, " ") != "bad/Bad.csproj src/Lib/Lib.csproj" {
		t.Errorf("warnings %+v", res.Warnings)
	}
	// One project file on its own: no central versions.
	r, err := NewCsproj().Analyze(context.Background(), analyze.Input{Path: "App.csproj", Content: files["src/App/App.csproj"].Data})
	if err != nil || len(r.Applications) != 1 || len(r.Applications[0].Packages) != 1 || len(r.Warnings) != 1 {
		t.Errorf("Analyze: %+v %v", r, err)
	}
}
