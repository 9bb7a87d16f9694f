package cli

import (
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// gitHTTP serves the repositories under root over git's smart HTTP
// protocol (git http-backend through CGI) on loopback, behind basic auth
// with user:pass; requests counts what it answered.
func gitHTTP(t *testing.T, root, user, pass string) (url string, requests *atomic.Int64) {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git is not installed")
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := exec.LookPath(backend); err != nil {
		t.Skipf("git http-backend is not installed: %v", err)
	}
	cgiH := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	requests = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		cgiH.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

// TestRepoSmartHTTP clones over git's smart HTTP protocol (shallow, with
// credentials from the URL) as from a forge: the same results as fs on
// the repository, the URL in the report without its password, and a
// wrong password is a one-line error that does not show it.
func TestRepoSmartHTTP(t *testing.T) {
	r := newTestRepo(t)
	base, requests := gitHTTP(t, filepath.Dir(r.dir), "ci", "s3cr3t")
	repoURL := strings.Replace(base, "http://", "http://ci:s3cr3t@", 1) + "/" + filepath.Base(r.dir) + "/.git"

	fs := scanJSON(t, "fs", r.dir)
	rep := scanJSON(t, "repo", repoURL)
	if got, want := results(t, rep), results(t, fs); got != want {
		t.Errorf("repo over HTTP differs from fs:\n got %s\nwant %s", got, want)
	}
	if requests.Load() == 0 {
		t.Fatal("the HTTP server was not asked: not a remote clone")
	}
	m := rep.Metadata
	if m.Commit != r.commits[2] || strings.Contains(m.RepoURL, "s3cr3t") || !strings.HasPrefix(m.RepoURL, base) {
		t.Errorf("metadata: commit %q, RepoURL %q", m.Commit, m.RepoURL)
	}
	// With history: the same findings, commits included, as on the local
	// repository — the removed secret among them.
	hist := scanJSON(t, "repo", "--scan-history", repoURL)
	local := scanJSON(t, "repo", "--scan-history", r.dir)
	if got, want := results(t, hist), results(t, local); got != want {
		t.Errorf("--scan-history over HTTP differs from the local repository:\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(results(t, hist), `"NotInHead":true`) {
		t.Errorf("--scan-history over HTTP did not report the removed secret: %s", results(t, hist))
	}

	bad := strings.Replace(repoURL, "s3cr3t", "wrong-pw", 1)
	_, errOut, code := run(t, append(scanArgs(t), "repo", bad)...)
	line := strings.TrimSpace(errOut)
	if code != 1 || strings.Contains(line, "\n") || strings.Contains(line, "wrong-pw") || !strings.HasPrefix(line, "trawl: error: repo http://127.0.0.1") {
		t.Errorf("wrong password: exit %d, %q", code, errOut)
	}
}
