package image

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
)

func TestDisplayRepository(t *testing.T) {
	for _, tt := range []struct{ ref, want string }{
		{"alpine:3.10", "alpine"},
		{"docker.io/library/alpine:3.10", "alpine"},
		{"index.docker.io/aquasec/trivy:latest", "aquasec/trivy"},
		{"ghcr.io/org/app@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io/org/app"},
		{"localhost:5000/team/app:1", "localhost:5000/team/app"},
	} {
		r, err := name.ParseReference(tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		if got := displayRepository(r.Context()); got != tt.want {
			t.Errorf("displayRepository(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestPlatformMatching(t *testing.T) {
	p := func(s string) platform {
		pl, err := parsePlatform(s)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	for _, tt := range []struct {
		want, have string
		score      int
	}{
		{"linux/amd64", "linux/amd64", 2},
		{"linux/arm64", "linux/arm64/v8", 2},
		{"linux/arm64/v8", "linux/arm64", 2},
		{"linux/arm", "linux/arm/v7", 2},
		{"linux/arm", "linux/arm/v6", 1}, // no variant asked: any arm, v7 preferred
		{"linux/arm/v6", "linux/arm/v6", 2},
		{"linux/arm/v7", "linux/arm/v6", 0},
		{"linux/riscv64", "linux/riscv64/rva23", 1},
		{"linux/amd64", "windows/amd64", 0},
		{"linux/amd64", "linux/arm64", 0},
	} {
		if got := matchScore(p(tt.want), p(tt.have)); got != tt.score {
			t.Errorf("matchScore(%s, %s) = %d, want %d", tt.want, tt.have, got, tt.score)
		}
	}
	for _, bad := range []string{"", "linux", "linux/", "/amd64", "linux/arm/v7/x", "linux/arm/"} {
		if _, err := parsePlatform(bad); err == nil {
			t.Errorf("parsePlatform(%q) succeeded", bad)
		}
	}
}

func TestCleanName(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"manifest.json", "manifest.json", true},
		{"./manifest.json", "manifest.json", true},
		{"a/../b.tar", "b.tar", true},
		{"sha256:abc", "sha256:abc", true},
		{"../x", "", false},
		{"a/../../x", "", false},
		{"/etc/passwd", "", false},
		{"", "", false},
		{".", "", false},
		{"a\x00b", "", false},
	} {
		got, ok := cleanName(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cleanName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
