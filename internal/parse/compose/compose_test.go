package compose

import (
	"errors"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

func TestParse(t *testing.T) {
	in := "name: app\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n  db:\n    image: postgres:16\n  empty:\nvolumes:\n  data: {}\n"
	fs, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].StartLine != 1 || fs[0].EndLine != 11 {
		t.Fatalf("files %+v", fs)
	}
	svcs := fs[0].Object["services"].(map[string]any)
	if s, e := yamlmeta.Lines(svcs["web"]); s != 4 || e != 6 {
		t.Errorf("web lines %d-%d, want 4-6", s, e)
	}
	if s, e := yamlmeta.Lines(svcs["db"]); s != 8 || e != 8 {
		t.Errorf("db lines %d-%d, want 8-8", s, e)
	}
	if svcs["empty"] != nil {
		t.Errorf("empty service = %v", svcs["empty"])
	}
}

func TestParseErrors(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		n, p := string(rune('0'+i)), string(rune('0'+i-1))
		bomb.WriteString("x-a" + n + ": &a" + n + " [*a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + ", *a" + p + "]\n")
	}
	bomb.WriteString("services:\n  web:\n    environment: *a8\n")
	for _, tt := range []struct{ name, in, want string }{
		{"list", "- a\n- b\n", "line 1: a Compose file is a mapping, not a list"},
		{"scalar", "services\n", "not a scalar"},
		{"services list", "services:\n  - web\n", "services is a list"},
		{"service scalar", "services:\n  web: nginx\n", `service "web" is a scalar`},
		{"bad YAML", "services:\n  web: [a\n", "line"},
		{"bomb", bomb.String(), "aliases expand"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if tt.name == "bomb" && !errors.Is(err, yamlmeta.ErrLimit) {
				t.Errorf("bomb: err = %v, want ErrLimit", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"services:\n  web:\n    image: nginx\n    privileged: true\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
		"x-d: &d {restart: always}\nservices:\n  a:\n    <<: *d\n",
		"services:\n  a:\n    environment: [A=1, B]\n    ports: [{target: 80, published: 8080}]\n",
		"- a\n",
		"services: &s {a: *s}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := Parse(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, fl := range fs {
			if fl.Object == nil || fl.StartLine < 1 || fl.EndLine < fl.StartLine || fl.EndLine > lines {
				t.Fatalf("file %d-%d (of %d lines), object %v", fl.StartLine, fl.EndLine, lines, fl.Object != nil)
			}
			svcs, _ := fl.Object["services"].(map[string]any)
			for name, s := range svcs {
				if _, ok := s.(map[string]any); !ok && s != nil && name != yamlmeta.MetadataKey {
					t.Fatalf("service %q is %T", name, s)
				}
			}
		}
	})
}
