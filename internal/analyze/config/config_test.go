package config

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
)

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"Dockerfile", true},
		{"app/dockerfile", true},
		{"Containerfile", true},
		{"build/Dockerfile.dev", true},
		{"prod.Dockerfile", true},
		{"x/api.containerfile", true},
		{"DOCKERFILE", true},
		{"Dockerfile.a.b", false},
		{"Dockerfiles", false},
		{"Dockerfile-dev", false},
		{"docker/compose.yaml", false},
		{"Customfile", false},
	} {
		if got := New().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

type info struct {
	size int64
	mode fs.FileMode
}

func (i info) Name() string       { return "Dockerfile" }
func (i info) Size() int64        { return i.size }
func (i info) Mode() fs.FileMode  { return i.mode }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return false }
func (i info) Sys() any           { return nil }

func TestRequiredSizeAndType(t *testing.T) {
	a := New()
	if a.Required("Dockerfile", info{size: MaxSize + 1}) {
		t.Error("a file over 1 MiB is required")
	}
	if a.Required("Dockerfile", info{size: 10, mode: fs.ModeSymlink}) {
		t.Error("a symlink is required")
	}
	if !a.Required("Dockerfile", info{size: MaxSize}) {
		t.Error("a 1 MiB file is not required")
	}
}

func TestAnalyzeKeepsTheFile(t *testing.T) {
	content := []byte("FROM alpine:3.20\n")
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "app/Dockerfile", Content: content})
	if err != nil {
		t.Fatal(err)
	}
	content[0] = 'X' // the walker may reuse its buffer
	if len(res.ConfigFiles) != 1 || res.ConfigFiles[0].Type != "dockerfile" || res.ConfigFiles[0].FilePath != "app/Dockerfile" || string(res.ConfigFiles[0].Content) != "FROM alpine:3.20\n" {
		t.Errorf("result %+v", res.ConfigFiles)
	}
	if _, err := New().Analyze(context.Background(), analyze.Input{Path: "Dockerfile", Content: make([]byte, MaxSize+1)}); err == nil {
		t.Error("no error for a file over the cap")
	}
}
