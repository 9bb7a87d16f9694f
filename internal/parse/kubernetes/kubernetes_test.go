package kubernetes

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

type got struct {
	Kind, Name string
	Start, End int
}

func summarize(rs []Resource) []got {
	var out []got
	for _, r := range rs {
		md, _ := r.Object["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		out = append(out, got{r.Object["kind"].(string), name, r.StartLine, r.EndLine})
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []got
	}{
		{"one resource", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: x\n",
			[]got{{"Pod", "a", 1, 8}}},
		{"documents, comments and an empty one", "# lead\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n---\n# only a comment\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n",
			[]got{{"Pod", "a", 3, 6}, {"Deployment", "b", 11, 13}}},
		{"not resources", "a: 1\n---\n- x\n---\nkind: Pod\n---\napiVersion: v1\nkind: 3\n---\nplain\n", nil},
		{"List expanded", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s\n- 3\n",
			[]got{{"Pod", "a", 4, 7}, {"Service", "s", 8, 11}}},
		{"JSON with tabs", "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"metadata\": {\"name\": \"j\"},\n\t\"spec\": {}\n}\n",
			[]got{{"Pod", "j", 1, 5}}},
		{"block scalar ends the resource", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  x: |\n    one\n    two\n",
			[]got{{"ConfigMap", "cm", 1, 8}}},
		{"BOM and CRLF", "\xef\xbb\xbfapiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: w\r\n",
			[]got{{"Pod", "w", 1, 4}}},
		{"merge key", "base: &b\n  name: m\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  <<: {name: m}\n",
			[]got{{"Pod", "m", 4, 7}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(rs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLinesOfNestedMappings: every mapping carries its lines, so a
// container points at its own.
func TestLinesOfNestedMappings(t *testing.T) {
	in := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: one\n    image: x\n  - name: two\n    securityContext:\n      privileged: true\n    image: y\n"
	rs, err := Parse([]byte(in))
	if err != nil || len(rs) != 1 {
		t.Fatal(rs, err)
	}
	cs := rs[0].Object["spec"].(map[string]any)["containers"].([]any)
	var lines [][2]int
	for _, c := range cs {
		md := c.(map[string]any)[MetadataKey].(map[string]any)
		lines = append(lines, [2]int{md["startline"].(int), md["endline"].(int)})
	}
	if diff := cmp.Diff([][2]int{{7, 8}, {9, 12}}, lines); diff != "" {
		t.Errorf("container lines (-want +got):\n%s", diff)
	}
	sc := cs[1].(map[string]any)["securityContext"].(map[string]any)
	if sc["privileged"] != true {
		t.Errorf("privileged = %#v", sc["privileged"])
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"bad YAML", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n", "line"},
		{"bad second document", "apiVersion: v1\nkind: Pod\n---\na: b: c\n", "line 4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCapsApply: the shared decoder's caps reach manifests (the caps
// themselves are tested in internal/parse/yamlmeta).
func TestCapsApply(t *testing.T) {
	deep := strings.Repeat("[", yamlmeta.MaxDepth+10) + strings.Repeat("]", yamlmeta.MaxDepth+10)
	if _, err := Parse([]byte("apiVersion: v1\nkind: Pod\nx: " + deep + "\n")); !errors.Is(err, yamlmeta.ErrLimit) {
		t.Errorf("deep nesting: err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n",
		"apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod}\n---\na: *x\n",
		"{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}",
		"a: &a {b: *a}\n",
		"x: |\n  a\n  b\n---\n- <<: {a: 1}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Parse(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, r := range rs {
			if r.StartLine < 1 || r.EndLine < r.StartLine || r.EndLine > lines {
				t.Fatalf("lines %d-%d out of 1-%d", r.StartLine, r.EndLine, lines)
			}
		}
	})
}
