package nugetconfig

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const fixture = "\ufeff" + `<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="Microsoft.Net.Compilers" version="1.0.0" targetFramework="net46" developmentDependency="true" />
  <package id="Newtonsoft.Json" version="8.0.3" allowedVersions="[8,10)" targetFramework="net46" />
  <package id="NoVersion" />
  <package id="Newtonsoft.Json" version="8.0.3" />
</packages>`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "happy", in: fixture, want: []string{"Microsoft.Net.Compilers@1.0.0 true", "Newtonsoft.Json@8.0.3 false"}},
		{name: "empty", in: `<packages/>`},
		{name: "malformed", in: "<?xml version=\"1.0\"?>\n  <packages>\n    <package id=\"A\" version=\"1\" />\n", wantErr: true},
		{name: "other root", in: `<configuration/>`, wantErr: true},
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
				got = append(got, fmt.Sprintf("%s %v", p.ID, p.Dev))
				if p.Ecosystem != Ecosystem || p.Relationship != "direct" {
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
	f.Add([]byte(fixture))
	f.Add([]byte(`<packages><package id="a" version="1"/></packages>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
