package pypi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestPackageBlocks(t *testing.T) {
	const lock = `# header comment
version = 1

[[package]]
name = "a"
version = "1.0"

[package.dependencies]
b = "*"

# trailing comment
[[package]]
name = "b"
version = "2.0"
[[package.wheels]]
url = "x"

[metadata]
content-hash = "x"
`
	want := []model.Location{{StartLine: 4, EndLine: 9}, {StartLine: 12, EndLine: 16}}
	if diff := cmp.Diff(want, PackageBlocks([]byte(lock))); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if got := PackageBlocks(nil); got != nil {
		t.Errorf("PackageBlocks(nil) = %v", got)
	}
}
