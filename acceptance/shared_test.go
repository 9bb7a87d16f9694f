// Package acceptance runs trawl against the real-world corpus in ../shared.
// The tests skip when the corpus is absent, unless TRAWL_REQUIRE_SHARED=1
// (as CI sets it), in which case they fail.
package acceptance

import (
	"context"
	"sync"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// corpus returns the absolute path of ../shared/corpus/<elem...> relative to
// the repository root, skipping or failing the test when it is missing.
func corpus(t testing.TB, elem ...string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus")
	p := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("TRAWL_REQUIRE_SHARED") == "1" {
			t.Fatalf("shared corpus item %s is missing (TRAWL_REQUIRE_SHARED=1): %v", p, err)
		}
		t.Skipf("shared corpus item %s is absent; skipping (set TRAWL_REQUIRE_SHARED=1 to fail instead)", p)
	}
	return p
}

// corpusDBState is the vulnerability DB built once per test process from the
// corpus advisories (go, pypi, rustsec, alpine-secdb). It lives at one fixed
// path in the temporary folder, rebuilt (atomically, by rename) by every test
// process, so runs leave no growing pile of copies and a concurrent run keeps
// reading the file it opened.
var corpusDBState struct {
	once sync.Once
	path string
	err  error
}

// corpusDB returns the path of the DB built from the corpus advisories.
func corpusDB(t testing.TB) string {
	t.Helper()
	adv := corpus(t, "advisories")
	corpusDBState.once.Do(func() {
		corpusDBState.path = filepath.Join(os.TempDir(), "trawl-acceptance-corpus.db")
		var srcs []string
		for _, s := range []string{"go", "pypi", "rustsec", "alpine-secdb"} {
			srcs = append(srcs, filepath.Join(adv, s))
		}
		_, corpusDBState.err = build.Build(context.Background(), srcs, corpusDBState.path, nil)
	})
	if corpusDBState.err != nil {
		t.Fatalf("building the corpus database: %v", corpusDBState.err)
	}
	return corpusDBState.path
}
