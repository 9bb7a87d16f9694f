package misconfig

import (
	"context"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/inventory"
)

// goodCompose passes every built-in Compose check.
const goodCompose = `services:
  web:
    image: nginx:1.27
    read_only: true
    user: "10001"
    deploy:
      resources:
        limits: {memory: 256M}
    ports:
      - "127.0.0.1:8080:8080"
  db:
    image: postgres:16
    read_only: true
    mem_limit: 512m
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db
    volumes:
      - type: bind
        source: /var/run/docker.sock
        target: /sock
`

// TestComposeChecks: Compose findings are typed and placed as the other
// inputs' are: "Compose Security Check", provider Compose, the lines of
// the service or of the long-syntax entry; the good file passes all
// checks; a file that is not a Compose document is an error naming it.
func TestComposeChecks(t *testing.T) {
	e := newEngine(t, Options{})
	n := countChecks(e, TypeCompose)
	scan := func(content string) *Result {
		t.Helper()
		r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeCompose, FilePath: "compose.yaml", Content: []byte(content)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	good := strings.Replace(goodCompose, "        source: /var/run/docker.sock\n", "        source: ./data\n", 1)
	if r := scan(good); len(failedIDs(r)) != 0 || n < 12 || r.Summary.Successes != n {
		t.Fatalf("good file: fails %v, summary %+v for %d checks", failedIDs(r), r.Summary, n)
	}
	r := scan(strings.Replace(goodCompose, "    read_only: true\n    user", "    privileged: true\n    read_only: true\n    user", 1))
	if len(r.Misconfigurations) != 2 {
		t.Fatalf("want TRL-DC-0001 and TRL-DC-0006, got %+v", r.Misconfigurations)
	}
	for _, tt := range []struct {
		id, pkg    string
		start, end int
	}{
		{"TRL-DC-0001", "TRLDC001", 3, 11},  // the web service
		{"TRL-DC-0006", "TRLDC006", 19, 21}, // the bind mount entry
	} {
		var found bool
		for _, m := range r.Misconfigurations {
			if m.ID != tt.id {
				continue
			}
			found = true
			if m.Type != "Compose Security Check" || m.CauseMetadata.Provider != "Compose" || m.CauseMetadata.Service != "general" ||
				m.CauseMetadata.StartLine != tt.start || m.CauseMetadata.EndLine != tt.end || m.Namespace != "builtin.compose."+tt.pkg {
				t.Errorf("%s: %+v", tt.id, m)
			}
		}
		if !found {
			t.Errorf("%s not reported", tt.id)
		}
	}
	_, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeCompose, FilePath: "ops/compose.yaml", Content: []byte("- web\n")})
	if err == nil || !strings.Contains(err.Error(), "ops/compose.yaml: line 1: a Compose file is a mapping") {
		t.Errorf("err = %v", err)
	}
}
