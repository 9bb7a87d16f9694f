package cli

import (
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestRegistryScan: trawl registry scan writes one JSON report per
// selected tag, one per line; bad flags are one-line errors.
func TestRegistryScan(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	repo := strings.TrimPrefix(srv.URL, "http://") + "/team/app"
	for _, tag := range []string{"1.0", "1.1", "dev"} {
		ref, _ := name.NewTag(repo+":"+tag, name.Insecure)
		if err := remote.Write(ref, testImage(t, alpineFiles)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	base := []string{"registry", "scan", "--insecure", "--cache-dir", t.TempDir(), "--quiet", "--scanners", "secret"}
	for _, tt := range []struct {
		name string
		args []string
		want string // artifact names, space-separated
	}{
		{"all", nil, "1.0 1.1 dev"},
		{"regex", []string{"--tag-regex", `^\d+\.\d+$`}, "1.0 1.1"},
		{"regex and limit", []string{"--tag-regex", `^\d`, "--limit", "1"}, "1.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, append(append(base, tt.args...), repo)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				r := decode(t, line)
				got = append(got, strings.TrimPrefix(r.ArtifactName, repo+":"))
				if len(r.Results) == 0 {
					t.Errorf("%s: no results", r.ArtifactName)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("scanned %v, want %s", got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "table"}, "--format table: trawl registry scan writes JSON Lines"},
		{[]string{"--tag-regex", "("}, "--tag-regex \"(\""},
		{[]string{"--limit", "-1"}, "--limit -1"},
		{[]string{"--since", "last week"}, "--since \"last week\" is neither a duration"},
	} {
		_, errOut, code := run(t, append(append(base, tt.args...), repo)...)
		if code != 1 || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", tt.args, code, errOut, tt.want)
		}
	}
}
