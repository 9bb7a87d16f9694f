package image

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestArtifactID(t *testing.T) {
	const id = "sha256:ae09"
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return "sha256:" + hex.EncodeToString(h[:]) }
	tests := []struct{ ref, want string }{
		{"", id},
		{"debian12-app:latest", hash(id + ":index.docker.io/library/debian12-app")},
		{"debian12-app:other", hash(id + ":index.docker.io/library/debian12-app")}, // tags do not count
		{"ghcr.io/a/b:1", hash(id + ":ghcr.io/a/b")},
		{"ghcr.io/a/b@sha256:87703314048c40236c6d674424159ee862e2b96ce1c37c62d877e21ed27a387e", hash(id + ":ghcr.io/a/b")},
		{"Not A Ref!", id},
	}
	for _, tt := range tests {
		if got := ArtifactID(id, tt.ref); got != tt.want {
			t.Errorf("ArtifactID(%q) = %s, want %s", tt.ref, got, tt.want)
		}
	}
	if got := ArtifactID("", "a:b"); got != "" {
		t.Errorf("no image ID: %q", got)
	}
}

func TestReference(t *testing.T) {
	tests := []struct {
		name, artifact string
		tags, digests  []string
		want           string
	}{
		{"equal tag", "app:1", []string{"app:2", "app:1"}, nil, "app:1"},
		{"matching tag", "app:1", []string{"docker.io/library/app:1"}, nil, "docker.io/library/app:1"},
		{"first tag", "app.tar", []string{"app:2", "app:3"}, []string{"app@sha256:aa"}, "app:2"},
		{"digest only", "app.tar", nil, []string{"app@sha256:aa"}, "app@sha256:aa"},
		{"none", "app.tar", nil, nil, ""},
	}
	for _, tt := range tests {
		if got := Reference(tt.artifact, tt.tags, tt.digests); got != tt.want {
			t.Errorf("%s: Reference = %q, want %q", tt.name, got, tt.want)
		}
	}
}
