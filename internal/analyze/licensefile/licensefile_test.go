package licensefile

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/trawlsec/trawl/internal/analyze"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		size int
		want bool
	}{
		{"LICENSE", 100, true},
		{"app/node_modules/ms/license.md", 100, true},
		{"vendor/x/COPYING.LESSER", 100, true},
		{"LICENCE.txt", 100, true},
		{"LICENSE-APACHE", 100, true},
		{"MIT-LICENSE", 100, true},
		{"NOTICE", 100, true},
		{"usr/share/doc/x/copyright", 100, false}, // dpkg's, read by the dpkg analyzer
		{"pkg/license/license.go", 100, false},
		{"LICENSE.png", 100, false},
		{"README.md", 100, false},
		{"unlicensed.txt", 100, false},
		{"UNLICENSE", 100, true},
		{"LICENSE", MaxFileSize + 1, false},
		{"LICENSE", 0, false},
	}
	for _, tc := range tests {
		fsys := fstest.MapFS{"f": {Data: make([]byte, tc.size)}}
		info, err := fsys.Stat("f")
		if err != nil {
			t.Fatal(err)
		}
		if got := New().Required(tc.path, info); got != tc.want {
			t.Errorf("Required(%q, %d bytes) = %v, want %v", tc.path, tc.size, got, tc.want)
		}
	}
}

func TestAnalyzeKeepsAnOwnCopy(t *testing.T) {
	content := []byte("MIT License\n")
	r, err := New().Analyze(context.Background(), analyze.Input{Path: "app/LICENSE", Content: content, Size: int64(len(content))})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ConfigFiles) != 1 || r.ConfigFiles[0].Type != Type || r.ConfigFiles[0].FilePath != "app/LICENSE" || string(r.ConfigFiles[0].Content) != "MIT License\n" {
		t.Fatalf("result %+v", r)
	}
	content[0] = 'X' // the walker reuses its buffers
	if string(r.ConfigFiles[0].Content) != "MIT License\n" {
		t.Errorf("the kept content aliases the input")
	}
}
