package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/trawlsec/trawl/pkg/model"
)

// Made-up secrets: an AWS key ID and a GitHub classic PAT.
var (
	repoAWSKey = "AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n"
	repoPAT    = "token: ghp_" + strings.Repeat("aB3", 12) + "\n"
)

type testRepo struct {
	dir     string
	commits []string // hashes, oldest first
}

// commit writes files (an empty content removes the file) and commits them.
func (r *testRepo) commit(t *testing.T, g *gogit.Repository, msg string, files map[string]string) {
	t.Helper()
	wt, err := g.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(r.dir, name)
		if body == "" {
			if _, err := wt.Remove(name); err != nil {
				t.Fatal(err)
			}
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	when := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(len(r.commits)) * time.Hour)
	sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: when}
	h, err := wt.Commit(msg, &gogit.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	r.commits = append(r.commits, h.String())
}

// newTestRepo: a lockfile, a secret added in commit 2 and removed in
// commit 3, and a second secret added in commit 2 that stays (its file
// changed again in commit 3).
func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	r := &testRepo{dir: filepath.Join(t.TempDir(), "project")}
	g, err := gogit.PlainInit(r.dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r.commit(t, g, "initial", map[string]string{
		"README.md":        "hello\n",
		"requirements.txt": "flask==2.0.0\nrequests==2.31.0\n",
	})
	r.commit(t, g, "add config", map[string]string{
		"config/.env":  "DEBUG=1\n" + repoAWSKey,
		"ci/keys.yaml": repoPAT,
	})
	r.commit(t, g, "remove the key", map[string]string{
		"config/.env":  "DEBUG=1\n",
		"ci/keys.yaml": "# keys\n" + repoPAT,
	})
	return r
}

func results(t *testing.T, rep model.Report) string {
	t.Helper()
	b, err := json.Marshal(rep.Results)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func scanJSON(t *testing.T, args ...string) model.Report {
	t.Helper()
	out, errOut, code := run(t, append(scanArgs(t), args...)...)
	if code != 0 {
		t.Fatalf("trawl %v: exit %d: %s", args, code, errOut)
	}
	return decode(t, out)
}

// TestRepoScansLikeFS is issue 21's done-when: trawl repo on a local
// repository (its working tree, or the checkout of a ref) gives fs's
// results for HEAD — the secret removed in a later commit is not there —
// plus the repository's metadata; a file:// clone gives the same.
func TestRepoScansLikeFS(t *testing.T) {
	r := newTestRepo(t)
	fs := scanJSON(t, "fs", r.dir)
	if len(fs.Results) == 0 {
		t.Fatal("fs found nothing: the fixture is wrong")
	}
	for _, res := range fs.Results {
		if res.Target == "config/.env" {
			t.Fatal("fs found the removed secret in HEAD: the fixture is wrong")
		}
	}
	head := r.commits[2]
	cases := []struct {
		name string
		args []string
		git  bool // needs git-upload-pack
	}{
		{"working tree", []string{r.dir}, false},
		{"branch checkout", []string{"--branch", "master", r.dir}, false},
		{"commit checkout", []string{"--commit", head[:10], r.dir}, false},
		{"file URL", []string{"file://" + r.dir}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.git {
				if _, err := exec.LookPath("git-upload-pack"); err != nil {
					if _, err := exec.LookPath("git"); err != nil {
						t.Skip("git is not installed")
					}
				}
			}
			rep := scanJSON(t, append([]string{"repo"}, tc.args...)...)
			if got, want := results(t, rep), results(t, fs); got != want {
				t.Errorf("repo results differ from fs:\n got %s\nwant %s", got, want)
			}
			m := rep.Metadata
			if rep.ArtifactType != model.ArtifactRepository || m.Commit != head || m.CommitMsg != "remove the key" ||
				m.Author != "Dev <dev@example.com>" || m.Committer != "Dev <dev@example.com>" {
				t.Errorf("type %q, metadata %+v", rep.ArtifactType, m)
			}
			if tc.name != "commit checkout" && m.Branch != "master" {
				t.Errorf("branch %q, want master", m.Branch)
			}
		})
	}
}

// TestRepoScanHistory: --scan-history reports the removed secret with the
// commit that added it, once, and names the commit that added the secret
// still in HEAD (its file changed again later: reported once).
func TestRepoScanHistory(t *testing.T) {
	r := newTestRepo(t)
	rep := scanJSON(t, "repo", "--scan-history", r.dir)
	type found struct {
		target, rule, commit string
		notInHead            bool
	}
	var got []found
	for _, res := range rep.Results {
		for _, s := range res.Secrets {
			got = append(got, found{res.Target, s.RuleID, s.Commit, s.NotInHead})
			if s.Commit != "" && (s.Author != "Dev <dev@example.com>" || s.Date.IsZero()) {
				t.Errorf("%s: author %q, date %v", res.Target, s.Author, s.Date)
			}
		}
	}
	want := []found{
		{"ci/keys.yaml", "github-pat", r.commits[1], false},
		{"config/.env", "aws-access-key-id", r.commits[1], true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// The table names the commit.
	out, _, code := run(t, "repo", "--cache-dir", t.TempDir(), "-q", "--scanners", "secret", "--scan-history", r.dir)
	if code != 0 || !strings.Contains(out, "config/.env:2 (commit "+r.commits[1][:12]+" by Dev <dev@example.com>, 2024-01-01) [in the history only") {
		t.Errorf("table (exit %d) does not name the commit:\n%s", code, out)
	}
	// Without the flag: HEAD only.
	rep = scanJSON(t, "repo", r.dir)
	for _, res := range rep.Results {
		if res.Target == "config/.env" {
			t.Errorf("the removed secret is reported without --scan-history")
		}
		for _, s := range res.Secrets {
			if s.Commit != "" {
				t.Errorf("%s: commit %q without --scan-history", res.Target, s.Commit)
			}
		}
	}
}

// TestRepoHistoryTellsKeysApart: two different keys of the same shape on
// the same line (a rotation) are two findings, each at its commit; their
// censored matches are equal.
func TestRepoHistoryTellsKeysApart(t *testing.T) {
	r := &testRepo{dir: filepath.Join(t.TempDir(), "project")}
	g, err := gogit.PlainInit(r.dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r.commit(t, g, "key", map[string]string{".env": "AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n"})
	r.commit(t, g, "rotate", map[string]string{".env": "AWS_ACCESS_KEY_ID=AKIA7Q3M9X2KLP4RT5WZ\n"})
	r.commit(t, g, "remove", map[string]string{".env": "AWS_ACCESS_KEY_ID=\n"})
	rep := scanJSON(t, "repo", "--scan-history", r.dir)
	var got []string
	for _, res := range rep.Results {
		for _, s := range res.Secrets {
			got = append(got, res.Target+" "+s.Commit)
		}
	}
	want := []string{".env " + r.commits[0], ".env " + r.commits[1]}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestRepoErrors: a path or URL that is not a repository fails with one
// line naming it.
func TestRepoErrors(t *testing.T) {
	r := newTestRepo(t)
	plain := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing path", []string{"/nonexistent/repo"}, "repo /nonexistent/repo: no such file or directory"},
		{"not a repository", []string{plain}, "repo " + plain + ": not a git repository"},
		{"unknown branch", []string{"--branch", "nope", r.dir}, `repo ` + r.dir + `: branch "nope" not found`},
		{"unknown commit", []string{"--commit", "deadbeef", r.dir}, `repo ` + r.dir + `: commit "deadbeef" not found`},
		{"missing file URL", []string{"file:///nonexistent/repo"}, "repo file:///nonexistent/repo: no such file or directory"},
		{"refused URL", []string{"http://127.0.0.1:1/org/app.git"}, "repo http://127.0.0.1:1/org/app.git: clone:"},
		{"token not shown", []string{"http://user:s3cr3t@127.0.0.1:1/org/app.git"}, "repo http://127.0.0.1:1/org/app.git: clone:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := run(t, append(scanArgs(t), append([]string{"repo"}, tc.args...)...)...)
			line := strings.TrimSpace(errOut)
			if code != 1 || strings.Count(line, "\n") != 0 || !strings.HasPrefix(line, "trawl: error: "+tc.want) {
				t.Errorf("exit %d, stderr %q, want prefix %q", code, errOut, "trawl: error: "+tc.want)
			}
			if strings.Contains(errOut, "s3cr3t") {
				t.Errorf("the password is in the error: %q", errOut)
			}
		})
	}
}

// TestRepoSymlinkOutside: a committed symlink to a file outside the
// repository (holding a secret) is never followed, neither in the working
// tree, nor in a checkout, nor in the history.
func TestRepoSymlinkOutside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside.env")
	if err := os.WriteFile(outside, []byte(repoAWSKey), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &testRepo{dir: filepath.Join(t.TempDir(), "project")}
	g, err := gogit.PlainInit(r.dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(r.dir, "leak.env")); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(r.dir, "sub"), 0o755)
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(r.dir, "sub", "dir")); err != nil {
		t.Fatal(err)
	}
	wt, _ := g.Worktree()
	wt.Add("leak.env")
	wt.Add("sub/dir")
	r.commit(t, g, "links", map[string]string{"README.md": "hello\n"})
	for _, args := range [][]string{
		{r.dir},
		{"--branch", "master", r.dir},
		{"--scan-history", "--commit", r.commits[0], r.dir},
	} {
		rep := scanJSON(t, append([]string{"repo"}, args...)...)
		for _, res := range rep.Results {
			if len(res.Secrets) > 0 {
				t.Errorf("repo %v: read through a symlink: %s has %d secrets", args, res.Target, len(res.Secrets))
			}
		}
	}
}
