package nugetlock

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const lock = `{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "x"
      },
      "Swashbuckle.AspNetCore": {
        "type": "Direct",
        "requested": "[5.6.3, )",
        "resolved": "5.6.3",
        "dependencies": {
          "microsoft.openapi": "1.2.3",
          "Missing.Package": "1.0.0"
        }
      },
      "Microsoft.OpenApi": {
        "type": "Transitive",
        "resolved": "1.2.3"
      },
      "MyLib": {
        "type": "Project",
        "dependencies": {"Newtonsoft.Json": "[13.0.1, )"}
      }
    },
    "net6.0/linux-x64": {
      "Microsoft.OpenApi": {
        "type": "Transitive",
        "resolved": "1.2.3"
      }
    }
  }
}`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "happy", in: lock, want: []string{
			"Microsoft.OpenApi@1.2.3 indirect [] [{20 23} {30 33}]",
			"Newtonsoft.Json@13.0.1 direct [] [{5 10}]",
			"Swashbuckle.AspNetCore@5.6.3 direct [Microsoft.OpenApi@1.2.3] [{11 19}]",
		}},
		{name: "empty", in: `{"version": 1, "dependencies": {}}`},
		{name: "invalid", in: `{"version": 1, "dependencies": [`, wantErr: true},
		{name: "wrong type", in: `{"dependencies": {"net": {"a": 1}}}`, wantErr: true},
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
	f.Add([]byte(lock))
	f.Add([]byte(`{"version":1,"dependencies":{"a":{"b":{"type":"Direct","resolved":"1"}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.ID != p.Name+"@"+p.Version || p.Version == "" {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
