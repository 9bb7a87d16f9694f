package acceptance

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// realGoModCache is the machine's Go module cache, which the tests that
// build trawl with the go command use (the scans see an empty one).
var realGoModCache string

// goCommand is a go command run with the machine's module cache, so a
// build needs no download.
func goCommand(args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOMODCACHE="+realGoModCache)
	return cmd
}

// TestMain points the package caches that fs scans read licences from
// (the Go module cache, the NuGet global packages folder) at empty
// directories, so results do not depend on the machine's caches; tests of
// those sources set their own with t.Setenv.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		realGoModCache = strings.TrimSpace(string(out))
	}
	dir, err := os.MkdirTemp("", "trawl-acceptance-caches-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	for env, sub := range map[string]string{"GOMODCACHE": "gomodcache", "NUGET_PACKAGES": "nuget"} {
		p := dir + string(os.PathSeparator) + sub
		if err := os.Mkdir(p, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		os.Setenv(env, p)
	}
	return m.Run()
}
