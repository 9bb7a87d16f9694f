package packagesprops

import (
	"context"
	"strings"
	"testing"
)

const props = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup Label="a">
    <PackageVersion Include="Newtonsoft.Json" Version=" 13.0.3" />
    <PackageVersion Include="Serilog " Version="3.1.1" />
    <PackageVersion Include="Polly"><Version>8.2.0</Version></PackageVersion>
    <PackageVersion Include="FromVariable" Version="$(SomeVersion)" />
    <PackageVersion Include="$(SomeName)" Version="1.0.0" />
    <PackageVersion Include="" Version="1.0.0" />
    <PackageVersion Include="NoVersion" />
    <WrongEntry Include="Other" Version="1.0.0" />
  </ItemGroup>
  <ItemGroup>
    <PackageReference Update="Microsoft.Extensions.Http" Include="Ignored" Version="3.2.1" />
    <PackageVersion Include="newtonsoft.json" Version="13.0.3" />
  </ItemGroup>
</Project>`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "happy", in: props, want: []string{"Microsoft.Extensions.Http@3.2.1", "Newtonsoft.Json@13.0.3", "Polly@8.2.0", "Serilog@3.1.1", "newtonsoft.json@13.0.3"}},
		{name: "no item group", in: `<Project><PropertyGroup/></Project>`},
		{name: "no project", in: `<ItemGroup><PackageVersion Include="a" Version="1"/></ItemGroup>`, wantErr: true},
		{name: "broken", in: `<Project><ItemGroup>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, err := Parse(context.Background(), []byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pkgs {
				got = append(got, p.ID)
				if p.Ecosystem != Ecosystem {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(props))
	f.Add([]byte(`<Project><ItemGroup><PackageReference Include="a" Version="1"/></ItemGroup></Project>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || strings.Contains(p.Version, "$(") {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
