package csproj

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseResolve(t *testing.T) {
	app, err := os.ReadFile("testdata/app.csproj")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       string
		central  map[string]string
		want     []string // ID lines
		warnings int
		wantErr  bool
	}{
		{
			name: "app, no central versions", in: string(app),
			want: []string{
				"Dapper@2.1.24 9-11", "Exact@1.2.3 14-14", "Minimum@2.0.0 15-15",
				"Newtonsoft.Json@13.0.1 6-6,19-19", "Polly@8.0.0 8-8",
			},
			// Serilog (no version), Floating, Range, FromProperty.
			warnings: 4,
		},
		{
			name: "app with central versions", in: string(app), central: map[string]string{"serilog": "3.1.1", "polly": "7.0.0"},
			want: []string{
				"Dapper@2.1.24 9-11", "Exact@1.2.3 14-14", "Minimum@2.0.0 15-15",
				"Newtonsoft.Json@13.0.1 6-6,19-19", "Polly@8.0.0 8-8", "Serilog@3.1.1 7-7",
			},
			warnings: 3,
		},
		{name: "update only", in: `<Project><ItemGroup><PackageReference Update="A" Version="1"/><PackageReference Version="2"/></ItemGroup></Project>`, want: []string{"A@1 1-1"}},
		{name: "empty", in: `<Project/>`},
		{name: "not a project", in: `<Package/>`, wantErr: true},
		{name: "nothing", in: ``, wantErr: true},
		{name: "broken", in: `<Project><ItemGroup><PackageReference Include="a" Version="1"></ItemGroup>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs, err := Parse(context.Background(), []byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("want error, got %+v", refs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pkgs, warnings := Resolve(refs, tt.central)
			var got []string
			for _, p := range pkgs {
				var locs []string
				for _, l := range p.Locations {
					locs = append(locs, fmt.Sprintf("%d-%d", l.StartLine, l.EndLine))
				}
				got = append(got, p.ID+" "+strings.Join(locs, ","))
				if p.Ecosystem != Ecosystem || p.Relationship != "direct" {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", warnings, tt.warnings)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/app.csproj"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<Project><ItemGroup><PackageReference Include="a" Version="[1,2)"/></ItemGroup></Project>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		refs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		pkgs, _ := Resolve(refs, map[string]string{"a": "1"})
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || strings.Contains(p.Version, "$(") || strings.Contains(p.Version, "*") {
				t.Fatalf("bad package %+v", p)
			}
			if p.Locations[0].StartLine < 1 || p.Locations[0].EndLine < p.Locations[0].StartLine {
				t.Fatalf("bad location %+v", p.Locations)
			}
		}
	})
}
