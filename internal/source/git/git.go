// Package git opens a git repository for scanning: a local path (its
// working tree as it is, or the tree of a requested branch, tag or commit)
// or a remote URL (cloned, shallow unless the history is needed, under the
// cache directory and removed on Close). It hands out a directory to walk,
// the repository's metadata, and a stream of the files each commit added
// or changed (History). It knows nothing of analysis.
package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectCacheSize bounds go-git's cache of decoded objects (its default
// is 96 MiB): a history walk reads each blob once, and trees and delta
// bases are what the cache is for.
const objectCacheSize = 16 * cache.MiByte

// smallCache reopens repo's storage with a bounded object cache.
func smallCache(repo *gogit.Repository) *gogit.Repository {
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return repo
	}
	var wt billy.Filesystem
	if w, err := repo.Worktree(); err == nil {
		wt = w.Filesystem
	}
	small := filesystem.NewStorageWithOptions(st.Filesystem(), cache.NewObjectLRU(objectCacheSize), filesystem.Options{})
	r, err := gogit.Open(small, wt)
	if err != nil {
		return repo
	}
	return r
}

// Options choose what to check out and where clones go.
type Options struct {
	// Branch, Tag and Commit select the tree to scan (at most one of
	// Branch and Tag; Commit may be combined with neither). With none, a
	// local path is scanned as its working tree is, and a remote one at
	// its default branch.
	Branch, Tag, Commit string
	// History asks for the whole history (a full clone), for History.
	History bool
	// CacheDir is where clones and checkouts go: <CacheDir>/repo/tmp-*,
	// removed by Close.
	CacheDir string
	// Insecure skips TLS verification of https remotes.
	Insecure bool
	// Getenv reads GITHUB_TOKEN and GITLAB_TOKEN (default os.Getenv).
	Getenv func(string) string
	// Progress receives the remote's progress messages; nil for none.
	Progress io.Writer
}

// Metadata describes the scanned commit, under Trivy's report keys.
type Metadata struct {
	RepoURL   string
	Branch    string
	Tags      []string
	Commit    string
	CommitMsg string
	Author    string
	Committer string
}

// Repo is an opened repository.
type Repo struct {
	// Dir is the directory to scan: the working tree of a local
	// repository, or a checkout of the requested tree.
	Dir  string
	Meta Metadata

	repo *gogit.Repository
	head plumbing.Hash
	tmp  string
}

// Close removes the clone or checkout, if one was made.
func (r *Repo) Close() error {
	if r.tmp == "" {
		return nil
	}
	err := os.RemoveAll(r.tmp)
	r.tmp = ""
	return err
}

// IsRemote reports whether target names a remote repository rather than a
// local path: a URL with a scheme (http, https, ssh, git, file) or the scp
// form user@host:path.
func IsRemote(target string) bool {
	if i := strings.Index(target, "://"); i > 0 {
		return true
	}
	if at := strings.Index(target, "@"); at > 0 {
		if c := strings.Index(target[at:], ":"); c > 0 && !strings.Contains(target[:at], "/") {
			return true
		}
	}
	return false
}

// Open opens target, a local path or a remote URL.
func Open(ctx context.Context, target string, o Options) (*Repo, error) {
	if o.Branch != "" && o.Tag != "" {
		return nil, errors.New("repo: give --branch or --tag, not both")
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if IsRemote(target) {
		return openRemote(ctx, target, o)
	}
	return openLocal(ctx, target, o)
}

func openLocal(ctx context.Context, dir string, o Options) (*Repo, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("repo %s: %w", dir, unwrapPath(err))
	}
	repo, err := gogit.PlainOpenWithOptions(dir, &gogit.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("repo %s: not a git repository: %w", dir, err)
	}
	r := &Repo{Dir: dir, repo: smallCache(repo)}
	repo = r.repo
	if o.Branch == "" && o.Tag == "" && o.Commit == "" {
		// The working tree as it is (uncommitted changes included), as
		// Trivy scans a local repository; the metadata is HEAD's.
		head, err := repo.Head()
		if err != nil {
			return nil, fmt.Errorf("repo %s: HEAD: %w", dir, err)
		}
		r.head = head.Hash()
		if err := r.fillMeta(head.Name()); err != nil {
			return nil, fmt.Errorf("repo %s: %w", dir, err)
		}
		r.Meta.RepoURL = originURL(repo)
		return r, nil
	}
	ref, hash, err := resolve(repo, o)
	if err != nil {
		return nil, fmt.Errorf("repo %s: %w", dir, err)
	}
	r.head = hash
	if err := r.checkout(ctx, o.CacheDir); err != nil {
		return nil, fmt.Errorf("repo %s: %w", dir, err)
	}
	if err := r.fillMeta(ref); err != nil {
		r.Close()
		return nil, fmt.Errorf("repo %s: %w", dir, err)
	}
	r.Meta.RepoURL = originURL(repo)
	return r, nil
}

func openRemote(ctx context.Context, raw string, o Options) (*Repo, error) {
	shown := Redact(raw)
	u, err := url.Parse(raw)
	if err == nil && u.Scheme == "file" && u.Host == "" {
		if _, serr := os.Stat(u.Path); serr != nil {
			return nil, fmt.Errorf("repo %s: %w", shown, unwrapPath(serr))
		}
	}
	tmp, err := makeTemp(o.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("repo %s: %w", shown, err)
	}
	r := &Repo{tmp: tmp}
	co := &gogit.CloneOptions{
		URL: raw, Auth: auth(raw, o.Getenv), NoCheckout: true, InsecureSkipTLS: o.Insecure,
	}
	if o.Progress != nil {
		co.Progress = o.Progress
	}
	if o.Commit == "" && !o.History {
		co.Depth = 1
	}
	switch {
	case o.Branch != "":
		co.ReferenceName, co.SingleBranch = plumbing.NewBranchReferenceName(o.Branch), true
	case o.Tag != "":
		co.ReferenceName, co.SingleBranch = plumbing.NewTagReferenceName(o.Tag), true
	}
	repo, err := gogit.PlainCloneContext(ctx, filepath.Join(tmp, "git"), true, co)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("repo %s: clone: %s", shown, redactErr(err, raw))
	}
	r.repo = smallCache(repo)
	repo = r.repo
	var ref plumbing.ReferenceName
	if o.Commit != "" {
		h, err := commitHash(repo, o.Commit)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("repo %s: %w", shown, err)
		}
		r.head = h
	} else {
		head, err := repo.Head()
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("repo %s: HEAD: %w", shown, err)
		}
		ref = head.Name()
		if r.head, err = peel(repo, head.Hash()); err != nil {
			r.Close()
			return nil, fmt.Errorf("repo %s: %w", shown, err)
		}
		if o.Tag != "" {
			ref = plumbing.NewTagReferenceName(o.Tag)
		}
	}
	if err := r.checkout(ctx, o.CacheDir); err != nil {
		r.Close()
		return nil, fmt.Errorf("repo %s: %w", shown, err)
	}
	if err := r.fillMeta(ref); err != nil {
		r.Close()
		return nil, fmt.Errorf("repo %s: %w", shown, err)
	}
	r.Meta.RepoURL = shown
	if o.Tag != "" && len(r.Meta.Tags) == 0 {
		r.Meta.Tags = []string{o.Tag}
	}
	return r, nil
}

// resolve finds the commit a local repository's ref flags name.
func resolve(repo *gogit.Repository, o Options) (plumbing.ReferenceName, plumbing.Hash, error) {
	switch {
	case o.Commit != "":
		h, err := commitHash(repo, o.Commit)
		return "", h, err
	case o.Branch != "":
		for _, name := range []plumbing.ReferenceName{plumbing.NewBranchReferenceName(o.Branch), plumbing.NewRemoteReferenceName("origin", o.Branch)} {
			if ref, err := repo.Reference(name, true); err == nil {
				return plumbing.NewBranchReferenceName(o.Branch), ref.Hash(), nil
			}
		}
		return "", plumbing.ZeroHash, fmt.Errorf("branch %q not found", o.Branch)
	default:
		ref, err := repo.Reference(plumbing.NewTagReferenceName(o.Tag), true)
		if err != nil {
			return "", plumbing.ZeroHash, fmt.Errorf("tag %q not found", o.Tag)
		}
		h, err := peel(repo, ref.Hash())
		return ref.Name(), h, err
	}
}

// commitHash resolves a full or abbreviated commit hash.
func commitHash(repo *gogit.Repository, rev string) (plumbing.Hash, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %q not found", rev)
	}
	if _, err := repo.CommitObject(*h); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %q not found", rev)
	}
	return *h, nil
}

// peel turns an annotated tag's hash into its commit's.
func peel(repo *gogit.Repository, h plumbing.Hash) (plumbing.Hash, error) {
	if t, err := repo.TagObject(h); err == nil {
		c, err := t.Commit()
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("tag %s: %w", t.Name, err)
		}
		return c.Hash, nil
	}
	return h, nil
}

// fillMeta records the commit r.head and the branch or tags that name it.
func (r *Repo) fillMeta(ref plumbing.ReferenceName) error {
	c, err := r.repo.CommitObject(r.head)
	if err != nil {
		return fmt.Errorf("commit %s: %w", r.head, err)
	}
	r.Meta.Commit = c.Hash.String()
	r.Meta.CommitMsg = strings.TrimSpace(c.Message)
	r.Meta.Author = c.Author.String()
	r.Meta.Committer = c.Committer.String()
	if ref.IsBranch() {
		r.Meta.Branch = ref.Short()
	}
	if tags, err := r.repo.Tags(); err == nil {
		_ = tags.ForEach(func(t *plumbing.Reference) error {
			if h, err := peel(r.repo, t.Hash()); err == nil && h == r.head {
				r.Meta.Tags = append(r.Meta.Tags, t.Name().Short())
			}
			return nil
		})
	}
	return nil
}

// originURL is the origin remote's first URL without credentials.
func originURL(repo *gogit.Repository) string {
	rem, err := repo.Remote("origin")
	if err != nil || len(rem.Config().URLs) == 0 {
		return ""
	}
	return Redact(rem.Config().URLs[0])
}

// Redact removes the user information (a token, a password) from a URL.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil || u.Scheme == "" {
		return raw
	}
	u.User = nil
	return u.String()
}

func redactErr(err error, raw string) string {
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		msg = strings.ReplaceAll(msg, u.User.String(), "")
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "***")
		}
	}
	return msg
}

// auth is Trivy's token authentication: GITHUB_TOKEN for github.com,
// GITLAB_TOKEN for GitLab hosts, sent as HTTP basic auth. A token is only
// sent to its own host, over http(s).
func auth(raw string, getenv func(string) string) transport.AuthMethod {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	var token string
	switch {
	case host == "github.com" || strings.HasSuffix(host, ".github.com"):
		token = getenv("GITHUB_TOKEN")
	case host == "gitlab.com" || strings.HasPrefix(host, "gitlab.") || strings.Contains(host, ".gitlab."):
		token = getenv("GITLAB_TOKEN")
	}
	if token == "" {
		return nil
	}
	return &githttp.BasicAuth{Username: "trawl", Password: token}
}

func makeTemp(cacheDir string) (string, error) {
	if cacheDir == "" {
		cacheDir = os.TempDir()
	}
	base := filepath.Join(cacheDir, "repo")
	if err := os.MkdirAll(base, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(base, "tmp-")
}

// checkout writes the tree of r.head to a new directory under the cache
// directory, through an os.Root: no entry (a "../" name, a path through a
// symlink the tree made) can write outside it. Symlinks are made as they
// are recorded and never followed; submodules are left empty.
func (r *Repo) checkout(ctx context.Context, cacheDir string) error {
	if r.tmp == "" {
		tmp, err := makeTemp(cacheDir)
		if err != nil {
			return err
		}
		r.tmp = tmp
	}
	dir := filepath.Join(r.tmp, "tree")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	c, err := r.repo.CommitObject(r.head)
	if err != nil {
		return fmt.Errorf("commit %s: %w", r.head, err)
	}
	tree, err := c.Tree()
	if err != nil {
		return fmt.Errorf("commit %s: tree: %w", r.head, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		name, e, err := walker.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("checkout: %w", err)
		}
		if !validName(name) {
			continue
		}
		switch e.Mode {
		case filemode.Dir:
			err = root.MkdirAll(name, 0o755)
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			err = r.writeBlob(root, name, e.Hash)
		case filemode.Symlink:
			err = r.writeSymlink(root, name, e.Hash)
		}
		if err != nil {
			return fmt.Errorf("checkout %s: %w", name, err)
		}
	}
	r.Dir = dir
	return nil
}

// validName refuses tree entries git itself would refuse to check out.
func validName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == "." || part == ".." || strings.EqualFold(part, ".git") {
			return false
		}
	}
	return true
}

func (r *Repo) writeBlob(root *os.Root, name string, h plumbing.Hash) error {
	if d := path.Dir(name); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return err
	}
	rd, err := b.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rd); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (r *Repo) writeSymlink(root *os.Root, name string, h plumbing.Hash) error {
	if d := path.Dir(name); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return err
	}
	if b.Size > 4096 {
		return nil // no real link target is that long
	}
	rd, err := b.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	target, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	return root.Symlink(string(target), name)
}

// unwrapPath keeps an *fs.PathError's reason: the caller names the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
