package git

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

func TestIsRemote(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"https://github.com/org/app", true},
		{"http://127.0.0.1:8080/app.git", true},
		{"ssh://git@host/app.git", true},
		{"git://host/app.git", true},
		{"file:///srv/app", true},
		{"git@github.com:org/app.git", true},
		{".", false},
		{"/srv/app", false},
		{"dir/with@sign:colon", false},
		{"C:colon", false},
	} {
		if got := IsRemote(tc.in); got != tc.want {
			t.Errorf("IsRemote(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestAuth: a token goes only to its own host, over http(s), and never
// replaces credentials written in the URL.
func TestAuth(t *testing.T) {
	env := map[string]string{"GITHUB_TOKEN": "gh-tok", "GITLAB_TOKEN": "gl-tok"}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		url, want string
	}{
		{"https://github.com/org/app", "gh-tok"},
		{"https://gitlab.com/org/app", "gl-tok"},
		{"https://gitlab.example.com/org/app", "gl-tok"},
		{"https://example.com/org/app", ""},
		{"https://github.com.evil.example/org/app", ""},
		{"ssh://git@github.com/org/app", ""},
		{"https://me:pw@github.com/org/app", ""},
	} {
		got := ""
		if a, ok := auth(tc.url, getenv).(*githttp.BasicAuth); ok {
			got = a.Password
		}
		if got != tc.want {
			t.Errorf("auth(%q) sends %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:tok@github.com/org/app": "https://github.com/org/app",
		"https://github.com/org/app":          "https://github.com/org/app",
		"git@github.com:org/app.git":          "git@github.com:org/app.git",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func commitFiles(t *testing.T, g *gogit.Repository, dir, msg string, n int, files map[string]string) plumbing.Hash {
	t.Helper()
	wt, _ := g.Worktree()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: time.Unix(1700000000+int64(n)*60, 0)}
	h, err := wt.Commit(msg, &gogit.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestHistoryOrderAndAddedLines: parents come before children (also
// across a merge), each change is diffed against the first parent, and
// Added tells new lines from kept ones.
func TestHistoryOrderAndAddedLines(t *testing.T) {
	dir := t.TempDir()
	g, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	c1 := commitFiles(t, g, dir, "one", 1, map[string]string{"a.txt": "keep\n"})
	c2 := commitFiles(t, g, dir, "two", 2, map[string]string{"a.txt": "keep\nnew line\n", "big.bin": strings.Repeat("x", 100)})
	// A side branch from c1, merged into the main line.
	wt, _ := g.Worktree()
	if err := wt.Checkout(&gogit.CheckoutOptions{Hash: c1, Branch: plumbing.NewBranchReferenceName("side"), Create: true}); err != nil {
		t.Fatal(err)
	}
	c3 := commitFiles(t, g, dir, "side", 3, map[string]string{"b.txt": "side\n"})
	if err := wt.Checkout(&gogit.CheckoutOptions{Branch: plumbing.NewBranchReferenceName("master")}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("side\n"), 0o644)
	wt.Add("b.txt")
	sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: time.Unix(1700000000+4*60, 0)}
	c4, err := wt.Commit("merge", &gogit.CommitOptions{Author: sig, Committer: sig, Parents: []plumbing.Hash{c2, c3}})
	if err != nil {
		t.Fatal(err)
	}

	r, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	err = r.History(context.Background(), HistoryOptions{MaxBlobSize: 50}, func(c *Change) error {
		added, err := c.Added(1, 1)
		if err != nil {
			return err
		}
		addedTwo, _ := c.Added(2, 2)
		got = append(got, c.Commit.Hash[:7]+" "+c.Path+" "+map[bool]string{true: "+", false: "="}[added]+map[bool]string{true: "+", false: "="}[addedTwo])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	short := func(h plumbing.Hash) string { return h.String()[:7] }
	want := []string{
		short(c1) + " a.txt ++",
		short(c2) + " a.txt =+", // line 1 kept, line 2 new; big.bin over the size limit
		short(c3) + " b.txt ++",
		short(c4) + " b.txt ++", // against the first parent (c2)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Cancellation stops the walk.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = r.History(ctx, HistoryOptions{}, func(*Change) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("after cancel: %d changes, err %v", n, err)
	}
}

// TestCheckoutStaysInside: the checkout of a tree writes only under the
// cache directory, and a symlink in it is made, not followed.
func TestCheckoutStaysInside(t *testing.T) {
	dir := t.TempDir()
	g, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	os.Symlink(outside, filepath.Join(dir, "out"))
	wt, _ := g.Worktree()
	wt.Add("out")
	commitFiles(t, g, dir, "one", 1, map[string]string{"a.txt": "hello\n"})
	cache := t.TempDir()
	r, err := Open(context.Background(), dir, Options{Branch: "master", CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Dir, filepath.Join(cache, "repo")+string(filepath.Separator)) {
		t.Errorf("checkout in %s, not under the cache", r.Dir)
	}
	if fi, err := os.Lstat(filepath.Join(r.Dir, "out")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("out: %v %v, want a symlink", fi, err)
	}
	if b, err := os.ReadFile(filepath.Join(r.Dir, "a.txt")); err != nil || string(b) != "hello\n" {
		t.Errorf("a.txt: %q %v", b, err)
	}
	if es, _ := os.ReadDir(outside); len(es) != 0 {
		t.Errorf("wrote outside: %v", es)
	}
	r.Close()
	if es, _ := os.ReadDir(filepath.Join(cache, "repo")); len(es) != 0 {
		t.Errorf("Close left %v", es)
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"a/b.txt": true, ".github/workflows/x.yml": true,
		"../x": false, "a/../../x": false, "/etc/passwd": false, ".git/config": false, "a/.GIT/hooks": false, "": false,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}
