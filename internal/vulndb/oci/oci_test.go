package oci

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

func sampleDB(t *testing.T, dir, id string) string {
	t.Helper()
	c := store.NewContents()
	a := osv.Affected{Package: osv.Package{Ecosystem: "npm", Name: "lodash"},
		Ranges: []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}, {Fixed: "4.17.21"}}}}}
	c.Packages[store.PackageKey{Ecosystem: "npm", Name: "lodash"}] = []store.Entry{{ID: id, Affected: a}}
	c.Vulns[id] = &osv.Vulnerability{ID: id, Summary: "prototype pollution"}
	c.Meta.BuiltAt = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	p := filepath.Join(dir, id+".db")
	if err := store.Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPushPull(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref := "oci://" + host + "/trawl/db:1"
	dir := t.TempDir()
	src := sampleDB(t, dir, "GHSA-1")
	o := Options{Insecure: true}

	pushed, err := Push(context.Background(), ref, src, o)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "cache", "trawl.db")
	res, err := Pull(context.Background(), ref, dst, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Digest != pushed || !res.Metadata.BuiltAt.Equal(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("pull: %+v, pushed %s", res, pushed)
	}
	a, _ := os.ReadFile(src)
	b, _ := os.ReadFile(dst)
	if !bytes.Equal(a, b) {
		t.Error("pulled database differs from pushed one")
	}
	s, err := store.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Affected("npm", "lodash")
	s.Close()
	if err != nil || len(es) != 1 || es[0].ID != "GHSA-1" {
		t.Errorf("lookup in pulled db: %v, %v", es, err)
	}

	// Not a DB artifact: rejected, the current DB untouched.
	r, _ := ParseRef(host+"/other/image:latest", true)
	if err := remote.Write(r, empty.Image); err != nil {
		t.Fatal(err)
	}
	if _, err := Pull(context.Background(), host+"/other/image:latest", dst, o); !errors.Is(err, ErrNotDB) {
		t.Errorf("pull of a plain image = %v, want ErrNotDB", err)
	}
	if c, _ := os.ReadFile(dst); !bytes.Equal(c, a) {
		t.Error("database changed by a failed pull")
	}
	// Missing tag.
	if _, err := Pull(context.Background(), ref+"-missing", dst, o); err == nil {
		t.Error("pull of a missing tag succeeded")
	}
	// Only valid databases are pushed.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not bbolt"), 0o644)
	if _, err := Push(context.Background(), ref, junk, o); err == nil {
		t.Error("pushed a file that is not a database")
	}
	// A pull that is cut short by the size cap leaves no file behind.
	if _, err := Pull(context.Background(), ref, filepath.Join(dir, "small", "trawl.db"), Options{Insecure: true, MaxSize: 100}); err == nil {
		t.Error("pull over MaxSize succeeded")
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "small")); len(ents) != 0 {
		t.Errorf("left-over files: %v", ents)
	}
}
