package depsjson

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const deps = `{
  "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0/linux-x64"},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "Compile.Only/1.0.0": {"runtime": {"x.dll": {}}}
    },
    ".NETCoreApp,Version=v8.0/linux-x64": {
      "App/1.0.0": {
        "dependencies": {"newtonsoft.json": "13.0.1", "Lib": "1.0.0", "Meta.Package": "2.0.0", "Microsoft.NETCore.App.Runtime.linux-x64": "8.0.0"},
        "runtime": {"App.dll": {}}
      },
      "Lib/1.0.0": {"dependencies": {"Libuv": "1.9.1"}, "runtime": {"Lib.dll": {}}},
      "Newtonsoft.Json/13.0.1": {"runtime": {"lib/netstandard2.0/Newtonsoft.Json.dll": {}}},
      "Libuv/1.9.1": {"runtimeTargets": {"runtimes/linux-x64/native/libuv.so": {"rid": "linux-x64"}}},
      "Meta.Package/2.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}},
      "Empty.Package/1.0.0": {},
      "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"runtime": {"System.dll": {}}}
    }
  },
  "libraries": {
    "App/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Lib/1.0.0": {"type": "project"},
    "Newtonsoft.Json/13.0.1": {
      "type": "package",
      "path": "newtonsoft.json/13.0.1"
    },
    "Libuv/1.9.1": {"type": "package"},
    "Meta.Package/2.0.0": {"type": "package"},
    "Empty.Package/1.0.0": {"type": "package"},
    "Not.In.Target/1.0.0": {"type": "package"},
    "Compile.Only/1.0.0": {"type": "package"},
    "Ref.Assembly/1.0.0": {"type": "referenceassembly"},
    "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"type": "runtimepack"},
    "broken": {"type": "package"}
  }
}`

const noTarget = `{
  "runtimeTarget": {"name": ".NETCoreApp,Version=v5.0"},
  "targets": {".NETCoreApp,Version=v6.0": {"Newtonsoft.Json/13.0.1": {"runtime": {"a.dll": {}}}}},
  "libraries": {"Newtonsoft.Json/13.0.1": {"type": "package"}, "Other/1.0.0": {"type": "package"}}
}`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "self-contained", in: deps, want: []string{
			"App@1.0.0 root [Lib@1.0.0 Microsoft.NETCore.App.Runtime.linux-x64@8.0.0 Newtonsoft.Json@13.0.1] [{21 21}]",
			// Another project the root references: a direct dependency,
			// as Trivy reports it (PR #10954), not a workspace member.
			"Lib@1.0.0 direct [Libuv@1.9.1] [{22 22}]",
			"Libuv@1.9.1 indirect [] [{27 27}]",
			"Microsoft.NETCore.App.Runtime.linux-x64@8.0.0 direct [] [{33 33}]",
			"Newtonsoft.Json@13.0.1 direct [] [{23 26}]",
		}},
		{name: "missing target", in: noTarget, want: []string{"Newtonsoft.Json@13.0.1  [] [{4 4}]", "Other@1.0.0  [] [{4 4}]"}},
		// The corpus fixture's shape: no targets at all, one project (the
		// root, as Trivy reports it) and one package.
		{name: "no graph", in: `{"runtimeTarget": {"name": ".NETCoreApp,Version=v2.1"}, "libraries": {
"Newtonsoft.Json/9.0.1": {"type": "package"},
"Tool/1.0.0-beta": {"type": "project"}}}`, want: []string{"Newtonsoft.Json@9.0.1  [] [{2 2}]", "Tool@1.0.0-beta root [] [{3 3}]"}},
		// Two projects nothing references: the first in sorted order.
		{name: "ambiguous root", in: `{"runtimeTarget": {"name": "t"}, "targets": {"t": {
"Web/1.0.0": {"dependencies": {"A": "1.0.0"}, "runtime": {"Web.dll": {}}},
"Api/1.0.0": {"runtime": {"Api.dll": {}}},
"A/1.0.0": {"runtime": {"A.dll": {}}}}},
"libraries": {"Web/1.0.0": {"type": "project"}, "Api/1.0.0": {"type": "project"}, "A/1.0.0": {"type": "package"}}}`,
			want: []string{"A@1.0.0  [] [{5 5}]", "Api@1.0.0 root [] [{5 5}]", "Web@1.0.0  [A@1.0.0] [{5 5}]"}},
		{name: "no libraries", in: `{"runtimeTarget":{"name":"a"},"targets":{"a":{"X/1":{"runtime":{"x":{}}}}}}`},
		{name: "invalid", in: `{"targets": 1}`, wantErr: true},
		{name: "truncated", in: deps[:100], wantErr: true},
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
				got = append(got, fmt.Sprintf("%s %s %v %v", p.ID, p.Relationship, p.DependsOn, p.Locations))
				if p.Ecosystem != Ecosystem || p.ID != p.Name+"@"+p.Version {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(deps))
	f.Add([]byte(noTarget))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.ID != p.Name+"@"+p.Version {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
