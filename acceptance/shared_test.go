// Package acceptance runs trawl against the real-world corpus in ../shared.
// The tests skip when the corpus is absent, unless TRAWL_REQUIRE_SHARED=1
// (as CI sets it), in which case they fail.
package acceptance

import (
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
