package cargo

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarkDev(t *testing.T) {
	// app (the root) uses serde, build-dep cc, a renamed dev-dep (tst =
	// "tokio-test"), proptest (dev) and log (dev for app, but member needs
	// it: production).
	const lock = `version = 3
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["cc", "log", "member", "proptest", "serde", "tokio-test"]
[[package]]
name = "member"
version = "0.1.0"
dependencies = ["log"]
[[package]]
name = "cc"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "log"
version = "0.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "proptest"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["rand"]
[[package]]
name = "rand"
version = "0.8.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
[[package]]
name = "tokio-test"
version = "0.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
`
	tests := []struct {
		name, manifest string
		wantDev        []string
	}{
		{"root manifest", `
[package]
name = "app"
[dependencies]
serde = { version = "1", features = ["derive"] }
member = { path = "member" }
[build-dependencies]
cc = "1"
[dev-dependencies]
proptest = "1"
log = "0.4"
tst = { package = "tokio-test", version = "0.4" }
`, []string{"proptest@1.0.0", "rand@0.8.0", "tokio-test@0.4.0"}},
		{"target dev-dependencies", `
[package]
name = "app"
[target.'cfg(unix)'.dev-dependencies]
proptest = "1"
`, []string{"proptest@1.0.0", "rand@0.8.0"}},
		{"a dev-dependency also normal is production", `
[package]
name = "app"
[dev-dependencies]
proptest = "1"
[target.'cfg(unix)'.dependencies]
proptest = "1"
`, nil},
		{"virtual workspace: nothing known", `
[workspace]
members = ["member"]
`, nil},
		{"another crate's manifest", `
[package]
name = "other"
[dev-dependencies]
proptest = "1"
`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, err := Parse(context.Background(), strings.NewReader(lock))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ParseManifest(strings.NewReader(tt.manifest))
			if err != nil {
				t.Fatal(err)
			}
			MarkDev(pkgs, m)
			var dev []string
			for _, p := range pkgs {
				if p.Dev {
					dev = append(dev, p.ID)
				}
			}
			if diff := cmp.Diff(tt.wantDev, dev); diff != "" {
				t.Errorf("dev (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseManifestError(t *testing.T) {
	if _, err := ParseManifest(strings.NewReader("[package\nname=")); err == nil || !strings.Contains(err.Error(), "Cargo.toml") {
		t.Errorf("err = %v, want a Cargo.toml parse error", err)
	}
}
