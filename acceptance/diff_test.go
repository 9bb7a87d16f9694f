package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/cli"
	"github.com/trawlsec/trawl/internal/diff"
)

// TestDiffAlpine: alpine:3.10 against alpine:3.11 (the corpus's docker-save
// archives, gzipped as a whole) lists the package upgrades of the release,
// and no package added or removed: the corpus README names 14 packages in
// each, and the versions below are those of their apk databases.
func TestDiffAlpine(t *testing.T) {
	old := corpus(t, "images", "alpine-310.tar.gz")
	nw := corpus(t, "images", "alpine-311.tar.gz")
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), []string{"diff", "--cache-dir", t.TempDir(), "--quiet", "-f", "json", old, nw}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep diff.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Old.Kind != diff.KindImage || rep.New.Kind != diff.KindImage {
		t.Errorf("kinds: %s, %s", rep.Old.Kind, rep.New.Kind)
	}
	up := func(name, o, n string) diff.PackageChange {
		return diff.PackageChange{Type: "apk", Name: name, OldVersion: o, NewVersion: n}
	}
	want := diff.Packages{Upgraded: []diff.PackageChange{
		up("alpine-baselayout", "3.1.2-r0", "3.2.0-r3"),
		up("apk-tools", "2.10.4-r2", "2.10.4-r3"),
		up("busybox", "1.30.1-r3", "1.31.1-r9"),
		up("ca-certificates-cacert", "20190108-r0", "20191127-r1"),
		up("libc-utils", "0.7.1-r0", "0.7.2-r0"),
		up("libcrypto1.1", "1.1.1d-r2", "1.1.1d-r3"),
		up("libssl1.1", "1.1.1d-r2", "1.1.1d-r3"),
		up("musl", "1.1.22-r3", "1.1.24-r2"),
		up("musl-utils", "1.1.22-r3", "1.1.24-r2"),
		up("scanelf", "1.2.3-r0", "1.2.4-r0"),
		up("ssl_client", "1.30.1-r3", "1.31.1-r9"),
		up("zlib", "1.2.11-r1", "1.2.11-r3"),
	}}
	if d := cmp.Diff(want, rep.Packages); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	// The apk database changed with them; the release file too.
	changed := map[string]bool{}
	for _, c := range rep.Files.Changed {
		changed[c.Path] = true
	}
	for _, p := range []string{"lib/apk/db/installed", "etc/alpine-release", "bin/busybox"} {
		if !changed[p] {
			t.Errorf("%s not listed as changed", p)
		}
	}
}
